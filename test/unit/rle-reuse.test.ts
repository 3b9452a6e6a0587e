// The RLE wrappers reuse buffers between calls (a decoding scratch, the kernel's input slot) for speed; results
// must still be independent of what was decoded or rasterised before, and the polygon size guard must count the
// boundary steps exactly as pycocotools' rleFrPoly would walk them.
import { describe, expect, it } from 'vitest';
import { loadKernels } from '../../src/kernels/node.ts';
import { rleFromPolygon, rleFromString, rleToString, type Rle } from '../../src/kernels/rle.ts';

const k = await loadKernels();

describe('rleFromString with its reused scratch', () => {
  it('a short string after a long one gives only its own counts, and earlier results stay as they were', () => {
    const long: Rle = { h: 100, w: 100, counts: Uint32Array.from({ length: 2000 }, (_, i) => (i * 7919) % 5) };
    long.counts[long.counts.length - 1] = 10_000 - long.counts.slice(0, -1).reduce((a, b) => a + b, 0);
    const longString = rleToString(long);
    const first = rleFromString(longString, 100, 100);
    const short = rleFromString('52', 1, 7);
    expect(Array.from(short.counts)).toEqual([5, 2]);
    expect(short.counts.buffer.byteLength).toBe(8);
    expect(first.counts).toEqual(long.counts);
    expect(rleFromString(longString, 100, 100).counts).toEqual(first.counts);
  });
});

describe('rleFromPolygon with its reused input slot', () => {
  const big = [5.2, 3.1, 600.4, 20.9, 630.7, 470.2, 300.3, 200.1, 10.6, 460.8, 0, 240.5];
  const small = [1, 1, 1, 3, 3, 3, 3, 1];

  it('gives the same mask whatever polygon went through the slot before', () => {
    const fresh = rleToString(rleFromPolygon(k, small, 5, 5));
    rleFromPolygon(k, big, 480, 640);
    expect(rleToString(rleFromPolygon(k, small, 5, 5))).toBe(fresh);
    // pycocotools 2.0.11: mask.frPyObjects([[1, 1, 1, 3, 3, 3, 3, 1]], 5, 5) -> counts b'62309'.
    expect(rleToString(rleFromPolygon(k, small, 5, 5))).toBe('62309');
  });

  it('refuses a polygon by its exact step count on the x5 grid before rasterising it', () => {
    // (0,0) -> (5e7,0): 50,000,001 steps; (5e7,0) -> (5e7,5): 6; (5e7,5) -> (0,0): 50,000,001.
    expect(() => rleFromPolygon(k, [0, 0, 1e7, 0, 1e7, 1], 10, 10)).toThrow(/spans 100000008 boundary steps/);
    expect(() => rleFromPolygon(k, [0, 0, 1, 0, Number.NaN, 1], 10, 10)).toThrow(/coordinate 4 is NaN/);
  });
});
