// COCO run-length masks, with the exact semantics of pycocotools 2.0.11 (common/maskApi.c of the ppwwyyxx fork).
// The behaviour is re-derived from /work/shared/spec/coco-eval.md ("Mask API details"); no code was copied.
//
// An RLE here is a run of u32 counts over the column-major (Fortran) flattening of an h x w mask. Runs alternate
// background/foreground and always start with a background run, which may be empty. Results whose length is only
// known at the end (encode, polygon, merge) go to the result arena: the kernel returns the number of counts and
// the caller reads them from resultPtr(). Working memory comes from heap.alloc and is freed before returning.
import { arenaReserve } from './arena';

// ------------------------------------------------------------------------------------------------- helpers

// @ts-ignore: decorator
@inline function u32At(base: usize, i: usize): u32 {
  return load<u32>(base + (i << 2));
}
// @ts-ignore: decorator
@inline function setU32(base: usize, i: usize, v: u32): void {
  store<u32>(base + (i << 2), v);
}
// @ts-ignore: decorator
@inline function i32At(base: usize, i: usize): i32 {
  return load<i32>(base + (i << 2));
}
// @ts-ignore: decorator
@inline function setI32(base: usize, i: usize, v: i32): void {
  store<i32>(base + (i << 2), v);
}

/** C's (int) cast of a double as x86 executes it: truncation toward zero, INT_MIN for NaN and overflow. */
// @ts-ignore: decorator
@inline function cTrunc(v: f64): i32 {
  if (!(v > -2147483649.0 && v < 2147483648.0)) return i32.MIN_VALUE;
  return <i32>v;
}

/** Sorts n u32 values in place, ascending (heapsort: no recursion, no extra memory). */
function sortU32(base: usize, n: i32): void {
  if (n < 2) return;
  for (let start = (n >> 1) - 1; start >= 0; start--) siftDown(base, start, n);
  for (let end = n - 1; end > 0; end--) {
    const top = u32At(base, 0);
    setU32(base, 0, u32At(base, end));
    setU32(base, end, top);
    siftDown(base, 0, end);
  }
}

function siftDown(base: usize, root: i32, n: i32): void {
  const v = u32At(base, root);
  let i = root;
  while (true) {
    let child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && u32At(base, child + 1) > u32At(base, child)) child++;
    const c = u32At(base, child);
    if (c <= v) break;
    setU32(base, i, c);
    i = child;
  }
  setU32(base, i, v);
}

// ------------------------------------------------------------------------------------------------- encode

/**
 * Encodes an h x w byte mask; any non-zero byte is foreground.
 * `columnMajor` = 1: the mask is in Fortran order (what pycocotools.mask.encode takes); 0: row-major (C order).
 * Returns the number of counts; the counts are at resultPtr().
 */
export function rleEncode(maskPtr: usize, h: i32, w: i32, columnMajor: i32): i32 {
  const total = <usize>h * <usize>w;
  let cap: usize = 1024;
  let out = arenaReserve(cap << 2, 0);
  let m: usize = 0;
  let run: u32 = 0;
  let fg = false;
  if (columnMajor != 0) {
    let i: usize = 0;
    while (i < total) {
      // Skip 16 pixels at a time while they all continue the current run.
      if (ASC_FEATURE_SIMD) {
        const same = fg ? 0xffff : 0;
        while (i + 16 <= total && i8x16.bitmask(i8x16.ne(v128.load(maskPtr + i), i8x16.splat(0))) == same) {
          run += 16;
          i += 16;
        }
        if (i >= total) break;
      }
      const isFg = load<u8>(maskPtr + i) != 0;
      if (isFg != fg) {
        if (m == cap) {
          out = arenaReserve(cap << 3, cap << 2);
          cap <<= 1;
        }
        setU32(out, m++, run);
        run = 0;
        fg = isFg;
      }
      run++;
      i++;
    }
  } else {
    for (let x: usize = 0; x < <usize>w; x++) {
      let p = maskPtr + x;
      for (let y: usize = 0; y < <usize>h; y++, p += <usize>w) {
        const isFg = load<u8>(p) != 0;
        if (isFg != fg) {
          if (m == cap) {
            out = arenaReserve(cap << 3, cap << 2);
            cap <<= 1;
          }
          setU32(out, m++, run);
          run = 0;
          fg = isFg;
        }
        run++;
      }
    }
  }
  if (m == cap) out = arenaReserve(cap << 3, cap << 2);
  setU32(out, m++, run);
  return <i32>m;
}

