// The Explorer's state: true positives, false positives or false negatives of a run, one metric, a value range, a
// sort order, a class, a page and card settings, all in the URL (reloading or sharing the link restores the view),
// over the shared ModelAnalysis (run, IoU threshold, ignore-frames, TP/FP/FN flags and metric columns).
import type { DataUnit, LabelObject } from '../../../core/model.ts';
import { reasonText } from '../../../core/eval/active/score.ts';
import type { FrameDetail } from '../../../workers/eval-session.ts';
import { FN_COLOUR, FP_COLOUR, TP_COLOUR } from '../../images/overlay-style.ts';
import type { Layer } from './draw-items.ts';
import { labelsAt } from '../../images/browser.svelte.ts';
import type { ModelAnalysis } from '../performance/analysis.svelte.ts';
import { parseIndex, type RouterLike } from '../../state/run-evaluation.svelte.ts';
import type { MetricOption } from '../performance/metric-columns.ts';
import { buildList, GRID, setting, type ItemList, type SortOrder } from './explorer-list.ts';
import { errorCode, MAIN_ERRORS, type MainError } from '../../../core/eval/tide/types.ts';
import { LABEL_STATUS, labelTypeText, predictionTypeText } from '../../state/tide-view.ts';

export const TABS = ['tp', 'fp', 'fn'] as const;
export type ExplorerTab = (typeof TABS)[number];

export const TAB_INFO: Record<ExplorerTab, { title: string; color: string; details: string }> = {
  tp: {
    title: 'True positives',
    color: TP_COLOUR,
    details:
      'These are the predictions for which the IOU was sufficiently high and the confidence score was the highest amongst predictions that overlap with the label.',
  },
  fp: {
    title: 'False positives',
    color: FP_COLOUR,
    details:
      'Predictions that matched no label: the IOU with the label was too low, another prediction with a higher confidence already matched the label, or the predicted class did not match.',
  },
  fn: {
    title: 'False negatives',
    color: FN_COLOUR,
    details:
      'Labels that were not matched with any prediction. The missed label is drawn dotted in amber, the predictions of the same frame as true positives (double line) or false positives (dashed).',
  },
};

const DEFAULT_METRIC: Record<ExplorerTab, string> = {
  tp: 'P:model_confidence',
  fp: 'P:model_confidence',
  fn: 'O:object_area_-_relative',
};

/** What a card needs to show one item. */
export interface CardItem {
  /** pidx (TP/FP tabs) or lidx (FN tab). */
  index: number;
  frame: number;
  unit: DataUnit;
  frameNumber: number;
  /** Every label object of the frame. */
  labels: readonly LabelObject[];
  /** The FN tab's missed label. */
  label?: LabelObject;
  value: number;
  className: string;
  classColor?: string;
  confidence?: number;
  iou?: number;
  reason?: string;
  /** TIDE's error type (or what TIDE made of it), beside Encord Active's reason. */
  tideType?: string;
}

