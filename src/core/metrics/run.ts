// Computes every quality metric of a project (and of a prediction set) in EA's iteration order, with progress and
// cancellation. Platform specifics come in through MetricsEnvironment: Node decodes images with image-decode.ts,
// workers with createImageBitmap.
import type { DataUnit, LabelGeometry, Prediction, Problem, Project } from '../model.ts';
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
  /** Image metrics (when the pixels could be read) and the frame metrics of the labels (object_count, ...). */
  metrics: MetricValues;
  /** With predictions: the frame metrics of the frame's predictions (0 objects on a frame without any). */
  predictionMetrics?: MetricValues;
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
  /** Images that could not be read or decoded: their rows keep the size and frame metrics, nothing else. */
  problems: Problem[];
}

/** The metrics of a set of predictions: per prediction, and per frame (object_count, frame_object_density). */
export interface PredictionMetricsReport {
  objects: ObjectMetricsRow[];
  /** Frame key (frameKey()) -> the frame metrics of the predictions on it; frames without predictions are absent. */
  frames: Map<string, MetricValues>;
}

export interface PredictionScores {
  /** IoU with the best-matching label, by prediction index (EA's iou column); NaN leaves the metric out. */
  iou?: ArrayLike<number>;
}

function checkAborted(signal?: AbortSignal) {
  if (signal?.aborted) throw signal.reason ?? new DOMException('Metrics computation cancelled', 'AbortError');
}

/** The key the images and frames are joined on. */
export const frameKey = (dataHash: string, frame: number) => `${dataHash.toLowerCase()}:${frame}`;

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

/** Object count and density of a frame without objects (EA writes 0 for both; density only with object classes). */
function emptyFrameMetrics(project: Project): MetricValues {
  return project.ontology.objects.length > 0 ? { object_count: 0, frame_object_density: 0 } : { object_count: 0 };
}

/**
 * The image metrics of one frame: from its pixels when they decode, else only the data unit's size (and a
 * problem naming the file). One broken or absurd image never stops the others.
 */
async function imageRowMetrics(
  env: MetricsEnvironment,
  unit: DataUnit,
  path: string | undefined,
  problems: Problem[],
): Promise<MetricValues> {
  const sizeOnly: MetricValues = { aspect_ratio: unit.width / unit.height, area: unit.width * unit.height };
  // Formats a browser cannot decode (TIFF, HEIC, DNG, JPEG 2000 in datasets) are measured by their size only.
  if (!path || !env.loadImage || notViewableReason(path)) return sizeOnly;
  try {
    const img = await env.loadImage(path);
    return imageMetricValues(env.imageStats(img), unit.width || img.width, unit.height || img.height);
  } catch (error) {
    checkAborted(env.signal);
    if (isAbortError(error)) throw error;
    const message = error instanceof Error ? error.message : String(error);
    // Decoders name the file first; say it once.
    const reason = message.startsWith(`${path}: `) ? message.slice(path.length + 2) : message;
    problems.push({ file: path, code: 'bad_image', reason: `image metrics not computed: ${reason}` });
    return sizeOnly;
  }
}

function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

/**
 * One row per frame of every data unit (the frames with pixels or labels), in label-row then frame order, with the
 * image metrics and the labels' frame metrics (0 objects where a frame has none).
 */
async function computeImageMetrics(
  env: MetricsEnvironment,
  project: Project,
  labelFrameMetrics: Map<string, MetricValues>,
  problems: Problem[],
): Promise<ImageMetricsRow[]> {
  const total = imageFrames(project).length;
  const empty = emptyFrameMetrics(project);
  const rows: ImageMetricsRow[] = [];
  let done = 0;
  for (const unit of project.dataUnits) {
    for (const frame of unit.frameNumbers) {
      checkAborted(env.signal);
      const path = unit.images[frame];
      const metrics = await imageRowMetrics(env, unit, path, problems);
      Object.assign(metrics, labelFrameMetrics.get(frameKey(unit.dataHash, frame)) ?? empty);
      rows.push({ dataHash: unit.dataHash, frame, metrics });
      if (path) env.onProgress?.(++done, total, 'images');
    }
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
      rows.push({
        dataHash: frame.dataHash,
        frame: frame.frame,
        source,
        ...(source === 'label' ? { objectHash: String(o.id) } : { index: Number(o.id) }),
        featureHash: o.featureHash,
        metrics: { ...values.objects[f][i] },
      });
    });
  });
  return rows;
}

