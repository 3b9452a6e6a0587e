// Reading back the predictions/ folder EA v0.1.40 wrote for ea-mini: 6 predictions, right classes, confidences,
// frames, boxes normalised, RLE masks converted from EA's row-major runs to COCO column-major runs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eaPredictionsReader, eaRowMajorToCoco, parseCsv, parseEaRle } from '../../src/core/formats/ea-predictions.ts';
import { MemoryTree } from '../../src/core/file-tree.ts';
import { NodeTree } from '../../src/files/node-fs.ts';
import type { Kernels } from '../../src/kernels/wasm.ts';
import { fixture } from '../fixtures.ts';
import { makeProject, readOntology } from './formats-b-project.ts';

const noKernels = undefined as unknown as Kernels;
const A = '668c6d1a-0217-4097-b930-8dfc03db62b4';
const B = '0d029202-d58b-4dad-a6ba-b80821da6b0a';
const CAR = 'XO9aOmE8';
const CAT = 'd9qhuTio';
const project = makeProject(readOntology(fixture('ea-mini/ontology.json')), [
  { dataHash: A, width: 100, height: 80, title: 'street_a.png' },
  { dataHash: B, width: 100, height: 80, title: 'street_b.png' },
]);
const reference = JSON.parse(readFileSync(fixture('ea-mini/reference.json'), 'utf8')) as {
  predictions: { pidx: number; class_name: string; confidence: number; x1y1x2y2: number[] }[];
};

/** Test-side decoders, written independently of the reader: pixel sets as "x,y" strings. */
function rowMajorPixels(h: number, w: number, counts: number[]): Set<string> {
  const out = new Set<string>();
  let at = 0;
  counts.forEach((run, k) => {
    if (k % 2 === 1) for (let p = at; p < at + run; p++) out.add(`${p % w},${Math.floor(p / w)}`);
    at += run;
  });
  return out;
}
function columnMajorPixels(h: number, counts: number[]): Set<string> {
  const out = new Set<string>();
  let at = 0;
  counts.forEach((run, k) => {
    if (k % 2 === 1) for (let p = at; p < at + run; p++) out.add(`${Math.floor(p / h)},${p % h}`);
    at += run;
  });
  return out;
}

describe('EA predictions/ folder (ea-mini)', () => {
  it('gives the 6 predictions with their classes, confidences and frames', async () => {
    const { predictions, report } = await eaPredictionsReader.read(
      noKernels,
      project,
      new NodeTree(fixture('ea-mini')),
      {},
    );
    expect(predictions).toHaveLength(6);
    expect(report.imported).toBe(6);
    expect(report.rejected).toEqual([]);
    const hashOf = { Car: CAR, Cat: CAT } as Record<string, string>;
    predictions.forEach((p, i) => {
      expect(p.dataHash).toBe(A);
      expect(p.frame).toBe(0);
      expect(p.featureHash).toBe(hashOf[reference.predictions[i].class_name]);
      expect(p.confidence).toBe(reference.predictions[i].confidence);
    });
    expect(predictions.map((p) => p.shape.kind)).toEqual(['mask', 'box', 'box', 'box', 'box', 'mask']);
    expect(predictions[1].shape).toEqual({ kind: 'box', box: { x: 0.11, y: 0.1, w: 0.3, h: 0.3 } });
    expect(predictions[4].shape).toEqual({ kind: 'box', box: { x: 0, y: 0.7, w: 0.05, h: 0.05 } });
    // pidx 0's x1..y2 are EA's doubled point-polygon values; the reader says it used the RLE.
    expect(report.warnings.join('\n')).toMatch(/1 mask row\(s\) have x1\.\.y2 that disagree/);
    expect(report.warnings.join('\n')).toContain('labels.csv');
  });

  it('keeps every mask pixel when turning row-major runs into COCO column-major runs', async () => {
    const { predictions } = await eaPredictionsReader.read(noKernels, project, new NodeTree(fixture('ea-mini')), {});
    const rows = parseCsv(readFileSync(fixture('ea-mini/predictions/predictions.csv'), 'utf8'));
    const rleCol = rows[0].fields.indexOf('rle');
    for (const pidx of [0, 5]) {
      const ea = parseEaRle(rows[pidx + 1].fields[rleCol]);
      const shape = predictions[pidx].shape;
      if (shape.kind !== 'mask') throw new Error('expected a mask');
      expect(shape.mask.size).toEqual([80, 100]);
      const counts = shape.mask.counts as number[];
      expect(counts.reduce((a, b) => a + b, 0)).toBe(8000);
      expect(columnMajorPixels(80, counts)).toEqual(rowMajorPixels(80, 100, ea.counts));
    }
    // pidx 5: rows 8-31, columns 50-89 (spec: "Cat mask rows 8–31, cols 50–89")
    const mask5 = predictions[5].shape;
    expect(mask5.kind === 'mask' && mask5.mask.counts.slice(0, 2)).toEqual([50 * 80 + 8, 24]);
  });
});