// ------------------------------------------------------------------------------------------------- decode

/**
 * Decodes counts into an h x w byte mask of 0/1 (column-major when `columnMajor` = 1, else row-major).
 * Returns 1, or 0 when the runs overflow h*w ("Invalid RLE mask representation" in pycocotools; the mask then
 * holds the pixels up to the overflow). Pixels after the last run are 0.
 */
export function rleDecode(countsPtr: usize, m: i32, h: i32, w: i32, outPtr: usize, columnMajor: i32): i32 {
  const total = <usize>h * <usize>w;
  memory.fill(outPtr, 0, total);
  let pos: usize = 0;
  let ok = 1;
  for (let j = 0; j < m; j++) {
    let len = <usize>u32At(countsPtr, j);
    if (pos + len > total) {
      len = total - pos;
      ok = 0;
    }
    if (j & 1) {
      if (columnMajor != 0) memory.fill(outPtr + pos, 1, len);
      else fillColumnMajorRunRowMajor(outPtr, pos, len, h, w);
    }
    pos += len;
    if (ok == 0) break;
  }
  return ok;
}

function fillColumnMajorRunRowMajor(outPtr: usize, start: usize, len: usize, h: i32, w: i32): void {
  const hh = <usize>h;
  const ww = <usize>w;
  let x = start / hh;
  let y = start % hh;
  let left = len;
  while (left > 0) {
    let p = outPtr + y * ww + x;
    let n = hh - y;
    if (n > left) n = left;
    for (let i: usize = 0; i < n; i++, p += ww) store<u8>(p, 1);
    left -= n;
    y = 0;
    x++;
  }
}

// ------------------------------------------------------------------------------------------------- polygon

/**
 * rleFrPoly as pycocotools walks it, point by point (the reference for rleFromPolygon, which computes only the
 * toggles; kept for polygons with coordinates too large for that shortcut, and for tests): rasterises one polygon of k vertices (xy = k pairs of f64, pixel coordinates) on an h x w mask.
 * Reproduces pycocotools: vertices scaled x5 and truncated, a dense boundary by DDA per edge, x steps kept,
 * x points outside [0, w-1] dropped, y clamped to [0, h] then ceil, and toggles turned into runs.
 * A repeated vertex (an edge with dx == dy == 0) makes C compute 0/0; its y is never read, so it is set to the
 * vertex itself instead of trapping. Returns the number of counts; the counts are at resultPtr().
 */
