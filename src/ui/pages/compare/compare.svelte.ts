// The Compare page's state: two runs of the project (A and B), the settings, and the compare workers' answers for
// them. Everything the view depends on is in the URL (a, b, iou, frames, all, liou, cls, img, show, side), so a
// view is a link. Slider moves are coalesced (latest wins); the EA intervals follow each setting, the COCO side
// (12 stats, label changes) runs in its own worker once per pair of runs.
//
//   const cmp = new CompareState(project, router, new CompareClient(), { listRuns });
//   onMount(() => cmp.connect());
import { untrack } from 'svelte';
import type { PredictionRunInfo, Project } from '../../../core/model.ts';
import { DEFAULT_RESAMPLES, DEFAULT_SEED } from '../../../core/eval/compare/bootstrap.ts';
import { runsProjectKey } from '../../../store/runs.ts';
import type { CompareBackend } from '../../../workers/compare-client.ts';
import { isAbortError } from '../../../workers/abort.ts';
import type {
  ActiveCompareResult,
  ActiveIntervals,
  ActiveRequest,
  ChangesResult,
  CocoCompareResult,
  CompareFrameDetail,
  CompareSummary,
  ConfusionChangeResult,
  FrameVerdicts,
  Which,
} from '../../../workers/compare-session.ts';
import {
  DEFAULT_IOU,
  messageOf,
  parseUnit,
  type PageError,
  type RouterLike,
  type RunLister,
} from '../../state/run-evaluation.svelte.ts';

/** COCO's IoU thresholds, the ones the label changes can be read at without matching again. */
export const LABEL_IOUS = [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95];

export type Phase = 'runs' | 'need-two' | 'preparing' | 'ready' | 'error';
export type ImageSort = 'gain' | 'loss' | 'changed';

/** The image being looked at: a data unit and frame. */
export interface Selected {
  dataUnitIndex: number;
  frameNumber: number;
}

export function parseSelected(value: string | null): Selected | undefined {
  const m = /^(\d+):(\d+)$/.exec(value ?? '');
  return m ? { dataUnitIndex: Number(m[1]), frameNumber: Number(m[2]) } : undefined;
}

export class CompareState {
  readonly project: Project;
  readonly projectKey: string;
  readonly #router: RouterLike;
  readonly #backend: CompareBackend;
  readonly #lister: RunLister;

  runs = $state.raw<PredictionRunInfo[] | undefined>(undefined);
  phase = $state<Phase>('runs');
  error = $state.raw<PageError | undefined>(undefined);
  summary = $state.raw<CompareSummary | undefined>(undefined);
  active = $state.raw<(ActiveCompareResult & { roundTripMs: number }) | undefined>(undefined);
  intervals = $state.raw<ActiveIntervals | undefined>(undefined);
  intervalsError = $state<string | undefined>(undefined);
  coco = $state.raw<CocoCompareResult | undefined>(undefined);
  cocoDone = $state(0);
  cocoError = $state<string | undefined>(undefined);
  changes = $state.raw<ChangesResult | undefined>(undefined);
  changesError = $state<string | undefined>(undefined);
  confusion = $state.raw<ConfusionChangeResult | undefined>(undefined);
  /** The selected image's predictions of both runs and COCO's verdicts there. */
  detail = $state.raw<{ a?: CompareFrameDetail; b?: CompareFrameDetail; verdicts?: FrameVerdicts } | undefined>(
    undefined,
  );

  // ---- from the URL
  readonly params: URLSearchParams;
  readonly runA: PredictionRunInfo | undefined;
  readonly runB: PredictionRunInfo | undefined;
  readonly iou: number;
  readonly ignoreFrames: boolean;
  readonly allImages: boolean;
  readonly labelIou: number;
  readonly resamples: number;
  readonly seed: number;
  /** The per-class table's numbers: EA's AP at the slider, or COCO's AP over IoU .50:.95. */
  readonly classMode: 'ea' | 'coco';
  /** The row of the per-class table whose curves are shown ('' for none). */
  readonly classKey: string;
  readonly selected: Selected | undefined;
  readonly show: Which;
  readonly sideBySide: boolean;
  readonly imageSort: ImageSort;

