// Border following on class-index masks: for every class value at once, the contours OpenCV 4.6's
// findContours(mask == v, RETR_EXTERNAL or RETR_CCOMP, CHAIN_APPROX_SIMPLE) returns, in one raster scan.
//
// The algorithm is Suzuki & Abe (1985), "Topological structural analysis of digitized binary images by border
// following", with the conventions OpenCV's implementation uses (re-derived, not copied):
// - the image gets a 1-pixel frame of background; foreground is 8-connected;
// - a raster scan meets an outer border at a 0->1 step and a hole border at a 1->0 step (the border pixel is the
//   1 on the left); the scan covers image columns 0..W-1, so a step into the right frame never starts a hole;
// - following marks each border pixel: NEGATIVE when the search around it looked at its right neighbour and
//   found background, else POSITIVE (only if not yet marked). A 1->0 step starts a hole only if its 1 is not
//   NEGATIVE; in external mode an unmarked 0->1 step starts a contour only if the last marked pixel of that class
//   met earlier on the row is not POSITIVE (that is how islands inside holes are skipped);
// - chain codes: 0 = +x, then counter-clockwise on screen (2 = up, 4 = -x, 6 = down). An outer border starts
//   looking clockwise from code 4, a hole border from code 0; following looks counter-clockwise from the code
//   that points back to the previous pixel; CHAIN_APPROX_SIMPLE writes a point whenever the code changes, with
//   "previous code" starting as the opposite of the first found direction.
//
// One scan serves every class because each pixel belongs to exactly one class: the marks on a pixel only ever
// concern its own class, and border following of class c treats every other value as background (mask == c).
//
// Memory (see index.ts for the general contract). All buffers are the caller's:
// - values: (W+2)*(H+2) elements of u8 or u16, row-major, the mask inside a frame of zeros, plus 32 bytes slack;
// - marks: (W+2)*(H+2) bytes plus 16 bytes slack; any content (cleared here);
// - classState: 8 bytes per possible value (256 for u8, 65536 for u16); any content (cleared here);
// - owner: 4*(W+2)*(H+2) bytes in hole mode (never needs clearing), unused otherwise.
// Result, in the arena, as i32 words: one record per contour in tracing order (raster order of start points):
//   [class, parent, nPoints, bx, by, bw, bh, 0, area (f64 in words 8-9), x0, y0, x1, y1, ...]
// parent is -1 for an outer contour and the record index of its outer contour for a hole. area is contourArea
// (shoelace through pixel centres, absolute value), the box is boundingRect of the points. The kernel returns the
// number of words written.
import { arenaReserve } from './arena';

const NEGATIVE: i8 = -126;
const POSITIVE: i8 = 2;
const HEADER_BYTES: usize = 40;

/** Pixel-index offsets of the 8 neighbours by chain code, twice over so a search can run past code 7. */
const NEIGHBOUR = memory.data(16 * 4);
/** Chain code -> (dx, dy) as [dx0, dy0, dx1, dy1, ...]. */
const CODE_STEP = memory.data<i32>([1, 0, 1, -1, 0, -1, -1, -1, -1, 0, -1, 1, 0, 1, 1, 1]);

let outBase: usize = 0;
let outLen: usize = 0;
let outCap: usize = 0;
let recordCount: i32 = 0;

function setStride(stride: i32): void {
  for (let s = 0; s < 16; s++) {
    const code = s & 7;
    const dx = load<i32>(CODE_STEP + (<usize>code << 3));
    const dy = load<i32>(CODE_STEP + (<usize>code << 3) + 4);
    store<i32>(NEIGHBOUR + (<usize>s << 2), dx + dy * stride);
  }
}

// @ts-ignore: decorator
@inline function neighbour(pixel: usize, code: i32): usize {
  return pixel + <usize>load<i32>(NEIGHBOUR + (<usize>code << 2));
}

// @ts-ignore: decorator
@inline function valueAt<T>(values: usize, pixel: usize): T {
  return load<T>(values + (pixel << alignof<T>()));
}

function reserveOut(bytes: usize): void {
  const need = outLen + bytes;
  if (need <= outCap) return;
  let cap = outCap < 65536 ? <usize>65536 : outCap;
  while (cap < need) cap <<= 1;
  outBase = arenaReserve(cap, outLen);
  outCap = cap;
}

