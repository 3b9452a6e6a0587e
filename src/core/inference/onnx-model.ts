// What an .onnx file says about itself, read straight from its protobuf bytes: the graph's inputs and outputs
// (names, element types, dimensions, symbolic or fixed) and the model's metadata (Ultralytics writes `names`,
// `imgsz`, `stride`, `task` there). Neither onnxruntime-web nor -node exposes the metadata, and reading the header
// here shows a model before the runtime (tens of MB of wasm) is loaded. Weights are skipped, never copied.
//
// Only the fields needed are decoded (onnx.proto3): ModelProto {1 ir_version, 2 producer_name, 3 producer_version,
// 7 graph, 8 opset_import, 14 metadata_props}; GraphProto {5 initializer, 11 input, 12 output}; ValueInfoProto
// {1 name, 2 type}; TypeProto {1 tensor_type {1 elem_type, 2 shape {1 dim {1 dim_value, 2 dim_param}}}};
// TensorProto {8 name, 13 external_data, 14 data_location}.

export type ElementType =
  | 'float32'
  | 'uint8'
  | 'int8'
  | 'uint16'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'string'
  | 'bool'
  | 'float16'
  | 'float64'
  | 'uint32'
  | 'uint64'
  | 'other';

const ELEMENT_TYPES: Record<number, ElementType> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
};

/** One dimension: a fixed size, a symbolic name ('batch', 'height'), or unknown (null). */
export type Dim = number | string | null;

export interface TensorInfo {
  name: string;
  type: ElementType;
  /** Undefined when the model gives no shape at all. */
  dims?: Dim[];
}

export interface OnnxModelInfo {
  file: string;
  irVersion: number;
  producer: string;
  opset?: number;
  /** The graph's real inputs (initializers listed as inputs by old exporters are left out). */
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  metadata: Record<string, string>;
  /** Initializers whose data lives in another file (they cannot be loaded from one dropped file). */
  externalData: string[];
  byteLength: number;
}

export class OnnxFormatError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'OnnxFormatError';
  }
}

/** A protobuf wire-format cursor over one message's bytes. */
class Reader {
  at: number;
  constructor(
    readonly bytes: Uint8Array,
    start: number,
    readonly end: number,
    readonly file: string,
  ) {
    this.at = start;
  }

  get done() {
    return this.at >= this.end;
  }

  varint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.at >= this.end) throw this.#cut();
      const b = this.bytes[this.at++];
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 128;
    }
    throw new OnnxFormatError(this.file, `a varint at byte ${this.at} is longer than 10 bytes: not an ONNX model`);
  }

  /** The next field's number and wire type. */
  tag(): [field: number, wire: number] {
    const key = this.varint();
    return [Math.floor(key / 8), key & 7];
  }

  /** A length-delimited field as a sub-reader (no copy). */
  sub(): Reader {
    const length = this.varint();
    const start = this.at;
    if (start + length > this.end) throw this.#cut();
    this.at += length;
    return new Reader(this.bytes, start, start + length, this.file);
  }

  string(): string {
    const r = this.sub();
    return new TextDecoder().decode(this.bytes.subarray(r.at, r.end));
  }

  skip(wire: number) {
    if (wire === 0) this.varint();
    else if (wire === 1) this.at += 8;
    else if (wire === 2) this.sub();
    else if (wire === 5) this.at += 4;
    else
      throw new OnnxFormatError(this.file, `unknown protobuf wire type ${wire} at byte ${this.at}: not an ONNX model`);
    if (this.at > this.end) throw this.#cut();
  }

  #cut() {
    return new OnnxFormatError(this.file, 'the file ends in the middle of a record: it is cut short or not ONNX');
  }
}

function readDims(r: Reader): Dim[] {
  const dims: Dim[] = [];
  while (!r.done) {
    const [field, wire] = r.tag();
    if (field !== 1 || wire !== 2) {
      r.skip(wire);
      continue;
    }
    const d = r.sub();
    let dim: Dim = null;
    while (!d.done) {
      const [f, w] = d.tag();
      if (f === 1 && w === 0) dim = d.varint();
      else if (f === 2 && w === 2) dim = d.string() || null;
      else d.skip(w);
    }
    dims.push(dim);
  }
  return dims;
}

