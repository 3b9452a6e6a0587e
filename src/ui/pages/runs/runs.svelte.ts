// The runs of the open project, as the Predictions page lists them: newest first, renamed and deleted in place.
import type { ImportReport, PredictionRunInfo } from '../../../core/model.ts';
import { runStore, type InterruptedImport, type RunStore } from '../../../store/runs.ts';
import { metricsCache, type MetricsCache } from '../../../store/metrics-cache.ts';

const RECHECKS = 30;
const RECHECK_MS = 1000;

export class RunsState {
  runs = $state.raw<PredictionRunInfo[]>([]);
  /** Imports that never completed (a reload, a closed tab, a dead worker), until the user dismisses them. */
  interrupted = $state.raw<InterruptedImport[]>([]);
  status = $state<'loading' | 'ready' | 'error'>('loading');
  error = $state<string | undefined>(undefined);
  /** The run shown in detail (also in the URL as ?run=). */
  selected = $state<string | undefined>(undefined);
  /** The run that just arrived, briefly highlighted. */
  fresh = $state<string | undefined>(undefined);

  readonly projectKey: string;
  readonly #store: () => Promise<RunStore>;
  #recheck?: ReturnType<typeof setTimeout>;
  #rechecks = 0;
  readonly #metrics: () => Promise<MetricsCache>;

  constructor(
    projectKey: string,
    store: () => Promise<RunStore> = runStore,
    metrics: () => Promise<MetricsCache> = metricsCache,
  ) {
    this.projectKey = projectKey;
    this.#store = store;
    this.#metrics = metrics;
  }

  get selectedRun(): PredictionRunInfo | undefined {
    return this.runs.find((r) => r.id === this.selected);
  }

  async refresh(): Promise<void> {
    clearTimeout(this.#recheck);
    try {
      const store = await this.#store();
      // A writer that died since the store was opened (another tab, a worker) leaves a notice, not a half run.
      await store.sweepStale().catch(() => 0);
      this.runs = await store.listRuns(this.projectKey);
      this.interrupted = await store.interruptedImports(this.projectKey).catch(() => []);
      this.status = 'ready';
      this.error = undefined;
      // Right after a reload the old page's worker may still hold its lock for a moment, and another tab may be
      // importing: look again while some run of this project is still being written.
      if ((await store.writingRuns(this.projectKey).catch(() => 0)) > 0 && this.#rechecks++ < RECHECKS) {
        this.#recheck = setTimeout(() => void this.refresh(), RECHECK_MS);
      }
    } catch (error) {
      this.status = 'error';
      this.error = error instanceof Error ? error.message : String(error);
    }
  }

  /** Stops looking again (the page is gone). */
  dispose() {
    clearTimeout(this.#recheck);
    this.#rechecks = RECHECKS;
  }

  async added(info: PredictionRunInfo): Promise<void> {
    this.fresh = info.id;
    await this.refresh();
  }

  async rename(id: string, name: string): Promise<void> {
    const store = await this.#store();
    const info = await store.renameRun(this.projectKey, id, name);
    this.runs = this.runs.map((r) => (r.id === id ? info : r));
  }

  async remove(id: string): Promise<void> {
    const store = await this.#store();
    await store.deleteRun(this.projectKey, id);
    // The run's cached quality metrics go with it; a cache that cannot open loses nothing worth an error here.
    await (await this.#metrics().catch(() => undefined))?.deleteRun(this.projectKey, id);
    if (this.selected === id) this.selected = undefined;
    this.runs = this.runs.filter((r) => r.id !== id);
  }

  async dismissInterrupted(id: string): Promise<void> {
    await (await this.#store()).dismissInterrupted(this.projectKey, id);
    this.interrupted = this.interrupted.filter((i) => i.id !== id);
  }

  async report(id: string): Promise<ImportReport> {
    return (await this.#store()).getReport(this.projectKey, id);
  }
}
