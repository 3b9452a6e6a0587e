// Performance by metric: equal-frequency bins as pandas.qcut makes them (Encord Active's rules, spec 7.4), and the
// share of an indicator (true positive, false negative) per bin.

export const MIN_BINS = 5;
export const MAX_BINS = 200;
/** Encord Active's default bucket count (its slider's 5..200, default 50), what binByMetric does when not told. */
export const DEFAULT_BINS = 50;

/**
 * predlens' page asks for about 10 bins and never makes one of fewer than MIN_ITEMS_PER_BIN items (on average):
 * EA's 50 bins put 4-9 items in a bin on a typical run, where a rate is noise. Each rate also gets its Wilson 95 %
 * interval (wilsonInterval).
 */
export const PAGE_DEFAULT_BINS = 10;
export const MIN_ITEMS_PER_BIN = 30;

export interface BinOptions {
  /** Fewer bins when the items would average fewer than this per bin (may go below MIN_BINS, down to 1). */
  minPerBin?: number;
}

/** A bin count the page may ask for: a whole number in 5..200 (the default for anything else). */
export function clampBins(requested: number): number {
  if (!Number.isFinite(requested)) return DEFAULT_BINS;
  return Math.max(MIN_BINS, Math.min(MAX_BINS, Math.round(requested)));
}

/** numpy's quantile with linear interpolation on sorted values. */
function quantile(sorted: Float64Array, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const frac = pos - lo;
  return sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
}

export interface Bin {
  /** Edges as qcut makes them (right-closed; the first bin also includes its left edge). */
  low: number;
  high: number;
  /** The x position EA plots: the midpoint of pandas' rounded interval label (first edge lowered). */
  mid: number;
  count: number;
  /** Mean of the indicator over the bin's items (NaN for an empty bin). */
  rate: number;
}

export interface Binned {
  bins: Bin[];
  /** Bin index of every input value (-1 for NaN values, which EA drops). */
  binOf: Int32Array;
  overallRate: number;
  /** The largest bin count, which EA's bars are normalised to. */
  maxCount: number;
}

/** numpy.around: round half to even at `digits` decimals (via x * 10^digits, as numpy does). */
function around(x: number, digits: number): number {
  const scale = 10 ** digits;
  const y = x * scale;
  let r = Math.round(y);
  if (Math.abs(y % 1) === 0.5 && r % 2 !== 0) r -= 1;
  return digits >= 0 ? r / scale : r * 10 ** -digits;
}

/** pandas' _round_frac: `precision` significant digits for numbers below 1, decimals otherwise. */
function roundFrac(x: number, precision: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const whole = Math.trunc(x);
  const frac = x - whole;
  const digits = whole === 0 ? -Math.floor(Math.log10(Math.abs(frac))) - 1 + precision : precision;
  return around(x, digits);
}

/** pandas' label edges: precision 3, raised until the rounded edges are distinct; first edge lowered. */
function labelEdges(edges: number[]): number[] {
  let precision = 3;
  for (let p = 3; p < 20; p++) {
    if (new Set(edges.map((e) => roundFrac(e, p))).size === edges.length) {
      precision = p;
      break;
    }
  }
  const labels = edges.map((e) => roundFrac(e, precision));
  labels[0] -= 10 ** -precision;
  return labels;
}

/**
 * Bins `values` into min(requested, distinct values) equal-frequency bins (duplicate edges dropped, as
 * qcut(duplicates="drop") does) and averages `indicator` (0/1) per bin.
 */
export function binByMetric(
  values: ArrayLike<number>,
  indicator: ArrayLike<number>,
  requested = DEFAULT_BINS,
  options: BinOptions = {},
): Binned {
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) finite.push(values[i]);
  const sorted = Float64Array.from(finite).sort();
  const distinct = new Set(finite).size;
  const enough = options.minPerBin ? Math.floor(finite.length / options.minPerBin) : Infinity;
  const n = Math.max(1, Math.min(clampBins(requested), distinct, enough));
  const binOf = new Int32Array(values.length).fill(-1);
  if (sorted.length === 0) return { bins: [], binOf, overallRate: NaN, maxCount: 0 };

  const edges: number[] = [];
  for (let i = 0; i <= n; i++) {
    const e = quantile(sorted, i / n);
    if (edges.length === 0 || e !== edges[edges.length - 1]) edges.push(e);
  }
  if (edges.length === 1) edges.push(edges[0]);
  const labels = labelEdges(edges);
  const bins: Bin[] = [];
  for (let b = 0; b + 1 < edges.length; b++) {
    bins.push({ low: edges[b], high: edges[b + 1], mid: (labels[b] + labels[b + 1]) / 2, count: 0, rate: 0 });
  }
  let total = 0;
  let hits = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    // Right-closed intervals (low, high]; the first also takes its left edge.
    let lo = 0;
    let hi = bins.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (v <= bins[mid].high) hi = mid;
      else lo = mid + 1;
    }
    binOf[i] = lo;
    bins[lo].count++;
    bins[lo].rate += indicator[i];
    total++;
    hits += indicator[i];
  }
  let maxCount = 0;
  for (const bin of bins) {
    bin.rate = bin.count > 0 ? bin.rate / bin.count : NaN;
    maxCount = Math.max(maxCount, bin.count);
  }
  return { bins, binOf, overallRate: hits / total, maxCount };
}

/** z for a two-sided 95 % interval: the 0.975 quantile of the standard normal. */
const Z95 = 1.959963984540054;

/**
 * The Wilson score interval of a rate of `hits` in `n` trials (95 % by default): unlike the normal approximation
 * it stays inside [0, 1] and is honest for small bins and rates near 0 or 1. [NaN, NaN] for an empty bin.
 */
export function wilsonInterval(hits: number, n: number, z = Z95): [number, number] {
  if (n <= 0) return [NaN, NaN];
  const p = hits / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** Pearson correlation of a metric with a score (EA's "Metric Correlations"), NaN values treated as 0 like EA. */
export function pearson(values: ArrayLike<number>, score: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return NaN;
  let mx = 0,
    my = 0;
  let constantX = true,
    constantY = true;
  const x0 = Number.isNaN(values[0]) ? 0 : values[0];
  for (let i = 0; i < n; i++) {
    const x = Number.isNaN(values[i]) ? 0 : values[i];
    mx += x;
    my += score[i];
    constantX &&= x === x0;
    constantY &&= score[i] === score[0];
  }
  // A constant column has no correlation (rounding in the mean would otherwise give a meaningless tiny one).
  if (constantX || constantY) return NaN;
  mx /= n;
  my /= n;
  let sxy = 0,
    sxx = 0,
    syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (Number.isNaN(values[i]) ? 0 : values[i]) - mx;
    const dy = score[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? NaN : sxy / Math.sqrt(sxx * syy);
}