describe('EA RLE and CSV parsing', () => {
  it('converts masks touching the first and last pixel, and empty masks', () => {
    // 2x3 image, row-major: 1 1 0 / 0 1 1
    const { rle, bbox } = eaRowMajorToCoco(2, 3, [0, 2, 2, 2]);
    expect(rle.counts).toEqual([0, 1, 1, 2, 1, 1]); // columns top to bottom: 1 0 | 1 1 | 0 1
    expect(bbox).toEqual([0, 0, 3, 2]);
    expect(eaRowMajorToCoco(2, 3, [2, 1, 3]).rle.counts).toEqual([4, 1, 1]); // only (2,0): column 2, row 0
    expect(eaRowMajorToCoco(2, 3, [6])).toEqual({ rle: { size: [2, 3], counts: [6] } });
  });

  it('refuses RLE whose runs do not cover the image', () => {
    expect(() => parseEaRle("{'size': [2, 3], 'counts': [1, 2]}")).toThrow(/add up to 3, not H\*W = 6/);
    expect(parseEaRle('{"size": [1, 2], "counts": [np.int64(1), np.int64(1)]}').counts).toEqual([1, 1]);
  });

  it('rejects rows for unknown data units, classes and sizes, naming the line', async () => {
    const header = ',identifier,url,img_id,class_id,x1,y1,x2,y2,rle,theta,confidence,iou';
    const csv = [
      header,
      `0,lh_00000000-0000-0000-0000-000000000000_00000_abc,,1,0,1,1,2,2,,,0.9,0`,
      `1,lh_${A}_00000_abc,,1,7,1,1,2,2,,,0.9,0`,
      `2,lh_${A}_00000_abc,,1,1,0,0,1,1,"{'size': [2, 2], 'counts': [0, 4]}",,0.8,0`,
      `3,lh_${B}_00000_abc,,1,0,10,20,30,40,,,0.7,0`,
    ].join('\n');
    const tree = new MemoryTree('p', {
      'predictions.csv': csv,
      'class_idx.json': JSON.stringify({ 0: { featureHash: CAR, name: 'Car' }, 1: { featureHash: CAT, name: 'Cat' } }),
    });
    const { predictions, report } = await eaPredictionsReader.read(noKernels, project, tree, {});
    expect(predictions).toEqual([
      {
        dataHash: B,
        frame: 0,
        confidence: 0.7,
        featureHash: CAR,
        shape: { kind: 'box', box: { x: 0.1, y: 0.25, w: 0.2, h: 0.25 } },
      },
    ]);
    expect(report.rejected.map((r) => [r.record, r.code])).toEqual([
      [2, 'unknown_data_hash'],
      [3, 'unknown_class'],
      [4, 'size_mismatch'],
    ]);
    expect(report.rejected[2].reason).toContain('2x2 but data unit');
  });

  it('reads radio-classification rows through class_idx entries with an optionHash', async () => {
    const ontology = readOntology(fixture('ea-mini/ontology.json'));
    ontology.classifications.push({ id: '3', featureNodeHash: 'clsHash1', attributes: [] });
    const withClassification = makeProject(ontology, [{ dataHash: A, width: 100, height: 80 }]);
    const tree = new MemoryTree('p', {
      'predictions/predictions.csv': `,identifier,url,img_id,class_id,x1,y1,x2,y2,rle,theta,confidence,iou\n0,lh_${A}_00000_clsHash1,,1,2,,,,,,,0.66,1.0\n`,
      'predictions/class_idx.json': JSON.stringify({
        2: { featureHash: 'clsHash1', attributeHash: 'attrHash', optionHash: 'optYes', name: 'Yes' },
      }),
    });
    expect(await eaPredictionsReader.detect(tree)).toBe(true);
    const { predictions } = await eaPredictionsReader.read(noKernels, withClassification, tree, {});
    expect(predictions).toEqual([
      {
        dataHash: A,
        frame: 0,
        confidence: 0.66,
        featureHash: 'clsHash1',
        shape: { kind: 'classification', attributeHash: 'attrHash', optionHash: 'optYes' },
      },
    ]);
  });
});
