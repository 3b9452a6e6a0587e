// Class-index masks as the mask importer reads them: 8-bit greyscale PNGs whose pixel value is a class (0 =
// background). Polygons are filled with EA's rasterisation (the wasm fillPoly kernel), so a mask traced back by
// the importer gives the outlines the simulated model drew.
import { deflateSync } from 'node:zlib';
import type { Kernels } from '../../src/kernels/wasm.ts';
import { eaRasterizePolygon } from '../../src/kernels/raster.ts';
import { crc32 } from './png.ts';

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, (crc32(out.subarray(4, 8 + data.length)) ^ 0xffffffff) >>> 0);
  return out;
}

/** An 8-bit greyscale PNG (colour type 0) of `values` (row-major, one byte per pixel); rows use the Sub filter. */
export function encodeGrayPng(values: Uint8Array, width: number, height: number, level = 6): Uint8Array {
  if (values.length !== width * height) throw new RangeError(`mask has ${values.length} bytes, expected ${width}x${height}`);
  const raw = new Uint8Array((width + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width + 1);
    const src = y * width;
    raw[row] = 1; // Sub: masks are long runs, which Sub turns into zeros
    raw[row + 1] = values[src];
    for (let x = 1; x < width; x++) raw[row + 1 + x] = (values[src + x] - values[src + x - 1]) & 0xff;
  }
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level })),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
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
