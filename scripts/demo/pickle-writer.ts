// A minimal protocol-4 pickle writer, so the demo's .pkl is a real pickle written by Node alone. It emits the
// opcodes CPython's pickler uses for the same values (see /work/shared/fixtures/pkl/*.pickletools.txt): strings,
// globals, tuples, dicts, sets, lists, bytes and built objects are memoised (MEMOIZE) and repeats are BINGETs;
// dicts/sets/lists are filled with MARK ... SETITEMS/ADDITEMS/APPENDS in batches of 1000; the body is cut into
// frames of about 64 KiB (FRAME), as CPython does.
//
// Values: null (None), boolean, number (a Python float), PyInt (an int), string (str), Uint8Array (bytes),
// unknown[] (list), and the classes below for tuple, dict, set, a global, REDUCE and NEWOBJ+BUILD.

export class PyInt {
  constructor(readonly value: number) {
    if (!Number.isSafeInteger(value)) throw new RangeError(`PyInt ${value} is not a safe integer`);
  }
}
export class PyTuple {
  constructor(readonly items: PyValue[]) {}
}
export class PyDict {
  constructor(readonly entries: [PyValue, PyValue][]) {}
}
export class PySet {
  constructor(readonly items: PyValue[]) {}
}
export class PyGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
}
/** callable(*args), then BUILD(state) when a state is given (numpy arrays and dtypes). */
export class PyReduce {
  constructor(
    readonly callable: PyValue,
    readonly args: PyTuple,
    readonly state?: PyValue,
  ) {}
}
/** cls.__new__(cls) (EMPTY_TUPLE + NEWOBJ), then BUILD(state): how pydantic models pickle. */
export class PyObject {
  constructor(
    readonly cls: PyGlobal,
    readonly state: PyValue,
  ) {}
}

export type PyValue =
  | null
  | boolean
  | number
  | string
  | Uint8Array
  | PyInt
  | PyTuple
  | PyDict
  | PySet
  | PyGlobal
  | PyReduce
  | PyObject
  | PyValue[];

const FRAME_TARGET = 64 * 1024;
const BATCH = 1000;

const OP = {
  PROTO: 0x80,
  FRAME: 0x95,
  STOP: 0x2e,
  MEMOIZE: 0x94,
  BINGET: 0x68,
  LONG_BINGET: 0x6a,
  MARK: 0x28,
  NONE: 0x4e,
  NEWTRUE: 0x88,
  NEWFALSE: 0x89,
  BININT1: 0x4b,
  BININT2: 0x4d,
  BININT: 0x4a,
  LONG1: 0x8a,
  BINFLOAT: 0x47,
  SHORT_BINUNICODE: 0x8c,
  BINUNICODE: 0x58,
  SHORT_BINBYTES: 0x43,
  BINBYTES: 0x42,
  EMPTY_TUPLE: 0x29,
  TUPLE1: 0x85,
  TUPLE2: 0x86,
  TUPLE3: 0x87,
  TUPLE: 0x74,
  EMPTY_LIST: 0x5d,
  APPEND: 0x61,
  APPENDS: 0x65,
  EMPTY_DICT: 0x7d,
  SETITEM: 0x73,
  SETITEMS: 0x75,
  EMPTY_SET: 0x8f,
  ADDITEMS: 0x90,
  STACK_GLOBAL: 0x93,
  REDUCE: 0x52,
  NEWOBJ: 0x81,
  BUILD: 0x62,
} as const;

