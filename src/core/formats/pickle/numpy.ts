// numpy arrays as they come out of a pickle: dtype('f8', False, True) + BUILD(state), and
// _reconstruct(ndarray, (0,), b'b') + BUILD((1, shape, dtype, is_fortran, raw)), or (protocol 5)
// _frombuffer(buffer, dtype, shape, order). Only plain numeric and bool dtypes are supported; the data is copied
// into a typed array in storage order (C or Fortran), whatever the byte order it was written in.

export type NumericArray =
  Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array;

export type ByteOrder = '<' | '>' | '|';

const KINDS = new Set(['f', 'i', 'u', 'b']);
const SIZES: Record<string, number[]> = { f: [2, 4, 8], i: [1, 2, 4, 8], u: [1, 2, 4, 8], b: [1] };

export class DType {
  static readonly pyName = 'dtype';
  constructor(
    /** numpy's kind: 'f' float, 'i' signed int, 'u' unsigned int, 'b' bool. */
    readonly kind: 'f' | 'i' | 'u' | 'b',
    readonly itemsize: number,
    public byteorder: ByteOrder,
  ) {}

  /** numpy's dtype.str, e.g. '<f8', '|u1', '>i4'. */
  get str(): string {
    return `${this.byteorder}${this.kind}${this.itemsize}`;
  }

  /** Parses the first argument of a pickled dtype(...) call: 'f8', 'u1', 'b1', '<i4', 'float64', 'bool', ... */
  static parse(spec: string): DType {
    const named = NAMED[spec];
    const m = /^([<>=|]?)([a-zA-Z])(\d+)$/.exec(named ?? spec);
    if (!m) throw new Error(`numpy dtype "${spec}" is not supported (only numeric and bool arrays are)`);
    const kind = m[2] === '?' ? 'b' : m[2];
    const size = Number(m[3]);
    if (!KINDS.has(kind) || !SIZES[kind].includes(size)) {
      throw new Error(`numpy dtype "${spec}" is not supported (only float, int, uint and bool arrays are)`);
    }
    const order = m[1] === '>' ? '>' : size === 1 ? '|' : '<';
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
    if (order === '<' || order === '>' || order === '|') this.byteorder = this.itemsize === 1 ? '|' : order;
    else if (order === '=') this.byteorder = this.itemsize === 1 ? '|' : '<';
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
  /** The values in storage order. int64/uint64 are given as float64 (exact up to 2^53; larger values are refused). */
  data: NumericArray = new Float64Array(0);

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
    this.data = decodeBuffer(bytes, dtype, count);
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

function decodeBuffer(bytes: Uint8Array, dtype: DType, count: number): NumericArray {
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
      return each(new Float64Array(count), (o) => safeInt(view.getBigInt64(o, le)));
    case 'u8':
      return each(new Float64Array(count), (o) => safeInt(view.getBigUint64(o, le)));
  }
  throw new Error(`numpy dtype ${dtype.str} is not supported`);
}

function safeInt(v: bigint): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new Error(`numpy int64 value ${v} is too large to use`);
  return n;
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}
