// Mask import rules: default class map, unmapped and ignored values, size checks, confidence sidecars, holes,
// name patterns and the matching preview.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { masksReader, previewMaskMatches, sidecarPath } from '../../src/core/formats/masks.ts';
import { MemoryTree } from '../../src/core/file-tree.ts';
import { loadKernels } from '../../src/kernels/node.ts';
import type { Kernels } from '../../src/kernels/wasm.ts';
import type { ImportOptions } from '../../src/core/formats/options.ts';
import type { Ontology } from '../../src/core/model.ts';
import { fixture } from '../fixtures.ts';
import { makeProject } from './formats-b-project.ts';

const A = '3f1c2a9e-5b7d-4e8f-9a0b-1c2d3e4f5a6b';
const V = '7e57e57e-0000-4000-8000-000000000001';
const obj = (id: string, shape: string) => ({
  id,
  name: `o${id}`,
  color: '#000',
  shape,
  featureNodeHash: `fh${id}`,
  attributes: [],
});
// Polygon objects fh2, fh3, fh5, fh6 -> default pixel values 1, 2, 3, 4 (the box fh1 and fh4 are skipped).
const ontology: Ontology = {
  objects: [
    obj('1', 'bounding_box'),
    obj('2', 'polygon'),
    obj('3', 'polygon'),
    obj('4', 'bounding_box'),
    obj('5', 'polygon'),
    obj('6', 'polygon'),
  ],
  classifications: [],
};
const holes = readFileSync(fixture('masks/png/holes_nested_118x96_L.png')); // values 1..4, 118x96
const voc = readFileSync(fixture('masks/png/voc_void_frame_320x240_P.png')); // values 1,2,3,15,255, 320x240
const project = makeProject(ontology, [
  { dataHash: A, width: 118, height: 96, title: 'street.jpg' },
  { dataHash: V, width: 320, height: 240, title: 'drive.mp4', dataType: 'video' },
]);

let kernels: Kernels;
beforeAll(async () => {
  kernels = await loadKernels();
});
const read = (files: Record<string, Uint8Array | string>, options: ImportOptions = {}) =>
  masksReader.read(kernels, project, new MemoryTree('m', files), options);

