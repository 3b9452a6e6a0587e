// numpy.percentile(a, p) with its default method 'linear' (numpy 1.22+, Hyndman & Fan type 7), value for value:
// q = p / 100, virtual index h = (n - 1) * q, below = floor(h), gamma = h - below, and numpy's _lerp:
// a + (b - a) * gamma when gamma < 0.5, else b - (b - a) * (1 - gamma). An index at or past n - 1 takes the last
// value. NaN anywhere gives NaN, as in numpy.

/** The p-th percentile (0..100) of `values` (not modified). */
export function percentile(values: ArrayLike<number>, p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`a percentile is within 0..100, got ${p}`);
  const n = values.length;
  if (n === 0) throw new RangeError('the percentile of no values is undefined');
  const sorted = Float64Array.from(values);
  for (let i = 0; i < n; i++) if (Number.isNaN(sorted[i])) return NaN;
  sorted.sort();
  const h = (n - 1) * (p / 100);
  if (h >= n - 1) return sorted[n - 1];
  const below = Math.floor(h);
  const gamma = h - below;
  const a = sorted[below];
  const b = sorted[below + 1];
  const diff = b - a;
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}
