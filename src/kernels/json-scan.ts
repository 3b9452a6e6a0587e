// The byte loop of the COCO file reader (assembly/json-scan.ts): copies a file into wasm memory, scans it, and copies
// the tables and pools out. The slot layout is documented once, at the top of assembly/json-scan.ts.
import type { Kernels } from './wasm.ts';

export const SLOT_BYTES = 32;

/** Slot kinds (see assembly/json-scan.ts). */
export const SlotKind = { Absent: 0, Number: 1, Json: 2, Polygons: 3, Rle: 4, Numbers: 5 } as const;

export interface ScannedTable {
  rows: number;
  fields: number;
  /** Slot s of row r, field f: s = r * fields + f; i32 view (5 per slot: kind, a, b, c, d) at 8 * s. */
  ints: Int32Array;
  /** f64 view: v of slot s at 4 * s + 3. */
  values: Float64Array;
}

export interface ScannedFile {
  /**
   * Tables 0 images, 1 categories, 2 annotations (ground truth) or 3 results; undefined where the file has none.
   * They are views of wasm memory: read them before the next kernel call.
   */
  tables: (ScannedTable | undefined)[];
  f64: Float64Array;
  i32: Int32Array;
  u32: Uint32Array;
}

const FIELDS = [3, 2, 8, 7];
const latin1 = new TextDecoder('latin1');

type ScanFn = (ptr: number, len: number, kind: number) => number;

/** Scans a ground-truth (kind 0) or results (kind 1) file; undefined when it is not of the shape the scanner reads. */
export function scanCocoBytes(k: Kernels, bytes: Uint8Array, kind: 0 | 1): ScannedFile | undefined {
  // The scanner reads one byte past the file: a 0, which is invalid in every place, so its loops need no bounds check.
  const ptr = k.slot('scan.bytes', bytes.length + 1);
  const into = k.u8(ptr, bytes.length + 1);
  into.set(bytes);
  into[bytes.length] = 0;
  const ok = k.fn<ScanFn>('scanCoco')(ptr, bytes.length, kind);
  if (!ok) return undefined;
  const bufPtr = k.fn<(i: number) => number>('scanBufferPtr');
  const bufBytes = k.fn<(i: number) => number>('scanBufferBytes');
  const copy = (i: number): ArrayBuffer => {
    const n = bufBytes(i);
    return n === 0 ? new ArrayBuffer(0) : k.u8(bufPtr(i), n).slice().buffer;
  };
  // The slots are read at once by the caller, before any other kernel call: a view, not a copy.
  const slots = k.exports.memory.buffer;
  const slotBase = bufPtr(0);
  const tables: (ScannedTable | undefined)[] = [];
  for (let t = 0; t < 4; t++) {
    const rows = k.fn<(t: number) => number>('scanTableRows')(t);
    if (rows < 0) {
      tables.push(undefined);
      continue;
    }
    const start = k.fn<(t: number) => number>('scanTableStart')(t);
    const fields = FIELDS[t];
    const byteOffset = slotBase + start * SLOT_BYTES;
    const n = rows * fields * SLOT_BYTES;
    tables.push({
      rows,
      fields,
      ints: new Int32Array(slots, byteOffset, n / 4),
      values: new Float64Array(slots, byteOffset, n / 8),
    });
  }
  const f64 = new Float64Array(copy(1));
  // Numbers outside the scanner's fast path: their texts, comma-separated, parsed by one JSON.parse.
  const fixes = k.i32(bufPtr(4), bufBytes(4) >> 2).slice();
  if (fixes.length > 0) {
    const text = latin1.decode(k.u8(bufPtr(5), bufBytes(5) - 1));
    const values = JSON.parse(`[${text}]`) as number[];
    const slotValues = new Float64Array(k.exports.memory.buffer, bufPtr(0), bufBytes(0) >> 3);
    for (let j = 0; j < fixes.length; j++) {
      const target = fixes[j];
      if (target >= 0) f64[target] = values[j];
      else slotValues[4 * (-1 - target) + 3] = values[j];
    }
  }
  return { tables, f64, i32: new Int32Array(copy(2)), u32: new Uint32Array(copy(3)) };
}
