// The page's way to get quality metrics: from the IndexedDB cache when they are there (no worker started), else
// computed in a metrics worker, with progress, and stored. Cancelling terminates the worker. Two requests for the
// same metrics share one computation; it stops only when every caller has cancelled.
import * as Comlink from 'comlink';
import type { FileTree } from '../core/file-tree.ts';
import type { Project } from '../core/model.ts';
import type { PredictionMetricTable, ProjectMetrics } from '../core/metrics/columns.ts';
import { projectFingerprint } from '../core/metrics/fingerprint.ts';
import { metricsCache, type MetricsCache } from '../store/metrics-cache.ts';
import { abortError, WorkerPool, type PoolOptions } from './pool.ts';
import type { MetricsApi, MetricsPhase, MetricsPredictionSource } from './metrics.worker.ts';
import type { TreeSource } from './tree-source.ts';
import metricsWorkerUrl from './metrics.worker.ts?worker&url';
import { spawnWorker } from './spawn.ts';

export type { MetricsPhase } from './metrics.worker.ts';

export interface MetricsProgress {
  phase: MetricsPhase;
  done: number;
  total: number;
}

export interface MetricsCallOptions {
  signal?: AbortSignal;
  onProgress?: (progress: MetricsProgress) => void;
}

export interface ProjectImages {
  /** A source the worker can rebuild (it then reads the images itself)... */
  source?: TreeSource;
  /** ...or the page's tree: read here, decoded in the worker. */
  tree?: FileTree;
}

export interface Loaded<T> {
  value: T;
  /** True when it came from the cache (nothing was computed). */
  cached: boolean;
  ms: number;
}

export interface MetricsStats {
  /** Project (image + label) computations started in a worker. */
  projectComputations: number;
  /** Run (prediction) computations started in a worker. */
  runComputations: number;
  cacheHits: number;
}

interface Shared<T> {
  promise: Promise<Loaded<T>>;
  controller: AbortController;
  callers: number;
  listeners: Set<(p: MetricsProgress) => void>;
}

export const createMetricsWorker = () => spawnWorker(metricsWorkerUrl, 'predlens-metrics');

export class MetricsClient {
  readonly #pool: WorkerPool<MetricsApi>;
  readonly #cache: () => Promise<MetricsCache>;
  readonly #inFlight = new Map<string, Shared<unknown>>();
  readonly #fingerprints = new WeakMap<Project, string>();
  readonly stats: MetricsStats = { projectComputations: 0, runComputations: 0, cacheHits: 0 };

