// The metric columns the model-quality charts and galleries choose from, named as Encord Active names them (spec 5.5,
// 7.4): a prediction has its own metrics "(P)" (object and frame metrics computed over the predictions, plus Model
// Confidence and IOU) and its frame's "(F)" metrics (image metrics, and the frame metrics of the labels); a label has
// its own "(O)" metrics and its frame's "(F)" metrics. Values are gathered per pidx / lidx as Float64Arrays (NaN where
// a metric does not apply), in the evaluation worker's order.
import type { Project } from '../model.ts';
import {
  ALL_METRICS,
  FRAME_METRICS,
  IMAGE_METRICS,
  OBJECT_METRICS,
  PREDICTION_METRICS,
  metricInfo,
} from './catalogue.ts';
import { frameKey, labelKey, type PredictionMetricTable, type ProjectMetrics } from './columns.ts';

export type MetricSuffix = 'P' | 'F' | 'O';

export interface MetricOption {
  /** `<suffix>:<metric key>`, e.g. "P:object_area_-_relative"; what the URL holds. */
  id: string;
  key: string;
  suffix: MetricSuffix;
  /** "Object Area - Relative (P)". */
  title: string;
  description: string;
  deviation?: string;
}

/** The prepared evaluation's columns these joins need (PreparedSummary has them). */
export interface PreparedColumns {
  nPredictions: number;
  nLabels: number;
  predFrame: Int32Array;
  labelFrame: Int32Array;
  labelHash: string[];
  frameUnit: Int32Array;
  frameNumber: Int32Array;
}

const SUFFIX_WORDS: Record<MetricSuffix, string> = {
  P: 'computed on the predictions themselves',
  F: 'of the frame the item is on (image metrics, and frame metrics of the labels)',
  O: 'computed on the labels themselves',
};

export function suffixWords(suffix: MetricSuffix): string {
  return SUFFIX_WORDS[suffix];
}

function option(key: string, suffix: MetricSuffix): MetricOption {
  const info = metricInfo(key);
  return {
    id: `${suffix}:${key}`,
    key,
    suffix,
    title: `${info?.title ?? key} (${suffix})`,
    description: info?.description ?? '',
    deviation: info?.deviation,
  };
}

/** Catalogue order, keeping only keys present. */
function ordered(keys: Set<string>, from = ALL_METRICS): string[] {
  return from.map((m) => m.key).filter((k) => keys.has(k));
}

function hasValues(column: Float64Array | undefined): boolean {
  return !!column && column.some((v) => !Number.isNaN(v));
}

/** The frame metrics the frames have: image metrics and the labels' frame metrics, one image row per frame. */
function frameKeys(project: ProjectMetrics): Set<string> {
  const keys = new Set<string>();
  for (const [k, col] of Object.entries(project.images.values)) if (hasValues(col)) keys.add(k);
  return keys;
}

/** Prediction metrics: (P) object and frame metrics, then (F), then Model Confidence and IOU. */
export function predictionOptions(
  project: ProjectMetrics | undefined,
  run: PredictionMetricTable | undefined,
): MetricOption[] {
  const out: MetricOption[] = [];
  if (run) {
    const own = new Set(
      Object.entries(run.values)
        .filter(([, c]) => hasValues(c))
        .map(([k]) => k),
    );
    for (const k of ordered(own, [...OBJECT_METRICS, ...FRAME_METRICS])) out.push(option(k, 'P'));
  }
  if (project)
    for (const k of ordered(frameKeys(project), [...IMAGE_METRICS, ...FRAME_METRICS])) out.push(option(k, 'F'));
  if (run) {
    for (const m of PREDICTION_METRICS)
      if (hasValues(run.values[m.key])) out.push({ ...option(m.key, 'P'), title: m.title });
  }
  return out;
}

/** Label metrics (FN): (O) object metrics, then (F). */
export function labelOptions(project: ProjectMetrics | undefined): MetricOption[] {
  if (!project) return [];
  const own = new Set(
    Object.entries(project.labels.values)
      .filter(([, c]) => hasValues(c))
      .map(([k]) => k),
  );
  return [
    ...ordered(own, OBJECT_METRICS).map((k) => option(k, 'O')),
    ...ordered(frameKeys(project), [...IMAGE_METRICS, ...FRAME_METRICS]).map((k) => option(k, 'F')),
  ];
}

