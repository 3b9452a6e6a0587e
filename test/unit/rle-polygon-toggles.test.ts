// rleFromPolygon computes only the boundary steps that can toggle a pixel; rleFromPolygonDense walks every point as
// pycocotools' rleFrPoly does (the golden tests hold both to pycocotools' masks). Here the two must agree on
// every polygon: random ones inside and far outside the image, repeated vertices, zero-size masks, w = 0.
import { describe, expect, it } from 'vitest';
import { loadKernels } from '../../src/kernels/node.ts';

const k = await loadKernels();

function rasterise(name: string, xy: number[], h: number, w: number): number[] {
  const n = Math.floor(xy.length / 2);
  const ptr = k.slot('test.xy', 16 * n + 16);
  k.f64(ptr, 2 * n).set(xy.slice(0, 2 * n));
  const m = k.fn<(p: number, n: number, h: number, w: number) => number>(name)(ptr, n, h, w);
  return Array.from(k.result('u32', m));
}

function lcg(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}

describe('rleFromPolygon (toggles only) equals the point-by-point walk', () => {
  it('on 5,000 random polygons of every kind', () => {
    const rnd = lcg(20261203);
    let differ = 0;
    for (let i = 0; i < 5000; i++) {
      const h = Math.floor(rnd() * 50);
      const w = i % 50 === 0 ? 0 : Math.floor(rnd() * 50);
      const n = 3 + Math.floor(rnd() * 14);
      const span = rnd() < 0.2 ? 3000 : 70;
      const xy: number[] = [];
      for (let j = 0; j < 2 * n; j++) xy.push(Math.round((rnd() * span - span / 4) * 100) / 100);
      if (i % 7 === 0) xy.push(xy[0], xy[1]); // a repeated vertex
      if (i % 11 === 0) xy.splice(2, 0, xy[0], xy[1]);
      const fast = rasterise('rleFromPolygon', xy, h, w);
      const dense = rasterise('rleFromPolygonDense', xy, h, w);
      if (JSON.stringify(fast) !== JSON.stringify(dense)) differ++;
    }
    expect(differ).toBe(0);
  });

  it('on axis-aligned, diagonal and huge polygons', () => {
    const polygons = [
      [0, 0, 10, 0, 10, 10, 0, 10],
      [0.5, 0.5, 9.5, 9.5, 0.5, 9.5],
      [-5, -5, 20, -5, 20, 20],
      [1, 1, 1, 1, 1, 1],
      [2e6, 3, 2e6 + 5, 8, 2e6, 9], // beyond the shortcut's range: the walk itself
      [3, 4, 40, 4.2, 41, 39.9, 2.7, 40],
    ];
    for (const xy of polygons) {
      for (const [h, w] of [
        [48, 64],
        [0, 10],
        [10, 0],
      ]) {
        expect(rasterise('rleFromPolygon', xy, h, w)).toEqual(rasterise('rleFromPolygonDense', xy, h, w));
      }
    }
  });
});