function readValueInfo(r: Reader): TensorInfo {
  const info: TensorInfo = { name: '', type: 'other' };
  while (!r.done) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === 2) info.name = r.string();
    else if (field === 2 && wire === 2) {
      const type = r.sub();
      while (!type.done) {
        const [f, w] = type.tag();
        if (f !== 1 || w !== 2) {
          type.skip(w);
          continue;
        }
        const tensor = type.sub();
        while (!tensor.done) {
          const [tf, tw] = tensor.tag();
          if (tf === 1 && tw === 0) info.type = ELEMENT_TYPES[tensor.varint()] ?? 'other';
          else if (tf === 2 && tw === 2) info.dims = readDims(tensor.sub());
          else tensor.skip(tw);
        }
      }
    } else r.skip(wire);
  }
  return info;
}

/** An initializer's name and whether its data is external (data_location = EXTERNAL or external_data given). */
function readInitializer(r: Reader): { name: string; external: boolean } {
  let name = '';
  let external = false;
  while (!r.done) {
    const [field, wire] = r.tag();
    if (field === 8 && wire === 2) name = r.string();
    else if (field === 14 && wire === 0) external = r.varint() === 1 || external;
    else if (field === 13 && wire === 2) {
      r.skip(wire);
      external = true;
    } else r.skip(wire);
  }
  return { name, external };
}

function readEntry(r: Reader): [string, string] {
  let key = '';
  let value = '';
  while (!r.done) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === 2) key = r.string();
    else if (field === 2 && wire === 2) value = r.string();
    else r.skip(wire);
  }
  return [key, value];
}

/** Reads an ONNX model's inputs, outputs and metadata. `file` names it in errors. */
export function readOnnxModel(bytes: Uint8Array, file = 'model.onnx'): OnnxModelInfo {
  if (bytes.length === 0) throw new OnnxFormatError(file, 'the file is empty');
  const info: OnnxModelInfo = {
    file,
    irVersion: 0,
    producer: '',
    inputs: [],
    outputs: [],
    metadata: {},
    externalData: [],
    byteLength: bytes.length,
  };
  const top = new Reader(bytes, 0, bytes.length, file);
  let graph: Reader | undefined;
  let producerVersion = '';
  while (!top.done) {
    const [field, wire] = top.tag();
    if (field === 1 && wire === 0) info.irVersion = top.varint();
    else if (field === 2 && wire === 2) info.producer = top.string();
    else if (field === 3 && wire === 2) producerVersion = top.string();
    else if (field === 7 && wire === 2) graph = top.sub();
    else if (field === 8 && wire === 2) {
      const op = top.sub();
      let domain = '';
      let version = 0;
      while (!op.done) {
        const [f, w] = op.tag();
        if (f === 1 && w === 2) domain = op.string();
        else if (f === 2 && w === 0) version = op.varint();
        else op.skip(w);
      }
      if (domain === '' || domain === 'ai.onnx') info.opset = version;
    } else if (field === 14 && wire === 2) {
      const [key, value] = readEntry(top.sub());
      info.metadata[key] = value;
    } else top.skip(wire);
  }
  if (producerVersion) info.producer = `${info.producer} ${producerVersion}`.trim();
  if (!graph || info.irVersion === 0) {
    throw new OnnxFormatError(file, 'no ONNX graph found (not an ONNX model, or a different file with the .onnx name)');
  }
  const initializers = new Set<string>();
  const inputs: TensorInfo[] = [];
  while (!graph.done) {
    const [field, wire] = graph.tag();
    if (field === 5 && wire === 2) {
      const init = readInitializer(graph.sub());
      initializers.add(init.name);
      if (init.external) info.externalData.push(init.name);
    } else if (field === 11 && wire === 2) inputs.push(readValueInfo(graph.sub()));
    else if (field === 12 && wire === 2) info.outputs.push(readValueInfo(graph.sub()));
    else graph.skip(wire);
  }
  info.inputs = inputs.filter((i) => !initializers.has(i.name));
  if (info.outputs.length === 0) throw new OnnxFormatError(file, 'the graph has no outputs');
  return info;
}

/** "[1, 3, 640, 640]", with symbolic dimensions by name and unknown ones as "?". */
export function formatDims(dims: Dim[] | undefined): string {
  if (!dims) return '(no shape)';
  return `[${dims.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}
