// Predictions onto a dataset project (spec datasets.md, "Predictions onto a dataset"): COCO results keyed by the
// dataset's image and category ids (or file stems for YOLO and VOC), a YOLO prediction folder matched by stem,
// and native records keyed by image id or path. The geometry must be what pycocotools' loadRes makes of the
// same results: the answers in test/fixtures/dataset-predictions/reference.json come from real pycocotools
// (scripts/fixtures/dataset_predictions_reference.py).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../fixtures.ts';
import { loadKernels } from '../../src/kernels/node.ts';
import { rleArea, rleFromCoco, rleToBbox, rleToString } from '../../src/kernels/rle.ts';
import { MemoryTree } from '../../src/core/file-tree.ts';
import { importPredictions } from '../../src/core/formats/index.ts';
import type { Prediction } from '../../src/core/model.ts';
import { datasetProject } from './dataset-project.ts';

const kernels = await loadKernels();
const dir = resolve(REPO_ROOT, 'test/fixtures/dataset-predictions');
const input = JSON.parse(readFileSync(resolve(dir, 'input.json'), 'utf8'));
const reference = JSON.parse(readFileSync(resolve(dir, 'reference.json'), 'utf8'));

interface Loaded {
  image_id: number;
  category_id: number;
  score: number;
  bbox: number[];
  area: number;
  rle: { size: [number, number]; counts: string };
}

const coco = datasetProject('coco', input.images, input.categories);
const yolo = datasetProject('yolo', input.images, input.categories);
const imageIdOf = (p: Prediction) => Number(p.dataHash.slice(4));
const categoryOf = (p: Prediction) => Number(p.featureHash.slice(3));
const json = (value: unknown) => new MemoryTree('preds', { 'results.json': JSON.stringify(value) });

/** What loadRes would hold for this prediction: bbox (given, or the mask's) and area (w·h, or the mask's). */
function asLoaded(p: Prediction) {
  const mask = p.shape.kind === 'mask' ? rleFromCoco(p.shape.mask) : undefined;
  const bbox = p.boxPx ? [p.boxPx.x, p.boxPx.y, p.boxPx.w, p.boxPx.h] : rleToBbox(mask!);
  return {
    image_id: imageIdOf(p),
    category_id: categoryOf(p),
    score: p.confidence,
    bbox,
    area: p.boxPx ? p.boxPx.w * p.boxPx.h : rleArea(mask!),
    segm: mask ? rleToString(mask) : undefined,
  };
}

function expectLoaded(predictions: Prediction[], loaded: Loaded[]) {
  expect(predictions.map((p) => ({ ...asLoaded(p), segm: undefined }))).toEqual(
    loaded.map((r) => ({
      image_id: r.image_id,
      category_id: r.category_id,
      score: r.score,
      bbox: r.bbox,
      area: r.area,
    })),
  );
  // Segmentation results: the very mask pycocotools rasterises (box results are boxes; loadRes' rectangle for
  // them is the evaluator's to make from boxPx).
  predictions.forEach((p, i) => {
    if (p.shape.kind === 'mask') expect(asLoaded(p).segm).toBe(loaded[i].rle.counts);
  });
  expect(predictions.filter((p) => p.shape.kind === 'mask').length).toBeGreaterThan(0);
}

describe('COCO results onto a COCO dataset', () => {
  it('numeric image ids and category ids; bbox kept in pixels, polygons rasterised as frPyObjects does', async () => {
    const result = await importPredictions(kernels, coco, json(input.coco_results), 'coco');
    expect(result.report.rejected).toEqual([]);
    expectLoaded(result.predictions, reference.coco_results);
    // A box result keeps its box shape (normalised) beside the pixels; every segmentation is a mask.
    expect(result.predictions.map((p) => p.shape.kind)).toEqual(['box', 'mask', 'mask', 'mask']);
  });

  it('an RLE result without a bbox keeps its mask; its area and bbox are the mask area and bounds', async () => {
    const result = await importPredictions(kernels, coco, json(input.coco_rle_results), 'coco');
    expect(result.report.rejected).toEqual([]);
    expect(result.predictions[0].boxPx).toBeUndefined();
    expectLoaded(result.predictions, reference.coco_rle_results);
    expect(result.report.warnings).toContain(
      'segmentation results without a bbox: their area is the mask area, as loadRes gives it',
    );
  });

  it('refuses string image ids, unknown ids and categories, naming the record (0-based)', async () => {
    const result = await importPredictions(
      kernels,
      coco,
      json([
        { image_id: 'a', category_id: 2, bbox: [1, 1, 2, 2], score: 0.5 },
        { image_id: 4, category_id: 2, bbox: [1, 1, 2, 2], score: 0.5 },
        { image_id: 3, category_id: 1, bbox: [1, 1, 2, 2], score: 0.5 },
        { image_id: 3, category_id: 2, bbox: [1, 1, 2, 2], score: 0.5 },
      ]),
      'coco',
    );
    expect(result.predictions).toHaveLength(1);
    expect(result.report.rejected).toEqual([
      {
        file: 'results.json',
        record: 0,
        code: 'unknown_image',
        reason: `image_id "a" is a string; a COCO dataset's image ids are its numbers`,
      },
      {
        file: 'results.json',
        record: 1,
        code: 'unknown_image',
        reason: 'image_id 4 is not an image id of the COCO dataset (split val)',
      },
      {
        file: 'results.json',
        record: 2,
        code: 'unknown_class',
        reason: 'category_id 1 is not a category of the dataset',
      },
    ]);
  });
});

