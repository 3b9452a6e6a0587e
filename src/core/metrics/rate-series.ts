// The numbers behind one Performance-by-metric chart (spec 7.4): the items' metric values binned as pandas.qcut bins
// them, the share of an indicator per bin (true positives among predictions, missed labels among labels), overall
// and per class, and each bin's smallest and largest value (the range the Explorer opens with).
import { binByMetric, MIN_ITEMS_PER_BIN, wilsonInterval, type Bin } from './binning.ts';

export interface RateBin extends Bin {
  /** Smallest and largest metric value of the items in the bin: [min, max] holds exactly this bin's items. */
  min: number;
  max: number;
  /** Wilson 95 % interval of the bin's rate. */
  rateLow: number;
  rateHigh: number;
}

export interface ClassRates {
  cls: number;
  /** Per bin: the indicator's mean over this class's items in the bin (NaN where it has none). */
  rates: number[];
  counts: number[];
}

export interface RateSeries {
  bins: RateBin[];
  overallRate: number;
  maxCount: number;
  /** Items with a value (NaN dropped, class filter applied). */
  total: number;
  /** Items left out for having no value of the metric. */
  missing: number;
  perClass: ClassRates[];
  /** The bins asked for; `bins` may hold fewer (few distinct values, or fewer than minPerBin items a bin). */
  requestedBins: number;
  minPerBin: number;
}

/**
 * `values` and `indicator` are per item; `include` says which items take part (class filter, counted labels);
 * `classOf` gives each item's class for the per-class lines.
 */
export function rateSeries(
  values: Float64Array,
  indicator: ArrayLike<number>,
  include: (i: number) => boolean,
  classOf: ArrayLike<number>,
  requestedBins: number,
  minPerBin = MIN_ITEMS_PER_BIN,
): RateSeries {
  const items: number[] = [];
  let missing = 0;
  for (let i = 0; i < values.length; i++) {
    if (!include(i)) continue;
    if (Number.isNaN(values[i])) missing++;
    else items.push(i);
  }
  const picked = Float64Array.from(items, (i) => values[i]);
  const flags = Float64Array.from(items, (i) => indicator[i]);
  const binned = binByMetric(picked, flags, requestedBins, { minPerBin });
  const bins: RateBin[] = binned.bins.map((b) => {
    const [rateLow, rateHigh] = wilsonInterval(Math.round(b.rate * b.count), b.count);
    return { ...b, min: Infinity, max: -Infinity, rateLow, rateHigh };
  });
  const byClass = new Map<number, { hits: number[]; counts: number[] }>();
  items.forEach((item, k) => {
    const b = binned.binOf[k];
    if (b < 0) return;
    const v = picked[k];
    if (v < bins[b].min) bins[b].min = v;
    if (v > bins[b].max) bins[b].max = v;
    const cls = classOf[item];
    let c = byClass.get(cls);
    if (!c) byClass.set(cls, (c = { hits: new Array(bins.length).fill(0), counts: new Array(bins.length).fill(0) }));
    c.counts[b]++;
    c.hits[b] += flags[k];
  });
  const perClass = [...byClass.entries()]
    .sort(([a], [b]) => a - b)
    .map(([cls, c]) => ({ cls, counts: c.counts, rates: c.counts.map((n, b) => (n > 0 ? c.hits[b] / n : NaN)) }));
  return {
    bins,
    overallRate: binned.overallRate,
    maxCount: binned.maxCount,
    total: items.length,
    missing,
    perClass,
    requestedBins,
    minPerBin,
  };
}
