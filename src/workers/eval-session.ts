// One evaluation of one prediction run against one project, as the eval worker keeps it between calls: the
// one-time EA-style preparation, then cheap answers for every move of the controls. Plain TypeScript (no DOM,
// no comlink), so it runs the same in the worker and in Node; the worker only moves the results across.
//
// Every typed array handed out is the caller's own (a copy or a fresh result), so the worker may transfer it.
import type { Kernels } from '../kernels/wasm.ts';
import { rleDecodeRowMajor, rleFromCoco } from '../kernels/rle.ts';
import type { Prediction, Project } from '../core/model.ts';
import {
  DEVIATIONS,
  prepareActive,
  RECALL_THRESHOLDS,
  scoreActive,
  type ActiveClassScore,
  type ActivePrepared,
  type ActiveScore,
  type ClassSpace,
} from '../core/eval/active/index.ts';
import { evaluateClassifications, type ClassificationReport } from '../core/eval/classification.ts';
import { confidenceExplorer, type ConfidenceCurve } from '../core/eval/confidence.ts';
import { CONFUSION_RULE, detectionConfusion } from '../core/eval/confusion.ts';
import { activePerImage, type ImageOutcome } from '../core/eval/per-image.ts';

export interface EvalClassInfo {
  index: number;
  name: string;
  /** The ontology colour (objects); classification options get none. */
  color?: string;
  space: 'object' | 'classification';
  shape: string;
  featureHash: string;
}

export interface ExcludedGroup {
  code: string;
  count: number;
  /** The first few reasons, for the user to see what is wrong. */
  examples: string[];
}

/** What prepare() tells the page once: the classes, the counts, and the columns that never change with the slider. */
export interface PreparedSummary {
  space: ClassSpace;
  classes: EvalClassInfo[];
  /** Predictions given (the whole run). */
  totalPredictions: number;
  /** Predictions taking part (pidx order below). */
  nPredictions: number;
  nLabels: number;
  /** Data units with at least one prediction of the run. */
  unitsWithPredictions: number;
  excluded: ExcludedGroup[];
  skippedLabels: Record<string, number>;
  notes: string[];
  deviations: readonly string[];
  /** The run holds classification predictions (scored apart: classification()). */
  hasClassifications: boolean;
  /** The run holds object predictions. */
  hasObjects: boolean;

  // ---- per prediction, by pidx (descending confidence)
  /** Index into the run's predictions (what TIDE's per-prediction arrays are indexed by). */
  predSource: Int32Array;
  predClass: Int32Array;
  predFrame: Int32Array;
  confidence: Float64Array;
  iou: Float64Array;
  /** The label each prediction was matched to at import (-1: none). */
  bestLabel: Int32Array;
  // ---- per label, by lidx
  labelClass: Int32Array;
  labelFrame: Int32Array;
  /** objectHash of object labels, classificationHash of classification labels. */
  labelHash: string[];
  // ---- per frame
  /** Index into project.dataUnits. */
  frameUnit: Int32Array;
  frameNumber: Int32Array;

  loadMs: number;
  prepareMs: number;
}

export interface ScoreRequest {
  iouThreshold: number;
  ignoreFramesWithoutPredictions: boolean;
}

export interface ScoreResult extends ScoreRequest {
  mAP: number;
  mAR: number;
  perClass: ActiveClassScore[];
  /** Interpolated precision at the 101 recall thresholds, class after class (NaN for classes not evaluated). */
  pr: Float64Array;
  isTP: Uint8Array;
  fpReason: Uint8Array;
  isFN: Uint8Array;
  labelCounted: Uint8Array;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** Time spent scoring in the worker. */
  ms: number;
}

export interface ConfusionRequest {
  iouThreshold: number;
  confidenceThreshold: number;
  ignoreFramesWithoutPredictions: boolean;
}

export interface ConfusionResult extends ConfusionRequest {
  /** Class indices (into PreparedSummary.classes) in matrix order; the last row and column are background. */
  classes: number[];
  size: number;
  /** counts[truth * size + predicted]. */
  counts: Int32Array;
  matchedSameClass: number;
  matchedOtherClass: number;
  unmatchedPredictions: number;
  missedLabels: number;
  rule: string;
}

export interface CurvesResult {
  iouThreshold: number;
  overall: ConfidenceCurve;
  /** By class index. */
  perClass: ConfidenceCurve[];
}

