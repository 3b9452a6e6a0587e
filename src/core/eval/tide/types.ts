// TIDE's vocabulary (Bolya et al., ECCV 2020, as tidecv 1.0.1 computes it; spec: shared/spec/tide.md): the six main
// error types, the two special ones, and what an evaluation returns. All dAPs are in AP points (0-100), as tidecv
// reports them, with the full double.
import type { CocoId } from '../coco/params.ts';

/** tidecv's TIDE._error_types order: the order of every table and chart. */
export const MAIN_ERRORS = ['Cls', 'Loc', 'Both', 'Dupe', 'Bkg', 'Miss'] as const;
export type MainError = (typeof MAIN_ERRORS)[number];
export const SPECIAL_ERRORS = ['FalsePos', 'FalseNeg'] as const;
export type SpecialError = (typeof SPECIAL_ERRORS)[number];

/** One line each, in tidecv's own words where it has them. */
export const ERROR_INFO: Record<MainError | SpecialError, { name: string; plural: string; definition: string }> = {
  Cls: {
    name: 'classification error',
    plural: 'classification errors',
    definition: 'Right place, wrong class: IoU >= 0.5 with a label of another class.',
  },
  Loc: {
    name: 'localisation error',
    plural: 'localisation errors',
    definition: 'Right class, box off: best IoU with a label of its class is between 0.1 and 0.5.',
  },
  Both: {
    name: 'class and location error',
    plural: 'class and location errors',
    definition: 'Wrong class and box off: overlaps some label by more than 0.1, but fits no other type.',
  },
  Dupe: {
    name: 'duplicate detection',
    plural: 'duplicate detections',
    definition: 'Would be a true positive, but a more confident prediction already took the label.',
  },
  Bkg: {
    name: 'background detection',
    plural: 'background detections',
    definition: 'Fires on background: IoU <= 0.1 with every label.',
  },
  Miss: {
    name: 'missed label',
    plural: 'missed labels',
    definition: 'A label no prediction found, and that no classification or localisation fix would recover.',
  },
  FalsePos: {
    name: 'false positives',
    plural: 'false positives',
    definition: 'AP gained with perfect precision: every false positive scored below every true positive.',
  },
  FalseNeg: {
    name: 'false negatives',
    plural: 'false negatives',
    definition: 'AP gained with perfect recall: every label that was not found removed from the count.',
  },
};

/** tidecv's modes: TIDE.BOX and TIDE.MASK. */
export type TideMode = 'bbox' | 'mask';

export interface TideOptions {
  mode: TideMode;
  /** TIDE(pos_threshold=): the IoU of a true positive (>=), and the top of the Loc range (<=). Default 0.5. */
  posThreshold?: number;
  /** TIDE(background_threshold=): the bottom of the Loc range (>=) and the Bkg bound (<=). Default 0.1. */
  bgThreshold?: number;
  /** Detections kept per image, over all classes together (tidecv: the ground truth's max_dets, 100). */
  maxDets?: number;
}

/** What became of a detection, from tidecv's pred['used']. */
export const OUTCOME = {
  /** Beyond the first maxDets of its image (by score): neither counted nor classified. */
  dropped: 0,
  truePositive: 1,
  falsePositive: 2,
  /** Not a true positive, but inside a crowd region of its class (overlap > 0.5): left out of AP, still typed. */
  ignored: 3,
} as const;
export type Outcome = (typeof OUTCOME)[keyof typeof OUTCOME];

/** Error codes per detection / label: 0 none, then MAIN_ERRORS[code - 1]. */
export const NO_ERROR = 0;
export const errorCode = (type: MainError): number => MAIN_ERRORS.indexOf(type) + 1;
export const errorOfCode = (code: number): MainError | undefined => MAIN_ERRORS[code - 1];

export interface TideClass {
  categoryId: CocoId;
  name: string;
  /** The class's AP in the base lists (AP points). */
  ap: number;
  /** Ground-truth objects (crowd regions excluded). */
  groundTruth: number;
  /** Detections counted in its AP list (kept, not ignored). */
  points: number;
  /** Errors by type: detections of this class (Miss: labels of this class). */
  counts: Record<MainError, number>;
  /** Cls errors whose target label is of this class (detections of other classes on its labels). */
  clsTargets: number;
  /** The class's AP with each type fixed; null where the fix leaves the class empty (it leaves the mean). */
  fixedAP: Record<MainError, number | null>;
  /** max(0, fixedAP - ap) per type (an emptied class counts 0). */
  dAP: Record<MainError, number>;
  /** Per class FalsePos / FalseNeg: the class's AP with the special fix, minus ap (null where emptied). */
  special: Record<SpecialError, number | null>;
}

/** Per detection, by index in the results file. */
export interface TideDetections {
  outcome: Uint8Array;
  /** errorCode of its type (0: a true positive or dropped). */
  error: Uint8Array;
  /** Cls / Loc: the annotation index of the label it targets; TP: the label it matched; else -1. */
  target: Int32Array;
  /** Dupe: the detection (results index) that took the label first; else -1. */
  suppressor: Int32Array;
  /** 1 for the Cls/Loc error that becomes a true positive when its type is fixed (the target's fixer). */
  fixer: Uint8Array;
  /** Best IoU with a label of its own class (0 when none); for the label-error gallery and the cards. */
  bestIou: Float64Array;
  /** Best IoU with a label of any other class, and that label's annotation index (-1: none). */
  otherIou: Float64Array;
  otherLabel: Int32Array;
}

/** Per annotation, by index in the ground-truth file. */
export interface TideGroundTruth {
  crowd: Uint8Array;
  /** The detection (results index) that matched it; -1 when none. */
  matchedBy: Int32Array;
  /** 1 for every unmatched non-crowd label (missed or recoverable). */
  falseNegative: Uint8Array;
  /** 1 for a Miss error: unmatched and not the target of any Cls/Loc error. */
  miss: Uint8Array;
  /** The best IoU any kept detection of any class reached with it (0: none overlaps). */
  bestIou: Float64Array;
  /** The best IoU reached by a kept detection of its own class. */
  bestSameClassIou: Float64Array;
  /** The most confident kept detection of its class with IoU >= bgThreshold (results index; -1: none). */
  overlapBy: Int32Array;
}

export interface TideResult {
  mode: TideMode;
  posThreshold: number;
  bgThreshold: number;
  maxDets: number;
  /** tidecv's base mAP ("bbox AP @ 50"), AP points. NaN when no class has ground truth or detections. */
  ap: number;
  /** dAP per main error type: max(0, mAP with that type fixed - ap). */
  main: Record<MainError, number>;
  special: Record<SpecialError, number>;
  counts: Record<MainError, number>;
  /** mAP of the rebuilt lists with each type fixed (before the clamp). */
  fixedMAP: Record<MainError, number>;
  /** mAP of the rebuilt lists with nothing fixed: below ap when ties change order (tidecv compares with ap). */
  nothingFixedMAP: number;
  /** In tidecv's class order (first use in image order): the order of its mean. */
  classes: TideClass[];
  detections: TideDetections;
  groundTruth: TideGroundTruth;
  /** Image ids in evaluation order: gt.json's images, then images only annotations mention. */
  images: CocoId[];
}
