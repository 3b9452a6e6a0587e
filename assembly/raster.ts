// Polygon rasterisation as Encord Active v0.1.40 does it: OpenCV's cv2.fillPoly(mask, contours, 1) with the
// default 8-connected lines and shift 0, on integer vertices. Re-derived from how OpenCV 4.6 fills polygons
// (outline drawn with clipped Bresenham lines; interior by an even-odd scanline over edges in 16.16 fixed point,
// edge rows half-open [y0, y1)) and checked pixel for pixel against cv2 4.6 (test/fixtures/fillpoly.json).
//
// Masks are row-major bytes. Drawing goes into a window [winX, winX+winW) x [winY, winY+winH) of the image so that
// per-polygon work only touches the polygon's bounding box; pixels outside the window are not written.

const SHIFT: i64 = 16;
const ONE: i64 = 1 << 16;

// Clipped endpoints of the last clipSegment call (int64, like OpenCV's Point2l).
let cx1: i64 = 0, cy1: i64 = 0, cx2: i64 = 0, cy2: i64 = 0;

/**
 * Clips the segment to [0, w-1] x [0, h-1] the way OpenCV's clipLine does (Cohen-Sutherland with integer division
 * truncated toward zero, y edges first, then x edges; the second endpoint uses the first one's clipped value).
 * Leaves the (possibly partly moved) endpoints in cx1..cy2 and returns whether anything is inside.
 */
function clipSegment(x1: i64, y1: i64, x2: i64, y2: i64, w: i64, h: i64): bool {
  cx1 = x1; cy1 = y1; cx2 = x2; cy2 = y2;
  if (w <= 0 || h <= 0) return false;
  const right = w - 1, bottom = h - 1;
  let c1 = <i32>(cx1 < 0) + <i32>(cx1 > right) * 2 + <i32>(cy1 < 0) * 4 + <i32>(cy1 > bottom) * 8;
  let c2 = <i32>(cx2 < 0) + <i32>(cx2 > right) * 2 + <i32>(cy2 < 0) * 4 + <i32>(cy2 > bottom) * 8;
  if ((c1 & c2) == 0 && (c1 | c2) != 0) {
    if (c1 & 12) {
      const a: i64 = c1 < 8 ? 0 : bottom;
      cx1 += (a - cy1) * (cx2 - cx1) / (cy2 - cy1);
      cy1 = a;
      c1 = <i32>(cx1 < 0) + <i32>(cx1 > right) * 2;
    }
    if (c2 & 12) {
      const a: i64 = c2 < 8 ? 0 : bottom;
      cx2 += (a - cy2) * (cx2 - cx1) / (cy2 - cy1);
      cy2 = a;
      c2 = <i32>(cx2 < 0) + <i32>(cx2 > right) * 2;
    }
    if ((c1 & c2) == 0 && (c1 | c2) != 0) {
      if (c1) {
        const a: i64 = c1 == 1 ? 0 : right;
        cy1 += (a - cx1) * (cy2 - cy1) / (cx2 - cx1);
        cx1 = a;
        c1 = 0;
      }
      if (c2) {
        const a: i64 = c2 == 1 ? 0 : right;
        cy2 += (a - cx2) * (cy2 - cy1) / (cx2 - cx1);
        cx2 = a;
        c2 = 0;
      }
    }
  }
  return (c1 | c2) == 0;
}

// @ts-ignore: decorator
@inline function plot(out: usize, x: i32, y: i32, winX: i32, winY: i32, winW: i32, winH: i32): void {
  const wx = x - winX, wy = y - winY;
  if (<u32>wx < <u32>winW && <u32>wy < <u32>winH) store<u8>(out + <usize>wy * <usize>winW + <usize>wx, 1);
}

