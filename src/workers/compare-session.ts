// Two prediction runs of one project, as the compare worker keeps them between calls: each run's EA-style
// preparation (an EvalSession each: matching once, frame details, confusion matrices), the pair aligned frame by
// frame for the EA-mode comparison, and — on first use — both runs in COCO terms for the 12 stats and the label
// changes. Plain TypeScript (no DOM, no comlink): the worker only moves the answers across.
//
// Every typed array handed out is the caller's own, so the worker may transfer it.
import type { Kernels } from '../kernels/wasm.ts';
import type { Prediction, Project } from '../core/model.ts';
import { RECALL_THRESHOLDS } from '../core/eval/active/index.ts';
import { ActivePair, type ActiveDifferences, type ActiveScores } from '../core/eval/compare/active.ts';
import { DEFAULT_RESAMPLES, DEFAULT_SEED, type Difference } from '../core/eval/compare/bootstrap.ts';
import {
  COCO_STAT_NAMES,
  resampleDifferences,
  type CocoComparison,
  type ComparePlan,
  type ResampledDifferences,
} from '../core/eval/compare/coco.ts';
import { projectCocoPair, type ProjectCocoPair } from '../core/eval/compare/project.ts';
import { ObjectTag, type ObjectTags } from '../core/eval/coco/index.ts';
import { CONFUSION_RULE, detectionConfusion } from '../core/eval/confusion.ts';
import { EvalSession, type EvalClassInfo, type ExcludedGroup, type FrameDetail } from './eval-session.ts';

export type Which = 'a' | 'b';

export interface CompareSummary {
  classes: EvalClassInfo[];
  /** Per run: predictions given, taking part in the EA-style evaluation, and what was left out. */
  runs: Record<Which, { total: number; evaluated: number; excluded: ExcludedGroup[] }>;
  nLabels: number;
  /** Every frame either run knows (labels first), as data unit index and frame number. */
  frameUnit: Int32Array;
  frameNumber: Int32Array;
  /** Per frame: the run has at least one prediction there. */
  coveredA: Uint8Array;
  coveredB: Uint8Array;
  hasObjects: boolean;
  prepareMs: number;
}

export interface ActiveRequest {
  iouThreshold: number;
  ignoreFramesWithoutPredictions: boolean;
  allFrames: boolean;
}

/** Both runs' EA numbers at one setting, on the compared frames (what a slider move repaints). */
export interface ActiveCompareResult extends ActiveRequest {
  a: { mAP: number; mAR: number; AP: Float64Array; AR: Float64Array };
  b: { mAP: number; mAR: number; AP: Float64Array; AR: Float64Array };
  /** Interpolated precision at the 101 recall thresholds, class after class (NaN: class not evaluated). */
  prA: Float64Array;
  prB: Float64Array;
  coverage: { compared: number; total: number; onlyA: number; onlyB: number; allFrames: boolean };
  /** Per frame (CompareSummary order): 1 when compared. */
  compared: Uint8Array;
  ms: number;
}

export interface ActiveIntervals extends ActiveRequest {
  resamples: number;
  seed: number;
  differences: ActiveDifferences;
  ms: number;
}

export interface CocoRequest {
  allImages: boolean;
  resamples: number;
  seed: number;
}

export interface CocoCompareResult extends CocoRequest {
  iouType: 'bbox' | 'segm';
  names: readonly string[];
  /** pycocotools' stats of each run alone (every image). */
  alone: { a: number[]; b: number[] };
  stats: Difference[];
  perClass: (Difference & {
    categoryId: number;
    name: string;
    onlyIn?: Which;
    detectionsA: number;
    detectionsB: number;
  })[];
  coverage: CocoComparison['coverage'];
  bootstrap: CocoComparison['bootstrap'];
  /** [k][t][r] precision (area all, 100 detections) of each run on the compared images; NaN without GT. */
  curvesA: Float64Array;
  curvesB: Float64Array;
  iouThrs: number[];
  recallPoints: number;
  notes: string[];
  ms: number;
}

export type LabelStatus = 'fixed' | 'broken' | 'both' | 'neither' | 'ignored';

export interface ChangesRequest {
  /** One of COCO's IoU thresholds (0.50, 0.55, ..., 0.95). */
  iou: number;
  allImages: boolean;
}

export interface ImageChangeRow {
  /** The image's frame: index into project.dataUnits and frame number. */
  dataUnitIndex: number;
  frameNumber: number;
  imageId: number;
  fixed: number;
  broken: number;
  fpA: number;
  fpB: number;
  net: number;
}

export interface ChangesResult extends ChangesRequest {
  fixed: (string | number)[];
  broken: (string | number)[];
  images: ImageChangeRow[];
  coverage: CocoComparison['coverage'];
}

