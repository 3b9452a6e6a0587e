// The Model quality page's state: which run, which IoU threshold, which tab, all read from the URL (so every view
// is a link), and the answers of the evaluation worker for them. The worker is asked again whenever those change;
// slider moves are coalesced (only the latest threshold is scored once the worker is free).
//
//   const mq = new ModelQualityState(project, router, new EvalClient(), { listRuns });
//   onMount(() => mq.connect());      // loads the runs, then follows the URL until the page goes away
import type { ImportReport, PredictionRunInfo, Project } from '../../../core/model.ts';
import type { ClassificationReport } from '../../../core/eval/classification.ts';
import { runsProjectKey } from '../../../store/runs.ts';
import type { EvalBackend, Timed } from '../../../workers/eval-client.ts';
import type { CocoSummary } from '../../../workers/eval-coco.ts';
import type { ConfusionResult, CurvesResult, PreparedSummary, ScoreResult } from '../../../workers/eval-session.ts';
import { untrack } from 'svelte';
import { isAbortError } from '../../../workers/pool.ts';
import type { Route } from '../../state/router.svelte.ts';

export const TABS = ['summary', 'coco', 'confusion', 'confidence', 'classification', 'tp', 'fp', 'fn'] as const;
export type Tab = (typeof TABS)[number];

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

/** A threshold from the URL: a number within 0..1, on the slider's 0.01 grid; anything else gives the fallback. */
export function parseUnit(value: string | null, fallback: number): number {
  if (value === null || value.trim() === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n)) return fallback;
  return Math.round(Math.min(1, Math.max(0, n)) * 100) / 100;
}

export function parseTab(value: string | null): Tab {
  return (TABS as readonly string[]).includes(value ?? '') ? (value as Tab) : 'summary';
}

export class ModelQualityState {
  readonly project: Project;
  readonly projectKey: string;
  readonly #router: RouterLike;
  readonly #backend: EvalBackend;
  readonly #runs: RunLister;

  runs = $state.raw<PredictionRunInfo[] | undefined>(undefined);
  phase = $state<Phase>('runs');
  error = $state.raw<PageError | undefined>(undefined);
  /** The run the worker holds now. */
  preparedRun = $state<string | undefined>(undefined);
  summary = $state.raw<PreparedSummary | undefined>(undefined);
  score = $state.raw<Timed<ScoreResult> | undefined>(undefined);
  coco = $state.raw<CocoSummary | undefined>(undefined);
  cocoError = $state<string | undefined>(undefined);
  confusion = $state.raw<ConfusionResult | undefined>(undefined);
  curves = $state.raw<CurvesResult | undefined>(undefined);
  /** The import report of a run that holds no predictions (why every record was rejected). */
  emptyReport = $state.raw<ImportReport | undefined>(undefined);
  /** undefined: not asked yet; null: the run has no classification predictions. */
  classification = $state.raw<ClassificationReport | null | undefined>(undefined);

  // ---- from the URL
  readonly params: URLSearchParams;
  /** The run asked for, or the newest one. */
  readonly runId: string | undefined;
  readonly run: PredictionRunInfo | undefined;
  readonly iou: number;
  readonly ignoreFrames: boolean;
  readonly tab: Tab;
  /** The confusion matrix's confidence threshold. */
  readonly minConfidence: number;
  /** Class filter for the lists (class index), or -1 for all. */
  readonly classFilter: number;
  /** The row open in the image view: a pidx on the TP/FP tabs, a lidx on the FN tab. */
  readonly item: number | undefined;

  #generation = 0;
  #preparingRun: string | undefined;
  #prepareAbort: AbortController | undefined;
  #wantedScore: string | undefined;
  #scoring = false;
  #cocoFor: string | undefined;
  #cocoAbort: AbortController | undefined;
  #extrasFor = { confusion: '', curves: '' };

