// TP / FP / FN and AP / AR at one IoU threshold (EA v0.1.40 compute_mAP_and_mAR, spec §5.2-5.3). Runs on every
// move of the IoU slider: O(predictions + labels + 101·classes), three result arrays, no allocation per prediction.
import { classCurve, curveScratch } from './pr.ts';
import { numpySum } from '../pairwise-sum.ts';
import { FP_REASON, type ActiveClassScore, type ActivePrepared, type ActiveScore } from './types.ts';

export interface ScoreOptions {
  /** A prediction is a TP candidate when its IoU is >= this (0..1). EA's slider default is 0.5. */
  iouThreshold: number;
  /** Count only labels on frames that have at least one prediction (EA's checkbox, default off). */
  ignoreFramesWithoutPredictions?: boolean;
}

/** EA's exact false_positive_reason strings ("" for a true positive). */
export function reasonText(code: number, className: string): string {
  switch (code) {
    case FP_REASON.truePositive:
      return '';
    case FP_REASON.noOverlap:
      return `No overlapping label of class \`${className}\`.`;
    case FP_REASON.alreadyMatched:
      return 'Prediction with higher confidence already matched label.';
    case FP_REASON.iouTooLow:
      return 'IOU too low.';
    default:
      throw new RangeError(`unknown false-positive reason code ${code}`);
  }
}

const scratchCache = new WeakMap<ActivePrepared, ReturnType<typeof curveScratch>>();

function scratchFor(prepared: ActivePrepared) {
  let scratch = scratchCache.get(prepared);
  if (!scratch) {
    let max = 0;
    const start = prepared.classPredStart;
    for (let c = 0; c < prepared.classes.length; c++) max = Math.max(max, start[c + 1] - start[c]);
    scratch = curveScratch(max);
    scratchCache.set(prepared, scratch);
  }
  return scratch;
}

export function scoreActive(prepared: ActivePrepared, options: ScoreOptions): ActiveScore {
  const threshold = options.iouThreshold;
  if (!(threshold >= 0 && threshold <= 1)) throw new RangeError(`IoU threshold must be within 0..1, got ${threshold}`);
  const ignore = options.ignoreFramesWithoutPredictions ?? false;
  const { nPredictions, nLabels, classes, iou, labelMatchStart, labelMatchPidx, classLabelStart, classLabelLidx } =
    prepared;

  const isTP = new Uint8Array(nPredictions);
  const fpReason = new Uint8Array(nPredictions).fill(FP_REASON.noOverlap);
  const isFN = new Uint8Array(nLabels);
  const labelCounted = new Uint8Array(nLabels);
  if (ignore) {
    const { labelFrame, frameHasPrediction } = prepared;
    for (let l = 0; l < nLabels; l++) labelCounted[l] = frameHasPrediction[labelFrame[l]];
  } else labelCounted.fill(1);

  const scratch = scratchFor(prepared);
  const perClass: ActiveClassScore[] = [];
  const pr: (Float64Array | undefined)[] = new Array(classes.length).fill(undefined);
  const evaluatedAP: number[] = [];
  const evaluatedAR: number[] = [];

  for (let c = 0; c < classes.length; c++) {
    const cls = classes[c];
    const labelsFrom = classLabelStart[c];
    const labelsTo = classLabelStart[c + 1];
    let counted = 0;
    for (let j = labelsFrom; j < labelsTo; j++) counted += labelCounted[classLabelLidx[j]];
    const predFrom = prepared.classPredStart[c];
    const nClassPreds = prepared.classPredStart[c + 1] - predFrom;
    const base = {
      index: c,
      featureHash: cls.featureHash,
      name: cls.name,
      space: cls.space,
      nLabels: counted,
      nPredictions: nClassPreds,
    };
    if (counted === 0) {
      perClass.push({ ...base, evaluated: false, AP: NaN, AR: NaN, nTruePositives: 0 });
      continue;
    }

    // Each label takes the first (highest-confidence) of its matched predictions whose IoU reaches the threshold.
    for (let j = labelsFrom; j < labelsTo; j++) {
      const l = classLabelLidx[j];
      let found = false;
      for (let m = labelMatchStart[l], end = labelMatchStart[l + 1]; m < end; m++) {
        const p = labelMatchPidx[m];
        if (found) fpReason[p] = FP_REASON.alreadyMatched;
        else if (iou[p] >= threshold) {
          isTP[p] = 1;
          fpReason[p] = FP_REASON.truePositive;
          found = true;
        } else fpReason[p] = FP_REASON.iouTooLow;
      }
      if (!found) isFN[l] = 1;
    }

    const curve = new Float64Array(101);
    const { AP, AR, nTruePositives } = classCurve(
      isTP,
      prepared.classPredPidx,
      predFrom,
      nClassPreds,
      counted,
      curve,
      scratch,
    );
    pr[c] = curve;
    evaluatedAP.push(AP);
    evaluatedAR.push(AR);
    perClass.push({ ...base, evaluated: true, AP, AR, nTruePositives });
  }

  const n = evaluatedAP.length;
  return {
    iouThreshold: threshold,
    ignoreFramesWithoutPredictions: ignore,
    isTP,
    fpReason,
    isFN,
    labelCounted,
    perClass,
    mAP: n === 0 ? NaN : numpySum(evaluatedAP) / n,
    mAR: n === 0 ? NaN : numpySum(evaluatedAR) / n,
    pr,
  };
}