export function rleFromPolygonDense(xyPtr: usize, k: i32, h: i32, w: i32): i32 {
  const hw = <u32>(<u64>h * <u64>w);
  if (k <= 0) {
    const out = arenaReserve(4, 0);
    setU32(out, 0, hw);
    return 1;
  }
  const vx = heap.alloc(<usize>(k + 1) << 2);
  const vy = heap.alloc(<usize>(k + 1) << 2);
  for (let j = 0; j < k; j++) {
    setI32(vx, j, cTrunc(5.0 * load<f64>(xyPtr + (<usize>j << 4)) + 0.5));
    setI32(vy, j, cTrunc(5.0 * load<f64>(xyPtr + (<usize>j << 4) + 8) + 0.5));
  }
  setI32(vx, k, i32At(vx, 0));
  setI32(vy, k, i32At(vy, 0));

  // 1) Dense boundary points on the x5 grid, edge by edge in the original order.
  let total: u64 = 0;
  for (let j = 0; j < k; j++) {
    const dx = abs<i64>(<i64>i32At(vx, j) - <i64>i32At(vx, j + 1));
    const dy = abs<i64>(<i64>i32At(vy, j) - <i64>i32At(vy, j + 1));
    total += <u64>(dx > dy ? dx : dy) + 1;
  }
  const m = <usize>total;
  const u = heap.alloc(m << 2);
  const v = heap.alloc(m << 2);
  let n: usize = 0;
  for (let j = 0; j < k; j++) {
    let xs = i32At(vx, j), xe = i32At(vx, j + 1), ys = i32At(vy, j), ye = i32At(vy, j + 1);
    const dx = abs<i32>(xe - xs);
    const dy = abs<i32>(ys - ye);
    const flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
    if (flip) {
      let t = xs; xs = xe; xe = t;
      t = ys; ys = ye; ye = t;
    }
    if (dx >= dy) {
      if (dx == 0) {
        // C divides 0 by 0 here; the point's y is never used because its x equals both neighbours' x.
        setI32(u, n, xs);
        setI32(v, n, ys);
        n++;
        continue;
      }
      const s = <f64>(ye - ys) / <f64>dx;
      for (let d = 0; d <= dx; d++) {
        const t = flip ? dx - d : d;
        setI32(u, n, t + xs);
        setI32(v, n, cTrunc(<f64>ys + s * <f64>t + 0.5));
        n++;
      }
    } else {
      const s = <f64>(xe - xs) / <f64>dy;
      for (let d = 0; d <= dy; d++) {
        const t = flip ? dy - d : d;
        setI32(v, n, t + ys);
        setI32(u, n, cTrunc(<f64>xs + s * <f64>t + 0.5));
        n++;
      }
    }
  }
  heap.free(vx);
  heap.free(vy);

  // 2) Keep the points where x steps, moved back to the pixel grid.
  // pycocotools compares against w-1 computed in unsigned long, so w == 0 means "no upper bound".
  const xMax: f64 = w == 0 ? 18446744073709551615.0 : <f64>(w - 1);
  const a = heap.alloc((m + 1) << 2);
  let na: usize = 0;
  for (let j: usize = 1; j < m; j++) {
    const uj = i32At(u, j), up = i32At(u, j - 1);
    if (uj == up) continue;
    let xd = <f64>(uj < up ? uj : uj - 1);
    xd = (xd + 0.5) / 5.0 - 0.5;
    if (Math.floor(xd) != xd || xd < 0 || xd > xMax) continue;
    const vj = i32At(v, j), vp = i32At(v, j - 1);
    let yd = <f64>(vj < vp ? vj : vp);
    yd = (yd + 0.5) / 5.0 - 0.5;
    if (yd < 0) yd = 0;
    else if (yd > <f64>h) yd = <f64>h;
    yd = Math.ceil(yd);
    // (uint)(x*(int)h + y) with C's wrapping int arithmetic.
    setU32(a, na++, <u32>(<i32>xd * h + <i32>yd));
  }
  heap.free(u);
  heap.free(v);

  // 3) Toggle positions -> run lengths; empty runs are folded into their neighbour.
  setU32(a, na++, hw);
  sortU32(a, <i32>na);
  let prev: u32 = 0;
  for (let j: usize = 0; j < na; j++) {
    const t = u32At(a, j);
    setU32(a, j, t - prev);
    prev = t;
  }
  const out = arenaReserve(na << 2, 0);
  let mb: usize = 0;
  let j: usize = 0;
  setU32(out, mb++, u32At(a, j++));
  while (j < na) {
    if (u32At(a, j) > 0) {
      setU32(out, mb++, u32At(a, j++));
    } else {
      j++;
      if (j < na) {
        setU32(out, mb - 1, u32At(out, mb - 1) + u32At(a, j));
        j++;
      }
    }
  }
  heap.free(a);
  return <i32>mb;
}

