// What every Model page evaluates: the project's prediction runs, the run, IoU threshold and "ignore frames without
// predictions" chosen in the URL (the params run, iou, frames and class that the Model pages share, so every view is
// a link), and the evaluation worker's answers for them: the prepared run's summary and its score. Slider moves are
// coalesced: while a score is in flight only the newest threshold waits.
//
// The pages extend it with what only they show (ModelQualityState, ModelAnalysis). The worker client is shared by
// the Model pages (evalClient()), so a page that goes away aborts its own calls and leaves the prepared run to the
// next page instead of stopping the worker.
//
//   class ModelAnalysis extends RunEvaluation { ... }
//   onMount(() => analysis.connect());   // loads the runs, then follows the URL until the page goes away
import { untrack } from 'svelte';
import type { ImportReport, PredictionRunInfo, Project } from '../../core/model.ts';
import { runsProjectKey } from '../../store/runs.ts';
import type { EvalBackend, Timed } from '../../workers/eval-client.ts';
import type { PreparedSummary, ScoreRequest, ScoreResult } from '../../workers/eval-session.ts';
import { isAbortError } from '../../workers/abort.ts';
import type { Route } from './router.svelte.ts';
import { tideView, type TideView } from './tide-view.ts';

export const DEFAULT_IOU = 0.5;

export interface RouterLike {
  readonly route: Route;
  setParams(params: Record<string, string | number | undefined>, replace?: boolean): void;
}

export interface RunLister {
  listRuns(projectKey: string): Promise<PredictionRunInfo[]>;
  /** The import report kept with a run (to explain a run that holds nothing). */
  getReport?(projectKey: string, id: string): Promise<ImportReport>;
}

export type Phase = 'runs' | 'no-runs' | 'preparing' | 'ready' | 'error';

export interface PageError {
  title: string;
  message: string;
}

/** A threshold from the URL: a number within 0..1, on the sliders' 0.01 grid; anything else gives the fallback. */
export function parseUnit(value: string | null, fallback: number): number {
  if (value === null || value.trim() === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n)) return fallback;
  return Math.round(Math.min(1, Math.max(0, n)) * 100) / 100;
}

