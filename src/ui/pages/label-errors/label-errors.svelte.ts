// The Label errors page's state: the run (from the URL, shared with the Model pages), TIDE's analysis of it, and
// the gallery of likely label errors built from it (core/eval/tide/label-errors.ts), filtered by kind and a
// confidence floor (both in the URL).
import type { Project } from '../../../core/model.ts';
import { likelyLabelErrors, type LabelErrorItem, type LabelErrorKind } from '../../../core/eval/tide/label-errors.ts';
import type { EvalBackend } from '../../../workers/eval-client.ts';
import { parseUnit, RunEvaluation, type RouterLike, type RunLister } from '../../state/run-evaluation.svelte.ts';

export const KINDS: LabelErrorKind[] = ['missing-label', 'wrong-class', 'loose-box'];

export interface GalleryItem extends LabelErrorItem {
  /** The prediction's pidx in the prepared run (-1 when it took no part there). */
  pidx: number;
  /** Index into project.dataUnits and the frame. */
  dataUnit: number;
  frame: number;
  /** The prepared run's frame index (for the worker's frame detail); -1 when none. */
  evalFrame: number;
  /** The label concerned (objectHash), if any. */
  labelHash?: string;
}

export class LabelErrorsState extends RunEvaluation {
  readonly kind: LabelErrorKind | undefined;
  readonly minConfidence: number;
  readonly items: GalleryItem[] | undefined;

  constructor(project: Project, router: RouterLike, backend: EvalBackend, runs: RunLister) {
    super(project, router, backend, runs);
    this.kind = $derived.by(() => {
      const k = this.params.get('kind');
      return KINDS.includes(k as LabelErrorKind) ? (k as LabelErrorKind) : undefined;
    });
    this.minConfidence = $derived(parseUnit(this.params.get('min'), 0.5));
    this.items = $derived.by(() => {
      const tide = this.tide;
      const summary = this.summary;
      if (!tide || !summary) return undefined;
      const t = tide.summary;
      const pidxOf = new Int32Array(t.predOutcome.length).fill(-1);
      summary.predSource.forEach((source, pidx) => (pidxOf[source] = pidx));
      const confidence = new Float64Array(t.predOutcome.length).fill(NaN);
      for (let p = 0; p < summary.nPredictions; p++) confidence[summary.predSource[p]] = summary.confidence[p];
      const className = (d: number) => summary.classes[summary.predClass[pidxOf[d]]]?.name ?? '?';
      const frameOf = new Map<string, number>();
      for (let f = 0; f < summary.frameUnit.length; f++)
        frameOf.set(`${summary.frameUnit[f]}|${summary.frameNumber[f]}`, f);
      const labelClass = new Map<string, string>();
      this.project.dataUnits.forEach((du, u) =>
        du.frames.forEach((fl) =>
          fl.objects.forEach((o) => labelClass.set(`${u}|${fl.frame}|${o.objectHash}`, o.name)),
        ),
      );
      const labelName = (l: number) =>
        labelClass.get(`${t.labelUnit[l]}|${t.labelFrame[l]}|${t.labelHash[l]}`) ??
        labelClass.get(`${t.labelUnit[l]}|${this.project.dataUnits[t.labelUnit[l]]?.sequence}|${t.labelHash[l]}`) ??
        '?';
      const found = likelyLabelErrors(
        {
          outcome: t.predOutcome,
          error: t.predError,
          confidence,
          bestIou: t.predBestIou,
          otherIou: t.predOtherIou,
          otherLabel: t.predOtherLabel,
          className,
          labelFalseNegative: t.labelFalseNegative,
          labelBestIou: t.labelBestIou,
          labelBestSameIou: t.labelBestSameIou,
          labelOverlapBy: t.labelOverlapBy,
          labelClassName: labelName,
        },
        this.minConfidence,
      );
      return found
        .filter((item) => !this.kind || item.kind === this.kind)
        .map((item): GalleryItem => {
          const pidx = pidxOf[item.detection];
          const evalFrame = pidx >= 0 ? summary.predFrame[pidx] : -1;
          const dataUnit = evalFrame >= 0 ? summary.frameUnit[evalFrame] : t.labelUnit[item.label];
          const frame = evalFrame >= 0 ? summary.frameNumber[evalFrame] : t.labelFrame[item.label];
          return {
            ...item,
            pidx,
            dataUnit,
            frame,
            evalFrame: evalFrame >= 0 ? evalFrame : (frameOf.get(`${dataUnit}|${frame}`) ?? -1),
            labelHash: item.label >= 0 ? t.labelHash[item.label] : undefined,
          };
        });
    });
  }

  protected override follow() {
    this.followTide();
  }

  selectRun(id: string) {
    this.router.setParams({ run: id });
  }

  setKind(kind: LabelErrorKind | undefined) {
    this.router.setParams({ kind }, true);
  }

  setMinConfidence(value: number) {
    this.router.setParams({ min: (Math.round(value * 100) / 100).toFixed(2) }, true);
  }
}
