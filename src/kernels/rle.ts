// COCO run-length masks exactly as pycocotools 2.0.11 computes them (spec: coco-eval.md, "Mask API details").
//
// An `Rle` holds u32 run lengths over the COLUMN-MAJOR (Fortran) flattening of an h x w mask, starting with a
// background run that may be empty. Heavy work (encode, decode, polygon rasterisation, merge, the IoU matrix) runs
// in the .wasm; the compressed-string codec, area and bbox are plain TypeScript (they are O(runs) and exact in JS).
// Every function copies its result out of wasm memory, so results stay valid across later kernel calls.
import type { CocoRle } from './geometry-types.ts';
import type { Kernels } from './wasm.ts';

// frPyObjects / annToRLE dispatch on Python-shaped input (polygon lists, uncompressed and compressed RLE) builds on
// these functions and lives in rle-objects.ts.

export interface Rle {
  h: number;
  w: number;
  counts: Uint32Array;
}

/** An empty 0x0 mask: what pycocotools' merge returns for masks of different sizes. */
export const EMPTY_RLE: Readonly<Rle> = Object.freeze({ h: 0, w: 0, counts: new Uint32Array(0) });

type EncodeFn = (maskPtr: number, h: number, w: number, columnMajor: number) => number;
type DecodeFn = (countsPtr: number, m: number, h: number, w: number, outPtr: number, columnMajor: number) => number;
type PolyFn = (xyPtr: number, k: number, h: number, w: number) => number;
type MergeFn = (countsPtr: number, lensPtr: number, n: number, intersect: number) => number;
type IouFn = (countsPtr: number, metaPtr: number, nd: number, ng: number, crowdPtr: number, outPtr: number) => void;

function checkSize(h: number, w: number, what: string): void {
  if (!Number.isInteger(h) || !Number.isInteger(w) || h < 0 || w < 0 || h * w > 0xffffffff) {
    throw new RangeError(`${what}: mask size ${h}x${w} is not a valid height x width`);
  }
}

function encode(k: Kernels, mask: Uint8Array, h: number, w: number, columnMajor: number): Rle {
  checkSize(h, w, 'rleEncode');
  if (mask.length !== h * w) throw new RangeError(`rleEncode: mask has ${mask.length} bytes, expected ${h}x${w}`);
  const ptr = k.copyIn('rle.mask', mask);
  const m = k.fn<EncodeFn>('rleEncode')(ptr, h, w, columnMajor);
  return { h, w, counts: k.result('u32', m).slice() };
}

/**
 * Encodes an h x w mask given in COLUMN-MAJOR order (mask[x*h + y]), like pycocotools.mask.encode on a Fortran
 * array. Any non-zero byte is foreground. (pycocotools itself starts a new run at every change of byte value, so
 * a mask holding two different non-zero values side by side encodes differently there; 0/1 masks agree.)
 */
export function rleEncode(k: Kernels, mask: Uint8Array, h: number, w: number): Rle {
  return encode(k, mask, h, w, 1);
}

/** Encodes an h x w mask given in ROW-MAJOR order (mask[y*w + x], as images and canvases store it). */
export function rleEncodeRowMajor(k: Kernels, mask: Uint8Array, h: number, w: number): Rle {
  return encode(k, mask, h, w, 0);
}

function decode(k: Kernels, rle: Rle, columnMajor: number): Uint8Array {
  checkSize(rle.h, rle.w, 'rleDecode');
  const total = rle.h * rle.w;
  const countsPtr = k.copyIn('rle.counts', rle.counts);
  const outPtr = k.slot('rle.mask', total);
  const ok = k.fn<DecodeFn>('rleDecode')(countsPtr, rle.counts.length, rle.h, rle.w, outPtr, columnMajor);
  if (!ok) throw new RangeError(`Invalid RLE mask representation: the runs add up to more than ${rle.h}x${rle.w}`);
  return k.u8(outPtr, total).slice();
}

