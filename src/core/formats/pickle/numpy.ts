// numpy arrays as they come out of a pickle: dtype('f8', False, True) + BUILD(state), and
// _reconstruct(ndarray, (0,), b'b') + BUILD((1, shape, dtype, is_fortran, raw)), or (protocol 5)
// _frombuffer(buffer, dtype, shape, order). Numeric and bool dtypes are copied into a typed array in storage order
// (C or Fortran), whatever the byte order it was written in. Text dtypes decode too: 'U' (UTF-32 code points, as
// an np.str_ data_hash that pydantic v1 keeps as a numpy scalar) to strings and 'S' (bytes) to byte strings,
// trailing NULs stripped as numpy does; an array of them holds `strings` instead of numbers.
// int64 / uint64 values beyond 2^53 cannot be numbers exactly: a scalar becomes a bigint (like a Python int) and an
// array keeps the first such value in `unsafeInteger`, so the record using it is refused and not the whole file.

export type NumericArray =
  Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array;

export type ByteOrder = '<' | '>' | '|';

const KINDS = new Set(['f', 'i', 'u', 'b', 'U', 'S']);
const SIZES: Record<string, number[]> = { f: [2, 4, 8], i: [1, 2, 4, 8], u: [1, 2, 4, 8], b: [1] };

export class DType {
  static readonly pyName = 'dtype';
  constructor(
    /** numpy's kind: 'f' float, 'i' signed int, 'u' unsigned int, 'b' bool, 'U' unicode text, 'S' bytes. */
    readonly kind: 'f' | 'i' | 'u' | 'b' | 'U' | 'S',
    readonly itemsize: number,
    public byteorder: ByteOrder,
  ) {}

  /** numpy's dtype.str, e.g. '<f8', '|u1', '>i4', '<U36'. */
  get str(): string {
    return `${this.byteorder}${this.kind}${this.kind === 'U' ? this.itemsize / 4 : this.itemsize}`;
  }

  get isText(): boolean {
    return this.kind === 'U' || this.kind === 'S';
  }

  /** Parses the first argument of a pickled dtype(...) call: 'f8', 'u1', 'b1', '<i4', 'float64', 'bool', ... */
  static parse(spec: string): DType {
    const named = NAMED[spec];
    const m = /^([<>=|]?)([a-zA-Z])(\d+)$/.exec(named ?? spec);
    if (!m) throw new Error(`numpy dtype "${spec}" is not supported (only numeric and bool arrays are)`);
    const kind = m[2] === '?' ? 'b' : m[2];
    const count = Number(m[3]);
    const size = kind === 'U' ? count * 4 : count;
    const text = kind === 'U' || kind === 'S';
    if (!KINDS.has(kind) || (!text && !SIZES[kind].includes(size)) || !Number.isSafeInteger(size)) {
      throw new Error(`numpy dtype "${spec}" is not supported (only float, int, uint, bool and text arrays are)`);
    }
    const order = m[1] === '>' ? '>' : size === 1 || kind === 'S' ? '|' : '<';
    return new DType(kind as DType['kind'], size, order);
  }

  /**
   * numpy's dtype.__setstate__: (3, byteorder, subarray, names, fields, elsize, alignment, flags[, metadata]).
   * Structured and sub-array dtypes are refused.
   */
  setState(state: readonly unknown[]): void {
    const [version, order, subarray, names] = state;
    if (version !== 3 && version !== 4)
      throw new Error(`numpy dtype state version ${String(version)} is not supported`);
    if (subarray != null || names != null) throw new Error('structured numpy dtypes are not supported');
    const single = this.itemsize === 1 || this.kind === 'S';
    if (order === '<' || order === '>' || order === '|') this.byteorder = single ? '|' : order;
    else if (order === '=') this.byteorder = single ? '|' : '<';
    else throw new Error(`numpy dtype byte order ${JSON.stringify(order)} is not understood`);
  }
}

const NAMED: Record<string, string> = {
  '?': 'b1',
  bool: 'b1',
  float16: 'f2',
  float32: 'f4',
  float64: 'f8',
  float: 'f8',
  int8: 'i1',
  int16: 'i2',
  int32: 'i4',
  int64: 'i8',
  int: 'i8',
  uint8: 'u1',
  uint16: 'u2',
  uint32: 'u4',
  uint64: 'u8',
};

export class NdArray {
  static readonly pyName = 'ndarray';
  dtype: DType = new DType('f', 8, '<');
  shape: number[] = [0];
  /** True when `data` is in column-major (Fortran) order. */
  fortranOrder = false;
  /** The values in storage order. int64/uint64 are given as float64 (exact up to 2^53; see unsafeInteger). */
  data: NumericArray = new Float64Array(0);
  /** Text dtypes ('U', 'S'): the values in storage order (data is then empty). */
  strings?: (string | Uint8Array)[];
  /** The first int64/uint64 value beyond 2^53 (stored as NaN in data), when there is one. */
  unsafeInteger?: bigint;

  get size(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }

  /** The value at a multi-dimensional index, whatever the storage order. */
  get(...index: number[]): number {
    return this.data[this.offsetOf(index)];
  }

  offsetOf(index: number[]): number {
    let offset = 0;
    if (this.fortranOrder) {
      for (let d = this.shape.length - 1; d >= 0; d--) offset = offset * this.shape[d] + index[d];
    } else {
      for (let d = 0; d < this.shape.length; d++) offset = offset * this.shape[d] + index[d];
    }
    return offset;
  }

