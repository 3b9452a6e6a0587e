// Exports of a dataset (a COCO folder, through the shared model's dataset fields): rows name images by their COCO
// image id and file path (never a data hash), labels by their annotation id; COCO results and subsets keep the
// dataset's own image and category ids, and a subset is the dataset's own JSON filtered, every field as written.
import { describe, expect, it } from 'vitest';
import { prepareActive, scoreActive } from '../../src/core/eval/active/index.ts';
import {
  activeMatchInput,
  buildTable,
  cocoResults,
  cocoSubset,
  imageRows,
  IMAGES,
  matchRows,
  nativePredictions,
  yoloFiles,
} from '../../src/core/export/index.ts';
import { MemoryTree } from '../../src/core/file-tree.ts';
import { importPredictions } from '../../src/core/formats/index.ts';
import type { CocoDatasetJson, DataUnit, LabelObject, Prediction, Project } from '../../src/core/model.ts';
import { projectFromUnits } from '../../src/core/project/assemble.ts';
import { loadKernels } from '../../src/kernels/node.ts';

const kernels = await loadKernels();

const coco: CocoDatasetJson = {
  images: [
    { id: 42, file_name: 'val/a.jpg', width: 100, height: 50, license: 3 },
    { id: 7, file_name: 'val/b.jpg', width: 100, height: 50 },
  ],
  annotations: [
    { id: 901, image_id: 42, category_id: 18, bbox: [10, 10, 20, 10], area: 150, iscrowd: 0, extra: 'kept' },
    { id: 902, image_id: 7, category_id: 3, bbox: [50, 20, 30, 20], area: 600, iscrowd: 0 },
  ],
  categories: [
    { id: 3, name: 'car' },
    { id: 18, name: 'dog' },
  ],
};

function label(id: number, categoryId: number, bbox: [number, number, number, number], name: string): LabelObject {
  const [x, y, w, h] = bbox;
  return {
    objectHash: `ann-${id}`,
    featureHash: `cat-${categoryId}`,
    name,
    color: '#336699',
    shape: 'bounding_box',
    geometry: { kind: 'box', box: { x: x / 100, y: y / 50, w: w / 100, h: h / 50 } },
    dataset: { id, categoryId, bbox, area: w * h, iscrowd: false },
  };
}

function unit(imageId: number, file: string, labels: LabelObject[]): DataUnit {
  return {
    dataHash: `img-${imageId}`,
    labelHash: `img-${imageId}`,
    title: file,
    dataType: 'image',
    mime: 'image/jpeg',
    width: 100,
    height: 50,
    sequence: 0,
    frames: [{ frame: 0, objects: labels, classifications: [] }],
    images: { 0: `images/${file}` },
    frameNumbers: [0],
    imageId,
    split: 'val',
  };
}

const project: Project = {
  ...projectFromUnits(
    {
      objects: [
        {
          id: '3',
          name: 'car',
          color: '#ff0000',
          shape: 'bounding_box',
          featureNodeHash: 'cat-3',
          attributes: [],
          categoryId: 3,
        },
        {
          id: '18',
          name: 'dog',
          color: '#00ff00',
          shape: 'bounding_box',
          featureNodeHash: 'cat-18',
          attributes: [],
          categoryId: 18,
        },
      ],
      classifications: [],
    },
    [
      unit(42, 'val/a.jpg', [label(901, 18, [10, 10, 20, 10], 'dog')]),
      unit(7, 'val/b.jpg', [label(902, 3, [50, 20, 30, 20], 'car')]),
    ],
    { project_title: 'coco folder', project_hash: 'x' },
  ),
  kind: 'coco',
  dataset: { kind: 'coco', splits: ['val'], split: 'val', coco },
};

const predictions: Prediction[] = [
  // A true positive on image 42 (the dog), a false positive of class car on image 42; image 7's car is missed.
  {
    dataHash: 'img-42',
    frame: 0,
    confidence: 0.9,
    featureHash: 'cat-18',
    shape: { kind: 'box', box: { x: 0.1, y: 0.2, w: 0.2, h: 0.2 } },
  },
  {
    dataHash: 'img-42',
    frame: 0,
    confidence: 0.8,
    featureHash: 'cat-3',
    shape: { kind: 'box', box: { x: 0.6, y: 0.1, w: 0.1, h: 0.2 } },
  },
];

