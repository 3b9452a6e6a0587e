// The page's handle on one evaluation worker. The worker is stateful (it keeps the prepared evaluation), so this is
// one dedicated worker rather than a pool slot. Cancelling a call terminates the worker (the only way to stop a
// long wasm or matching loop); the next prepare() starts a fresh one. A worker that dies rejects every pending call.
import * as Comlink from 'comlink';
import type { Project } from '../core/model.ts';
import type { ClassificationReport } from '../core/eval/classification.ts';
import type { EvalApi, PredictionSource } from './eval.worker.ts';
import type { CocoSummary } from './eval-coco.ts';
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

export type { PredictionSource } from './eval.worker.ts';

/** A result with the time from posting the request to having the answer on this thread. */
export type Timed<T> = T & { roundTripMs: number };

/** What the Model quality page needs from an evaluation backend (the worker client, or a fake in tests). */
export interface EvalBackend {
  prepare(project: Project, source: PredictionSource, signal?: AbortSignal): Promise<PreparedSummary>;
  score(request: ScoreRequest): Promise<Timed<ScoreResult>>;
  coco(ignoreFramesWithoutPredictions: boolean, signal?: AbortSignal): Promise<CocoSummary>;
  confusion(request: ConfusionRequest): Promise<ConfusionResult>;
  confidenceCurves(maxPoints?: number): Promise<CurvesResult>;
  classification(): Promise<ClassificationReport | undefined>;
  frameDetail(frame: number): Promise<FrameDetail>;
  terminate(): void;
}

export class NotPreparedError extends Error {
  constructor() {
    super('the evaluation worker was stopped; prepare the run again');
    this.name = 'NotPreparedError';
  }
}

export const createEvalWorker = () =>
  new Worker(new URL('./eval.worker.ts', import.meta.url), { type: 'module', name: 'predlens-eval' });

export class EvalClient implements EvalBackend {
  readonly #create: () => Worker;
  #worker: Worker | undefined;
  #api: Comlink.Remote<EvalApi> | undefined;
  #prepared = false;
  readonly #pending = new Set<(error: Error) => void>();
  /** Workers started so far (a cancelled prepare starts a new one). */
  started = 0;

  constructor(create: () => Worker = createEvalWorker) {
    this.#create = create;
  }

  async prepare(project: Project, source: PredictionSource, signal?: AbortSignal): Promise<PreparedSummary> {
    this.#prepared = false;
    const summary = await this.#call((api) => api.prepare(project, source), signal);
    this.#prepared = true;
    return summary;
  }

  async score(request: ScoreRequest): Promise<Timed<ScoreResult>> {
    const started = performance.now();
    const result = await this.#preparedCall((api) => api.score(request));
    return Object.assign(result, { roundTripMs: performance.now() - started });
  }

  coco(ignoreFramesWithoutPredictions: boolean, signal?: AbortSignal): Promise<CocoSummary> {
    return this.#preparedCall((api) => api.coco(ignoreFramesWithoutPredictions), signal);
  }

  confusion(request: ConfusionRequest): Promise<ConfusionResult> {
    return this.#preparedCall((api) => api.confusion(request));
  }

  confidenceCurves(maxPoints?: number): Promise<CurvesResult> {
    return this.#preparedCall((api) => api.confidenceCurves(maxPoints));
  }

  classification(): Promise<ClassificationReport | undefined> {
    return this.#preparedCall((api) => api.classification());
  }

  frameDetail(frame: number): Promise<FrameDetail> {
    return this.#preparedCall((api) => api.frameDetail(frame));
  }

  /** Stops the worker; pending calls reject with an AbortError. */
  terminate(): void {
    this.#stop(new DOMException('The evaluation worker was stopped.', 'AbortError'));
  }

  #preparedCall<T>(task: (api: Comlink.Remote<EvalApi>) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (!this.#prepared) return Promise.reject(new NotPreparedError());
    return this.#call(task, signal);
  }

  #ensure(): Comlink.Remote<EvalApi> {
    if (!this.#api) {
      const worker = this.#create();
      this.started++;
      worker.addEventListener('error', (event) => {
        event.preventDefault();
        this.#stop(new Error(`the evaluation worker failed: ${event.message || 'script error'}`));
      });
      this.#worker = worker;
      this.#api = Comlink.wrap<EvalApi>(worker);
    }
    return this.#api;
  }

  #stop(reason: Error) {
    this.#worker?.terminate();
    this.#worker = undefined;
    this.#api?.[Comlink.releaseProxy]();
    this.#api = undefined;
    this.#prepared = false;
    for (const reject of [...this.#pending]) reject(reason);
    this.#pending.clear();
  }

  #call<T>(task: (api: Comlink.Remote<EvalApi>) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const api = this.#ensure();
    return new Promise<T>((resolve, reject) => {
      const fail = (error: Error) => {
        this.#pending.delete(fail);
        signal?.removeEventListener('abort', onAbort);
        reject(error);
      };
      const onAbort = () => this.#stop(abortError(signal) as Error);
      this.#pending.add(fail);
      signal?.addEventListener('abort', onAbort, { once: true });
      task(api).then(
        (value) => {
          this.#pending.delete(fail);
          signal?.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => fail(error instanceof Error ? error : new Error(String(error))),
      );
    });
  }
}
