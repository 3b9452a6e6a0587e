// The columns of one scored EA-style evaluation that the matches and per-image tables read, in the evaluation's own
// order (pidx: predictions by confidence, descending; lidx: labels in project order). The page has them as the eval
// worker's PreparedSummary + ScoreResult (same names), the CLI as ActivePrepared + ActiveScore (activeMatchInput).
import type { ActivePrepared, ActiveScore } from '../eval/active/types.ts';
import type { Project } from '../model.ts';

export interface MatchInput {
  project: Project;
  classes: readonly { name: string; featureHash: string }[];
  iouThreshold: number;
  ignoreFramesWithoutPredictions: boolean;

  // ---- per prediction, by pidx
  nPredictions: number;
  /** Index of the prediction in the run (the order it was imported in). */
  predSource: Int32Array;
  predClass: Int32Array;
  predFrame: Int32Array;
  confidence: Float64Array;
  /** IoU with the best label of its class and frame (0: none overlaps). */
  iou: Float64Array;
  /** lidx of that label, -1 when none. */
  bestLabel: Int32Array;
  isTP: Uint8Array;
  fpReason: Uint8Array;

  // ---- per label, by lidx
  nLabels: number;
  labelClass: Int32Array;
  labelFrame: Int32Array;
  /** objectHash of object labels, classificationHash of classification labels. */
  labelHash: readonly string[];
  isFN: Uint8Array;
  labelCounted: Uint8Array;

  // ---- per frame
  /** Index into project.dataUnits (-1: not a unit of the project). */
  frameUnit: Int32Array;
  frameNumber: Int32Array;
}

/** The CLI's (and tests') way in: the core evaluation's own arrays. */
export function activeMatchInput(project: Project, prepared: ActivePrepared, score: ActiveScore): MatchInput {
  return {
    project,
    classes: prepared.classes,
    iouThreshold: score.iouThreshold,
    ignoreFramesWithoutPredictions: score.ignoreFramesWithoutPredictions,
    nPredictions: prepared.nPredictions,
    predSource: prepared.predSource,
    predClass: prepared.predClass,
    predFrame: prepared.predFrame,
    confidence: prepared.confidence,
    iou: prepared.iou,
    bestLabel: prepared.bestLabel,
    isTP: score.isTP,
    fpReason: score.fpReason,
    nLabels: prepared.nLabels,
    labelClass: prepared.labelClass,
    labelFrame: prepared.labelFrame,
    labelHash: prepared.labels.map((l) =>
      l.kind === 'object' ? l.object.objectHash : l.classification.classificationHash,
    ),
    isFN: score.isFN,
    labelCounted: score.labelCounted,
    frameUnit: Int32Array.from(prepared.frames, (f) => f.dataUnitIndex),
    frameNumber: Int32Array.from(prepared.frames, (f) => f.frame),
  };
}

/** TP, FP and FN at the input's IoU: every prediction is one or the other; FN counts the counted, missed labels. */
export function outcomeCounts(input: Pick<MatchInput, 'isTP' | 'isFN' | 'labelCounted'>): {
  tp: number;
  fp: number;
  fn: number;
} {
  let tp = 0;
  for (let p = 0; p < input.isTP.length; p++) tp += input.isTP[p];
  let fn = 0;
  for (let l = 0; l < input.isFN.length; l++) fn += input.isFN[l] & input.labelCounted[l];
  return { tp, fp: input.isTP.length - tp, fn };
}
