// Drawing 0/1 masks over an image: dataset RLE labels and crowd regions (Images page, Explorer, Model quality) and
// mask predictions. The mask is filled at a low opacity with an opaque edge; a crowd region is also hatched, so it
// reads as "ignored region" rather than as one object.
import { hexRgb } from '../charts/colors.ts';
import { maskEdgeOn, type MarkKind } from './overlay-style.ts';

export interface MaskLike {
  width: number;
  height: number;
  /** Row-major 0/1. */
  mask: Uint8Array;
}

export interface MaskStyle {
  /** 0..1 opacity inside the mask. */
  fillAlpha: number;
  /** Edge thickness in canvas pixels. */
  edgeWidth: number;
  /** Diagonal stripes inside (crowd regions). */
  hatch?: boolean;
  /** What the mask is (a label, a TP, an FP, a missed label): sets the edge's dash pattern (overlay-style.ts). */
  mark?: MarkKind;
}

/**
 * The edge of a 0/1 mask, `thickness` pixels deep: mask pixels with a 0 (or the image border) at most `thickness`
 * pixels away (the square of side 2 * thickness + 1 around them). Two passes with running counts, so the cost does
 * not grow with the thickness.
 */
export function maskEdge(mask: Uint8Array, width: number, height: number, thickness: number): Uint8Array {
  const r = Math.max(1, Math.round(thickness));
  const nearZeroRow = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    // zeros[x] = number of zeros in row[0..x-1]; outside the image counts as zero.
    const zeros = new Int32Array(width + 1);
    for (let x = 0; x < width; x++) zeros[x + 1] = zeros[x] + (mask[row + x] ? 0 : 1);
    for (let x = 0; x < width; x++) {
      const a = x - r;
      const b = x + r;
      const outside = a < 0 || b >= width;
      nearZeroRow[row + x] = outside || zeros[Math.min(width, b + 1)] - zeros[Math.max(0, a)] > 0 ? 1 : 0;
    }
  }
  const edge = new Uint8Array(width * height);
  const hits = new Int32Array(height + 1);
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) hits[y + 1] = hits[y] + nearZeroRow[y * width + x];
    for (let y = 0; y < height; y++) {
      const i = y * width + x;
      if (!mask[i]) continue;
      const a = y - r;
      const b = y + r;
      if (a < 0 || b >= height || hits[Math.min(height, b + 1)] - hits[Math.max(0, a)] > 0) edge[i] = 1;
    }
  }
  return edge;
}

/** Paints `m` over the whole canvas (the mask covers the image, which fills the canvas). */
export function drawMaskOver(ctx: CanvasRenderingContext2D, m: MaskLike, color: string, style: MaskStyle): void {
  const { width: mw, height: mh, mask } = m;
  if (mw === 0 || mh === 0) return;
  const canvasPerMask = ctx.canvas.width / mw;
  const edgeInMask = style.edgeWidth / canvasPerMask;
  const edge = maskEdge(mask, mw, mh, Math.max(1, edgeInMask));
  const [r, g, b] = hexRgb(color) ?? [255, 0, 255];
  const fill = Math.round(style.fillAlpha * 255);
  // Stripes about 6 canvas pixels apart, whatever the mask's resolution.
  const period = Math.max(4, Math.round(8 / Math.max(canvasPerMask, 1e-6)));
  const pixels = new ImageData(mw, mh);
  const d = pixels.data;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    const o = i * 4;
    d[o] = r;
    d[o + 1] = g;
    d[o + 2] = b;
    const x0 = i % mw;
    const onEdge = edge[i] === 1 && (!style.mark || maskEdgeOn(style.mark, x0, (i - x0) / mw, edgeInMask));
    let alpha = onEdge ? 255 : fill;
    if (style.hatch && !edge[i]) {
      const x = i % mw;
      const y = (i - x) / mw;
      if ((x + y) % period < Math.max(1, Math.round(period / 4))) alpha = Math.max(alpha, 200);
    }
    d[o + 3] = alpha;
  }
  const layer = new OffscreenCanvas(mw, mh);
  layer.getContext('2d')!.putImageData(pixels, 0, 0);
  ctx.save();
  ctx.imageSmoothingEnabled = canvasPerMask < 1;
  ctx.drawImage(layer, 0, 0, ctx.canvas.width, ctx.canvas.height);
  ctx.restore();
}
