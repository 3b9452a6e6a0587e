// COCOeval.evaluate(): computeIoU once per (image, category) cell, then evaluateImg for every area range, with
// pycocotools' greedy matching reproduced step by step (spec: coco-eval.md "evaluateImg", Q4-Q9).
import type { IouProvider } from './iou.ts';
import type { Prepared } from './prepare.ts';

/** Bits of EvalResult.dtFlags. */
export const MATCHED = 1; // dtMatches != 0
export const IGNORED = 2; // dtIgnore

/** The per-detection outcome of evaluateImg, in typed arrays instead of one dict per cell. */
export interface EvalResult {
  /** [(a*T + t)*P + j]: MATCHED | IGNORED bits of the detection dtCellList[j], P = dtCellList.length. */
  dtFlags: Uint8Array;
  /** Non-ignored GT per (category k, area a): npig of accumulate, index k*A + a. */
  npig: Int32Array;
  /** The area range per-object tags use ("all", else the first). */
  tagArea: number;
  /** [t*nDt + d]: annotation index matched at threshold t in the tag area range, -1 when none. */
  dtMatchGt: Int32Array;
  /** [t*nGt + g]: result index matched to annotation g, -1 when none. */
  gtMatchDt: Int32Array;
  /** Per annotation: ignored in the tag area range (crowd, ignore, or area outside the range). */
  gtIgnoredInTagArea: Uint8Array;
}

const MAX_IOU = 1 - 1e-10;

export function evaluateCells(prep: Prepared, iou: IouProvider, dtArea: Float64Array): EvalResult {
  const { params, I, K } = prep;
  const T = params.iouThrs.length;
  const A = params.areaRng.length;
  const P = prep.dtCellList.length;
  const nDt = prep.dtCount;
  const nGt = prep.gtCount;
  const dtFlags = new Uint8Array(A * T * P);
  const npig = new Int32Array(K * A);
  const allIndex = params.areaRngLbl.indexOf('all');
  const tagArea = allIndex >= 0 ? allIndex : 0;
  const dtMatchGt = new Int32Array(T * nDt).fill(-1);
  const gtMatchDt = new Int32Array(T * nGt).fill(-1);
  const gtIgnoredInTagArea = new Uint8Array(nGt);

  // min([t, 1-1e-10]) as Python evaluates it.
  const startIou = new Float64Array(T);
  for (let t = 0; t < T; t++) startIou[t] = MAX_IOU < params.iouThrs[t] ? MAX_IOU : params.iouThrs[t];

  const { gtCellStart, gtCellList, dtCellStart, dtCellList, gtArea, gtIgnore, gtCrowd, gtMatchable } = prep;
  let ious = new Float64Array(64);
  let gtIg = new Uint8Array(16); // per GT position after the "ignored last" reordering
  let perm = new Int32Array(16); // GT position -> column in `ious`
  let gtm = new Uint8Array(16);
  let crowdAt = new Uint8Array(16); // per GT position: crowd (may match many)
  let iousP = new Float64Array(64); // the IoU matrix with its columns in GT position order
  // Per detection row: the largest IoU (Infinity when a NaN is present). A row below the threshold matches nothing.
  let rowMax = new Float64Array(16);
  let dtOut = new Uint8Array(16); // per detection of the cell: area outside the current range

  for (let cell = 0; cell < K * I; cell++) {
    const g0 = gtCellStart[cell];
    const G = gtCellStart[cell + 1] - g0;
    const d0 = dtCellStart[cell];
    const D = dtCellStart[cell + 1] - d0;
    if (G === 0 && D === 0) continue;
    const k = Math.floor(cell / I);
    if (G > gtIg.length) {
      gtIg = new Uint8Array(2 * G);
      perm = new Int32Array(2 * G);
      gtm = new Uint8Array(2 * G);
      crowdAt = new Uint8Array(2 * G);
    }
    if (D > dtOut.length) dtOut = new Uint8Array(2 * D);
    const haveIous = G > 0 && D > 0;
    if (haveIous) {
      if (D * G > ious.length) {
        ious = new Float64Array(2 * D * G);
        iousP = new Float64Array(2 * D * G);
      }
      if (D > rowMax.length) rowMax = new Float64Array(2 * D);
      iou.cell(dtCellList, d0, D, gtCellList, g0, G, ious);
      for (let d = 0; d < D; d++) {
        let mx = -Infinity;
        for (let g = d * G; g < d * G + G; g++) {
          const v = ious[g];
          if (v > mx) mx = v;
          else if (v !== v) mx = Infinity;
        }
        rowMax[d] = mx;
      }
    }

    for (let a = 0; a < A; a++) {
      const lo = params.areaRng[a][0];
      const hi = params.areaRng[a][1];
      // Stable argsort on _ignore: non-ignored GT first, each group in cell order.
      let front = 0;
      let nIgnored = 0;
      for (let g = 0; g < G; g++) {
        const gi = gtCellList[g0 + g];
        if (!(gtIgnore[gi] || gtArea[gi] < lo || gtArea[gi] > hi)) front++;
      }
      let back = front;
      front = 0;
      for (let g = 0; g < G; g++) {
        const gi = gtCellList[g0 + g];
        const ig = gtIgnore[gi] || gtArea[gi] < lo || gtArea[gi] > hi ? 1 : 0;
        const at = ig ? back++ : front++;
        perm[at] = g;
        gtIg[at] = ig;
        nIgnored += ig;
        if (a === tagArea) gtIgnoredInTagArea[gi] = ig;
      }
      npig[k * A + a] += G - nIgnored;
      if (haveIous) {
        for (let g = 0; g < G; g++) crowdAt[g] = gtCrowd[gtCellList[g0 + perm[g]]];
        for (let d = 0; d < D; d++) {
          const row = d * G;
          for (let g = 0; g < G; g++) iousP[row + g] = ious[row + perm[g]];
        }
      }
      for (let d = 0; d < D; d++) {
        const area = dtArea[dtCellList[d0 + d]];
        dtOut[d] = area < lo || area > hi ? 1 : 0;
      }

      for (let t = 0; t < T; t++) {
        const flagBase = (a * T + t) * P;
        for (let g = 0; g < G; g++) gtm[g] = 0;
        for (let d = 0; d < D; d++) {
          const di = dtCellList[d0 + d];
          let m = -1;
          if (haveIous && !(rowMax[d] < startIou[t])) {
            let best = startIou[t];
            const row = d * G;
            for (let g = 0; g < G; g++) {
              if (gtm[g] && !crowdAt[g]) continue;
              if (m > -1 && gtIg[m] === 0 && gtIg[g] === 1) break;
              const v = iousP[row + g];
              if (v < best) continue;
              best = v;
              m = g;
            }
          }
          let flags = 0;
          if (m > -1) {
            const gi = gtCellList[g0 + perm[m]];
            if (gtIg[m]) flags |= IGNORED;
            if (gtMatchable[gi]) flags |= MATCHED;
            gtm[m] = 1;
            if (a === tagArea) {
              dtMatchGt[t * nDt + di] = gi;
              gtMatchDt[t * nGt + gi] = di;
            }
          }
          // Only unmatched detections outside the area range are ignored (Q7).
          if (!(flags & MATCHED) && dtOut[d]) flags |= IGNORED;
          dtFlags[flagBase + d0 + d] = flags;
        }
      }
    }
  }
  return { dtFlags, npig, tagArea, dtMatchGt, gtMatchDt, gtIgnoredInTagArea };
}
