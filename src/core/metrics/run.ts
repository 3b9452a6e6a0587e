// Computes every quality metric of a project (and of a prediction set) in EA's iteration order, with progress and
// cancellation. Platform specifics come in through MetricsEnvironment: Node decodes images with image-decode.ts,
// workers with createImageBitmap.
import type { DataUnit, LabelGeometry, Prediction, Project } from '../model.ts';
import type { RgbaImage } from '../image-decode.ts';
import { imageMetricValues } from './image.ts';
import { objectMetrics, type HuMomentsOf, type MetricFrame, type MetricObject, type MetricValues } from './object.ts';
import { pushAll } from '../array.ts';
import { notViewableReason } from '../datasets/paths.ts';

export interface MetricsEnvironment {
  /** Decodes the image at a project-relative path; without it only size-based image metrics are computed. */
  loadImage?: (path: string) => Promise<RgbaImage>;
  /** Whole-image statistics of decoded pixels (the WASM kernel). */
  imageStats: (img: RgbaImage) => import('../../kernels/image.ts').ImageStats;
  huMomentsOf: HuMomentsOf;
  /** The outer contour with the largest area of a mask prediction, normalised (EA's PredictionIterator rule). */
  maskPolygon: (prediction: Prediction) => [number, number][] | null;
  onProgress?: (done: number, total: number, phase: 'images' | 'labels' | 'predictions') => void;
  signal?: AbortSignal;
}

export interface ImageMetricsRow {
  dataHash: string;
  frame: number;
  metrics: MetricValues;
}

export interface ObjectMetricsRow {
  dataHash: string;
  frame: number;
  source: 'label' | 'prediction';
  objectHash?: string;
  index?: number;
  featureHash: string;
  metrics: MetricValues;
}

export interface MetricsReport {
  images: ImageMetricsRow[];
  objects: ObjectMetricsRow[];
}

export interface PredictionScores {
  /** IoU with the best-matching label, by prediction index (EA's iou column); NaN leaves the metric out. */
  iou?: ArrayLike<number>;
}

function checkAborted(signal?: AbortSignal) {
  if (signal?.aborted) throw signal.reason ?? new DOMException('Metrics computation cancelled', 'AbortError');
}

/** Every (data unit, frame) that has pixels, in label-row then frame order. */
export function imageFrames(project: Project): { unit: DataUnit; frame: number; path: string }[] {
  const out: { unit: DataUnit; frame: number; path: string }[] = [];
  for (const unit of project.dataUnits) {
    for (const frame of unit.frameNumbers) {
      const path = unit.images[frame];
      if (path) out.push({ unit, frame, path });
    }
  }
  return out;
}

async function computeImageMetrics(env: MetricsEnvironment, project: Project): Promise<ImageMetricsRow[]> {
  const frames = imageFrames(project);
  const rows: ImageMetricsRow[] = [];
  for (const [i, { unit, frame, path }] of frames.entries()) {
    checkAborted(env.signal);
    let metrics: MetricValues = { aspect_ratio: unit.width / unit.height, area: unit.width * unit.height };
    // Formats a browser cannot decode (TIFF, HEIC, DNG, JPEG 2000 in datasets) are measured by their size only.
    if (env.loadImage && !notViewableReason(path)) {
      const img = await env.loadImage(path);
      metrics = imageMetricValues(env.imageStats(img), unit.width || img.width, unit.height || img.height);
    }
    rows.push({ dataHash: unit.dataHash, frame, metrics });
    env.onProgress?.(i + 1, frames.length, 'images');
  }
  return rows;
}

function labelFrames(project: Project): MetricFrame[] {
  const frames: MetricFrame[] = [];
  for (const unit of project.dataUnits) {
    for (const labels of unit.frames) {
      frames.push({
        dataHash: unit.dataHash,
        frame: labels.frame,
        width: unit.width,
        height: unit.height,
        objects: labels.objects.map((o) => ({
          id: o.objectHash,
          featureHash: o.featureHash,
          name: o.name,
          geometry: o.geometry,
        })),
      });
    }
  }
  return frames;
}