class ByteSink {
  #buf = new Uint8Array(1024);
  length = 0;
  #ensure(n: number) {
    if (this.length + n <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#buf.subarray(0, this.length));
    this.#buf = next;
  }
  byte(b: number) {
    this.#ensure(1);
    this.#buf[this.length++] = b;
  }
  bytes(b: Uint8Array) {
    this.#ensure(b.length);
    this.#buf.set(b, this.length);
    this.length += b.length;
  }
  u32le(v: number) {
    this.#ensure(4);
    new DataView(this.#buf.buffer).setUint32(this.length, v, true);
    this.length += 4;
  }
  i32le(v: number) {
    this.#ensure(4);
    new DataView(this.#buf.buffer).setInt32(this.length, v, true);
    this.length += 4;
  }
  f64be(v: number) {
    this.#ensure(8);
    new DataView(this.#buf.buffer).setFloat64(this.length, v, false);
    this.length += 8;
  }
  view(from = 0, to = this.length): Uint8Array {
    return this.#buf.subarray(from, to);
  }
}

class Pickler {
  readonly out = new ByteSink();
  /** Memoised values (by identity; strings and globals by value) -> memo index. */
  readonly #memo = new Map<unknown, number>();
  readonly #enc = new TextEncoder();

  #memoize(key: unknown) {
    this.#memo.set(key, this.#memo.size);
    this.out.byte(OP.MEMOIZE);
  }

  #get(key: unknown): boolean {
    const at = this.#memo.get(key);
    if (at === undefined) return false;
    if (at < 256) {
      this.out.byte(OP.BINGET);
      this.out.byte(at);
    } else {
      this.out.byte(OP.LONG_BINGET);
      this.out.u32le(at);
    }
    return true;
  }

  save(v: PyValue): void {
    if (v === null) return this.out.byte(OP.NONE);
    if (v === true) return this.out.byte(OP.NEWTRUE);
    if (v === false) return this.out.byte(OP.NEWFALSE);
    if (typeof v === 'number') {
      this.out.byte(OP.BINFLOAT);
      return this.out.f64be(v);
    }
    if (typeof v === 'string') return this.#string(v);
    if (v instanceof PyInt) return this.#int(v.value);
    if (v instanceof Uint8Array) return this.#bytes(v);
    if (Array.isArray(v)) return this.#list(v);
    if (v instanceof PyTuple) return this.#tuple(v);
    if (v instanceof PyDict) return this.#dict(v);
    if (v instanceof PySet) return this.#set(v);
    if (v instanceof PyGlobal) return this.#global(v);
    if (v instanceof PyReduce) {
      if (this.#get(v)) return;
      this.save(v.callable);
      this.save(v.args);
      this.out.byte(OP.REDUCE);
      this.#memoize(v);
      if (v.state !== undefined) {
        this.save(v.state);
        this.out.byte(OP.BUILD);
      }
      return;
    }
    if (v instanceof PyObject) {
      if (this.#get(v)) return;
      this.save(v.cls);
      this.out.byte(OP.EMPTY_TUPLE);
      this.out.byte(OP.NEWOBJ);
      this.#memoize(v);
      this.save(v.state);
      this.out.byte(OP.BUILD);
      return;
    }
    throw new TypeError(`cannot pickle ${String(v)}`);
  }

  #int(n: number) {
    if (n >= 0 && n < 256) {
      this.out.byte(OP.BININT1);
      this.out.byte(n);
    } else if (n >= 0 && n < 65536) {
      this.out.byte(OP.BININT2);
      this.out.byte(n & 0xff);
      this.out.byte(n >> 8);
    } else if (n >= -(2 ** 31) && n < 2 ** 31) {
      this.out.byte(OP.BININT);
      this.out.i32le(n);
    } else {
      // LONG1: little-endian two's complement, as few bytes as hold the sign.
      const bytes: number[] = [];
      let x = BigInt(n);
      do {
        bytes.push(Number(x & 0xffn));
        x >>= 8n;
      } while (!(
        (x === 0n && (bytes[bytes.length - 1] & 0x80) === 0) ||
        (x === -1n && (bytes[bytes.length - 1] & 0x80) !== 0)
      ));
      this.out.byte(OP.LONG1);
      this.out.byte(bytes.length);
      for (const b of bytes) this.out.byte(b);
    }
  }

  #string(s: string) {
    if (this.#get(`s:${s}`)) return;
    const utf8 = this.#enc.encode(s);
    if (utf8.length < 256) {
      this.out.byte(OP.SHORT_BINUNICODE);
      this.out.byte(utf8.length);
    } else {
      this.out.byte(OP.BINUNICODE);
      this.out.u32le(utf8.length);
    }
    this.out.bytes(utf8);
    this.#memoize(`s:${s}`);
  }

  #bytes(b: Uint8Array) {
    if (this.#get(b)) return;
    if (b.length < 256) {
      this.out.byte(OP.SHORT_BINBYTES);
      this.out.byte(b.length);
    } else {
      this.out.byte(OP.BINBYTES);
      this.out.u32le(b.length);
    }
    this.out.bytes(b);
    this.#memoize(b);
  }

  #global(g: PyGlobal) {
    const key = `g:${g.module}.${g.name}`;
    if (this.#get(key)) return;
    this.#string(g.module);
    this.#string(g.name);
    this.out.byte(OP.STACK_GLOBAL);
    this.#memoize(key);
  }

  #tuple(t: PyTuple) {
    if (t.items.length === 0) return this.out.byte(OP.EMPTY_TUPLE);
    if (this.#get(t)) return;
    if (t.items.length <= 3) {
      for (const item of t.items) this.save(item);
      this.out.byte([OP.TUPLE1, OP.TUPLE2, OP.TUPLE3][t.items.length - 1]);
    } else {
      this.out.byte(OP.MARK);
      for (const item of t.items) this.save(item);
      this.out.byte(OP.TUPLE);
    }
    this.#memoize(t);
  }

  #batched<T>(items: readonly T[], one: number, many: number, write: (item: T) => void) {
    for (let i = 0; i < items.length; i += BATCH) {
      const batch = items.slice(i, i + BATCH);
      if (batch.length === 1) {
        write(batch[0]);
        this.out.byte(one);
      } else {
        this.out.byte(OP.MARK);
        batch.forEach(write);
        this.out.byte(many);
      }
    }
  }

  #list(items: PyValue[]) {
    if (this.#get(items)) return;
    this.out.byte(OP.EMPTY_LIST);
    this.#memoize(items);
    this.#batched(items, OP.APPEND, OP.APPENDS, (item) => this.save(item));
  }

  #dict(d: PyDict) {
    if (this.#get(d)) return;
    this.out.byte(OP.EMPTY_DICT);
    this.#memoize(d);
    this.#batched(d.entries, OP.SETITEM, OP.SETITEMS, ([k, v]) => {
      this.save(k);
      this.save(v);
    });
  }

  #set(s: PySet) {
    if (this.#get(s)) return;
    this.out.byte(OP.EMPTY_SET);
    this.#memoize(s);
    // Sets have no single-item opcode: ADDITEMS always takes a MARK.
    for (let i = 0; i < s.items.length; i += BATCH) {
      this.out.byte(OP.MARK);
      s.items.slice(i, i + BATCH).forEach((item) => this.save(item));
      this.out.byte(OP.ADDITEMS);
    }
  }
}

