// Performance-by-metric binning on hand-made cases: the pandas.qcut rules EA uses (spec 7.4) worked out by hand
// (numpy's linear quantiles of the sorted values, right-closed bins, duplicate edges dropped, pandas' rounded labels).
import { describe, expect, it } from 'vitest';
import { binByMetric, DEFAULT_BINS, MAX_BINS, MIN_BINS, pearson } from '../../src/core/metrics/binning.ts';

const near = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThan(1e-12);

describe('binByMetric', () => {
  it('defaults to 50 bins, clamped to 5..200', () => {
    expect([DEFAULT_BINS, MIN_BINS, MAX_BINS]).toEqual([50, 5, 200]);
    const values = Array.from({ length: 300 }, (_, i) => i);
    const zeros = new Array(300).fill(0);
    expect(binByMetric(values, zeros).bins).toHaveLength(50);
    expect(binByMetric(values, zeros, 1000).bins).toHaveLength(200);
    expect(binByMetric(values, zeros, 201).bins).toHaveLength(200);
    expect(binByMetric(values, zeros, 1).bins).toHaveLength(5);
    expect(binByMetric(values, zeros, 0).bins).toHaveLength(5);
    expect(binByMetric(values, zeros, -3).bins).toHaveLength(5);
    expect(binByMetric(values, zeros, 7.4).bins).toHaveLength(7);
    expect(binByMetric(values, zeros, NaN).bins).toHaveLength(50);
  });

  it('makes 5 bins of 60 when fewer than 5 are asked for 0..299 (edges 59.8, 119.6, ...)', () => {
    const values = Array.from({ length: 300 }, (_, i) => i);
    const binned = binByMetric(values, new Array(300).fill(1), 3);
    expect(binned.bins.map((b) => b.count)).toEqual([60, 60, 60, 60, 60]);
    expect(binned.binOf[59]).toBe(0);
    expect(binned.binOf[60]).toBe(1);
    near(binned.bins[0].high, 59.8);
    // pandas' label of the first bin is (-0.001, 59.8]: its midpoint is 29.8995.
    near(binned.bins[0].mid, 29.8995);
  });

  it('splits 0..9 into 5 bins of 2 with midpoints of the rounded labels', () => {
    const binned = binByMetric([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 1, 0, 0, 0, 0, 0, 0, 1], 5);
    expect(Array.from(binned.binOf)).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
    [0.8995, 2.7, 4.5, 6.3, 8.1].forEach((mid, i) => near(binned.bins[i].mid, mid));
    expect(binned.bins.map((b) => b.rate)).toEqual([1, 0.5, 0, 0, 0.5]);
    expect(binned.overallRate).toBe(0.4);
    expect(binned.maxCount).toBe(2);
  });

  it('uses at most as many bins as there are distinct values and drops duplicate edges', () => {
    // 3 distinct values: quantiles at 0, 1/3, 2/3, 1 of 7 sorted values are 1, 1, 2, 3 -> edges 1, 2, 3.
    const binned = binByMetric([1, 1, 1, 1, 2, 2, 3], [1, 0, 1, 0, 1, 1, 0], 50);
    expect(binned.bins).toHaveLength(2);
    expect(Array.from(binned.binOf)).toEqual([0, 0, 0, 0, 0, 0, 1]);
    expect(binned.bins.map((b) => [b.low, b.high, b.count])).toEqual([
      [1, 2, 6],
      [2, 3, 1],
    ]);
    near(binned.bins[0].mid, (0.999 + 2) / 2);
    near(binned.bins[1].mid, 2.5);
    expect(binned.bins[0].rate).toBe(4 / 6);
    expect(binned.bins[1].rate).toBe(0);
    expect(binned.overallRate).toBe(4 / 7);
    expect(binned.maxCount).toBe(6);
  });

  it('puts ties on an edge into the lower, right-closed bin', () => {
    // Quantiles of [1, 2x6, 3] at 1/3 and 2/3 both fall among the 2s: edges 1, 2, 3; every 2 goes to bin 0.
    const binned = binByMetric([2, 1, 2, 2, 3, 2, 2, 2], new Array(8).fill(0), 5);
    expect(Array.from(binned.binOf)).toEqual([0, 0, 0, 0, 1, 0, 0, 0]);
    expect(binned.bins.map((b) => b.count)).toEqual([7, 1]);
  });

  it('makes one bin when every value is equal (pandas labels it (2.999, 3.0])', () => {
    const binned = binByMetric([3, 3, 3, 3], [1, 0, 0, 0], 50);
    expect(binned.bins).toHaveLength(1);
    expect(Array.from(binned.binOf)).toEqual([0, 0, 0, 0]);
    expect(binned.bins[0]).toMatchObject({ low: 3, high: 3, count: 4, rate: 0.25 });
    near(binned.bins[0].mid, (2.999 + 3) / 2);
  });

  it('drops NaN values from bins, counts and rates', () => {
    const binned = binByMetric([0.1, 0.2, NaN, 0.3, 0.4, 0.5], [1, 1, 1, 0, 0, 0], 5);
    expect(Array.from(binned.binOf)).toEqual([0, 1, -1, 2, 3, 4]);
    expect(binned.bins.reduce((n, b) => n + b.count, 0)).toBe(5);
    expect(binned.overallRate).toBe(2 / 5);
    // Edges 0.1, 0.18, 0.26, 0.34, 0.42, 0.5; the first label is lowered to 0.099.
    [0.1395, 0.22, 0.3, 0.38, 0.46].forEach((mid, i) => near(binned.bins[i].mid, mid));
  });

  it('returns no bins when every value is NaN', () => {
    const binned = binByMetric([NaN, NaN], [1, 0]);
    expect(binned.bins).toEqual([]);
    expect(Array.from(binned.binOf)).toEqual([-1, -1]);
    expect(binned.overallRate).toBeNaN();
    expect(binByMetric([], []).bins).toEqual([]);
  });

  it('raises the label precision until close edges differ, and lowers the first by one unit of it', () => {
    const binned = binByMetric([1.0001, 1.0002, 1.0003, 1.0004, 1.0005, 1.0006], new Array(6).fill(0), 5);
    expect(Array.from(binned.binOf)).toEqual([0, 0, 1, 2, 3, 4]);
    near(binned.bins[0].mid, (1.0 + 1.0002) / 2);
    near(binned.bins[4].mid, (1.0005 + 1.0006) / 2);
  });

  it('handles negative values', () => {
    const binned = binByMetric([-1, -2, -3, -4, -5], new Array(5).fill(0), 5);
    expect(Array.from(binned.binOf)).toEqual([4, 3, 2, 1, 0]);
    near(binned.bins[0].mid, -4.6005);
    near(binned.bins[4].mid, -1.4);
  });
});

describe('pearson', () => {
  it('is 1, -1 and 0 on hand-made vectors; NaN counts as 0; constant input gives NaN', () => {
    near(pearson([1, 2, 3, 4], [2, 4, 6, 8]), 1);
    near(pearson([1, 2, 3, 4], [8, 6, 4, 2]), -1);
    near(pearson([1, 2, 1, 2], [1, 1, 2, 2]), 0);
    near(pearson([NaN, 1, 2], [0, 1, 2]), 1);
    expect(pearson([1, 1, 1], [0, 1, 2])).toBeNaN();
    // Ten times 0.1: the float mean is 0.09999999999999999, yet the column is constant.
    expect(new Array(10).fill(0.1).reduce((a: number, b: number) => a + b, 0) / 10).not.toBe(0.1);
    expect(pearson(new Array(10).fill(0.1), [0, 1, 0, 1, 1, 0, 1, 0, 0, 1])).toBeNaN();
    expect(pearson([1, 2, 3], [5, 5, 5])).toBeNaN();
    expect(pearson([], [])).toBeNaN();
  });
});
