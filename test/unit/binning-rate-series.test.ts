// The Performance page's bins and the Explorer's list, on hand-made items: rates per bin and per class with the
// class filter, and the contract between the two pages: the [min, max] range a bin hands to the Explorer selects
// exactly that bin's items. Also the Explorer's histogram, URL settings and the mask outline used on cards.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MIN_ITEMS_PER_BIN, PAGE_DEFAULT_BINS, wilsonInterval } from '../../src/core/metrics/binning.ts';
import { rateSeries } from '../../src/ui/pages/performance/rate-chart.ts';
import { buildList, GRID, histogram, setting } from '../../src/ui/pages/explorer/explorer-list.ts';
import { maskEdge } from '../../src/ui/pages/explorer/draw-items.ts';

describe('rateSeries', () => {
  // 12 items: values, TP flags, classes; item 11 has no value, item 10 is outside the class filter below.
  const values = Float64Array.from([5, 1, 2, 2, 3, 8, 9, 4, 6, 7, 100, NaN]);
  const flags = [1, 0, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1];
  const classes = [0, 0, 1, 1, 0, 1, 0, 1, 0, 1, 2, 0];

  it('bins the included items with a value and averages the flag per bin and per class', () => {
    // minPerBin 1: Encord Active's binning alone (the page's default minimum is tested below).
    const s = rateSeries(values, flags, (i) => classes[i] !== 2, classes, 5, 1);
    expect(s.total).toBe(10);
    expect(s.missing).toBe(1);
    // Sorted values 1,2,2,3,4,5,6,7,8,9: quantiles at 0.2, 0.4, 0.6, 0.8 are 2, 3.6, 5.4, 7.2, so the bins are
    // [1,2]: 1,2,2  (2,3.6]: 3  (3.6,5.4]: 4,5  (5.4,7.2]: 6,7  (7.2,9]: 8,9
    expect(s.bins.map((b) => b.count)).toEqual([3, 1, 2, 2, 2]);
    expect(s.bins.map((b) => [b.min, b.max])).toEqual([
      [1, 2],
      [3, 3],
      [4, 5],
      [6, 7],
      [8, 9],
    ]);
    expect(s.bins.map((b) => b.rate)).toEqual([1 / 3, 1, 0.5, 1, 1]);
    expect(s.overallRate).toBe(7 / 10);
    const c0 = s.perClass.find((c) => c.cls === 0)!;
    const c1 = s.perClass.find((c) => c.cls === 1)!;
    // class 0 holds values 5,1,3,9,6; class 1 holds 2,2,8,4,7.
    expect(c0.counts).toEqual([1, 1, 1, 1, 1]);
    expect(c0.rates).toEqual([0, 1, 1, 1, 1]);
    expect(c1.counts).toEqual([2, 0, 1, 1, 1]);
    expect(c1.rates[0]).toBe(0.5);
    expect(c1.rates[1]).toBeNaN();
    expect(s.perClass.some((c) => c.cls === 2)).toBe(false);
  });

  it('hands the Explorer ranges that select exactly each bin (ties on an edge included)', () => {
    // Many ties: values 0..9 repeated, plus a long tail.
    const n = 500;
    const v = Float64Array.from({ length: n }, (_, i) => (i < 400 ? i % 10 : (i * 7.3) % 91));
    const s = rateSeries(v, new Array(n).fill(0), () => true, new Array(n).fill(0), 50, 1);
    let covered = 0;
    for (const [b, bin] of s.bins.entries()) {
      const list = buildList(n, () => true, v, 'asc', bin.min, bin.max);
      expect(list.items.length, `bin ${b}`).toBe(bin.count);
      covered += list.items.length;
      for (const i of list.items) expect(v[i] >= bin.min && v[i] <= bin.max).toBe(true);
    }
    expect(covered).toBe(n);
  });
});

describe('buildList', () => {
  const values = Float64Array.from([0.5, NaN, 0.2, 0.9, 0.2, 0.7]);

  it('keeps the tab, drops and counts items without a value, sorts by value then index', () => {
    const asc = buildList(6, (i) => i !== 5, values, 'asc');
    expect(Array.from(asc.items)).toEqual([2, 4, 0, 3]);
    expect([asc.withValue, asc.missing, asc.min, asc.max]).toEqual([4, 1, 0.2, 0.9]);
    const desc = buildList(6, (i) => i !== 5, values, 'desc');
    expect(Array.from(desc.items)).toEqual([3, 0, 2, 4]);
  });

  it('bounds the range inclusively on both sides; an open side is unbounded', () => {
    expect(Array.from(buildList(6, () => true, values, 'asc', 0.2, 0.5).items)).toEqual([2, 4, 0]);
    expect(Array.from(buildList(6, () => true, values, 'asc', 0.6).items)).toEqual([5, 3]);
    expect(Array.from(buildList(6, () => true, values, 'asc', undefined, 0.2).items)).toEqual([2, 4]);
    // The histogram covers the tab, not just the range.
    expect(buildList(6, () => true, values, 'asc', 0.6).histogram.counts.reduce((a, b) => a + b, 0)).toBe(5);
  });

  it('sorts and filters 100,000 items', () => {
    const n = 100_000;
    const v = Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 1000);
    const list = buildList(n, (i) => i % 3 !== 0, v, 'asc', -500, 500);
    let expected = 0;
    for (let i = 0; i < n; i++) if (i % 3 !== 0 && v[i] >= -500 && v[i] <= 500) expected++;
    expect(list.items.length).toBe(expected);
    let sorted = true;
    for (let k = 1; k < list.items.length; k++) sorted &&= v[list.items[k - 1]] <= v[list.items[k]];
    expect(sorted).toBe(true);
  });
});

