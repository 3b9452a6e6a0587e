// Every mask fixture against OpenCV 4.6 (findContours(mask == v, RETR_EXTERNAL, CHAIN_APPROX_SIMPLE), contourArea,
// boundingRect) and Encord Active's import filter, exactly: same classes, contours, order, points, areas, boxes.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeClassMask } from '../../src/core/png.ts';
import { keptByEa, traceContours, type Contour } from '../../src/kernels/contours.ts';
import { loadKernels } from '../../src/kernels/node.ts';
import { fixture } from '../fixtures.ts';

interface RefContour {
  points: [number, number][];
  n_points: number;
  area: number;
  bounding_rect: [number, number, number, number];
  kept_by_ea: boolean;
}
interface RefClass {
  value: number;
  pixel_count: number;
  contours: RefContour[];
}
interface Reference {
  file: string;
  png: { width: number; height: number; bit_depth: number; color_type: number; interlace: number };
  classes: RefClass[];
}

const kernels = await loadKernels();
const references = readdirSync(fixture('masks/reference'))
  .filter((f) => f.endsWith('.json') && !f.startsWith('_'))
  .map((f) => JSON.parse(readFileSync(fixture('masks/reference', f), 'utf8')) as Reference);

const asReference = (c: Contour) => ({
  points: Array.from({ length: c.points.length / 2 }, (_, i) => [c.points[2 * i], c.points[2 * i + 1]]),
  area: c.area,
  bbox: c.bbox,
});
const fromReference = (c: RefContour) => ({ points: c.points, area: c.area, bbox: c.bounding_rect });

describe('contours of every fixture mask equal OpenCV findContours', () => {
  it('covers all 12 masks', () => {
    expect(references.length).toBe(12);
  });

  for (const ref of references) {
    describe(ref.file, () => {
      const mask = decodeClassMask(readFileSync(fixture('masks/png', ref.file)), ref.file);

      it('decodes to the PNG header facts and the per-class pixel counts', () => {
        expect([mask.width, mask.height, mask.bitDepth, mask.colorType, mask.interlaced]).toEqual([
          ref.png.width,
          ref.png.height,
          ref.png.bit_depth,
          ref.png.color_type,
          ref.png.interlace === 1,
        ]);
        const counts = new Map<number, number>();
        for (const v of mask.values) if (v !== 0) counts.set(v, (counts.get(v) ?? 0) + 1);
        expect([...counts].sort((a, b) => a[0] - b[0])).toEqual(ref.classes.map((c) => [c.value, c.pixel_count]));
      });

      it('traces every class: same contours, order, points, area and box', () => {
        const { classes } = traceContours(kernels, mask.values, mask.width, mask.height);
        expect([...classes.keys()]).toEqual(ref.classes.map((c) => c.value));
        for (const c of ref.classes) {
          expect(classes.get(c.value)!.map(asReference), `class ${c.value}`).toEqual(c.contours.map(fromReference));
        }
      });

      it('keeps exactly what Encord Active keeps with eaFilter', () => {
        const { classes } = traceContours(kernels, mask.values, mask.width, mask.height, { eaFilter: true });
        for (const c of ref.classes) {
          const kept = c.contours.filter((k) => k.kept_by_ea).map(fromReference);
          expect(classes.get(c.value)!.map(asReference), `class ${c.value}`).toEqual(kept);
          expect(classes.get(c.value)!.every(keptByEa)).toBe(true);
        }
      });
    });
  }
});
