// Object geometry as Encord Active's metrics see it (its get_object_coordinates / get_polygon / get_iou):
// boxes become their 4 corners (rotatable boxes ignore theta), polygons their vertices; a polygon with fewer than
// 3 points or one that crosses itself is "invalid" and scores 0 where areas or overlaps are needed.
import polygonClipping, { type MultiPolygon, type Ring } from 'polygon-clipping';
import { rleFromCoco, rleToBbox } from '../../kernels/rle.ts';
import type { Box, LabelGeometry, Points } from '../model.ts';

/** A dataset mask label's bounding box, normalised (EA has no masks; they are measured as their boxes). */
function maskBox(geometry: Extract<LabelGeometry, { kind: 'mask' }>): Box {
  try {
    const rle = rleFromCoco(geometry.mask);
    const [x, y, w, h] = rleToBbox(rle);
    return { x: x / rle.w, y: y / rle.h, w: w / rle.w, h: h / rle.h };
  } catch {
    return { x: 0, y: 0, w: 0, h: 0 };
  }
}

/** The vertices EA reads for an object of any shape, normalised (boxes: 4 corners, clockwise on screen). */
export function objectVertices(geometry: LabelGeometry): Points {
  if (geometry.kind === 'box' || geometry.kind === 'rotatable_box' || geometry.kind === 'mask') {
    const { x, y, w, h } = geometry.kind === 'mask' ? maskBox(geometry) : geometry.box;
    return [
      [x, y],
      [x + w, y],
      [x + w, y + h],
      [x, y + h],
    ];
  }
  return geometry.points;
}

/**
 * Whether EA treats the shape as an area (boxes and polygons), for area, density and duplicate metrics. A dataset's
 * mask label counts as its box.
 */
export function isAreaShape(geometry: LabelGeometry): boolean {
  return (
    geometry.kind === 'box' ||
    geometry.kind === 'rotatable_box' ||
    geometry.kind === 'polygon' ||
    geometry.kind === 'mask'
  );
}

/** The polygon EA's get_polygon returns: null for fewer than 3 points or a self-crossing ring (not is_simple). */
export function simplePolygon(geometry: LabelGeometry): Points | null {
  if (!isAreaShape(geometry)) return null;
  const points = objectVertices(geometry);
  if (points.length < 3) return null;
  return isSimpleRing(points) ? points : null;
}

/** |shoelace area| of a closed ring. */
export function ringArea(points: Points): number {
  let twice = 0;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    twice += points[j][0] * points[i][1] - points[i][0] * points[j][1];
  }
  return Math.abs(twice) / 2;
}

function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  const v = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

function onSegment(ax: number, ay: number, bx: number, by: number, px: number, py: number): boolean {
  return Math.min(ax, bx) <= px && px <= Math.max(ax, bx) && Math.min(ay, by) <= py && py <= Math.max(ay, by);
}

function segmentsTouch(a: [number, number], b: [number, number], c: [number, number], d: [number, number]): boolean {
  const o1 = orient(a[0], a[1], b[0], b[1], c[0], c[1]);
  const o2 = orient(a[0], a[1], b[0], b[1], d[0], d[1]);
  const o3 = orient(c[0], c[1], d[0], d[1], a[0], a[1]);
  const o4 = orient(c[0], c[1], d[0], d[1], b[0], b[1]);
  if (o1 !== o2 && o3 !== o4) return true;
  if (o1 === 0 && onSegment(a[0], a[1], b[0], b[1], c[0], c[1])) return true;
  if (o2 === 0 && onSegment(a[0], a[1], b[0], b[1], d[0], d[1])) return true;
  if (o3 === 0 && onSegment(c[0], c[1], d[0], d[1], a[0], a[1])) return true;
  if (o4 === 0 && onSegment(c[0], c[1], d[0], d[1], b[0], b[1])) return true;
  return false;
}

/**
 * Shapely's is_simple for a ring: no two non-adjacent edges meet, and adjacent edges meet only at their shared
 * vertex. Repeated consecutive vertices are dropped first, as GEOS does. O(n^2): label polygons are small.
 */
export function isSimpleRing(input: Points): boolean {
  const points: Points = [];
  for (const p of input) {
    const last = points[points.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) points.push(p);
  }
  if (
    points.length > 1 &&
    points[0][0] === points[points.length - 1][0] &&
    points[0][1] === points[points.length - 1][1]
  ) {
    points.pop();
  }
  const n = points.length;
  if (n < 3) return false;
  for (let i = 0; i < n; i++) {
    const a = points[i];
    const b = points[(i + 1) % n];
    for (let j = i + 1; j < n; j++) {
      const c = points[j];
      const d = points[(j + 1) % n];
      const adjacent = j === i + 1 || (i === 0 && j === n - 1);
      if (adjacent) {
        // Adjacent edges overlap only if they fold back onto each other (collinear and pointing back).
        const shared = j === i + 1 ? b : a;
        const p = j === i + 1 ? a : b;
        const q = j === i + 1 ? d : c;
        if (orient(p[0], p[1], shared[0], shared[1], q[0], q[1]) === 0) {
          const dot = (p[0] - shared[0]) * (q[0] - shared[0]) + (p[1] - shared[1]) * (q[1] - shared[1]);
          if (dot > 0) return false;
        }
        continue;
      }
      if (segmentsTouch(a, b, c, d)) return false;
    }
  }
  return true;
}

function asGeom(points: Points): [Ring] {
  return [points.map(([x, y]) => [x, y] as [number, number])];
}

export function multiPolygonArea(mp: MultiPolygon): number {
  let area = 0;
  for (const polygon of mp) {
    polygon.forEach((ring, i) => {
      const a = ringArea(ring as Points);
      area += i === 0 ? a : -a;
    });
  }
  return area;
}

/** EA's get_iou: intersection area over union area of two valid polygons; 0 when it cannot be computed. */
export function polygonIou(a: Points, b: Points): number {
  try {
    const inter = multiPolygonArea(polygonClipping.intersection(asGeom(a), asGeom(b)));
    if (inter === 0) return 0;
    const union = multiPolygonArea(polygonClipping.union(asGeom(a), asGeom(b)));
    return union > 0 ? inter / union : 0;
  } catch {
    return 0;
  }
}

/** Area of the union of polygons (shapely's unary_union(...).area). */
export function unionArea(polygons: Points[]): number {
  if (polygons.length === 0) return 0;
  if (polygons.length === 1) return ringArea(polygons[0]);
  try {
    const [first, ...rest] = polygons.map(asGeom);
    return multiPolygonArea(polygonClipping.union(first, ...rest));
  } catch {
    return 0;
  }
}