/** Where rleFromPolygon's toggles go (and a second buffer for merging), reused across calls. */
let toggles: usize = 0;
let togglesTmp: usize = 0;
let togglesCap: usize = 0;
/** Where each edge's run of toggles starts (each run is ascending). */
let runStarts: usize = 0;
let runStartsCap: usize = 0;

/**
 * Sorts n values made of ascending runs (starting at runs[0..nRuns), each run ascending) by merging neighbouring
 * runs, pass after pass; returns the buffer holding the result (a or tmp).
 */
function mergeRuns(a: usize, tmp: usize, runs: usize, nRuns: i32, n: usize): usize {
  let src = a;
  let dst = tmp;
  let count = nRuns;
  while (count > 1) {
    let out = 0;
    for (let r = 0; r < count; r += 2) {
      const s0 = <usize>i32At(runs, r);
      const s1 = r + 1 < count ? <usize>i32At(runs, r + 1) : n;
      const e1 = r + 2 < count ? <usize>i32At(runs, r + 2) : n;
      let i = s0, j = s1, o = s0;
      while (i < s1 && j < e1) {
        const x = u32At(src, i), y = u32At(src, j);
        if (x <= y) { setU32(dst, o++, x); i++; } else { setU32(dst, o++, y); j++; }
      }
      while (i < s1) setU32(dst, o++, u32At(src, i++));
      while (j < e1) setU32(dst, o++, u32At(src, j++));
      setI32(runs, out++, <i32>s0);
    }
    count = out;
    const t = src; src = dst; dst = t;
  }
  return src;
}

// @ts-ignore: decorator
@inline function yToggle(y: i32, h: i32): i32 {
  let yd = (<f64>y + 0.5) / 5.0 - 0.5;
  if (yd < 0) yd = 0;
  else if (yd > <f64>h) yd = <f64>h;
  return <i32>Math.ceil(yd);
}

/** x of a boundary step on the x5 grid -> the pixel column it toggles, or -1 (dropped as rleFrPoly drops it). */
// @ts-ignore: decorator
@inline function xToggle(x: i32, xMax: f64): f64 {
  let xd = (<f64>x + 0.5) / 5.0 - 0.5;
  if (Math.floor(xd) != xd || xd < 0 || xd > xMax) return -1;
  return xd;
}

/**
 * rleFrPoly: rasterises one polygon of k vertices (xy = k pairs of f64, pixel coordinates) on an h x w mask,
 * exactly as pycocotools 2.0.11 does, without walking every boundary point.
 *
 * pycocotools walks each edge on the x5 grid point by point and keeps a pair of consecutive points only where x
 * steps, and then only when the step's x is 2 modulo 5 (a pixel centre; the other four in five are dropped). So
 * the toggles are computed directly: on an edge that is longer in x, x steps at every point and only every fifth
 * step is evaluated (y with the same expression as the walk); on an edge longer in y, x is a monotonic step
 * function of the point index, and each wanted step is found by bisection. Steps at shared vertices never move x
 * for vertices at x >= 0 and only make toggles left of the image otherwise (dropped there too). Vertices beyond
 * 2^22 on the x5 grid, where rounding could make x jump by 2 between points, go the point-by-point way.
 */
