// One validating pass over a COCO ground-truth or results JSON file, keeping only the fields COCO evaluation reads.
// src/core/eval/coco/scan.ts owns the rules; this is its byte loop.
//
// Output: one table of records per array the file holds (images, categories, annotations; or the results), each
// record a row of 32-byte slots, one per field of that table (FIELDS below), in the order of the names:
//   i32 kind, i32 a, i32 b, i32 c, i32 d, i32 (pad), f64 v
//   kind 0  absent
//   kind 1  a number: v (Clinger's fast path: at most 15 digits and 10^k with k <= 22 are exact, so
//           one division is correctly rounded, as JSON.parse is; other numbers are fixed up by the caller, below)
//   kind 2  any other JSON value: bytes [a, b) for the caller to parse
//   kind 3  polygons [[x, y, ...], ...] (flat lists of fast-path numbers): coordinates at f64 pool [a, a + b),
//           c parts whose ends (relative to a) are at i32 pool [d, d + c)
//   kind 4  compressed RLE {"size": [h, w], "counts": "..."}: the decoded counts at u32 pool [a, a + b), h = c,
//           w = d, v = the area (sum of odd counts, u32 like rleArea)
//   kind 5  a list of numbers (a bbox): f64 pool [a, a + b)
// scanCoco returns 1, or 0 when the file is not valid JSON or not of the shape read here (the caller then reads it
// with JSON.parse, which gives the exact error or the exact values).

const SLOT: usize = 32;

// Tables: 0 images, 1 categories, 2 annotations (ground truth); 3 results.
// @ts-ignore: decorator
@inline function fieldCount(t: i32): i32 {
  return t == 0 ? 3 : t == 1 ? 2 : t == 2 ? 8 : 7;
}

let bytes: usize = 0;
let end: usize = 0;
let p: usize = 0;
let bad = false;

// Growable unmanaged buffers: 0 slots, 1 f64 pool, 2 i32 pool, 3 u32 pool, 4 fix-ups of the f64 pool (i32 triples:
// pool index, start, end of a number outside the fast path, which the caller parses and stores there).
// (Raw static memory rather than StaticArrays: their bounds-checked accessors are calls in the hot loops.)
const BUF_PTR = memory.data(40);
const BUF_CAP = memory.data(40);
const BUF_LEN = memory.data(40);
const TABLE_START = memory.data(16);
const TABLE_ROWS = memory.data(16);

// @ts-ignore: decorator
@inline function bufPtr(i: i32): usize {
  return load<usize>(BUF_PTR + (<usize>i << 3));
}
// @ts-ignore: decorator
@inline function bufLen(i: i32): usize {
  return load<usize>(BUF_LEN + (<usize>i << 3));
}
// @ts-ignore: decorator
@inline function setBufLen(i: i32, v: usize): void {
  store<usize>(BUF_LEN + (<usize>i << 3), v);
}
// @ts-ignore: decorator
@inline function tableRows(t: i32): i32 {
  return load<i32>(TABLE_ROWS + (<usize>t << 2));
}
// @ts-ignore: decorator
@inline function tableStart(t: i32): i32 {
  return load<i32>(TABLE_START + (<usize>t << 2));
}

/** Room for `bytesNeeded` more bytes in buffer `buf`; returns where they go (the end of its content). */
// @ts-ignore: decorator
@inline function reserve(buf: i32, bytesNeeded: usize): usize {
  const len = bufLen(buf);
  if (len + bytesNeeded > load<usize>(BUF_CAP + (<usize>buf << 3))) grow(buf, len + bytesNeeded);
  return bufPtr(buf) + len;
}

function grow(buf: i32, needed: usize): void {
  const capAt = BUF_CAP + (<usize>buf << 3);
  const ptrAt = BUF_PTR + (<usize>buf << 3);
  let cap = load<usize>(capAt) < 65536 ? <usize>65536 : load<usize>(capAt);
  while (cap < needed) cap <<= 1;
  const old = load<usize>(ptrAt);
  store<usize>(ptrAt, old == 0 ? heap.alloc(cap) : heap.realloc(old, cap));
  store<usize>(capAt, cap);
}

