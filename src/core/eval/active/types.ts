// The shapes shared by the EA-style evaluation: what prepareActive computes once per (project, prediction run)
// and what scoreActive returns at an IoU threshold. Everything per prediction or per label is a typed array indexed
// by pidx (predictions sorted by confidence, descending, stable) or lidx (labels in project order).
import type { LabelClassification, LabelObject } from '../../model.ts';

/** Which labels and predictions take part: object detections, radio classifications, or both (never merged). */
export type ClassSpace = 'objects' | 'classifications' | 'both';

export interface ActiveClass {
  /** Index into every per-class array of the prepared data and of a score. */
  index: number;
  space: 'object' | 'classification';
  /**
   * EA v0.1.40's class_id inside its own space: the position in ontology.objects for objects, the k-th radio option
   * (classification → radio attribute → option, ontology order) for classifications. EA numbered both from 0.
   */
  eaClassId: number;
  /** The ontology object's featureNodeHash, or the classification's featureNodeHash for an option. */
  featureHash: string;
  /** Radio options only. */
  attributeHash?: string;
  optionHash?: string;
  /** The object name, or the option label (EA's class_idx.json name). */
  name: string;
  color?: string;
  /** The ontology shape for objects ('bounding_box', 'polygon', ...), 'radio' for options. */
  shape: string;
}

export interface ActiveFrame {
  dataHash: string;
  frame: number;
  /** Index into project.dataUnits, or -1 for a data hash the project does not know. */
  dataUnitIndex: number;
}

export type ActiveLabel =
  | { kind: 'object'; dataHash: string; frame: number; object: LabelObject }
  | { kind: 'classification'; dataHash: string; frame: number; classification: LabelClassification };

/** A prediction that could not take part, with the reason (shown to the user; never dropped silently). */
export interface ExcludedPrediction {
  /** Index into the Prediction[] given to prepareActive. */
  source: number;
  code:
    | 'unknown_data_hash'
    | 'unknown_class'
    | 'shape_mismatch'
    | 'unsupported_class_shape'
    | 'outside_class_space'
    | 'bad_confidence';
  reason: string;
}

export interface ActivePrepared {
  space: ClassSpace;
  classes: ActiveClass[];
  frames: ActiveFrame[];

  // ---- predictions, by pidx
  nPredictions: number;
  /** Index into the Prediction[] given to prepareActive. */
  predSource: Int32Array;
  predClass: Int32Array;
  predFrame: Int32Array;
  confidence: Float64Array;
  /** IoU with the best label of the same class and frame, 0 when none overlaps (EA's `iou` column). */
  iou: Float64Array;
  /** lidx of that label, -1 when none. Classification predictions: the first label of their bucket. */
  bestLabel: Int32Array;
  /** Pixel boxes x1,y1,x2,y2 (4 per prediction; NaN for classifications), as EA's predictions.csv computes them. */
  predBoxPx: Float64Array;

  // ---- labels, by lidx
  nLabels: number;
  labels: ActiveLabel[];
  labelClass: Int32Array;
  labelFrame: Int32Array;
  /** Pixel boxes x1,y1,x2,y2 (box labels rounded to 2 decimals as labels.csv; NaN for classifications). */
  labelBoxPx: Float64Array;

  /** EA's ground_truths_matched: the pidxs whose best label is lidx, ascending, as CSR (start has nLabels+1). */
  labelMatchStart: Int32Array;
  labelMatchPidx: Int32Array;
  /** Per class, its pidxs ascending (CSR, nClasses+1). */
  classPredStart: Int32Array;
  classPredPidx: Int32Array;
  /** Per class, its lidxs (CSR, nClasses+1), in EA's walking order. */
  classLabelStart: Int32Array;
  classLabelLidx: Int32Array;
  /** 1 when the frame has at least one prediction of this space (for "ignore frames without predictions"). */
  frameHasPrediction: Uint8Array;

  /** Cross-class candidate pairs for the confusion matrix, per pidx (CSR): labels of any class with IoU > 0. */
  pairStart: Int32Array;
  pairLidx: Int32Array;
  pairIou: Float64Array;

  excluded: ExcludedPrediction[];
  /** Labels left out, by kind (e.g. rotatable_box, polyline, classification_not_radio). */
  skippedLabels: Record<string, number>;
  /** Plain-language notes about how the inputs were read (shown next to the numbers). */
  notes: string[];
}

/** Codes of scoreActive's fpReason; reasonText turns them into EA's exact strings. */
export const FP_REASON = {
  truePositive: 0,
  noOverlap: 1,
  alreadyMatched: 2,
  iouTooLow: 3,
} as const;
export type FpReasonCode = (typeof FP_REASON)[keyof typeof FP_REASON];

export interface ActiveClassScore {
  index: number;
  featureHash: string;
  name: string;
  space: 'object' | 'classification';
  /** False when the class has no (counted) labels: EA skips it, its AP/AR are NaN and it is not in mAP/mAR. */
  evaluated: boolean;
  AP: number;
  AR: number;
  /** Labels counted in the recall denominator (only frames with predictions when those are ignored). */
  nLabels: number;
  nPredictions: number;
  nTruePositives: number;
}

export interface ActiveScore {
  iouThreshold: number;
  ignoreFramesWithoutPredictions: boolean;
  isTP: Uint8Array;
  fpReason: Uint8Array;
  /** Per label: 1 when no prediction matched it (labels of skipped classes stay 0, as in EA). */
  isFN: Uint8Array;
  /** Per label: 1 when it counts (its frame has predictions, or frames are not ignored). */
  labelCounted: Uint8Array;
  perClass: ActiveClassScore[];
  mAP: number;
  mAR: number;
  /** Per class index: interpolated precision at RECALL_THRESHOLDS (101 values; undefined for skipped classes). */
  pr: (Float64Array | undefined)[];
}
