// The region side of the IoUs EA v0.1.40 stored at import (spec §3.3, §5.1): |A∧B| / |A∨B| in float64 on
// full-image masks for polygon classes (labels and point polygons rasterised with OpenCV fillPoly of truncated
// pixel vertices; mask predictions as given). Box IoU (torchvision, float32) is eaBoxIouMatrix in kernels/boxes.ts.
//
// A region is rasterised only inside its bounding window (fillPoly never paints outside the bounding box of its
// clipped vertices; a mask's foreground lies inside its bbox) and kept as runs per row, so the counts, and hence
// the IoU, are those of the full-image masks at a fraction of the cost: a full 1280x720 mask per polygon took
// 1.5 ms, and a byte-by-byte intersection of windows dominated the rest.
import type { Kernels } from '../../../kernels/wasm.ts';
import { eaPixelVertices, fillPolygonsInWasm } from '../../../kernels/raster.ts';
import { rleFromCoco, rleToBbox, type Rle } from '../../../kernels/rle.ts';
import type { CocoRle, Points } from '../../model.ts';

/**
 * A 0/1 mask of a full image as horizontal runs: row y (y0 <= y < y0 + h) holds the pixels
 * [spans[2i], spans[2i+1]) for i in rowStart[y - y0] .. rowStart[y - y0 + 1] - 1, in absolute x.
 */
export interface RegionMask {
  x0: number;
  y0: number;
  w: number;
  h: number;
  rowStart: Int32Array;
  spans: Int32Array;
  area: number;
}

const EMPTY: RegionMask = { x0: 0, y0: 0, w: 0, h: 0, rowStart: new Int32Array(1), spans: new Int32Array(0), area: 0 };
const ONES = new Float64Array(new Uint8Array(8).fill(1).buffer)[0];

/**
 * Runs of a row-major 0/1 window (stride bytes per row, x from x0). Rows are scanned 8 pixels at a time where
 * they are uniform (a Float64Array view compares the 8 bytes exactly: neither pattern is NaN or -0).
 */
function spansOf(
  bytes: Uint8Array,
  words: Float64Array | undefined,
  stride: number,
  x0: number,
  y0: number,
  w: number,
  h: number,
): RegionMask {
  const rowStart = new Int32Array(h + 1);
  const spans: number[] = [];
  let area = 0;
  for (let y = 0; y < h; y++) {
    const row = y * stride;
    let inside = false;
    let start = 0;
    let x = 0;
    while (x < w) {
      if (words && (x & 7) === 0 && x + 8 <= w) {
        const v = words[(row + x) >> 3];
        if (v === (inside ? ONES : 0)) {
          x += 8;
          continue;
        }
      }
      const on = bytes[row + x] !== 0;
      if (on !== inside) {
        if (on) start = x;
        else {
          spans.push(x0 + start, x0 + x);
          area += x - start;
        }
        inside = on;
      }
      x++;
    }
    if (inside) {
      spans.push(x0 + start, x0 + w);
      area += w - start;
    }
    rowStart[y + 1] = spans.length / 2;
  }
  return { x0, y0, w, h, rowStart, spans: Int32Array.from(spans), area };
}

export class RegionGeometry {
  constructor(readonly kernels: Kernels) {}

  /**
   * cv2.fillPoly(mask, [outline, ...holes], 1) of EA's truncated pixel vertices, inside the vertices' bounding box
   * clipped to the image (the raster kernel's fill window).
   */
  polygon(points: Points, holes: readonly Points[] | undefined, width: number, height: number): RegionMask {
    const contours = [points, ...(holes ?? [])].map((p) => eaPixelVertices(p, width, height));
    let minX = Infinity,
      minY = Infinity,
      maxX = -Infinity,
      maxY = -Infinity;
    for (const c of contours) {
      for (let i = 0; i < c.length; i += 2) {
        minX = Math.min(minX, c[i]);
        maxX = Math.max(maxX, c[i]);
        minY = Math.min(minY, c[i + 1]);
        maxY = Math.max(maxY, c[i + 1]);
      }
    }
    const x0 = Math.max(0, minX);
    const y0 = Math.max(0, minY);
    const w = Math.min(width - 1, maxX) - x0 + 1;
    const h = Math.min(height - 1, maxY) - y0 + 1;
    if (!(w > 0 && h > 0)) return EMPTY;

    const k = this.kernels;
    // Rows padded to a multiple of 8 bytes so they can be scanned a word at a time; the padding stays 0 because
    // the polygon never reaches past its own bounding box.
    const stride = (w + 7) & ~7;
    const outPtr = fillPolygonsInWasm(k, contours, width, height, { x: x0, y: y0, stride, rows: h }, 'active.window');
    const bytes = k.u8(outPtr, stride * h);
    const words = outPtr % 8 === 0 ? k.f64(outPtr, (stride * h) / 8) : undefined;
    return spansOf(bytes, words, stride, x0, y0, w, h);
  }

  /** A COCO (column-major) RLE as its bounding window. */
  static fromRle(rle: Rle): RegionMask {
    const [x0, y0, w, h] = rleToBbox(rle);
    if (!(w > 0 && h > 0)) return EMPTY;
    const bits = new Uint8Array(w * h);
    let p = 0;
    const counts = rle.counts;
    for (let j = 0; j < counts.length; j++) {
      const run = counts[j];
      if (j % 2 === 1) {
        for (let q = p; q < p + run; q++) bits[((q % rle.h) - y0) * w + (Math.floor(q / rle.h) - x0)] = 1;
      }
      p += run;
    }
    return spansOf(bits, undefined, w, x0, y0, w, h);
  }

  /** A mask prediction: its RLE (checked against the image size) as a window. */
  static mask(mask: CocoRle, width: number, height: number): { rle: Rle; region: RegionMask } {
    const rle = rleFromCoco(mask);
    if (rle.h !== height || rle.w !== width) {
      throw new RangeError(`mask is ${rle.h}x${rle.w} (h x w) but the image is ${height}x${width}`);
    }
    return { rle, region: RegionGeometry.fromRle(rle) };
  }

  /** x1,y1,x2,y2 of a mask's foreground in pixels (x2, y2 exclusive, as cv2.boundingRect), zeros when empty. */
  static rleBoxPx(rle: Rle): [number, number, number, number] {
    const [x, y, w, h] = rleToBbox(rle);
    return [x, y, x + w, y + h];
  }
}

/** |A∧B| / |A∨B| of two masks of the same image, in float64; 0 when both are empty (EA's rule). */
export function regionIou(a: RegionMask, b: RegionMask): number {
  const y0 = Math.max(a.y0, b.y0);
  const y1 = Math.min(a.y0 + a.h, b.y0 + b.h);
  let inter = 0;
  if (Math.max(a.x0, b.x0) < Math.min(a.x0 + a.w, b.x0 + b.w)) {
    const sa = a.spans;
    const sb = b.spans;
    for (let y = y0; y < y1; y++) {
      let i = a.rowStart[y - a.y0];
      const iEnd = a.rowStart[y - a.y0 + 1];
      let j = b.rowStart[y - b.y0];
      const jEnd = b.rowStart[y - b.y0 + 1];
      while (i < iEnd && j < jEnd) {
        const lo = Math.max(sa[2 * i], sb[2 * j]);
        const hiA = sa[2 * i + 1];
        const hiB = sb[2 * j + 1];
        if (hiA < hiB) {
          if (hiA > lo) inter += hiA - lo;
          i++;
        } else {
          if (hiB > lo) inter += hiB - lo;
          j++;
        }
      }
    }
  }
  const union = a.area + b.area - inter;
  return union > 0 ? inter / union : 0;
}
