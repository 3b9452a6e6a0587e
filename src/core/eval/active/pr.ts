// AP, AR and the 101-point precision curve of one class, as EA v0.1.40's compute_mAP_and_mAR (spec §5.3):
// cumulative TP over the class's predictions in confidence order, recall = cTP / (nLabels + ε),
// precision = cTP / (rank + ε), the max-to-the-right envelope, searchsorted(side='left') at k·0.01, mean.
//
// EA builds the envelope by adding clipped differences until nothing changes. In floating point x + (y − x) is not
// always y, but here every update has y < 2x (a TP after c ≥ 1 TPs raises precision by less than 2×, and from 0 the
// sum is exact), so Sterbenz makes each step exact and the loop's fixed point is exactly the suffix maximum.
import { EA_EPS, RECALL_THRESHOLDS } from './numeric.ts';
import { numpyMean, numpySum } from '../pairwise-sum.ts';
import type { ActiveScore } from './types.ts';

export interface ClassCurveScratch {
  cumTP: Int32Array;
  precision: Float64Array;
}

export function curveScratch(maxPredictions: number): ClassCurveScratch {
  return { cumTP: new Int32Array(maxPredictions), precision: new Float64Array(maxPredictions) };
}

/**
 * Fills `out` (101 values) with the interpolated precision of one class and returns AP and AR.
 * `pidx[start .. start+n)` are the class's predictions in confidence order; `isTP` is indexed by pidx.
 */
export function classCurve(
  isTP: Uint8Array,
  pidx: Int32Array,
  start: number,
  n: number,
  nLabels: number,
  out: Float64Array,
  scratch: ClassCurveScratch,
): { AP: number; AR: number; nTruePositives: number } {
  out.fill(0);
  if (n === 0) return { AP: 0, AR: 0, nTruePositives: 0 };
  const { cumTP, precision } = scratch;
  let tp = 0;
  for (let i = 0; i < n; i++) {
    tp += isTP[pidx[start + i]];
    cumTP[i] = tp;
    precision[i] = tp / (i + 1 + EA_EPS);
  }
  for (let i = n - 2; i >= 0; i--) if (precision[i + 1] > precision[i]) precision[i] = precision[i + 1];

  const recallDenominator = nLabels + EA_EPS;
  let i = 0;
  for (let k = 0; k < RECALL_THRESHOLDS.length; k++) {
    const r = RECALL_THRESHOLDS[k];
    while (i < n && cumTP[i] / recallDenominator < r) i++;
    if (i === n) break;
    out[k] = precision[i];
  }
  return { AP: numpySum(out) / out.length, AR: tp / recallDenominator, nTruePositives: tp };
}

/** EA's PerformanceMetricSchema rows: mAP, AP_<name>..., mAR, AR_<name>... (evaluated classes only). */
export function metricRows(score: ActiveScore): [metric: string, value: number, className: string][] {
  const evaluated = score.perClass.filter((c) => c.evaluated);
  return [
    ['mAP', score.mAP, 'Mean'],
    ...evaluated.map((c): [string, number, string] => [`AP_${c.name}`, c.AP, c.name]),
    ['mAR', score.mAR, 'Mean'],
    ...evaluated.map((c): [string, number, string] => [`AR_${c.name}`, c.AR, c.name]),
  ];
}

/** EA's precision-recall rows (precision, recall threshold, class name), 101 per evaluated class. */
export function prRows(score: ActiveScore): [precision: number, recall: number, className: string][] {
  const rows: [number, number, string][] = [];
  for (const c of score.perClass) {
    const curve = score.pr[c.index];
    if (!c.evaluated || !curve) continue;
    for (let k = 0; k < RECALL_THRESHOLDS.length; k++) rows.push([curve[k], RECALL_THRESHOLDS[k], c.name]);
  }
  return rows;
}

/**
 * mAP and mAR over a subset of classes (class indexes), the way EA averages all of them. EA v0.1.40 always showed
 * the all-class means whatever the class filter said (spec §5.4); a UI can show both. NaN when no class of the
 * subset was evaluated.
 */
export function subsetMeans(score: ActiveScore, classIndexes: Iterable<number>): { mAP: number; mAR: number } {
  const wanted = new Set(classIndexes);
  const chosen = score.perClass.filter((c) => c.evaluated && wanted.has(c.index));
  return { mAP: numpyMean(chosen.map((c) => c.AP)), mAR: numpyMean(chosen.map((c) => c.AR)) };
}
