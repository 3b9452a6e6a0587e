// The translation of a project and its predictions into COCO ground truth and results (what --mode coco feeds to
// pycocotools' COCOeval), checked record by record on ea-mini.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { projectToCoco } from '../../src/core/eval/project-to-coco.ts';
import { readPklBytes } from '../../src/core/formats/pkl.ts';
import { readProject } from '../../src/core/project/read.ts';
import { NodeTree } from '../../src/files/node-fs.ts';
import { loadKernels } from '../../src/kernels/node.ts';
import { fixture } from '../fixtures.ts';

const kernels = await loadKernels();
const project = await readProject(new NodeTree(fixture('ea-mini')));
const { predictions } = readPklBytes(
  kernels,
  project,
  readFileSync(fixture('ea-mini', 'predictions.pkl')),
  'predictions.pkl',
);
const coco = projectToCoco(kernels, project, predictions);
type Rec = Record<string, any>;

describe('project -> COCO', () => {
  it('makes one image per frame and one category per box or polygon class (id = ontology position + 1)', () => {
    expect(coco.gt.images).toEqual([
      { id: 1, width: 100, height: 80, file_name: 'street_a.png' },
      { id: 2, width: 100, height: 80, file_name: 'street_b.png' },
    ]);
    expect(coco.gt.categories).toEqual([
      { id: 1, name: 'Car', supercategory: 'bounding_box' },
      { id: 2, name: 'Cat', supercategory: 'polygon' },
    ]);
  });

  it('turns labels into pixel annotations with areas', () => {
    const anns = coco.gt.annotations as Rec[];
    expect(anns.map((a) => [a.image_id, a.category_id, a.iscrowd])).toEqual([
      [1, 1, 0],
      [1, 1, 0],
      [1, 2, 0],
      [2, 1, 0],
    ]);
    expect(anns[0].bbox).toEqual([10, 8, 30, 24]);
    expect(anns[0].area).toBe(720);
    expect(anns[2].segmentation).toEqual([[50, 8, 90, 8, 90, 32, 50, 32]]);
    expect(anns[2].bbox.map((v: number) => +v.toFixed(9))).toEqual([50, 8, 40, 24]);
    expect(anns[2].area).toBe(960);
  });

  it('turns predictions into results with a bbox each, masks as compressed RLE', () => {
    const results = coco.results as Rec[];
    expect(results.map((r) => [r.image_id, r.category_id, r.score])).toEqual([
      [1, 2, 0.95],
      [1, 1, 0.9],
      [1, 1, 0.8],
      [1, 1, 0.7],
      [1, 1, 0.6],
      [1, 2, 0.5],
    ]);
    expect(results[1].bbox.map((v: number) => +v.toFixed(9))).toEqual([11, 8, 30, 24]);
    expect(results[0].segmentation).toEqual([[50, 8, 88, 8, 88, 32, 50, 32]]);
    expect(results[5].bbox).toEqual([50, 8, 40, 24]);
    expect(results[5].segmentation.size).toEqual([80, 100]);
    expect(typeof results[5].segmentation.counts).toBe('string');
    expect(coco.imageIdsWithPredictions).toEqual([1]);
    expect(coco.iouType).toBe('bbox');
    expect(coco.notes[0]).toMatch(/box and polygon classes/);
  });
});
