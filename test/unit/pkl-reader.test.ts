import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, REPO_ROOT } from '../fixtures.ts';
import { loadKernels } from '../../src/kernels/node.ts';
import { rleDecode, rleFromCoco } from '../../src/kernels/rle.ts';
import { readProject } from '../../src/core/project/read.ts';
import { NodeTree } from '../../src/files/node-fs.ts';
import { MemoryTree } from '../../src/core/file-tree.ts';
import { pklReader, PklFileError, readPklBytes } from '../../src/core/formats/pkl.ts';
import { formatProblem } from '../../src/core/formats/format.ts';
import type { CocoRle, Prediction, Project } from '../../src/core/model.ts';
import { makeProject, PKL_ONTOLOGY, PKL_UNITS } from './pkl-project.ts';
import { pickleBytes } from './pickle-helpers.ts';

const kernels = await loadKernels();
const eaMini = await readProject(new NodeTree(fixture('ea-mini')));
const pklProject = makeProject(PKL_ONTOLOGY, PKL_UNITS);
const local = (name: string) => readFileSync(resolve(REPO_ROOT, 'test/fixtures/pkl', name));
const json = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

/** A decoded mask as nested rows (row-major), from the COCO RLE the reader produced. */
function maskRows(mask: CocoRle): number[][] {
  const rle = rleFromCoco(mask);
  const columnMajor = rleDecode(kernels, rle);
  return Array.from({ length: rle.h }, (_, y) => Array.from({ length: rle.w }, (_, x) => columnMajor[x * rle.h + y]));
}

interface Intended {
  data_hash: string;
  frame: number | null;
  confidence: number;
  object: null | { format: string; feature_hash: string; track_id: string | null; data: Record<string, unknown> };
  classification: null | { feature_hash: string; attribute_hash: string; option_hash: string };
}

describe('the shared benign pickles', () => {
  for (const name of ['predictions_py310_p4', 'predictions_py311_p4', 'predictions_py311_p2']) {
    it(`${name}.pkl: all 12 records become predictions, faithfully`, () => {
      const intended = json(fixture('pkl', `${name}.intended.json`)).predictions as Intended[];
      const result = readPklBytes(kernels, pklProject, readFileSync(fixture('pkl', `${name}.pkl`)), `${name}.pkl`);
      expect(result.report.rejected).toEqual([]);
      expect(result.report.imported).toBe(12);
      expect(result.predictions).toHaveLength(12);
      result.predictions.forEach((p, i) => {
        const want = intended[i];
        expect(p.dataHash).toBe(want.data_hash);
        // frame is honoured; None means the unit's own frame (0 here)
        expect(p.frame).toBe(want.frame ?? 0);
        expect(p.confidence).toBe(want.confidence);
        if (want.classification) {
          expect(p.featureHash).toBe(want.classification.feature_hash);
          expect(p.shape).toEqual({
            kind: 'classification',
            attributeHash: want.classification.attribute_hash,
            optionHash: want.classification.option_hash,
          });
          return;
        }
        const o = want.object!;
        expect(p.featureHash).toBe(o.feature_hash);
        expect(p.trackId).toBe(o.track_id ?? undefined);
        const d = o.data as {
          __ndarray__?: boolean;
          shape?: number[];
          values?: number[][];
          x?: number;
          y?: number;
          w?: number;
          h?: number;
          theta?: number;
        };
        if (!d.__ndarray__) {
          const box = { x: d.x, y: d.y, w: d.w, h: d.h, ...(d.theta ? { theta: d.theta } : {}) };
          expect(p.shape).toEqual({ kind: 'box', box });
        } else if (d.shape![1] === 2) {
          expect(p.shape).toEqual({ kind: 'polygon', points: d.values });
        } else {
          // masks, including the 0/1 mask given with Format POLYGON and the Fortran-order one
          expect(p.shape.kind).toBe('mask');
          const mask = (p.shape as { mask: CocoRle }).mask;
          expect(mask.size).toEqual(d.shape);
          expect(typeof mask.counts).toBe('string');
          expect(maskRows(mask)).toEqual(d.values);
        }
      });
      expect(result.report.warnings.join('\n')).toContain('4 prediction(s) have a non-zero frame');
    });
  }
});

