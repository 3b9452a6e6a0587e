// The Model quality page's state: the shared run evaluation (run, IoU threshold, toggle and score, from the URL)
// plus what only this page shows: the tab, COCO's numbers, the confusion matrix, the confidence curves, the
// classification report and the list's filter and open row, also in the URL so every view is a link.
//
//   const mq = new ModelQualityState(project, router, evalClient(), { listRuns });
//   onMount(() => mq.connect());      // loads the runs, then follows the URL until the page goes away
import type { ImportReport, Project } from '../../../core/model.ts';
import type { ClassificationReport } from '../../../core/eval/classification.ts';
import type { EvalBackend } from '../../../workers/eval-client.ts';
import type { CocoSummary } from '../../../workers/eval-coco.ts';
import type { ConfusionResult, CurvesResult, PreparedSummary, ScoreResult } from '../../../workers/eval-session.ts';
import { untrack } from 'svelte';
import { isAbortError } from '../../../workers/abort.ts';
import {
  messageOf,
  parseIndex,
  parseUnit,
  RunEvaluation,
  type RouterLike,
  type RunLister,
} from '../../state/run-evaluation.svelte.ts';

export const TABS = ['summary', 'coco', 'confusion', 'confidence', 'classification', 'tp', 'fp', 'fn'] as const;
export type Tab = (typeof TABS)[number];

export function parseTab(value: string | null, fallback: Tab = 'summary'): Tab {
  return (TABS as readonly string[]).includes(value ?? '') ? (value as Tab) : fallback;
}

/** The tab shown without one in the URL: COCO's numbers for COCO data (its users' headline), else per class. */
export const defaultTab = (project: Project): Tab => (project.kind === 'coco' ? 'coco' : 'summary');

export class ModelQualityState extends RunEvaluation {
  coco = $state.raw<CocoSummary | undefined>(undefined);
  cocoError = $state<string | undefined>(undefined);
  confusion = $state.raw<ConfusionResult | undefined>(undefined);
  curves = $state.raw<CurvesResult | undefined>(undefined);
  /** The import report of a run that holds no predictions (why every record was rejected). */
  emptyReport = $state.raw<ImportReport | undefined>(undefined);
  /** undefined: not asked yet; null: the run has no classification predictions. */
  classification = $state.raw<ClassificationReport | null | undefined>(undefined);

  // ---- from the URL
  readonly tab: Tab;
  /** The confusion matrix's confidence threshold. */
  readonly minConfidence: number;
  /** The row open in the image view: a pidx on the TP/FP tabs, a lidx on the FN tab. */
  readonly item: number | undefined;

  #cocoFor: string | undefined;
  #cocoAbort: AbortController | undefined;
  #extrasFor = { confusion: '', curves: '' };

  constructor(project: Project, router: RouterLike, backend: EvalBackend, runs: RunLister) {
    super(project, router, backend, runs);
    this.tab = $derived(parseTab(this.params.get('tab'), defaultTab(project)));
    this.minConfidence = $derived(parseUnit(this.params.get('conf'), 0));
    this.item = $derived(parseIndex(this.params.get('item')));
  }

  // ---- actions (all through the URL)

  setTab(tab: Tab) {
    this.router.setParams({ tab: tab === defaultTab(this.project) ? undefined : tab, item: undefined });
  }

  selectRun(id: string) {
    this.missingRun = undefined;
    this.router.setParams({ run: id, item: undefined });
  }

  setMinConfidence(value: number) {
    this.router.setParams({ conf: value > 0 ? (Math.round(value * 100) / 100).toFixed(2) : undefined }, true);
  }

  setClassFilter(index: number) {
    this.router.setParams({ class: index >= 0 ? index : undefined }, true);
  }

  openItem(index: number | undefined) {
    this.router.setParams({ item: index });
  }

  // ---- worker calls

  protected override follow() {
    this.followTide();
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
  }

  protected override disconnected() {
    this.#cocoAbort?.abort();
  }

  protected override beforePrepare() {
    this.#cocoAbort?.abort();
    this.coco = undefined;
    this.cocoError = undefined;
    this.#cocoFor = undefined;
    this.confusion = undefined;
    this.curves = undefined;
    this.classification = undefined;
    this.emptyReport = undefined;
    this.#extrasFor = { confusion: '', curves: '' };
  }

  protected override afterPrepare(summary: PreparedSummary, runId: string) {
    const generation = this.generation;
    if (summary.totalPredictions === 0 && this.lister.getReport) {
      this.lister.getReport(this.projectKey, runId).then(
        (report) => generation === this.generation && (this.emptyReport = report),
        () => undefined,
      );
    }
    if (summary.hasClassifications) {
      this.backend.classification().then(
        (report) => generation === this.generation && (this.classification = report ?? null),
        () => generation === this.generation && (this.classification = null),
      );
    } else this.classification = null;
  }

  async #loadCoco(ignore: boolean) {
    const key = `${this.preparedRun}|${ignore}`;
    if (this.#cocoFor === key) return;
    this.#cocoFor = key;
    this.#cocoAbort?.abort();
    const abort = new AbortController();
    this.#cocoAbort = abort;
    const generation = this.generation;
    this.coco = undefined;
    this.cocoError = undefined;
    try {
      const coco = await this.backend.coco(ignore, abort.signal);
      if (generation === this.generation && this.#cocoFor === key) this.coco = coco;
    } catch (error) {
      if (isAbortError(error) || generation !== this.generation || this.#cocoFor !== key) return;
      this.cocoError = messageOf(error);
      this.#cocoFor = undefined;
    }
  }

  async #loadConfusion(iouThreshold: number, confidenceThreshold: number, ignore: boolean) {
    const key = `${this.generation}|${iouThreshold}|${confidenceThreshold}|${ignore}`;
    if (this.#extrasFor.confusion === key) return;
    this.#extrasFor.confusion = key;
    const generation = this.generation;
    try {
      const result = await this.backend.confusion({
        iouThreshold,
        confidenceThreshold,
        ignoreFramesWithoutPredictions: ignore,
      });
      if (generation === this.generation && this.#extrasFor.confusion === key) this.confusion = result;
    } catch (error) {
      if (!isAbortError(error) && generation === this.generation) this.#extrasFor.confusion = '';
    }
  }

  async #loadCurves(score: ScoreResult) {
    const key = `${this.generation}|${score.iouThreshold}|${score.ignoreFramesWithoutPredictions}`;
    if (this.#extrasFor.curves === key) return;
    this.#extrasFor.curves = key;
    const generation = this.generation;
    try {
      // The worker's curves follow its last score, which is this one or a newer one (then it is asked again).
      const curves = await this.backend.confidenceCurves();
      if (generation === this.generation && this.#extrasFor.curves === key) this.curves = curves;
    } catch (error) {
      if (!isAbortError(error) && generation === this.generation) this.#extrasFor.curves = '';
    }
  }
}