  constructor(options: { create?: () => Worker; cache?: () => Promise<MetricsCache>; pool?: PoolOptions } = {}) {
    this.#pool = new WorkerPool<MetricsApi>(options.create ?? createMetricsWorker, {
      size: 2,
      idleMs: 20_000,
      ...options.pool,
    });
    this.#cache = options.cache ?? metricsCache;
  }

  fingerprint(project: Project): string {
    let f = this.#fingerprints.get(project);
    if (!f) this.#fingerprints.set(project, (f = projectFingerprint(project)));
    return f;
  }

  /** Image and label metrics of a project. */
  projectMetrics(
    project: Project,
    projectKey: string,
    images: ProjectImages,
    options: MetricsCallOptions = {},
  ): Promise<Loaded<ProjectMetrics>> {
    const fingerprint = this.fingerprint(project);
    return this.#shared(`project:${projectKey}:${fingerprint}`, options, async (signal, progress) => {
      const cache = await this.#openCache();
      const hit = await cache?.getProject(projectKey, fingerprint).catch(() => undefined);
      if (hit) return { value: hit, cached: true };
      this.stats.projectComputations++;
      const read = images.source || !images.tree ? undefined : readOnPage(images.tree);
      const value = await this.#pool.run(
        (api) => api.projectMetrics(project, images.source, read, Comlink.proxy(progress)),
        signal,
      );
      // An image that could not be read may read next time (a permission, a file replaced): not kept.
      if (value.problems.length === 0) await cache?.putProject(projectKey, fingerprint, value).catch(() => undefined);
      return { value, cached: false };
    }) as Promise<Loaded<ProjectMetrics>>;
  }

  /** Metrics of the predictions of a stored run (rows in the evaluation's pidx order). */
  runMetrics(
    project: Project,
    projectKey: string,
    runId: string,
    options: MetricsCallOptions = {},
  ): Promise<Loaded<PredictionMetricTable>> {
    return this.#predictions(project, projectKey, runId, { kind: 'run', projectKey, runId }, options);
  }

  /** The same for predictions that are not stored (tests, previews); `cacheId` names them in the cache. */
  predictionMetrics(
    project: Project,
    projectKey: string,
    cacheId: string,
    source: MetricsPredictionSource,
    options: MetricsCallOptions = {},
  ): Promise<Loaded<PredictionMetricTable>> {
    return this.#predictions(project, projectKey, cacheId, source, options);
  }

  /** Stops every worker; computations in progress reject. */
  terminate() {
    this.#pool.terminate();
  }

  #predictions(
    project: Project,
    projectKey: string,
    runId: string,
    source: MetricsPredictionSource,
    options: MetricsCallOptions,
  ) {
    const fingerprint = this.fingerprint(project);
    return this.#shared(`run:${projectKey}:${runId}:${fingerprint}`, options, async (signal, progress) => {
      const cache = await this.#openCache();
      const hit = await cache?.getRun(projectKey, runId, fingerprint).catch(() => undefined);
      if (hit) return { value: hit, cached: true };
      this.stats.runComputations++;
      const value = await this.#pool.run(
        (api) => api.predictionMetrics(project, source, Comlink.proxy(progress)),
        signal,
      );
      await cache?.putRun(projectKey, runId, fingerprint, value).catch(() => undefined);
      return { value, cached: false };
    }) as Promise<Loaded<PredictionMetricTable>>;
  }

  async #openCache(): Promise<MetricsCache | undefined> {
    // Without IndexedDB (a private window may refuse it) metrics are still computed, just not kept.
    return this.#cache().catch(() => undefined);
  }

  #shared<T>(
    key: string,
    options: MetricsCallOptions,
    work: (
      signal: AbortSignal,
      progress: (done: number, total: number, phase: MetricsPhase) => void,
    ) => Promise<{ value: T; cached: boolean }>,
  ): Promise<Loaded<T>> {
    if (options.signal?.aborted) return Promise.reject(abortError(options.signal));
    let entry = this.#inFlight.get(key) as Shared<T> | undefined;
    if (!entry) {
      const controller = new AbortController();
      const listeners = new Set<(p: MetricsProgress) => void>();
      const started = performance.now();
      const promise = work(controller.signal, (done, total, phase) => {
        for (const l of listeners) l({ phase, done, total });
      }).then(({ value, cached }) => {
        if (cached) this.stats.cacheHits++;
        return { value, cached, ms: performance.now() - started };
      });
      const created: Shared<T> = { promise, controller, callers: 0, listeners };
      entry = created;
      this.#inFlight.set(key, created as Shared<unknown>);
      promise.then(
        () => this.#inFlight.delete(key),
        () => this.#inFlight.delete(key),
      );
    }
    const shared = entry;
    shared.callers++;
    if (options.onProgress) shared.listeners.add(options.onProgress);
    return new Promise<Loaded<T>>((resolve, reject) => {
      let settled = false;
      const leave = () => {
        if (options.onProgress) shared.listeners.delete(options.onProgress);
        shared.callers--;
      };
      const onAbort = () => {
        if (settled) return;
        settled = true;
        leave();
        if (shared.callers === 0) {
          shared.controller.abort(abortError(options.signal));
          this.#inFlight.delete(key);
        }
        reject(abortError(options.signal));
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      shared.promise.then(
        (value) => {
          if (settled) return;
          settled = true;
          options.signal?.removeEventListener('abort', onAbort);
          leave();
          resolve(value);
        },
        (error: unknown) => {
          if (settled) return;
          settled = true;
          options.signal?.removeEventListener('abort', onAbort);
          leave();
          reject(error);
        },
      );
    });
  }
}

/** A page-side reader the worker calls back; the bytes are transferred, not copied. */
function readOnPage(tree: FileTree) {
  return Comlink.proxy(async (path: string) => {
    const bytes = await tree.readBytes(path);
    // A copy: the tree may keep the bytes it returned (a transfer would empty its buffer).
    const own = bytes.slice();
    return Comlink.transfer(own, [own.buffer as ArrayBuffer]);
  });
}

let shared: MetricsClient | undefined;

/** The page's metrics client. */
export function metricsClient(): MetricsClient {
  shared ??= new MetricsClient();
  return shared;
}