describe('ea-mini/predictions.pkl', () => {
  it('reads 6 predictions matching the EA reference (classes, confidences, geometry)', async () => {
    const tree = new NodeTree(fixture('ea-mini'));
    const reference = json(fixture('ea-mini', 'reference.json')).predictions as {
      class_name: string;
      confidence: number;
    }[];
    const only = new MemoryTree('ea-mini', { 'predictions.pkl': await tree.readBytes('predictions.pkl') });
    expect(await pklReader.detect(only)).toBe(true);
    const result = await pklReader.read(kernels, eaMini, only, {});
    expect(result.report.rejected).toEqual([]);
    expect(result.predictions).toHaveLength(6);
    const hashOf = (name: string) => eaMini.ontology.objects.find((o) => o.name === name)!.featureNodeHash;
    expect(result.predictions.map((p) => [p.featureHash, p.confidence])).toEqual(
      reference.map((r) => [hashOf(r.class_name), r.confidence]),
    );
    expect(result.predictions[1].shape).toEqual({ kind: 'box', box: { x: 0.11, y: 0.1, w: 0.3, h: 0.3 } });
    const points = (result.predictions[0].shape as { points: number[][] }).points;
    expect(Math.min(...points.map((p) => p[0]))).toBe(0.5);
    expect(Math.max(...points.map((p) => p[0]))).toBe(0.88);
    // pidx 5: a mask covering rows 8-31, columns 50-89
    const rows = maskRows((result.predictions[5].shape as { mask: CocoRle }).mask);
    expect(rows.length).toBe(80);
    const on = rows.flatMap((r, y) => r.flatMap((v, x) => (v ? [[y, x]] : [])));
    expect(on.length).toBe(24 * 40);
    expect([Math.min(...on.map((p) => p[0])), Math.max(...on.map((p) => p[0]))]).toEqual([8, 31]);
    expect([Math.min(...on.map((p) => p[1])), Math.max(...on.map((p) => p[1]))]).toEqual([50, 89]);
    expect(
      result.predictions.every((p) => p.frame === 0 && p.dataHash === '668c6d1a-0217-4097-b930-8dfc03db62b4'),
    ).toBe(true);
  });
});

describe('generated pickles (every protocol and numpy layout) read the same', () => {
  const files = json(resolve(REPO_ROOT, 'test/fixtures/pkl/ea_mini.expected.json')).files as string[];
  const read = (name: string) => readPklBytes(kernels, eaMini, local(`${name}.pkl`), `${name}.pkl`);
  const first = read(files[0]);

  it('the first file gives 6 predictions with the expected shapes', () => {
    expect(first.report.rejected).toEqual([]);
    expect(first.predictions.map((p) => p.shape.kind)).toEqual([
      'box',
      'polygon',
      'mask',
      'mask',
      'polygon',
      'polygon',
    ]);
    // int64 pixel polygon [[50,8],[90,8],[90,32],[50,32]] on 100 x 80 -> normalised
    expect(first.predictions[5].shape).toEqual({
      kind: 'polygon',
      points: [
        [0.5, 0.1],
        [0.9, 0.1],
        [0.9, 0.4],
        [0.5, 0.4],
      ],
    });
    // float32 polygon keeps float32 values
    expect((first.predictions[4].shape as { points: number[][] }).points[0]).toEqual([
      Math.fround(0.5),
      Math.fround(0.1),
    ]);
    expect(first.predictions[4].trackId).toBe(5);
    expect(first.predictions[1].trackId).toBe('t1');
    // the C-order and the Fortran-order copy of the same mask encode identically
    expect(first.predictions[2].shape).toEqual(first.predictions[3].shape);
    const rows = maskRows((first.predictions[2].shape as { mask: CocoRle }).mask);
    expect([rows[8][50], rows[15][60], rows[31][89], rows[32][89]]).toEqual([1, 0, 1, 0]);
  });

  for (const name of files.slice(1)) {
    it(`${name}.pkl reads exactly like ${files[0]}.pkl`, () => {
      expect(read(name)).toEqual({
        ...first,
        report: { ...first.report, warnings: first.report.warnings.map((w) => w.replace(files[0], name)) },
        origins: first.origins.map((o) => ({ ...o, file: o.file.replace(files[0], name) })),
      });
    });
  }
});