/** Decodes to a 0/1 mask in COLUMN-MAJOR order (pycocotools' layout). Throws if the runs overflow h*w. */
export function rleDecode(k: Kernels, rle: Rle): Uint8Array {
  return decode(k, rle, 1);
}

/** Decodes to a 0/1 mask in ROW-MAJOR order (mask[y*w + x]). */
export function rleDecodeRowMajor(k: Kernels, rle: Rle): Uint8Array {
  return decode(k, rle, 0);
}

// ------------------------------------------------------------------------------------------ string codec

/**
 * rleToString: the compressed COCO string. Counts from index 3 on are stored as the difference to the count two
 * places before; each value is written as 5-bit groups, low first, in characters 48..111.
 */
export function rleToString(rle: Rle): string {
  const cnts = rle.counts;
  const chars: number[] = [];
  for (let i = 0; i < cnts.length; i++) {
    let x = cnts[i];
    if (i > 2) x -= cnts[i - 2];
    let more = true;
    while (more) {
      // x & 0x1f and x >>= 5 on a signed 64-bit value; exact in doubles because |x| < 2^32.
      const q = Math.floor(x / 32);
      let c = x - q * 32;
      x = q;
      more = c & 0x10 ? x !== -1 : x !== 0;
      if (more) c |= 0x20;
      chars.push(c + 48);
    }
  }
  let s = '';
  for (let i = 0; i < chars.length; i += 8192) s += String.fromCharCode(...chars.slice(i, i + 8192));
  return s;
}

/** Decoding scratch, reused so each string costs one exact-size allocation (segm loads ~100,000 of them). */
let fromStringScratch = new Uint32Array(4096);

/**
 * rleFrString: parses a compressed COCO string. Reproduces C's 32-bit shifts and sign extension; characters
 * outside '0'..'o' or a string cut inside a value are errors (pycocotools would read garbage).
 */
export function rleFromString(s: string, h: number, w: number): Rle {
  checkSize(h, w, 'rleFromString');
  const n = s.length;
  // Every value takes at least one character, so n bounds the number of counts.
  if (fromStringScratch.length < n) fromStringScratch = new Uint32Array(Math.max(n, 2 * fromStringScratch.length));
  const out = fromStringScratch;
  let m = 0;
  let p = 0;
  while (p < n) {
    let x = 0;
    let k = 0;
    let c: number;
    do {
      if (p >= n) throw new SyntaxError(`RLE string ends inside a value (length ${n})`);
      c = s.charCodeAt(p) - 48;
      if (c < 0 || c > 63) {
        throw new SyntaxError(`RLE string has ${JSON.stringify(s[p])} at position ${p}; only '0'..'o' can occur`);
      }
      x |= (c & 0x1f) << (5 * k);
      p++;
      k++;
    } while (c & 0x20);
    if (c & 0x10) x |= -1 << (5 * k);
    // x is C's long: the sign extension of these int32 bits. (uint)(x + cnts[m-2]) wraps modulo 2^32.
    out[m] = m > 2 ? (x + out[m - 2]) >>> 0 : x >>> 0;
    m++;
  }
  return { h, w, counts: out.slice(0, m) };
}

/** The plain-object COCO form with a compressed string, as pycocotools writes it. */
export function rleToCoco(rle: Rle): CocoRle {
  return { size: [rle.h, rle.w], counts: rleToString(rle) };
}

/** Reads a COCO RLE object with either a compressed string or uncompressed counts (taken as they are). */
export function rleFromCoco(coco: CocoRle): Rle {
  const [h, w] = coco.size;
  if (typeof coco.counts === 'string') return rleFromString(coco.counts, h, w);
  checkSize(h, w, 'rleFromCoco');
  return { h, w, counts: uncompressedCounts(coco.counts) };
}

export function uncompressedCounts(counts: readonly unknown[]): Uint32Array {
  const out = new Uint32Array(counts.length);
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i];
    if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c > 0xffffffff) {
      throw new RangeError(`RLE counts[${i}] = ${JSON.stringify(c)} is not a run length (an integer 0..2^32-1)`);
    }
    out[i] = c;
  }
  return out;
}

