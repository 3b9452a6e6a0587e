// The quality metrics predlens computes, keyed like Encord Active's metric files (the file name without its hash
// prefix: title lower-cased, spaces to underscores), so values line up with EA's CSVs.

export type MetricLevel = 'image' | 'frame' | 'object';

export interface MetricInfo {
  key: string;
  title: string;
  level: MetricLevel;
  description: string;
  /** Where predlens differs from Encord Active v0.1.40, said plainly. */
  deviation?: string;
}

const metric = (title: string, level: MetricLevel, description: string, deviation?: string): MetricInfo => ({
  key: title.toLowerCase().replaceAll(' ', '_'),
  title,
  level,
  description,
  deviation,
});

export const IMAGE_METRICS: MetricInfo[] = [
  metric('Brightness', 'image', 'Mean of all RGB channel values, divided by 255.'),
  metric('Contrast', 'image', 'Population standard deviation of all RGB channel values, divided by 255.'),
  metric(
    'Sharpness',
    'image',
    'Variance of the 3x3 Laplacian over every pixel and channel (OpenCV, reflect-101 borders).',
  ),
  metric('Blur', 'image', '1 - sharpness.'),
  metric(
    'Red Values',
    'image',
    'Share of pixels whose OpenCV HSV value has hue in [0,10] or [170,179], saturation >= 50 and value >= 20.',
    'Encord Active 0.1.40 converted to RGB instead of HSV and applied these bounds to R, G and B; predlens uses HSV.',
  ),
  metric(
    'Green Values',
    'image',
    'Share of pixels whose OpenCV HSV value has hue in [35,75], saturation >= 50 and value >= 20.',
    'Encord Active 0.1.40 applied the HSV bounds to RGB values; predlens uses HSV.',
  ),
  metric(
    'Blue Values',
    'image',
    'Share of pixels whose OpenCV HSV value has hue in [90,130], saturation >= 50 and value >= 20.',
    'Encord Active 0.1.40 applied the HSV bounds to RGB values; predlens uses HSV.',
  ),
  metric('Aspect Ratio', 'image', 'Width / height of the data unit.'),
  metric('Area', 'image', 'Width x height of the data unit, in pixels.'),
];

export const FRAME_METRICS: MetricInfo[] = [
  metric('Object Count', 'frame', 'Number of objects in the frame (every shape).'),
  metric('Frame object density', 'frame', 'Percentage of the frame covered by the union of its boxes and polygons.'),
];

export const OBJECT_METRICS: MetricInfo[] = [
  metric(
    'Annotation closeness to image borders',
    'object',
    'max(1 - min x, 1 - min y, max x, max y) over the vertices: about 0.5 in the centre, 1 at a border.',
  ),
  metric('Object Area - Relative', 'object', '100 x the area of the (valid) polygon or box, relative to the image.'),
  metric('Object Area - Absolute', 'object', 'The relative area times width x height, truncated to whole pixels.'),
  metric('Object Aspect Ratio', 'object', 'Width / height of the bounding rectangle of the integer pixel vertices.'),
  metric(
    'Annotation Duplicates',
    'object',
    'The largest IoU with another object of the same class in the frame (>= 0.6: possible duplicates).',
  ),
  metric(
    'Shape outlier detection',
    'object',
    "1 / distance of the polygon's z-scored Hu moments to its class centroid (polygons only).",
  ),
  metric(
    'Polygon Shape Similarity',
    'object',
    'Cosine similarity of Hu moments to the running average of the same object in earlier frames (1 at first sight).',
  ),
];

/** Metrics that only predictions have. */
export const PREDICTION_METRICS: MetricInfo[] = [
  metric('Model Confidence', 'object', "The prediction's confidence."),
  metric('IOU', 'object', 'IoU with the best-matching label of the same class on the same frame (0 if none).'),
];

export const ALL_METRICS = [...IMAGE_METRICS, ...FRAME_METRICS, ...OBJECT_METRICS, ...PREDICTION_METRICS];

export function metricInfo(key: string): MetricInfo | undefined {
  return ALL_METRICS.find((m) => m.key === key);
}
