// Drawing a prediction (or a missed label) over an image, as Encord Active's model-quality cards did: the shape in
// the page's colour — true positives purple #5658dd, false positives red #FD0A5A — filled lightly, outlined, with
// its bounding box and a tag. The image and the ground-truth labels are drawn first by ui/images/draw.ts.
// Coordinates are normalised to the data unit; the image fills the whole canvas.
import type { LabelObject } from '../../../core/model.ts';
import { maskPixels } from '../../../core/datasets/mask-pixels.ts';
import type { OverlayShape } from '../../../workers/eval-session.ts';
import { hexRgb } from '../../charts/colors.ts';
import { textColourOn } from '../../images/draw.ts';
import { maskBounds, rotatedBoxCorners } from '../../images/shapes.ts';
import { strokeRings, type MarkKind } from '../../images/overlay-style.ts';

export { FN_COLOUR, FP_COLOUR, TP_COLOUR } from '../../images/overlay-style.ts';

export interface OverlayItem {
  shape: OverlayShape;
  color: string;
  tag?: string;
  /** The item the view is about: thicker, filled, boxed; others are outlines only. */
  focus: boolean;
  /** What it is, which sets its line style (overlay-style.ts). */
  mark: MarkKind;
}

/** A label object as an overlay shape (boxes and polygons; rotated boxes by their outline). */
export function labelShape(object: LabelObject): OverlayShape | undefined {
  const g = object.geometry;
  if (g.kind === 'box') return { kind: 'box', ...g.box };
  if (g.kind === 'polygon') return { kind: 'polygon', points: g.points };
  if (g.kind === 'mask') {
    try {
      return { kind: 'mask', ...maskPixels(g.mask) };
    } catch {
      return undefined; // a malformed RLE was reported when the dataset was read
    }
  }
  // Normalised coordinates rotate like pixels only on square images; close enough for a highlight.
  if (g.kind === 'rotatable_box') return { kind: 'polygon', points: rotatedBoxCorners(g.box, 1, 1) };
  return undefined;
}

/** The shape's bounding box in canvas pixels [x1, y1, x2, y2], or undefined (classifications, empty masks). */
export function shapeBox(shape: OverlayShape, w: number, h: number): [number, number, number, number] | undefined {
  if (shape.kind === 'box') return [shape.x * w, shape.y * h, (shape.x + shape.w) * w, (shape.y + shape.h) * h];
  if (shape.kind === 'polygon') {
    if (shape.points.length === 0) return undefined;
    let x1 = Infinity,
      y1 = Infinity,
      x2 = -Infinity,
      y2 = -Infinity;
    for (const [x, y] of shape.points) {
      x1 = Math.min(x1, x * w);
      x2 = Math.max(x2, x * w);
      y1 = Math.min(y1, y * h);
      y2 = Math.max(y2, y * h);
    }
    return [x1, y1, x2, y2];
  }
  if (shape.kind === 'mask') {
    const b = maskBounds(shape.mask, shape.width, shape.height);
    if (!b) return undefined;
    const sx = w / shape.width;
    const sy = h / shape.height;
    return [b.x0 * sx, b.y0 * sy, b.x1 * sx, b.y1 * sy];
  }
  return undefined;
}

const scaled = (points: [number, number][], w: number, h: number) =>
  points.map(([x, y]) => [x * w, y * h] as [number, number]);

function tracePolygon(ctx: CanvasRenderingContext2D, points: [number, number][], w: number, h: number) {
  points.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x * w, y * h) : ctx.lineTo(x * w, y * h)));
  ctx.closePath();
}

function maskImage(shape: Extract<OverlayShape, { kind: 'mask' }>, color: string, alpha: number): OffscreenCanvas {
  const canvas = new OffscreenCanvas(shape.width, shape.height);
  const [r, g, b] = hexRgb(color) ?? [255, 0, 255];
  const data = new ImageData(shape.width, shape.height);
  const a = Math.round(alpha * 255);
  for (let i = 0; i < shape.mask.length; i++) {
    if (!shape.mask[i]) continue;
    data.data[4 * i] = r;
    data.data[4 * i + 1] = g;
    data.data[4 * i + 2] = b;
    data.data[4 * i + 3] = a;
  }
  canvas.getContext('2d')!.putImageData(data, 0, 0);
  return canvas;
}

/**
 * Draws the items (others first, the focused one last) and returns the focused item's box in canvas pixels, so
 * callers and tests can find it.
 */
export function drawOverlay(
  ctx: CanvasRenderingContext2D,
  items: readonly OverlayItem[],
  scale: number,
): [number, number, number, number] | undefined {
  const { width: w, height: h } = ctx.canvas;
  let focusBox: [number, number, number, number] | undefined;
  const ordered = [...items.filter((i) => !i.focus), ...items.filter((i) => i.focus)];
  ctx.save();
  ctx.lineJoin = 'round';
  for (const item of ordered) {
    const { shape, color, focus, mark } = item;
    const box = shapeBox(shape, w, h);
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    const width = (focus ? 3 : 2) * scale;
    if (shape.kind === 'mask') {
      ctx.globalAlpha = 1;
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(maskImage(shape, color, focus ? 0.45 : 0.25), 0, 0, w, h);
    } else if (shape.kind === 'polygon') {
      ctx.beginPath();
      tracePolygon(ctx, shape.points, w, h);
      for (const hole of shape.holes ?? []) tracePolygon(ctx, hole, w, h);
      ctx.globalAlpha = focus ? 0.3 : 0.12;
      ctx.fill('evenodd');
      ctx.globalAlpha = 1;
      strokeRings(
        ctx,
        [scaled(shape.points, w, h), ...(shape.holes ?? []).map((r) => scaled(r, w, h))],
        true,
        mark,
        width,
      );
    } else if (shape.kind === 'box' && box) {
      ctx.globalAlpha = focus ? 0.18 : 0.08;
      ctx.fillRect(box[0], box[1], box[2] - box[0], box[3] - box[1]);
      ctx.globalAlpha = 1;
    }
    if (box) {
      ctx.globalAlpha = 1;
      const corners: [number, number][] = [
        [box[0], box[1]],
        [box[2], box[1]],
        [box[2], box[3]],
        [box[0], box[3]],
      ];
      // Every prediction also gets its box, as on Encord Active's cards, in its line style.
      strokeRings(ctx, [corners], true, mark, width);
      if (item.tag) drawTag(ctx, item.tag, color, box, scale);
      if (focus) focusBox = box;
    }
  }
  ctx.restore();
  return focusBox;
}

function drawTag(
  ctx: CanvasRenderingContext2D,
  text: string,
  color: string,
  box: [number, number, number, number],
  s: number,
) {
  const fontSize = 11 * s;
  const padX = 4 * s;
  const height = fontSize + 5 * s;
  ctx.font = `600 ${fontSize}px system-ui, sans-serif`;
  ctx.textBaseline = 'middle';
  const width = ctx.measureText(text).width + padX * 2;
  const x = Math.max(0, Math.min(box[0], ctx.canvas.width - width));
  // Above the box when there is room, else just below its bottom edge; never over the box's left edge.
  const y =
    box[1] - height - 2 * s >= 0 ? box[1] - height - 2 * s : Math.min(ctx.canvas.height - height, box[3] + 2 * s);
  ctx.fillStyle = color;
  ctx.beginPath();
  ctx.roundRect(x, y, width, height, 3 * s);
  ctx.fill();
  ctx.fillStyle = textColourOn(color);
  ctx.fillText(text, x + padX, y + height / 2 + 0.5 * s);
}
