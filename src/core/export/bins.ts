// The bins of Performance by metric: for each chart (TPR over predictions, FNR over labels), one row per bin for the
// average line and, per class, one row per bin in which that class has items; the numbers the chart plots.
import type { Project } from '../model.ts';
import type { PredictionMetricTable, ProjectMetrics } from '../metrics/columns.ts';
import {
  FrameValues,
  labelColumn,
  labelOptions,
  pairedLabelOption,
  predictionColumn,
  predictionOptions,
  preparedFrameKeys,
  type PreparedColumns,
} from '../metrics/metric-columns.ts';
import { rateSeries, type RateSeries } from '../metrics/rate-series.ts';
import type { TableSpec } from './table.ts';

export interface BinRow {
  chart: 'TPR' | 'FNR';
  metric: string;
  /** 'Average' (every class), or a class name. */
  className: string;
  bin: number;
  low: number;
  high: number;
  mid: number;
  min: number;
  max: number;
  count: number;
  rate: number;
}

export const BINS: TableSpec<BinRow> = {
  id: 'bins',
  title: 'Performance by metric',
  doc: 'one row per bin and line of the Performance-by-metric charts (Average first, then per class)',
  columns: [
    {
      name: 'chart',
      doc: 'TPR (share of true positives among the predictions) or FNR (share of missed labels)',
      value: (r) => r.chart,
    },
    { name: 'metric', doc: 'the metric, as the page names it ("Object Area - Relative (P)")', value: (r) => r.metric },
    { name: 'class', doc: 'Average (all classes) or the class', value: (r) => r.className },
    { name: 'bin', doc: 'the bin’s index, from 0', value: (r) => r.bin },
    { name: 'low', doc: 'the bin’s lower edge (pandas.qcut; right-closed bins)', value: (r) => r.low },
    { name: 'high', doc: 'its upper edge', value: (r) => r.high },
    { name: 'mid', doc: 'the x Encord Active plots (midpoint of the rounded interval)', value: (r) => r.mid },
    {
      name: 'min',
      doc: 'the smallest value among the bin’s items (every class: the range the Explorer opens with)',
      value: (r) => r.min,
    },
    { name: 'max', doc: 'the largest value among them', value: (r) => r.max },
    { name: 'count', doc: 'items in the bin (of this class)', value: (r) => r.count },
    { name: 'rate', doc: 'the share of TPs (TPR) or missed labels (FNR) among them', value: (r) => r.rate },
  ],
};

/** The rows of one chart; `className(cls)` names a class index. */
export function binRows(
  chart: BinRow['chart'],
  metric: string,
  series: RateSeries,
  className: (cls: number) => string,
): BinRow[] {
  const rows: BinRow[] = series.bins.map((b, bin) => ({
    chart,
    metric,
    className: 'Average',
    bin,
    low: b.low,
    high: b.high,
    mid: b.mid,
    min: b.count > 0 ? b.min : NaN,
    max: b.count > 0 ? b.max : NaN,
    count: b.count,
    rate: b.rate,
  }));
  for (const c of series.perClass) {
    series.bins.forEach((b, bin) => {
      if (c.counts[bin] === 0) return;
      rows.push({
        chart,
        metric,
        className: className(c.cls),
        bin,
        low: b.low,
        high: b.high,
        mid: b.mid,
        min: b.min,
        max: b.max,
        count: c.counts[bin],
        rate: c.rates[bin],
      });
    });
  }
  return rows;
}

/** The prepared evaluation's columns, the score's flags and the metric tables: what both charts are made from. */
export interface PerformanceInput {
  project: Project;
  columns: PreparedColumns & { predClass: Int32Array; labelClass: Int32Array };
  classes: readonly { name: string }[];
  isTP: Uint8Array;
  isFN: Uint8Array;
  labelCounted: Uint8Array;
  projectMetrics: ProjectMetrics;
  runMetrics: PredictionMetricTable;
}

/**
 * Both charts of Performance by metric for the prediction metric `metricId` (as the page's URL names it) and the
 * label metric Encord Active pairs with it, `bins` bins, every class: the page's series, as rows.
 */
export function performanceBinRows(input: PerformanceInput, metricId: string, bins: number): BinRow[] {
  const { project, columns, projectMetrics, runMetrics } = input;
  const predictions = predictionOptions(projectMetrics, runMetrics);
  const metric = predictions.find((o) => o.id === metricId);
  if (!metric) {
    throw new Error(
      `no prediction metric "${metricId}" for this run; choose one of: ${predictions.map((o) => o.id).join(', ')}`,
    );
  }
  const frameKeys = preparedFrameKeys(project, columns);
  const frames = new FrameValues(projectMetrics);
  const name = (cls: number) => input.classes[cls]?.name ?? String(cls);
  const tp = rateSeries(
    predictionColumn(metric.id, columns, frameKeys, frames, runMetrics),
    input.isTP,
    () => true,
    columns.predClass,
    bins,
  );
  const rows = binRows('TPR', metric.title, tp, name);
  const label = pairedLabelOption(metric.id, labelOptions(projectMetrics));
  if (label) {
    const fn = rateSeries(
      labelColumn(label.id, project, columns, frameKeys, projectMetrics, frames),
      input.isFN,
      (l) => input.labelCounted[l] === 1,
      columns.labelClass,
      bins,
    );
    rows.push(...binRows('FNR', label.title, fn, name));
  }
  return rows;
}