/** An 8-connected Bresenham line from the left end point, after clipping to the image (OpenCV's LineIterator). */
function drawLine(x1: i32, y1: i32, x2: i32, y2: i32, w: i32, h: i32,
  out: usize, winX: i32, winY: i32, winW: i32, winH: i32): void {
  if (<u32>x1 >= <u32>w || <u32>x2 >= <u32>w || <u32>y1 >= <u32>h || <u32>y2 >= <u32>h) {
    if (!clipSegment(x1, y1, x2, y2, w, h)) return;
    x1 = <i32>cx1; y1 = <i32>cy1; x2 = <i32>cx2; y2 = <i32>cy2;
  }
  let dx = x2 - x1, dy = y2 - y1;
  if (dx < 0) {
    dx = -dx; dy = -dy;
    x1 = x2; y1 = y2;
  }
  const stepY = dy < 0 ? -1 : 1;
  if (dy < 0) dy = -dy;
  const vertical = dy > dx;
  const major = vertical ? dy : dx;
  const minor = vertical ? dx : dy;
  let err = major - (minor + minor);
  let x = x1, y = y1;
  for (let i = 0; i <= major; i++) {
    plot(out, x, y, winX, winY, winW, winH);
    const diagonal = err < 0;
    err += diagonal ? (major + major) - (minor + minor) : -(minor + minor);
    if (vertical) {
      y += stepY;
      if (diagonal) x++;
    } else {
      x++;
      if (diagonal) y += stepY;
    }
  }
}

// Edge table: per edge y0 (i32), y1 (i32), x (i64, 16.16 at row y0), dx (i64 per row) = 24 bytes.
const EDGE_BYTES: usize = 24;

/**
 * fillPoly of nContours integer contours into a row-major window of a w x h image (value 1, OR-ed in).
 * ptsPtr: i32 x,y pairs of all contours in order; lensPtr: i32 vertex count per contour.
 */
export function fillPolygons(ptsPtr: usize, lensPtr: usize, nContours: i32, w: i32, h: i32,
  out: usize, winX: i32, winY: i32, winW: i32, winH: i32): void {
  let totalPts: usize = 0;
  for (let c = 0; c < nContours; c++) totalPts += <usize>load<i32>(lensPtr + (<usize>c << 2));
  const edges = heap.alloc((totalPts + 1) * EDGE_BYTES);
  let ne: usize = 0;
  let base = ptsPtr;
  for (let c = 0; c < nContours; c++) {
    const n = load<i32>(lensPtr + (<usize>c << 2));
    if (n <= 0) continue;
    let px = load<i32>(base + (<usize>(n - 1) << 3)), py = load<i32>(base + (<usize>(n - 1) << 3) + 4);
    for (let i = 0; i < n; i++) {
      const qx = load<i32>(base + (<usize>i << 3)), qy = load<i32>(base + (<usize>i << 3) + 4);
      drawLine(px, py, qx, qy, w, h, out, winX, winY, winW, winH);
      // The edge keeps its unclipped end points, as in OpenCV 4.6 (newer OpenCV re-derives it from the clipped line,
      // which fills differently when a vertex lies outside the image).
      if (py != qy) {
        const e = edges + ne * EDGE_BYTES;
        const dx = ((<i64>qx - <i64>px) << SHIFT) / (<i64>qy - <i64>py);
        if (py < qy) {
          store<i32>(e, py); store<i32>(e, qy, 4);
          store<i64>(e, <i64>px << SHIFT, 8);
        } else {
          store<i32>(e, qy); store<i32>(e, py, 4);
          store<i64>(e, <i64>qx << SHIFT, 8);
        }
        store<i64>(e, dx, 16);
        ne++;
      }
      px = qx; py = qy;
    }
    base += <usize>n << 3;
  }
  if (ne >= 2) scanFill(edges, ne, w, h, out, winX, winY, winW, winH);
  heap.free(edges);
}

