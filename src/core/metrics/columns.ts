// Metric rows as columns: one Float64Array per metric (NaN where a metric does not apply), so results cross from a
// worker by transfer, sit in IndexedDB as a handful of buffers, and a chart reads a column without a lookup per row.
import type { Problem } from '../model.ts';
import type { ImageMetricsRow, ObjectMetricsRow } from './run.ts';

export { frameKey } from './run.ts';

export interface MetricColumns {
  length: number;
  /** Metric key -> one value per row, NaN where the metric does not apply. */
  values: Record<string, Float64Array>;
}

export interface ImageMetricTable extends MetricColumns {
  dataHash: string[];
  frame: Int32Array;
}

export interface LabelMetricTable extends MetricColumns {
  dataHash: string[];
  frame: Int32Array;
  objectHash: string[];
  featureHash: string[];
}

/** Metrics of the image and the labels of a project: independent of any prediction run. */
export interface ProjectMetrics {
  /** One row per frame: image metrics and the labels' frame metrics (object_count, frame_object_density). */
  images: ImageMetricTable;
  labels: LabelMetricTable;
  /** Images whose pixels could not be read (their rows have the size and frame metrics only). */
  problems: Problem[];
}

/**
 * Metrics of a run's predictions, row = pidx: the position in prepareActive's order (confidence descending, stable),
 * which is how the evaluation worker indexes its TP flags. `source` maps a row back to the input order.
 */
export interface PredictionMetricTable extends MetricColumns {
  source: Int32Array;
  /** The confidence per row, to check that the evaluation's pidx order is the same one. */
  confidence: Float64Array;
}

/** Builds columns over `rows`, with `at(row)` giving each row's position (default: its order). */
export function toColumns(
  rows: { metrics: Record<string, number> }[],
  length = rows.length,
  at?: (i: number) => number,
): MetricColumns {
  const values: Record<string, Float64Array> = {};
  rows.forEach((row, i) => {
    const to = at ? at(i) : i;
    if (to < 0) return;
    for (const [key, v] of Object.entries(row.metrics)) {
      let column = values[key];
      if (!column) values[key] = column = new Float64Array(length).fill(NaN);
      column[to] = v;
    }
  });
  return { length, values };
}

export function projectMetricTables(report: {
  images: ImageMetricsRow[];
  objects: ObjectMetricsRow[];
  problems: Problem[];
}): ProjectMetrics {
  const labels = report.objects.filter((o) => o.source === 'label');
  return {
    images: {
      ...toColumns(report.images),
      dataHash: report.images.map((r) => r.dataHash),
      frame: Int32Array.from(report.images, (r) => r.frame),
    },
    labels: {
      ...toColumns(labels),
      dataHash: labels.map((r) => r.dataHash),
      frame: Int32Array.from(labels, (r) => r.frame),
      objectHash: labels.map((r) => r.objectHash ?? ''),
      featureHash: labels.map((r) => r.featureHash),
    },
    problems: report.problems,
  };
}

/** Prediction rows (indexed by input order) re-ordered to pidx through prepareActive's predSource. */
export function predictionMetricTable(
  rows: ObjectMetricsRow[],
  predSource: Int32Array,
  confidence: Float64Array,
): PredictionMetricTable {
  const pidxOf = new Map<number, number>();
  predSource.forEach((source, pidx) => pidxOf.set(source, pidx));
  const columns = toColumns(rows, predSource.length, (i) => pidxOf.get(rows[i].index!) ?? -1);
  return { ...columns, source: predSource.slice(), confidence: confidence.slice() };
}

/** The buffers of a table, for Comlink.transfer. */
export function tableBuffers(
  table: MetricColumns & { frame?: Int32Array; source?: Int32Array; confidence?: Float64Array },
): ArrayBuffer[] {
  const arrays: ArrayBufferView[] = [...Object.values(table.values)];
  if (table.frame) arrays.push(table.frame);
  if (table.source) arrays.push(table.source);
  if (table.confidence) arrays.push(table.confidence);
  return arrays.map((a) => a.buffer as ArrayBuffer);
}

/** The key a label is found by: a video object keeps its objectHash from frame to frame. */
export const labelKey = (dataHash: string, frame: number, objectHash: string) =>
  `${dataHash.toLowerCase()}:${frame}:${objectHash}`;