// ------------------------------------------------------------------------------------------ from shapes

/** Points on the x5 grid that rleFrPoly walks; beyond this the C code would need gigabytes. */
const MAX_POLYGON_STEPS = 50_000_000;

/**
 * rleFrPoly: one polygon [x0,y0, x1,y1, ...] in pixel coordinates rasterised like pycocotools. An odd number of
 * coordinates drops the last one, as `int(len(p)/2)` does.
 */
export function rleFromPolygon(k: Kernels, xy: ArrayLike<number>, h: number, w: number): Rle {
  checkSize(h, w, 'rleFromPolygon');
  const n = Math.floor(xy.length / 2);
  // Coordinates are checked while they are written straight into the kernel's input slot (no staging copy).
  const ptr = k.slot('rle.xy', 16 * n);
  const coords = k.f64(ptr, 2 * n);
  for (let i = 0; i < 2 * n; i++) {
    const v = xy[i];
    if (typeof v !== 'number' || !Number.isFinite(v) || Math.abs(v) > 4e8) {
      throw new RangeError(`polygon coordinate ${i} is ${String(v)}; pycocotools needs finite numbers below 4e8`);
    }
    coords[i] = v;
  }
  // The x5-grid vertices rleFrPoly walks between; each edge takes max(|dx|, |dy|) + 1 steps.
  let steps = 0;
  if (n > 0) {
    const x0 = Math.trunc(5 * coords[0] + 0.5);
    const y0 = Math.trunc(5 * coords[1] + 0.5);
    let px = x0;
    let py = y0;
    for (let j = 1; j <= n; j++) {
      const x = j < n ? Math.trunc(5 * coords[2 * j] + 0.5) : x0;
      const y = j < n ? Math.trunc(5 * coords[2 * j + 1] + 0.5) : y0;
      steps += Math.max(Math.abs(px - x), Math.abs(py - y)) + 1;
      px = x;
      py = y;
    }
  }
  if (steps > MAX_POLYGON_STEPS) {
    throw new RangeError(`polygon spans ${steps} boundary steps on pycocotools' x5 grid; too large to rasterise`);
  }
  const m = k.fn<PolyFn>('rleFromPolygon')(ptr, n, h, w);
  return { h, w, counts: k.result('u32', m).slice() };
}

/** rleFrBbox: the box [x, y, w, h] rasterised as the polygon of its 4 corners (same rounding as polygons). */
export function rleFromBbox(k: Kernels, bb: ArrayLike<number>, h: number, w: number): Rle {
  const xs = bb[0];
  const ys = bb[1];
  const xe = xs + bb[2];
  const ye = ys + bb[3];
  return rleFromPolygon(k, [xs, ys, xs, ye, xe, ye, xe, ys], h, w);
}

// ------------------------------------------------------------------------------------------ merge, area, bbox

/**
 * rleMerge: union (default) or intersection of masks. No masks, or masks of different sizes, give the empty 0x0
 * mask silently, as pycocotools does; a single mask is returned as is (its counts are shared, not copied: annToRLE
 * merges every one-part polygon, ~35,000 of them in a large segm evaluation).
 */
export function rleMerge(k: Kernels, rles: readonly Rle[], intersect = false): Rle {
  if (rles.length === 0) return { h: 0, w: 0, counts: new Uint32Array(0) };
  const { h, w } = rles[0];
  if (rles.length === 1) return { h, w, counts: rles[0].counts };
  if (rles.some((r) => r.h !== h || r.w !== w)) return { h: 0, w: 0, counts: new Uint32Array(0) };
  let total = 0;
  for (const r of rles) total += r.counts.length;
  const countsPtr = k.slot('rle.counts', total * 4);
  const lensPtr = k.slot('rle.lens', rles.length * 4);
  const counts = k.u32(countsPtr, total);
  const lens = k.i32(lensPtr, rles.length);
  let at = 0;
  rles.forEach((r, i) => {
    counts.set(r.counts, at);
    lens[i] = r.counts.length;
    at += r.counts.length;
  });
  const m = k.fn<MergeFn>('rleMerge')(countsPtr, lensPtr, rles.length, intersect ? 1 : 0);
  return { h, w, counts: k.result('u32', m).slice() };
}

