// Draws an image and its ground-truth labels on a canvas: each label in its ontology colour, filled at a low
// opacity and outlined, with a class-name tag. The image fills the whole canvas, so a normalised coordinate
// (x, y) is canvas pixel (x * canvas.width, y * canvas.height).
import type { LabelObject } from '../../core/model.ts';
import { maskExtent, maskPixels } from '../../core/datasets/mask-pixels.ts';
import { hexRgb } from '../charts/colors.ts';
import { drawMaskOver } from './mask-draw.ts';
import { rotatedBoxCorners } from './shapes.ts';
import { FN_COLOUR, strokeRings, type MarkKind } from './overlay-style.ts';

export const LABEL_STYLE = {
  /** Opacity of the fill inside boxes and polygons: the pixel becomes image * (1 - a) + colour * a. */
  fillAlpha: 0.25,
  /** Outline width in CSS pixels. */
  lineWidth: 2,
  pointRadius: 4,
  tagFont: 600,
} as const;

export interface DrawOptions {
  showLabels: boolean;
  /** Device pixels per CSS pixel. */
  scale: number;
  /** Class-name tags; off for tiny thumbnails. */
  tags: boolean;
  /** An objectHash to emphasise (hovered in the label list). */
  highlight?: string;
  /** Labels to draw as something else than a plain label (objectHash -> kind): a missed label is dotted amber. */
  marks?: ReadonlyMap<string, MarkKind>;
}

/** The rings of an area label in canvas pixels (a dataset polygon may have several parts), or undefined. */
function rings(object: LabelObject, w: number, h: number): [number, number][][] | undefined {
  const g = object.geometry;
  if (g.kind === 'polygon' && g.parts?.length) {
    return [g.points, ...g.parts].map((part) => part.map(([px, py]) => [px * w, py * h] as [number, number]));
  }
  const outline = corners(object, w, h);
  return outline && [outline];
}

/** The outline of an area label in canvas pixels, or undefined for points and lines. */
function corners(object: LabelObject, w: number, h: number): [number, number][] | undefined {
  const g = object.geometry;
  if (g.kind === 'box') {
    const { x, y, w: bw, h: bh } = g.box;
    return [
      [x * w, y * h],
      [(x + bw) * w, y * h],
      [(x + bw) * w, (y + bh) * h],
      [x * w, (y + bh) * h],
    ];
  }
  if (g.kind === 'rotatable_box') return rotatedBoxCorners(g.box, w, h);
  if (g.kind === 'polygon') return g.points.map(([px, py]) => [px * w, py * h]);
  return undefined;
}

function pointsOf(object: LabelObject, w: number, h: number): [number, number][] {
  const g = object.geometry;
  return g.kind === 'box' || g.kind === 'rotatable_box' || g.kind === 'mask'
    ? []
    : g.points.map(([px, py]) => [px * w, py * h]);
}

/** The class name, plus what a dataset says about the label (a crowd region, a difficult object). */
function tagText(object: LabelObject): string {
  if (object.dataset?.iscrowd) return `${object.name} · crowd`;
  if (object.dataset?.difficult) return `${object.name} · difficult`;
  return object.name;
}

/** Black or white, whichever reads better on `hex`. */
export function textColourOn(hex: string): string {
  const rgb = hexRgb(hex);
  if (!rgb) return '#fff';
  const [r, g, b] = rgb;
  return 0.299 * r + 0.587 * g + 0.114 * b > 160 ? '#111' : '#fff';
}