/** Even-odd scanline fill over the edge table: rows [y0, y1) of each edge, spans [ceil(xa), floor(xb)]. */
function scanFill(edges: usize, ne: usize, w: i32, h: i32, out: usize, winX: i32, winY: i32, winW: i32, winH: i32): void {
  let yMin = i32.MAX_VALUE, yMax = i32.MIN_VALUE;
  let xMin = i64.MAX_VALUE, xMax = i64.MIN_VALUE;
  for (let i: usize = 0; i < ne; i++) {
    const e = edges + i * EDGE_BYTES;
    const y0 = load<i32>(e), y1 = load<i32>(e, 4);
    const x0 = load<i64>(e, 8), x1 = x0 + <i64>(y1 - y0) * load<i64>(e, 16);
    if (y0 < yMin) yMin = y0;
    if (y1 > yMax) yMax = y1;
    if (x0 < xMin) xMin = x0;
    if (x0 > xMax) xMax = x0;
    if (x1 < xMin) xMin = x1;
    if (x1 > xMax) xMax = x1;
  }
  if (yMax < 0 || yMin >= h || xMax < 0 || xMin >= (<i64>w << SHIFT)) return;
  // Only rows inside both the image and the window can change a pixel.
  let yStart = yMin > 0 ? yMin : 0;
  if (yStart < winY) yStart = winY;
  let yEnd = yMax < h ? yMax : h;
  if (yEnd > winY + winH) yEnd = winY + winH;
  if (yStart >= yEnd) return;
  // Active edge table: edges enter in order of y0 and leave at y1; the active list stays ordered by x from one
  // row to the next, so the insertion sort per row is nearly linear.
  const order = heap.alloc(ne << 2);
  for (let i: usize = 0; i < ne; i++) store<i32>(order + (i << 2), <i32>i);
  sortEdgesByY0(edges, order, <i32>ne);
  const active = heap.alloc(ne << 2);
  const xs = heap.alloc(ne << 3);
  let nActive: usize = 0;
  let next: usize = 0;
  for (let y = yStart; y < yEnd; y++) {
    while (next < ne) {
      const idx = <usize>load<i32>(order + (next << 2));
      if (load<i32>(edges + idx * EDGE_BYTES) > y) break;
      store<i32>(active + (nActive << 2), <i32>idx);
      nActive++;
      next++;
    }
    let n: usize = 0;
    for (let a: usize = 0; a < nActive; a++) {
      const idx = load<i32>(active + (a << 2));
      const e = edges + <usize>idx * EDGE_BYTES;
      if (load<i32>(e, 4) <= y) continue;
      const x = load<i64>(e, 8) + <i64>(y - load<i32>(e)) * load<i64>(e, 16);
      let j = n;
      while (j > 0 && load<i64>(xs + ((j - 1) << 3)) > x) {
        store<i64>(xs + (j << 3), load<i64>(xs + ((j - 1) << 3)));
        store<i32>(active + (j << 2), load<i32>(active + ((j - 1) << 2)));
        j--;
      }
      store<i64>(xs + (j << 3), x);
      store<i32>(active + (j << 2), idx);
      n++;
    }
    nActive = n;
    const row = out + <usize>(y - winY) * <usize>winW;
    for (let j: usize = 0; j + 1 < n; j += 2) {
      let x1 = <i32>((load<i64>(xs + (j << 3)) + ONE - 1) >> SHIFT);
      let x2 = <i32>(load<i64>(xs + ((j + 1) << 3)) >> SHIFT);
      if (x1 >= w || x2 < 0) continue;
      if (x1 < 0) x1 = 0;
      if (x2 >= w) x2 = w - 1;
      if (x1 < winX) x1 = winX;
      if (x2 >= winX + winW) x2 = winX + winW - 1;
      if (x1 <= x2) memory.fill(row + <usize>(x1 - winX), 1, <usize>(x2 - x1 + 1));
    }
  }
  heap.free(xs);
  heap.free(active);
  heap.free(order);
}

/** Heapsort of edge indices by their y0. */
function sortEdgesByY0(edges: usize, order: usize, n: i32): void {
  for (let start = (n >> 1) - 1; start >= 0; start--) siftEdge(edges, order, start, n);
  for (let end = n - 1; end > 0; end--) {
    const top = load<i32>(order);
    store<i32>(order, load<i32>(order + (<usize>end << 2)));
    store<i32>(order + (<usize>end << 2), top);
    siftEdge(edges, order, 0, end);
  }
}

// @ts-ignore: decorator
@inline function edgeY0(edges: usize, order: usize, i: i32): i32 {
  return load<i32>(edges + <usize>load<i32>(order + (<usize>i << 2)) * EDGE_BYTES);
}

