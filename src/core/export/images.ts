// The per-image table: every image (every frame of a video) of the project with its label count and, for a scored
// run, its predictions and TP / FP / FN at the IoU threshold, precision, recall and F1. Also the worst images the
// subsets take, in the Images page's worst-first order.
import type { DataUnit, Project } from '../model.ts';
import { imageIdentity, type ImageIdentity } from './identity.ts';
import type { MatchInput } from './match-input.ts';
import { worstFirst } from '../eval/per-image.ts';
import type { TableSpec } from './table.ts';

export interface ImageRow extends ImageIdentity {
  unitIndex: number;
  split: string | undefined;
  width: number;
  height: number;
  labels: number;
  /** undefined when no run is scored. */
  predictions: number | undefined;
  tp: number | undefined;
  fp: number | undefined;
  fn: number | undefined;
}

const ratio = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined || b === 0 ? undefined : a / b;
export const precisionOf = (r: ImageRow) => ratio(r.tp, (r.tp ?? 0) + (r.fp ?? 0));
export const recallOf = (r: ImageRow) => ratio(r.tp, (r.tp ?? 0) + (r.fn ?? 0));
/** 2·TP / (2·TP + FP + FN); undefined for an image with no prediction and no counted label. */
export const f1Of = (r: ImageRow) =>
  r.tp === undefined ? undefined : ratio(2 * r.tp, 2 * r.tp + (r.fp ?? 0) + (r.fn ?? 0));

export const IMAGES: TableSpec<ImageRow> = {
  id: 'images',
  title: 'Images',
  doc: 'one row per image (per frame for videos), in project order',
  columns: [
    { name: 'dataHash', doc: 'the data unit (Encord Active projects; empty for datasets)', value: (r) => r.dataHash },
    { name: 'imageId', doc: "the image's id (datasets; empty for Encord Active projects)", value: (r) => r.imageId },
    { name: 'file', doc: "the image's path in the opened folder", value: (r) => r.file },
    { name: 'frame', doc: 'the frame', value: (r) => r.frame },
    { name: 'split', doc: 'the dataset split (datasets that name splits; else empty)', value: (r) => r.split },
    { name: 'width', doc: 'pixels', value: (r) => r.width },
    { name: 'height', doc: 'pixels', value: (r) => r.height },
    { name: 'labels', doc: 'object labels on the image', value: (r) => r.labels },
    {
      name: 'predictions',
      doc: 'the run’s evaluated predictions on it (empty without a run)',
      value: (r) => r.predictions,
    },
    { name: 'tp', doc: 'true positives at the IoU threshold', value: (r) => r.tp },
    { name: 'fp', doc: 'false positives', value: (r) => r.fp },
    { name: 'fn', doc: 'missed labels (false negatives)', value: (r) => r.fn },
    { name: 'precision', doc: 'tp / (tp + fp); empty when both are 0', value: precisionOf },
    { name: 'recall', doc: 'tp / (tp + fn); empty when both are 0', value: recallOf },
    { name: 'f1', doc: '2·tp / (2·tp + fp + fn); empty when all are 0', value: f1Of },
  ],
};

/** The frames a unit has: every frame of a video with pixels or labels, the one frame of an image. */
export function unitFrames(unit: DataUnit): number[] {
  if (unit.dataType !== 'video') return [unit.frames[0]?.frame ?? unit.sequence];
  return [...new Set([...unit.frameNumbers, ...unit.frames.map((f) => f.frame)])].sort((a, b) => a - b);
}

const key = (unit: number, frame: number) => `${unit}:${frame}`;

/** Every image of the project, with the run's counts when `input` is given. */
export function imageRows(project: Project, input?: MatchInput): ImageRow[] {
  const counts = new Map<string, { predictions: number; tp: number; fp: number; fn: number }>();
  if (input) {
    const at = (frame: number) => {
      const k = key(input.frameUnit[frame], input.frameNumber[frame]);
      let c = counts.get(k);
      if (!c) counts.set(k, (c = { predictions: 0, tp: 0, fp: 0, fn: 0 }));
      return c;
    };
    for (let p = 0; p < input.nPredictions; p++) {
      const c = at(input.predFrame[p]);
      c.predictions++;
      if (input.isTP[p]) c.tp++;
      else c.fp++;
    }
    for (let l = 0; l < input.nLabels; l++) if (input.isFN[l] && input.labelCounted[l]) at(input.labelFrame[l]).fn++;
  }
  const rows: ImageRow[] = [];
  project.dataUnits.forEach((unit, unitIndex) => {
    for (const frame of unitFrames(unit)) {
      const fl = unit.dataType === 'video' ? unit.frames.find((f) => f.frame === frame) : unit.frames[0];
      const c = counts.get(key(unitIndex, frame));
      rows.push({
        ...imageIdentity(project, unit, frame),
        unitIndex,
        split: unit.split,
        width: unit.width,
        height: unit.height,
        labels: fl?.objects.length ?? 0,
        predictions: input ? (c?.predictions ?? 0) : undefined,
        tp: input ? (c?.tp ?? 0) : undefined,
        fp: input ? (c?.fp ?? 0) : undefined,
        fn: input ? (c?.fn ?? 0) : undefined,
      });
    }
  });
  return rows;
}

/**
 * The images with errors (FP or FN), worst first as the Images page and `eval --per-image` order them (per-image.ts:
 * lowest F1, then most errors, then project order).
 */
export function worstImages(rows: readonly ImageRow[], limit = Infinity): ImageRow[] {
  const withErrors = rows.filter((r) => (r.fp ?? 0) + (r.fn ?? 0) > 0);
  const order = worstFirst(
    withErrors.map((r) => ({ tp: r.tp ?? 0, fp: r.fp ?? 0, fn: r.fn ?? 0, f1: f1Of(r) ?? NaN })),
  );
  return order.slice(0, limit).map((i) => withErrors[i]);
}