/** A frame's predictions of one run, with their shapes. */
export interface CompareFrameDetail extends FrameDetail {
  which: Which;
  /** Per prediction (same order): its index in the run's predictions (what FrameVerdicts are keyed by). */
  source: Int32Array;
}

export type Verdict = 'tp' | 'fp' | 'ignored';

/** COCO's matching on one frame at the changes' IoU (area all, 100 detections). */
export interface FrameVerdicts {
  iou: number;
  /** Per run: prediction index in the run -> its verdict (predictions COCO did not evaluate are absent). */
  predictions: Record<Which, Record<number, Verdict>>;
  /** Label id (objectHash, or annotation id in a dataset) -> what happened to it from A to B. */
  labels: Record<string, LabelStatus>;
}

export interface ConfusionChangeRequest {
  iouThreshold: number;
  confidenceThreshold: number;
  ignoreFramesWithoutPredictions: boolean;
  allFrames: boolean;
}

export interface ConfusionChangeResult extends ConfusionChangeRequest {
  /** Class indices in matrix order; the last row and column are background. */
  classes: number[];
  size: number;
  /** counts[truth * size + predicted] of each run, on the compared frames. */
  countsA: Int32Array;
  countsB: Int32Array;
  rule: string;
}

const keyOf = (unit: number, frame: number) => `${unit}:${frame}`;

export class CompareSession {
  readonly project: Project;
  readonly #kernels: Kernels;
  readonly #predictions: Record<Which, readonly Prediction[]>;
  #ea: { sessions: Record<Which, EvalSession>; pair: ActivePair; ms: number } | undefined;
  #coco: ProjectCocoPair | undefined;
  #scores: ActiveScores | undefined;
  #changes: { key: string; tags: { a: ObjectTags; b: ObjectTags }; result: ChangesResult } | undefined;
  /** Per run: prepared frame index by "unit:frame". */
  #frameIndex: Record<Which, Map<string, number>> | undefined;

  /** Nothing is matched yet: the EA side and the COCO side are each prepared on first use. */
  constructor(kernels: Kernels, project: Project, a: readonly Prediction[], b: readonly Prediction[]) {
    this.#kernels = kernels;
    this.project = project;
    this.#predictions = { a, b };
  }

  /** Each run's EA-style preparation and the pair of them (matching once, the expensive part). */
  get sessions(): Record<Which, EvalSession> {
    return this.#prepared().sessions;
  }

  get pair(): ActivePair {
    return this.#prepared().pair;
  }

  #prepared() {
    if (!this.#ea) {
      const started = performance.now();
      const { a, b } = this.#predictions;
      const sessions = {
        a: new EvalSession(this.#kernels, this.project, a),
        b: new EvalSession(this.#kernels, this.project, b),
      };
      const pair = new ActivePair(sessions.a.prepared, sessions.b.prepared);
      const index = (w: Which) =>
        new Map(sessions[w].prepared.frames.map((f, i) => [keyOf(f.dataUnitIndex, f.frame), i]));
      this.#frameIndex = { a: index('a'), b: index('b') };
      this.#ea = { sessions, pair, ms: performance.now() - started };
    }
    return this.#ea;
  }

  summary(): CompareSummary {
    const run = (w: Which) => {
      const s = this.sessions[w].summary();
      return { total: s.totalPredictions, evaluated: s.nPredictions, excluded: s.excluded };
    };
    const a = this.sessions.a.summary();
    return {
      classes: a.classes,
      runs: { a: run('a'), b: run('b') },
      nLabels: a.nLabels,
      frameUnit: Int32Array.from(this.pair.frames, (f) => f.dataUnitIndex),
      frameNumber: Int32Array.from(this.pair.frames, (f) => f.frame),
      coveredA: this.pair.coveredA.slice(),
      coveredB: this.pair.coveredB.slice(),
      hasObjects: a.hasObjects || this.sessions.b.summary().hasObjects,
      prepareMs: this.#prepared().ms,
    };
  }

  /** Both runs' EA-style numbers at a setting (kept for the intervals that follow). */
  score(request: ActiveRequest): ActiveCompareResult {
    const started = performance.now();
    // The curves on the compared frames come from the same pass as the numbers.
    const nClasses = this.pair.a.classes.length;
    const prA = new Float64Array(nClasses * RECALL_THRESHOLDS.length);
    const prB = new Float64Array(nClasses * RECALL_THRESHOLDS.length);
    const scores = this.pair.score(
      {
        iouThreshold: request.iouThreshold,
        ignoreFramesWithoutPredictions: request.ignoreFramesWithoutPredictions,
        allFrames: request.allFrames,
      },
      { a: prA, b: prB },
    );
    this.#scores = scores;
    const copy = (w: ActiveScores['a']) => ({ mAP: w.mAP, mAR: w.mAR, AP: w.AP.slice(), AR: w.AR.slice() });
    return {
      ...request,
      a: copy(scores.a),
      b: copy(scores.b),
      prA,
      prB,
      coverage: { ...scores.coverage },
      compared: scores.compared.slice(),
      ms: performance.now() - started,
    };
  }

  /**
   * The EA-mode bootstrap at a setting, in steps: yields after each chunk (the worker gives way to newer calls
   * there), returns the intervals.
   */
  *intervals(request: ActiveRequest & { resamples?: number; seed?: number }): Generator<number, ActiveIntervals> {
    const started = performance.now();
    const same =
      this.#scores &&
      this.#scores.settings.iouThreshold === request.iouThreshold &&
      this.#scores.settings.ignoreFramesWithoutPredictions === request.ignoreFramesWithoutPredictions &&
      this.#scores.settings.allFrames === request.allFrames;
    const scores = same ? this.#scores! : this.pair.score(request);
    const resamples = request.resamples ?? DEFAULT_RESAMPLES;
    const seed = request.seed ?? DEFAULT_SEED;
    // Small chunks (about 10 ms each): a slider move waits at most one of them.
    const differences = yield* this.pair.differencesIn(scores, { resamples, seed, chunk: 8 });
    return {
      iouThreshold: request.iouThreshold,
      ignoreFramesWithoutPredictions: request.ignoreFramesWithoutPredictions,
      allFrames: request.allFrames,
      resamples,
      seed,
      differences,
      ms: performance.now() - started,
    };
  }

  #cocoPair(): ProjectCocoPair {
    this.#coco ??= projectCocoPair(this.#kernels, this.project, this.#predictions.a, this.#predictions.b);
    return this.#coco;
  }

