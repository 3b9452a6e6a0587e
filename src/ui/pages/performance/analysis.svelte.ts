// What the Performance-by-metric and Explorer pages share: the chosen run, IoU threshold, "ignore frames without
// predictions" and class (the same URL params as the Model quality page: run, iou, frames, class), the evaluation
// worker's TP/FP/FN flags for them, and the quality metrics of the project and the run (cached in IndexedDB,
// computed in a metrics worker the first time, with progress and cancel).
//
//   const analysis = new ModelAnalysis(project, tree, router);
//   onMount(() => analysis.connect());
import { untrack } from 'svelte';
import type { FileTree } from '../../../core/file-tree.ts';
import type { PredictionRunInfo, Project } from '../../../core/model.ts';
import type { PredictionMetricTable, ProjectMetrics } from '../../../core/metrics/columns.ts';
import { listRuns, runsProjectKey } from '../../../store/runs.ts';
import { EvalClient, type EvalBackend } from '../../../workers/eval-client.ts';
import type { PreparedSummary, ScoreResult } from '../../../workers/eval-session.ts';
import { metricsClient, type MetricsClient, type MetricsProgress } from '../../../workers/metrics-client.ts';
import { isAbortError } from '../../../workers/pool.ts';
import type { Route } from '../../state/router.svelte.ts';
import {
  FrameValues,
  labelColumn,
  labelOptions,
  predictionColumn,
  predictionOptions,
  preparedFrameKeys,
  type MetricOption,
} from './metric-columns.ts';

export const DEFAULT_IOU = 0.5;

export interface RouterLike {
  readonly route: Route;
  setParams(params: Record<string, string | number | undefined>, replace?: boolean): void;
  go?(scope: Route['scope'], page?: string, params?: URLSearchParams | Record<string, string>): void;
}

export type AnalysisPhase = 'runs' | 'no-runs' | 'preparing' | 'ready' | 'error';

export interface AnalysisDeps {
  evals?: EvalBackend;
  metrics?: MetricsClient;
  listRuns?: (projectKey: string) => Promise<PredictionRunInfo[]>;
}

/** A threshold from the URL: within 0..1 on the 0.01 grid the sliders use; anything else gives the fallback. */
export function parseUnit(value: string | null, fallback: number): number {
  if (value === null || value.trim() === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n)) return fallback;
  return Math.round(Math.min(1, Math.max(0, n)) * 100) / 100;
}

