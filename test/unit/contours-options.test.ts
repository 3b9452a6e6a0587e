// traceContours behaviours a caller relies on, on masks small enough to check by eye.
import { describe, expect, it } from 'vitest';
import { traceContours, type Contour } from '../../src/kernels/contours.ts';
import { loadKernels } from '../../src/kernels/node.ts';

const kernels = await loadKernels();

/** Rows of digits -> a mask (one character per pixel). */
function mask(rows: string[]) {
  const width = rows[0].length;
  return { values: Uint8Array.from(rows.join(''), (ch) => Number(ch)), width, height: rows.length };
}
const points = (c: Contour) =>
  Array.from({ length: c.points.length / 2 }, (_, i) => [c.points[2 * i], c.points[2 * i + 1]]);

describe('traceContours', () => {
  it('traces classes that touch each other each as if the other were background', () => {
    const m = mask(['1122', '1122', '0000']);
    const { classes } = traceContours(kernels, m.values, m.width, m.height);
    expect(points(classes.get(1)![0])).toEqual([
      [0, 0],
      [0, 1],
      [1, 1],
      [1, 0],
    ]);
    expect(points(classes.get(2)![0])).toEqual([
      [2, 0],
      [2, 1],
      [3, 1],
      [3, 0],
    ]);
  });

  it('gives a single pixel one point and a 3-pixel V four points, area 0', () => {
    const m = mask(['10000', '00000', '20002', '02020', '00200']);
    const { classes } = traceContours(kernels, m.values, m.width, m.height);
    expect(classes.get(1)!.map(points)).toEqual([[[0, 0]]]);
    const v = classes.get(2)!;
    expect(v.map(points)).toEqual([
      [
        [0, 2],
        [2, 4],
        [4, 2],
        [2, 4],
      ],
    ]);
    expect(v[0].area).toBe(0);
    expect(v[0].bbox).toEqual([0, 2, 5, 3]);
  });

  it('returns contours in reverse raster order of their start points and drops islands in holes', () => {
    const m = mask(['111110', '100010', '101010', '100010', '111110', '000000', '000001']);
    const { classes } = traceContours(kernels, m.values, m.width, m.height);
    expect(classes.get(1)!.map(points)).toEqual([
      [[5, 6]],
      [
        [0, 0],
        [0, 4],
        [4, 4],
        [4, 0],
      ],
    ]);
  });

  it('skips the ignore value but still treats it as background for the other values', () => {
    const m = { values: Uint16Array.from([255, 255, 7, 255, 7, 7, 0, 0, 300]), width: 3, height: 3 };
    const all = traceContours(kernels, m.values, 3, 3);
    const ignored = traceContours(kernels, m.values, 3, 3, { ignore: 255 });
    expect([...all.classes.keys()]).toEqual([7, 255, 300]);
    expect([...ignored.classes.keys()]).toEqual([7, 300]);
    expect(ignored.classes.get(7)!.map(points)).toEqual(all.classes.get(7)!.map(points));
  });

  it('keeps holes as RETR_CCOMP: the ring gets its hole, the island inside is its own outer contour', () => {
    const m = mask(['11111', '10001', '10101', '10001', '11111']);
    const { classes } = traceContours(kernels, m.values, m.width, m.height, { holes: true });
    const [island, ring] = classes.get(1)!;
    expect(points(island)).toEqual([[2, 2]]);
    expect(island.holes).toEqual([]);
    expect(points(ring)).toEqual([
      [0, 0],
      [0, 4],
      [4, 4],
      [4, 0],
    ]);
    expect(ring.holes!.map(points)).toEqual([
      [
        [0, 1],
        [1, 0],
        [3, 0],
        [4, 1],
        [4, 3],
        [3, 4],
        [1, 4],
        [0, 3],
      ],
    ]);
  });

  it('with eaFilter and holes, drops small outer contours but keeps every hole of the kept ones', () => {
    const m = mask(['11111000', '11011011', '11111011']);
    const { classes } = traceContours(kernels, m.values, m.width, m.height, { holes: true, eaFilter: true });
    const kept = classes.get(1)!;
    expect(kept.map((c) => c.bbox)).toEqual([[0, 0, 5, 3]]);
    expect(kept[0].holes!.map((h) => h.area)).toEqual([2]);
  });
});
