// PNG class-index masks -> polygons, against OpenCV's contours for every fixture mask: the polygons of each
// value are OpenCV's contours that EA keeps, point for point, divided by the mask's width and height.
import { readFileSync, readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { masksReader, pixelToUnit } from '../../src/core/formats/masks.ts';
import { MemoryTree } from '../../src/core/file-tree.ts';
import { loadKernels } from '../../src/kernels/node.ts';
import type { Kernels } from '../../src/kernels/wasm.ts';
import type { Ontology } from '../../src/core/model.ts';
import { validatePredictions } from '../../src/core/formats/validate.ts';
import { fixture } from '../fixtures.ts';
import { makeProject } from './formats-b-project.ts';

interface Reference {
  file: string;
  png: { width: number; height: number };
  classes: { value: number; contours: { points: [number, number][]; kept_by_ea: boolean }[] }[];
}

const HASH = '3f1c2a9e-5b7d-4e8f-9a0b-1c2d3e4f5a6b';
const references = readdirSync(fixture('masks/reference'))
  .filter((f) => f.endsWith('.json') && !f.startsWith('_'))
  .map((f) => JSON.parse(readFileSync(fixture('masks/reference', f), 'utf8')) as Reference);

let kernels: Kernels;
beforeAll(async () => {
  kernels = await loadKernels();
});

describe('masks against OpenCV references', () => {
  it('covers all 12 fixture masks', () => expect(references).toHaveLength(12));

  it.each(references.map((r) => [r.file, r] as const))('%s', async (_name, ref) => {
    const { width: W, height: H } = ref.png;
    const ontology: Ontology = {
      objects: ref.classes.map((c) => ({
        id: String(c.value),
        name: `v${c.value}`,
        color: '#000',
        shape: 'polygon',
        featureNodeHash: `v${c.value}`,
        attributes: [],
      })),
      classifications: [],
    };
    const project = makeProject(ontology, [{ dataHash: HASH, width: W, height: H, title: ref.file }]);
    const tree = new MemoryTree('masks', { [`nested/dir/${ref.file}`]: readFileSync(fixture('masks/png', ref.file)) });
    const classMap = Object.fromEntries(ref.classes.map((c) => [String(c.value), `v${c.value}`]));
    const { predictions, report } = await masksReader.read(kernels, project, tree, { classMap });

    expect(report.rejected).toEqual([]);
    expect(validatePredictions(project, predictions, () => ({ file: ref.file })).rejected).toEqual([]);
    const expected = ref.classes.flatMap((c) =>
      c.contours.filter((k) => k.kept_by_ea).map((k) => ({ value: c.value, points: k.points })),
    );
    expect(predictions).toHaveLength(expected.length);
    expected.forEach((e, i) => {
      const p = predictions[i];
      expect(p.featureHash).toBe(`v${e.value}`);
      expect(p.dataHash).toBe(HASH);
      expect(p.confidence).toBe(1);
      if (p.shape.kind !== 'polygon') throw new Error('expected a polygon');
      expect(p.shape.points).toHaveLength(e.points.length);
      p.shape.points.forEach(([x, y], j) => {
        const [px, py] = e.points[j];
        // px / W up to the ulp nudge, and exactly px again when rasterised the way EA does (truncating x * W)
        expect(Math.abs(x - px / W)).toBeLessThanOrEqual(4 * Number.EPSILON);
        expect(Math.abs(y - py / H)).toBeLessThanOrEqual(4 * Number.EPSILON);
        expect([Math.trunc(x * W), Math.trunc(y * H)]).toEqual([px, py]);
      });
    });
    const dropped = ref.classes.reduce((n, c) => n + c.contours.filter((k) => !k.kept_by_ea).length, 0);
    if (dropped > 0)
      expect(report.warnings.join('\n')).toContain(`${dropped} region(s) with fewer than 3 contour points`);
    expect(report.warnings.join('\n')).toContain('every confidence is 1.0, so AP depends on the order');
  });
});

describe('pixel coordinates', () => {
  it('stores px / W, nudged so that truncating x * W gives px back for every px and W', () => {
    for (let W = 1; W <= 1500; W++) {
      for (let px = 0; px <= W; px++) {
        const x = pixelToUnit(px, W);
        if (Math.trunc(x * W) !== px || Math.abs(x - px / W) > 4 * Number.EPSILON)
          throw new Error(`px ${px}, W ${W}: ${x}`);
      }
    }
    expect(pixelToUnit(15, 22)).toBeGreaterThan(15 / 22); // (15 / 22) * 22 is 14.999999999999998
    expect(pixelToUnit(11, 22)).toBe(0.5);
  });
});