export function rleFromPolygon(xyPtr: usize, k: i32, h: i32, w: i32): i32 {
  const hw = <u32>(<u64>h * <u64>w);
  if (k <= 0) {
    const out = arenaReserve(4, 0);
    setU32(out, 0, hw);
    return 1;
  }
  const vx = heap.alloc(<usize>(k + 1) << 2);
  const vy = heap.alloc(<usize>(k + 1) << 2);
  let big = false;
  for (let j = 0; j < k; j++) {
    const x = cTrunc(5.0 * load<f64>(xyPtr + (<usize>j << 4)) + 0.5);
    const y = cTrunc(5.0 * load<f64>(xyPtr + (<usize>j << 4) + 8) + 0.5);
    if (x >= 1 << 22 || x <= -(1 << 22) || y >= 1 << 22 || y <= -(1 << 22)) big = true;
    setI32(vx, j, x);
    setI32(vy, j, y);
  }
  if (big) {
    heap.free(vx);
    heap.free(vy);
    return rleFromPolygonDense(xyPtr, k, h, w);
  }
  setI32(vx, k, i32At(vx, 0));
  setI32(vy, k, i32At(vy, 0));

  // At most one toggle per five x steps of each edge, plus one, plus the closing one.
  let cap: usize = 2;
  for (let j = 0; j < k; j++) cap += <usize>(abs<i32>(i32At(vx, j + 1) - i32At(vx, j)) / 5) + 2;
  if (cap > togglesCap) {
    if (toggles != 0) {
      heap.free(toggles);
      heap.free(togglesTmp);
    }
    togglesCap = cap > 4096 ? cap : 4096;
    toggles = heap.alloc(togglesCap << 2);
    togglesTmp = heap.alloc(togglesCap << 2);
  }
  if (<usize>k + 1 > runStartsCap) {
    if (runStarts != 0) heap.free(runStarts);
    runStartsCap = <usize>k + 1 > 256 ? <usize>k + 1 : 256;
    runStarts = heap.alloc(runStartsCap << 2);
  }
  const a = toggles;
  let nRuns = 0;
  // pycocotools compares against w-1 computed in unsigned long, so w == 0 means "no upper bound".
  const xMax: f64 = w == 0 ? 18446744073709551615.0 : <f64>(w - 1);
  // Wanted step x values are 5c + 2 for columns c in [0, xMax]: x in [2, xHi].
  const xHi: i64 = w == 0 ? i64.MAX_VALUE : <i64>(w - 1) * 5 + 2;
  let na: usize = 0;
  for (let j = 0; j < k; j++) {
    let xs = i32At(vx, j), xe = i32At(vx, j + 1), ys = i32At(vy, j), ye = i32At(vy, j + 1);
    const dx = abs<i32>(xe - xs);
    const dy = abs<i32>(ys - ye);
    const flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
    if (flip) {
      let t = xs; xs = xe; xe = t;
      t = ys; ys = ye; ye = t;
    }
    // Each edge's toggles come out with x rising by 5, so their values (x*h + y, y <= h) ascend: one run.
    setI32(runStarts, nRuns++, <i32>na);
    if (dx >= dy) {
      if (dx == 0) continue; // one point: no step
      // Points t = 0..dx at x = xs + t; the step (t-1, t) has x = xs + t - 1.
      const s = <f64>(ye - ys) / <f64>dx;
      let lo = <i64>2 - <i64>xs + 1; // smallest t with x >= 2
      if (lo < 1) lo = 1;
      let t0 = lo + ((((<i64>3 - <i64>xs - lo) % 5) + 5) % 5); // t with x = 2 mod 5
      let hiT = <i64>dx;
      if (w != 0 && xHi - <i64>xs + 1 < hiT) hiT = xHi - <i64>xs + 1;
      for (let t = t0; t <= hiT; t += 5) {
        const x = <i32>(<i64>xs + t - 1);
        const xd = xToggle(x, xMax);
        if (xd < 0) continue;
        const v0 = cTrunc(<f64>ys + s * <f64>(t - 1) + 0.5);
        const v1 = cTrunc(<f64>ys + s * <f64>t + 0.5);
        const yd = yToggle(v0 < v1 ? v0 : v1, h);
        setU32(a, na++, <u32>(<i32>xd * h + yd));
      }
    } else {
      // Points t = 0..dy at y = ys + t, x = u(t), monotonic in t and moving by at most 1 per point.
      const s = <f64>(xe - xs) / <f64>dy;
      const u0 = cTrunc(<f64>xs + 0.5);
      const u1 = cTrunc(<f64>xs + s * <f64>dy + 0.5);
      if (u0 == u1) continue;
      const up = u1 > u0;
      let xLo = <i64>(up ? u0 : u1);
      let xTop = <i64>(up ? u1 : u0) - 1;
      if (xLo < 2) xLo = 2;
      if (xTop > xHi) xTop = xHi;
      let x = xLo + (((((<i64>2 - xLo) % 5) + 5) % 5));
      for (; x <= xTop; x += 5) {
        // The first t where u has left x (up: u(t) >= x + 1; down: u(t) <= x); the step is (t - 1, t).
        let lo: i32 = 1, hi: i32 = dy;
        while (lo < hi) {
          const mid = lo + ((hi - lo) >> 1);
          const u = cTrunc(<f64>xs + s * <f64>mid + 0.5);
          if (up ? <i64>u >= x + 1 : <i64>u <= x) hi = mid;
          else lo = mid + 1;
        }
        const xd = xToggle(<i32>x, xMax);
        if (xd < 0) continue;
        setU32(a, na++, <u32>(<i32>xd * h + yToggle(ys + lo - 1, h)));
      }
    }
  }
  heap.free(vx);
  heap.free(vy);
  // The closing toggle hw is the largest value: a run of its own.
  setI32(runStarts, nRuns++, <i32>na);
  setU32(a, na++, hw);
  return togglesToRuns(mergeRuns(a, togglesTmp, runStarts, nRuns, na), na);
}