function predictionFrames(env: MetricsEnvironment, project: Project, predictions: Prediction[]): MetricFrame[] {
  const names = new Map(project.ontology.objects.map((o) => [o.featureNodeHash, o.name]));
  const byFrame = new Map<string, MetricFrame>();
  // Frames in the project's order, as EA's PredictionIterator walks label rows then frames.
  const order = new Map<string, number>();
  project.dataUnits.forEach((unit, u) =>
    unit.frameNumbers.forEach((f, k) => order.set(`${unit.dataHash.toLowerCase()}:${f}`, u * 1e6 + k)),
  );
  predictions.forEach((p, index) => {
    if (p.shape.kind === 'classification') return;
    const unit = project.byDataHash.get(p.dataHash.toLowerCase());
    if (!unit) return;
    let geometry: LabelGeometry | null = null;
    if (p.shape.kind === 'box') geometry = { kind: 'box', box: p.shape.box };
    else if (p.shape.kind === 'polygon') geometry = { kind: 'polygon', points: p.shape.points };
    else {
      const points = env.maskPolygon(p);
      if (points) geometry = { kind: 'polygon', points };
    }
    if (!geometry) return;
    // An image (or image-group member) is one frame whatever frame number a prediction carries (as the matching has it).
    const frameNumber = unit.dataType === 'video' ? p.frame : (unit.frames[0]?.frame ?? unit.sequence);
    const key = `${unit.dataHash.toLowerCase()}:${frameNumber}`;
    let frame = byFrame.get(key);
    if (!frame) {
      frame = { dataHash: unit.dataHash, frame: frameNumber, width: unit.width, height: unit.height, objects: [] };
      byFrame.set(key, frame);
    }
    const object: MetricObject = {
      id: index,
      featureHash: p.featureHash,
      name: names.get(p.featureHash) ?? p.featureHash,
      geometry,
    };
    frame.objects.push(object);
  });
  return [...byFrame.entries()]
    .sort(([a], [b]) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity))
    .map(([, f]) => f);
}

function objectRows(
  frames: MetricFrame[],
  values: ReturnType<typeof objectMetrics>,
  source: 'label' | 'prediction',
): ObjectMetricsRow[] {
  const rows: ObjectMetricsRow[] = [];
  frames.forEach((frame, f) => {
    frame.objects.forEach((o, i) => {
      const metrics = { ...values.frames[f], ...values.objects[f][i] };
      rows.push({
        dataHash: frame.dataHash,
        frame: frame.frame,
        source,
        ...(source === 'label' ? { objectHash: String(o.id) } : { index: Number(o.id) }),
        featureHash: o.featureHash,
        metrics,
      });
    });
  });
  return rows;
}

/** Image metrics of every frame with pixels, then object and frame metrics of every label (no predictions). */
export async function computeProjectMetrics(env: MetricsEnvironment, project: Project): Promise<MetricsReport> {
  const images = await computeImageMetrics(env, project);
  checkAborted(env.signal);
  const labels = labelFrames(project);
  const objects = objectRows(labels, objectMetrics(labels, env.huMomentsOf), 'label');
  env.onProgress?.(1, 1, 'labels');
  return { images, objects };
}

/**
 * Object and frame metrics of every prediction (compared with the other predictions of its frame, as EA's
 * PredictionIterator does), plus its confidence and IoU, sorted by prediction index (input order).
 */
export function computePredictionMetrics(
  env: MetricsEnvironment,
  project: Project,
  predictions: Prediction[],
  scores: PredictionScores = {},
): ObjectMetricsRow[] {
  checkAborted(env.signal);
  const frames = predictionFrames(env, project, predictions);
  const rows = objectRows(frames, objectMetrics(frames, env.huMomentsOf), 'prediction');
  for (const row of rows) {
    const p = predictions[row.index!];
    row.metrics['model_confidence'] = p.confidence;
    const iou = scores.iou?.[row.index!];
    if (iou !== undefined && !Number.isNaN(iou)) row.metrics['iou'] = iou;
  }
  rows.sort((a, b) => a.index! - b.index!);
  env.onProgress?.(1, 1, 'predictions');
  return rows;
}

/**
 * Image metrics for every frame with pixels, object and frame metrics for every label, and (when predictions are
 * given) for every prediction, plus its confidence and IoU. Object rows carry their frame's metrics too, so a
 * chart over objects can use object_count or frame_object_density.
 */
export async function computeMetrics(
  env: MetricsEnvironment,
  project: Project,
  predictions?: Prediction[],
  scores: PredictionScores = {},
): Promise<MetricsReport> {
  const report = await computeProjectMetrics(env, project);
  if (predictions) pushAll(report.objects, computePredictionMetrics(env, project, predictions, scores));
  return report;
}
