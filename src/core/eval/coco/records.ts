// The evalImgs of one COCOeval run as flat records, for callers that re-accumulate without matching again (the
// paired bootstrap of core/eval/compare re-weights images). A read-only view of what evaluate() decided:
// per detection taking part (rank < maxDets[-1] in its image and category), per area range and IoU threshold, whether
// it matched and whether it is ignored; per (category, area range, image), how many GT are not ignored.
//
// Kept apart from the evaluation internals on purpose: it is the one place that reads Prepared and EvalResult for
// outside use, so they can change shape freely as long as this function still fills the same records.
import type { EvalResult } from './evaluate.ts';
import type { CocoParams } from './params.ts';
import type { Prepared } from './prepare.ts';

export interface CocoMatchRecords {
  params: CocoParams;
  /** Categories (1 when useCats is off), images (params.imgIds order), IoU thresholds, area ranges. */
  K: number;
  I: number;
  T: number;
  A: number;
  /** Entries (detections taking part), category after category, each in accumulate's order: CSR, K + 1 values. */
  dtCatStart: Int32Array;
  /** Per entry: the result's index in the results file. */
  dtResult: Int32Array;
  /** Per entry: its image's index into params.imgIds. */
  dtImage: Int32Array;
  /** Per entry: its 0-based rank by score inside its (image, category); maxDets m keeps rank < m. */
  dtRank: Int32Array;
  dtScore: Float64Array;
  /**
   * [(a * T + t) * n + j] for entry j of n: 1 = matched (dtMatches != 0), 2 = ignored (dtIgnore), 3 = both.
   * accumulate's tps are the entries equal to 1, its fps those equal to 0.
   */
  dtFlags: Uint8Array;
  /**
   * GT that are not ignored, per (category k, area a) and image: CSR over k * A + a (K * A + 1 values) of
   * (npigImage, npigCount) pairs, images ascending, counts > 0 only. Their sum is accumulate's npig.
   */
  npigStart: Int32Array;
  npigImage: Int32Array;
  npigCount: Int32Array;
}

export function matchRecords(prep: Prepared, ev: EvalResult, score: Float64Array): CocoMatchRecords {
  const { params, I, K } = prep;
  const T = params.iouThrs.length;
  const A = params.areaRng.length;
  const n = prep.dtOrder.length;
  const P = prep.dtCellList.length;

  const dtResult = prep.dtOrder.slice();
  const dtImage = new Int32Array(n);
  const dtRank = new Int32Array(n);
  const dtScore = new Float64Array(n);
  const slot = new Int32Array(n);
  // Cells are k * I + image; a detection's slot falls inside its cell's range of dtCellList.
  const cellOfSlot = new Int32Array(P);
  for (let c = 0; c < K * I; c++) cellOfSlot.fill(c, prep.dtCellStart[c], prep.dtCellStart[c + 1]);
  for (let j = 0; j < n; j++) {
    const d = dtResult[j];
    slot[j] = prep.dtSlot[d];
    dtImage[j] = cellOfSlot[slot[j]] % I;
    dtRank[j] = prep.dtRank[d];
    dtScore[j] = score[d];
  }
  const dtFlags = new Uint8Array(A * T * n);
  for (let at = 0; at < A * T; at++) {
    const from = at * P;
    const to = at * n;
    for (let j = 0; j < n; j++) dtFlags[to + j] = ev.dtFlags[from + slot[j]];
  }

  // evaluateImg's _ignore per area range: the GT's ignore flag, or its area outside the range (bounds inclusive).
  const npigStart = new Int32Array(K * A + 1);
  const images: number[] = [];
  const counts: number[] = [];
  for (let k = 0; k < K; k++) {
    for (let a = 0; a < A; a++) {
      const [lo, hi] = params.areaRng[a];
      for (let i = 0; i < I; i++) {
        const cell = k * I + i;
        let count = 0;
        for (let g = prep.gtCellStart[cell]; g < prep.gtCellStart[cell + 1]; g++) {
          const gi = prep.gtCellList[g];
          if (!(prep.gtIgnore[gi] || prep.gtArea[gi] < lo || prep.gtArea[gi] > hi)) count++;
        }
        if (count > 0) {
          images.push(i);
          counts.push(count);
        }
      }
      npigStart[k * A + a + 1] = images.length;
    }
  }
  return {
    params,
    K,
    I,
    T,
    A,
    dtCatStart: prep.dtCatStart.slice(),
    dtResult,
    dtImage,
    dtRank,
    dtScore,
    dtFlags,
    npigStart,
    npigImage: Int32Array.from(images),
    npigCount: Int32Array.from(counts),
  };
}
