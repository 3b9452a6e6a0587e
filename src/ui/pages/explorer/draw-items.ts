// Draws an Explorer card: the image, then shapes filled at the chosen opacity and outlined at the chosen contour
// width (Encord Active's card settings). Shapes are labels (boxes, rotated boxes, polygons, lines, points) and
// predictions (boxes, polygons with holes, and masks: the decoded run-length mask filled, its edge outlined).
import type { LabelGeometry } from '../../../core/model.ts';
import type { OverlayShape } from '../../../workers/eval-session.ts';
import { maskBounds, rotatedBoxCorners } from '../../images/shapes.ts';
import { strokeRings, type MarkKind } from '../../images/overlay-style.ts';
import { drawMaskOver, maskEdge, type MaskLike } from '../../images/mask-draw.ts';
import { maskExtent, maskPixels } from '../../../core/datasets/mask-pixels.ts';

export { maskEdge };

export type Shape = LabelGeometry | OverlayShape;

export interface Layer {
  shape: Shape;
  color: string;
  /** What it is, which sets its line style (overlay-style.ts); a label by default. */
  mark?: MarkKind;
}

export interface CardStyle {
  /** Outline width in CSS pixels. */
  lineWidth: number;
  /** Fill opacity 0..1. */
  opacity: number;
  /** Device pixels per CSS pixel. */
  scale: number;
}

type Ring = [number, number][];

function rings(shape: Shape, w: number, h: number): { rings: Ring[]; closed: boolean } | undefined {
  switch (shape.kind) {
    case 'box': {
      const { x, y, w: bw, h: bh } = 'box' in shape ? shape.box : shape;
      return {
        rings: [
          [
            [x * w, y * h],
            [(x + bw) * w, y * h],
            [(x + bw) * w, (y + bh) * h],
            [x * w, (y + bh) * h],
          ],
        ],
        closed: true,
      };
    }
    case 'rotatable_box':
      return { rings: [rotatedBoxCorners(shape.box, w, h)], closed: true };
    case 'polygon': {
      const outer: Ring = shape.points.map(([px, py]) => [px * w, py * h]);
      const holes = ('holes' in shape ? (shape.holes ?? []) : []).map((hole): Ring =>
        hole.map(([px, py]) => [px * w, py * h]),
      );
      // A dataset polygon's further parts (COCO writes an object split by an occluder as several).
      const parts = ('parts' in shape ? (shape.parts ?? []) : []).map((part): Ring =>
        part.map(([px, py]) => [px * w, py * h]),
      );
      return { rings: [outer, ...parts, ...holes], closed: true };
    }
    case 'polyline':
      return { rings: [shape.points.map(([px, py]) => [px * w, py * h])], closed: false };
    default:
      return undefined;
  }
}

function drawMask(
  ctx: CanvasRenderingContext2D,
  shape: Shape & { kind: 'mask' },
  color: string,
  style: CardStyle,
  mark: MarkKind,
) {
  const pixels = maskOf(shape);
  if (!pixels) return;
  drawMaskOver(ctx, pixels, color, { fillAlpha: style.opacity, edgeWidth: style.lineWidth * style.scale, mark });
}

/** A mask shape as pixels: a prediction's decoded mask, or a dataset label's RLE (undefined when malformed). */
function maskOf(shape: Shape & { kind: 'mask' }): MaskLike | undefined {
  if ('width' in shape) return shape;
  try {
    return maskPixels(shape.mask);
  } catch {
    return undefined;
  }
}

function drawPoints(ctx: CanvasRenderingContext2D, points: [number, number][], color: string, style: CardStyle) {
  const { width: w, height: h } = ctx.canvas;
  ctx.fillStyle = color;
  for (const [px, py] of points) {
    ctx.beginPath();
    ctx.arc(px * w, py * h, Math.max(3, style.lineWidth * 1.5) * style.scale, 0, Math.PI * 2);
    ctx.fill();
  }
}

/**
 * Draws `layers` in order (later ones on top). With `ringLast`, a shape that is small on screen (the card's own item:
 * a missed pedestrian far away) also gets a ring around it, so the eye finds it.
 */
export function drawLayers(
  ctx: CanvasRenderingContext2D,
  layers: readonly Layer[],
  style: CardStyle,
  ringLast = false,
): void {
  const { width: w, height: h } = ctx.canvas;
  ctx.save();
  ctx.lineJoin = 'round';
  ctx.lineCap = 'round';
  for (const { shape, color, mark = 'label' } of layers) {
    if (shape.kind === 'classification') continue;
    if (shape.kind === 'mask') {
      drawMask(ctx, shape, color, style, mark);
      continue;
    }
    if (shape.kind === 'point' || shape.kind === 'skeleton') {
      drawPoints(ctx, shape.points, color, style);
      continue;
    }
    const outline = rings(shape, w, h);
    if (!outline) continue;
    ctx.beginPath();
    for (const ring of outline.rings) {
      ring.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
      if (outline.closed) ctx.closePath();
    }
    if (outline.closed && style.opacity > 0) {
      ctx.globalAlpha = style.opacity;
      ctx.fillStyle = color;
      ctx.fill('evenodd');
      ctx.globalAlpha = 1;
    }
    ctx.strokeStyle = color;
    strokeRings(ctx, outline.rings, outline.closed, mark, style.lineWidth * style.scale);
  }
  const last = layers.at(-1);
  if (ringLast && last) ringSmall(ctx, last, style);
  ctx.restore();
}

/** A dashed ring around a shape narrower than 6 % of the canvas, in the shape's colour over a white halo. */
function ringSmall(ctx: CanvasRenderingContext2D, layer: Layer, style: CardStyle) {
  const b = shapeBounds(layer.shape);
  if (!b) return;
  const { width: w, height: h } = ctx.canvas;
  const size = Math.max((b.x1 - b.x0) * w, (b.y1 - b.y0) * h);
  if (size > 0.06 * Math.min(w, h)) return;
  const cx = ((b.x0 + b.x1) / 2) * w;
  const cy = ((b.y0 + b.y1) / 2) * h;
  const radius = size / 2 + (style.lineWidth + 8) * style.scale;
  ctx.setLineDash([4 * style.scale, 3 * style.scale]);
  for (const [colour, width] of [
    ['#fff', 3.5],
    [layer.color, 2],
  ] as const) {
    ctx.beginPath();
    ctx.arc(cx, cy, radius, 0, Math.PI * 2);
    ctx.strokeStyle = colour;
    ctx.lineWidth = width * style.scale;
    ctx.stroke();
  }
  ctx.setLineDash([]);
}

/** The normalised bounding box of a shape (for zooming the detail view onto it). */
export function shapeBounds(shape: Shape): { x0: number; y0: number; x1: number; y1: number } | undefined {
  if (shape.kind === 'classification') return undefined;
  if (shape.kind === 'mask') {
    if (!('width' in shape)) return maskExtent(shape.mask);
    const b = maskBounds(shape.mask, shape.width, shape.height);
    return b && { x0: b.x0 / shape.width, y0: b.y0 / shape.height, x1: b.x1 / shape.width, y1: b.y1 / shape.height };
  }
  const pts: [number, number][] =
    shape.kind === 'box'
      ? (({ x, y, w, h }) =>
          [
            [x, y],
            [x + w, y + h],
          ] as [number, number][])('box' in shape ? shape.box : shape)
      : shape.kind === 'rotatable_box'
        ? (rings(shape, 1, 1)?.rings[0] ?? [])
        : [...shape.points, ...('parts' in shape ? (shape.parts ?? []).flat() : [])];
  if (pts.length === 0) return undefined;
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
}