// The caller puts a 0 byte after the file, so reading one past the end needs no check: 0 is invalid everywhere.
// @ts-ignore: decorator
@inline function at(): u32 {
  return <u32>load<u8>(bytes + p);
}

// @ts-ignore: decorator
@inline function isWs(c: u32): bool {
  return c == 32 || c == 10 || c == 13 || c == 9;
}

function ws(): u32 {
  let c = at();
  while (isWs(c)) {
    p++;
    c = at();
  }
  return c;
}

function expect(c: u32): void {
  if (ws() != c) bad = true;
  else p++;
}

/** After a member: 1 when a comma was read, 0 at the closing bracket (read), and sets `bad` otherwise. */
function more(close: u32): bool {
  const c = ws();
  p++;
  if (c == 44) return true;
  if (c != close) bad = true;
  return false;
}

/** Opens an array or object at p; false when empty (closing bracket read) or on error. */
function open(openC: u32, closeC: u32): bool {
  expect(openC);
  if (bad) return false;
  if (ws() == closeC) {
    p++;
    return false;
  }
  return true;
}

let strStart: usize = 0;
let strEnd: usize = 0;
let strEscaped = false;

function isHex(h: u32): bool {
  return (h >= 48 && h <= 57) || (h >= 65 && h <= 70) || (h >= 97 && h <= 102);
}

function str(): void {
  if (ws() != 34) {
    bad = true;
    return;
  }
  p++;
  strStart = p;
  strEscaped = false;
  while (true) {
    const c = <u32>load<u8>(bytes + p);
    if (c == 34) break;
    if (c == 92) {
      strEscaped = true;
      const e = <u32>load<u8>(bytes + p + 1);
      if (e == 117) {
        for (let j: usize = 2; j < 6; j++) {
          // The 0 after the file stops this too.
          if (!isHex(<u32>load<u8>(bytes + p + j))) {
            bad = true;
            return;
          }
        }
        p += 6;
        continue;
      }
      if (!(e == 34 || e == 92 || e == 47 || e == 98 || e == 102 || e == 110 || e == 114 || e == 116)) {
        bad = true;
        return;
      }
      p += 2;
      continue;
    }
    if (c < 0x20) {
      bad = true; // also the 0 after the file: an unterminated string
      return;
    }
    p++;
  }
  strEnd = p;
  p++;
}

// Exact powers of ten (the literals are exact doubles up to 1e22).
const POW10: StaticArray<f64> = [
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
  1e21, 1e22,
];

let numSlow = false;

/** A JSON number at p; sets numSlow when its value must come from the caller's parser. */
function number(): f64 {
  numSlow = false;
  const neg = at() == 45;
  if (neg) p++;
  let m: f64 = 0;
  let digits = 0;
  let exp = 0;
  let c = at();
  if (c == 48) {
    p++;
    c = at();
  } else if (c >= 49 && c <= 57) {
    do {
      m = m * 10 + <f64>(c - 48);
      digits++;
      p++;
      c = at();
    } while (c >= 48 && c <= 57);
  } else {
    bad = true;
    return 0;
  }
  if (c == 46) {
    p++;
    c = at();
    if (!(c >= 48 && c <= 57)) {
      bad = true;
      return 0;
    }
    do {
      if (m != 0 || c != 48) digits++;
      m = m * 10 + <f64>(c - 48);
      exp--;
      p++;
      c = at();
    } while (c >= 48 && c <= 57);
  }
  if (c == 101 || c == 69) {
    p++;
    c = at();
    if (c == 43 || c == 45) {
      p++;
      c = at();
    }
    if (!(c >= 48 && c <= 57)) {
      bad = true;
      return 0;
    }
    do {
      p++;
      c = at();
    } while (c >= 48 && c <= 57);
    numSlow = true;
    return 0;
  }
  if (digits > 15 || exp < -22) {
    numSlow = true;
    return 0;
  }
  const v = exp == 0 ? m : m / unchecked(POW10[-exp]);
  return neg ? -v : v;
}

