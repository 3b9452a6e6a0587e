// The detection confusion matrix: which class each object label was predicted as, at an IoU and a confidence
// threshold. Unlike EA's per-class matching, a label may be taken by a prediction of ANY class here, which is what
// shows class confusions.
//
// Matching rule (per frame; the candidate pairs and their IoUs come from prepareActive):
// 1. Predictions with confidence >= the confidence threshold are taken in descending confidence (pidx order).
// 2. Each takes the still-unmatched label, of any class, with the highest IoU, provided IoU >= the IoU threshold
//    and IoU > 0. Ties: a label of the prediction's own class first, then the lower lidx.
// 3. Matched with the same class: the diagonal. Matched with another class: row = the label's class, column = the
//    prediction's class. A prediction that matched nothing: row "background", column = its class (a false
//    detection). A label nobody matched: row = its class, column "background" (missed).
// IoU between shapes: box-box is EA's float32 box IoU, polygon/mask pairs the rasterised mask IoU, and a box against
// a polygon or mask uses the latter's bounding box.
import type { ActiveClass, ActivePrepared } from './active/types.ts';

export const CONFUSION_RULE =
  'Per frame, predictions in descending confidence (at or above the confidence threshold) each take the unmatched ' +
  'label of any class with the highest IoU, if that IoU is at least the IoU threshold. Same class: diagonal; other ' +
  'class: off the diagonal; unmatched prediction: background row; unmatched label: background column (missed).';

export interface ConfusionOptions {
  iouThreshold: number;
  /** Predictions below this confidence are left out (default 0: all). */
  confidenceThreshold?: number;
  /** Leave out labels on frames without any prediction (as EA's checkbox does for the recall). */
  ignoreFramesWithoutPredictions?: boolean;
  /** Per prepared frame: 0 leaves the frame's predictions and labels out (default: every frame counts). */
  frames?: Uint8Array;
}

export interface DetectionConfusion {
  /** The object classes, in matrix order; index n (= classes.length) is background. */
  classes: ActiveClass[];
  /** n + 1. */
  size: number;
  /** counts[truth * size + predicted], truth and predicted in 0..n (n = background). */
  counts: Int32Array;
  matchedSameClass: number;
  matchedOtherClass: number;
  unmatchedPredictions: number;
  missedLabels: number;
}

export function detectionConfusion(prepared: ActivePrepared, options: ConfusionOptions): DetectionConfusion {
  const { iouThreshold } = options;
  const minConfidence = options.confidenceThreshold ?? 0;
  const objectClasses = prepared.classes.filter((c) => c.space === 'object');
  const n = objectClasses.length;
  const size = n + 1;
  // Matrix position of each prepared class (-1: not an object class).
  const position = new Int32Array(prepared.classes.length).fill(-1);
  objectClasses.forEach((c, i) => (position[c.index] = i));

  const counts = new Int32Array(size * size);
  const taken = new Uint8Array(prepared.nLabels);
  const { predClass, labelClass, confidence, pairStart, pairLidx, pairIou } = prepared;
  let same = 0;
  let other = 0;
  let unmatched = 0;

  const frames = options.frames;
  for (let p = 0; p < prepared.nPredictions; p++) {
    const col = position[predClass[p]];
    if (col < 0 || !(confidence[p] >= minConfidence)) continue;
    if (frames && !frames[prepared.predFrame[p]]) continue;
    let best = -1;
    let bestIou = 0;
    let bestSame = false;
    for (let k = pairStart[p], end = pairStart[p + 1]; k < end; k++) {
      const l = pairLidx[k];
      const v = pairIou[k];
      if (taken[l] || !(v >= iouThreshold) || !(v > 0)) continue;
      const isSame = labelClass[l] === predClass[p];
      const better =
        best < 0 || v > bestIou || (v === bestIou && ((isSame && !bestSame) || (isSame === bestSame && l < best)));
      if (better) {
        best = l;
        bestIou = v;
        bestSame = isSame;
      }
    }
    if (best < 0) {
      counts[n * size + col]++;
      unmatched++;
      continue;
    }
    taken[best] = 1;
    counts[position[labelClass[best]] * size + col]++;
    if (bestSame) same++;
    else other++;
  }

  let missed = 0;
  const ignore = options.ignoreFramesWithoutPredictions ?? false;
  for (let l = 0; l < prepared.nLabels; l++) {
    const row = position[labelClass[l]];
    if (row < 0 || taken[l]) continue;
    if (ignore && !prepared.frameHasPrediction[prepared.labelFrame[l]]) continue;
    if (frames && !frames[prepared.labelFrame[l]]) continue;
    counts[row * size + n]++;
    missed++;
  }
  return {
    classes: objectClasses,
    size,
    counts,
    matchedSameClass: same,
    matchedOtherClass: other,
    unmatchedPredictions: unmatched,
    missedLabels: missed,
  };
}
