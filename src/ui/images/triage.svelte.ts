// Image triage on the Images page: a prediction run (the URL's `run`) scored against the labels in the shared
// evaluation worker (Encord Active's matching at IoU 0.50), per image and video frame: TP, FP, FN and F1, plus the
// image's own COCO AP from the COCO worker. The grid can then list the worst images first, keep only images with a
// given outcome, and draw the run's predictions (true positives, false positives) and the missed labels.
import { untrack } from 'svelte';
import type { DataUnit, PredictionRunInfo, Project } from '../../core/model.ts';
import { f1Of, type ImageOutcome } from '../../core/eval/per-image.ts';
import { runsProjectKey } from '../../store/runs.ts';
import type { EvalBackend } from '../../workers/eval-client.ts';
import type { PreparedSummary, ScoreResult } from '../../workers/eval-session.ts';
import { isAbortError } from '../../workers/abort.ts';
import type { Layer } from '../pages/explorer/draw-items.ts';
import { FP_COLOUR, TP_COLOUR, type MarkKind } from './overlay-style.ts';

export const TRIAGE_IOU = 0.5;

/** A unit's outcome: its frames' counts summed (F1 of the sums), and the mean of their COCO APs. */
export interface UnitOutcome {
  tp: number;
  fp: number;
  fn: number;
  f1: number;
  ap: number;
}

export const OUTCOME_FILTERS = {
  '': 'Every image',
  errors: 'With errors (FP or FN)',
  fp: 'With false positives',
  fn: 'With missed labels',
  perfect: 'All right (TP only)',
  empty: 'Nothing to find, nothing found',
} as const;
export type OutcomeFilter = keyof typeof OUTCOME_FILTERS;

export function matchesOutcome(o: UnitOutcome | undefined, filter: OutcomeFilter): boolean {
  if (!filter) return true;
  if (!o) return filter === 'empty';
  switch (filter) {
    case 'errors':
      return o.fp + o.fn > 0;
    case 'fp':
      return o.fp > 0;
    case 'fn':
      return o.fn > 0;
    case 'perfect':
      return o.tp > 0 && o.fp + o.fn === 0;
    case 'empty':
      return o.tp + o.fp + o.fn === 0;
  }
}

/** Worst first: lowest F1 (images with nothing on them last), then most errors, then project order. */
export function worstFirstUnits(units: readonly DataUnit[], outcome: (u: DataUnit) => UnitOutcome | undefined) {
  const f1 = (u: DataUnit) => {
    const o = outcome(u);
    return o && !Number.isNaN(o.f1) ? o.f1 : Infinity;
  };
  const errors = (u: DataUnit) => (outcome(u)?.fp ?? 0) + (outcome(u)?.fn ?? 0);
  return units
    .map((u, i) => ({ u, i }))
    .sort((a, b) => f1(a.u) - f1(b.u) || errors(b.u) - errors(a.u) || a.i - b.i)
    .map(({ u }) => u);
}

/** Per data unit (index into project.dataUnits): its frames' outcomes summed. */
export function unitOutcomes(rows: readonly ImageOutcome[], ap?: Map<string, number>): Map<number, UnitOutcome> {
  const sums = new Map<number, { tp: number; fp: number; fn: number; ap: number[] }>();
  for (const r of rows) {
    let s = sums.get(r.dataUnit);
    if (!s) sums.set(r.dataUnit, (s = { tp: 0, fp: 0, fn: 0, ap: [] }));
    s.tp += r.tp;
    s.fp += r.fp;
    s.fn += r.fn;
    const a = ap?.get(`${r.dataUnit}|${r.frame}`);
    if (a !== undefined && !Number.isNaN(a)) s.ap.push(a);
  }
  const out = new Map<number, UnitOutcome>();
  for (const [u, s] of sums) {
    const ap = s.ap.length ? s.ap.reduce((a, b) => a + b, 0) / s.ap.length : NaN;
    out.set(u, { tp: s.tp, fp: s.fp, fn: s.fn, f1: f1Of(s.tp, s.fp, s.fn), ap });
  }
  return out;
}

export interface RouterParams {
  readonly route: { params: URLSearchParams };
  setParams(params: Record<string, string | number | undefined>, replace?: boolean): void;
}

export class ImageTriage {
  readonly project: Project;
  readonly #backend: EvalBackend;
  readonly #listRuns: (projectKey: string) => Promise<PredictionRunInfo[]>;
  readonly #router: RouterParams;

  runs = $state.raw<PredictionRunInfo[]>([]);
  status = $state<'idle' | 'loading' | 'ready' | 'error'>('idle');
  error = $state<string | undefined>(undefined);
  summary = $state.raw<PreparedSummary | undefined>(undefined);
  score = $state.raw<ScoreResult | undefined>(undefined);
  /** Per frame, keyed "<data unit index>|<frame>". */
  frames = $state.raw<Map<string, ImageOutcome>>(new Map());
  /** COCO AP per frame (same keys), once the COCO worker has it. */
  ap = $state.raw<Map<string, number> | undefined>(undefined);