// @ts-ignore: decorator
@inline function writePoint(x: i32, y: i32): void {
  if (outLen + 8 > outCap) reserveOut(8);
  store<i32>(outBase + outLen, x);
  store<i32>(outBase + outLen, y, 4);
  outLen += 8;
}

/**
 * Follows one border of class `cls` from `start` (a pixel index in the framed image), writes its record and
 * returns the record index. `hole` selects the start direction; `ownerId` is written to the owner map (hole mode).
 */
function follow<T>(
  values: usize, marks: usize, owner: usize, cls: T, start: usize, x0: i32, y0: i32,
  hole: bool, parent: i32, ownerId: i32,
): i32 {
  reserveOut(HEADER_BYTES);
  const record = outLen;
  outLen += HEADER_BYTES;
  const useOwner = owner != 0;

  let code = hole ? 0 : 4;
  let stopCode = code;
  let second: usize = start;
  do {
    code = (code - 1) & 7;
    second = neighbour(start, code);
  } while (valueAt<T>(values, second) != cls && code != stopCode);

  if (code == stopCode) {
    store<i8>(marks + start, NEGATIVE);
    if (useOwner) store<i32>(owner + (start << 2), ownerId);
    writePoint(x0, y0);
  } else {
    let here = start;
    let next: usize = start;
    let lastCode = code ^ 4;
    let x = x0;
    let y = y0;
    while (true) {
      stopCode = code;
      do {
        code++;
        next = neighbour(here, code);
      } while (valueAt<T>(values, next) != cls);
      code &= 7;
      if (<u32>(code - 1) < <u32>stopCode) store<i8>(marks + here, NEGATIVE);
      else if (load<i8>(marks + here) == 0) store<i8>(marks + here, POSITIVE);
      if (useOwner) store<i32>(owner + (here << 2), ownerId);
      if (code != lastCode) {
        writePoint(x, y);
        lastCode = code;
      }
      x += load<i32>(CODE_STEP + (<usize>code << 3));
      y += load<i32>(CODE_STEP + (<usize>code << 3) + 4);
      if (next == start && here == second) break;
      here = next;
      code = (code + 4) & 7;
    }
  }
  finishRecord(record, <i32>cls, parent);
  return recordCount++;
}

/** Fills in a record's header from the points written after it: count, bounding box, area. */
function finishRecord(record: usize, cls: i32, parent: i32): void {
  const first = outBase + record + HEADER_BYTES;
  const n = <i32>((outLen - record - HEADER_BYTES) >> 3);
  let minX = load<i32>(first), maxX = minX;
  let minY = load<i32>(first, 4), maxY = minY;
  let prevX = <i64>load<i32>(first + (<usize>(n - 1) << 3));
  let prevY = <i64>load<i32>(first + (<usize>(n - 1) << 3), 4);
  let twiceArea: i64 = 0;
  for (let i = 0; i < n; i++) {
    const px = load<i32>(first + (<usize>i << 3));
    const py = load<i32>(first + (<usize>i << 3), 4);
    if (px < minX) minX = px;
    if (px > maxX) maxX = px;
    if (py < minY) minY = py;
    if (py > maxY) maxY = py;
    twiceArea += prevX * <i64>py - prevY * <i64>px;
    prevX = px;
    prevY = py;
  }
  const head = outBase + record;
  store<i32>(head, cls);
  store<i32>(head, parent, 4);
  store<i32>(head, n, 8);
  store<i32>(head, minX, 12);
  store<i32>(head, minY, 16);
  store<i32>(head, maxX - minX + 1, 20);
  store<i32>(head, maxY - minY + 1, 24);
  store<i32>(head, 0, 28);
  store<f64>(head, <f64>(twiceArea < 0 ? -twiceArea : twiceArea) * 0.5, 32);
}

