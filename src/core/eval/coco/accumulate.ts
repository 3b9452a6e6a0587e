// COCOeval.accumulate(): precision [T,R,K,A,M], recall [T,K,A,M] and scores [T,R,K,A,M], C order, -1 where a
// (category, area, maxDets) cell has no non-ignored GT (spec: coco-eval.md "accumulate()", Q13-Q15).
import { MATCHED, type EvalResult } from './evaluate.ts';
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

/**
 * One cumsum over the selected detections' flags: returns the number of TPs and, per TP in order, its slot and
 * the FP count before it. Branch-free: flags are 1 (TP), 0 (FP) or ignored (2, 3); entries past the last TP are
 * scratch.
 */
function countPass(
  flags: Uint8Array,
  base: number,
  sel: Int32Array,
  nd: number,
  tpSlot: Int32Array,
  tpFp: Float64Array,
): number {
  let tp = 0;
  let fp = 0;
  for (let j = 0; j < nd; j++) {
    const f = flags[base + sel[j]];
    tpSlot[tp] = j;
    tpFp[tp] = fp;
    tp += +(f === MATCHED);
    fp += +(f === 0);
  }
  return tp;
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
  const P = prep.dtCellList.length;
  const { dtOrder, dtCatStart, dtRank, dtSlot } = prep;

  let sel = new Int32Array(256); // flag slots of the category's detections within maxDet, in score order
  let selScore = new Float64Array(256);
  // Per true positive, in order: its slot among the selected detections and the precision there.
  let tpSlot = new Int32Array(256);
  let tpPr = new Float64Array(256);
  let tpFp = new Float64Array(256);

  for (let k = 0; k < K; k++) {
    const s0 = dtCatStart[k];
    const s1 = dtCatStart[k + 1];
    if (s1 - s0 > sel.length) {
      const n = 2 * (s1 - s0);
      sel = new Int32Array(n);
      selScore = new Float64Array(n);
      tpSlot = new Int32Array(n);
      tpPr = new Float64Array(n);
      tpFp = new Float64Array(n);
    }
    let prevNd = -1;
    for (let m = 0; m < M; m++) {
      const maxDet = params.maxDets[m];
      let nd = 0;
      for (let p = s0; p < s1; p++) {
        const d = dtOrder[p];
        if (dtRank[d] < maxDet) {
          sel[nd] = dtSlot[d];
          selScore[nd] = score[d];
          nd++;
        }
      }
      // maxDets are sorted, so the same count means the same detections: copy the previous maxDets' cells.
      const same = nd === prevNd;
      prevNd = nd;
      for (let a = 0; a < A; a++) {
        const npig = ev.npig[k * A + a];
        if (npig === 0) continue;
        if (same) {
          for (let t = 0; t < T; t++) {
            const rAt = ((t * K + k) * A + a) * M + m;
            recall[rAt] = recall[rAt - 1];
            for (let r = 0; r < R; r++) {
              const at = (((t * R + r) * K + k) * A + a) * M + m;
              precision[at] = precision[at - 1];
              scores[at] = scores[at - 1];
            }
          }
          continue;
        }
        for (let t = 0; t < T; t++) {
          // tps/fps cumulated; pr = tp / (fp + tp + eps) is only kept where a TP lands, because the envelope
          // (max to the right) and every searchsorted index that is reached fall on TP slots: between two TPs the
          // precision only drops. Slot 0 is the exception, handled below.
          const tp = countPass(ev.dtFlags, (a * T + t) * P, sel, nd, tpSlot, tpFp);
          for (let n = 0; n < tp; n++) tpPr[n] = (n + 1) / (tpFp[n] + (n + 1) + EPS);
          const nTp = tp;
          recall[((t * K + k) * A + a) * M + m] = nd ? nTp / npig : 0;
          for (let n = nTp - 2; n >= 0; n--) if (tpPr[n + 1] > tpPr[n]) tpPr[n] = tpPr[n + 1];
          // idx = searchsorted(rc, recThrs, 'left'): slot 0 when rc[0] reaches the threshold, else the slot of the
          // n-th TP for the smallest n with n / npig >= threshold. Copying stops at the first unreached threshold
          // (the IndexError pycocotools swallows), so the rest keep 0.
          const rc0 = nd > 0 ? (nTp > 0 && tpSlot[0] === 0 ? 1 : 0) / npig : NaN;
          let n = 1;
          let r = 0;
          for (; r < R; r++) {
            const thr = recThrs[r];
            let q: number;
            let slot: number;
            if (rc0 >= thr) {
              slot = 0;
              q = nTp > 0 ? tpPr[0] : 0;
            } else {
              if (!recSorted) n = 1;
              while (n <= nTp && n / npig < thr) n++;
              if (n > nTp) break;
              slot = tpSlot[n - 1];
              q = tpPr[n - 1];
            }
            const at = (((t * R + r) * K + k) * A + a) * M + m;
            precision[at] = q;
            scores[at] = selScore[slot];
          }
          for (; r < R; r++) {
            const at = (((t * R + r) * K + k) * A + a) * M + m;
            precision[at] = 0;
            scores[at] = 0;
          }
        }
      }
    }
  }
  return { precision, recall, scores, shape: { T, R, K, A, M } };
}
