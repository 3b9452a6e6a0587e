// The page's handle on the evaluation workers. The workers are stateful (each keeps a run), so these are dedicated
// workers rather than pool slots: one holds the prepared EA-style evaluation and answers the slider, a second one
// runs COCO (seconds on big runs) so the slider never waits behind it. Cancelling a call terminates its worker
// (the only way to stop a long loop); a worker that dies rejects every pending call on it.
//
// The Model pages share one client (evalClient()): preparing the run that is already prepared answers at once, so
// moving between Model quality, Performance by metric and Explorer does not match the predictions again. One page is
// shown at a time, so its calls never interleave with another page's.
import * as Comlink from 'comlink';
import type { Project } from '../core/model.ts';
import type { ClassificationReport } from '../core/eval/classification.ts';
import type { EvalApi, PredictionSource } from './eval.worker.ts';
import type { CocoSummary } from './eval-coco.ts';
import type { TideSummary } from './eval-tide.ts';
import type { ImageOutcome } from '../core/eval/per-image.ts';
import type {
  ConfusionRequest,
  ConfusionResult,
  CurvesResult,
  FrameDetail,
  PreparedSummary,
  ScoreRequest,
  ScoreResult,
} from './eval-session.ts';
import { abortError } from './pool.ts';
import evalWorkerUrl from './eval.worker.ts?worker&url';
import { spawnWorker } from './spawn.ts';
import type { ImageDataUnitsJson, PredictionOutFormat } from '../core/export/index.ts';
import type { ActiveReportPart } from '../core/report/index.ts';
import type { ExportedFile, SubsetRequest } from './eval-exports.ts';

export type { PredictionSource } from './eval.worker.ts';

/** A result with the time from posting the request to having the answer on this thread. */
export type Timed<T> = T & { roundTripMs: number };

/** What the Model pages need from an evaluation backend (the shared worker client, or a fake in tests). */
export interface EvalBackend {
  prepare(project: Project, source: PredictionSource, signal?: AbortSignal): Promise<PreparedSummary>;
  score(request: ScoreRequest): Promise<Timed<ScoreResult>>;
  coco(ignoreFramesWithoutPredictions: boolean, signal?: AbortSignal): Promise<CocoSummary>;
  confusion(request: ConfusionRequest): Promise<ConfusionResult>;
  confidenceCurves(maxPoints?: number): Promise<CurvesResult>;
  classification(): Promise<ClassificationReport | undefined>;
  frameDetail(frame: number): Promise<FrameDetail>;
  /** TIDE of the prepared run, in the COCO worker (so the slider never waits behind it). */
  tide(signal?: AbortSignal): Promise<TideSummary>;
  /** Per image and frame at the IoU of the last score. */
  perImage(): Promise<ImageOutcome[]>;
}

export class NotPreparedError extends Error {
  constructor() {
    super('the evaluation worker was stopped; prepare the run again');
    this.name = 'NotPreparedError';
  }
}

export const createEvalWorker = () => spawnWorker(evalWorkerUrl, 'predlens-eval');

/** One worker: started on first use, every call cancellable by terminating it. */
class WorkerHandle {
  readonly #create: () => Worker;
  #worker: Worker | undefined;
  #api: Comlink.Remote<EvalApi> | undefined;
  readonly #pending = new Set<(error: Error) => void>();
  started = 0;
  /** Set by the owner once the worker holds its run; cleared whenever the worker stops. */
  ready = false;

  constructor(create: () => Worker) {
    this.#create = create;
  }

  stop(reason: Error) {
    this.#worker?.terminate();
    this.#worker = undefined;
    this.#api?.[Comlink.releaseProxy]();
    this.#api = undefined;
    this.ready = false;
    for (const reject of [...this.#pending]) reject(reason);
    this.#pending.clear();
  }

  call<T>(task: (api: Comlink.Remote<EvalApi>) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const api = this.#ensure();
    return new Promise<T>((resolve, reject) => {
      const settle = () => {
        this.#pending.delete(fail);
        signal?.removeEventListener('abort', onAbort);
      };
      const fail = (error: Error) => {
        settle();
        reject(error);
      };
      const onAbort = () => this.stop(abortError(signal) as Error);
      this.#pending.add(fail);
      signal?.addEventListener('abort', onAbort, { once: true });
      task(api).then(
        (value) => {
          settle();
          resolve(value);
        },
        (error: unknown) => fail(error instanceof Error ? error : new Error(String(error))),
      );
    });
  }

  #ensure(): Comlink.Remote<EvalApi> {
    if (!this.#api) {
      const worker = this.#create();
      this.started++;
      worker.addEventListener('error', (event) => {
        event.preventDefault();
        this.stop(new Error(`the evaluation worker failed: ${event.message || 'script error'}`));
      });
      this.#worker = worker;
      this.#api = Comlink.wrap<EvalApi>(worker);
    }
    return this.#api;
  }
}

/** Whether two sources name the same predictions: the same stored run, or the very same array. */
function sameSource(a: PredictionSource, b: PredictionSource): boolean {
  if (a.kind === 'run' && b.kind === 'run') return a.projectKey === b.projectKey && a.runId === b.runId;
  return a.kind === 'predictions' && b.kind === 'predictions' && a.predictions === b.predictions;
}

export class EvalClient implements EvalBackend {
  readonly #main: WorkerHandle;
  readonly #coco: WorkerHandle;
  /** The run last prepared and its summary: what the COCO worker must load, and the answer to preparing it again. */
  #run: { project: Project; source: PredictionSource; summary: PreparedSummary } | undefined;
  #cocoLoading: Promise<void> | undefined;