/** Frame metrics by frame key. */
function frameMetricsByKey(frames: MetricFrame[], values: ReturnType<typeof objectMetrics>) {
  return new Map(frames.map((frame, f) => [frameKey(frame.dataHash, frame.frame), values.frames[f]]));
}

/**
 * A row per frame (image metrics and the labels' frame metrics), object metrics of every label (no predictions),
 * and the images that could not be read.
 */
export async function computeProjectMetrics(env: MetricsEnvironment, project: Project): Promise<MetricsReport> {
  checkAborted(env.signal);
  const labels = labelFrames(project);
  const values = objectMetrics(labels, env.huMomentsOf);
  const problems: Problem[] = [];
  const images = await computeImageMetrics(env, project, frameMetricsByKey(labels, values), problems);
  checkAborted(env.signal);
  const objects = objectRows(labels, values, 'label');
  env.onProgress?.(1, 1, 'labels');
  return { images, objects, problems };
}

/**
 * Object metrics of every prediction (compared with the other predictions of its frame, as EA's
 * PredictionIterator does), plus its confidence and IoU, sorted by prediction index (input order); and the frame
 * metrics of the frames that have predictions.
 */
export function computePredictionMetrics(
  env: MetricsEnvironment,
  project: Project,
  predictions: Prediction[],
  scores: PredictionScores = {},
): PredictionMetricsReport {
  checkAborted(env.signal);
  const frames = predictionFrames(env, project, predictions);
  const values = objectMetrics(frames, env.huMomentsOf);
  const objects = objectRows(frames, values, 'prediction');
  for (const row of objects) {
    const p = predictions[row.index!];
    row.metrics['model_confidence'] = p.confidence;
    const iou = scores.iou?.[row.index!];
    if (iou !== undefined && !Number.isNaN(iou)) row.metrics['iou'] = iou;
  }
  objects.sort((a, b) => a.index! - b.index!);
  env.onProgress?.(1, 1, 'predictions');
  return { objects, frames: frameMetricsByKey(frames, values) };
}

/** Each prediction row with its frame's metrics added (EA joins frame-level CSVs onto predictions by frame). */
export function withFrameMetrics(report: PredictionMetricsReport): ObjectMetricsRow[] {
  return report.objects.map((row) => ({
    ...row,
    metrics: { ...report.frames.get(frameKey(row.dataHash, row.frame)), ...row.metrics },
  }));
}

/**
 * A row per frame with its image metrics and frame metrics (with predictions: the predictions' frame metrics
 * too, 0 objects where a frame has none), object metrics for every label and (when predictions are given) every
 * prediction, with its confidence and IoU, and the images that could not be read.
 */
export async function computeMetrics(
  env: MetricsEnvironment,
  project: Project,
  predictions?: Prediction[],
  scores: PredictionScores = {},
): Promise<MetricsReport> {
  const report = await computeProjectMetrics(env, project);
  if (!predictions) return report;
  const predicted = computePredictionMetrics(env, project, predictions, scores);
  pushAll(report.objects, predicted.objects);
  const empty = emptyFrameMetrics(project);
  const listed = new Set(report.images.map((r) => frameKey(r.dataHash, r.frame)));
  // A video prediction may sit on a frame without pixels or labels: it still gets a row, in frame order.
  const extra: ImageMetricsRow[] = [];
  for (const [key, metrics] of predicted.frames) {
    if (listed.has(key)) continue;
    const cut = key.lastIndexOf(':');
    const unit = project.byDataHash.get(key.slice(0, cut));
    if (!unit) continue;
    extra.push({
      dataHash: unit.dataHash,
      frame: Number(key.slice(cut + 1)),
      metrics: { aspect_ratio: unit.width / unit.height, area: unit.width * unit.height, ...empty },
      predictionMetrics: metrics,
    });
  }
  for (const row of report.images) {
    row.predictionMetrics = { ...(predicted.frames.get(frameKey(row.dataHash, row.frame)) ?? empty) };
  }
  if (extra.length > 0) {
    const order = new Map(project.dataUnits.map((u, i) => [u.dataHash, i]));
    report.images = [...report.images, ...extra].sort(
      (a, b) => order.get(a.dataHash)! - order.get(b.dataHash)! || a.frame - b.frame,
    );
  }
  return report;
}
