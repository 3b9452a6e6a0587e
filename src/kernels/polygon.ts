// Polygon utilities: pixel <-> relative coordinates, shoelace area, orientation, bounding box, validation with
// reasons, and Douglas-Peucker simplification with a pixel tolerance.
//
// Plain TypeScript on purpose (no wasm): each function is one pass over a few hundred vertices at most, held as
// JS arrays of [x, y] pairs; copying them into linear memory would cost more than the work itself.
import type { Points } from './geometry-types.ts';

/** Normalised [0, 1] coordinates -> pixels (x * width, y * height). */
export function toPixels(points: Points, width: number, height: number): Points {
  return points.map(([x, y]) => [x * width, y * height]);
}

/** Pixels -> normalised coordinates (x / width, y / height). */
export function toRelative(points: Points, width: number, height: number): Points {
  return points.map(([x, y]) => [x / width, y / height]);
}

/**
 * Shoelace sum / 2 over the closed ring (the last point joins the first). In image coordinates (y down) it is
 * positive when the polygon runs clockwise on screen.
 */
export function signedArea(points: Points): number {
  const n = points.length;
  if (n < 3) return 0;
  let twice = 0;
  for (let i = 0; i < n; i++) {
    const [x0, y0] = points[i];
    const [x1, y1] = points[(i + 1) % n];
    twice += x0 * y1 - x1 * y0;
  }
  return twice / 2;
}

/** The enclosed area (absolute shoelace area), in the units of the coordinates squared. */
export function polygonArea(points: Points): number {
  return Math.abs(signedArea(points));
}

export type Orientation = 'clockwise' | 'counterclockwise' | 'degenerate';

/** Winding as seen on screen (image coordinates, y pointing down). */
export function orientation(points: Points): Orientation {
  const a = signedArea(points);
  return a > 0 ? 'clockwise' : a < 0 ? 'counterclockwise' : 'degenerate';
}

export interface Bounds {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** Smallest and largest x and y; undefined for an empty list. */
export function polygonBounds(points: Points): Bounds | undefined {
  if (points.length === 0) return undefined;
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity;
  for (const [x, y] of points) {
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return { minX, minY, maxX, maxY };
}

export type PolygonProblemKind = 'not_finite' | 'too_few_points' | 'outside_image' | 'zero_area';

export interface PolygonProblem {
  kind: PolygonProblemKind;
  /** What is wrong, for people: names the point and its value where there is one. */
  message: string;
  /** The offending point, when one point is to blame. */
  index?: number;
}

export interface ValidateOptions {
  /** The extent of valid coordinates: 1 x 1 for normalised points (default), or the image's width x height. */
  width?: number;
  height?: number;
  /** How far outside [0, width] x [0, height] a point may lie (same units). Default 0. */
  tolerance?: number;
}

/** Every reason the polygon is unusable; an empty list means it is fine. */
export function validatePolygon(points: Points, options: ValidateOptions = {}): PolygonProblem[] {
  const { width = 1, height = 1, tolerance = 0 } = options;
  const problems: PolygonProblem[] = [];
  let finite = true;
  points.forEach(([x, y], index) => {
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      finite = false;
      problems.push({ kind: 'not_finite', index, message: `point ${index} is (${x}, ${y}), not a finite number pair` });
    } else if (x < -tolerance || y < -tolerance || x > width + tolerance || y > height + tolerance) {
      problems.push({
        kind: 'outside_image',
        index,
        message: `point ${index} (${x}, ${y}) lies outside [0, ${width}] x [0, ${height}] by more than ${tolerance}`,
      });
    }
  });
  const distinct = new Set(points.map(([x, y]) => `${x},${y}`)).size;
  if (distinct < 3) {
    problems.push({
      kind: 'too_few_points',
      message: `a polygon needs at least 3 distinct points, this one has ${distinct}`,
    });
  } else if (finite && signedArea(points) === 0) {
    problems.push({ kind: 'zero_area', message: 'the points enclose no area (they are collinear)' });
  }
  return problems;
}

/** Distance from p to the segment a-b. */
function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 === 0 ? 0 : ((px - ax) * dx + (py - ay) * dy) / len2;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/**
 * Douglas-Peucker on the closed ring: keeps the vertices needed so that no dropped vertex lies farther than
 * `tolerancePx` pixels from the simplified outline. Distances are measured in pixels: pass the image size when
 * the points are normalised (the defaults 1, 1 mean the points are pixels already). The result is a subset of the
 * input in the same order, with at least 3 points when the input had them.
 */
export function simplifyPolygon(points: Points, tolerancePx: number, width = 1, height = 1): Points {
  const n = points.length;
  if (n <= 3 || !(tolerancePx >= 0)) return points.slice();
  const xs = points.map((p) => p[0] * width);
  const ys = points.map((p) => p[1] * height);
  // Anchor the ring at vertex 0 and the vertex farthest from it; simplify both chains between them.
  let far = 1;
  let best = -1;
  for (let i = 1; i < n; i++) {
    const d = Math.hypot(xs[i] - xs[0], ys[i] - ys[0]);
    if (d > best) {
      best = d;
      far = i;
    }
  }
  const keep = new Uint8Array(n);
  keep[0] = 1;
  keep[far] = 1;
  const stack: [number, number][] = [
    [0, far],
    [far, n],
  ]; // index n stands for vertex 0 closing the ring
  while (stack.length) {
    const [a, b] = stack.pop()!;
    const ax = xs[a % n],
      ay = ys[a % n],
      bx = xs[b % n],
      by = ys[b % n];
    let worst = -1;
    let at = -1;
    for (let i = a + 1; i < b; i++) {
      const d = segmentDistance(xs[i], ys[i], ax, ay, bx, by);
      if (d > worst) {
        worst = d;
        at = i;
      }
    }
    if (at >= 0 && worst > tolerancePx) {
      keep[at] = 1;
      stack.push([a, at], [at, b]);
    }
  }
  let out = points.filter((_, i) => keep[i]);
  if (out.length < 3) out = ensureThree(points, xs, ys, keep, far);
  return out;
}

/** A ring cut down to 2 anchors keeps the vertex farthest from the line between them, so it stays a polygon. */
function ensureThree(points: Points, xs: number[], ys: number[], keep: Uint8Array, far: number): Points {
  let at = -1;
  let worst = -1;
  for (let i = 1; i < points.length; i++) {
    if (keep[i]) continue;
    const d = segmentDistance(xs[i], ys[i], xs[0], ys[0], xs[far], ys[far]);
    if (d > worst) {
      worst = d;
      at = i;
    }
  }
  if (at >= 0) keep[at] = 1;
  return points.filter((_, i) => keep[i]);
}