export type OverlayShape =
  | { kind: 'box'; x: number; y: number; w: number; h: number }
  | { kind: 'polygon'; points: [number, number][]; holes?: [number, number][][] }
  /** Row-major 0/1 mask of the data unit's size. */
  | { kind: 'mask'; width: number; height: number; mask: Uint8Array }
  | { kind: 'classification' };

export interface FramePrediction {
  pidx: number;
  cls: number;
  confidence: number;
  iou: number;
  shape: OverlayShape;
}

export interface FrameDetail {
  frame: number;
  /** Every prediction of the run on this frame, pidx order. */
  predictions: FramePrediction[];
}

export type RunPredictions = readonly Prediction[];

const EXAMPLES = 3;

export class EvalSession {
  readonly project: Project;
  readonly predictions: RunPredictions;
  readonly prepared: ActivePrepared;
  readonly #kernels: Kernels;
  #score: ActiveScore | undefined;
  #framePreds: Int32Array | undefined;
  #framePredStart: Int32Array | undefined;
  readonly #loadMs: number;
  readonly #prepareMs: number;

  constructor(kernels: Kernels, project: Project, predictions: RunPredictions, loadMs = 0) {
    this.#kernels = kernels;
    this.project = project;
    this.predictions = predictions;
    const started = performance.now();
    this.prepared = prepareActive(kernels, project, predictions);
    this.#prepareMs = performance.now() - started;
    this.#loadMs = loadMs;
  }

  summary(): PreparedSummary {
    const p = this.prepared;
    const groups = new Map<string, ExcludedGroup>();
    for (const e of p.excluded) {
      let g = groups.get(e.code);
      if (!g) groups.set(e.code, (g = { code: e.code, count: 0, examples: [] }));
      g.count++;
      if (g.examples.length < EXAMPLES) g.examples.push(e.reason);
    }
    const units = new Set<string>();
    let hasClassifications = false;
    let hasObjects = false;
    for (const pred of this.predictions) {
      if (this.project.byDataHash.has(pred.dataHash.toLowerCase())) units.add(pred.dataHash.toLowerCase());
      if (pred.shape.kind === 'classification') hasClassifications = true;
      else hasObjects = true;
    }
    return {
      space: p.space,
      classes: p.classes.map((c) => ({
        index: c.index,
        name: c.name,
        color: c.color,
        space: c.space,
        shape: c.shape,
        featureHash: c.featureHash,
      })),
      totalPredictions: this.predictions.length,
      nPredictions: p.nPredictions,
      nLabels: p.nLabels,
      unitsWithPredictions: units.size,
      excluded: [...groups.values()],
      skippedLabels: { ...p.skippedLabels },
      notes: [...p.notes],
      deviations: DEVIATIONS,
      hasClassifications,
      hasObjects,
      predSource: p.predSource.slice(),
      predClass: p.predClass.slice(),
      predFrame: p.predFrame.slice(),
      confidence: p.confidence.slice(),
      iou: p.iou.slice(),
      bestLabel: p.bestLabel.slice(),
      labelClass: p.labelClass.slice(),
      labelFrame: p.labelFrame.slice(),
      labelHash: p.labels.map((l) => (l.kind === 'object' ? l.object.objectHash : l.classification.classificationHash)),
      frameUnit: Int32Array.from(p.frames, (f) => f.dataUnitIndex),
      frameNumber: Int32Array.from(p.frames, (f) => f.frame),
      loadMs: this.#loadMs,
      prepareMs: this.#prepareMs,
    };
  }

  /** TP / FP / FN, AP / AR, mAP / mAR and the PR curves at an IoU threshold; kept for the calls that follow. */
  score(request: ScoreRequest): ScoreResult {
    const started = performance.now();
    const score = scoreActive(this.prepared, {
      iouThreshold: request.iouThreshold,
      ignoreFramesWithoutPredictions: request.ignoreFramesWithoutPredictions,
    });
    this.#score = score;
    const nClasses = this.prepared.classes.length;
    const pr = new Float64Array(nClasses * RECALL_THRESHOLDS.length).fill(NaN);
    score.pr.forEach((curve, c) => curve && pr.set(curve, c * RECALL_THRESHOLDS.length));
    let tp = 0;
    for (let i = 0; i < score.isTP.length; i++) tp += score.isTP[i];
    let fn = 0;
    for (let l = 0; l < score.isFN.length; l++) fn += score.isFN[l] & score.labelCounted[l];
    return {
      iouThreshold: score.iouThreshold,
      ignoreFramesWithoutPredictions: score.ignoreFramesWithoutPredictions,
      mAP: score.mAP,
      mAR: score.mAR,
      perClass: score.perClass,
      pr,
      // The session keeps its own score for the confidence curves; the page gets copies it can own.
      isTP: score.isTP.slice(),
      fpReason: score.fpReason.slice(),
      isFN: score.isFN.slice(),
      labelCounted: score.labelCounted.slice(),
      truePositives: tp,
      falsePositives: score.isTP.length - tp,
      falseNegatives: fn,
      ms: performance.now() - started,
    };
  }

