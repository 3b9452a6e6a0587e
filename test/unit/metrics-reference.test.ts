// Quality metrics against values computed independently with OpenCV, shapely and pandas
// (scripts/fixtures/metrics_reference.py wrote test/fixtures/metrics/reference.json).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadKernels } from '../../src/kernels/node.ts';
import { imageStats } from '../../src/kernels/image.ts';
import { decodeImageRgba } from '../../src/core/image-decode.ts';
import { imageMetricValues } from '../../src/core/metrics/image.ts';
import { huMomentsOfMask } from '../../src/core/metrics/hu.ts';
import { huMomentsWithKernels } from '../../src/core/metrics/kernel-env.ts';
import { eaPixelVertices } from '../../src/kernels/raster.ts';
import { isSimpleRing, polygonIou, ringArea, unionArea } from '../../src/core/metrics/geometry.ts';
import { binByMetric } from '../../src/core/metrics/binning.ts';
import type { Points } from '../../src/core/model.ts';

const dir = new URL('../fixtures/metrics/', import.meta.url);
const reference = JSON.parse(readFileSync(new URL('reference.json', dir), 'utf8'));
const kernels = await loadKernels();

const closeTo = (actual: number, expected: number) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));

describe('image metrics equal OpenCV', () => {
  for (const [name, expected] of Object.entries<Record<string, number>>(reference.images)) {
    it(name, () => {
      const img = decodeImageRgba(new Uint8Array(readFileSync(new URL(name, dir))), name);
      const values = imageMetricValues(imageStats(kernels, img.rgba, img.width, img.height), img.width, img.height);
      for (const key of ['brightness', 'contrast', 'sharpness']) closeTo(values[key], expected[key]);
      // Pixel counts are integers: the colour shares must match exactly.
      for (const key of ['red_values', 'green_values', 'blue_values']) expect(values[key]).toBe(expected[key]);
      expect(values.blur).toBe(1 - values.sharpness);
      expect(values.aspect_ratio).toBe(img.width / img.height);
    });
  }
});

describe('polygon geometry equals shapely', () => {
  const polys: { points: Points; is_simple: boolean; area: number; hu: number[]; width: number; height: number }[] =
    reference.polygons;
  it('is_simple and area', () => {
    for (const p of polys) {
      expect(isSimpleRing(p.points)).toBe(p.is_simple);
      closeTo(ringArea(p.points), p.area);
    }
  });
  it('IoU of every pair and the union area', () => {
    for (const pair of reference.pairs) closeTo(polygonIou(polys[pair.a].points, polys[pair.b].points), pair.iou);
    for (const u of reference.unions) closeTo(unionArea(u.indices.map((i: number) => polys[i].points)), u.area);
  });
});

describe('Hu moments equal cv2.HuMoments(cv2.moments(fillPoly(..., 255)))', () => {
  const near = (actual: Float64Array, expected: number[]) =>
    actual.forEach((v, i) =>
      expect(Math.abs(v - expected[i])).toBeLessThanOrEqual(1e-9 * Math.abs(expected[i]) + 1e-300),
    );
  it('on a rectangle filled by hand (columns 20..100, rows 15..60: inclusive edges of truncated vertices)', () => {
    const p = reference.polygons[0];
    const mask = new Uint8Array(p.width * p.height);
    for (let y = 15; y <= 60; y++) for (let x = 20; x <= 100; x++) mask[y * p.width + x] = 1;
    near(huMomentsOfMask(mask, p.width, p.height), p.hu);
  });
  it('on every polygon, rasterised with the EA fillPoly kernel', () => {
    const huOf = huMomentsWithKernels(kernels);
    for (const p of reference.polygons)
      near(huOf(eaPixelVertices(p.points, p.width, p.height), p.width, p.height), p.hu);
  });
});

describe('equal-frequency bins equal pandas.qcut', () => {
  for (const c of reference.qcut) {
    it(`${c.name}, ${c.requested} bins`, () => {
      const binned = binByMetric(c.values, new Array(c.values.length).fill(0), c.requested);
      expect(Array.from(binned.binOf)).toEqual(c.codes);
      binned.bins.forEach((b, i) => closeTo(b.mid, c.mids[i]));
    });
  }
});