describe('validation: every rejection names the file, the record and the reason', () => {
  const result = readPklBytes(kernels, eaMini, local('variety_p4.pkl'), 'predictions.pkl');
  const byRecord = new Map(result.report.rejected.map((p) => [p.record, p]));

  it('keeps exactly the valid records', () => {
    expect(result.predictions.map((p) => p.confidence)).toEqual([0.9, 0.44, 0.43, 0.36, 97.85]);
    expect(result.report.imported).toBe(5);
    expect(result.report.rejected).toHaveLength(15);
  });

  it.each([
    [1, 'out_of_bounds', 'predictions.pkl, record 1 (0-based): bounding box x+w = 1.2 > 1'],
    [
      2,
      'unknown_data_hash',
      'predictions.pkl, record 2 (0-based): data hash 00000000-0000-0000-0000-000000000000 is not a data unit of the project',
    ],
    [3, 'unknown_class', 'predictions.pkl, record 3 (0-based): class nope1234 is not an object of the ontology'],
    [
      4,
      'shape_mismatch',
      'predictions.pkl, record 4 (0-based): a box was given for class d9qhuTio, which is a polygon',
    ],
    [5, 'bad_confidence', 'predictions.pkl, record 5 (0-based): confidence NaN is not a finite number'],
    [6, 'out_of_bounds', 'predictions.pkl, record 6 (0-based): polygon point 1 (1.2, 0.1) is outside [0, 1]'],
    [7, 'bad_mask', 'predictions.pkl, record 7 (0-based): mask values must be 0 and 1; found 255'],
    [8, 'bad_mask', 'predictions.pkl, record 8 (0-based): mask is 10x10 (h x w) but the image is 80x100'],
    [9, 'bad_mask', 'predictions.pkl, record 9 (0-based): mask is 80x2 (h x w) but the image is 80x100'],
    [
      12,
      'frame_out_of_range',
      'predictions.pkl, record 12 (0-based): frame 3 is not a frame of image street_a.png (an image has only frame 0)',
    ],
    [13, 'bad_record', 'predictions.pkl, record 13 (0-based): has neither an object nor a classification'],
    [
      14,
      'bad_record',
      'predictions.pkl, record 14 (0-based): has both an object and a classification; exactly one is allowed',
    ],
    [15, 'unknown_class', 'predictions.pkl, record 15 (0-based): classification cls00001 is not in the ontology'],
    [16, 'shape_mismatch', 'predictions.pkl, record 16 (0-based): format is bounding-box but data is an array'],
    [
      17,
      'bad_record',
      'predictions.pkl, record 17 (0-based): data is a 3-D array (2 x 80 x 100); expected [N, 2] points or an [H, W] mask',
    ],
  ])('record %i: %s', (record, code, message) => {
    const problem = byRecord.get(record)!;
    expect(problem.code).toBe(code);
    expect(formatProblem(problem)).toBe(message);
  });

  it('coerces numeric strings as pydantic does and reads int pixel polygons', () => {
    const p = result.predictions[3];
    expect(p.shape).toEqual({
      kind: 'polygon',
      points: [
        [0.1, 0.1],
        [0.3, 0.1],
        [0.3, 0.5],
      ],
    });
  });

  it('keeps confidences above 1 and says so', () => {
    expect(result.report.warnings.join('\n')).toContain('1 confidence(s) are above 1');
  });
});