export function drawLabels(ctx: CanvasRenderingContext2D, objects: readonly LabelObject[], options: DrawOptions): void {
  const { width: w, height: h } = ctx.canvas;
  const s = options.scale;
  ctx.save();
  ctx.lineJoin = 'round';
  ctx.lineCap = 'round';
  const tags: { x: number; y: number; text: string; color: string }[] = [];
  for (const object of objects) {
    const color = object.color || '#ff00ff';
    const emphasised = options.highlight === object.objectHash;
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    ctx.lineWidth = LABEL_STYLE.lineWidth * s * (emphasised ? 2 : 1);
    const crowd = object.dataset?.iscrowd === true;
    const g = object.geometry;
    if (g.kind === 'mask') {
      let pixels;
      try {
        pixels = maskPixels(g.mask);
      } catch {
        continue; // a malformed RLE was reported when the dataset was read
      }
      drawMaskOver(ctx, pixels, color, {
        fillAlpha: emphasised ? Math.min(1, LABEL_STYLE.fillAlpha * 2) : LABEL_STYLE.fillAlpha,
        edgeWidth: LABEL_STYLE.lineWidth * s * (emphasised ? 2 : 1),
        hatch: crowd,
      });
      const e = maskExtent(g.mask);
      if (e) tags.push({ x: e.x0 * w, y: e.y0 * h, text: tagText(object), color });
      continue;
    }
    const outline = rings(object, w, h);
    if (outline) {
      ctx.beginPath();
      for (const ring of outline) {
        ring.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
        ctx.closePath();
      }
      ctx.globalAlpha = emphasised ? Math.min(1, LABEL_STYLE.fillAlpha * 2) : LABEL_STYLE.fillAlpha;
      ctx.fill();
      ctx.globalAlpha = 1;
      const mark = options.marks?.get(object.objectHash) ?? 'label';
      if (mark === 'fn') ctx.strokeStyle = FN_COLOUR;
      if (mark === 'label' && (crowd || object.dataset?.difficult)) {
        // Crowd regions and difficult objects are outlined in long dashes: they are not ordinary objects to find.
        ctx.setLineDash([5 * s, 4 * s]);
        ctx.stroke();
        ctx.setLineDash([]);
      } else strokeRings(ctx, outline, true, mark, ctx.lineWidth);
      const all = outline.flat();
      const top = all.reduce((a, b) => (b[1] < a[1] || (b[1] === a[1] && b[0] < a[0]) ? b : a));
      tags.push({ x: Math.min(...all.map((p) => p[0])), y: top[1], text: tagText(object), color });
      continue;
    }
    const pts = pointsOf(object, w, h);
    if (object.geometry.kind === 'polyline' && pts.length > 1) {
      ctx.beginPath();
      pts.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
      ctx.stroke();
    }
    if (object.geometry.kind === 'point' || object.geometry.kind === 'skeleton') {
      for (const [x, y] of pts) {
        ctx.beginPath();
        ctx.arc(x, y, LABEL_STYLE.pointRadius * s * (emphasised ? 1.5 : 1), 0, Math.PI * 2);
        ctx.fill();
        ctx.lineWidth = 1.5 * s;
        ctx.strokeStyle = '#fff';
        ctx.stroke();
      }
    }
    if (pts.length > 0) {
      const top = pts.reduce((a, b) => (b[1] < a[1] ? b : a));
      tags.push({ x: top[0], y: top[1] - LABEL_STYLE.pointRadius * s, text: object.name, color });
    }
  }
  if (options.tags) drawTags(ctx, tags, s);
  ctx.restore();
}

/** Tags sit just above a label's top edge, or inside it when the label touches the top of the image. */
function drawTags(
  ctx: CanvasRenderingContext2D,
  tags: { x: number; y: number; text: string; color: string }[],
  s: number,
) {
  const fontSize = 11 * s;
  const padX = 4 * s;
  const height = fontSize + 4 * s;
  ctx.font = `${LABEL_STYLE.tagFont} ${fontSize}px system-ui, sans-serif`;
  ctx.textBaseline = 'middle';
  for (const tag of tags) {
    const width = ctx.measureText(tag.text).width + padX * 2;
    const x = Math.max(0, Math.min(tag.x, ctx.canvas.width - width));
    const y = tag.y - height >= 0 ? tag.y - height : tag.y;
    ctx.globalAlpha = 1;
    ctx.fillStyle = tag.color;
    ctx.beginPath();
    ctx.roundRect(x, y, width, height, 3 * s);
    ctx.fill();
    ctx.fillStyle = textColourOn(tag.color);
    ctx.fillText(tag.text, x + padX, y + height / 2 + 0.5 * s);
  }
}

/** A square of the image (normalised units) to show instead of all of it, e.g. around a small object. */
export interface ImageView {
  x0: number;
  y0: number;
  size: number;
}

/** What a canvas paints over its image (ImageCanvas): the context, and what is already on it. */
export interface Paint {
  ctx: CanvasRenderingContext2D;
  /** Device pixels per CSS pixel. */
  scale: number;
  /** How far the view is zoomed in (1 for the whole image); the context is transformed to match. */
  zoom: number;
  /** The image, or the placeholder of a missing one. */
  base: 'image' | 'missing';
}

/** The placeholder for a missing or unreadable image, as EA shows it: white, a red border and a reason. */
export function drawMissing(ctx: CanvasRenderingContext2D, reason: string, scale: number): void {
  const { width: w, height: h } = ctx.canvas;
  ctx.save();
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
  ctx.strokeStyle = '#c8283f';
  ctx.lineWidth = 2 * scale;
  ctx.strokeRect(scale, scale, w - 2 * scale, h - 2 * scale);
  ctx.fillStyle = '#c8283f';
  ctx.font = `600 ${12 * scale}px system-ui, sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(reason, w / 2, h / 2);
  ctx.restore();
}