function siftEdge(edges: usize, order: usize, root: i32, n: i32): void {
  const v = load<i32>(order + (<usize>root << 2));
  const key = load<i32>(edges + <usize>v * EDGE_BYTES);
  let i = root;
  while (true) {
    let child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && edgeY0(edges, order, child + 1) > edgeY0(edges, order, child)) child++;
    if (edgeY0(edges, order, child) <= key) break;
    store<i32>(order + (<usize>i << 2), load<i32>(order + (<usize>child << 2)));
    i = child;
  }
  store<i32>(order + (<usize>i << 2), v);
}

/** Number of non-zero bytes in [ptr, ptr+len). */
export function countNonZero(ptr: usize, len: usize): u32 {
  let n: u32 = 0;
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const zero = i8x16.splat(0);
    for (; i + 16 <= len; i += 16) n += <u32>popcnt(i8x16.bitmask(i8x16.ne(v128.load(ptr + i), zero)));
  }
  for (; i < len; i++) if (load<u8>(ptr + i) != 0) n++;
  return n;
}

/** |A and B| / |A or B| of two byte masks of len pixels (non-zero = set), in f64; 0 when the union is empty. */
export function maskIou(aPtr: usize, bPtr: usize, len: usize): f64 {
  let inter: u64 = 0, uni: u64 = 0;
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const zero = i8x16.splat(0);
    for (; i + 16 <= len; i += 16) {
      const a = i8x16.ne(v128.load(aPtr + i), zero);
      const b = i8x16.ne(v128.load(bPtr + i), zero);
      inter += <u64>popcnt(i8x16.bitmask(v128.and(a, b)));
      uni += <u64>popcnt(i8x16.bitmask(v128.or(a, b)));
    }
  }
  for (; i < len; i++) {
    const a = load<u8>(aPtr + i) != 0, b = load<u8>(bPtr + i) != 0;
    if (a && b) inter++;
    if (a || b) uni++;
  }
  return uni == 0 ? 0 : <f64>inter / <f64>uni;
}

/**
 * Pixel count of each shape rasterised on its own w x h image. shapesPtr: i32 contour count per shape; the
 * contours follow each other in lensPtr/ptsPtr as for fillPolygons. Writes nShapes u32 to outPtr.
 * Each shape is drawn into a scratch window of its clipped bounding box, so the cost follows the shape's size.
 */
export function countPolygonPixels(ptsPtr: usize, lensPtr: usize, shapesPtr: usize, nShapes: i32, w: i32, h: i32,
  outPtr: usize): void {
  let pts = ptsPtr, lens = lensPtr;
  let scratch: usize = 0, scratchCap: usize = 0;
  for (let s = 0; s < nShapes; s++) {
    const nc = load<i32>(shapesPtr + (<usize>s << 2));
    let minX = i32.MAX_VALUE, minY = i32.MAX_VALUE, maxX = i32.MIN_VALUE, maxY = i32.MIN_VALUE;
    let nPts: usize = 0;
    for (let c = 0; c < nc; c++) nPts += <usize>load<i32>(lens + (<usize>c << 2));
    for (let i: usize = 0; i < nPts; i++) {
      const x = load<i32>(pts + (i << 3)), y = load<i32>(pts + (i << 3) + 4);
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    let count: u32 = 0;
    const x0 = minX > 0 ? minX : 0, y0 = minY > 0 ? minY : 0;
    const x1 = maxX < w - 1 ? maxX : w - 1, y1 = maxY < h - 1 ? maxY : h - 1;
    if (nPts > 0 && x0 <= x1 && y0 <= y1) {
      const ww = x1 - x0 + 1, hh = y1 - y0 + 1;
      const bytes = <usize>ww * <usize>hh;
      if (bytes > scratchCap) {
        if (scratch != 0) heap.free(scratch);
        scratch = heap.alloc(bytes);
        scratchCap = bytes;
      }
      memory.fill(scratch, 0, bytes);
      fillPolygons(pts, lens, nc, w, h, scratch, x0, y0, ww, hh);
      count = countNonZero(scratch, bytes);
    }
    store<u32>(outPtr + (<usize>s << 2), count);
    pts += nPts << 3;
    lens += <usize>nc << 2;
  }
  if (scratch != 0) heap.free(scratch);
}