/** An index from the URL (a class, a page, an item), or undefined for anything that is not one. */
export function parseIndex(value: string | null): number | undefined {
  const n = Number.parseInt(value ?? '', 10);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class RunEvaluation {
  readonly project: Project;
  readonly projectKey: string;
  protected readonly router: RouterLike;
  protected readonly backend: EvalBackend;
  protected readonly lister: RunLister;

  runs = $state.raw<PredictionRunInfo[] | undefined>(undefined);
  phase = $state<Phase>('runs');
  error = $state.raw<PageError | undefined>(undefined);
  /** The run whose summary is here. */
  preparedRun = $state<string | undefined>(undefined);
  /** A run id the URL named that this project does not have (deleted, or a link from elsewhere): the newest is shown. */
  missingRun = $state<string | undefined>(undefined);
  summary = $state.raw<PreparedSummary | undefined>(undefined);
  score = $state.raw<Timed<ScoreResult> | undefined>(undefined);
  /** TIDE's error types of the run on this page's indices (pages that show them call followTide()). */
  tide = $state.raw<TideView | undefined>(undefined);
  tideError = $state<string | undefined>(undefined);

  // ---- from the URL
  readonly params: URLSearchParams;
  /** The run asked for, or the newest one. */
  readonly runId: string | undefined;
  readonly run: PredictionRunInfo | undefined;
  readonly iou: number;
  readonly ignoreFrames: boolean;
  /** Class index (into summary.classes), or -1 for every class. */
  readonly classFilter: number;

  #generation = 0;
  #preparingRun: string | undefined;
  #prepareAbort: AbortController | undefined;
  #wantedScore: ScoreRequest | undefined;
  #scoring = false;
  #tideFor: string | undefined;
  #tideAbort: AbortController | undefined;

  constructor(project: Project, router: RouterLike, backend: EvalBackend, lister: RunLister) {
    this.project = project;
    this.projectKey = runsProjectKey(project);
    this.router = router;
    this.backend = backend;
    this.lister = lister;
    this.params = $derived(router.route.params);
    this.runId = $derived(this.params.get('run') ?? this.runs?.[0]?.id);
    this.run = $derived(this.runs?.find((r) => r.id === this.runId));
    this.iou = $derived(parseUnit(this.params.get('iou'), DEFAULT_IOU));
    this.ignoreFrames = $derived(this.params.get('frames') === '1');
    this.classFilter = $derived(parseIndex(this.params.get('class')) ?? -1);
  }

  /** Loads the runs and follows the URL; returns the cleanup, which aborts this page's calls in flight. */
  connect(): () => void {
    void this.loadRuns();
    const stop = $effect.root(() => {
      // Each effect reads only what it follows; the worker calls run untracked (they read and write state).
      $effect(() => {
        const id = this.runId;
        if (this.runs && id) untrack(() => void this.#prepare(id));
      });
      $effect(() => {
        const request = { iouThreshold: this.iou, ignoreFramesWithoutPredictions: this.ignoreFrames };
        if (this.summary) untrack(() => this.#requestScore(request));
      });
      this.follow();
    });
    return () => {
      stop();
      // Answers still on their way belong to a page that is gone.
      this.#generation++;
      this.#wantedScore = undefined;
      this.#prepareAbort?.abort();
      this.#tideAbort?.abort();
      this.#tideFor = undefined;
      this.disconnected();
    };
  }

  async loadRuns(): Promise<void> {
    try {
      const runs = await this.lister.listRuns(this.projectKey);
      this.runs = runs;
      if (runs.length === 0) this.phase = 'no-runs';
      // The newest run, written into the URL so the link names it.
      else if (!this.params.get('run')) this.router.setParams({ run: runs[0].id }, true);
    } catch (error) {
      this.runs = [];
      this.phase = 'error';
      this.error = { title: 'The prediction runs could not be read', message: messageOf(error) };
    }
  }

  // ---- actions (all through the URL)

  setIou(value: number) {
    this.router.setParams({ iou: (Math.round(value * 100) / 100).toFixed(2) }, true);
  }

  setIgnoreFrames(on: boolean) {
    this.router.setParams({ frames: on ? 1 : undefined }, true);
  }

  /** Asks again after an error (a run that failed to prepare). */
  retry() {
    this.preparedRun = undefined;
    if (this.runId) void this.#prepare(this.runId, true);
  }

  /** The run's predictions on one prepared frame, with their shapes, from the worker that holds the run. */
  frameDetail(frame: number) {
    return this.backend.frameDetail(frame);
  }

  // ---- for the pages' own state

  /** Effects of the page's own, set up in connect() and stopped with it. */
  protected follow(): void {}

  /** For follow(): loads TIDE's analysis (in the COCO worker) once a run with object predictions is prepared. */
  protected followTide(): void {
    $effect(() => {
      const summary = this.summary;
      const run = this.preparedRun;
      if (summary?.hasObjects && run) untrack(() => void this.#loadTide(summary, run));
    });
  }

  async #loadTide(summary: PreparedSummary, run: string) {
    if (this.#tideFor === run) return;
    this.#tideFor = run;
    this.#tideAbort?.abort();
    const abort = new AbortController();
    this.#tideAbort = abort;
    const generation = this.#generation;
    this.tide = undefined;
    this.tideError = undefined;
    try {
      const tide = await this.backend.tide(abort.signal);
      if (generation === this.#generation && this.#tideFor === run) this.tide = tideView(tide, summary);
    } catch (error) {
      if (isAbortError(error) || generation !== this.#generation || this.#tideFor !== run) return;
      this.tideError = messageOf(error);
      this.#tideFor = undefined;
    }
  }

  /** Aborts the page's own calls in flight (the page is going away). */
  protected disconnected(): void {}

  /** A run starts preparing: the answers of the previous one are gone. */
  protected beforePrepare(_runId: string): void {}

  /** The run's summary is in. */
  protected afterPrepare(_summary: PreparedSummary, _runId: string): void {}

  /** Changes with every run prepared (and when the page goes away): answers of an older one are dropped. */
  protected get generation(): number {
    return this.#generation;
  }

  // ---- worker calls

  async #prepare(runId: string, force = false) {
    if (!force && (this.preparedRun === runId || this.#preparingRun === runId)) return;
    const run = this.runs?.find((r) => r.id === runId);
    if (!run && this.runs && this.runs.length > 0) {
      // Say so and show the newest run, rather than a blank run picker and nothing.
      this.missingRun = runId;
      this.router.setParams({ run: this.runs[0].id }, true);
      return;
    }
    if (!run) {
      this.phase = 'error';
      this.error = {
        title: 'This prediction run is not there',
        message: `No run with id ${runId} belongs to this project (it may have been deleted). Choose another run.`,
      };
      return;
    }
    this.#prepareAbort?.abort();
    const abort = new AbortController();
    this.#prepareAbort = abort;
    const generation = ++this.#generation;
    this.#preparingRun = runId;
    this.preparedRun = undefined;
    this.phase = 'preparing';
    this.error = undefined;
    this.summary = undefined;
    this.score = undefined;
    this.tide = undefined;
    this.tideError = undefined;
    this.#tideFor = undefined;
    this.#tideAbort?.abort();
    this.beforePrepare(runId);
    try {
      const summary = await this.backend.prepare(
        this.project,
        { kind: 'run', projectKey: this.projectKey, runId },
        abort.signal,
      );
      if (generation !== this.#generation) return;
      this.preparedRun = runId;
      this.summary = summary;
      this.phase = 'ready';
      this.afterPrepare(summary, runId);
    } catch (error) {
      if (generation !== this.#generation || isAbortError(error)) return;
      this.phase = 'error';
      this.error = { title: `“${run.name}” could not be evaluated`, message: messageOf(error) };
    } finally {
      if (this.#preparingRun === runId && generation === this.#generation) this.#preparingRun = undefined;
      // Only a preparation in flight is aborted when the page goes away.
      if (this.#prepareAbort === abort) this.#prepareAbort = undefined;
    }
  }

  /** Latest wins: while a score is in flight, only the newest request waits; older ones are dropped. */
  #requestScore(request: ScoreRequest) {
    this.#wantedScore = request;
    if (!this.#scoring) void this.#pumpScores();
  }

  async #pumpScores() {
    this.#scoring = true;
    const generation = this.#generation;
    try {
      while (this.#wantedScore !== undefined && generation === this.#generation) {
        const request = this.#wantedScore;
        this.#wantedScore = undefined;
        try {
          const score = await this.backend.score(request);
          if (generation === this.#generation) this.score = score;
        } catch (error) {
          if (generation !== this.#generation || isAbortError(error)) return;
          this.phase = 'error';
          this.error = { title: 'Scoring failed', message: messageOf(error) };
          return;
        }
      }
    } finally {
      this.#scoring = false;
      // A request that arrived for a newer run while this loop was finishing.
      if (this.#wantedScore !== undefined && generation !== this.#generation && this.summary) void this.#pumpScores();
    }
  }
}
