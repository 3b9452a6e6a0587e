// Image metrics from whole-image statistics (src/kernels/image.ts computes them in one pass over the pixels).
import type { ImageStats } from '../../kernels/image.ts';
import type { MetricValues } from './object.ts';

/**
 * Brightness, contrast, sharpness, blur and colour shares of one decoded image, plus aspect ratio and area of the data
 * unit (EA takes width and height from the data unit when it has them, else from the image).
 */
export function imageMetricValues(stats: ImageStats, width: number, height: number): MetricValues {
  const channelValues = stats.pixels * 3;
  const mean = stats.sum / channelValues;
  const variance = Math.max(0, stats.sumSq / channelValues - mean * mean);
  const lapMean = stats.laplacianSum / channelValues;
  const sharpness = Math.max(0, stats.laplacianSumSq / channelValues - lapMean * lapMean);
  return {
    brightness: mean / 255,
    contrast: Math.sqrt(variance) / 255,
    sharpness,
    blur: 1 - sharpness,
    red_values: stats.red / stats.pixels,
    green_values: stats.green / stats.pixels,
    blue_values: stats.blue / stats.pixels,
    aspect_ratio: width / height,
    area: width * height,
  };
}
