// Properties of the COCO mask kernels, checked against brute-force pixel loops written here.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadKernels } from '../../src/kernels/node.ts';
import {
  rleArea,
  rleDecode,
  rleDecodeRowMajor,
  rleEncode,
  rleEncodeRowMajor,
  rleFromPolygon,
  rleFromString,
  rleIouMatrix,
  rleMerge,
  rleToBbox,
  rleToString,
  type Rle,
} from '../../src/kernels/rle.ts';
import { annToRle } from '../../src/kernels/rle-objects.ts';

const k = await loadKernels();

const maskArb = fc
  .record({ h: fc.integer({ min: 1, max: 14 }), w: fc.integer({ min: 1, max: 14 }) })
  .chain(({ h, w }) =>
    fc.record({
      h: fc.constant(h),
      w: fc.constant(w),
      // mostly 0/1 with some other non-zero values: all non-zero bytes are foreground
      bytes: fc
        .uint8Array({ minLength: h * w, maxLength: h * w })
        .map((b) => b.map((v) => (v < 140 ? 0 : v < 250 ? 1 : v))),
    }),
  );

const samePairArb = fc
  .record({ h: fc.integer({ min: 1, max: 12 }), w: fc.integer({ min: 1, max: 12 }) })
  .chain(({ h, w }) => {
    const m = fc.uint8Array({ minLength: h * w, maxLength: h * w }).map((b) => b.map((v) => v & 1));
    return fc.record({ h: fc.constant(h), w: fc.constant(w), a: m, b: m, crowd: fc.boolean() });
  });

/** The pixels of a column-major mask, brute force. */
function pixelIou(a: Uint8Array, b: Uint8Array, crowd: boolean): number {
  let i = 0;
  let u = 0;
  let areaA = 0;
  for (let p = 0; p < a.length; p++) {
    if (a[p] && b[p]) i++;
    if (a[p] || b[p]) u++;
    if (a[p]) areaA++;
  }
  if (i === 0) return 0;
  return i / (crowd ? areaA : u);
}

describe('encode / decode', () => {
  it('round-trips any mask; non-zero bytes become 1', () => {
    fc.assert(
      fc.property(maskArb, ({ h, w, bytes }) => {
        const rle = rleEncode(k, bytes, h, w);
        let sum = 0;
        for (const c of rle.counts) sum += c;
        expect(sum).toBe(h * w);
        expect(rleDecode(k, rle)).toEqual(bytes.map((v) => (v ? 1 : 0)));
        expect(rleArea(rle)).toBe(bytes.filter((v) => v).length);
      }),
    );
  });

  it('row-major input encodes the same runs as its column-major transpose', () => {
    fc.assert(
      fc.property(maskArb, ({ h, w, bytes }) => {
        const rowMajor = new Uint8Array(h * w);
        for (let x = 0; x < w; x++) for (let y = 0; y < h; y++) rowMajor[y * w + x] = bytes[x * h + y];
        const rle = rleEncodeRowMajor(k, rowMajor, h, w);
        expect(rle.counts).toEqual(rleEncode(k, bytes, h, w).counts);
        expect(rleDecodeRowMajor(k, rle)).toEqual(rowMajor.map((v) => (v ? 1 : 0)));
      }),
    );
  });

  it('encodes large masks with long runs (the 16-pixel fast path) like a plain loop', () => {
    const h = 480;
    const w = 640;
    const mask = new Uint8Array(h * w);
    for (let p = 1000; p < 150_000; p++) mask[p] = 1;
    for (let p = 150_017; p < 150_019; p++) mask[p] = 7;
    mask[h * w - 1] = 1;
    const expected: number[] = [];
    let run = 0;
    let fg = 0;
    for (const v of mask) {
      if ((v ? 1 : 0) !== fg) {
        expected.push(run);
        run = 0;
        fg ^= 1;
      }
      run++;
    }
    expected.push(run);
    expect(Array.from(rleEncode(k, mask, h, w).counts)).toEqual(expected);
  });

  it('refuses runs that overflow the mask, like pycocotools decode', () => {
    expect(() => rleDecode(k, { h: 2, w: 2, counts: Uint32Array.from([1, 4]) })).toThrow(/Invalid RLE/);
  });
});

describe('compressed strings', () => {
  it('round-trip any counts below 2^28', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 28 - 1 }), { maxLength: 40 }), (counts) => {
        const rle: Rle = { h: 1, w: 1, counts: Uint32Array.from(counts) };
        const s = rleToString(rle);
        expect(s).toMatch(/^[0-o]*$/);
        expect(rleFromString(s, 1, 1).counts).toEqual(rle.counts);
      }),
    );
  });

  it('rejects characters outside the alphabet and strings cut inside a value', () => {
    expect(() => rleFromString('32p', 3, 4)).toThrow(/position 2/);
    expect(() => rleFromString('3P', 3, 4)).toThrow(/ends inside a value/);
  });
});

