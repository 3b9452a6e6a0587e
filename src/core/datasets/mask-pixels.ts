// A COCO run-length mask (compressed or uncompressed, column-major, first run zeros) as a row-major 0/1 image, for
// drawing a dataset's RLE labels and crowd regions. Decoded on demand; the last few are kept.
import { rleFromCoco } from '../../kernels/rle.ts';
import type { CocoRle } from '../model.ts';

export interface MaskPixels {
  width: number;
  height: number;
  /** Row-major, 1 where the mask is set. */
  mask: Uint8Array;
}

const KEPT = 48;
const cache = new Map<CocoRle, MaskPixels>();

/** The mask as a row-major image; throws a RangeError/SyntaxError naming what is wrong with a malformed RLE. */
export function maskPixels(rle: CocoRle): MaskPixels {
  const hit = cache.get(rle);
  if (hit) {
    cache.delete(rle);
    cache.set(rle, hit);
    return hit;
  }
  const { h, w, counts } = rleFromCoco(rle);
  const mask = new Uint8Array(w * h);
  let at = 0;
  for (let i = 0; i < counts.length; i++) {
    const run = counts[i];
    if (i % 2 === 1) {
      const end = Math.min(at + run, w * h);
      for (let p = at; p < end; p++) mask[(p % h) * w + Math.floor(p / h)] = 1;
    }
    at += run;
  }
  const out = { width: w, height: h, mask };
  cache.set(rle, out);
  if (cache.size > KEPT) cache.delete(cache.keys().next().value!);
  return out;
}

/** The mask's bounds in normalised units of its own size, or undefined when it is empty or malformed. */
export function maskExtent(rle: CocoRle): { x0: number; y0: number; x1: number; y1: number } | undefined {
  let pixels: MaskPixels;
  try {
    pixels = maskPixels(rle);
  } catch {
    return undefined;
  }
  const { width, height, mask } = pixels;
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
  return x1 < 0 ? undefined : { x0: x0 / width, y0: y0 / height, x1: (x1 + 1) / width, y1: (y1 + 1) / height };
}