  #generation = 0;
  #prepared: string | undefined;
  #abort: AbortController | undefined;
  #wanted: ActiveRequest | undefined;
  #scoring = false;

  constructor(project: Project, router: RouterLike, backend: CompareBackend, lister: RunLister) {
    this.project = project;
    this.projectKey = runsProjectKey(project);
    this.#router = router;
    this.#backend = backend;
    this.#lister = lister;
    this.params = $derived(router.route.params);
    this.runA = $derived(this.runs?.find((r) => r.id === this.params.get('a')));
    this.runB = $derived(this.runs?.find((r) => r.id === this.params.get('b')));
    this.iou = $derived(parseUnit(this.params.get('iou'), DEFAULT_IOU));
    this.ignoreFrames = $derived(this.params.get('frames') === '1');
    this.allImages = $derived(this.params.get('all') === '1');
    this.labelIou = $derived.by(() => {
      const v = Number(this.params.get('liou'));
      return LABEL_IOUS.find((t) => Math.abs(t - v) < 1e-9) ?? 0.5;
    });
    this.resamples = $derived(positiveInt(this.params.get('resamples'), DEFAULT_RESAMPLES, 100_000));
    this.seed = $derived(positiveInt(this.params.get('seed'), DEFAULT_SEED, 0xffffffff, 0));
    this.classMode = $derived.by(() => {
      const m = this.params.get('pc');
      return m === 'ea' || m === 'coco' ? m : project.dataset ? 'coco' : 'ea';
    });
    this.classKey = $derived(this.params.get('cls') ?? '');
    this.selected = $derived(parseSelected(this.params.get('img')));
    this.show = $derived(this.params.get('show') === 'a' ? 'a' : 'b');
    this.sideBySide = $derived(this.params.get('side') === '1');
    this.imageSort = $derived.by(() => {
      const s = this.params.get('sort');
      return s === 'loss' || s === 'changed' ? s : 'gain';
    });
  }