describe('exports of a dataset', () => {
  const prepared = prepareActive(kernels, project, predictions);
  const score = scoreActive(prepared, { iouThreshold: 0.5 });
  const input = activeMatchInput(project, prepared, score);

  it('matches rows: image id and file path, annotation ids, no data hash', () => {
    const rows = [...matchRows(input)];
    expect(rows.map((r) => [r.dataHash, r.imageId, r.file, r.outcome, r.labelId])).toEqual([
      ['', 42, 'images/val/a.jpg', 'TP', 901],
      ['', 42, 'images/val/a.jpg', 'FP', undefined],
      ['', 7, 'images/val/b.jpg', 'FN', 902],
    ]);
  });

  it('images rows carry the split and the counts', () => {
    const table = buildTable(IMAGES, imageRows(project, input));
    const col = (name: string) => table.columns.indexOf(name);
    expect(
      table.rows.map((r) => [r[col('imageId')], r[col('split')], r[col('tp')], r[col('fp')], r[col('fn')]]),
    ).toEqual([
      [42, 'val', 1, 1, 0],
      [7, 'val', 0, 0, 1],
    ]);
  });

  it('COCO results and subsets keep the dataset’s ids; the subset is its own JSON, filtered', () => {
    const results = cocoResults(kernels, project, predictions).value;
    expect(results.map((r) => [r.image_id, r.category_id, r.score])).toEqual([
      [42, 18, 0.9],
      [42, 3, 0.8],
    ]);
    expect(results[0].bbox).toEqual([10, 10, 20, 10]);
    const subset = cocoSubset(kernels, project, [{ unitIndex: 0, frame: 0 }], { predictions });
    expect(subset.dataset).toEqual({
      images: [coco.images[0]],
      annotations: [coco.annotations[0]],
      categories: coco.categories,
    });
    expect(subset.results?.map((r) => r.image_id)).toEqual([42, 42]);
  });

  it('a YOLO folder is written under labels/ by the image’s own path, with category ids, and reads back', async () => {
    const boxed = predictions.map((p) => ({
      ...p,
      boxPx: p.shape.kind === 'box' ? { x: p.shape.box.x * 100, y: p.shape.box.y * 50, w: 20, h: 10 } : undefined,
    }));
    const files = yoloFiles(kernels, project, boxed).value;
    expect([...files.keys()]).toEqual(['classes.txt', 'labels/val/a.txt']);
    // `import` reads a YOLO class index on a dataset as its category id, so that is what is written.
    expect(
      files
        .get('labels/val/a.txt')!
        .split('\n')
        .map((l) => l.split(' ')[0]),
    ).toEqual(['18', '3', '']);
    const names = files.get('classes.txt')!.split('\n');
    expect([names[3], names[18]]).toEqual(['car', 'dog']);
    const back = await importPredictions(kernels, project, new MemoryTree('yolo', Object.fromEntries(files)), 'yolo');
    expect(back.report.rejected).toEqual([]);
    expect(back.predictions.map((p) => [p.dataHash, p.featureHash, p.confidence])).toEqual(
      boxed.map((p) => [p.dataHash, p.featureHash, p.confidence]),
    );
    back.predictions.forEach((p, i) => {
      for (const k of ['x', 'y', 'w', 'h'] as const) expect(p.boxPx![k]).toBeCloseTo(boxed[i].boxPx![k], 10);
    });
  });

  it('predlens NDJSON keeps the pixel boxes a dataset’s predictions came with', async () => {
    const mixed: Prediction[] = [
      { ...predictions[0], boxPx: { x: 10.25, y: 10, w: 20, h: 10.5 } },
      // A mask with the box its COCO result gave: without that box, COCO could not read the run back (loadRes takes
      // every result as a box once the first one has a bbox).
      {
        ...predictions[1],
        shape: { kind: 'mask', mask: { size: [50, 100], counts: [1010, 10, 40, 10, 3930] } },
        boxPx: { x: 20, y: 10, w: 2, h: 10 },
      },
    ];
    const text = nativePredictions(mixed).value;
    expect(text.split('\n')[0]).toContain('"bbox":[10.25,10,20,10.5]');
    const back = await importPredictions(kernels, project, new MemoryTree('n', { 'run.ndjson': text }), 'json');
    expect(back.report.rejected).toEqual([]);
    expect(back.predictions).toEqual(mixed);
  });
});
