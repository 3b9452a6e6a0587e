// Format detection and the importPredictions entry point the CLI and the page share.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture } from '../fixtures.ts';
import { loadKernels } from '../../src/kernels/node.ts';
import { NodeTree } from '../../src/files/node-fs.ts';
import { MemoryTree } from '../../src/core/file-tree.ts';
import { readProject } from '../../src/core/project/read.ts';
import { FileSubset } from '../../src/core/formats/file-subset.ts';
import {
  detectFormat,
  FORMATS,
  importPredictions,
  readerFor,
  UnknownFormatError,
} from '../../src/core/formats/index.ts';

const EA_MINI = fixture('ea-mini');
const IMG_A = '668c6d1a-0217-4097-b930-8dfc03db62b4';
const native = JSON.stringify({
  dataHash: IMG_A,
  frame: 0,
  confidence: 0.9,
  featureHash: 'XO9aOmE8',
  box: { x: 0, y: 0, w: 0.5, h: 0.5 },
});
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('detectFormat', () => {
  it.each([
    ['pkl', { 'preds.pkl': new Uint8Array([0x80, 4]) }],
    ['ea-predictions', { 'predictions/predictions.csv': ',identifier\n', 'predictions/class_idx.json': '{}' }],
    ['kitti', { 'labels/000042.txt': 'Car 0 0 0 1 2 3 4 0 0 0 0 0 0 0 0.9\n' }],
    ['kitti', { [`${IMG_A}__street.txt`]: 'Car 0 0 0 1 2 3 4 0 0 0 0 0 0 0 0.9\n' }],
    ['json', { 'run.json': `{"predictions": [${native}]}` }],
    ['json', { 'run.ndjson': `${native}\n${native}\n` }],
    ['coco', { 'results.json': '[{"image_id": 1, "category_id": 3, "bbox": [1, 2, 3, 4], "score": 0.5}]' }],
    ['masks', { 'a.png': png, 'b.png': png }],
    ['yolo', { 'a.txt': '0 0.5 0.5 0.2 0.2 0.9\n' }],
  ] as const)('%s', async (format, files) => {
    const detection = await detectFormat(new MemoryTree('chosen', files));
    expect(detection.format).toBe(format);
    expect(detection.reason).toBe(
      {
        pkl: 'a .pkl file: Encord Active pickled Prediction objects',
        'ea-predictions': 'predictions.csv with class_idx.json beside it: an Encord Active predictions/ folder',
        kitti: 'KITTI label files (labels/*.txt or <data_hash>__<name>.txt, or ontology_label_map.json)',
        json: '.json/.ndjson records with dataHash and featureHash: predlens native predictions',
        coco: 'a JSON array of {image_id, category_id, bbox|segmentation, score}: COCO results',
        masks: 'PNG files only: class-index masks',
        yolo: '.txt files whose rows are 5 or more numbers starting with a class index: YOLO',
      }[format],
    );
  });

  it('says what it saw when nothing fits', async () => {
    expect(await detectFormat(new MemoryTree('x', { 'a.csv': 'x,y\n', 'b.csv': '', notes: '' }))).toEqual({
      reason: 'no known prediction format fits these files (2 .csv, 1 (none)); choose one with --format',
    });
    expect(await detectFormat(new MemoryTree('x', {}))).toEqual({ reason: 'no files were chosen' });
  });

  it('every format id has exactly one reader', () => {
    const ids = FORMATS.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(['coco', 'ea-predictions', 'json', 'kitti', 'masks', 'pkl', 'writer', 'yolo']);
    expect(() => readerFor('csv')).toThrowError(UnknownFormatError);
  });
});

describe('importPredictions', () => {
  it('detects, reads and validates; the detection is the first note', async () => {
    const kernels = await loadKernels();
    const project = await readProject(new NodeTree(EA_MINI));
    const tree = new FileSubset(new NodeTree(EA_MINI), ['predictions.pkl']);
    const result = await importPredictions(kernels, project, tree, undefined);
    expect(result.format).toBe('pkl');
    expect(result.predictions).toHaveLength(6);
    expect(result.report.imported).toBe(6);
    expect(result.report.warnings[0]).toBe(
      'detected format pkl: a .pkl file: Encord Active pickled Prediction objects',
    );
    // the same file through an explicit format gives the same predictions and no detection note
    const explicit = await importPredictions(kernels, project, tree, 'pkl');
    expect(explicit.predictions).toEqual(result.predictions);
    expect(explicit.report.warnings).toEqual([]);
  });

  it('a folder with nothing importable is an error naming the folder', async () => {
    const kernels = await loadKernels();
    const project = await readProject(new NodeTree(EA_MINI));
    await expect(
      importPredictions(kernels, project, new MemoryTree('stuff', { 'a.csv': '' }), undefined),
    ).rejects.toThrowError(/^stuff: no known prediction format fits these files/);
  });

  it('FileSubset shows only the chosen files', async () => {
    const tree = new FileSubset(new NodeTree(EA_MINI), ['predictions.pkl'], 'predictions.pkl');
    expect(await tree.list()).toEqual(['predictions.pkl']);
    expect(await tree.exists('ontology.json')).toBe(false);
    await expect(tree.readText('ontology.json')).rejects.toThrowError(/ontology\.json not found/);
    expect(await tree.readBytes('predictions.pkl')).toEqual(
      new Uint8Array(readFileSync(join(EA_MINI, 'predictions.pkl'))),
    );
  });
});
