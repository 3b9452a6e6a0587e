import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixture } from '../fixtures.ts';
import { loadKernels } from '../../src/kernels/node.ts';
import { MemoryTree } from '../../src/core/file-tree.ts';
import { readPklBytes } from '../../src/core/formats/pkl.ts';
import {
  fromNativeRecord,
  nativeJsonReader,
  NativeFileError,
  readNativeText,
  toNativeJson,
  toNativeNdjson,
} from '../../src/core/formats/native.ts';
import { formatProblem } from '../../src/core/formats/format.ts';
import type { Prediction } from '../../src/core/model.ts';
import { makeProject, PKL_ONTOLOGY, PKL_UNITS } from './pkl-project.ts';

const kernels = await loadKernels();
const project = makeProject(PKL_ONTOLOGY, PKL_UNITS);
// 12 predictions of every kind: boxes (one with theta and track ids), polygons, masks, classifications, frames
const all: Prediction[] = readPklBytes(
  kernels,
  project,
  readFileSync(fixture('pkl', 'predictions_py311_p4.pkl')),
  'p.pkl',
).predictions;
const unit = PKL_UNITS[0].dataHash;

describe('native format round trip', () => {
  it('the fixture set covers every shape kind', () => {
    expect(new Set(all.map((p) => p.shape.kind))).toEqual(new Set(['box', 'polygon', 'mask', 'classification']));
  });

  it('JSON: written records read back identical', () => {
    const text = toNativeJson(all);
    expect(text.startsWith('{"predictions": [\n{"dataHash":')).toBe(true);
    const back = readNativeText(project, text, 'predictions.json');
    expect(back.report.rejected).toEqual([]);
    expect(back.predictions).toEqual(all);
  });

  it('NDJSON: one record per line, read back identical', () => {
    const text = toNativeNdjson(all);
    expect(text.split('\n')).toHaveLength(all.length + 1);
    expect(readNativeText(project, text, 'predictions.ndjson').predictions).toEqual(all);
  });

  it('a bare JSON array is accepted too, and polygons keep their holes', () => {
    const withHoles: Prediction = {
      dataHash: unit,
      frame: 0,
      confidence: 0.5,
      featureHash: 'GsKUXxUz',
      shape: {
        kind: 'polygon',
        points: [
          [0.1, 0.1],
          [0.9, 0.1],
          [0.9, 0.9],
          [0.1, 0.9],
        ],
        holes: [
          [
            [0.4, 0.4],
            [0.6, 0.4],
            [0.5, 0.6],
          ],
        ],
      },
      trackId: 7,
    };
    const text = JSON.stringify(JSON.parse(toNativeJson([withHoles])).predictions);
    expect(readNativeText(project, text, 'p.json').predictions).toEqual([withHoles]);
  });

  it('frame defaults to 0 and a data hash in another case is matched to the unit', () => {
    const line = JSON.stringify({
      dataHash: unit.toUpperCase(),
      confidence: 0.3,
      featureHash: '64OcrdpD',
      box: { x: 0, y: 0, w: 1, h: 1 },
    });
    expect(readNativeText(project, line, 'a.ndjson').predictions).toEqual([
      {
        dataHash: unit,
        frame: 0,
        confidence: 0.3,
        featureHash: '64OcrdpD',
        shape: { kind: 'box', box: { x: 0, y: 0, w: 1, h: 1 } },
      },
    ]);
  });

  it('uncompressed mask counts are accepted when they cover the image', () => {
    const ok = {
      dataHash: unit,
      confidence: 1,
      featureHash: 'XzsiWYa4',
      mask: { size: [12, 16], counts: [100, 20, 72] },
    };
    const short = { ...ok, mask: { size: [12, 16], counts: [100, 20] } };
    const result = readNativeText(project, [ok, short].map((r) => JSON.stringify(r)).join('\n'), 'm.ndjson');
    expect(result.predictions).toHaveLength(1);
    expect(result.report.rejected.map(formatProblem)).toEqual([
      'm.ndjson, line 2: mask runs cover 120 pixels, the mask has 192',
    ]);
  });
});