describe('mask import', () => {
  it("numbers the ontology's polygon objects 1..N by default and says so", async () => {
    const { predictions, report } = await read({ 'street.png': holes });
    expect(predictions.map((p) => p.featureHash)).toEqual(['fh2', 'fh3', 'fh3', 'fh5', 'fh6']);
    expect(report.warnings[0]).toContain(
      'pixel value i = polygon object i, from 1, 0 = background (1 o2, 2 o3, 3 o5, 4 o6)',
    );
  });

  it('rejects a value without a class (file + value) and imports the rest; an ignore value yields nothing', async () => {
    const files = { [`${V}_3.png`]: voc };
    const classMap = { '1': 'fh2', '2': 'fh3', '3': 'fh5' };
    const { predictions, report } = await read(files, { classMap });
    expect(predictions.every((p) => p.frame === 3 && p.dataHash === V)).toBe(true);
    expect(report.rejected.map((r) => [r.file, r.record, r.code])).toEqual([
      [`${V}_3.png`, 'value 15', 'unknown_class'],
      [`${V}_3.png`, 'value 255', 'unknown_class'],
    ]);
    expect(report.rejected[1].reason).toContain('ignore value 255');
    const ignoring = await read(files, { classMap: { ...classMap, '15': 'fh6' }, ignoreValue: 255 });
    expect(ignoring.report.rejected).toEqual([]);
    expect(ignoring.predictions.length).toBe(
      predictions.length + ignoring.predictions.filter((p) => p.featureHash === 'fh6').length,
    );
  });

  it('refuses a mask whose size is not the data unit size, naming both sizes', async () => {
    const { predictions, report } = await read({ 'street.png': voc });
    expect(predictions).toEqual([]);
    expect(report.rejected).toEqual([
      expect.objectContaining({
        file: 'street.png',
        code: 'size_mismatch',
        reason: expect.stringContaining('320x240 but data unit'),
      }),
    ]);
    expect(report.rejected[0].reason).toContain('is 118x96');
  });

  it('refuses files it cannot match or decode', async () => {
    const { report } = await read({ 'other.png': holes, 'street.png': 'not a png' });
    expect(report.rejected.map((r) => [r.file, r.code])).toEqual([
      ['other.png', 'no_match'],
      ['street.png', 'bad_png'],
    ]);
  });

  it('takes confidences from a sidecar: per region, then per class, then per file', async () => {
    const sidecar = { confidence: 0.3, classes: { '2': 0.6 }, regions: { '1': [0.9] } };
    const { predictions, report } = await read({
      'masks/street.png': holes,
      'masks/street.json': JSON.stringify(sidecar),
    });
    expect(predictions.map((p) => [p.featureHash, p.confidence])).toEqual([
      ['fh2', 0.9],
      ['fh3', 0.6],
      ['fh3', 0.6],
      ['fh5', 0.3],
      ['fh6', 0.3],
    ]);
    expect(report.warnings.join('\n')).not.toContain('1.0');
  });

  it('rejects a value whose region list does not fit, and a sidecar with scores outside [0, 1]', async () => {
    const mismatch = await read({ 'street.png': holes, 'street.json': JSON.stringify({ regions: { '2': [0.5] } }) });
    expect(mismatch.report.rejected).toEqual([
      expect.objectContaining({ record: 'value 2', code: 'sidecar_mismatch' }),
    ]);
    expect(mismatch.predictions).toHaveLength(3);
    expect(mismatch.report.warnings.join('\n')).toContain(
      '3 region(s) had no confidence in a sidecar and were given 1.0',
    );
    const bad = await read({ 'street.png': holes, 'street.json': JSON.stringify({ confidence: 80 }) });
    expect(bad.report.rejected).toEqual([expect.objectContaining({ code: 'bad_sidecar' })]);
  });

  it('keeps holes as polygon holes when asked (islands in holes become their own regions)', async () => {
    const filled = await read({ 'street.png': holes });
    const kept = await read({ 'street.png': holes }, { keepHoles: true });
    const withHoles = kept.predictions.filter((p) => p.shape.kind === 'polygon' && (p.shape.holes?.length ?? 0) > 0);
    expect(withHoles.length).toBeGreaterThan(0);
    expect(filled.predictions.every((p) => p.shape.kind === 'polygon' && p.shape.holes === undefined)).toBe(true);
    expect(kept.predictions.length).toBeGreaterThan(filled.predictions.length);
    for (const p of withHoles) {
      if (p.shape.kind !== 'polygon') continue;
      const xs = p.shape.points.map((q) => q[0]);
      for (const hole of p.shape.holes!) for (const [x] of hole) expect(x).toBeGreaterThanOrEqual(Math.min(...xs));
    }
  });

  it('uses a name pattern and previews the matches', async () => {
    const paths = ['out/street__pred.png', 'out/street__pred.json', 'out/notes.txt', 'out/zzz__pred.png'];
    expect(previewMaskMatches(project, paths, { namePattern: '{title}__pred.png' })).toEqual([
      { path: 'out/street__pred.png', dataHash: A, title: 'street.jpg', frame: 0, rule: 'pattern' },
      { path: 'out/street__pred.json', code: 'sidecar', reason: expect.any(String) },
      { path: 'out/notes.txt', code: 'not_png', reason: expect.any(String) },
      { path: 'out/zzz__pred.png', code: 'unknown_title', reason: expect.any(String) },
    ]);
    const { predictions } = await read({ 'out/street__pred.png': holes }, { namePattern: '{title}__pred.png' });
    expect(predictions).toHaveLength(5);
    expect(sidecarPath('a/b.c.png')).toBe('a/b.c.json');
  });
});