/** Sorted toggle positions (the last is h*w) -> run lengths in the arena; empty runs are folded into their neighbour. */
function togglesToRuns(a: usize, na: usize): i32 {
  let prev: u32 = 0;
  for (let j: usize = 0; j < na; j++) {
    const t = u32At(a, j);
    setU32(a, j, t - prev);
    prev = t;
  }
  const out = arenaReserve(na << 2, 0);
  let mb: usize = 0;
  let j: usize = 0;
  setU32(out, mb++, u32At(a, j++));
  while (j < na) {
    if (u32At(a, j) > 0) {
      setU32(out, mb++, u32At(a, j++));
    } else {
      j++;
      if (j < na) {
        setU32(out, mb - 1, u32At(out, mb - 1) + u32At(a, j));
        j++;
      }
    }
  }
  return <i32>mb;
}

// ------------------------------------------------------------------------------------------------- merge

/**
 * rleMerge of n >= 2 masks of the same size: union (intersect = 0) or intersection (intersect = 1).
 * The counts of all masks are concatenated at countsPtr; lensPtr holds n i32 lengths. The caller checks that the
 * sizes agree (pycocotools returns an empty 0x0 mask otherwise). Returns the number of counts (at resultPtr()).
 */
export function rleMerge(countsPtr: usize, lensPtr: usize, n: i32, intersect: i32): i32 {
  let sum: usize = 0;
  for (let i = 0; i < n; i++) sum += <usize>i32At(lensPtr, i);
  const cap = sum + 2;
  let cur = heap.alloc(cap << 2);
  let next = heap.alloc(cap << 2);
  let curLen = <usize>i32At(lensPtr, 0);
  memory.copy(cur, countsPtr, curLen << 2);
  let bStart = countsPtr + (curLen << 2);
  for (let i = 1; i < n; i++) {
    const bLen = <usize>i32At(lensPtr, i);
    const produced = mergeTwo(cur, curLen, bStart, bLen, intersect != 0, next);
    const t = cur; cur = next; next = t;
    curLen = produced;
    bStart += bLen << 2;
  }
  const out = arenaReserve(curLen << 2, 0);
  memory.copy(out, cur, curLen << 2);
  heap.free(cur);
  heap.free(next);
  return <i32>curLen;
}