  /** Nested JS arrays in logical order, like numpy's tolist() (bool arrays give booleans). */
  toNested(): unknown {
    const leaf = this.dtype.kind === 'b' ? (v: number) => v !== 0 : (v: number) => v;
    const walk = (dim: number, prefix: number[]): unknown =>
      dim === this.shape.length
        ? leaf(this.get(...prefix))
        : Array.from({ length: this.shape[dim] }, (_, i) => walk(dim + 1, [...prefix, i]));
    return walk(0, []);
  }

  /** ndarray.__setstate__: (version, shape, dtype, is_fortran, rawdata) or the older 4-tuple without version. */
  setState(state: readonly unknown[]): void {
    const s = state.length === 5 ? state.slice(1) : state;
    if (s.length !== 4) throw new Error(`numpy array state has ${state.length} items, expected 4 or 5`);
    const [shape, dtype, isFortran, raw] = s;
    if (!(dtype instanceof DType)) throw new Error('numpy array state has no dtype');
    const dims = toShape(shape);
    let bytes: Uint8Array;
    if (raw instanceof Uint8Array) bytes = raw;
    // Python 2 pickles (and protocol 0/1 with encoding='latin1') carry the raw bytes as a str.
    else if (typeof raw === 'string') bytes = latin1Bytes(raw);
    else if (Array.isArray(raw)) throw new Error('numpy object arrays are not supported');
    else throw new Error('numpy array state has no raw data');
    this.fill(bytes, dtype, dims, isFortran === true);
  }

  fill(bytes: Uint8Array, dtype: DType, shape: number[], fortranOrder: boolean): void {
    const count = shape.reduce((a, b) => a * b, 1);
    if (bytes.length !== count * dtype.itemsize) {
      throw new Error(
        `numpy array of shape (${shape.join(', ')}) and dtype ${dtype.str} needs ${count * dtype.itemsize} bytes, ` +
          `the pickle holds ${bytes.length}`,
      );
    }
    this.dtype = dtype;
    this.shape = shape;
    this.fortranOrder = fortranOrder && shape.length > 1;
    if (dtype.isText) {
      this.strings = Array.from({ length: count }, (_, i) =>
        decodeText(bytes.subarray(i * dtype.itemsize, (i + 1) * dtype.itemsize), dtype),
      );
      this.data = new Float64Array(0);
      return;
    }
    const unsafe = (v: bigint) => (this.unsafeInteger ??= v);
    this.data = decodeBuffer(bytes, dtype, count, unsafe);
  }
}

export function toShape(value: unknown): number[] {
  const items = Array.isArray(value)
    ? value
    : ((value as { items?: unknown[] } | null)?.items ?? (typeof value === 'number' ? [value] : undefined));
  if (!items || !items.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) {
    throw new Error(`numpy array shape ${String(value)} is not a tuple of non-negative ints`);
  }
  return [...(items as number[])];
}

export function latin1Bytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 255) throw new Error(`character U+${c.toString(16)} cannot be encoded as latin-1`);
    out[i] = c;
  }
  return out;
}

/** One 'U' (UTF-32) or 'S' (bytes) item, trailing NULs stripped as numpy does. */
export function decodeText(item: Uint8Array, dtype: DType): string | Uint8Array {
  let end = item.length;
  if (dtype.kind === 'S') {
    while (end > 0 && item[end - 1] === 0) end--;
    return item.slice(0, end);
  }
  const view = new DataView(item.buffer, item.byteOffset, item.byteLength);
  const le = dtype.byteorder !== '>';
  const codes: number[] = [];
  for (let o = 0; o + 4 <= item.length; o += 4) codes.push(view.getUint32(o, le));
  while (codes.length > 0 && codes[codes.length - 1] === 0) codes.pop();
  const bad = codes.find((c) => c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff));
  if (bad !== undefined) throw new Error(`numpy str holds U+${bad.toString(16)}, which is not a character`);
  return String.fromCodePoint(...codes);
}

function decodeBuffer(bytes: Uint8Array, dtype: DType, count: number, unsafe: (v: bigint) => void): NumericArray {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = dtype.byteorder !== '>';
  const n = dtype.itemsize;
  const each = <T extends NumericArray>(out: T, read: (offset: number) => number): T => {
    for (let i = 0; i < count; i++) out[i] = read(i * n);
    return out;
  };
  switch (dtype.kind + n) {
    case 'b1':
    case 'u1':
      return bytes.slice();
    case 'i1':
      return new Int8Array(bytes.slice().buffer);
    case 'u2':
      return each(new Uint16Array(count), (o) => view.getUint16(o, le));
    case 'i2':
      return each(new Int16Array(count), (o) => view.getInt16(o, le));
    case 'u4':
      return each(new Uint32Array(count), (o) => view.getUint32(o, le));
    case 'i4':
      return each(new Int32Array(count), (o) => view.getInt32(o, le));
    case 'f2':
      return each(new Float32Array(count), (o) => halfToFloat(view.getUint16(o, le)));
    case 'f4':
      return each(new Float32Array(count), (o) => view.getFloat32(o, le));
    case 'f8':
      return each(new Float64Array(count), (o) => view.getFloat64(o, le));
    case 'i8':
      return each(new Float64Array(count), (o) => safeInt(view.getBigInt64(o, le), unsafe));
    case 'u8':
      return each(new Float64Array(count), (o) => safeInt(view.getBigUint64(o, le), unsafe));
  }
  throw new Error(`numpy dtype ${dtype.str} is not supported`);
}

function safeInt(v: bigint, unsafe: (v: bigint) => void): number {
  const n = Number(v);
  if (Number.isSafeInteger(n)) return n;
  unsafe(v);
  return NaN;
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}