function isNumStart(c: u32): bool {
  return c == 45 || (c >= 48 && c <= 57);
}

function literal(a: u32, b: u32, c: u32, d: u32, e: u32, n: usize): void {
  if (p + n > end) {
    bad = true;
    return;
  }
  const x = bytes + p;
  if (load<u8>(x) != a || load<u8>(x, 1) != b || load<u8>(x, 2) != c || load<u8>(x, 3) != d) bad = true;
  if (n == 5 && load<u8>(x, 4) != e) bad = true;
  p += n;
}

/** Skips any JSON value, validating it. */
function skip(): void {
  const c = ws();
  if (c == 34) {
    str();
  } else if (isNumStart(c)) {
    number();
  } else if (c == 91) {
    if (open(91, 93)) {
      do {
        skip();
        if (bad) return;
      } while (more(93));
    }
  } else if (c == 123) {
    if (open(123, 125)) {
      do {
        str();
        if (bad) return;
        expect(58);
        skip();
        if (bad) return;
      } while (more(125));
    }
  } else if (c == 116) {
    literal(116, 114, 117, 101, 0, 4);
  } else if (c == 102) {
    literal(102, 97, 108, 115, 101, 5);
  } else if (c == 110) {
    literal(110, 117, 108, 108, 0, 4);
  } else {
    bad = true;
  }
}

// Keys are compared as (length, first 8 bytes, next 8 bytes) packed into integers, computed once per key.
// @ts-ignore: decorator
@inline function packAt(ptr: usize, n: usize): u64 {
  if (n == 0) return 0;
  const v = load<u64>(ptr);
  return n >= 8 ? v : v & ((<u64>1 << (<u64>n << 3)) - 1);
}

function packName(name: string, from: i32): u64 {
  let v: u64 = 0;
  for (let i = from; i < name.length && i < from + 8; i++) v |= <u64>name.charCodeAt(i) << (<u64>(i - from) << 3);
  return v;
}

class Key {
  len: usize;
  lo: u64;
  hi: u64;
  constructor(name: string) {
    this.len = <usize>name.length;
    this.lo = packName(name, 0);
    this.hi = packName(name, 8);
  }
}

const K_ID = new Key('id');
const K_WIDTH = new Key('width');
const K_HEIGHT = new Key('height');
const K_NAME = new Key('name');
const K_IMAGE_ID = new Key('image_id');
const K_CATEGORY_ID = new Key('category_id');
const K_AREA = new Key('area');
const K_ISCROWD = new Key('iscrowd');
const K_IGNORE = new Key('ignore');
const K_BBOX = new Key('bbox');
const K_SEGMENTATION = new Key('segmentation');
const K_SCORE = new Key('score');
const K_CAPTION = new Key('caption');
const K_KEYPOINTS = new Key('keypoints');
const K_IMAGES = new Key('images');
const K_CATEGORIES = new Key('categories');
const K_ANNOTATIONS = new Key('annotations');
const K_SIZE = new Key('size');
const K_COUNTS = new Key('counts');

let keyLen: usize = 0;
let keyLo: u64 = 0;
let keyHi: u64 = 0;

/** Packs the string just read as the current key. */
function takeKey(): void {
  keyLen = strEnd - strStart;
  keyLo = packAt(bytes + strStart, keyLen < 8 ? keyLen : 8);
  keyHi = keyLen > 8 ? packAt(bytes + strStart + 8, keyLen - 8 < 8 ? keyLen - 8 : 8) : 0;
}

/** True when the current key (takeKey) is exactly `k`. */
// @ts-ignore: decorator
@inline function keyIs(k: Key): bool {
  return keyLen == k.len && keyLo == k.lo && keyHi == k.hi;
}

