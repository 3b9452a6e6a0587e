// What the Performance-by-metric and Explorer pages share: the shared run evaluation (run, IoU threshold, "ignore
// frames without predictions" and class, the same URL params as the Model quality page, and the evaluation worker's
// TP/FP/FN flags for them) plus the quality metrics of the project and the run (cached in IndexedDB, computed in a
// metrics worker the first time, with progress and cancel), joined into one column per metric.
//
//   const analysis = new ModelAnalysis(project, tree, router);
//   onMount(() => analysis.connect());
import type { FileTree } from '../../../core/file-tree.ts';
import type { PredictionRunInfo, Project } from '../../../core/model.ts';
import type { PredictionMetricTable, ProjectMetrics } from '../../../core/metrics/columns.ts';
import { listRuns } from '../../../store/runs.ts';
import { evalClient, type EvalBackend } from '../../../workers/eval-client.ts';
import { metricsClient, type MetricsClient, type MetricsProgress } from '../../../workers/metrics-client.ts';
import { isAbortError } from '../../../workers/abort.ts';
import { messageOf, RunEvaluation, type RouterLike } from '../../state/run-evaluation.svelte.ts';
import {
  FrameValues,
  labelColumn,
  labelOptions,
  predictionColumn,
  predictionOptions,
  preparedFrameKeys,
  type MetricOption,
} from './metric-columns.ts';

export interface AnalysisDeps {
  evals?: EvalBackend;
  metrics?: MetricsClient;
  listRuns?: (projectKey: string) => Promise<PredictionRunInfo[]>;
  /** Also load TIDE's error types (the Explorer filters and labels its cards by them). */
  tide?: boolean;
}

export class ModelAnalysis extends RunEvaluation {
  readonly tree: FileTree | undefined;
  readonly #metrics: MetricsClient;

  projectMetrics = $state.raw<ProjectMetrics | undefined>(undefined);
  runMetrics = $state.raw<PredictionMetricTable | undefined>(undefined);
  /** Set while metrics are computed (not when they come from the cache). */
  metricsProgress = $state.raw<MetricsProgress | undefined>(undefined);
  metricsError = $state<string | undefined>(undefined);
  /** 'cache' when both parts came from IndexedDB, 'computed' otherwise (shown, and read by tests). */
  metricsOrigin = $state<'cache' | 'computed' | undefined>(undefined);
  metricsCancelled = $state(false);

  // ---- joins
  readonly frameKeys: string[];
  readonly frameValues: FrameValues | undefined;
  readonly predictionOptions: MetricOption[];
  readonly labelOptions: MetricOption[];

  /** The run whose metrics are loaded with the project's (none while the project has no runs). */
  #metricsRun: string | undefined;
  readonly #withTide: boolean;
  #metricsAbort: AbortController | undefined;
  #metricsFor = '';
  #predictionColumns = new Map<string, Float64Array>();
  #labelColumns = new Map<string, Float64Array>();
  #columnInputs: unknown[] = [];

  constructor(project: Project, tree: FileTree | undefined, router: RouterLike, deps: AnalysisDeps = {}) {
    super(project, router, deps.evals ?? evalClient(), { listRuns: deps.listRuns ?? listRuns });
    this.tree = tree;
    this.#withTide = deps.tide ?? false;
    this.#metrics = deps.metrics ?? metricsClient();

    this.frameKeys = $derived(this.summary ? preparedFrameKeys(this.project, this.summary) : []);
    this.frameValues = $derived(this.projectMetrics ? new FrameValues(this.projectMetrics) : undefined);
    this.predictionOptions = $derived(predictionOptions(this.projectMetrics, this.runMetrics));
    this.labelOptions = $derived(labelOptions(this.projectMetrics));
  }

  override async loadRuns(): Promise<void> {
    await super.loadRuns();
    // The project's own metrics (label metrics) are still worth having ready for when a run arrives.
    if (this.phase === 'no-runs') void this.#loadMetrics(undefined);
  }

  // ---- actions (through the URL)

  setClassFilter(index: number) {
    this.router.setParams({ class: index >= 0 ? index : undefined, page: undefined }, true);
  }