/** EA's pairing for the FNR chart: X (P) -> X (O), else X (F); an (F) metric pairs with itself. None for confidence/IoU. */
export function pairedLabelOption(predictionOption: string, labels: MetricOption[]): MetricOption | undefined {
  const [suffix, key] = splitId(predictionOption);
  if (!key || PREDICTION_METRICS.some((m) => m.key === key)) return undefined;
  if (suffix === 'P') return labels.find((o) => o.id === `O:${key}`) ?? labels.find((o) => o.id === `F:${key}`);
  return labels.find((o) => o.id === predictionOption);
}

export function splitId(id: string): [MetricSuffix | '', string] {
  const cut = id.indexOf(':');
  const suffix = id.slice(0, cut);
  return suffix === 'P' || suffix === 'F' || suffix === 'O' ? [suffix, id.slice(cut + 1)] : ['', ''];
}

/** Frame-level values by frame key: one image row per frame, with its image and the labels' frame metrics. */
export class FrameValues {
  readonly #rows = new Map<string, number>();
  readonly #project: ProjectMetrics;

  constructor(project: ProjectMetrics) {
    this.#project = project;
    const { images } = project;
    for (let i = 0; i < images.length; i++) this.#rows.set(frameKey(images.dataHash[i], images.frame[i]), i);
  }

  value(metric: string, key: string): number {
    const row = this.#rows.get(key);
    return row === undefined ? NaN : (this.#project.images.values[metric]?.[row] ?? NaN);
  }
}

/** The frame key of every prepared frame (dataHash of its unit + frame number); '' for unknown units. */
export function preparedFrameKeys(project: Project, prepared: PreparedColumns): string[] {
  return Array.from(prepared.frameUnit, (unit, f) =>
    unit < 0 ? '' : frameKey(project.dataUnits[unit].dataHash, prepared.frameNumber[f]),
  );
}

/** The chosen metric per prediction (pidx). */
export function predictionColumn(
  id: string,
  prepared: PreparedColumns,
  frameKeys: string[],
  frames: FrameValues | undefined,
  run: PredictionMetricTable | undefined,
): Float64Array {
  const [suffix, key] = splitId(id);
  const out = new Float64Array(prepared.nPredictions).fill(NaN);
  if (suffix === 'P') {
    const column = run?.values[key];
    if (column && run!.length === prepared.nPredictions) out.set(column);
  } else if (suffix === 'F' && frames) {
    const byFrame = new Map<number, number>();
    for (let pidx = 0; pidx < prepared.nPredictions; pidx++) {
      const f = prepared.predFrame[pidx];
      let v = byFrame.get(f);
      if (v === undefined) byFrame.set(f, (v = frames.value(key, frameKeys[f])));
      out[pidx] = v;
    }
  }
  return out;
}

/** The chosen metric per label (lidx). */
export function labelColumn(
  id: string,
  project: Project,
  prepared: PreparedColumns,
  frameKeys: string[],
  tables: ProjectMetrics | undefined,
  frames: FrameValues | undefined,
): Float64Array {
  const [suffix, key] = splitId(id);
  const out = new Float64Array(prepared.nLabels).fill(NaN);
  if (!tables) return out;
  if (suffix === 'O') {
    const column = tables.labels.values[key];
    if (!column) return out;
    const rows = new Map<string, number>();
    const { labels } = tables;
    for (let i = 0; i < labels.length; i++)
      rows.set(labelKey(labels.dataHash[i], labels.frame[i], labels.objectHash[i]), i);
    for (let lidx = 0; lidx < prepared.nLabels; lidx++) {
      const f = prepared.labelFrame[lidx];
      const unit = prepared.frameUnit[f];
      if (unit < 0) continue;
      const row = rows.get(
        labelKey(project.dataUnits[unit].dataHash, prepared.frameNumber[f], prepared.labelHash[lidx]),
      );
      if (row !== undefined) out[lidx] = column[row];
    }
  } else if (suffix === 'F' && frames) {
    for (let lidx = 0; lidx < prepared.nLabels; lidx++)
      out[lidx] = frames.value(key, frameKeys[prepared.labelFrame[lidx]]);
  }
  return out;
}