  /** COCO mode: the 12 stats, per class, and the curves, with the bootstrap in steps. */
  *coco(request: CocoRequest): Generator<number, CocoCompareResult> {
    const started = performance.now();
    const plan = this.cocoPlan(request);
    // Chunks of 12 resamples (three batches of four): the worker answers other calls between them.
    const range = yield* this.cocoRange(plan, 0, plan.resamples, 12);
    return this.cocoResult(request, plan, [range], started);
  }

  /** Both runs in COCO terms (on first use: the conversion and both COCOeval runs), and what to resample. */
  cocoPlan(request: CocoRequest): ComparePlan {
    return this.#cocoPair().pair.plan({
      allImages: request.allImages,
      resamples: request.resamples,
      seed: request.seed,
    });
  }

  /** Both runs' match records, for a helper that computes a range of resamples on another core. */
  cocoRecords() {
    return this.#cocoPair().pair.records;
  }

  /** The bootstrap of resamples from..to-1 of `plan`, in steps. */
  cocoRange(plan: ComparePlan, from: number, to: number, chunk = 12): Generator<number, ResampledDifferences> {
    const { pair } = this.#cocoPair();
    return resampleDifferences(pair.weightedA, pair.weightedB, plan, from, to, chunk);
  }

  /** The answer from the plan and every range of resamples (computed here or by helpers). */
  cocoResult(
    request: CocoRequest,
    plan: ComparePlan,
    ranges: ResampledDifferences[],
    started: number,
  ): CocoCompareResult {
    const coco = this.#cocoPair();
    const c = coco.pair.assemble(plan, ranges);
    const weights = Int32Array.from(c.compared);
    return {
      ...request,
      iouType: c.iouType,
      names: COCO_STAT_NAMES,
      alone: { a: [...c.alone.a], b: [...c.alone.b] },
      stats: c.stats,
      perClass: c.perClass.map((k) => ({ ...k, categoryId: Number(k.categoryId) })),
      coverage: c.coverage,
      bootstrap: c.bootstrap,
      curvesA: coco.pair.weightedA.precisionCurves(weights),
      curvesB: coco.pair.weightedB.precisionCurves(weights),
      iouThrs: [...c.evaluations.a.params.iouThrs],
      recallPoints: c.evaluations.a.params.recThrs.length,
      notes: coco.notes,
      ms: performance.now() - started,
    };
  }

  /** The labels fixed and broken and the images that changed, under COCO matching at one of its thresholds. */
  changes(request: ChangesRequest): ChangesResult {
    const key = `${request.iou}|${request.allImages}`;
    if (this.#changes?.key === key) return this.#changes.result;
    const coco = this.#cocoPair();
    const c = coco.pair.compare({ iou: request.iou, allImages: request.allImages, resamples: 1 });
    const frameOfImage = new Map<number, { dataUnitIndex: number; frame: number }>();
    coco.imageIds.forEach((id, i) => frameOfImage.set(id, coco.imageFrames[i]));
    const images = c.images.map((row): ImageChangeRow => {
      const f = frameOfImage.get(Number(row.imageId)) ?? { dataUnitIndex: -1, frame: -1 };
      return {
        dataUnitIndex: f.dataUnitIndex,
        frameNumber: f.frame,
        imageId: Number(row.imageId),
        fixed: row.fixed,
        broken: row.broken,
        fpA: row.fpA,
        fpB: row.fpB,
        net: row.net,
      };
    });
    const result: ChangesResult = {
      ...request,
      fixed: c.labels.fixed,
      broken: c.labels.broken,
      images,
      coverage: c.coverage,
    };
    this.#changes = { key, tags: coco.pair.tagsAt(request.iou), result };
    return result;
  }

  /** One run's predictions on a frame, with their shapes, as the EA-side preparation has them. */
  frameDetail(dataUnitIndex: number, frameNumber: number, which: Which): CompareFrameDetail {
    const session = this.sessions[which];
    const frame = this.#frameIndex![which].get(keyOf(dataUnitIndex, frameNumber));
    const detail: FrameDetail = frame === undefined ? { frame: -1, predictions: [] } : session.frameDetail(frame);
    const source = Int32Array.from(detail.predictions, (p) => session.prepared.predSource[p.pidx]);
    return { ...detail, which, source };
  }

  /**
   * COCO's verdicts on one frame at the changes' IoU: per prediction (by its index in the run) of each run 'tp',
   * 'fp' or 'ignored', and what happened to each label from A to B.
   */
  frameVerdicts(dataUnitIndex: number, frameNumber: number, changes: ChangesRequest): FrameVerdicts {
    this.changes(changes);
    const { tags } = this.#changes!;
    const coco = this.#cocoPair();
    const imageIndex = coco.imageFrames.findIndex((f) => f.dataUnitIndex === dataUnitIndex && f.frame === frameNumber);
    const out: FrameVerdicts = { iou: changes.iou, predictions: { a: {}, b: {} }, labels: {} };
    if (imageIndex < 0) return out;
    const imageId = coco.imageIds[imageIndex];
    const verdict = (t: number) =>
      t === ObjectTag.TruePositive
        ? 'tp'
        : t === ObjectTag.FalsePositive
          ? 'fp'
          : t === ObjectTag.Ignored
            ? 'ignored'
            : undefined;
    for (const which of ['a', 'b'] as const) {
      const results = (which === 'a' ? coco.pair.a : coco.pair.b).results;
      const source = coco.resultSource[which];
      for (let r = 0; r < results.length; r++) {
        if (results.imageId[r] !== imageId) continue;
        const v = verdict(tags[which].detections[r]);
        if (v) out.predictions[which][source[r]] = v;
      }
    }
    const gt = coco.pair.gt;
    for (let g = 0; g < gt.annotations.length; g++) {
      if (gt.annImageId[g] !== imageId) continue;
      const a = tags.a.groundTruths[g];
      const b = tags.b.groundTruths[g];
      out.labels[String(coco.labelIds[g])] =
        a === ObjectTag.Ignored || b === ObjectTag.Ignored
          ? 'ignored'
          : a === ObjectTag.FalseNegative && b === ObjectTag.TruePositive
            ? 'fixed'
            : a === ObjectTag.TruePositive && b === ObjectTag.FalseNegative
              ? 'broken'
              : a === ObjectTag.TruePositive
                ? 'both'
                : 'neither';
    }
    return out;
  }

  /** Both runs' detection confusion matrices on the compared frames (the page shows B - A). */
  confusion(request: ConfusionChangeRequest): ConfusionChangeResult {
    const { compared } = this.pair.comparedFrames(request.allFrames);
    const run = (w: Which) => {
      const unit = w === 'a' ? this.pair.frameUnitA : this.pair.frameUnitB;
      return detectionConfusion(this.sessions[w].prepared, {
        iouThreshold: request.iouThreshold,
        confidenceThreshold: request.confidenceThreshold,
        ignoreFramesWithoutPredictions: request.ignoreFramesWithoutPredictions,
        frames: Uint8Array.from(unit, (u) => compared[u]),
      });
    };
    const a = run('a');
    const b = run('b');
    return {
      ...request,
      classes: a.classes.map((c) => c.index),
      size: a.size,
      countsA: a.counts,
      countsB: b.counts,
      rule: CONFUSION_RULE,
    };
  }
}
