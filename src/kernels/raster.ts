// Encord Active's rasterisation: polygons become masks the way EA v0.1.40 makes them, i.e. pixel vertices
// truncated toward zero ((points * [W, H]).astype(int)) and OpenCV's fillPoly (8-connected outline, even-odd
// interior, edges inclusive). Plus the mask IoU EA uses for polygon classes and EA's row-major dict RLE.
// Masks here are ROW-MAJOR bytes (mask[y*W + x]), 0/1, as EA and images store them.
import type { Box, Points } from './geometry-types.ts';
import type { Kernels } from './wasm.ts';
import type { Rle } from './rle.ts';

type FillFn = (
  ptsPtr: number,
  lensPtr: number,
  nContours: number,
  w: number,
  h: number,
  out: number,
  winX: number,
  winY: number,
  winW: number,
  winH: number,
) => void;
type CountFn = (
  ptsPtr: number,
  lensPtr: number,
  shapesPtr: number,
  nShapes: number,
  w: number,
  h: number,
  out: number,
) => void;
type IouFn = (aPtr: number, bPtr: number, len: number) => number;
type CountNonZeroFn = (ptr: number, len: number) => number;
type EncodeFn = (maskPtr: number, h: number, w: number, columnMajor: number) => number;

/** Integer pixel vertices [x0, y0, x1, y1, ...]. */
export type PixelVertices = Int32Array | readonly number[];

function checkImage(width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) {
    throw new RangeError(`image size ${width}x${height} is not a valid width x height`);
  }
}

function toInt32(vertices: PixelVertices, what: string): Int32Array {
  if (vertices instanceof Int32Array) return vertices;
  const out = new Int32Array(vertices.length & ~1);
  for (let i = 0; i < out.length; i++) {
    const v = vertices[i];
    if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) {
      throw new RangeError(`${what}: vertex coordinate ${i} is ${v}, not a 32-bit integer (truncate first)`);
    }
    out[i] = v;
  }
  return out;
}

/**
 * EA's pixel vertices of a normalised polygon: trunc(x * W), trunc(y * H) in float64, as numpy's
 * (points * [W, H]).astype(int) computes them. Pass `float32Points` when EA held the points as float32 (a
 * float32 prediction array multiplied in place stays float32 before the cast).
 */
export function eaPixelVertices(
  points: Points | ArrayLike<number>,
  width: number,
  height: number,
  float32Points = false,
): Int32Array {
  const flat: ArrayLike<number> = isPointList(points) ? points.flat() : points;
  const out = new Int32Array(flat.length & ~1);
  for (let i = 0; i < out.length; i += 2) {
    let x = flat[i] * width;
    let y = flat[i + 1] * height;
    if (float32Points) {
      x = Math.fround(x);
      y = Math.fround(y);
    }
    if (!Number.isFinite(x) || !Number.isFinite(y) || Math.abs(x) >= 2 ** 31 || Math.abs(y) >= 2 ** 31) {
      throw new RangeError(`polygon point ${i / 2} (${flat[i]}, ${flat[i + 1]}) has no pixel position`);
    }
    out[i] = Math.trunc(x);
    out[i + 1] = Math.trunc(y);
  }
  return out;
}

function isPointList(p: Points | ArrayLike<number>): p is Points {
  return Array.isArray(p) && p.length > 0 && Array.isArray(p[0]);
}

/** The 4 pixel corners of a normalised box, as the polygon (x,y) (x+w,y) (x+w,y+h) (x,y+h), truncated. */
export function eaBoxVertices(box: Box, width: number, height: number): Int32Array {
  const { x, y, w, h } = box;
  return eaPixelVertices([x, y, x + w, y, x + w, y + h, x, y + h], width, height);
}

/** A window of the image to fill: columns x..x+stride-1 (stride may pad past the image), rows y..y+rows-1. */
export interface FillWindow {
  x: number;
  y: number;
  stride: number;
  rows: number;
}

/**
 * cv2.fillPoly(mask, contours, 1) restricted to `window` (default: the whole image), written into the named slot
 * of wasm memory; returns the window's pointer (stride * rows bytes, row-major 0/1). The bytes stay valid until
 * the next call that uses the same slot. Several contours fill together (even-odd).
 */
export function fillPolygonsInWasm(
  k: Kernels,
  contours: readonly PixelVertices[],
  width: number,
  height: number,
  window: FillWindow = { x: 0, y: 0, stride: width, rows: height },
  slot = 'raster.mask',
): number {
  checkImage(width, height);
  const ints = contours.map((c, i) => toInt32(c, `contour ${i}`));
  const total = ints.reduce((s, c) => s + c.length, 0);
  const ptsPtr = k.slot('raster.pts', total * 4);
  const lensPtr = k.slot('raster.lens', ints.length * 4);
  const bytes = window.stride * window.rows;
  const outPtr = k.slot(slot, bytes);
  const pts = k.i32(ptsPtr, total);
  const lens = k.i32(lensPtr, ints.length);
  let at = 0;
  ints.forEach((c, i) => {
    pts.set(c, at);
    lens[i] = c.length / 2;
    at += c.length;
  });
  k.u8(outPtr, bytes).fill(0);
  k.fn<FillFn>('fillPolygons')(
    ptsPtr,
    lensPtr,
    ints.length,
    width,
    height,
    outPtr,
    window.x,
    window.y,
    window.stride,
    window.rows,
  );
  return outPtr;
}

/**
 * cv2.fillPoly(mask, contours, 1) on a zeroed width x height mask: several contours fill together (even-odd).
 * Returns the row-major 0/1 mask.
 */
export function fillPolygons(
  k: Kernels,
  contours: readonly PixelVertices[],
  width: number,
  height: number,
): Uint8Array {
  return k.u8(fillPolygonsInWasm(k, contours, width, height), width * height).slice();
}