  /** Loads the runs and follows the URL; returns the cleanup, which drops answers still on their way. */
  connect(): () => void {
    void this.#loadRuns();
    const stop = $effect.root(() => {
      $effect(() => {
        const a = this.runA?.id;
        const b = this.runB?.id;
        if (a && b) untrack(() => void this.#prepare(a, b));
      });
      $effect(() => {
        const request = {
          iouThreshold: this.iou,
          ignoreFramesWithoutPredictions: this.ignoreFrames,
          allFrames: this.allImages,
        };
        if (this.summary) untrack(() => this.#requestScore(request));
      });
      $effect(() => {
        const request = { allImages: this.allImages, resamples: this.resamples, seed: this.seed };
        if (this.summary?.hasObjects) untrack(() => void this.#loadCoco(request));
      });
      $effect(() => {
        const request = { iou: this.labelIou, allImages: this.allImages };
        if (this.summary?.hasObjects) untrack(() => void this.#loadChanges(request));
      });
      $effect(() => {
        const request = {
          iouThreshold: this.iou,
          confidenceThreshold: 0,
          ignoreFramesWithoutPredictions: this.ignoreFrames,
          allFrames: this.allImages,
        };
        if (this.active && this.summary?.hasObjects) untrack(() => void this.#loadConfusion(request));
      });
      $effect(() => {
        const sel = this.selected;
        const changes = { iou: this.labelIou, allImages: this.allImages };
        if (this.summary && sel) untrack(() => void this.#loadDetail(sel, changes));
        else this.detail = undefined;
      });
    });
    return () => {
      stop();
      this.#generation++;
      this.#wanted = undefined;
      this.#abort?.abort();
      this.#backend.terminate();
    };
  }

  // ---- actions (all through the URL)

  setRun(which: Which, id: string) {
    this.#router.setParams({ [which]: id, img: undefined, cls: undefined });
  }

  swap() {
    this.#router.setParams({ a: this.params.get('b') ?? undefined, b: this.params.get('a') ?? undefined });
  }

  setIou(value: number) {
    this.#router.setParams({ iou: (Math.round(value * 100) / 100).toFixed(2) }, true);
  }

  setIgnoreFrames(on: boolean) {
    this.#router.setParams({ frames: on ? 1 : undefined }, true);
  }

  setAllImages(on: boolean) {
    this.#router.setParams({ all: on ? 1 : undefined }, true);
  }

  setLabelIou(value: number) {
    this.#router.setParams({ liou: value === 0.5 ? undefined : value.toFixed(2) }, true);
  }

  setClass(key: string) {
    this.#router.setParams({ cls: key || undefined }, true);
  }

  setClassMode(mode: 'ea' | 'coco') {
    this.#router.setParams({ pc: mode, cls: undefined }, true);
  }

  /** The intervals of exactly the setting whose numbers are shown, or undefined while they are computed. */
  get currentIntervals(): ActiveIntervals | undefined {
    const r = this.intervals;
    return r && sameActive(r, this.active) && r.resamples === this.resamples && r.seed === this.seed ? r : undefined;
  }

  setImageSort(sort: ImageSort) {
    this.#router.setParams({ sort: sort === 'gain' ? undefined : sort }, true);
  }

  select(image: Selected | undefined) {
    this.#router.setParams({ img: image ? `${image.dataUnitIndex}:${image.frameNumber}` : undefined });
  }

  setShow(which: Which) {
    this.#router.setParams({ show: which === 'b' ? undefined : 'a' }, true);
  }

  toggleShow() {
    this.setShow(this.show === 'a' ? 'b' : 'a');
  }

  setSideBySide(on: boolean) {
    this.#router.setParams({ side: on ? 1 : undefined }, true);
  }

  retry() {
    this.#prepared = undefined;
    const [a, b] = [this.runA?.id, this.runB?.id];
    if (a && b) void this.#prepare(a, b);
  }

  // ---- worker calls

  async #loadRuns() {
    try {
      const runs = await this.#lister.listRuns(this.projectKey);
      this.runs = runs;
      if (runs.length < 2) {
        this.phase = 'need-two';
        return;
      }
      // Newest as B, the one before it as A, written into the URL so the link names them.
      const missing: Record<string, string> = {};
      if (!runs.some((r) => r.id === this.params.get('b'))) missing.b = runs[0].id;
      const b = missing.b ?? this.params.get('b');
      if (!runs.some((r) => r.id === this.params.get('a'))) missing.a = runs.find((r) => r.id !== b)!.id;
      if (Object.keys(missing).length > 0) this.#router.setParams(missing, true);
    } catch (error) {
      this.runs = [];
      this.phase = 'error';
      this.error = { title: 'The prediction runs could not be read', message: messageOf(error) };
    }
  }

  async #prepare(a: string, b: string) {
    const key = `${a}|${b}`;
    if (this.#prepared === key) return;
    this.#prepared = key;
    this.#abort?.abort();
    const abort = new AbortController();
    this.#abort = abort;
    const generation = ++this.#generation;
    this.phase = 'preparing';
    this.error = undefined;
    this.summary = undefined;
    this.active = undefined;
    this.intervals = undefined;
    this.coco = undefined;
    this.cocoDone = 0;
    this.cocoError = undefined;
    this.changes = undefined;
    this.confusion = undefined;
    this.detail = undefined;
    try {
      const summary = await this.#backend.prepare(
        this.project,
        { kind: 'run', projectKey: this.projectKey, runId: a },
        { kind: 'run', projectKey: this.projectKey, runId: b },
        abort.signal,
      );
      if (generation !== this.#generation) return;
      this.summary = summary;
      this.phase = 'ready';
    } catch (error) {
      if (generation !== this.#generation || isAbortError(error)) return;
      this.#prepared = undefined;
      this.phase = 'error';
      this.error = { title: 'These runs could not be compared', message: messageOf(error) };
    }
  }

  #requestScore(request: ActiveRequest) {
    this.#wanted = request;
    if (!this.#scoring) void this.#pumpScores();
  }

  async #pumpScores() {
    this.#scoring = true;
    const generation = this.#generation;
    try {
      while (this.#wanted && generation === this.#generation) {
        const request = this.#wanted;
        this.#wanted = undefined;
        try {
          const result = await this.#backend.score(request);
          if (generation !== this.#generation) return;
          this.active = result;
          if (!this.#wanted) void this.#loadIntervals(request);
        } catch (error) {
          if (generation !== this.#generation || isAbortError(error)) return;
          this.phase = 'error';
          this.error = { title: 'Scoring failed', message: messageOf(error) };
          return;
        }
      }
    } finally {
      this.#scoring = false;
      if (this.#wanted && generation !== this.#generation && this.summary) void this.#pumpScores();
    }
  }

  async #loadIntervals(request: ActiveRequest) {
    const generation = this.#generation;
    this.intervalsError = undefined;
    try {
      const r = await this.#backend.intervals({ ...request, resamples: this.resamples, seed: this.seed });
      if (generation === this.#generation && sameActive(r, this.active)) this.intervals = r;
    } catch (error) {
      // A newer setting replaced this one: its own intervals are on their way.
      if (isAbortError(error) || generation !== this.#generation) return;
      this.intervalsError = messageOf(error);
    }
  }

  #cocoKey: string | undefined;
  async #loadCoco(request: { allImages: boolean; resamples: number; seed: number }) {
    const key = `${this.#prepared}|${request.allImages}|${request.resamples}|${request.seed}`;
    if (this.#cocoKey === key) return;
    this.#cocoKey = key;
    const generation = this.#generation;
    this.coco = undefined;
    this.cocoDone = 0;
    this.cocoError = undefined;
    try {
      const r = await this.#backend.coco(request, (done) => {
        if (generation === this.#generation && this.#cocoKey === key) this.cocoDone = done;
      });
      if (generation === this.#generation && this.#cocoKey === key) this.coco = r;
    } catch (error) {
      if (isAbortError(error) || generation !== this.#generation || this.#cocoKey !== key) return;
      this.#cocoKey = undefined;
      this.cocoError = messageOf(error);
    }
  }

  #changesKey: string | undefined;
  async #loadChanges(request: { iou: number; allImages: boolean }) {
    const key = `${this.#prepared}|${request.iou}|${request.allImages}`;
    if (this.#changesKey === key) return;
    this.#changesKey = key;
    const generation = this.#generation;
    this.changesError = undefined;
    try {
      const r = await this.#backend.changes(request);
      if (generation === this.#generation && this.#changesKey === key) this.changes = r;
    } catch (error) {
      if (isAbortError(error) || generation !== this.#generation || this.#changesKey !== key) return;
      this.#changesKey = undefined;
      this.changesError = messageOf(error);
    }
  }

  async #loadConfusion(request: Parameters<CompareBackend['confusion']>[0]) {
    const generation = this.#generation;
    try {
      const r = await this.#backend.confusion(request);
      if (generation === this.#generation && r.iouThreshold === this.iou && r.allFrames === this.allImages) {
        this.confusion = r;
      }
    } catch {
      // The matrix stays as it was; the next setting asks again.
    }
  }

  async #loadDetail(selected: Selected, changes: { iou: number; allImages: boolean }) {
    const generation = this.#generation;
    const { dataUnitIndex, frameNumber } = selected;
    const same = () =>
      generation === this.#generation &&
      this.selected?.dataUnitIndex === dataUnitIndex &&
      this.selected.frameNumber === frameNumber;
    this.detail = undefined;
    try {
      const [a, b] = await Promise.all([
        this.#backend.frameDetail(dataUnitIndex, frameNumber, 'a'),
        this.#backend.frameDetail(dataUnitIndex, frameNumber, 'b'),
      ]);
      if (!same()) return;
      this.detail = { a, b };
      const verdicts = this.summary?.hasObjects
        ? await this.#backend.frameVerdicts(dataUnitIndex, frameNumber, changes)
        : undefined;
      if (same()) this.detail = { a, b, verdicts };
    } catch (error) {
      if (!isAbortError(error) && same()) this.detail = { a: undefined, b: undefined };
    }
  }
}

function sameActive(r: ActiveIntervals, a: ActiveCompareResult | undefined): boolean {
  return (
    !!a &&
    r.iouThreshold === a.iouThreshold &&
    r.ignoreFramesWithoutPredictions === a.ignoreFramesWithoutPredictions &&
    r.allFrames === a.allFrames
  );
}

function positiveInt(value: string | null, fallback: number, max: number, min = 1): number {
  const n = Number(value);
  return value !== null && Number.isInteger(n) && n >= min && n <= max ? n : fallback;
}
