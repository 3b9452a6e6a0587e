// The eval worker's share of "results out": what needs the run's predictions or the kernels (the run in another
// format, COCO subsets, the report's evaluation part), computed next to the prepared evaluation with the same core
// functions `predlens export` and `predlens report` call. Files come back as bytes or text with a name and a type.
import type { Kernels } from '../kernels/wasm.ts';
import { scoreActive } from '../core/eval/active/index.ts';
import {
  cocoJson,
  cocoResults,
  cocoResultsJson,
  cocoSubset,
  distinctImages,
  nativePredictions,
  pathList,
  yoloFiles,
  yoloImageList,
  zipStore,
  type ImageDataUnitsJson,
  type ImageRef,
  type PredictionOutFormat,
  type SubsetFormat,
} from '../core/export/index.ts';
import { activeReportPart, type ActiveReportPart } from '../core/report/index.ts';
import type { EvalSession, ScoreRequest } from './eval-session.ts';

export interface ExportedFile {
  /** A file name without the project and run (the page adds them). */
  name: string;
  mime: string;
  data: string | Uint8Array;
  /** Predictions left out, and why. */
  skipped: { reason: string; count: number }[];
  /** Images without a file in the folder (lists only). */
  missing?: number;
}

/** The run as COCO results, a YOLO folder (zipped) or native NDJSON. */
export function exportRun(
  kernels: Kernels,
  session: EvalSession,
  format: PredictionOutFormat,
  imageDataUnits?: ImageDataUnitsJson,
): ExportedFile {
  const { project, predictions } = session;
  if (format === 'coco') {
    const written = cocoResults(kernels, project, predictions, { imageDataUnits });
    return {
      name: 'results.json',
      mime: 'application/json',
      data: cocoResultsJson(written.value),
      skipped: written.skipped,
    };
  }
  if (format === 'yolo') {
    const written = yoloFiles(kernels, project, predictions);
    const zip = zipStore([...written.value].map(([path, data]) => ({ path, data })));
    return { name: 'yolo.zip', mime: 'application/zip', data: zip, skipped: written.skipped };
  }
  const written = nativePredictions(predictions);
  return { name: 'predictions.ndjson', mime: 'application/x-ndjson', data: written.value, skipped: written.skipped };
}

export interface SubsetRequest {
  images: ImageRef[];
  format: SubsetFormat;
  /** COCO: also the run's predictions on the images, as a second file. */
  withPredictions?: boolean;
  imageDataUnits?: ImageDataUnitsJson;
}

/** Some images as a COCO dataset (+ their predictions as COCO results), a YOLO image list, or a list of paths. */
export function exportSubset(kernels: Kernels, session: EvalSession, request: SubsetRequest): ExportedFile[] {
  const { project } = session;
  const refs = distinctImages(project, request.images);
  if (request.format === 'coco') {
    const subset = cocoSubset(kernels, project, refs, {
      predictions: request.withPredictions ? session.predictions : undefined,
      imageDataUnits: request.imageDataUnits,
    });
    const files: ExportedFile[] = [
      { name: 'subset.json', mime: 'application/json', data: cocoJson(subset.dataset), skipped: [] },
    ];
    if (subset.results)
      files.push({
        name: 'subset.predictions.json',
        mime: 'application/json',
        data: cocoResultsJson(subset.results),
        skipped: [],
      });
    return files;
  }
  const list = request.format === 'yolo-list' ? yoloImageList(project, refs) : pathList(project, refs);
  return [
    {
      name: request.format === 'yolo-list' ? 'images.txt' : 'paths.txt',
      mime: 'text/plain;charset=utf-8',
      data: list.text,
      skipped: [],
      missing: list.missing,
    },
  ];
}

/** The report's evaluation part at the page's settings: headline, per-class, curves, matrix and the cards. */
export function reportPart(kernels: Kernels, session: EvalSession, request: ScoreRequest): ActiveReportPart {
  const score = scoreActive(session.prepared, request);
  return activeReportPart({
    kernels,
    project: session.project,
    predictions: session.predictions,
    prepared: session.prepared,
    score,
  });
}
