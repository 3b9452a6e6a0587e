// The kernel-backed pieces of a MetricsEnvironment, shared by Node (CLI, tests) and the metrics worker.
import type { Kernels } from '../../kernels/wasm.ts';
import { imageStats } from '../../kernels/image.ts';
import { fillPolygon } from '../../kernels/raster.ts';
import { rleDecodeRowMajor, rleFromCoco } from '../../kernels/rle.ts';
import { traceContours, type Contour } from '../../kernels/contours.ts';
import type { Points, Prediction } from '../model.ts';
import { huMomentsOfMask } from './hu.ts';
import type { MetricsEnvironment } from './run.ts';

/** Hu moments of EA's fillPoly(..., 255) of truncated pixel vertices, scanning only the polygon's rows/columns. */
export function huMomentsWithKernels(kernels: Kernels) {
  return (pixelVertices: Int32Array, width: number, height: number): Float64Array => {
    const mask = fillPolygon(kernels, pixelVertices, width, height);
    return huMomentsOfMask(mask, width, height, 255);
  };
}

/** EA's PredictionIterator rule for a mask prediction: the outer contour with the largest contourArea. */
export function largestContourPolygon(kernels: Kernels, prediction: Prediction): Points | null {
  if (prediction.shape.kind !== 'mask') return null;
  const rle = rleFromCoco(prediction.shape.mask);
  const mask = rleDecodeRowMajor(kernels, rle);
  const { classes } = traceContours(kernels, mask, rle.w, rle.h, {});
  let best: Contour | undefined;
  for (const contours of classes.values()) for (const c of contours) if (!best || c.area > best.area) best = c;
  if (!best) return null;
  const points: Points = [];
  for (let i = 0; i < best.points.length; i += 2) points.push([best.points[i] / rle.w, best.points[i + 1] / rle.h]);
  return points;
}

export function kernelMetricsEnvironment(
  kernels: Kernels,
  extra: Pick<MetricsEnvironment, 'loadImage' | 'onProgress' | 'signal'> = {},
): MetricsEnvironment {
  return {
    ...extra,
    imageStats: (img) => imageStats(kernels, img.rgba, img.width, img.height),
    huMomentsOf: huMomentsWithKernels(kernels),
    maskPolygon: (p) => largestContourPolygon(kernels, p),
  };
}