/** rleArea: the number of foreground pixels (the sum of the odd-indexed counts, in u32 like the C code). */
export function rleArea(rle: Rle): number {
  let a = 0;
  for (let j = 1; j < rle.counts.length; j += 2) a = (a + rle.counts[j]) >>> 0;
  return a;
}

/** rleToBbox (2.0.11): [x, y, w, h] of the foreground; zeros for an RLE with fewer than 2 counts. */
export function rleToBbox(rle: Rle): [number, number, number, number] {
  const { h, w, counts } = rle;
  const m = counts.length & ~1;
  if (m === 0 || h <= 0) return [0, 0, 0, 0];
  let xs = w >>> 0;
  let ys = h >>> 0;
  let xe = 0;
  let ye = 0;
  let cc = 0;
  for (let j = 0; j < m; j++) {
    const start = cc;
    cc = (cc + counts[j]) >>> 0;
    if ((j & 1) === 0 || counts[j] === 0) continue;
    const xStart = Math.floor(start / h);
    const yStart = start % h;
    const xEnd = Math.floor((cc - 1) / h);
    const yEnd = (cc - 1) % h;
    xs = Math.min(xs, xStart);
    xe = Math.max(xe, xEnd);
    if (xStart < xEnd) {
      ys = 0;
      ye = h - 1;
    } else {
      ys = Math.min(ys, yStart);
      ye = Math.max(ye, yEnd);
    }
  }
  // xe-xs+1 is computed in uint in C; it wraps when no foreground run was seen.
  return [xs, ys, (xe - xs + 1) >>> 0, (ye - ys + 1) >>> 0];
}

// ------------------------------------------------------------------------------------------ IoU

/**
 * rleIou for D detections x G ground truths, the hot path of COCO segm evaluation.
 * Returns a Float64Array of D*G values, ROW-MAJOR: iou[d*G + g] (pycocotools returns the same D x G matrix).
 * A pair is 0 when the bounding boxes do not overlap (the bbox prefilter), -1 when the mask sizes differ, 0 when
 * the intersection is empty, intersection / detection area when iscrowd[g], else intersection / union.
 */
export function rleIouMatrix(
  k: Kernels,
  dts: readonly Rle[],
  gts: readonly Rle[],
  iscrowd: ArrayLike<number | boolean>,
): Float64Array {
  if (iscrowd.length !== gts.length) {
    throw new RangeError(`iou(iscrowd=) must have the same length as gt (${iscrowd.length} vs ${gts.length})`);
  }
  const nd = dts.length;
  const ng = gts.length;
  if (nd === 0 || ng === 0) return new Float64Array(0);
  let total = 0;
  for (const r of dts) total += r.counts.length;
  for (const r of gts) total += r.counts.length;
  const countsPtr = k.slot('rle.counts', total * 4);
  const metaPtr = k.slot('rle.meta', (nd + ng) * 16);
  const crowdPtr = k.slot('rle.crowd', ng);
  const outPtr = k.slot('rle.iou', nd * ng * 8);
  const counts = k.u32(countsPtr, total);
  const meta = k.i32(metaPtr, (nd + ng) * 4);
  const crowd = k.u8(crowdPtr, ng);
  let at = 0;
  for (let i = 0; i < nd + ng; i++) {
    const r = i < nd ? dts[i] : gts[i - nd];
    counts.set(r.counts, at);
    meta[4 * i] = r.h;
    meta[4 * i + 1] = r.w;
    meta[4 * i + 2] = at;
    meta[4 * i + 3] = r.counts.length;
    at += r.counts.length;
  }
  for (let g = 0; g < ng; g++) crowd[g] = iscrowd[g] ? 1 : 0;
  k.fn<IouFn>('rleIouMatrix')(countsPtr, metaPtr, nd, ng, crowdPtr, outPtr);
  return k.f64(outPtr, nd * ng).slice();
}