describe('the 2-pixel-wide ambiguity (spec 3.2)', () => {
  const narrow: Project = makeProject(eaMini.ontology, [
    { dataHash: '2b2b2b2b-0000-4000-8000-000000000002', width: 2, height: 80 },
  ]);
  const result = readPklBytes(kernels, narrow, local('narrow_p4.pkl'), 'narrow.pkl');

  it('an [H, 2] 0/1 integer array on a 2-pixel-wide image is a mask; other [N, 2] arrays are points', () => {
    expect(result.report.rejected).toEqual([]);
    expect(result.predictions.map((p) => p.shape.kind)).toEqual(['mask', 'polygon', 'polygon', 'polygon']);
    const rows = maskRows((result.predictions[0].shape as { mask: CocoRle }).mask);
    expect(rows.map((r) => r[0] + r[1]).join('')).toBe('0'.repeat(10) + '2'.repeat(20) + '0'.repeat(50));
    expect(result.predictions[2].shape).toEqual({
      kind: 'polygon',
      points: [
        [0, 0],
        [0.5, 0],
        [0.5, 1 / 80],
      ],
    });
    expect((result.predictions[3].shape as { points: unknown[] }).points).toHaveLength(80);
  });
});

describe('files that cannot be read', () => {
  it('a hostile pickle is refused, naming the global; nothing is imported', async () => {
    for (const [name, global] of [
      ['hostile_os_system', 'posix.system'],
      ['hostile_builtins_eval', 'builtins.eval'],
    ]) {
      const tree = new MemoryTree('t', { [`${name}.pkl`]: readFileSync(fixture('pkl', `${name}.pkl`)) });
      await expect(pklReader.read(kernels, pklProject, tree, {})).rejects.toThrowError(
        new RegExp(`^${name}\\.pkl: refused global ${global.replace('.', '\\.')} at byte \\d+`),
      );
    }
  });

  it('a pickle that is not a list says what it holds', () => {
    expect(() => readPklBytes(kernels, eaMini, pickleBytes(0x80, 4, '}', '.'), 'p.pkl')).toThrowError(
      new PklFileError('p.pkl', 'the pickle holds a dict, expected a list of Prediction objects'),
    );
  });

  it('a truncated pickle is a file error naming the file', () => {
    const bytes = readFileSync(fixture('ea-mini', 'predictions.pkl'));
    expect(() => readPklBytes(kernels, eaMini, bytes.subarray(0, 500), 'predictions.pkl')).toThrowError(
      /^predictions\.pkl: truncated pickle/,
    );
  });

  it('a Prediction with missing fields is rejected, not imported', () => {
    const mod = 'encord_active.lib.db.predictions';
    const bytes = pickleBytes(
      0x80,
      4,
      ']',
      '(',
      0x8c,
      mod.length,
      mod,
      0x8c,
      10,
      'Prediction',
      0x93,
      ')',
      0x81,
      '}',
      'b',
      'e',
      '.',
    );
    const result = readPklBytes(kernels, eaMini, bytes, 'p.pkl');
    expect(result.predictions).toEqual([]);
    expect(result.report.rejected).toEqual([
      { file: 'p.pkl', record: 0, code: 'bad_record', reason: 'data_hash is missing, expected a string' },
    ]);
  });

  it('a list of something else is rejected record by record', () => {
    const result = readPklBytes(kernels, eaMini, pickleBytes(0x80, 4, ']', '(', 'K', 1, 'N', 'e', '.'), 'p.pkl');
    expect(result.report.rejected.map(formatProblem)).toEqual([
      'p.pkl, record 0 (0-based): expected a Prediction, got a int',
      'p.pkl, record 1 (0-based): expected a Prediction, got a None',
    ]);
  });
});

// Keep the model type referenced so a change of Prediction's shape fails to compile here.
export type _Check = Prediction;
