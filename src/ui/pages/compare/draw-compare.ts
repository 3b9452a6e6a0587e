// Drawing one image of the comparison: the ground-truth labels styled by what happened to them from run A to run B
// under COCO matching (fixed by B, broken by B, found by both, missed by both, crowd), and one run's predictions in
// that run's colour in the line styles every overlay uses (images/overlay-style.ts): a double line where COCO counts
// them as true positives, dashes for false positives, a thin plain line where ignored or not evaluated. Labels
// missed by both runs are dotted, like missed labels elsewhere. The image fills the canvas, so a normalised
// coordinate (x, y) is pixel (x * width, y * height).
import type { LabelObject } from '../../../core/model.ts';
import type { LabelStatus, Verdict, Which } from '../../../workers/compare-session.ts';
import type { OverlayShape } from '../../../workers/eval-session.ts';
import { drawOverlay, labelShape, type OverlayItem } from '../model-quality/overlay.ts';
import type { MarkKind } from '../../images/overlay-style.ts';

export const RUN_COLOUR: Record<Which, string> = { a: '#2e86de', b: '#e27300' };

export const LABEL_STYLE: Record<LabelStatus, { colour: string; dash: number[]; width: number; text: string }> = {
  fixed: { colour: '#16a394', dash: [], width: 3, text: 'fixed by B (B finds it, A misses it)' },
  broken: { colour: '#c8283f', dash: [], width: 3, text: 'broken by B (A finds it, B misses it)' },
  both: { colour: '#e8edf5', dash: [], width: 1.5, text: 'found by both' },
  neither: { colour: '#f5c542', dash: [0.001, 4], width: 2, text: 'missed by both (dotted)' },
  ignored: { colour: '#9aa4b2', dash: [2, 3], width: 1, text: 'crowd (never counts)' },
};

/** A prediction's line style by COCO's verdict (overlay-style.ts marks; 'label' is a plain line). */
export const PREDICTION_MARK: Record<Verdict | 'unknown', MarkKind> = {
  tp: 'tp',
  fp: 'fp',
  ignored: 'label',
  unknown: 'label',
};

export interface CompareLabel {
  object: LabelObject;
  status: LabelStatus | undefined;
}

export interface ComparePrediction {
  shape: OverlayShape;
  verdict: Verdict | undefined;
  tag: string;
}

/** A label's id in the changes: the dataset's annotation id, else its objectHash. */
export const labelId = (o: LabelObject) => String(o.dataset?.id ?? o.objectHash);

function outline(ctx: CanvasRenderingContext2D, shape: OverlayShape, w: number, h: number) {
  ctx.beginPath();
  if (shape.kind === 'box') ctx.rect(shape.x * w, shape.y * h, shape.w * w, shape.h * h);
  else if (shape.kind === 'polygon') {
    shape.points.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x * w, y * h) : ctx.lineTo(x * w, y * h)));
    ctx.closePath();
  }
}

/**
 * Labels first (so predictions stay readable on top), each in its status style; then the run's predictions.
 * Returns counts of what was drawn, for data-drawn (tests read it) and the legend.
 */
export function drawComparison(
  ctx: CanvasRenderingContext2D,
  scale: number,
  which: Which,
  labels: readonly CompareLabel[],
  predictions: readonly ComparePrediction[],
): string {
  const { width: w, height: h } = ctx.canvas;
  ctx.save();
  for (const { object, status } of labels) {
    const shape = labelShape(object);
    if (!shape) continue;
    const style = LABEL_STYLE[status ?? 'neither'];
    ctx.strokeStyle = style.colour;
    ctx.lineWidth = style.width * scale;
    ctx.setLineDash(style.dash.map((v) => v * scale));
    ctx.lineCap = style.dash.length ? 'round' : 'butt';
    if (status === 'fixed' || status === 'broken') {
      ctx.globalAlpha = 0.22;
      ctx.fillStyle = style.colour;
      outline(ctx, shape, w, h);
      ctx.fill();
      ctx.globalAlpha = 1;
    }
    outline(ctx, shape, w, h);
    ctx.stroke();
  }
  ctx.restore();
  const colour = RUN_COLOUR[which];
  const items: OverlayItem[] = predictions.map((p) => ({
    shape: p.shape,
    color: colour,
    tag: p.tag,
    focus: false,
    mark: PREDICTION_MARK[p.verdict ?? 'unknown'],
  }));
  drawOverlay(ctx, items, scale);
  return `${which}:${predictions.length}`;
}
