// Where a shape is, for the canvases that draw labels and predictions (images, the Explorer, the Model quality
// overlay): the corners of a rotated box and the extent of a 0/1 mask.
import type { Box } from '../../core/model.ts';

/**
 * The four corners of a box turned by its `theta` (degrees) about its centre, in a space where the image is
 * `w` x `h`: pass the canvas size for pixels, or 1 x 1 for normalised coordinates.
 */
export function rotatedBoxCorners(box: Box, w: number, h: number): [number, number][] {
  const { x, y, w: bw, h: bh, theta = 0 } = box;
  const cx = (x + bw / 2) * w;
  const cy = (y + bh / 2) * h;
  const rad = (theta * Math.PI) / 180;
  const cos = Math.cos(rad);
  const sin = Math.sin(rad);
  const hw = (bw * w) / 2;
  const hh = (bh * h) / 2;
  return [
    [-hw, -hh],
    [hw, -hh],
    [hw, hh],
    [-hw, hh],
  ].map(([dx, dy]) => [cx + dx * cos - dy * sin, cy + dx * sin + dy * cos]);
}

/** The mask pixels that are set, as [x0, x1) x [y0, y1) in mask pixels; undefined for an empty mask. */
export function maskBounds(
  mask: Uint8Array,
  width: number,
  height: number,
): { x0: number; y0: number; x1: number; y1: number } | undefined {
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!mask[y * width + x]) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  return x1 < 0 ? undefined : { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}
