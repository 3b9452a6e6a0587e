// Small hand-built projects for the import tests (the shared pkl fixtures' data hashes belong to no project folder).
import type { DataUnit, Ontology, Project } from '../../src/core/model.ts';
import { projectFromUnits } from '../../src/core/project/assemble.ts';

export interface UnitSpec {
  dataHash: string;
  width: number;
  height: number;
  /** Videos get decoded frames 0..frames-1. */
  video?: { frames: number };
  sequence?: number;
  title?: string;
}

export function makeProject(ontology: Ontology, units: UnitSpec[]): Project {
  const dataUnits: DataUnit[] = units.map((u, i) => {
    const frames = u.video ? Array.from({ length: u.video.frames }, (_, f) => f) : [u.sequence ?? 0];
    return {
      dataHash: u.dataHash,
      labelHash: `label-${i}`,
      title: u.title ?? `unit${i}.png`,
      dataType: u.video ? 'video' : 'image',
      mime: u.video ? 'video/mp4' : 'image/png',
      width: u.width,
      height: u.height,
      sequence: u.sequence ?? 0,
      frames: [],
      images: Object.fromEntries(frames.map((f) => [f, `data/label-${i}/images/${u.dataHash}_${f}.png`])),
      frameNumbers: frames,
    };
  });
  return projectFromUnits(
    ontology,
    dataUnits,
    { project_title: 'test', project_hash: '00000000-0000-0000-0000-000000000000' },
    'test',
  );
}

const option = (featureNodeHash: string, label: string) => ({
  id: label,
  label,
  value: label,
  featureNodeHash,
  attributes: [],
});

/** The ontology the shared pkl fixtures' feature hashes imply. */
export const PKL_ONTOLOGY: Ontology = {
  objects: [
    { id: '1', name: 'Box', color: '#ff0000', shape: 'bounding_box', featureNodeHash: '64OcrdpD', attributes: [] },
    { id: '2', name: 'Poly', color: '#00ff00', shape: 'polygon', featureNodeHash: 'GsKUXxUz', attributes: [] },
    { id: '3', name: 'Blob', color: '#0000ff', shape: 'polygon', featureNodeHash: 'XzsiWYa4', attributes: [] },
  ],
  classifications: [
    {
      id: '4',
      featureNodeHash: '4sqIABPQ',
      attributes: [
        {
          id: '4.1',
          name: 'Weather',
          type: 'radio',
          featureNodeHash: 'oW74iXGQ',
          required: false,
          dynamic: false,
          options: [option('HwJn3Wpo', 'sun'), option('CJwovfVK', 'rain'), option('fwByFcqc', 'snow')],
        },
      ],
    },
  ],
};

/** Units sized to the shared pkl fixtures' masks; the two hashes with frames > 0 are videos. */
export const PKL_UNITS: UnitSpec[] = [
  { dataHash: '02b68c1e-c57f-4227-82ae-e0c8d5d8c328', width: 16, height: 12 },
  { dataHash: 'e0d56b14-51a1-4ef0-82a3-0a1737ddf9dc', width: 10, height: 7, video: { frames: 10 } },
  { dataHash: '03aa3a61-c4b7-40e2-b55e-54fc73ea9688', width: 640, height: 480 },
  { dataHash: '06c0a362-f0d0-49d0-b2d2-ff6939e4c385', width: 9, height: 4, video: { frames: 10 } },
];
