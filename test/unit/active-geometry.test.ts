// Windowed region masks give exactly the pixel counts and IoUs of the full-image masks EA compares: checked against
// the raster kernel's full-image fill (eaPolygonRle) and the RLE IoU kernel on random polygons, some reaching
// outside the image, some with holes, and on random masks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RegionGeometry, regionIou } from '../../src/core/eval/active/geometry.ts';
import { eaPolygonRle } from '../../src/kernels/raster.ts';
import { rleArea, rleEncodeRowMajor, rleIouMatrix, rleToCoco } from '../../src/kernels/rle.ts';
import { loadKernels } from '../../src/kernels/node.ts';
import type { Points } from '../../src/core/model.ts';

const kernels = await loadKernels();
const geometry = new RegionGeometry(kernels);
const W = 97;
const H = 61;

const point = fc.tuple(
  fc.double({ min: -0.2, max: 1.2, noNaN: true }),
  fc.double({ min: -0.2, max: 1.2, noNaN: true }),
);
const polygon = fc.array(point, { minLength: 3, maxLength: 9 }) as fc.Arbitrary<Points>;

describe('windowed regions', () => {
  it('have the area and IoU of the full-image masks (random polygons, holes, outside the image)', () => {
    fc.assert(
      fc.property(polygon, polygon, fc.option(polygon, { nil: undefined }), (a, b, hole) => {
        const holes = hole ? [hole] : undefined;
        const ra = geometry.polygon(a, holes, W, H);
        const rb = geometry.polygon(b, undefined, W, H);
        const fa = eaPolygonRle(kernels, a, holes, W, H);
        const fb = eaPolygonRle(kernels, b, undefined, W, H);
        expect(ra.area).toBe(rleArea(fa));
        expect(rb.area).toBe(rleArea(fb));
        const full = rleIouMatrix(kernels, [fa], [fb], [0])[0];
        expect(regionIou(ra, rb)).toBe(full);
      }),
      { numRuns: 300, seed: 42 },
    );
  });

  it('read masks (COCO RLE) into the same windows', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: W * H, maxLength: W * H, max: 1 }),
        polygon,
        fc.integer({ min: 0, max: 3 }),
        (noise, poly, keepEvery) => {
          // A sparse mask: every pixel of the noise kept with probability ~1/(keepEvery+1)... or an empty one.
          const mask = noise.map((v, i) => (keepEvery === 3 ? 0 : v && i % (keepEvery + 1) === 0 ? 1 : 0));
          const rle = rleEncodeRowMajor(kernels, mask, H, W);
          const { region } = RegionGeometry.mask(rleToCoco(rle), W, H);
          expect(region.area).toBe(rleArea(rle));
          const other = eaPolygonRle(kernels, poly, undefined, W, H);
          const full = rleArea(rle) + rleArea(other) === 0 ? 0 : rleIouMatrix(kernels, [rle], [other], [0])[0];
          expect(regionIou(region, geometry.polygon(poly, undefined, W, H))).toBe(full);
        },
      ),
      { numRuns: 100, seed: 7 },
    );
  });

  it('refuses a mask whose size is not the image’s', () => {
    const rle = rleEncodeRowMajor(kernels, new Uint8Array(12).fill(1), 3, 4);
    expect(() => RegionGeometry.mask(rleToCoco(rle), 5, 3)).toThrow(/3x4 \(h x w\) but the image is 3x5/);
  });
});
