// The report's picture cards: the most confident false positives and the largest missed labels (24 of each), each a
// crop of its image around the object with the frame's labels and the object drawn over it (shapes in image pixels).
import type { Kernels } from '../../kernels/wasm.ts';
import { reasonText } from '../eval/active/score.ts';
import type { ActivePrepared, ActiveScore } from '../eval/active/types.ts';
import { largestContourPolygon } from '../metrics/kernel-env.ts';
import type { DataUnit, LabelObject, Prediction, Project } from '../model.ts';
import { imagePathFor } from '../project/images.ts';
import { reportColour, type CropRect, type ReportItem, type ReportShape, type ShapeRole } from './data.ts';

export const WORST_ITEMS = 24;
/** The largest side of a card's thumbnail, in pixels. */
export const THUMBNAIL_SIZE = 240;
export const FP_COLOUR = '#FD0A5A';
export const MISSED_COLOUR = '#5658dd';

/** A crop around a pixel box: the box plus 60% of its larger side on each side, at least 96 px, inside the image. */
export function cropAround(box: CropRect, width: number, height: number): CropRect {
  const margin = Math.max(box.w, box.h) * 0.6;
  let w = Math.min(width, Math.max(96, box.w + 2 * margin));
  let h = Math.min(height, Math.max(96, box.h + 2 * margin));
  w = Math.max(1, w);
  h = Math.max(1, h);
  const x = Math.min(Math.max(0, box.x + box.w / 2 - w / 2), Math.max(0, width - w));
  const y = Math.min(Math.max(0, box.y + box.h / 2 - h / 2), Math.max(0, height - h));
  return { x, y, w, h };
}

export function thumbnailSize(crop: CropRect): { thumbWidth: number; thumbHeight: number } {
  const scale = Math.min(1, THUMBNAIL_SIZE / Math.max(crop.w, crop.h));
  return { thumbWidth: Math.max(1, Math.round(crop.w * scale)), thumbHeight: Math.max(1, Math.round(crop.h * scale)) };
}

function labelShape(object: LabelObject, unit: DataUnit, role: ShapeRole, color: string): ReportShape | undefined {
  const g = object.geometry;
  const W = unit.width;
  const H = unit.height;
  if (g.kind === 'box' || g.kind === 'rotatable_box')
    return { kind: 'box', role, color, x: g.box.x * W, y: g.box.y * H, w: g.box.w * W, h: g.box.h * H };
  if (g.kind === 'polygon') return { kind: 'polygon', role, color, points: g.points.map(([x, y]) => [x * W, y * H]) };
  return undefined;
}

function predictionShape(
  kernels: Kernels,
  p: Prediction,
  unit: DataUnit,
  role: ShapeRole,
  color: string,
): ReportShape | undefined {
  const s = p.shape;
  const W = unit.width;
  const H = unit.height;
  if (s.kind === 'box')
    return { kind: 'box', role, color, x: s.box.x * W, y: s.box.y * H, w: s.box.w * W, h: s.box.h * H };
  const points = s.kind === 'polygon' ? s.points : s.kind === 'mask' ? largestContourPolygon(kernels, p) : null;
  return points ? { kind: 'polygon', role, color, points: points.map(([x, y]) => [x * W, y * H]) } : undefined;
}

function shapeBox(shape: ReportShape): CropRect {
  if (shape.kind === 'box') return { x: shape.x, y: shape.y, w: shape.w, h: shape.h };
  let x1 = Infinity,
    y1 = Infinity,
    x2 = -Infinity,
    y2 = -Infinity;
  for (const [x, y] of shape.points) {
    x1 = Math.min(x1, x);
    y1 = Math.min(y1, y);
    x2 = Math.max(x2, x);
    y2 = Math.max(y2, y);
  }
  return { x: x1, y: y1, w: x2 - x1, h: y2 - y1 };
}

const frameTitle = (unit: DataUnit, frame: number) =>
  unit.dataType === 'video' ? `${unit.title} · frame ${frame}` : unit.title;

export interface ItemInput {
  kernels: Kernels;
  project: Project;
  predictions: readonly Prediction[];
  prepared: ActivePrepared;
  score: ActiveScore;
  limit?: number;
}

