// COCOeval.accumulate(): precision [T,R,K,A,M], recall [T,K,A,M] and scores [T,R,K,A,M], C order, -1 where a
// (category, area, maxDets) cell has no non-ignored GT (spec: coco-eval.md "accumulate()", Q13-Q15).
import { IGNORED, MATCHED, type EvalResult } from './evaluate.ts';
import type { Prepared } from './prepare.ts';

export interface Accumulated {
  /** [T, R, K, A, M] */
  precision: Float64Array;
  /** [T, K, A, M] */
  recall: Float64Array;
  /** [T, R, K, A, M] */
  scores: Float64Array;
  shape: { T: number; R: number; K: number; A: number; M: number };
}

/** np.spacing(1) */
const EPS = 2.220446049250313e-16;

/** First index i < n with a[i] >= v in the non-decreasing a[0..n), or n. */
function searchLeft(a: Float64Array, n: number, v: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function accumulate(prep: Prepared, ev: EvalResult, score: Float64Array): Accumulated {
  const { params, K } = prep;
  const T = params.iouThrs.length;
  const R = params.recThrs.length;
  const A = params.areaRng.length;
  const M = params.maxDets.length;
  const recThrs = params.recThrs;
  let recSorted = true;
  for (let r = 1; r < recThrs.length; r++) if (!(recThrs[r] >= recThrs[r - 1])) recSorted = false;
  const precision = new Float64Array(T * R * K * A * M).fill(-1);
  const recall = new Float64Array(T * K * A * M).fill(-1);
  const scores = new Float64Array(T * R * K * A * M).fill(-1);
  const P = prep.dtOrder.length;
  const { dtOrder, dtCatStart, dtRank } = prep;

  let sel = new Int32Array(256); // positions (in dtOrder) of the detections within maxDet, in order
  let selScore = new Float64Array(256);
  let rc = new Float64Array(256);
  let pr = new Float64Array(256);
  const q = new Float64Array(R);
  const ss = new Float64Array(R);

  for (let k = 0; k < K; k++) {
    const s0 = dtCatStart[k];
    const s1 = dtCatStart[k + 1];
    if (s1 - s0 > sel.length) {
      const n = 2 * (s1 - s0);
      sel = new Int32Array(n);
      selScore = new Float64Array(n);
      rc = new Float64Array(n);
      pr = new Float64Array(n);
    }
    for (let m = 0; m < M; m++) {
      const maxDet = params.maxDets[m];
      let nd = 0;
      for (let p = s0; p < s1; p++) {
        const d = dtOrder[p];
        if (dtRank[d] < maxDet) {
          sel[nd] = p;
          selScore[nd] = score[d];
          nd++;
        }
      }
      for (let a = 0; a < A; a++) {
        const npig = ev.npig[k * A + a];
        if (npig === 0) continue;
        for (let t = 0; t < T; t++) {
          const flags = ev.dtFlags.subarray((a * T + t) * P, (a * T + t + 1) * P);
          let tp = 0;
          let fp = 0;
          for (let j = 0; j < nd; j++) {
            const f = flags[sel[j]];
            if (!(f & IGNORED)) {
              if (f & MATCHED) tp++;
              else fp++;
            }
            rc[j] = tp / npig;
            pr[j] = tp / (fp + tp + EPS);
          }
          recall[((t * K + k) * A + a) * M + m] = nd ? rc[nd - 1] : 0;
          for (let i = nd - 1; i > 0; i--) if (pr[i] > pr[i - 1]) pr[i - 1] = pr[i];
          // idx = searchsorted(rc, recThrs, side='left'); copying stops at the first idx past the end (the
          // IndexError pycocotools swallows), so unreached thresholds keep 0.
          q.fill(0);
          ss.fill(0);
          let pi = 0;
          for (let r = 0; r < R; r++) {
            if (recSorted) {
              while (pi < nd && rc[pi] < recThrs[r]) pi++;
            } else {
              pi = searchLeft(rc, nd, recThrs[r]);
            }
            if (pi >= nd) break;
            q[r] = pr[pi];
            ss[r] = selScore[pi];
          }
          for (let r = 0; r < R; r++) {
            const at = (((t * R + r) * K + k) * A + a) * M + m;
            precision[at] = q[r];
            scores[at] = ss[r];
          }
        }
      }
    }
  }
  return { precision, recall, scores, shape: { T, R, K, A, M } };
}