export function parseIndex(value: string | null): number | undefined {
  const n = Number.parseInt(value ?? '', 10);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

export class ModelAnalysis {
  readonly project: Project;
  readonly projectKey: string;
  readonly tree: FileTree | undefined;
  readonly #router: RouterLike;
  readonly #evals: EvalBackend;
  readonly #metrics: MetricsClient;
  readonly #listRuns: (projectKey: string) => Promise<PredictionRunInfo[]>;

  runs = $state.raw<PredictionRunInfo[] | undefined>(undefined);
  phase = $state<AnalysisPhase>('runs');
  error = $state<string | undefined>(undefined);
  summary = $state.raw<PreparedSummary | undefined>(undefined);
  score = $state.raw<ScoreResult | undefined>(undefined);

  projectMetrics = $state.raw<ProjectMetrics | undefined>(undefined);
  runMetrics = $state.raw<PredictionMetricTable | undefined>(undefined);
  /** Set while metrics are computed (not when they come from the cache). */
  metricsProgress = $state.raw<MetricsProgress | undefined>(undefined);
  metricsError = $state<string | undefined>(undefined);
  /** 'cache' when both parts came from IndexedDB, 'computed' otherwise (shown, and read by tests). */
  metricsOrigin = $state<'cache' | 'computed' | undefined>(undefined);
  metricsCancelled = $state(false);

  // ---- from the URL
  readonly params: URLSearchParams;
  readonly runId: string | undefined;
  readonly run: PredictionRunInfo | undefined;
  readonly iou: number;
  readonly ignoreFrames: boolean;
  /** Class index (into summary.classes), or -1 for every class. */
  readonly classFilter: number;

  // ---- joins
  readonly frameKeys: string[];
  readonly frameValues: FrameValues | undefined;
  readonly predictionOptions: MetricOption[];
  readonly labelOptions: MetricOption[];

  #preparedRun: string | undefined;
  #generation = 0;
  #prepareAbort: AbortController | undefined;
  #metricsAbort: AbortController | undefined;
  #metricsFor = '';
  #wantedScore: string | undefined;
  #scoring = false;
  #predictionColumns = new Map<string, Float64Array>();
  #labelColumns = new Map<string, Float64Array>();
  #columnInputs: unknown[] = [];

  constructor(project: Project, tree: FileTree | undefined, router: RouterLike, deps: AnalysisDeps = {}) {
    this.project = project;
    this.projectKey = runsProjectKey(project);
    this.tree = tree;
    this.#router = router;
    this.#evals = deps.evals ?? new EvalClient();
    this.#metrics = deps.metrics ?? metricsClient();
    this.#listRuns = deps.listRuns ?? listRuns;

    this.params = $derived(router.route.params);
    this.runId = $derived(this.params.get('run') ?? this.runs?.[0]?.id);
    this.run = $derived(this.runs?.find((r) => r.id === this.runId));
    this.iou = $derived(parseUnit(this.params.get('iou'), DEFAULT_IOU));
    this.ignoreFrames = $derived(this.params.get('frames') === '1');
    this.classFilter = $derived(parseIndex(this.params.get('class')) ?? -1);

    this.frameKeys = $derived(this.summary ? preparedFrameKeys(this.project, this.summary) : []);
    this.frameValues = $derived(this.projectMetrics ? new FrameValues(this.projectMetrics) : undefined);
    this.predictionOptions = $derived(predictionOptions(this.projectMetrics, this.runMetrics));
    this.labelOptions = $derived(labelOptions(this.projectMetrics));
  }

  /** Loads the runs, then follows the URL; returns the cleanup (stops the evaluation worker). */
  connect(): () => void {
    void this.loadRuns();
    const stop = $effect.root(() => {
      $effect(() => {
        const id = this.runId;
        if (this.runs && id) untrack(() => void this.#prepare(id));
      });
      $effect(() => {
        const request = { iouThreshold: this.iou, ignoreFramesWithoutPredictions: this.ignoreFrames };
        if (this.summary) untrack(() => this.#requestScore(request));
      });
    });
    return () => {
      stop();
      this.#prepareAbort?.abort();
      this.#metricsAbort?.abort();
      this.#evals.terminate();
    };
  }

  async loadRuns(): Promise<void> {
    try {
      const runs = await this.#listRuns(this.projectKey);
      this.runs = runs;
      if (runs.length === 0) {
        this.phase = 'no-runs';
        // The project's own metrics (label metrics) are still worth having ready for when a run arrives.
        void this.#loadMetrics(undefined);
      } else if (!this.params.get('run')) this.#router.setParams({ run: runs[0].id }, true);
    } catch (error) {
      this.runs = [];
      this.phase = 'error';
      this.error = `The prediction runs could not be read: ${messageOf(error)}`;
    }
  }

  // ---- actions (through the URL)

  setIou(value: number) {
    this.#router.setParams({ iou: (Math.round(value * 100) / 100).toFixed(2) }, true);
  }

  setIgnoreFrames(on: boolean) {
    this.#router.setParams({ frames: on ? 1 : undefined }, true);
  }

  setClassFilter(index: number) {
    this.#router.setParams({ class: index >= 0 ? index : undefined, page: undefined }, true);
  }

  selectRun(id: string) {
    this.#router.setParams({ run: id, page: undefined, item: undefined });
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
    void this.#loadMetrics(this.#preparedRun);
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

  /** The run's predictions on one prepared frame, with their shapes (from the evaluation worker). */
  frameDetail(frame: number) {
    return this.#evals.frameDetail(frame);
  }

  // ---- worker calls

  async #prepare(runId: string) {
    if (this.#preparedRun === runId && this.summary) return;
    const run = this.runs?.find((r) => r.id === runId);
    if (!run) {
      this.phase = 'error';
      this.error = `No prediction run with id ${runId} belongs to this project (it may have been deleted). Choose another run.`;
      return;
    }
    this.#prepareAbort?.abort();
    const abort = new AbortController();
    this.#prepareAbort = abort;
    const generation = ++this.#generation;
    this.#preparedRun = runId;
    this.phase = 'preparing';
    this.error = undefined;
    this.summary = undefined;
    this.score = undefined;
    void this.#loadMetrics(runId);
    try {
      const summary = await this.#evals.prepare(this.project, { kind: 'run', projectKey: this.projectKey, runId }, abort.signal);
      if (generation !== this.#generation) return;
      this.summary = summary;
      this.phase = 'ready';
    } catch (error) {
      if (generation !== this.#generation || isAbortError(error)) return;
      this.#preparedRun = undefined;
      this.phase = 'error';
      this.error = `“${run.name}” could not be evaluated: ${messageOf(error)}`;
    }
  }

  #requestScore(request: { iouThreshold: number; ignoreFramesWithoutPredictions: boolean }) {
    this.#wantedScore = JSON.stringify(request);
    if (!this.#scoring) void this.#pumpScores();
  }

  /** Latest wins: while a score is in flight only the newest request waits. */
  async #pumpScores() {
    this.#scoring = true;
    const generation = this.#generation;
    try {
      while (this.#wantedScore !== undefined && generation === this.#generation) {
        const request = JSON.parse(this.#wantedScore);
        this.#wantedScore = undefined;
        try {
          const score = await this.#evals.score(request);
          if (generation === this.#generation) this.score = score;
        } catch (error) {
          if (generation !== this.#generation || isAbortError(error)) return;
          this.phase = 'error';
          this.error = `Scoring failed: ${messageOf(error)}`;
          return;
        }
      }
    } finally {
      this.#scoring = false;
      if (this.#wantedScore !== undefined && generation !== this.#generation && this.summary) void this.#pumpScores();
    }
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
        runId ? this.#metrics.runMetrics(this.project, this.projectKey, runId, { signal: abort.signal, onProgress }) : undefined,
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

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
