// The runs of the open project, as the Predictions page lists them: newest first, renamed and deleted in place.
import type { ImportReport, PredictionRunInfo } from '../../../core/model.ts';
import { runStore, type RunStore } from '../../../store/runs.ts';
import { metricsCache, type MetricsCache } from '../../../store/metrics-cache.ts';

export class RunsState {
  runs = $state.raw<PredictionRunInfo[]>([]);
  status = $state<'loading' | 'ready' | 'error'>('loading');
  error = $state<string | undefined>(undefined);
  /** The run shown in detail (also in the URL as ?run=). */
  selected = $state<string | undefined>(undefined);
  /** The run that just arrived, briefly highlighted. */
  fresh = $state<string | undefined>(undefined);

  readonly projectKey: string;
  readonly #store: () => Promise<RunStore>;
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
    try {
      const store = await this.#store();
      this.runs = await store.listRuns(this.projectKey);
      this.status = 'ready';
      this.error = undefined;
    } catch (error) {
      this.status = 'error';
      this.error = error instanceof Error ? error.message : String(error);
    }
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

  async report(id: string): Promise<ImportReport> {
    return (await this.#store()).getReport(this.projectKey, id);
  }
}