  /** The detection confusion matrix (object classes + background) at an IoU and a confidence threshold. */
  confusion(request: ConfusionRequest): ConfusionResult {
    const m = detectionConfusion(this.prepared, {
      iouThreshold: request.iouThreshold,
      confidenceThreshold: request.confidenceThreshold,
      ignoreFramesWithoutPredictions: request.ignoreFramesWithoutPredictions,
    });
    return {
      ...request,
      classes: m.classes.map((c) => c.index),
      size: m.size,
      counts: m.counts,
      matchedSameClass: m.matchedSameClass,
      matchedOtherClass: m.matchedOtherClass,
      unmatchedPredictions: m.unmatchedPredictions,
      missedLabels: m.missedLabels,
      rule: CONFUSION_RULE,
    };
  }

  /** Precision, recall and F1 against the confidence threshold, from the TP flags of the last score. */
  confidenceCurves(maxPoints = 200): CurvesResult {
    if (!this.#score) this.score({ iouThreshold: 0.5, ignoreFramesWithoutPredictions: false });
    const score = this.#score!;
    const explorer = confidenceExplorer(this.prepared, score, { maxPoints });
    return { iouThreshold: score.iouThreshold, overall: explorer.overall, perClass: explorer.perClass };
  }

  /**
   * Per image and video frame of the project: TP / FP / FN and F1 at the IoU of the last score (every image, also
   * those with nothing on them).
   */
  perImage(): ImageOutcome[] {
    if (!this.#score) this.score({ iouThreshold: 0.5, ignoreFramesWithoutPredictions: false });
    return activePerImage(this.project, this.prepared, this.#score!);
  }

  /** Frame classifications: accuracy, per-option P/R/F1 and the confusion matrix; undefined without any. */
  classification(): ClassificationReport | undefined {
    if (!this.predictions.some((p) => p.shape.kind === 'classification')) return undefined;
    return evaluateClassifications(this.project, this.predictions);
  }

  /** The predictions on one frame, with their shapes ready to draw (masks decoded to pixels). */
  frameDetail(frame: number): FrameDetail {
    const { start, items } = this.#byFrame();
    const p = this.prepared;
    const unit = this.project.dataUnits[p.frames[frame]?.dataUnitIndex ?? -1];
    const predictions: FramePrediction[] = [];
    if (!unit) return { frame, predictions };
    for (let k = start[frame], end = start[frame + 1]; k < end; k++) {
      const pidx = items[k];
      const source = this.predictions[p.predSource[pidx]];
      predictions.push({
        pidx,
        cls: p.predClass[pidx],
        confidence: p.confidence[pidx],
        iou: p.iou[pidx],
        shape: this.#overlay(source),
      });
    }
    return { frame, predictions };
  }

  #overlay(prediction: Prediction): OverlayShape {
    const s = prediction.shape;
    switch (s.kind) {
      case 'box':
        return { kind: 'box', ...s.box };
      case 'polygon':
        return { kind: 'polygon', points: s.points, holes: s.holes };
      case 'mask': {
        const rle = rleFromCoco(s.mask);
        return { kind: 'mask', width: rle.w, height: rle.h, mask: rleDecodeRowMajor(this.#kernels, rle) };
      }
      default:
        return { kind: 'classification' };
    }
  }

  #byFrame(): { start: Int32Array; items: Int32Array } {
    if (!this.#framePreds || !this.#framePredStart) {
      const p = this.prepared;
      const start = new Int32Array(p.frames.length + 1);
      for (let i = 0; i < p.nPredictions; i++) start[p.predFrame[i] + 1]++;
      for (let f = 0; f < p.frames.length; f++) start[f + 1] += start[f];
      const fill = start.slice(0, p.frames.length);
      const items = new Int32Array(p.nPredictions);
      for (let i = 0; i < p.nPredictions; i++) items[fill[p.predFrame[i]]++] = i;
      this.#framePreds = items;
      this.#framePredStart = start;
    }
    return { start: this.#framePredStart, items: this.#framePreds };
  }
}