function fieldOf(table: i32): i32 {
  takeKey();
  if (table == 0) {
    if (keyIs(K_ID)) return 0;
    if (keyIs(K_WIDTH)) return 1;
    if (keyIs(K_HEIGHT)) return 2;
  } else if (table == 1) {
    if (keyIs(K_ID)) return 0;
    if (keyIs(K_NAME)) return 1;
  } else if (table == 2) {
    if (keyIs(K_ID)) return 0;
    if (keyIs(K_IMAGE_ID)) return 1;
    if (keyIs(K_CATEGORY_ID)) return 2;
    if (keyIs(K_AREA)) return 3;
    if (keyIs(K_ISCROWD)) return 4;
    if (keyIs(K_IGNORE)) return 5;
    if (keyIs(K_BBOX)) return 6;
    if (keyIs(K_SEGMENTATION)) return 7;
  } else {
    if (keyIs(K_IMAGE_ID)) return 0;
    if (keyIs(K_CATEGORY_ID)) return 1;
    if (keyIs(K_SCORE)) return 2;
    if (keyIs(K_BBOX)) return 3;
    if (keyIs(K_SEGMENTATION)) return 4;
    if (keyIs(K_CAPTION)) return 5;
    if (keyIs(K_KEYPOINTS)) return 6;
  }
  return -1;
}

/** Records a number outside the fast path (see the buffers above). */
function fixUp(target: i32, s: usize, e: usize): void {
  store<i32>(reserve(4, 4), target);
  setBufLen(4, bufLen(4) + 4);
  const n = e - s;
  const q = reserve(5, n + 1);
  memory.copy(q, bytes + s, n);
  store<u8>(q + n, 44);
  setBufLen(5, bufLen(5) + n + 1);
}

// @ts-ignore: decorator
@inline function setSlot(slot: usize, kind: i32, a: i32, b: i32, c: i32, d: i32, v: f64): void {
  store<i32>(slot, kind);
  store<i32>(slot, a, 4);
  store<i32>(slot, b, 8);
  store<i32>(slot, c, 12);
  store<i32>(slot, d, 16);
  store<f64>(slot, v, 24);
}

function generic(slot: usize, from: usize): void {
  p = from;
  ws();
  const s = p;
  skip();
  setSlot(slot, 2, <i32>s, <i32>p, 0, 0, 0);
}

/** A flat list of fast-path numbers appended to the f64 pool; false (p unspecified) when it is not one. */
function numberList(): bool {
  if (ws() != 91) return false;
  p++;
  if (ws() == 93) {
    p++;
    return true;
  }
  while (true) {
    if (!isNumStart(ws())) return false;
    const s = p;
    const v = number();
    if (bad) return false;
    const q = reserve(1, 8);
    store<f64>(q, numSlow ? NaN : v);
    if (numSlow) fixUp(<i32>(bufLen(1) >> 3), s, p);
    setBufLen(1, bufLen(1) + 8);
    const c = ws();
    p++;
    if (c == 93) return true;
    if (c != 44) return false;
  }
}

function numbersField(slot: usize): void {
  const from = p;
  const first = <i32>(bufLen(1) >> 3);
  const fixes = bufLen(4);
  const fixText = bufLen(5);
  if (numberList() && !bad) {
    setSlot(slot, 5, first, <i32>(bufLen(1) >> 3) - first, 0, 0, 0);
    return;
  }
  setBufLen(1, <usize>first << 3);
  setBufLen(4, fixes);
  setBufLen(5, fixText);
  bad = false;
  generic(slot, from);
}

function polygonsField(slot: usize): void {
  const from = p;
  const first = <i32>(bufLen(1) >> 3);
  const firstEnd = <i32>(bufLen(2) >> 2);
  const fixes = bufLen(4);
  const fixText = bufLen(5);
  let ok = ws() == 91;
  let parts = 0;
  if (ok) {
    p++;
    if (ws() == 93) ok = false;
    while (ok) {
      if (!numberList() || bad) {
        ok = false;
        break;
      }
      const q = reserve(2, 4);
      store<i32>(q, <i32>(bufLen(1) >> 3) - first);
      setBufLen(2, bufLen(2) + 4);
      parts++;
      const c = ws();
      p++;
      if (c == 93) break;
      if (c != 44) ok = false;
    }
  }
  // frPyObjects takes polygons only when the first part has more than 4 numbers.
  if (ok && parts > 0 && load<i32>(bufPtr(2) + (<usize>firstEnd << 2)) > 4) {
    setSlot(slot, 3, first, <i32>(bufLen(1) >> 3) - first, parts, firstEnd, 0);
    return;
  }
  setBufLen(1, <usize>first << 3);
  setBufLen(2, <usize>firstEnd << 2);
  setBufLen(4, fixes);
  setBufLen(5, fixText);
  bad = false;
  generic(slot, from);
}