  selectRun(id: string) {
    this.missingRun = undefined;
    this.router.setParams({ run: id, page: undefined, item: undefined });
  }

  /** Stops computing metrics (terminates the worker); `retryMetrics` starts again. */
  cancelMetrics() {
    this.#metricsAbort?.abort();
    this.#metricsFor = '';
    this.metricsProgress = undefined;
    this.metricsCancelled = true;
  }

  retryMetrics() {
    this.metricsCancelled = false;
    this.metricsError = undefined;
    void this.#loadMetrics(this.#metricsRun);
  }

  // ---- columns

  /** The metric `id` per prediction (pidx), NaN where it does not apply. Reactive: reads the tables it joins. */
  predictionValues(id: string): Float64Array {
    const { summary, runMetrics, frameValues, projectMetrics } = this;
    if (!summary) return new Float64Array(0);
    this.#checkColumns([summary, runMetrics, frameValues, projectMetrics]);
    let column = this.#predictionColumns.get(id);
    if (!column) {
      column = predictionColumn(id, summary, this.frameKeys, frameValues, runMetrics);
      this.#predictionColumns.set(id, column);
    }
    return column;
  }

  /** The metric `id` per label (lidx). */
  labelValues(id: string): Float64Array {
    const { summary, runMetrics, frameValues, projectMetrics } = this;
    if (!summary) return new Float64Array(0);
    this.#checkColumns([summary, runMetrics, frameValues, projectMetrics]);
    let column = this.#labelColumns.get(id);
    if (!column) {
      column = labelColumn(id, this.project, summary, this.frameKeys, projectMetrics, frameValues);
      this.#labelColumns.set(id, column);
    }
    return column;
  }

  /** Columns are kept while the tables they were joined from stay the same objects. */
  #checkColumns(inputs: unknown[]) {
    if (inputs.length === this.#columnInputs.length && inputs.every((x, i) => x === this.#columnInputs[i])) return;
    this.#columnInputs = inputs;
    this.#predictionColumns = new Map();
    this.#labelColumns = new Map();
  }

  /** Whether pidx / lidx passes the class filter. */
  predictionInClass(pidx: number): boolean {
    return this.classFilter < 0 || this.summary?.predClass[pidx] === this.classFilter;
  }

  labelInClass(lidx: number): boolean {
    return this.classFilter < 0 || this.summary?.labelClass[lidx] === this.classFilter;
  }

  // ---- worker calls

  protected override follow() {
    if (this.#withTide) this.followTide();
  }

  protected override disconnected() {
    this.#metricsAbort?.abort();
  }

  protected override beforePrepare(runId: string) {
    this.#metricsRun = runId;
    void this.#loadMetrics(runId);
  }

  async #loadMetrics(runId: string | undefined) {
    const key = `${runId ?? ''}`;
    if (this.#metricsFor === key && (this.projectMetrics || this.metricsProgress)) return;
    this.#metricsFor = key;
    this.#metricsAbort?.abort();
    const abort = new AbortController();
    this.#metricsAbort = abort;
    this.metricsError = undefined;
    this.metricsCancelled = false;
    this.runMetrics = undefined;
    const onProgress = (p: MetricsProgress) => {
      if (!abort.signal.aborted) this.metricsProgress = p;
    };
    // The page reads the image files (any kind of folder) and the worker decodes them.
    const images = { tree: this.tree };
    try {
      const [project, run] = await Promise.all([
        this.#metrics.projectMetrics(this.project, this.projectKey, images, { signal: abort.signal, onProgress }),
        runId
          ? this.#metrics.runMetrics(this.project, this.projectKey, runId, { signal: abort.signal, onProgress })
          : undefined,
      ]);
      if (abort.signal.aborted) return;
      this.projectMetrics = project.value;
      this.runMetrics = run?.value;
      this.metricsOrigin = project.cached && (run?.cached ?? true) ? 'cache' : 'computed';
    } catch (error) {
      if (abort.signal.aborted || isAbortError(error)) return;
      this.metricsError = messageOf(error);
      this.#metricsFor = '';
    } finally {
      if (!abort.signal.aborted) this.metricsProgress = undefined;
    }
  }
}