/** One step of rleMerge, written to `out`; returns its length. Stops instead of spinning on inconsistent runs. */
function mergeTwo(aPtr: usize, aLen: usize, bPtr: usize, bLen: usize, intersect: bool, out: usize): usize {
  if (aLen == 0 || bLen == 0) return 0;
  let ca = u32At(aPtr, 0), cb = u32At(bPtr, 0);
  let va = false, vb = false, v = false;
  let a: usize = 1, b: usize = 1;
  let cc: u32 = 0;
  let m: usize = 0;
  let ct: u32 = 1;
  while (ct > 0) {
    const c = ca < cb ? ca : cb;
    cc += c;
    ct = 0;
    let moved = c > 0;
    ca -= c;
    if (ca == 0 && a < aLen) { ca = u32At(aPtr, a++); va = !va; moved = true; }
    ct += ca;
    cb -= c;
    if (cb == 0 && b < bLen) { cb = u32At(bPtr, b++); vb = !vb; moved = true; }
    ct += cb;
    const vp = v;
    v = intersect ? va && vb : va || vb;
    // pycocotools loops forever when one mask's runs end before the other's; emit and stop instead.
    if (!moved) ct = 0;
    if (v != vp || ct == 0) { setU32(out, m++, cc); cc = 0; }
  }
  return m;
}

// ------------------------------------------------------------------------------------------------- bbox + IoU

/**
 * rleToBbox (2.0.11) of one mask into 4 f64 at outPtr: [x, y, w, h]. Empty foreground runs are skipped; a mask
 * with fewer than 2 counts gives zeros. Widths use u32 arithmetic like the C code (so a mask whose only
 * foreground run is empty gives pycocotools' wrapped values).
 */
export function rleBbox(countsPtr: usize, m: i32, h: i32, w: i32, outPtr: usize): void {
  const even = m & ~1;
  if (even == 0 || h <= 0) {
    store<f64>(outPtr, 0); store<f64>(outPtr, 0, 8); store<f64>(outPtr, 0, 16); store<f64>(outPtr, 0, 24);
    return;
  }
  const hh = <u32>h;
  let xs = <u32>w, ys = hh, xe: u32 = 0, ye: u32 = 0;
  let cc: u32 = 0;
  for (let j = 0; j < even; j++) {
    const start = cc;
    const len = u32At(countsPtr, j);
    cc += len;
    if ((j & 1) == 0 || len == 0) continue;
    const xStart = start / hh, yStart = start % hh;
    const xEnd = (cc - 1) / hh, yEnd = (cc - 1) % hh;
    if (xStart < xs) xs = xStart;
    if (xEnd > xe) xe = xEnd;
    if (xStart < xEnd) {
      ys = 0;
      ye = hh - 1;
    } else {
      if (yStart < ys) ys = yStart;
      if (yEnd > ye) ye = yEnd;
    }
  }
  store<f64>(outPtr, <f64>xs);
  store<f64>(outPtr, <f64>ys, 8);
  store<f64>(outPtr, <f64>(xe - xs + 1), 16);
  store<f64>(outPtr, <f64>(ye - ys + 1), 24);
}

// fmin/fmax as C defines them: a NaN argument loses.
// @ts-ignore: decorator
@inline function cMin(a: f64, b: f64): f64 {
  return a != a ? b : b != b ? a : a < b ? a : b;
}
// @ts-ignore: decorator
@inline function cMax(a: f64, b: f64): f64 {
  return a != a ? b : b != b ? a : a > b ? a : b;
}

