// The metrics worker: decodes every image of a project and computes the quality metrics of images, labels and a
// run's predictions with the wasm kernels (src/core/metrics). One `api` object through comlink; the page imports
// only its type. Cancelling = terminating the worker (metrics-client.ts does it).
import * as Comlink from 'comlink';
import type { Prediction, Project } from '../core/model.ts';
import { checkImageHeader, decodeImageRgba, type RgbaImage } from '../core/image-decode.ts';
import { computePredictionMetrics, computeProjectMetrics, withFrameMetrics } from '../core/metrics/run.ts';
import { kernelMetricsEnvironment } from '../core/metrics/kernel-env.ts';
import {
  predictionMetricTable,
  projectMetricTables,
  tableBuffers,
  type PredictionMetricTable,
  type ProjectMetrics,
} from '../core/metrics/columns.ts';
import { prepareActive } from '../core/eval/active/prepare.ts';
import { loadKernels } from '../kernels/browser.ts';
import { loadRun } from '../store/runs.ts';
import { treeFromSource, type TreeSource } from './tree-source.ts';

export type MetricsPhase = 'images' | 'labels' | 'predictions';
export type ProgressCallback = (done: number, total: number, phase: MetricsPhase) => void;
/** Reads a project file on the page's side (any FileTree), for trees a worker cannot rebuild. */
export type ReadBytes = (path: string) => Promise<Uint8Array>;

/** Where a run's predictions come from: the run store (read here) or given directly. */
export type MetricsPredictionSource =
  { kind: 'run'; projectKey: string; runId: string } | { kind: 'predictions'; predictions: Prediction[] };

/**
 * PNGs the canvas cannot give back exactly: with alpha (the canvas premultiplies, and loses the colour of
 * transparent pixels that cv2.imread keeps), 16-bit channels (rounded differently), or a tRNS chunk.
 */
export function pngNeedsExactDecoder(b: Uint8Array): boolean {
  const bitDepth = b[24];
  const colourType = b[25];
  if (bitDepth === 16 || colourType === 4 || colourType === 6) return true;
  // Walk the chunks up to the first IDAT looking for tRNS.
  let at = 8;
  while (at + 8 <= b.length) {
    const size = ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
    const type = String.fromCharCode(b[at + 4], b[at + 5], b[at + 6], b[at + 7]);
    if (type === 'tRNS') return true;
    if (type === 'IDAT') return false;
    at += 12 + size;
  }
  return false;
}

/**
 * Upright RGBA pixels of an image file: the browser's decoder, without colour management or premultiplying. The
 * header is checked first, so an absurd size is refused before the browser allocates for it.
 */
export async function decodeWithCanvas(bytes: Uint8Array, path: string): Promise<RgbaImage> {
  const header = checkImageHeader(bytes, path);
  if (header.format === 'png' && pngNeedsExactDecoder(bytes)) return decodeImageRgba(bytes, path);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]), {
      colorSpaceConversion: 'none',
      premultiplyAlpha: 'none',
      imageOrientation: 'from-image',
    });
  } catch (error) {
    throw new Error(
      `${path}: the image could not be decoded (${error instanceof Error ? error.message : String(error)})`,
      { cause: error },
    );
  }
  const { width, height } = bitmap;
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true, colorSpace: 'srgb' })!;
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  const data = ctx.getImageData(0, 0, width, height, { colorSpace: 'srgb' }).data;
  return { width, height, rgba: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

/** At most one progress message per 50 ms (and always the last): a progress bar needs no more. */
function throttled(onProgress?: ProgressCallback): ProgressCallback | undefined {
  if (!onProgress) return undefined;
  let last = 0;
  return (done, total, phase) => {
    const now = performance.now();
    if (done === total || now - last > 50) {
      last = now;
      void onProgress(done, total, phase);
    }
  };
}

const api = {
  /** Image and label metrics of a project. Images come from `source` (rebuilt here) or through `read`. */
  async projectMetrics(
    project: Project,
    source: TreeSource | undefined,
    read: ReadBytes | undefined,
    onProgress?: ProgressCallback,
  ): Promise<ProjectMetrics> {
    const kernels = await loadKernels();
    const tree = source ? treeFromSource(source, read) : undefined;
    const readBytes = tree ? (path: string) => tree.readBytes(path) : read;
    const env = kernelMetricsEnvironment(kernels, {
      loadImage: readBytes ? async (path) => decodeWithCanvas(await readBytes(path), path) : undefined,
      onProgress: throttled(onProgress),
    });
    const tables = projectMetricTables(await computeProjectMetrics(env, project));
    return Comlink.transfer(tables, [...tableBuffers(tables.images), ...tableBuffers(tables.labels)]);
  },

  /** Metrics of a run's predictions (with model confidence and IoU), rows in pidx order. */
  async predictionMetrics(
    project: Project,
    source: MetricsPredictionSource,
    onProgress?: ProgressCallback,
  ): Promise<PredictionMetricTable> {
    const kernels = await loadKernels();
    const predictions = source.kind === 'run' ? await loadRun(source.projectKey, source.runId) : source.predictions;
    // The same call, with the same defaults, as the evaluation worker makes: the pidx order is the same.
    const prepared = prepareActive(kernels, project, predictions, { confusionPairs: false });
    const iou = new Float64Array(predictions.length).fill(NaN);
    for (let pidx = 0; pidx < prepared.nPredictions; pidx++) iou[prepared.predSource[pidx]] = prepared.iou[pidx];
    const env = kernelMetricsEnvironment(kernels, { onProgress: throttled(onProgress) });
    // Each prediction carries its frame's (P) frame metrics: the charts bin predictions by them.
    const rows = withFrameMetrics(computePredictionMetrics(env, project, predictions, { iou }));
    const table = predictionMetricTable(rows, prepared.predSource, prepared.confidence);
    return Comlink.transfer(table, tableBuffers(table));
  },

  /** Decodes one image as the metrics see it (for tests and the detail view). */
  async decode(bytes: Uint8Array, path: string): Promise<RgbaImage> {
    const img = await decodeWithCanvas(bytes, path);
    return Comlink.transfer(img, [img.rgba.buffer as ArrayBuffer]);
  },
};

export type MetricsApi = typeof api;

Comlink.expose(api);