/** cv2.fillPoly of one contour of integer pixel vertices. */
export function fillPolygon(k: Kernels, vertices: PixelVertices, width: number, height: number): Uint8Array {
  return fillPolygons(k, [vertices], width, height);
}

/** EA's mask of a normalised polygon: eaPixelVertices then fillPoly. */
export function eaRasterizePolygon(
  k: Kernels,
  points: Points | ArrayLike<number>,
  width: number,
  height: number,
  float32Points = false,
): Uint8Array {
  return fillPolygon(k, eaPixelVertices(points, width, height, float32Points), width, height);
}

/** A shape for countPolygonPixels: integer pixel vertices (one or several contours), or normalised geometry. */
export type PixelShape =
  | { kind: 'pixels'; contours: readonly PixelVertices[] }
  | { kind: 'polygon'; points: Points }
  | { kind: 'box'; box: Box };

/**
 * Labelled pixels per shape: each shape rasterised on its own with EA's rasterisation (boxes as their 4-corner
 * polygon) and counted. One wasm call for the whole data unit; returns one count per shape, in order.
 * The second form takes ONE polygon as float pixel coordinates [x0, y0, ...] (truncated toward zero, as
 * astype(int) does) and returns its count; pass a typed array or a non-empty number[] for it.
 */
export function countPolygonPixels(
  k: Kernels,
  shapes: readonly PixelShape[],
  width: number,
  height: number,
): Uint32Array;
export function countPolygonPixels(k: Kernels, pixelXy: ArrayLike<number>, width: number, height: number): number;
export function countPolygonPixels(
  k: Kernels,
  input: readonly PixelShape[] | ArrayLike<number>,
  width: number,
  height: number,
): Uint32Array | number {
  if (ArrayBuffer.isView(input) || typeof (input as ArrayLike<unknown>)[0] === 'number') {
    const xy = input as ArrayLike<number>;
    const vertices = new Int32Array(xy.length & ~1);
    for (let i = 0; i < vertices.length; i++) {
      const t = Math.trunc(xy[i]);
      if (!Number.isFinite(t) || Math.abs(t) >= 2 ** 31) throw new RangeError(`pixel coordinate ${i} is ${xy[i]}`);
      vertices[i] = t;
    }
    return countShapes(k, [{ kind: 'pixels', contours: [vertices] }], width, height)[0];
  }
  return countShapes(k, input as readonly PixelShape[], width, height);
}

function countShapes(k: Kernels, shapes: readonly PixelShape[], width: number, height: number): Uint32Array {
  checkImage(width, height);
  const contoursOf = (s: PixelShape): Int32Array[] =>
    s.kind === 'pixels'
      ? s.contours.map((c, i) => toInt32(c, `contour ${i}`))
      : s.kind === 'box'
        ? [eaBoxVertices(s.box, width, height)]
        : [eaPixelVertices(s.points, width, height)];
  const all = shapes.map(contoursOf);
  const nContours = all.reduce((s, cs) => s + cs.length, 0);
  const total = all.reduce((s, cs) => s + cs.reduce((t, c) => t + c.length, 0), 0);
  const ptsPtr = k.slot('raster.pts', total * 4);
  const lensPtr = k.slot('raster.lens', nContours * 4);
  const shapesPtr = k.slot('raster.shapes', shapes.length * 4);
  const outPtr = k.slot('raster.counts', shapes.length * 4);
  const pts = k.i32(ptsPtr, total);
  const lens = k.i32(lensPtr, nContours);
  const perShape = k.i32(shapesPtr, shapes.length);
  let at = 0;
  let ci = 0;
  all.forEach((cs, s) => {
    perShape[s] = cs.length;
    for (const c of cs) {
      pts.set(c, at);
      lens[ci++] = c.length / 2;
      at += c.length;
    }
  });
  k.fn<CountFn>('countPolygonPixels')(ptsPtr, lensPtr, shapesPtr, shapes.length, width, height, outPtr);
  return k.u32(outPtr, shapes.length).slice();
}

/**
 * A normalised polygon (plus optional holes, filled together even-odd as one fillPoly call) rasterised as EA does,
 * returned as a COCO (column-major) RLE of the full image, without copying the mask out of wasm memory.
 */
export function eaPolygonRle(
  k: Kernels,
  points: Points,
  holes: readonly Points[] | undefined,
  width: number,
  height: number,
): Rle {
  const contours = [points, ...(holes ?? [])].map((p) => eaPixelVertices(p, width, height));
  const maskPtr = fillPolygonsInWasm(k, contours, width, height);
  const m = k.fn<EncodeFn>('rleEncode')(maskPtr, height, width, 0);
  return { h: height, w: width, counts: k.result('u32', m).slice() };
}

/** |A and B| / |A or B| of two same-size masks (non-zero = set), float64; 0 when the union is empty (EA's rule). */
export function maskIou(k: Kernels, a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new RangeError(`maskIou: masks differ in size (${a.length} vs ${b.length} pixels)`);
  const aPtr = k.copyIn('raster.a', a);
  const bPtr = k.copyIn('raster.b', b);
  return k.fn<IouFn>('maskIou')(aPtr, bPtr, a.length);
}

/** The number of non-zero pixels of a mask. */
export function maskPixelCount(k: Kernels, mask: Uint8Array): number {
  const ptr = k.copyIn('raster.a', mask);
  return k.fn<CountNonZeroFn>('countNonZero')(ptr, mask.length) >>> 0;
}

export { eaRleDecode, eaRleEncode, eaRleFromPython, eaRleIou, eaRleToPython, type EaRle } from './ea-rle.ts';
