// Shared steps of the dataset tests: where the generated fixtures and their pycocotools answers are, opening a
// fixture folder with the real readers, and COCO results turned into Predictions the way an import keys them
// (image id -> data unit, category id -> class, bbox kept in pixels, masks as written).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { NodeTree } from '../../../src/files/node-fs.ts';
import { openFolder } from '../../../src/core/datasets/index.ts';
import type { CocoDatasetJson, CocoRle, Prediction, Project } from '../../../src/core/model.ts';
import { REPO_ROOT } from '../../fixtures.ts';

export const DATASETS = resolve(REPO_ROOT, 'test/fixtures/datasets');

export interface Reference {
  fixture: string;
  split: string | null;
  counts: { images: number; objects: number; objectsByClass: { name: string; count: number }[] };
  converted?: CocoDatasetJson;
  eval: {
    iouType: 'bbox' | 'segm';
    predictions: string;
    stats: number[];
    perCategoryAP: Record<string, number | null>;
  }[];
}

export function reference(name: string): Reference {
  return JSON.parse(readFileSync(resolve(DATASETS, 'references', `${name}.json`), 'utf8')) as Reference;
}

export function results(
  file: string,
): { image_id: number; category_id: number; bbox: number[]; score: number; segmentation?: CocoRle }[] {
  return JSON.parse(readFileSync(resolve(DATASETS, 'predictions', file), 'utf8'));
}

export async function openFixture(name: string, split?: string): Promise<Project> {
  return (await openFolder(new NodeTree(resolve(DATASETS, name)), { split })).project;
}

/** COCO results as the Predictions a dataset import gives (test stand-in for the dataset prediction readers). */
export function asPredictions(project: Project, list: ReturnType<typeof results>): Prediction[] {
  const units = new Map(project.dataUnits.map((u) => [u.imageId, u]));
  const classes = new Map(project.ontology.objects.map((o) => [o.categoryId, o.featureNodeHash]));
  return list.map((r) => {
    const unit = units.get(r.image_id)!;
    const [x, y, w, h] = r.bbox;
    const boxPx = { x, y, w, h };
    return {
      dataHash: unit.dataHash,
      frame: 0,
      confidence: r.score,
      featureHash: classes.get(r.category_id)!,
      shape: r.segmentation
        ? { kind: 'mask', mask: r.segmentation }
        : { kind: 'box', box: { x: x / unit.width, y: y / unit.height, w: w / unit.width, h: h / unit.height } },
      boxPx,
    };
  });
}