let countsArea: u32 = 0;

/**
 * rleFrString over the string at p (after its opening quote) into the u32 pool, up to and past the closing quote;
 * false on a character or an escape a COCO string cannot hold (the caller then reads the value generically). The
 * one escape such a string can hold is \\ for the character 92. Also sums the area (odd counts, u32 like rleArea).
 */
function decodeCounts(): bool {
  let m: usize = 0;
  let prev1: u32 = 0; // counts[m - 1]
  let prev2: u32 = 0; // counts[m - 2]
  let area: u32 = 0;
  let q = bytes + p;
  while (true) {
    let c = <i32>load<u8>(q);
    if (c == 34) break;
    let x: i32 = 0;
    let k: i32 = 0;
    do {
      c = <i32>load<u8>(q++);
      if (c == 92) {
        if (load<u8>(q) != 92) return false;
        q++;
      }
      c -= 48;
      if (<u32>c > 63) return false; // also the closing quote inside a value, and the 0 after the file
      x |= (c & 0x1f) << (5 * k);
      k++;
    } while (c & 0x20);
    if (c & 0x10) x |= -1 << (5 * k);
    const v: u32 = m > 2 ? <u32>x + prev2 : <u32>x;
    store<u32>(reserve(3, 4), v);
    setBufLen(3, bufLen(3) + 4);
    if (m & 1) area += v;
    prev2 = prev1;
    prev1 = v;
    m++;
  }
  p = q - bytes + 1;
  countsArea = area;
  return true;
}

/** A size value: a fast-path non-negative integer below 2^31, else -1. */
function sizeValue(): i32 {
  if (!isNumStart(ws())) return -1;
  const v = number();
  if (bad || numSlow || v < 0 || v >= 2147483648.0 || v != Math.floor(v)) return -1;
  return <i32>v;
}

function rleField(slot: usize): void {
  const from = p;
  const first = bufLen(3);
  let h = -1;
  let w = -1;
  let haveCounts = false;
  let ok = ws() == 123;
  if (ok) {
    p++;
    if (ws() == 125) ok = false;
    while (ok) {
      str();
      if (bad || strEscaped) {
        ok = false;
        break;
      }
      expect(58);
      if (bad) {
        ok = false;
        break;
      }
      takeKey();
      if (keyIs(K_SIZE)) {
        if (ws() != 91) {
          ok = false;
          break;
        }
        p++;
        h = sizeValue();
        if (h < 0 || ws() != 44) {
          ok = false;
          break;
        }
        p++;
        w = sizeValue();
        if (w < 0 || ws() != 93) {
          ok = false;
          break;
        }
        p++;
      } else if (keyIs(K_COUNTS)) {
        if (ws() != 34) {
          ok = false;
          break;
        }
        p++;
        setBufLen(3, first); // a repeated "counts": the last one wins, as in JSON.parse
        if (!decodeCounts()) {
          ok = false;
          break;
        }
        haveCounts = true;
      } else {
        ok = false;
        break;
      }
      const c = ws();
      p++;
      if (c == 125) break;
      if (c != 44) ok = false;
    }
  }
  if (ok && haveCounts && h >= 0 && <u64>h * <u64>w <= 0xffffffff) {
    setSlot(slot, 4, <i32>(first >> 2), <i32>((bufLen(3) - first) >> 2), h, w, <f64>countsArea);
    return;
  }
  setBufLen(3, first);
  bad = false;
  generic(slot, from);
}

