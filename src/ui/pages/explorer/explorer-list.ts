// The Explorer's list: which items a tab shows (true positives, false positives, false negatives, one class or all),
// their values of the chosen metric, the histogram the range is picked on, and the items in the range, sorted.
// Typed arrays throughout: 100,000 items filter, sort and bin in a few tens of milliseconds.

export type SortOrder = 'asc' | 'desc';

export interface Histogram {
  /** bins + 1 edges, equal width from the smallest to the largest value. */
  edges: Float64Array;
  counts: Int32Array;
}

export interface ItemList {
  /** Item indices (pidx or lidx) in the range, sorted by value then index. */
  items: Int32Array;
  /** Items of the tab with a value of the metric (the histogram's items). */
  withValue: number;
  /** Items of the tab without one (EA drops them from the page; predlens says how many). */
  missing: number;
  min: number;
  max: number;
  histogram: Histogram;
}

export const HISTOGRAM_BINS = 100;

export function histogram(values: Float64Array, min: number, max: number, maxBins = HISTOGRAM_BINS): Histogram {
  if (values.length === 0) return { edges: new Float64Array(0), counts: new Int32Array(0) };
  const distinct = new Set(values).size;
  const n = max > min ? Math.max(1, Math.min(maxBins, distinct)) : 1;
  const width = (max - min) / n;
  const edges = Float64Array.from({ length: n + 1 }, (_, i) => (i === n ? max : min + i * width));
  const counts = new Int32Array(n);
  for (const v of values) {
    const b = width > 0 ? Math.min(n - 1, Math.floor((v - min) / width)) : 0;
    counts[b]++;
  }
  return { edges, counts };
}

/**
 * `count` items; `include(i)` keeps an item in the tab; `values[i]` its metric value (NaN: none). `lo`/`hi` bound
 * the range, both inclusive (undefined: open).
 */
export function buildList(
  count: number,
  include: (i: number) => boolean,
  values: Float64Array,
  sort: SortOrder,
  lo?: number,
  hi?: number,
): ItemList {
  const tab: number[] = [];
  let missing = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < count; i++) {
    if (!include(i)) continue;
    const v = values[i];
    if (Number.isNaN(v)) {
      missing++;
      continue;
    }
    tab.push(i);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const tabValues = Float64Array.from(tab, (i) => values[i]);
  const inRange: number[] = [];
  for (const i of tab) {
    const v = values[i];
    if ((lo === undefined || v >= lo) && (hi === undefined || v <= hi)) inRange.push(i);
  }
  const items = Int32Array.from(inRange);
  const sign = sort === 'asc' ? 1 : -1;
  items.sort((a, b) => sign * (values[a] - values[b]) || a - b);
  return {
    items,
    withValue: tab.length,
    missing,
    min: tab.length ? min : NaN,
    max: tab.length ? max : NaN,
    histogram: histogram(tabValues, min, max),
  };
}

export const GRID = {
  columns: { min: 2, max: 10, default: 4 },
  rows: { min: 1, max: 5, default: 5 },
  contour: { min: 1, max: 25, default: 3 },
  opacity: { min: 0, max: 1, default: 0.3 },
} as const;

/** A setting from the URL, clamped to its range (whole numbers except opacity). */
export function setting(
  value: string | null,
  spec: { min: number; max: number; default: number },
  whole = true,
): number {
  if (value === null || value.trim() === '') return spec.default;
  const n = Number(value);
  if (!Number.isFinite(n)) return spec.default;
  const clamped = Math.min(spec.max, Math.max(spec.min, n));
  return whole ? Math.round(clamped) : Math.round(clamped * 100) / 100;
}
