// COCO results: how image ids find data units and category ids find ontology objects, and what is refused.
import { beforeAll, describe, expect, it } from 'vitest';
import { cocoResultsReader, type CocoResultsOptions } from '../../src/core/formats/coco-results.ts';
import { MemoryTree } from '../../src/core/file-tree.ts';
import { loadKernels } from '../../src/kernels/node.ts';
import type { Kernels } from '../../src/kernels/wasm.ts';
import type { Ontology } from '../../src/core/model.ts';
import { makeProject } from './formats-b-project.ts';

const A = '668c6d1a-0217-4097-b930-8dfc03db62b4';
const B = '0d029202-d58b-4dad-a6ba-b80821da6b0a';
const object = (id: string, name: string, shape: string) => ({
  id,
  name,
  color: '#000',
  shape,
  featureNodeHash: `fh-${id}`,
  attributes: [],
});
// As EA's COCO project import numbers them: category 1 "cat" with a box (10) and a polygon (11), category 2 "dog".
const cocoMade: Ontology = {
  objects: [
    object('10', 'cat-bounding_box', 'bounding_box'),
    object('11', 'cat-polygon', 'polygon'),
    object('20', 'dog', 'bounding_box'),
  ],
  classifications: [],
};
const plain: Ontology = {
  objects: [object('1', 'Cat', 'bounding_box'), object('2', 'Dog', 'polygon')],
  classifications: [],
};
const units = [
  { dataHash: A, width: 100, height: 50, title: 'a.jpg' },
  { dataHash: B, width: 200, height: 100, title: 'b.jpg' },
];

let kernels: Kernels;
beforeAll(async () => {
  kernels = await loadKernels();
});

function read(ontology: Ontology, files: Record<string, unknown>, options: CocoResultsOptions = {}) {
  const tree = new MemoryTree('r', Object.fromEntries(Object.entries(files).map(([k, v]) => [k, JSON.stringify(v)])));
  return cocoResultsReader.read(kernels, makeProject(ontology, units), tree, options);
}
const det = (image_id: unknown, category_id: number, extra: object = {}) => ({
  image_id,
  category_id,
  score: 0.5,
  bbox: [10, 5, 20, 10],
  ...extra,
});

describe('image ids', () => {
  it("use the project's image_data_unit.json, keyed by image id or data title", async () => {
    const { predictions } = await read(
      plain,
      { 'r.json': [det(7, 1), det('b.jpg', 1)] },
      {
        imageDataUnits: { '7': { data_hash: B }, 'b.jpg': { data_hash: A } },
      },
    );
    expect(predictions.map((p) => p.dataHash)).toEqual([B, A]);
  });

  it('use an explicit image map (hash or title), where a miss is a rejection', async () => {
    const { predictions, report } = await read(
      plain,
      { 'r.json': [det(1, 1), det(2, 1), det(3, 1)] },
      {
        imageMap: { '1': A.toUpperCase(), '2': 'b.jpg' },
      },
    );
    expect(predictions.map((p) => p.dataHash)).toEqual([A, B]);
    expect(report.rejected).toEqual([
      expect.objectContaining({ record: 2, code: 'unknown_image', reason: 'image_id 3 is not in the image map' }),
    ]);
  });

  it('fall back to string ids that are data hashes or titles, and say which ids matched nothing', async () => {
    const { predictions, report } = await read(plain, { 'r.json': [det(A, 1), det('a', 1), det(99, 1)] });
    expect(predictions.map((p) => p.dataHash)).toEqual([A, A]);
    expect(report.rejected.map((r) => [r.record, r.code])).toEqual([[2, 'unknown_image']]);
  });
});

describe('category ids', () => {
  it('follow the ontology ids of projects EA made from COCO (category*10 + shape), by shape', async () => {
    const poly = { segmentation: [[10, 10, 30, 10, 30, 20]] };
    const { predictions, report } = await read(cocoMade, { 'r.json': [det(A, 1), det(A, 1, poly), det(A, 2)] });
    expect(predictions.map((p) => [p.featureHash, p.shape.kind])).toEqual([
      ['fh-10', 'box'],
      ['fh-11', 'polygon'],
      ['fh-20', 'box'],
    ]);
    expect(report.warnings.join('\n')).toContain('category_id*10 + shape index');
  });

  it('follow plain ontology ids, then category names from a dataset file', async () => {
    const { predictions, report } = await read(plain, {
      'r.json': [det(A, 2), det(A, 5), det(A, 6)],
      'instances.json': { images: [], categories: [{ id: 5, name: 'cat' }] },
    });
    expect(predictions.map((p) => p.featureHash)).toEqual(['fh-2', 'fh-1']);
    expect(report.rejected).toEqual([expect.objectContaining({ record: 2, code: 'unknown_class' })]);
  });

  it('follow a class map when given', async () => {
    const { predictions } = await read(plain, { 'r.json': [det(A, 1)] }, { classMap: { '1': 'fh-2' } });
    expect(predictions[0].featureHash).toBe('fh-2');
  });
});

describe('geometry', () => {
  it('keeps RLE as it is and refuses one whose size is not the data unit size, naming both', async () => {
    const rle = { size: [50, 100], counts: 'PPYo1' };
    const { predictions, report } = await read(plain, {
      'r.json': [det(A, 1, { segmentation: rle }), det(B, 1, { segmentation: rle })],
    });
    expect(predictions[0].shape).toEqual({ kind: 'mask', mask: rle });
    expect(predictions[0].boxPx).toEqual({ x: 10, y: 5, w: 20, h: 10 });
    expect(report.rejected[0]).toMatchObject({ record: 1, code: 'size_mismatch' });
    expect(report.rejected[0].reason).toContain('[50,100]');
    expect(report.rejected[0].reason).toContain('[100, 200]');
  });

  it('reads a flat polygon list, falls back to the bbox for an empty segmentation, and refuses what it cannot read', async () => {
    const { predictions, report } = await read(plain, {
      'r.json': [
        det(A, 2, { segmentation: [0, 0, 50, 0, 50, 25] }),
        det(A, 1, { segmentation: [] }),
        det(A, 1, { segmentation: [[1, 2, 3, 4]] }),
        det(A, 1, { score: 'high' }),
        det(A, 1, { bbox: [1, 2, -3, 4] }),
        { image_id: A, category_id: 1, score: 0.2 },
      ],
    });
    expect(predictions.map((p) => p.shape)).toEqual([
      {
        kind: 'polygon',
        points: [
          [0, 0],
          [0.5, 0],
          [0.5, 0.5],
        ],
      },
      { kind: 'box', box: { x: 0.1, y: 0.1, w: 0.2, h: 0.2 } },
    ]);
    expect(report.rejected.map((r) => [r.record, r.code])).toEqual([
      [2, 'bad_segmentation'],
      [3, 'bad_score'],
      [4, 'bad_box'],
      [5, 'no_geometry'],
    ]);
    expect(report.warnings.join('\n')).toContain('1 detection(s) with an empty segmentation were read from their bbox');
  });
});