/** The most confident false positives (pidx order is confidence order) and the largest missed labels. */
export function worstItems(input: ItemInput): { falsePositives: ReportItem[]; missed: ReportItem[] } {
  const { kernels, project, predictions, prepared, score } = input;
  const limit = input.limit ?? WORST_ITEMS;
  const colour = (cls: number) => reportColour(prepared.classes[cls]?.color, cls);

  const framePredictions = new Map<number, number[]>();
  for (let p = 0; p < prepared.nPredictions; p++) {
    const f = prepared.predFrame[p];
    const list = framePredictions.get(f);
    if (list) list.push(p);
    else framePredictions.set(f, [p]);
  }
  const frameLabels = new Map<number, number[]>();
  for (let l = 0; l < prepared.nLabels; l++) {
    const f = prepared.labelFrame[l];
    const list = frameLabels.get(f);
    if (list) list.push(l);
    else frameLabels.set(f, [l]);
  }
  const labelShapeOf = (l: number, role: ShapeRole, color: string) => {
    const label = prepared.labels[l];
    const unit = project.dataUnits[prepared.frames[prepared.labelFrame[l]].dataUnitIndex];
    return label.kind === 'object' ? labelShape(label.object, unit, role, color) : undefined;
  };

  const card = (frame: number, focus: ReportShape, others: ReportShape[], lines: string[]): ReportItem => {
    const f = prepared.frames[frame];
    const unit = project.dataUnits[f.dataUnitIndex];
    const crop = cropAround(shapeBox(focus), unit.width, unit.height);
    return {
      file: imagePathFor(unit, f.frame) ?? '',
      title: frameTitle(unit, f.frame),
      lines,
      width: unit.width,
      height: unit.height,
      crop,
      ...thumbnailSize(crop),
      shapes: [...others, focus],
    };
  };

  const falsePositives: ReportItem[] = [];
  for (let p = 0; p < prepared.nPredictions && falsePositives.length < limit; p++) {
    if (score.isTP[p] || prepared.classes[prepared.predClass[p]]?.space !== 'object') continue;
    const frame = prepared.predFrame[p];
    const unit = project.dataUnits[prepared.frames[frame].dataUnitIndex];
    const focus = predictionShape(kernels, predictions[prepared.predSource[p]], unit, 'fp', FP_COLOUR);
    if (!focus) continue;
    const labels = (frameLabels.get(frame) ?? []).flatMap(
      (l) => labelShapeOf(l, 'label', colour(prepared.labelClass[l])) ?? [],
    );
    const name = prepared.classes[prepared.predClass[p]].name;
    falsePositives.push(
      card(frame, focus, labels, [
        `${name} · confidence ${prepared.confidence[p].toFixed(3)} · IoU ${prepared.iou[p].toFixed(3)}`,
        reasonText(score.fpReason[p], name),
      ]),
    );
  }

  const missedLabels: { l: number; area: number }[] = [];
  for (let l = 0; l < prepared.nLabels; l++) {
    if (!(score.isFN[l] && score.labelCounted[l])) continue;
    const b = prepared.labelBoxPx;
    missedLabels.push({ l, area: (b[4 * l + 2] - b[4 * l]) * (b[4 * l + 3] - b[4 * l + 1]) });
  }
  missedLabels.sort((a, b) => b.area - a.area || a.l - b.l);
  const missed: ReportItem[] = [];
  for (const { l } of missedLabels) {
    if (missed.length >= limit) break;
    const focus = labelShapeOf(l, 'missed', MISSED_COLOUR);
    if (!focus) continue;
    const frame = prepared.labelFrame[l];
    const unit = project.dataUnits[prepared.frames[frame].dataUnitIndex];
    const others = (framePredictions.get(frame) ?? []).flatMap(
      (p) =>
        predictionShape(
          kernels,
          predictions[prepared.predSource[p]],
          unit,
          'prediction',
          colour(prepared.predClass[p]),
        ) ?? [],
    );
    const name = prepared.classes[prepared.labelClass[l]].name;
    const box = shapeBox(focus);
    missed.push(card(frame, focus, others, [`${name} · ${Math.round(box.w)}×${Math.round(box.h)} px`]));
  }
  return { falsePositives, missed };
}
