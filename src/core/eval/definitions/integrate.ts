// How other tools turn one class's ranked match list into AP, each written from the tool's formula in the same
// floating-point order (pinned against the tools themselves: test/fixtures/definitions/):
// - py-faster-rcnn's voc_ap (lib/datasets/voc_eval.py), all-point and the VOC2007 11-point metric;
// - Ultralytics' compute_ap (ultralytics/utils/metrics.py): the precision envelope read by np.interp at 101 points
//   and integrated by np.trapz.
import { linspace } from '../coco/params.ts';
import { numpySum } from '../pairwise-sum.ts';

/** A class's detections in rank order (descending score) with their TP flags, and its ground-truth count. */
export interface MatchList {
  tp: Uint8Array;
  nGt: number;
}

/** Cumulative TP and FP counts in rank order. */
function cumulative(list: MatchList): { tp: Float64Array; fp: Float64Array } {
  const n = list.tp.length;
  const tp = new Float64Array(n);
  const fp = new Float64Array(n);
  let t = 0;
  let f = 0;
  for (let i = 0; i < n; i++) {
    if (list.tp[i]) t++;
    else f++;
    tp[i] = t;
    fp[i] = f;
  }
  return { tp, fp };
}

const EPS = 2.220446049250313e-16; // np.finfo(np.float64).eps

/** voc_eval's curve: rec = tp / npos, prec = tp / max(tp + fp, eps). */
export function vocCurve(list: MatchList): { rec: Float64Array; prec: Float64Array } {
  const { tp, fp } = cumulative(list);
  const rec = tp.map((t) => t / list.nGt);
  const prec = tp.map((t, i) => t / Math.max(t + fp[i], EPS));
  return { rec, prec };
}

/** np.arange(0., 1.1, 0.1): i * 0.1 for i = 0..10. */
const VOC07_THRESHOLDS = Float64Array.from({ length: 11 }, (_, i) => i * 0.1);

/** py-faster-rcnn voc_ap(rec, prec, use_07_metric). */
export function vocAP(rec: Float64Array, prec: Float64Array, use07: boolean): number {
  if (use07) {
    let ap = 0;
    for (const t of VOC07_THRESHOLDS) {
      let p = 0;
      let any = false;
      for (let i = 0; i < rec.length; i++) {
        if (rec[i] >= t) {
          p = any ? Math.max(p, prec[i]) : prec[i];
          any = true;
        }
      }
      ap = ap + p / 11;
    }
    return ap;
  }
  const n = rec.length + 2;
  const mrec = new Float64Array(n);
  const mpre = new Float64Array(n);
  mrec.set(rec, 1);
  mrec[n - 1] = 1;
  mpre.set(prec, 1);
  for (let i = n - 1; i > 0; i--) mpre[i - 1] = Math.max(mpre[i - 1], mpre[i]);
  const terms: number[] = [];
  for (let i = 0; i < n - 1; i++) if (mrec[i + 1] !== mrec[i]) terms.push((mrec[i + 1] - mrec[i]) * mpre[i + 1]);
  return numpySum(terms);
}

/** ap_per_class's curve: recall = tpc / (n_l + 1e-16), precision = tpc / (tpc + fpc). */
export function ultralyticsCurve(list: MatchList): { recall: Float64Array; precision: Float64Array } {
  const { tp, fp } = cumulative(list);
  const denominator = list.nGt + 1e-16;
  return { recall: tp.map((t) => t / denominator), precision: tp.map((t, i) => t / (t + fp[i])) };
}

/** np.interp(x, xp, fp) for nondecreasing xp (numpy's arr_interp, including its slope and exact-hit rules). */
export function npInterp(x: Float64Array, xp: Float64Array, fp: Float64Array): Float64Array {
  const n = xp.length;
  const out = new Float64Array(x.length);
  const slope = (j: number) => (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (Number.isNaN(v)) {
      out[i] = v;
      continue;
    }
    if (n === 1) {
      out[i] = fp[0];
      continue;
    }
    // binary_search_with_guess: the last j with xp[j] <= v (-1 below, n above the range).
    let j: number;
    if (v > xp[n - 1]) j = n;
    else if (v < xp[0]) j = -1;
    else {
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (v >= xp[mid]) lo = mid + 1;
        else hi = mid;
      }
      j = lo - 1;
    }
    if (j === -1) out[i] = fp[0];
    else if (j === n) out[i] = fp[n - 1];
    else if (j === n - 1) out[i] = fp[j];
    else if (xp[j] === v) out[i] = fp[j];
    else {
      const s = slope(j);
      let r = s * (v - xp[j]) + fp[j];
      if (Number.isNaN(r)) {
        r = s * (v - xp[j + 1]) + fp[j + 1];
        if (Number.isNaN(r) && fp[j] === fp[j + 1]) r = fp[j];
      }
      out[i] = r;
    }
  }
  return out;
}

/** np.trapz(y, x): sum of diff(x) * (y[1:] + y[:-1]) / 2.0, summed pairwise. */
export function npTrapz(y: Float64Array, x: Float64Array): number {
  const terms = new Float64Array(y.length - 1);
  for (let i = 0; i < terms.length; i++) terms[i] = ((x[i + 1] - x[i]) * (y[i + 1] + y[i])) / 2.0;
  return numpySum(terms);
}

const X101 = linspace(0, 1, 101);

/** Ultralytics compute_ap(recall, precision)[0]. */
export function ultralyticsAP(recall: Float64Array, precision: Float64Array): number {
  const n = recall.length + 2;
  const mrec = new Float64Array(n);
  const mpre = new Float64Array(n);
  mrec.set(recall, 1);
  mrec[n - 1] = 1;
  mpre[0] = 1;
  mpre.set(precision, 1);
  // np.flip(np.maximum.accumulate(np.flip(mpre))): the running maximum from the right (NaN propagates).
  for (let i = n - 2; i >= 0; i--) {
    const a = mpre[i];
    const b = mpre[i + 1];
    mpre[i] = Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b);
  }
  return npTrapz(npInterp(X101, mrec, mpre), X101);
}