describe('histogram', () => {
  it('makes up to 100 equal-width bins over [min, max], the maximum in the last bin', () => {
    const h = histogram(
      Float64Array.from({ length: 1001 }, (_, i) => i / 10),
      0,
      100,
    );
    expect(h.counts.length).toBe(100);
    expect(h.edges[0]).toBe(0);
    expect(h.edges[100]).toBe(100);
    expect(h.counts[0]).toBe(10);
    expect(h.counts[99]).toBe(11);
  });

  it('uses one bin per distinct value when there are fewer, and one bin for a constant', () => {
    expect(histogram(Float64Array.from([1, 2, 2, 3]), 1, 3).counts.length).toBe(3);
    expect(Array.from(histogram(Float64Array.from([4, 4]), 4, 4).counts)).toEqual([2]);
    expect(histogram(new Float64Array(0), NaN, NaN).counts.length).toBe(0);
  });
});

describe('card settings from the URL', () => {
  it("uses Encord Active's ranges and defaults", () => {
    expect(setting(null, GRID.columns)).toBe(4);
    expect(setting(null, GRID.rows)).toBe(5);
    expect(setting(null, GRID.contour)).toBe(3);
    expect(setting(null, GRID.opacity, false)).toBe(0.3);
    expect(setting('1', GRID.columns)).toBe(2);
    expect(setting('11', GRID.columns)).toBe(10);
    expect(setting('7', GRID.rows)).toBe(5);
    expect(setting('40', GRID.contour)).toBe(25);
    expect(setting('x', GRID.contour)).toBe(3);
    expect(setting('1.5', GRID.opacity, false)).toBe(1);
    expect(setting('0.456', GRID.opacity, false)).toBe(0.46);
  });
});

describe('maskEdge', () => {
  // A 6x5 mask with a 4x3 block at (1,1)..(4,3).
  const W = 6;
  const H = 5;
  const mask = new Uint8Array(W * H);
  for (let y = 1; y <= 3; y++) for (let x = 1; x <= 4; x++) mask[y * W + x] = 1;
  const rows = (m: Uint8Array) => Array.from({ length: H }, (_, y) => Array.from(m.slice(y * W, y * W + W)).join(''));

  it('is the block minus its interior at thickness 1', () => {
    expect(rows(maskEdge(mask, W, H, 1))).toEqual(['000000', '011110', '010010', '011110', '000000']);
  });

  it('is the whole block at thickness 2, and counts the image border as outside', () => {
    expect(rows(maskEdge(mask, W, H, 2))).toEqual(rows(mask));
    const full = new Uint8Array(9).fill(1);
    expect(Array.from(maskEdge(full, 3, 3, 1))).toEqual([1, 1, 1, 1, 0, 1, 1, 1, 1]);
  });
});

describe('bins for a page: about 10, never fewer than 30 items on average, each rate with its 95 % interval', () => {
  const wilson = JSON.parse(readFileSync(new URL('../fixtures/robustness/wilson.json', import.meta.url), 'utf8')) as {
    cases: { hits: number; n: number; low: number; high: number }[];
  };

  it('gives the Wilson interval SciPy gives', () => {
    for (const c of wilson.cases) {
      const [low, high] = wilsonInterval(c.hits, c.n);
      expect(Math.abs(low - c.low), `${c.hits}/${c.n}`).toBeLessThan(1e-12);
      expect(Math.abs(high - c.high), `${c.hits}/${c.n}`).toBeLessThan(1e-12);
    }
    expect(wilsonInterval(0, 0)).toEqual([NaN, NaN]);
  });

  it('defaults to 10 bins and draws fewer when a bin would hold fewer than 30 items', () => {
    expect([PAGE_DEFAULT_BINS, MIN_ITEMS_PER_BIN]).toEqual([10, 30]);
    const series = (n: number, bins: number) => {
      const v = Float64Array.from({ length: n }, (_, i) => i);
      return rateSeries(
        v,
        Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0)),
        () => true,
        new Array(n).fill(0),
        bins,
      );
    };
    expect(series(1000, PAGE_DEFAULT_BINS).bins).toHaveLength(10);
    // 300 items and 50 bins asked (Encord Active's default): 10 bins of 30, not 50 of 6.
    const capped = series(300, 50);
    expect(capped.requestedBins).toBe(50);
    expect(capped.bins.map((b) => b.count)).toEqual(new Array(10).fill(30));
    // 45 items: one bin (below Encord Active's minimum of 5 bins) rather than 5 of 9.
    expect(series(45, 10).bins).toHaveLength(1);
    for (const b of capped.bins) {
      const hits = Math.round(b.rate * b.count);
      expect([b.rateLow, b.rateHigh]).toEqual(wilsonInterval(hits, b.count));
      expect(b.rateLow).toBeLessThanOrEqual(b.rate);
      expect(b.rateHigh).toBeGreaterThanOrEqual(b.rate);
    }
  });
});
