// Per-object outcome at one IoU threshold, from evaluateImg with area "all" and maxDets[-1] (as faster-coco-eval,
// hotcoco and FiftyOne-style explorers tag objects): detections TP / FP / ignored, ground truths TP / FN / ignored.
import { IGNORED, MATCHED, type EvalResult } from './evaluate.ts';
import type { Prepared } from './prepare.ts';

export const ObjectTag = {
  /** Not evaluated: image or category outside the params, or beyond maxDets[-1] in its (image, category). */
  NotEvaluated: 0,
  TruePositive: 1,
  FalsePositive: 2,
  /** Matched to a crowd/ignored GT, or an unmatched detection outside the area range; a GT that is ignored. */
  Ignored: 3,
  FalseNegative: 4,
} as const;
export type ObjectTag = (typeof ObjectTag)[keyof typeof ObjectTag];

export interface ObjectTags {
  iouThreshold: number;
  /** Per result, in results-file order. */
  detections: Uint8Array;
  /** Per result: the annotation index it was matched to (also for ignored matches), or -1. */
  detectionMatch: Int32Array;
  /** Per annotation, in ground-truth file order. */
  groundTruths: Uint8Array;
  /** Per annotation: the result index matched to it, or -1. */
  groundTruthMatch: Int32Array;
}

export function objectTags(prep: Prepared, ev: EvalResult, t: number): ObjectTags {
  const T = prep.params.iouThrs.length;
  if (!Number.isInteger(t) || t < 0 || t >= T) throw new RangeError(`IoU threshold index ${t} is outside 0..${T - 1}`);
  const P = prep.dtCellList.length;
  const flags = ev.dtFlags.subarray((ev.tagArea * T + t) * P, (ev.tagArea * T + t + 1) * P);
  const detections = new Uint8Array(prep.dtCount);
  for (let d = 0; d < prep.dtCount; d++) {
    const slot = prep.dtSlot[d];
    if (slot < 0) continue;
    const f = flags[slot];
    detections[d] = f & IGNORED ? ObjectTag.Ignored : f & MATCHED ? ObjectTag.TruePositive : ObjectTag.FalsePositive;
  }
  const groundTruths = new Uint8Array(prep.gtCount);
  const groundTruthMatch = ev.gtMatchDt.slice(t * prep.gtCount, (t + 1) * prep.gtCount);
  for (let j = 0; j < prep.gtCellList.length; j++) {
    const g = prep.gtCellList[j];
    groundTruths[g] = ev.gtIgnoredInTagArea[g]
      ? ObjectTag.Ignored
      : groundTruthMatch[g] >= 0
        ? ObjectTag.TruePositive
        : ObjectTag.FalseNegative;
  }
  return {
    iouThreshold: prep.params.iouThrs[t],
    detections,
    detectionMatch: ev.dtMatchGt.slice(t * prep.dtCount, (t + 1) * prep.dtCount),
    groundTruths,
    groundTruthMatch,
  };
}
