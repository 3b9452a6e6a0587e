// Whole-image statistics (assembly/image.ts) for the image quality metrics.
import type { Kernels } from './wasm.ts';

export interface ImageStats {
  /** Sum and sum of squares of every R, G and B value. */
  sum: number;
  sumSq: number;
  /** Sum and sum of squares of the 3x3 Laplacian over every pixel and channel (reflect-101 borders). */
  laplacianSum: number;
  laplacianSumSq: number;
  /** Pixels inside OpenCV's 8-bit HSV ranges for red, green and blue. */
  red: number;
  green: number;
  blue: number;
  pixels: number;
}

/** `rgba` holds width*height RGBA pixels, row-major; alpha is ignored. */
export function imageStats(
  kernels: Kernels,
  rgba: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
): ImageStats {
  if (rgba.length < width * height * 4) {
    throw new Error(`imageStats: ${rgba.length} bytes is less than ${width}x${height} RGBA pixels`);
  }
  const input = kernels.copyIn('image.rgba', rgba.subarray(0, width * height * 4));
  const out = kernels.slot('image.stats', 64);
  kernels.fn<(p: number, w: number, h: number, o: number) => void>('imageStats')(input, width, height, out);
  const [sum, sumSq, laplacianSum, laplacianSumSq, red, green, blue, pixels] = kernels.f64(out, 8);
  return { sum, sumSq, laplacianSum, laplacianSumSq, red, green, blue, pixels };
}