function parseNumber(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

export class ExplorerState {
  readonly analysis: ModelAnalysis;
  readonly #router: RouterLike;
  #frames = new Map<number, Promise<FrameDetail>>();
  #framesFor: unknown;

  readonly params: URLSearchParams;
  readonly tab: ExplorerTab;
  readonly isPredictionTab: boolean;
  readonly options: MetricOption[];
  readonly metricId: string;
  readonly metric: MetricOption | undefined;
  readonly lo: number | undefined;
  readonly hi: number | undefined;
  readonly sort: SortOrder;
  readonly columns: number;
  readonly rows: number;
  readonly contour: number;
  readonly opacity: number;
  readonly pageSize: number;
  readonly list: ItemList | undefined;
  readonly pageCount: number;
  readonly page: number;
  readonly pageItems: Int32Array;
  readonly item: number | undefined;
  readonly counts: Record<ExplorerTab, number> | undefined;
  /**
   * A TIDE error type the list is restricted to (the URL's `error`): the FP tab then lists every prediction TIDE
   * gives that type, the FN tab (Miss) every label TIDE counts as missed, whatever the slider's matching says.
   */
  readonly error: MainError | undefined;

  constructor(analysis: ModelAnalysis, router: RouterLike) {
    this.analysis = analysis;
    this.#router = router;
    this.params = $derived(router.route.params);
    this.tab = $derived.by(() => {
      const t = this.params.get('tab');
      return (TABS as readonly string[]).includes(t ?? '') ? (t as ExplorerTab) : 'tp';
    });
    this.isPredictionTab = $derived(this.tab !== 'fn');
    this.options = $derived(this.isPredictionTab ? analysis.predictionOptions : analysis.labelOptions);
    this.metricId = $derived.by(() => {
      const asked = this.params.get('metric');
      if (asked && this.options.some((o) => o.id === asked)) return asked;
      return this.options.find((o) => o.id === DEFAULT_METRIC[this.tab])?.id ?? this.options[0]?.id ?? '';
    });
    this.metric = $derived(this.options.find((o) => o.id === this.metricId));
    this.lo = $derived(parseNumber(this.params.get('lo')));
    this.hi = $derived(parseNumber(this.params.get('hi')));
    this.sort = $derived(this.params.get('sort') === 'desc' ? 'desc' : 'asc');
    this.columns = $derived(setting(this.params.get('cols'), GRID.columns));
    this.rows = $derived(setting(this.params.get('rows'), GRID.rows));
    this.contour = $derived(setting(this.params.get('width'), GRID.contour));
    this.opacity = $derived(setting(this.params.get('opacity'), GRID.opacity, false));
    this.pageSize = $derived(this.columns * this.rows);
    this.error = $derived.by(() => {
      const e = this.params.get('error');
      if (!e || !(MAIN_ERRORS as readonly string[]).includes(e)) return undefined;
      return (e === 'Miss') === (this.tab === 'fn') && this.tab !== 'tp' ? (e as MainError) : undefined;
    });

    this.counts = $derived.by(() => {
      const { summary, score } = analysis;
      if (!summary || !score) return undefined;
      const counts = { tp: 0, fp: 0, fn: 0 };
      for (let p = 0; p < summary.nPredictions; p++) {
        if (!analysis.predictionInClass(p)) continue;
        if (score.isTP[p]) counts.tp++;
        else counts.fp++;
      }
      for (let l = 0; l < summary.nLabels; l++)
        if (score.isFN[l] && score.labelCounted[l] && analysis.labelInClass(l)) counts.fn++;
      // With an error type, its tab counts the items of that type.
      const tide = analysis.tide;
      if (this.error && tide) {
        const tab = this.tab as 'fp' | 'fn';
        counts[tab] = 0;
        const n = tab === 'fn' ? summary.nLabels : summary.nPredictions;
        for (let i = 0; i < n; i++) if (this.#hasError(i)) counts[tab]++;
      }
      return counts;
    });

    this.list = $derived.by(() => {
      const { summary, score, runMetrics, projectMetrics } = analysis;
      if (!summary || !score || !projectMetrics || (this.isPredictionTab && !runMetrics) || !this.metric)
        return undefined;
      const tab = this.tab;
      if (this.error && !analysis.tide) return undefined;
      if (tab === 'fn') {
        const values = analysis.labelValues(this.metricId);
        const include = this.error
          ? (l: number) => this.#hasError(l)
          : (l: number) => score.isFN[l] === 1 && score.labelCounted[l] === 1 && analysis.labelInClass(l);
        return buildList(summary.nLabels, include, values, this.sort, this.lo, this.hi);
      }
      const values = analysis.predictionValues(this.metricId);
      const want = tab === 'tp' ? 1 : 0;
      const include = this.error
        ? (p: number) => this.#hasError(p)
        : (p: number) => score.isTP[p] === want && analysis.predictionInClass(p);
      return buildList(summary.nPredictions, include, values, this.sort, this.lo, this.hi);
    });
    this.pageCount = $derived(Math.max(1, Math.ceil((this.list?.items.length ?? 0) / this.pageSize)));
    this.page = $derived(Math.min(this.pageCount, Math.max(1, parseIndex(this.params.get('page')) ?? 1)));
    this.pageItems = $derived(
      this.list
        ? this.list.items.subarray((this.page - 1) * this.pageSize, this.page * this.pageSize)
        : new Int32Array(0),
    );
    this.item = $derived(parseIndex(this.params.get('item')));
  }

  /** Whether item i (pidx on the FP tab, lidx on the FN tab) has the TIDE error type of the filter. */
  #hasError(i: number): boolean {
    const tide = this.analysis.tide;
    if (!tide || !this.error) return false;
    if (this.tab === 'fn') return tide.labelStatus[i] === LABEL_STATUS.miss && this.analysis.labelInClass(i);
    return tide.predError[i] === errorCode(this.error) && this.analysis.predictionInClass(i);
  }

  // ---- actions (through the URL)

  /** Restricts the list to a TIDE error type (undefined: the slider's matching again). */
  setError(type: MainError | undefined) {
    this.#router.setParams({
      error: type,
      tab: type === undefined ? (this.params.get('tab') ?? undefined) : type === 'Miss' ? 'fn' : 'fp',
      page: undefined,
      item: undefined,
    });
  }

  setTab(tab: ExplorerTab) {
    const keepMetric = (tab === 'fn') === (this.tab === 'fn');
    this.#router.setParams({
      error: undefined,
      tab: tab === 'tp' ? undefined : tab,
      metric: keepMetric ? (this.params.get('metric') ?? undefined) : undefined,
      lo: keepMetric ? (this.params.get('lo') ?? undefined) : undefined,
      hi: keepMetric ? (this.params.get('hi') ?? undefined) : undefined,
      page: undefined,
      item: undefined,
    });
  }

  setMetric(id: string) {
    this.#router.setParams({ metric: id, lo: undefined, hi: undefined, page: undefined, item: undefined });
  }

  setRange(lo: number | undefined, hi: number | undefined) {
    this.#router.setParams({ lo, hi, page: undefined }, true);
  }

  setSort(sort: SortOrder) {
    this.#router.setParams({ sort: sort === 'asc' ? undefined : sort, page: undefined }, true);
  }

  setPage(page: number) {
    const p = Math.min(this.pageCount, Math.max(1, page));
    if (p !== this.page) this.#router.setParams({ page: p === 1 ? undefined : p });
  }

  setSetting(name: 'cols' | 'rows' | 'width' | 'opacity', value: number) {
    const spec = { cols: GRID.columns, rows: GRID.rows, width: GRID.contour, opacity: GRID.opacity }[name];
    const v = setting(String(value), spec, name !== 'opacity');
    this.#router.setParams(
      {
        [name]: v === spec.default ? undefined : v,
        ...(name === 'cols' || name === 'rows' ? { page: undefined } : {}),
      },
      true,
    );
  }

  open(index: number | undefined) {
    this.#router.setParams({ item: index });
  }

  /** The previous/next item of the list from the open one, keeping the page in step. */
  step(delta: number) {
    const list = this.list;
    if (!list || this.item === undefined) return;
    const at = list.items.indexOf(this.item);
    const next = list.items[at + delta];
    if (at < 0 || next === undefined) return;
    const page = Math.floor((at + delta) / this.pageSize) + 1;
    this.#router.setParams({ item: next, page: page === 1 ? undefined : page }, true);
  }

  // ---- what a card shows

  card(index: number): CardItem | undefined {
    const { summary, score, project } = this.analysis;
    if (!summary || !score) return undefined;
    const values = this.isPredictionTab
      ? this.analysis.predictionValues(this.metricId)
      : this.analysis.labelValues(this.metricId);
    if (this.isPredictionTab) {
      if (index >= summary.nPredictions) return undefined;
      const frame = summary.predFrame[index];
      const cls = summary.classes[summary.predClass[index]];
      const base = this.#frameOf(frame);
      if (!base) return undefined;
      return {
        ...base,
        index,
        frame,
        value: values[index],
        className: cls?.name ?? '?',
        classColor: cls?.color,
        confidence: summary.confidence[index],
        iou: summary.iou[index],
        reason: score.isTP[index] ? undefined : reasonText(score.fpReason[index], cls?.name ?? '?'),
        tideType: predictionTypeText(this.analysis.tide, index),
      };
    }
    if (index >= summary.nLabels) return undefined;
    const frame = summary.labelFrame[index];
    const cls = summary.classes[summary.labelClass[index]];
    const base = this.#frameOf(frame);
    if (!base) return undefined;
    const label = base.labels.find((o) => o.objectHash === summary.labelHash[index]);
    void project;
    return {
      ...base,
      index,
      frame,
      label,
      value: values[index],
      className: cls?.name ?? '?',
      classColor: cls?.color,
      tideType: labelTypeText(this.analysis.tide, index),
    };
  }

  /**
   * What a card draws, bottom to top. TP/FP: every label of the frame in its ontology colour (solid), then the
   * prediction in the tab's colour and line style. FN: the frame's predictions (of the filtered class) as true or
   * false positives at the slider's IoU, then the missed label, dotted in amber.
   */
  layers(item: CardItem, detail: FrameDetail): Layer[] {
    const colour = TAB_INFO[this.tab].color;
    if (this.isPredictionTab) {
      const layers: Layer[] = item.labels.map((o) => ({
        shape: o.geometry,
        color: o.color || '#8a90a0',
        mark: 'label',
      }));
      const prediction = detail.predictions.find((p) => p.pidx === item.index);
      if (prediction) layers.push({ shape: prediction.shape, color: colour, mark: this.tab === 'tp' ? 'tp' : 'fp' });
      return layers;
    }
    const filter = this.analysis.classFilter;
    const isTP = this.analysis.score?.isTP;
    const layers: Layer[] = detail.predictions
      .filter((p) => filter < 0 || p.cls === filter)
      .map((p) =>
        isTP?.[p.pidx]
          ? { shape: p.shape, color: TP_COLOUR, mark: 'tp' }
          : { shape: p.shape, color: FP_COLOUR, mark: 'fp' },
      );
    if (item.label) layers.push({ shape: item.label.geometry, color: colour, mark: 'fn' });
    return layers;
  }

  /** What `item`'s card draws, once the evaluation worker has its frame (only the labels if it has not). */
  async itemLayers(item: CardItem): Promise<Layer[]> {
    const detail = await this.frameDetail(item.frame).catch(() => ({ frame: item.frame, predictions: [] }));
    return this.layers(item, detail);
  }

  /** The run's predictions on a prepared frame (with shapes), from the evaluation worker; kept per frame. */
  frameDetail(frame: number): Promise<FrameDetail> {
    const summary = this.analysis.summary;
    if (this.#framesFor !== summary) {
      this.#frames = new Map();
      this.#framesFor = summary;
    }
    let p = this.#frames.get(frame);
    if (!p) {
      p = this.analysis.frameDetail(frame);
      this.#frames.set(frame, p);
      p.catch(() => this.#frames.delete(frame));
      if (this.#frames.size > 400) this.#frames.delete(this.#frames.keys().next().value!);
    }
    return p;
  }

  #frameOf(frame: number): { unit: DataUnit; frameNumber: number; labels: readonly LabelObject[] } | undefined {
    const summary = this.analysis.summary!;
    const u = summary.frameUnit[frame];
    if (u === undefined || u < 0) return undefined;
    const unit = this.analysis.project.dataUnits[u];
    const frameNumber = summary.frameNumber[frame];
    return { unit, frameNumber, labels: labelsAt(unit, frameNumber)?.objects ?? [] };
  }
}