/** The mark of the last marked pixel in marks[from..to] (inclusive), or 0. */
function lastMarkIn(marks: usize, from: usize, to: usize): i32 {
  let i = to + 1;
  if (ASC_FEATURE_SIMD) {
    const zero = i8x16.splat(0);
    while (i >= from + 16) {
      const bits = i8x16.bitmask(i8x16.ne(v128.load(marks + i - 16), zero));
      if (bits != 0) return <i32>load<i8>(marks + i - 16 + <usize>(31 - clz<i32>(bits)));
      i -= 16;
    }
  }
  while (i > from) {
    i--;
    const m = load<i8>(marks + i);
    if (m != 0) return m;
  }
  return 0;
}

/** Bit i set where value[x+i] != value[x+i-1], for LANES pixels from x. */
// @ts-ignore: decorator
@inline function changes<T>(values: usize, x: usize): i32 {
  if (ASC_FEATURE_SIMD) {
    const at = values + (x << alignof<T>());
    const width = sizeof<T>();
    if (width == 1) return i8x16.bitmask(i8x16.ne(v128.load(at), v128.load(at - 1)));
    return i16x8.bitmask(i16x8.ne(v128.load(at), v128.load(at - 2)));
  }
  return valueAt<T>(values, x) != valueAt<T>(values, x - 1) ? 1 : 0;
}

function traceAll<T>(
  values: usize, width: i32, height: i32, ignore: i32, holes: bool,
  marks: usize, classState: usize, owner: usize,
): i32 {
  const stride = width + 2;
  const pixels = <usize>stride * <usize>(height + 2);
  const lanes: i32 = ASC_FEATURE_SIMD ? 16 / sizeof<T>() : 1;
  memory.fill(marks, 0, pixels + 16);
  memory.fill(classState, 0, (<usize>1 << (sizeof<T>() << 3)) << 3);
  setStride(stride);
  outLen = 0;
  outCap = 0;
  outBase = 0;
  recordCount = 0;
  const ownerMap: usize = holes ? owner : 0;

  for (let y = 1; y <= height; y++) {
    const row = <usize>y * <usize>stride;
    let runStart: usize = row;
    for (let x = 1; x <= width; x += lanes) {
      let bits = changes<T>(values, row + <usize>x);
      if (bits == 0) continue;
      if (x + lanes > width + 1) bits &= (1 << (width + 1 - x)) - 1;
      while (bits != 0) {
        const at = row + <usize>(x + ctz<i32>(bits));
        bits &= bits - 1;
        const before = valueAt<T>(values, at - 1);
        const cls = valueAt<T>(values, at);
        if (before != 0 && <i32>before != ignore) {
          const end = at - 1;
          const endMark = load<i8>(marks + end);
          if (holes) {
            if (endMark >= 0) {
              const parent = load<i32>(owner + (runStart << 2));
              follow<T>(values, marks, ownerMap, before, end, <i32>(end - row) - 1, y - 1, true, parent, parent);
            }
          } else {
            const mark = endMark != 0 ? <i32>endMark : lastMarkIn(marks, runStart, end);
            if (mark != 0) {
              const state = classState + (<usize>before << 3);
              store<i32>(state, y);
              store<i32>(state, mark, 4);
            }
          }
        }
        if (cls != 0 && <i32>cls != ignore && load<i8>(marks + at) == 0) {
          let outer = true;
          if (!holes) {
            const state = classState + (<usize>cls << 3);
            outer = load<i32>(state) != y || load<i32>(state, 4) <= 0;
          }
          if (outer) {
            const id = recordCount;
            follow<T>(values, marks, ownerMap, cls, at, <i32>(at - row) - 1, y - 1, false, -1, id);
          }
        }
        runStart = at;
      }
    }
  }
  return <i32>(outLen >> 2);
}

/** Contours of every class of a u8 mask; see the file comment for buffers and the result. ignore < 0: none. */
export function traceClassContoursU8(
  values: usize, width: i32, height: i32, ignore: i32, holes: i32,
  marks: usize, classState: usize, owner: usize,
): i32 {
  return traceAll<u8>(values, width, height, ignore, holes != 0, marks, classState, owner);
}

/** Contours of every class of a u16 mask; see the file comment for buffers and the result. ignore < 0: none. */
export function traceClassContoursU16(
  values: usize, width: i32, height: i32, ignore: i32, holes: i32,
  marks: usize, classState: usize, owner: usize,
): i32 {
  return traceAll<u16>(values, width, height, ignore, holes != 0, marks, classState, owner);
}
