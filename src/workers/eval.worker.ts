// The evaluation worker: holds one prepared evaluation (a project and a prediction run) and answers the Model
// quality page's controls. prepare() once (the EA-style matching, seconds on big runs), then score() on every
// move of the IoU slider (milliseconds), and the rest on demand. Results come back as transferred typed arrays.
import * as Comlink from 'comlink';
import type { Prediction, Project } from '../core/model.ts';
import { loadKernels } from '../kernels/browser.ts';
import { loadRun } from '../store/runs.ts';
import { cocoSummary, type CocoSummary } from './eval-coco.ts';
import {
  EvalSession,
  type ConfusionRequest,
  type ConfusionResult,
  type CurvesResult,
  type FrameDetail,
  type PreparedSummary,
  type ScoreRequest,
  type ScoreResult,
} from './eval-session.ts';
import type { ClassificationReport } from '../core/eval/classification.ts';
import type { ImageOutcome } from '../core/eval/per-image.ts';
import { tideSummary, type TideSummary } from './eval-tide.ts';
import type { ImageDataUnitsJson, PredictionOutFormat } from '../core/export/index.ts';
import { exportRun, exportSubset, reportPart, type ExportedFile, type SubsetRequest } from './eval-exports.ts';

/** Where the run's predictions come from: the run store (read here, in the worker) or given directly. */
export type PredictionSource =
  { kind: 'run'; projectKey: string; runId: string } | { kind: 'predictions'; predictions: Prediction[] };

/** The project and the run's predictions, as last given to prepare() or load(). */
let data: { project: Project; predictions: readonly Prediction[] } | undefined;
/** The prepared EA-style evaluation (prepare() only). */
let session: EvalSession | undefined;
/** COCO results by "ignore frames without predictions" (false, true): each is computed once per run. */
const coco = new Map<boolean, CocoSummary>();
/** TIDE of the run (every labelled frame; it does not follow the toggle), computed once per run. */
let tide: TideSummary | undefined;

function current(): EvalSession {
  if (!session) throw new Error('no evaluation is prepared in this worker: call prepare() first');
  return session;
}

async function readPredictions(source: PredictionSource): Promise<readonly Prediction[]> {
  return source.kind === 'run' ? loadRun(source.projectKey, source.runId) : source.predictions;
}

type Typed = Int32Array | Float64Array | Uint8Array;
const buffers = (...arrays: Typed[]) => arrays.map((a) => a.buffer as ArrayBuffer);

const api = {
  /**
   * Matches the run's predictions to the project's labels (the one-time preparation). `project` is the plain
   * project data the page has; a run is read from IndexedDB here so its predictions never cross threads.
   */
  async prepare(project: Project, source: PredictionSource): Promise<PreparedSummary> {
    session = undefined;
    data = undefined;
    coco.clear();
    tide = undefined;
    const kernels = await loadKernels();
    const started = performance.now();
    const predictions = await readPredictions(source);
    session = new EvalSession(kernels, project, predictions, performance.now() - started);
    data = { project, predictions };
    const s = session.summary();
    return Comlink.transfer(
      s,
      buffers(
        s.predSource,
        s.predClass,
        s.predFrame,
        s.confidence,
        s.iou,
        s.bestLabel,
        s.labelClass,
        s.labelFrame,
        s.frameUnit,
        s.frameNumber,
      ),
    );
  },

  /** Everything that follows the IoU slider and the "ignore frames without predictions" toggle. */
  score(request: ScoreRequest): ScoreResult {
    const r = current().score(request);
    return Comlink.transfer(r, buffers(r.pr, r.isTP, r.fpReason, r.isFN, r.labelCounted));
  },

  /**
   * Takes the project and run without preparing the EA-style matching: for a second worker that only runs COCO, so
   * a long COCO evaluation never holds up the slider. Returns the number of predictions.
   */
  async load(project: Project, source: PredictionSource): Promise<number> {
    session = undefined;
    data = undefined;
    coco.clear();
    tide = undefined;
    const predictions = await readPredictions(source);
    data = { project, predictions };
    return predictions.length;
  },

  /** COCO-exact evaluation of the run (pycocotools' 12 stats, per-category AP and AR); computed once per setting. */
  async coco(ignoreFramesWithoutPredictions = false): Promise<CocoSummary> {
    if (!data) throw new Error('no run is loaded in this worker: call prepare() or load() first');
    let summary = coco.get(ignoreFramesWithoutPredictions);
    if (!summary) {
      summary = cocoSummary(await loadKernels(), data.project, data.predictions, ignoreFramesWithoutPredictions);
      coco.set(ignoreFramesWithoutPredictions, summary);
    }
    // A structured clone, not a transfer: the worker keeps its copy for the next call.
    return summary;
  },

  /** TIDE error analysis of the run (tidecv's rules); computed once, then a structured clone of the kept copy. */
  async tide(): Promise<TideSummary> {
    if (!data) throw new Error('no run is loaded in this worker: call prepare() or load() first');
    tide ??= tideSummary(await loadKernels(), data.project, data.predictions);
    return tide;
  },

  /** Per image and frame: TP / FP / FN and F1 at the IoU of the last score(). */
  perImage(): ImageOutcome[] {
    return current().perImage();
  },

  confusion(request: ConfusionRequest): ConfusionResult {
    const r = current().confusion(request);
    return Comlink.transfer(r, buffers(r.counts));
  },

  /** P, R and F1 against the confidence threshold at the IoU of the last score(). */
  confidenceCurves(maxPoints?: number): CurvesResult {
    const r = current().confidenceCurves(maxPoints);
    const arrays = [r.overall, ...r.perClass].flatMap((c) => [c.thresholds, c.precision, c.recall, c.f1]);
    return Comlink.transfer(r, buffers(...arrays));
  },

  classification(): ClassificationReport | undefined {
    const r = current().classification();
    return r ? Comlink.transfer(r, buffers(...r.attributes.map((a) => a.matrix))) : undefined;
  },

  /** The run's predictions on one prepared frame, with shapes to draw. */
  frameDetail(frame: number): FrameDetail {
    const r = current().frameDetail(frame);
    const masks = r.predictions.flatMap((p) => (p.shape.kind === 'mask' ? [p.shape.mask] : []));
    return Comlink.transfer(r, buffers(...masks));
  },
};

/** Results out (eval-exports.ts): files made next to the prepared run, moved to the page as bytes or text. */
const exportsApi = {
  async exportRun(format: PredictionOutFormat, imageDataUnits?: ImageDataUnitsJson): Promise<ExportedFile> {
    const file = exportRun(await loadKernels(), current(), format, imageDataUnits);
    return typeof file.data === 'string' ? file : Comlink.transfer(file, [file.data.buffer as ArrayBuffer]);
  },

  async exportSubset(request: SubsetRequest): Promise<ExportedFile[]> {
    return exportSubset(await loadKernels(), current(), request);
  },

  async reportPart(request: ScoreRequest) {
    return reportPart(await loadKernels(), current(), request);
  },
};
export type EvalApi = typeof api & typeof exportsApi;

Comlink.expose({ ...api, ...exportsApi });
