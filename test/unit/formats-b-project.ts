// A hand-built Project for the prediction-reader tests (KITTI, YOLO, COCO results, EA predictions/, masks):
// only the fields the readers use, so these tests do not depend on the project reader.
import { readFileSync } from 'node:fs';
import type { DataType, DataUnit, Ontology, Project } from '../../src/core/model.ts';
import { projectFromUnits } from '../../src/core/project/assemble.ts';

export interface UnitSpec {
  dataHash: string;
  width: number;
  height: number;
  title?: string;
  dataType?: DataType;
  sequence?: number;
  labelHash?: string;
}

export function ontologyFromJson(json: unknown): Ontology {
  const o = json as { objects: Record<string, unknown>[]; classifications?: Record<string, unknown>[] };
  return {
    objects: o.objects.map((x) => ({
      id: String(x.id),
      name: String(x.name),
      color: String(x.color ?? '#000000'),
      shape: String(x.shape),
      featureNodeHash: String(x.featureNodeHash),
      attributes: (x.attributes as never) ?? [],
    })),
    classifications: (o.classifications ?? []).map((c) => ({
      id: String(c.id),
      featureNodeHash: String(c.featureNodeHash),
      attributes: (c.attributes as never) ?? [],
    })),
  };
}

export function readOntology(path: string): Ontology {
  return ontologyFromJson(JSON.parse(readFileSync(path, 'utf8')));
}

export function makeProject(ontology: Ontology, units: UnitSpec[]): Project {
  const dataUnits: DataUnit[] = units.map((u, i) => ({
    dataHash: u.dataHash,
    labelHash: u.labelHash ?? `label-${i}`,
    title: u.title ?? `${u.dataHash}.png`,
    dataType: u.dataType ?? 'image',
    mime: 'image/png',
    width: u.width,
    height: u.height,
    sequence: u.sequence ?? 0,
    frames: [],
    images: {},
    frameNumbers: [u.sequence ?? 0],
  }));
  return projectFromUnits(ontology, dataUnits, { project_title: 'test', project_hash: 'p' }, 'test');
}
