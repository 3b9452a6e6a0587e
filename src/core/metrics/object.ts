// Per-object and per-frame metrics over the labels or the predictions of a project, as Encord Active computes them
// (spec 6.2). One call handles one source: labels are compared with labels, predictions with predictions.
import type { LabelGeometry, Points } from '../model.ts';
import { eaPixelVertices as pixelVertices } from '../../kernels/raster.ts';
import { isAreaShape, objectVertices, polygonIou, ringArea, simplePolygon, unionArea } from './geometry.ts';

export interface MetricObject {
  /** Label objectHash, or the prediction's index in input order. */
  id: string | number;
  featureHash: string;
  /** Class name, which EA's shape-outlier metric groups by. */
  name: string;
  geometry: LabelGeometry;
}

export interface MetricFrame {
  dataHash: string;
  frame: number;
  width: number;
  height: number;
  objects: MetricObject[];
}

export type MetricValues = Record<string, number>;

export interface ObjectMetricsResult {
  /** Indexed like frames[i].objects[j]. Metrics that do not apply to an object are absent. */
  objects: MetricValues[][];
  frames: MetricValues[];
  /** Pairs with IoU >= 0.6 of the same class in a frame (EA's "Possible duplicates" rows). */
  duplicatePairs: { frame: number; a: string | number; b: string | number; iou: number }[];
}

/** Hu moments of a polygon filled with 255 after truncating its pixel vertices (EA's rasterisation). */
export type HuMomentsOf = (pixelVertices: Int32Array, width: number, height: number) => Float64Array;

const DUPLICATE_IOU = 0.6;

function closenessToBorders(points: Points): number {
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity;
  for (const [x, y] of points) {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  return Math.max(1 - minX, 1 - minY, maxX, maxY);
}

function aspectRatio(polygon: Points, width: number, height: number): number | undefined {
  const px = pixelVertices(polygon, width, height);
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity;
  for (let i = 0; i < px.length; i += 2) {
    minX = Math.min(minX, px[i]);
    maxX = Math.max(maxX, px[i]);
    minY = Math.min(minY, px[i + 1]);
    maxY = Math.max(maxY, px[i + 1]);
  }
  const h = maxY - minY + 1;
  return h === 0 ? undefined : (maxX - minX + 1) / h;
}

function cosine(a: Float64Array, b: Float64Array): number {
  let dot = 0,
    na = 0,
    nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / (Math.sqrt(na) * Math.sqrt(nb));
}

/**
 * Computes every object and frame metric of spec 6.2 for one source. `frames` must be in EA's iteration order
 * (label rows, then frames ascending), which the polygon-shape-similarity running average depends on.
 */
export function objectMetrics(frames: MetricFrame[], huMomentsOf: HuMomentsOf): ObjectMetricsResult {
  const objects: MetricValues[][] = [];
  const frameValues: MetricValues[] = [];
  const duplicatePairs: ObjectMetricsResult['duplicatePairs'] = [];
  const hu: { frame: number; object: number; name: string; moments: Float64Array }[] = [];
  const runningMoments = new Map<string | number, Float64Array>();

  frames.forEach((frame, f) => {
    const polygons = frame.objects.map((o) => simplePolygon(o.geometry));
    const values = frame.objects.map((o, i): MetricValues => {
      const v: MetricValues = {};
      const vertices = objectVertices(o.geometry);
      if (vertices.length > 0) v['annotation_closeness_to_image_borders'] = closenessToBorders(vertices);
      if (!isAreaShape(o.geometry)) return v;
      const polygon = polygons[i];
      const area = polygon ? ringArea(polygon) : 0;
      v['object_area_-_relative'] = 100 * area;
      v['object_area_-_absolute'] = Math.trunc(frame.width * frame.height * area);
      if (polygon) {
        const ar = aspectRatio(polygon, frame.width, frame.height);
        if (ar !== undefined) v['object_aspect_ratio'] = ar;
      }
      let best = 0;
      let match = -1;
      frame.objects.forEach((other, j) => {
        if (j === i || other.featureHash !== o.featureHash || !isAreaShape(other.geometry)) return;
        const iou = polygon && polygons[j] ? polygonIou(polygon, polygons[j]!) : 0;
        if (iou > best) {
          best = iou;
          match = j;
        }
      });
      v['annotation_duplicates'] = best;
      if (best >= DUPLICATE_IOU && match > i) {
        duplicatePairs.push({ frame: f, a: o.id, b: frame.objects[match].id, iou: best });
      }
      if (o.geometry.kind === 'polygon' && o.geometry.points.length > 0) {
        const moments = huMomentsOf(
          pixelVertices(o.geometry.points, frame.width, frame.height),
          frame.width,
          frame.height,
        );
        hu.push({ frame: f, object: i, name: o.name, moments });
        const previous = runningMoments.get(o.id);
        v['polygon_shape_similarity'] = previous ? cosine(previous, moments) : 1;
        runningMoments.set(o.id, previous ? previous.map((p, k) => 0.5 * p + 0.5 * moments[k]) : moments);
      }
      return v;
    });
    objects.push(values);
    const areas = polygons.filter((p, i): p is Points => p !== null && isAreaShape(frame.objects[i].geometry));
    frameValues.push({ object_count: frame.objects.length, frame_object_density: 100 * unionArea(areas) });
  });

  for (const [i, score] of shapeOutlierScores(
    hu.map((h) => h.moments),
    hu.map((h) => h.name),
  ).entries()) {
    objects[hu[i].frame][hu[i].object]['shape_outlier_detection'] = score;
  }
  return { objects, frames: frameValues, duplicatePairs };
}

/**
 * EA's shape outlier score: z-score every Hu dimension over all polygons, measure each polygon's distance to its
 * class centroid (in float32, as EA stores it), replace zero distances by the smallest non-zero one, invert.
 */
export function shapeOutlierScores(moments: Float64Array[], classes: string[]): number[] {
  const n = moments.length;
  if (n === 0) return [];
  const dims = 7;
  const z = moments.map((m) => Float64Array.from(m));
  for (let d = 0; d < dims; d++) {
    let mean = 0;
    for (const m of moments) mean += m[d];
    mean /= n;
    let variance = 0;
    for (const m of moments) variance += (m[d] - mean) ** 2;
    const std = Math.sqrt(variance / n);
    for (const row of z) row[d] = std === 0 ? 0 : (row[d] - mean) / std;
  }
  const distances = new Float32Array(n);
  for (const cls of new Set(classes)) {
    const members = classes.flatMap((c, i) => (c === cls ? [i] : []));
    const centroid = new Float64Array(dims);
    for (const i of members) for (let d = 0; d < dims; d++) centroid[d] += z[i][d] / members.length;
    for (const i of members) {
      let sq = 0;
      for (let d = 0; d < dims; d++) sq += (z[i][d] - centroid[d]) ** 2;
      distances[i] = Math.sqrt(sq);
    }
  }
  let smallest = Infinity;
  for (const d of distances) if (d !== 0 && d < smallest) smallest = d;
  return Array.from(distances, (d) => Math.fround(1 / (d === 0 ? smallest : d)));
}