describe('COCO results onto a YOLO or VOC dataset', () => {
  it('a string image_id is the file stem of an image read; a stem naming two images is refused', async () => {
    const twice = datasetProject(
      'voc',
      [...input.images, { id: 12, file_name: 'train/c.png', width: 10, height: 10 }],
      input.categories,
    );
    const results = [
      { image_id: 'a', category_id: 2, bbox: [10.25, 4.5, 20.125, 12.75], score: 0.9 },
      { image_id: 'c', category_id: 2, bbox: [1, 1, 2, 2], score: 0.5 },
      { image_id: 7, category_id: 0, bbox: [1, 1, 2, 2], score: 0.5 },
    ];
    const result = await importPredictions(kernels, twice, json(results), 'coco');
    expect(result.predictions.map((p) => [p.dataHash, p.boxPx])).toEqual([
      ['img-3', { x: 10.25, y: 4.5, w: 20.125, h: 12.75 }],
      ['img-7', { x: 1, y: 1, w: 2, h: 2 }],
    ]);
    expect(result.report.rejected).toEqual([
      {
        file: 'results.json',
        record: 1,
        code: 'unknown_image',
        reason: 'file stem "c" names 2 images (val/c.jpg, train/c.png); name the image by its id',
      },
    ]);
  });
});

describe('a YOLO prediction folder onto a dataset', () => {
  const tree = () => new MemoryTree('runs', input.yolo_files);

  it('matches <stem>.txt anywhere below the folder; rows become results in file order, as the spec converts them', async () => {
    const result = await importPredictions(kernels, yolo, tree(), undefined);
    expect(result.format).toBe('yolo');
    expect(result.report.rejected).toEqual([]);
    expectLoaded(result.predictions, reference.yolo_results);
    expect(result.report.warnings).toContain("class index = the dataset's category id");
  });

  it('a file whose stem is no image, or a class index that is no category, is refused with file and line', async () => {
    const result = await importPredictions(
      kernels,
      yolo,
      new MemoryTree('runs', {
        'labels/zzz.txt': '0 0.5 0.5 0.1 0.1 0.9\n',
        'labels/a.txt': '\n1 0.5 0.5 0.1 0.1 0.9\n',
      }),
      'yolo',
    );
    expect(result.predictions).toEqual([]);
    expect(result.report.rejected).toEqual([
      {
        file: 'labels/a.txt',
        record: 2,
        code: 'unknown_class',
        reason: 'class index 1 is not a category of the dataset',
      },
      {
        file: 'labels/zzz.txt',
        code: 'no_match',
        reason: '"zzz.txt" is not the file stem of an image of the dataset; 1 row(s) not imported',
      },
    ]);
  });
});

describe('native records onto a dataset', () => {
  it('are keyed by the image id, the image path or its stem', async () => {
    const box = { x: 0.1, y: 0.1, w: 0.2, h: 0.2 };
    const lines = [
      { imageId: 7, featureHash: 'cat5', confidence: 0.9, box },
      { image: 'val/c.jpg', featureHash: 'cat0', confidence: 0.8, box },
      { dataHash: 'a', featureHash: 'cat2', confidence: 0.7, box },
      { dataHash: 'img-3', featureHash: 'cat2', confidence: 0.6, box },
      { imageId: 99, featureHash: 'cat2', confidence: 0.5, box },
    ];
    const tree = new MemoryTree('p', { 'p.ndjson': lines.map((l) => JSON.stringify(l)).join('\n') });
    const result = await importPredictions(kernels, yolo, tree, 'json');
    expect(result.predictions.map((p) => p.dataHash)).toEqual(['img-7', 'img-11', 'img-3', 'img-3']);
    expect(result.report.rejected).toEqual([
      {
        file: 'p.ndjson',
        record: 5,
        code: 'unknown_image',
        reason: 'image_id 99 is not an image id of the YOLO dataset (split val)',
      },
    ]);
    expect(result.report.warnings).toEqual([]);
  });
});
