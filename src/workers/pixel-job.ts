// Labelled pixels per class: the page packs every area label (boxes, rotatable boxes, polygons) into two typed
// arrays that transfer to a worker without copying; the worker rasterises them with EA's polygon fill.
import type { LabelObject, Project } from '../core/model.ts';
import type { Kernels } from '../kernels/wasm.ts';
import { countPolygonPixels, type PixelShape } from '../kernels/raster.ts';

/** Int32 fields per shape in PixelJob.shapes. */
export const SHAPE_STRIDE = 6;
const F_GROUP = 0;
const F_CLASS = 1;
const F_WIDTH = 2;
const F_HEIGHT = 3;
const F_FIRST = 4;
const F_COUNT = 5;

export interface PixelJob {
  classCount: number;
  /** Per shape: frame group (one labelled frame), class index, width, height, first vertex, vertex count. */
  shapes: Int32Array;
  /** x, y per vertex, normalised to the data unit's width and height. */
  points: Float64Array;
}

export interface PackedProject {
  job: PixelJob;
  /** Class index -> featureHash: the ontology's objects in order, then any label class the ontology lacks. */
  classes: string[];
}

/** The corners of an area label, normalised; undefined for labels without an area (points, polylines). */
export function areaOutline(object: LabelObject, width: number, height: number): [number, number][] | undefined {
  const g = object.geometry;
  switch (g.kind) {
    case 'polygon':
      return g.points;
    case 'box': {
      const { x, y, w, h } = g.box;
      return [
        [x, y],
        [x + w, y],
        [x + w, y + h],
        [x, y + h],
      ];
    }
    case 'rotatable_box': {
      // theta turns the box about its centre; rotate in pixels so a non-square image keeps right angles.
      const { x, y, w, h, theta = 0 } = g.box;
      const cx = (x + w / 2) * width;
      const cy = (y + h / 2) * height;
      const rad = (theta * Math.PI) / 180;
      const cos = Math.cos(rad);
      const sin = Math.sin(rad);
      const hw = (w * width) / 2;
      const hh = (h * height) / 2;
      return [
        [-hw, -hh],
        [hw, -hh],
        [hw, hh],
        [-hw, hh],
      ].map(([dx, dy]) => [(cx + dx * cos - dy * sin) / width, (cy + dx * sin + dy * cos) / height]);
    }
    default:
      return undefined;
  }
}

export function packLabelledShapes(project: Project): PackedProject {
  const classes = project.ontology.objects.map((o) => o.featureNodeHash);
  const classIndex = new Map(classes.map((hash, i) => [hash, i]));
  const shapes: number[] = [];
  const points: number[] = [];
  let group = 0;
  for (const unit of project.dataUnits) {
    for (const frame of unit.frames) {
      let used = false;
      for (const object of frame.objects) {
        const outline = areaOutline(object, unit.width, unit.height);
        if (!outline || unit.width <= 0 || unit.height <= 0) continue;
        let index = classIndex.get(object.featureHash);
        if (index === undefined) {
          index = classes.push(object.featureHash) - 1;
          classIndex.set(object.featureHash, index);
        }
        shapes.push(group, index, unit.width, unit.height, points.length / 2, outline.length);
        for (const [x, y] of outline) points.push(x, y);
        used = true;
      }
      if (used) group++;
    }
  }
  return {
    job: { classCount: classes.length, shapes: Int32Array.from(shapes), points: Float64Array.from(points) },
    classes,
  };
}

/** Splits a job into at most `parts` jobs of about equal vertex counts, never splitting a frame. */
export function splitJob(job: PixelJob, parts: number): PixelJob[] {
  const n = job.shapes.length / SHAPE_STRIDE;
  if (parts <= 1 || n === 0) return [job];
  const target = job.points.length / 2 / parts;
  const out: PixelJob[] = [];
  let start = 0;
  for (let i = 1; i <= n; i++) {
    const atEnd = i === n;
    const frameEnds = atEnd || job.shapes[i * SHAPE_STRIDE + F_GROUP] !== job.shapes[(i - 1) * SHAPE_STRIDE + F_GROUP];
    const firstVertex = job.shapes[start * SHAPE_STRIDE + F_FIRST];
    const endVertex = atEnd ? job.points.length / 2 : job.shapes[i * SHAPE_STRIDE + F_FIRST];
    if (atEnd || (frameEnds && endVertex - firstVertex >= target && out.length < parts - 1)) {
      const shapes = job.shapes.slice(start * SHAPE_STRIDE, i * SHAPE_STRIDE);
      for (let s = 0; s < shapes.length; s += SHAPE_STRIDE) shapes[s + F_FIRST] -= firstVertex;
      out.push({ classCount: job.classCount, shapes, points: job.points.slice(firstVertex * 2, endVertex * 2) });
      start = i;
    }
  }
  return out;
}

/** Sums per-class results of the parts of a split job. */
export function sumPixels(results: Float64Array[], classCount: number): Float64Array {
  const total = new Float64Array(classCount);
  for (const r of results) for (let c = 0; c < classCount; c++) total[c] += r[c];
  return total;
}

/**
 * Worker side: pixels per class, each label rasterised on its own as EA does (vertices truncated to pixels, then
 * OpenCV's fillPoly), so overlapping labels each count their pixels. One kernel call per labelled frame.
 */
export function countLabelledPixels(kernels: Kernels, job: PixelJob): Float64Array {
  const out = new Float64Array(job.classCount);
  const n = job.shapes.length / SHAPE_STRIDE;
  let start = 0;
  while (start < n) {
    const group = job.shapes[start * SHAPE_STRIDE + F_GROUP];
    let end = start + 1;
    while (end < n && job.shapes[end * SHAPE_STRIDE + F_GROUP] === group) end++;
    const width = job.shapes[start * SHAPE_STRIDE + F_WIDTH];
    const height = job.shapes[start * SHAPE_STRIDE + F_HEIGHT];
    const shapes: PixelShape[] = [];
    for (let i = start; i < end; i++) {
      const s = i * SHAPE_STRIDE;
      const first = job.shapes[s + F_FIRST];
      const count = job.shapes[s + F_COUNT];
      const vertices = new Int32Array(count * 2);
      for (let v = 0; v < count; v++) {
        // numpy's (points * [W, H]).astype(int): multiply in float64, truncate toward zero.
        vertices[v * 2] = Math.trunc(job.points[(first + v) * 2] * width);
        vertices[v * 2 + 1] = Math.trunc(job.points[(first + v) * 2 + 1] * height);
      }
      shapes.push({ kind: 'pixels', contours: [vertices] });
    }
    const counts = countPolygonPixels(kernels, shapes, width, height);
    for (let i = start; i < end; i++) out[job.shapes[i * SHAPE_STRIDE + F_CLASS]] += counts[i - start];
    start = end;
  }
  return out;
}