describe('native format errors', () => {
  const good = {
    dataHash: unit,
    frame: 0,
    confidence: 0.9,
    featureHash: '64OcrdpD',
    box: { x: 0.1, y: 0.1, w: 0.2, h: 0.2 },
  };

  it('NDJSON problems name the line', () => {
    const lines = [
      JSON.stringify(good),
      '',
      '{"dataHash": oops}',
      JSON.stringify({ ...good, featureHash: 'nope' }),
      JSON.stringify({ ...good, box: { x: 0.9, y: 0.1, w: 0.2, h: 0.2 } }),
      JSON.stringify({
        ...good,
        polygon: [
          [0, 0],
          [1, 0],
          [1, 1],
        ],
      }),
      JSON.stringify({ ...good, box: undefined }),
      JSON.stringify({ ...good, confidence: 'high' }),
      JSON.stringify({ ...good, frame: 2 }),
    ];
    const result = readNativeText(project, lines.join('\n'), 'preds.ndjson');
    expect(result.predictions).toHaveLength(1);
    expect(result.report.rejected.map(formatProblem)).toEqual([
      expect.stringMatching(/^preds\.ndjson, line 3: not valid JSON: /),
      'preds.ndjson, line 4: class nope is not an object of the ontology',
      'preds.ndjson, line 5: bounding box x+w = 1.1 > 1',
      'preds.ndjson, line 6: a record has exactly one of "box", "polygon", "mask", "classification", not box and polygon',
      'preds.ndjson, line 7: a record needs one of "box", "polygon", "mask", "classification"',
      'preds.ndjson, line 8: "confidence" must be a number',
      `preds.ndjson, line 9: frame 2 is not a frame of image unit0.png (an image has only frame 0)`,
    ]);
    expect(result.report.rejected[0].code).toBe('bad_json');
  });

  it('a JSON file that does not parse is a file error with the parser message', () => {
    expect(() => readNativeText(project, '{"predictions": [', 'p.json')).toThrowError(NativeFileError);
    expect(() => readNativeText(project, '{"predictions": [', 'p.json')).toThrowError(/^p\.json: not valid JSON/);
  });

  it('a JSON file of the wrong shape says what is expected', () => {
    expect(() => readNativeText(project, '{"preds": []}', 'p.json')).toThrowError(
      'p.json: expected {"predictions": [...]} or a JSON array of prediction records',
    );
  });

  it('unknown keys are ignored with one warning', () => {
    const result = readNativeText(
      project,
      JSON.stringify([
        { ...good, colour: 'red' },
        { ...good, note: 1 },
      ]),
      'p.json',
    );
    expect(result.predictions).toHaveLength(2);
    expect(result.report.warnings).toEqual(['p.json: ignored unknown key(s) colour, note']);
  });

  it('holes without a polygon are refused', () => {
    expect(fromNativeRecord({ ...good, holes: [] })).toEqual({
      code: 'bad_record',
      reason: '"holes" belong to a "polygon"',
    });
  });

  it('the reader finds native files in a folder and detects them', async () => {
    const tree = new MemoryTree('run', {
      'a.json': toNativeJson(all.slice(0, 5)),
      'b.ndjson': toNativeNdjson(all.slice(5)),
      'readme.txt': 'not read',
    });
    expect(await nativeJsonReader.detect(tree)).toBe(true);
    const result = await nativeJsonReader.read(kernels, project, tree, {});
    expect(result.predictions).toEqual(all);
    expect(result.report.imported).toBe(12);
    expect(
      await nativeJsonReader.detect(new MemoryTree('coco', { 'r.json': '[{"image_id": 1, "category_id": 2}]' })),
    ).toBe(false);
  });
});
