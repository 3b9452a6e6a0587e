// Class-index masks as the mask importer reads them: 8-bit greyscale PNGs whose pixel value is a class (0 =
// background). Polygons are filled with EA's rasterisation (the wasm fillPoly kernel), so a mask traced back by
// the importer gives the outlines the simulated model drew.
import { deflateSync } from 'node:zlib';
import type { Kernels } from '../../src/kernels/wasm.ts';
import { eaRasterizePolygon } from '../../src/kernels/raster.ts';
import { assemblePng } from './png.ts';

/** An 8-bit greyscale PNG (colour type 0) of `values` (row-major, one byte per pixel); rows use the Sub filter. */
export function encodeGrayPng(values: Uint8Array, width: number, height: number, level = 6): Uint8Array {
  if (values.length !== width * height)
    throw new RangeError(`mask has ${values.length} bytes, expected ${width}x${height}`);
  const raw = new Uint8Array((width + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width + 1);
    const src = y * width;
    raw[row] = 1; // Sub: masks are long runs, which Sub turns into zeros
    raw[row + 1] = values[src];
    for (let x = 1; x < width; x++) raw[row + 1 + x] = (values[src + x] - values[src + x - 1]) & 0xff;
  }
  return assemblePng(width, height, 0, deflateSync(raw, { level }));
}

/** Paints normalised polygons into a class mask, in the order given (later ones cover earlier ones). */
export function paintClassMask(
  kernels: Kernels,
  width: number,
  height: number,
  polygons: readonly { value: number; points: [number, number][] }[],
): Uint8Array {
  const mask = new Uint8Array(width * height);
  for (const { value, points } of polygons) {
    const filled = eaRasterizePolygon(kernels, points, width, height);
    for (let i = 0; i < filled.length; i++) if (filled[i]) mask[i] = value;
  }
  return mask;
}