/** One field value into its slot. */
function field(table: i32, f: i32, slot: usize): void {
  const c = ws();
  if ((table == 2 && f == 6) || (table == 3 && f == 3)) {
    numbersField(slot);
  } else if (table == 2 && f == 7) {
    polygonsField(slot);
  } else if (table == 3 && f == 4) {
    rleField(slot);
  } else if (isNumStart(c)) {
    const s = p;
    const v = number();
    if (bad) return;
    setSlot(slot, 1, 0, 0, 0, 0, numSlow ? NaN : v);
    if (numSlow) fixUp(-1 - <i32>((slot - bufPtr(0)) / SLOT), s, p);
  } else {
    generic(slot, p);
  }
}

/** An array of objects into table `table`. */
function table(t: i32): void {
  if (tableRows(t) >= 0) {
    bad = true; // the same list twice: leave the rule "last wins" to JSON.parse
    return;
  }
  const nf = <usize>fieldCount(t);
  store<i32>(TABLE_START + (<usize>t << 2), <i32>(bufLen(0) / SLOT));
  let rows = 0;
  if (ws() != 91) {
    bad = true;
    return;
  }
  if (open(91, 93)) {
    do {
      const row = reserve(0, nf * SLOT);
      memory.fill(row, 0, nf * SLOT);
      setBufLen(0, bufLen(0) + nf * SLOT);
      rows++;
      if (open(123, 125)) {
        do {
          str();
          if (bad || strEscaped) {
            bad = true;
            return;
          }
          expect(58);
          if (bad) return;
          const f = fieldOf(t);
          if (f >= 0) {
            const slot = bufPtr(0) + (<usize>(tableStart(t) + (rows - 1) * <i32>nf) + <usize>f) * SLOT;
            // A repeated key: JSON.parse keeps the last one; leave such files to it.
            if (load<i32>(slot) != 0) {
              bad = true;
              return;
            }
            field(t, f, slot);
          } else {
            skip();
          }
          if (bad) return;
        } while (more(125));
      }
      if (bad) return;
    } while (more(93));
  }
  store<i32>(TABLE_ROWS + (<usize>t << 2), rows);
}

/** Scans `len` bytes at `ptr`: kind 0 = ground truth, 1 = results. Returns 1, or 0 (see the top of this file). */
export function scanCoco(ptr: usize, len: i32, kind: i32): i32 {
  bytes = ptr;
  end = <usize>len;
  p = 0;
  bad = false;
  for (let i = 0; i < 6; i++) setBufLen(i, 0);
  for (let i = 0; i < 4; i++) {
    store<i32>(TABLE_ROWS + (<usize>i << 2), -1);
    store<i32>(TABLE_START + (<usize>i << 2), 0);
  }
  if (kind == 0) {
    if (!open(123, 125)) return bad ? 0 : 1;
    do {
      str();
      if (bad || strEscaped) return 0;
      expect(58);
      if (bad) return 0;
      takeKey();
      if (keyIs(K_IMAGES)) table(0);
      else if (keyIs(K_CATEGORIES)) table(1);
      else if (keyIs(K_ANNOTATIONS)) table(2);
      else skip();
      if (bad) return 0;
    } while (more(125));
  } else if (ws() == 91) {
    table(3);
  } else {
    if (!open(123, 125)) return 0;
    do {
      str();
      if (bad || strEscaped) return 0;
      expect(58);
      if (bad) return 0;
      takeKey();
      if (keyIs(K_ANNOTATIONS)) table(3);
      else skip();
      if (bad) return 0;
    } while (more(125));
    if (tableRows(3) < 0) return 0;
  }
  if (bad || ws() != 0 || p < end) return 0;
  return 1;
}

/** Where output buffer `i` starts (0 slots, 1 f64 pool, 2 i32 pool, 3 u32 pool, 4 fix-ups); valid until the next scan. */
export function scanBufferPtr(i: i32): usize {
  return bufPtr(i);
}

export function scanBufferBytes(i: i32): i32 {
  return <i32>bufLen(i);
}

/** Rows of table t (-1 when the file has no such list) and its first slot. */
export function scanTableRows(t: i32): i32 {
  return tableRows(t);
}

export function scanTableStart(t: i32): i32 {
  return tableStart(t);
}
