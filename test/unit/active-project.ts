// Small in-memory projects for the evaluation tests: an ontology, image or video data units, their labels, and
// predictions written the way the importers produce them.
import type {
  Box,
  DataUnit,
  FrameLabels,
  LabelClassification,
  LabelObject,
  Ontology,
  Points,
  Prediction,
  Project,
} from '../../src/core/model.ts';
import { projectFromUnits } from '../../src/core/project/assemble.ts';

export interface UnitSpec {
  hash: string;
  width?: number;
  height?: number;
  video?: boolean;
  /** frame -> labels; images use frame 0. */
  frames: Record<number, { objects?: LabelObject[]; classifications?: LabelClassification[] }>;
}

export function makeProject(ontology: Ontology, units: UnitSpec[]): Project {
  const dataUnits: DataUnit[] = units.map((u) => {
    const frames: FrameLabels[] = Object.entries(u.frames)
      .map(([f, l]) => ({ frame: Number(f), objects: l.objects ?? [], classifications: l.classifications ?? [] }))
      .sort((a, b) => a.frame - b.frame);
    return {
      dataHash: u.hash,
      labelHash: `lh-${u.hash}`,
      title: `${u.hash}.png`,
      dataType: u.video ? 'video' : 'image',
      mime: u.video ? 'video/mp4' : 'image/png',
      width: u.width ?? 100,
      height: u.height ?? 80,
      sequence: 0,
      frames,
      images: {},
      frameNumbers: frames.map((f) => f.frame),
    };
  });
  return projectFromUnits(ontology, dataUnits, { project_title: 'test', project_hash: 'p' }, 'memory');
}

export function objectClass(
  name: string,
  featureNodeHash: string,
  shape: 'bounding_box' | 'polygon' | string = 'bounding_box',
) {
  return { id: featureNodeHash, name, color: '#000000', shape, featureNodeHash, attributes: [] };
}

export function radioClassification(
  featureNodeHash: string,
  attributeHash: string,
  name: string,
  options: [hash: string, label: string][],
) {
  return {
    id: featureNodeHash,
    featureNodeHash,
    attributes: [
      {
        id: attributeHash,
        name,
        type: 'radio',
        featureNodeHash: attributeHash,
        required: false,
        dynamic: false,
        options: options.map(([hash, label]) => ({
          id: hash,
          label,
          value: label.toLowerCase(),
          featureNodeHash: hash,
          attributes: [],
        })),
      },
    ],
  };
}

let objectCounter = 0;
export function boxLabel(featureHash: string, box: Box): LabelObject {
  return {
    objectHash: `o${++objectCounter}`,
    featureHash,
    name: featureHash,
    color: '#000',
    shape: 'bounding_box',
    geometry: { kind: 'box', box },
  };
}
export function polygonLabel(featureHash: string, points: Points): LabelObject {
  return {
    objectHash: `o${++objectCounter}`,
    featureHash,
    name: featureHash,
    color: '#000',
    shape: 'polygon',
    geometry: { kind: 'polygon', points },
  };
}
export function radioLabel(classificationHash: string, attributeHash: string, optionHash: string): LabelClassification {
  return {
    classificationHash: `c${++objectCounter}`,
    featureHash: classificationHash,
    name: classificationHash,
    answers: [
      {
        attributeHash,
        attributeName: attributeHash,
        options: [{ featureHash: optionHash, name: optionHash, value: optionHash }],
      },
    ],
  };
}

export function boxPrediction(
  dataHash: string,
  featureHash: string,
  confidence: number,
  box: Box,
  frame = 0,
): Prediction {
  return { dataHash, frame, confidence, featureHash, shape: { kind: 'box', box } };
}
export function radioPrediction(
  dataHash: string,
  classificationHash: string,
  attributeHash: string,
  optionHash: string,
  confidence: number,
  frame = 0,
): Prediction {
  return {
    dataHash,
    frame,
    confidence,
    featureHash: classificationHash,
    shape: { kind: 'classification', attributeHash, optionHash },
  };
}