/** Pickles `value` with protocol 4: PROTO 4, the body in FRAMEs of about 64 KiB, STOP. */
export function pickle(value: PyValue): Uint8Array {
  const p = new Pickler();
  p.save(value);
  p.out.byte(OP.STOP);
  const body = p.out.view();
  // A frame must hold whole opcodes, so the body is cut at the first opcode start after every ~64 KiB.
  const out = new ByteSink();
  out.byte(OP.PROTO);
  out.byte(4);
  const cuts = frameCuts(body);
  let from = 0;
  for (const to of [...cuts, body.length]) {
    if (to <= from) continue;
    out.byte(OP.FRAME);
    const len = to - from;
    out.u32le(len);
    out.u32le(0);
    out.bytes(body.subarray(from, to));
    from = to;
  }
  return out.view().slice();
}

/**
 * Safe frame boundaries: the body is re-walked opcode by opcode (only the opcodes this writer emits) and a cut is
 * made at the first opcode start at or after every FRAME_TARGET bytes.
 */
function frameCuts(body: Uint8Array): number[] {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const cuts: number[] = [];
  let next = FRAME_TARGET;
  let i = 0;
  while (i < body.length) {
    if (i >= next) {
      cuts.push(i);
      next = i + FRAME_TARGET;
    }
    const op = body[i++];
    switch (op) {
      case OP.BINGET:
      case OP.BININT1:
        i += 1;
        break;
      case OP.BININT2:
        i += 2;
        break;
      case OP.LONG_BINGET:
      case OP.BININT:
        i += 4;
        break;
      case OP.BINFLOAT:
        i += 8;
        break;
      case OP.LONG1:
        i += 1 + body[i];
        break;
      case OP.SHORT_BINUNICODE:
      case OP.SHORT_BINBYTES:
        i += 1 + body[i];
        break;
      case OP.BINUNICODE:
      case OP.BINBYTES:
        i += 4 + view.getUint32(i, true);
        break;
      default:
        break; // one-byte opcodes
    }
  }
  return cuts;
}