describe('IoU matrix', () => {
  it('equals intersection/union (or /detection area for crowds) counted on the pixels', () => {
    fc.assert(
      fc.property(samePairArb, ({ h, w, a, b, crowd }) => {
        const ra = rleEncode(k, a, h, w);
        const rb = rleEncode(k, b, h, w);
        const iou = rleIouMatrix(k, [ra], [rb], [crowd]);
        expect(iou[0]).toBe(pixelIou(a, b, crowd));
      }),
    );
  });

  it('is symmetric without crowds and stays in [0, 1]', () => {
    fc.assert(
      fc.property(samePairArb, ({ h, w, a, b }) => {
        const ra = rleEncode(k, a, h, w);
        const rb = rleEncode(k, b, h, w);
        const ab = rleIouMatrix(k, [ra], [rb], [false])[0];
        expect(rleIouMatrix(k, [rb], [ra], [false])[0]).toBe(ab);
        expect(ab).toBeGreaterThanOrEqual(0);
        expect(ab).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('lays out D x G row-major, gives -1 for overlapping masks of different sizes and 0 for disjoint boxes', () => {
    const full = (h: number, w: number): Rle => ({ h, w, counts: Uint32Array.from([0, h * w]) });
    const topLeft: Rle = { h: 4, w: 4, counts: Uint32Array.from([0, 2, 2, 2, 10]) };
    const bottomRight: Rle = { h: 4, w: 4, counts: Uint32Array.from([10, 2, 2, 2]) };
    const iou = rleIouMatrix(k, [topLeft, full(4, 4), full(5, 4)], [topLeft, bottomRight], [0, 0]);
    expect(Array.from(iou)).toEqual([1, 0, 0.25, 0.25, -1, -1]);
    expect(rleIouMatrix(k, [], [topLeft], [0])).toHaveLength(0);
    expect(() => rleIouMatrix(k, [topLeft], [topLeft], [])).toThrow(/same length/);
  });

  it('computes a 100 x 20 matrix of 640x480 polygons (throughput: npm run bench -- kernels)', () => {
    const star = (cx: number, cy: number, r: number) =>
      Array.from({ length: 24 }, (_, i) => {
        const rr = i % 2 ? r : r / 2;
        const t = (i / 24) * 2 * Math.PI;
        return [cx + rr * Math.cos(t), cy + rr * Math.sin(t)];
      }).flat();
    const dts = Array.from({ length: 100 }, (_, i) =>
      rleFromPolygon(k, star(100 + 4 * i, 200 + (i % 7) * 9, 90), 480, 640),
    );
    const gts = Array.from({ length: 20 }, (_, i) => rleFromPolygon(k, star(110 + 20 * i, 210, 80), 480, 640));
    const iou = rleIouMatrix(k, dts, gts, new Uint8Array(20));
    expect(iou).toHaveLength(2000);
    expect(iou.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(iou.some((v) => v > 0)).toBe(true);
  });
});

describe('merge and polygons', () => {
  it('union and intersection equal the OR and AND of the pixels; union area >= each part', () => {
    fc.assert(
      fc.property(samePairArb, ({ h, w, a, b }) => {
        const ra = rleEncode(k, a, h, w);
        const rb = rleEncode(k, b, h, w);
        const union = rleMerge(k, [ra, rb]);
        const inter = rleMerge(k, [ra, rb], true);
        expect(rleDecode(k, union)).toEqual(a.map((v, i) => v | b[i]));
        expect(rleDecode(k, inter)).toEqual(a.map((v, i) => v & b[i]));
        expect(rleArea(union)).toBeGreaterThanOrEqual(Math.max(rleArea(ra), rleArea(rb)));
      }),
    );
  });

  it('merges masks of different sizes into the empty 0x0 mask', () => {
    const a: Rle = { h: 2, w: 2, counts: Uint32Array.from([0, 4]) };
    const b: Rle = { h: 2, w: 3, counts: Uint32Array.from([0, 6]) };
    expect(rleMerge(k, [a, b])).toEqual({ h: 0, w: 0, counts: new Uint32Array(0) });
    expect(rleToString(rleMerge(k, [a, b]))).toBe('');
  });

  const polygonArb = fc.array(
    fc.tuple(fc.double({ min: -3, max: 23, noNaN: true }), fc.double({ min: -3, max: 19, noNaN: true })),
    {
      minLength: 3,
      maxLength: 9,
    },
  );

  it('repeated vertices (0/0 in the C code) change nothing and never trap', () => {
    fc.assert(
      fc.property(polygonArb, fc.nat(8), (pts, dup) => {
        const xy = pts.flat();
        const i = dup % pts.length;
        const withDup = [...pts.slice(0, i + 1), pts[i], pts[i], ...pts.slice(i + 1)].flat();
        const plain = rleFromPolygon(k, xy, 16, 20);
        expect(rleFromPolygon(k, withDup, 16, 20).counts).toEqual(plain.counts);
        let sum = 0;
        for (const c of plain.counts) sum += c;
        expect(sum).toBe(16 * 20);
      }),
    );
  });

  it('a multi-part polygon is the union of its parts, and its bbox covers exactly its pixels', () => {
    fc.assert(
      fc.property(polygonArb, polygonArb, (p, q) => {
        const both = annToRle(k, [p.flat(), q.flat()], 16, 20);
        const parts = [rleFromPolygon(k, p.flat(), 16, 20), rleFromPolygon(k, q.flat(), 16, 20)];
        expect(both.counts).toEqual(rleMerge(k, parts).counts);
        const px = rleDecodeRowMajor(k, both);
        const [bx, by, bw, bh] = rleToBbox(both);
        if (rleArea(both) === 0) return;
        // the 2.0.11 bbox is the tight pixel bbox, except that a run crossing a column spans the full height
        for (let y = 0; y < 16; y++) {
          for (let x = 0; x < 20; x++) {
            if (px[y * 20 + x]) expect(x >= bx && x < bx + bw && y >= by && y < by + bh).toBe(true);
          }
        }
      }),
    );
  });
});
