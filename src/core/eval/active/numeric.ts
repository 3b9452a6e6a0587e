// The floating-point details that decide whether EA-style numbers match Encord Active v0.1.40 to the last bit
// (spec encord-active.md §5.3): the ε in the denominators, numpy's recall thresholds, numpy's summation order
// inside mean(). (Python's round(x, 2) for label boxes is pyRound in kernels/boxes.ts.)

/** float64 machine epsilon (numpy `finfo(float64).eps`), added to EA's recall and precision denominators. */
export const EA_EPS = Number.EPSILON;

/** numpy `linspace(0, 1, 101)`: k·0.01 (not k/100; they differ at k = 35, 41, ...), last element 1.0. */
export const RECALL_THRESHOLDS: Float64Array = (() => {
  const r = new Float64Array(101);
  for (let k = 0; k < 101; k++) r[k] = k * 0.01 + 0.0;
  r[100] = 1.0;
  return r;
})();

/**
 * numpy's pairwise summation (`np.add.reduce` on a contiguous float64 run): below 8 elements a plain loop; up to
 * 128 elements eight interleaved accumulators combined as ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)) then the tail;
 * above that, split at n/2 rounded down to a multiple of 8. `mean` in EA is this sum divided by n.
 */
export function pairwiseSum(a: ArrayLike<number>, start = 0, n = a.length - start): number {
  if (n < 8) {
    let res = -0.0;
    for (let i = 0; i < n; i++) res += a[start + i];
    return res;
  }
  if (n <= 128) {
    let r0 = a[start],
      r1 = a[start + 1],
      r2 = a[start + 2],
      r3 = a[start + 3],
      r4 = a[start + 4],
      r5 = a[start + 5],
      r6 = a[start + 6],
      r7 = a[start + 7];
    let i = 8;
    const whole = n - (n % 8);
    for (; i < whole; i += 8) {
      const p = start + i;
      r0 += a[p];
      r1 += a[p + 1];
      r2 += a[p + 2];
      r3 += a[p + 3];
      r4 += a[p + 4];
      r5 += a[p + 5];
      r6 += a[p + 6];
      r7 += a[p + 7];
    }
    let res = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) res += a[start + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2);
}

/** numpy `mean` of a float64 run: pairwise sum / n (NaN for an empty run, as numpy). */
export function numpyMean(a: ArrayLike<number>, start = 0, n = a.length - start): number {
  return n === 0 ? NaN : pairwiseSum(a, start, n) / n;
}