  constructor(create: () => Worker = createEvalWorker) {
    this.#main = new WorkerHandle(create);
    this.#coco = new WorkerHandle(create);
  }

  /** Workers started so far, over both (a cancelled call's worker is replaced on the next one). */
  get started(): number {
    return this.#main.started + this.#coco.started;
  }

  /**
   * Matches the run's predictions to the labels in the worker. The same project object and run again, while the
   * worker that prepared them lives, gives the summary it gave then without asking the worker.
   */
  async prepare(project: Project, source: PredictionSource, signal?: AbortSignal): Promise<PreparedSummary> {
    if (signal?.aborted) throw abortError(signal);
    const held = this.#run;
    if (held && this.#main.ready && held.project === project && sameSource(held.source, source)) return held.summary;
    this.#main.ready = false;
    this.#run = undefined;
    this.#cocoLoading = undefined;
    if (this.#coco.ready) this.#coco.stop(new DOMException('Another run was prepared.', 'AbortError'));
    const summary = await this.#main.call((api) => api.prepare(project, source), signal);
    this.#main.ready = true;
    this.#run = { project, source, summary };
    return summary;
  }

  async score(request: ScoreRequest): Promise<Timed<ScoreResult>> {
    const started = performance.now();
    const result = await this.#prepared((api) => api.score(request));
    return Object.assign(result, { roundTripMs: performance.now() - started });
  }

  async coco(ignoreFramesWithoutPredictions: boolean, signal?: AbortSignal): Promise<CocoSummary> {
    await this.#cocoLoaded(signal);
    return this.#coco.call((api) => api.coco(ignoreFramesWithoutPredictions), signal);
  }

  async tide(signal?: AbortSignal): Promise<TideSummary> {
    await this.#cocoLoaded(signal);
    return this.#coco.call((api) => api.tide(), signal);
  }

  perImage(): Promise<ImageOutcome[]> {
    return this.#prepared((api) => api.perImage());
  }

  /** The COCO worker holds the prepared run (loaded once per run; calls on it queue behind each other). */
  async #cocoLoaded(signal?: AbortSignal): Promise<void> {
    const run = this.#run;
    if (!run) throw new NotPreparedError();
    if (this.#coco.ready) return;
    this.#cocoLoading ??= this.#coco
      .call((api) => api.load(run.project, run.source), signal)
      .then(() => {
        if (this.#run === run) this.#coco.ready = true;
      });
    const loading = this.#cocoLoading;
    try {
      await loading;
    } finally {
      if (this.#cocoLoading === loading) this.#cocoLoading = undefined;
    }
    if (this.#run !== run) throw new DOMException('Another run was prepared.', 'AbortError');
  }

  confusion(request: ConfusionRequest): Promise<ConfusionResult> {
    return this.#prepared((api) => api.confusion(request));
  }

  confidenceCurves(maxPoints?: number): Promise<CurvesResult> {
    return this.#prepared((api) => api.confidenceCurves(maxPoints));
  }

  classification(): Promise<ClassificationReport | undefined> {
    return this.#prepared((api) => api.classification());
  }

  frameDetail(frame: number): Promise<FrameDetail> {
    return this.#prepared((api) => api.frameDetail(frame));
  }

  // ---- results out (the prepared run, in the worker that holds it)

  exportRun(format: PredictionOutFormat, imageDataUnits?: ImageDataUnitsJson): Promise<ExportedFile> {
    return this.#prepared((api) => api.exportRun(format, imageDataUnits));
  }

  exportSubset(request: SubsetRequest): Promise<ExportedFile[]> {
    return this.#prepared((api) => api.exportSubset(request));
  }

  reportPart(request: ScoreRequest): Promise<ActiveReportPart> {
    return this.#prepared((api) => api.reportPart(request));
  }

  /** Stops both workers; pending calls reject with an AbortError. */
  terminate(): void {
    const stopped = () => new DOMException('The evaluation worker was stopped.', 'AbortError');
    this.#main.stop(stopped());
    this.#coco.stop(stopped());
    this.#run = undefined;
  }

  #prepared<T>(task: (api: Comlink.Remote<EvalApi>) => Promise<T>): Promise<T> {
    if (!this.#main.ready) return Promise.reject(new NotPreparedError());
    return this.#main.call(task);
  }
}

let shared: EvalClient | undefined;

/** The Model pages' evaluation client: one prepared run, kept while the user moves between those pages. */
export function evalClient(): EvalClient {
  shared ??= new EvalClient();
  return shared;
}
