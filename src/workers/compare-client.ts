// The Compare page's handle on its two compare workers (compare.worker.ts): one answers the EA side (the IoU slider,
// its bootstrap, the confusion matrices, the frames' predictions), the other the COCO side (both runs in COCO terms,
// the 12 stats and their bootstrap, the label changes). Each worker is started on first use and holds the pair of
// runs last loaded; a call can be cancelled by terminating its worker, which the next call replaces.
import * as Comlink from 'comlink';
import type { Project } from '../core/model.ts';
import type { CompareApi } from './compare.worker.ts';
import type {
  ActiveCompareResult,
  ActiveIntervals,
  ActiveRequest,
  ChangesRequest,
  ChangesResult,
  CocoCompareResult,
  CocoRequest,
  CompareFrameDetail,
  CompareSummary,
  ConfusionChangeRequest,
  ConfusionChangeResult,
  FrameVerdicts,
  Which,
} from './compare-session.ts';
import type { PredictionSource } from './eval.worker.ts';
import { abortError } from './abort.ts';
import compareWorkerUrl from './compare.worker.ts?worker&url';
import { spawnWorker } from './spawn.ts';

/** What the Compare page needs from its backend (the two workers, or a fake in tests). */
export interface CompareBackend {
  prepare(project: Project, a: PredictionSource, b: PredictionSource, signal?: AbortSignal): Promise<CompareSummary>;
  score(request: ActiveRequest): Promise<ActiveCompareResult & { roundTripMs: number }>;
  intervals(request: ActiveRequest & { resamples: number; seed: number }): Promise<ActiveIntervals>;
  coco(request: CocoRequest, progress?: (done: number) => void, signal?: AbortSignal): Promise<CocoCompareResult>;
  changes(request: ChangesRequest): Promise<ChangesResult>;
  frameDetail(dataUnitIndex: number, frameNumber: number, which: Which): Promise<CompareFrameDetail>;
  frameVerdicts(dataUnitIndex: number, frameNumber: number, changes: ChangesRequest): Promise<FrameVerdicts>;
  confusion(request: ConfusionChangeRequest): Promise<ConfusionChangeResult>;
  terminate(): void;
}

export const createCompareWorker = () => spawnWorker(compareWorkerUrl, 'predlens-compare');

class Handle {
  readonly #create: () => Worker;
  #worker: Worker | undefined;
  #api: Comlink.Remote<CompareApi> | undefined;
  readonly #pending = new Set<(error: Error) => void>();
  /** The runs this worker holds (set once load() answered), and a load on its way. */
  loaded: string | undefined;
  loading: { key: string; done: Promise<unknown> } | undefined;

  constructor(create: () => Worker) {
    this.#create = create;
  }

  stop(reason: Error) {
    this.#worker?.terminate();
    this.#worker = undefined;
    this.#api?.[Comlink.releaseProxy]();
    this.#api = undefined;
    this.loaded = undefined;
    this.loading = undefined;
    for (const reject of [...this.#pending]) reject(reason);
    this.#pending.clear();
  }

  call<T>(task: (api: Comlink.Remote<CompareApi>) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    if (!this.#api) {
      const worker = this.#create();
      worker.addEventListener('error', (event) => {
        event.preventDefault();
        this.stop(new Error(`the compare worker failed: ${event.message || 'script error'}`));
      });
      this.#worker = worker;
      this.#api = Comlink.wrap<CompareApi>(worker);
    }
    const api = this.#api;
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
}

const sourceKey = (s: PredictionSource) => (s.kind === 'run' ? `${s.projectKey}|${s.runId}` : `mem|${Math.random()}`);

export class CompareClient implements CompareBackend {
  readonly #ea: Handle;
  readonly #coco: Handle;
  #runs: { project: Project; a: PredictionSource; b: PredictionSource; key: string } | undefined;

  constructor(create: () => Worker = createCompareWorker) {
    this.#ea = new Handle(create);
    this.#coco = new Handle(create);
  }

  async prepare(project: Project, a: PredictionSource, b: PredictionSource, signal?: AbortSignal) {
    const key = `${sourceKey(a)}||${sourceKey(b)}`;
    if (this.#runs?.key !== key || this.#runs.project !== project) {
      const changed = new DOMException('Other runs were chosen.', 'AbortError');
      this.#ea.stop(changed);
      this.#coco.stop(changed);
    }
    this.#runs = { project, a, b, key };
    await this.#load(this.#ea, signal);
    return this.#ea.call((api) => api.summary(), signal);
  }

  async score(request: ActiveRequest) {
    const started = performance.now();
    const r = await this.#ea.call((api) => api.score(request));
    return Object.assign(r, { roundTripMs: performance.now() - started });
  }

  intervals(request: ActiveRequest & { resamples: number; seed: number }) {
    return this.#ea.call((api) => api.intervals(request));
  }

  async coco(request: CocoRequest, progress?: (done: number) => void, signal?: AbortSignal) {
    await this.#load(this.#coco, signal);
    return this.#coco.call((api) => api.coco(request, progress ? Comlink.proxy(progress) : undefined), signal);
  }

  async changes(request: ChangesRequest) {
    await this.#load(this.#coco);
    return this.#coco.call((api) => api.changes(request));
  }

  frameDetail(dataUnitIndex: number, frameNumber: number, which: Which) {
    return this.#ea.call((api) => api.frameDetail(dataUnitIndex, frameNumber, which));
  }

  async frameVerdicts(dataUnitIndex: number, frameNumber: number, changes: ChangesRequest) {
    await this.#load(this.#coco);
    return this.#coco.call((api) => api.frameVerdicts(dataUnitIndex, frameNumber, changes));
  }

  confusion(request: ConfusionChangeRequest) {
    return this.#ea.call((api) => api.confusion(request));
  }

  terminate() {
    const stopped = new DOMException('The compare workers were stopped.', 'AbortError');
    this.#ea.stop(stopped);
    this.#coco.stop(stopped);
    this.#runs = undefined;
  }

  async #load(handle: Handle, signal?: AbortSignal) {
    const runs = this.#runs;
    if (!runs) throw new Error('choose two runs first');
    if (handle.loaded === runs.key) return;
    if (handle.loading?.key !== runs.key) {
      const done = handle.call((api) => api.load(runs.project, runs.a, runs.b), signal);
      handle.loading = { key: runs.key, done };
      done.catch(() => handle.loading?.done === done && (handle.loading = undefined));
    }
    await handle.loading!.done;
    if (this.#runs !== runs) throw new DOMException('Other runs were chosen.', 'AbortError');
    handle.loaded = runs.key;
  }
}
