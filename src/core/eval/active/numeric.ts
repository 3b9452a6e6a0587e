// The floating-point details that decide whether EA-style numbers match Encord Active v0.1.40 to the last bit
// (spec encord-active.md §5.3): the ε in the denominators, numpy's recall thresholds, numpy's summation order
// inside mean() is numpySum/numpyMean in ../pairwise-sum.ts. (Python's round(x, 2) for label boxes is pyRound
// in kernels/boxes.ts.)

/** float64 machine epsilon (numpy `finfo(float64).eps`), added to EA's recall and precision denominators. */
export const EA_EPS = Number.EPSILON;

/** numpy `linspace(0, 1, 101)`: k·0.01 (not k/100; they differ at k = 35, 41, ...), last element 1.0. */
export const RECALL_THRESHOLDS: Float64Array = (() => {
  const r = new Float64Array(101);
  for (let k = 0; k < 101; k++) r[k] = k * 0.01 + 0.0;
  r[100] = 1.0;
  return r;
})();