/** bbIou of one pair of [x, y, w, h] boxes, in pycocotools' operation order. */
// @ts-ignore: decorator
@inline function boxIou(d: usize, g: usize, crowd: bool): f64 {
  const dx = load<f64>(d), dy = load<f64>(d, 8), dw = load<f64>(d, 16), dh = load<f64>(d, 24);
  const gx = load<f64>(g), gy = load<f64>(g, 8), gw = load<f64>(g, 16), gh = load<f64>(g, 24);
  const da = dw * dh;
  const iw = cMin(dw + dx, gw + gx) - cMax(dx, gx);
  if (iw <= 0) return 0;
  const ih = cMin(dh + dy, gh + gy) - cMax(dy, gy);
  if (ih <= 0) return 0;
  const i = iw * ih;
  const u = crowd ? da : da + gw * gh - i;
  return i / u;
}

/**
 * rleIou for D detections x G ground truths. metaPtr holds 4 i32 per mask (h, w, offset into the concatenated
 * counts, number of counts): the D detections first, then the G ground truths. crowdPtr holds G bytes.
 * Writes D*G f64 to outPtr, row-major: out[d*G + g]. Pairs whose boxes do not overlap are 0; masks of different
 * sizes are -1; an empty intersection is 0; a crowd ground truth divides by the detection's area.
 */
export function rleIouMatrix(countsPtr: usize, metaPtr: usize, nd: i32, ng: i32, crowdPtr: usize, outPtr: usize): void {
  const n = nd + ng;
  const boxes = heap.alloc(<usize>n << 5);
  for (let i = 0; i < n; i++) {
    const meta = metaPtr + (<usize>i << 4);
    rleBbox(countsPtr + (<usize>load<i32>(meta, 8) << 2), load<i32>(meta, 12), load<i32>(meta), load<i32>(meta, 4),
      boxes + (<usize>i << 5));
  }
  for (let d = 0; d < nd; d++) {
    const dm = metaPtr + (<usize>d << 4);
    const dBox = boxes + (<usize>d << 5);
    for (let g = 0; g < ng; g++) {
      const gm = metaPtr + (<usize>(nd + g) << 4);
      const crowd = load<u8>(crowdPtr + g) != 0;
      let o = boxIou(dBox, boxes + (<usize>(nd + g) << 5), crowd);
      if (o > 0) {
        if (load<i32>(dm) != load<i32>(gm) || load<i32>(dm, 4) != load<i32>(gm, 4)) {
          o = -1;
        } else {
          o = maskIou(countsPtr + (<usize>load<i32>(dm, 8) << 2), <usize>load<i32>(dm, 12),
            countsPtr + (<usize>load<i32>(gm, 8) << 2), <usize>load<i32>(gm, 12), crowd);
        }
      }
      store<f64>(outPtr + ((<usize>d * <usize>ng + <usize>g) << 3), o);
    }
  }
  heap.free(boxes);
}

/** The run walk of rleIou for one pair of same-size masks. */
function maskIou(aPtr: usize, aLen: usize, bPtr: usize, bLen: usize, crowd: bool): f64 {
  if (aLen == 0 || bLen == 0) return 0;
  let ca = u32At(aPtr, 0), cb = u32At(bPtr, 0);
  let va = false, vb = false;
  let a: usize = 1, b: usize = 1;
  let inter: u32 = 0, uni: u32 = 0;
  let ct: u32 = 1;
  while (ct > 0) {
    const c = ca < cb ? ca : cb;
    if (va || vb) {
      uni += c;
      if (va && vb) inter += c;
    }
    ct = 0;
    let moved = c > 0;
    ca -= c;
    if (ca == 0 && a < aLen) { ca = u32At(aPtr, a++); va = !va; moved = true; }
    ct += ca;
    cb -= c;
    if (cb == 0 && b < bLen) { cb = u32At(bPtr, b++); vb = !vb; moved = true; }
    ct += cb;
    if (!moved) break; // pycocotools spins forever on masks whose runs do not add up to the same total
  }
  if (inter == 0) uni = 1;
  else if (crowd) {
    uni = 0;
    for (let j: usize = 1; j < aLen; j += 2) uni += u32At(aPtr, j);
  }
  return <f64>inter / <f64>uni;
}