  constructor(project: Project, router: RouterLike, backend: EvalBackend, runs: RunLister) {
    this.project = project;
    this.projectKey = runsProjectKey(project);
    this.#router = router;
    this.#backend = backend;
    this.#runs = runs;
    this.params = $derived(router.route.params);
    this.runId = $derived(this.params.get('run') ?? this.runs?.[0]?.id);
    this.run = $derived(this.runs?.find((r) => r.id === this.runId));
    this.iou = $derived(parseUnit(this.params.get('iou'), DEFAULT_IOU));
    this.ignoreFrames = $derived(this.params.get('frames') === '1');
    this.tab = $derived(parseTab(this.params.get('tab')));
    this.minConfidence = $derived(parseUnit(this.params.get('conf'), 0));
    this.classFilter = $derived.by(() => {
      const n = Number.parseInt(this.params.get('class') ?? '', 10);
      return Number.isInteger(n) && n >= 0 ? n : -1;
    });
    this.item = $derived.by(() => {
      const n = Number.parseInt(this.params.get('item') ?? '', 10);
      return Number.isInteger(n) && n >= 0 ? n : undefined;
    });
  }

  /** Loads the runs and follows the URL; returns the cleanup (stops the workers). */
  connect(): () => void {
    void this.loadRuns();
    const stop = $effect.root(() => {
      // Each effect reads only what it follows; the worker calls run untracked (they read and write state).
      $effect(() => {
        const id = this.runId;
        if (this.runs && id) untrack(() => void this.#prepare(id));
      });
      $effect(() => {
        const iou = this.iou;
        const ignore = this.ignoreFrames;
        if (this.summary) untrack(() => this.#requestScore(iou, ignore));
      });
      $effect(() => {
        // COCO runs in its own worker, so it is computed at once: its AP stands next to EA's mAP.
        const ignore = this.ignoreFrames;
        if (this.summary?.hasObjects) untrack(() => void this.#loadCoco(ignore));
      });
      $effect(() => {
        // The follow-up answers of the tab in view, once the score they depend on is in.
        const score = this.score;
        const tab = this.tab;
        if (!score || !this.summary) return;
        if (tab === 'confusion') {
          const request = { iou: this.iou, confidence: this.minConfidence, ignore: this.ignoreFrames };
          untrack(() => void this.#loadConfusion(request.iou, request.confidence, request.ignore));
        }
        if (tab === 'confidence') untrack(() => void this.#loadCurves(score));
      });
    });
    return () => {
      stop();
      this.#prepareAbort?.abort();
      this.#cocoAbort?.abort();
      this.#backend.terminate();
    };
  }

  async loadRuns(): Promise<void> {
    try {
      const runs = await this.#runs.listRuns(this.projectKey);
      this.runs = runs;
      if (runs.length === 0) this.phase = 'no-runs';
      // The newest run, written into the URL so the link names it.
      else if (!this.params.get('run')) this.#router.setParams({ run: runs[0].id }, true);
    } catch (error) {
      this.runs = [];
      this.phase = 'error';
      this.error = { title: 'The prediction runs could not be read', message: messageOf(error) };
    }
  }

  // ---- actions (all through the URL)

  setIou(value: number) {
    this.#router.setParams({ iou: (Math.round(value * 100) / 100).toFixed(2) }, true);
  }

  setIgnoreFrames(on: boolean) {
    this.#router.setParams({ frames: on ? 1 : undefined }, true);
  }

  setTab(tab: Tab) {
    this.#router.setParams({ tab: tab === 'summary' ? undefined : tab, item: undefined });
  }

  selectRun(id: string) {
    this.#router.setParams({ run: id, item: undefined });
  }

  setMinConfidence(value: number) {
    this.#router.setParams({ conf: value > 0 ? (Math.round(value * 100) / 100).toFixed(2) : undefined }, true);
  }

  setClassFilter(index: number) {
    this.#router.setParams({ class: index >= 0 ? index : undefined }, true);
  }

  openItem(index: number | undefined) {
    this.#router.setParams({ item: index });
  }

  /** Asks again after an error (a run that failed to prepare). */
  retry() {
    this.preparedRun = undefined;
    if (this.runId) void this.#prepare(this.runId, true);
  }

  /** Frame detail for the image view, from the worker that holds the run. */
  frameDetail(frame: number) {
    return this.#backend.frameDetail(frame);
  }

  // ---- worker calls

  async #prepare(runId: string, force = false) {
    if (!force && (this.preparedRun === runId || this.#preparingRun === runId)) return;
    const run = this.runs?.find((r) => r.id === runId);
    if (!run) {
      this.phase = 'error';
      this.error = {
        title: 'This prediction run is not there',
        message: `No run with id ${runId} belongs to this project (it may have been deleted). Choose another run.`,
      };
      return;
    }
    this.#prepareAbort?.abort();
    this.#cocoAbort?.abort();
    const abort = new AbortController();
    this.#prepareAbort = abort;
    const generation = ++this.#generation;
    this.#preparingRun = runId;
    this.phase = 'preparing';
    this.error = undefined;
    this.summary = undefined;
    this.score = undefined;
    this.coco = undefined;
    this.cocoError = undefined;
    this.#cocoFor = undefined;
    this.confusion = undefined;
    this.curves = undefined;
    this.classification = undefined;
    this.emptyReport = undefined;
    this.#extrasFor = { confusion: '', curves: '' };
    try {
      const summary = await this.#backend.prepare(
        this.project,
        { kind: 'run', projectKey: this.projectKey, runId },
        abort.signal,
      );
      if (generation !== this.#generation) return;
      this.preparedRun = runId;
      this.summary = summary;
      this.phase = 'ready';
      if (summary.totalPredictions === 0 && this.#runs.getReport) {
        this.#runs.getReport(this.projectKey, runId).then(
          (report) => generation === this.#generation && (this.emptyReport = report),
          () => undefined,
        );
      }
      if (summary.hasClassifications) {
        this.#backend.classification().then(
          (report) => generation === this.#generation && (this.classification = report ?? null),
          () => generation === this.#generation && (this.classification = null),
        );
      } else this.classification = null;
    } catch (error) {
      if (generation !== this.#generation || isAbortError(error)) return;
      this.phase = 'error';
      this.error = { title: `“${run.name}” could not be evaluated`, message: messageOf(error) };
    } finally {
      if (this.#preparingRun === runId && generation === this.#generation) this.#preparingRun = undefined;
    }
  }

  /** Latest wins: while a score is in flight, only the newest request waits; older ones are dropped. */
  #requestScore(iouThreshold: number, ignoreFramesWithoutPredictions: boolean) {
    this.#wantedScore = JSON.stringify({ iouThreshold, ignoreFramesWithoutPredictions });
    if (!this.#scoring) void this.#pumpScores();
  }

  async #pumpScores() {
    this.#scoring = true;
    const generation = this.#generation;
    try {
      while (this.#wantedScore !== undefined && generation === this.#generation) {
        const request = JSON.parse(this.#wantedScore) as { iouThreshold: number; ignoreFramesWithoutPredictions: boolean };
        this.#wantedScore = undefined;
        try {
          const score = await this.#backend.score(request);
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

  async #loadCoco(ignore: boolean) {
    const key = `${this.preparedRun}|${ignore}`;
    if (this.#cocoFor === key) return;
    this.#cocoFor = key;
    this.#cocoAbort?.abort();
    const abort = new AbortController();
    this.#cocoAbort = abort;
    const generation = this.#generation;
    this.coco = undefined;
    this.cocoError = undefined;
    try {
      const coco = await this.#backend.coco(ignore, abort.signal);
      if (generation === this.#generation && this.#cocoFor === key) this.coco = coco;
    } catch (error) {
      if (isAbortError(error) || generation !== this.#generation || this.#cocoFor !== key) return;
      this.cocoError = messageOf(error);
      this.#cocoFor = undefined;
    }
  }

  async #loadConfusion(iouThreshold: number, confidenceThreshold: number, ignore: boolean) {
    const key = `${this.#generation}|${iouThreshold}|${confidenceThreshold}|${ignore}`;
    if (this.#extrasFor.confusion === key) return;
    this.#extrasFor.confusion = key;
    const generation = this.#generation;
    try {
      const result = await this.#backend.confusion({ iouThreshold, confidenceThreshold, ignoreFramesWithoutPredictions: ignore });
      if (generation === this.#generation && this.#extrasFor.confusion === key) this.confusion = result;
    } catch (error) {
      if (!isAbortError(error) && generation === this.#generation) this.#extrasFor.confusion = '';
    }
  }

  async #loadCurves(score: ScoreResult) {
    const key = `${this.#generation}|${score.iouThreshold}|${score.ignoreFramesWithoutPredictions}`;
    if (this.#extrasFor.curves === key) return;
    this.#extrasFor.curves = key;
    const generation = this.#generation;
    try {
      // The worker's curves follow its last score, which is this one or a newer one (then it is asked again).
      const curves = await this.#backend.confidenceCurves();
      if (generation === this.#generation && this.#extrasFor.curves === key) this.curves = curves;
    } catch (error) {
      if (!isAbortError(error) && generation === this.#generation) this.#extrasFor.curves = '';
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