  readonly runId: string | undefined;
  readonly showPredictions: boolean;
  readonly units: Map<number, UnitOutcome>;
  #unitIndex = new Map<string, number>();
  #frameIndex = new Map<string, number>();
  #loaded: string | undefined;
  #generation = 0;
  #abort: AbortController | undefined;

  constructor(
    project: Project,
    router: RouterParams,
    backend: EvalBackend,
    listRuns: (projectKey: string) => Promise<PredictionRunInfo[]>,
  ) {
    this.project = project;
    this.#router = router;
    this.#backend = backend;
    this.#listRuns = listRuns;
    project.dataUnits.forEach((u, i) => this.#unitIndex.set(u.dataHash, i));
    this.runId = $derived(router.route.params.get('run') ?? undefined);
    this.showPredictions = $derived(router.route.params.get('preds') === '1');
    this.units = $derived(unitOutcomes([...this.frames.values()], this.ap));
  }

  /** Loads the runs and follows the URL's run; returns the cleanup. */
  connect(): () => void {
    this.#listRuns(runsProjectKey(this.project)).then(
      (runs) => (this.runs = runs),
      () => (this.runs = []),
    );
    const stop = $effect.root(() => {
      $effect(() => {
        const id = this.runId;
        untrack(() => void this.#load(id));
      });
    });
    return () => {
      stop();
      this.#generation++;
      this.#abort?.abort();
    };
  }

  outcomeOf(unit: DataUnit): UnitOutcome | undefined {
    const i = this.#unitIndex.get(unit.dataHash);
    return i === undefined ? undefined : this.units.get(i);
  }

  frameOutcome(unit: DataUnit, frame: number): (ImageOutcome & { ap?: number }) | undefined {
    const key = `${this.#unitIndex.get(unit.dataHash)}|${frame}`;
    const row = this.frames.get(key);
    return row && { ...row, ap: this.ap?.get(key) };
  }

  selectRun(id: string | undefined) {
    this.#router.setParams({ run: id, preds: id ? (this.#router.route.params.get('preds') ?? undefined) : undefined });
  }

  togglePredictions() {
    this.#router.setParams({ preds: this.showPredictions ? undefined : 1 }, true);
  }

  /**
   * What to draw over a frame: the run's predictions as true or false positives, and which labels were missed
   * (objectHash -> 'fn'). Undefined when the run does not cover the frame.
   */
  async overlay(unit: DataUnit, frame: number): Promise<{ layers: Layer[]; marks: Map<string, MarkKind> } | undefined> {
    const summary = this.summary;
    const score = this.score;
    if (this.status !== 'ready' || !summary || !score) return undefined;
    const f = this.#frameIndex.get(`${this.#unitIndex.get(unit.dataHash)}|${frame}`);
    const marks = new Map<string, MarkKind>();
    if (f === undefined) return { layers: [], marks };
    for (let l = 0; l < summary.nLabels; l++) {
      if (summary.labelFrame[l] === f && score.isFN[l] && score.labelCounted[l]) marks.set(summary.labelHash[l], 'fn');
    }
    const detail = await this.#backend.frameDetail(f);
    const layers: Layer[] = detail.predictions
      .filter((p) => p.shape.kind !== 'classification')
      .map((p) =>
        score.isTP[p.pidx]
          ? { shape: p.shape, color: TP_COLOUR, mark: 'tp' }
          : { shape: p.shape, color: FP_COLOUR, mark: 'fp' },
      );
    return { layers, marks };
  }

  async #load(runId: string | undefined) {
    if (runId === this.#loaded) return;
    this.#loaded = runId;
    this.#abort?.abort();
    const generation = ++this.#generation;
    this.summary = undefined;
    this.score = undefined;
    this.frames = new Map();
    this.ap = undefined;
    this.error = undefined;
    if (!runId) {
      this.status = 'idle';
      return;
    }
    this.status = 'loading';
    const abort = new AbortController();
    this.#abort = abort;
    try {
      const summary = await this.#backend.prepare(
        this.project,
        { kind: 'run', projectKey: runsProjectKey(this.project), runId },
        abort.signal,
      );
      const score = await this.#backend.score({ iouThreshold: TRIAGE_IOU, ignoreFramesWithoutPredictions: false });
      const rows = await this.#backend.perImage();
      if (generation !== this.#generation) return;
      this.#frameIndex = new Map();
      for (let f = 0; f < summary.frameUnit.length; f++) {
        this.#frameIndex.set(`${summary.frameUnit[f]}|${summary.frameNumber[f]}`, f);
      }
      this.summary = summary;
      this.score = score;
      this.frames = new Map(rows.map((r) => [`${r.dataUnit}|${r.frame}`, r]));
      this.status = 'ready';
      if (summary.hasObjects) {
        this.#backend.coco(false, abort.signal).then(
          (coco) => {
            if (generation === this.#generation)
              this.ap = new Map(coco.images.map((i) => [`${i.dataUnit}|${i.frame}`, i.ap]));
          },
          () => undefined,
        );
      }
    } catch (error) {
      if (generation !== this.#generation || isAbortError(error)) return;
      this.status = 'error';
      this.error = error instanceof Error ? error.message : String(error);
      this.#loaded = undefined;
    }
  }
}
