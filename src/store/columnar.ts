// Prediction[] <-> compact columnar chunks, the form a prediction run takes in IndexedDB.
//
// A run is a list of chunks of at most CHUNK_SIZE predictions plus per-run dictionaries. A chunk holds typed
// arrays, one entry per prediction (kind, data-unit index, frame, confidence, class index, track index), and the
// geometry of each kind packed in the order its predictions come:
//   box             4 Float64 (x, y, w, h) per box + theta (NaN = none) per box
//   polygon         ring count per polygon (-1 = no `holes` field, else 1 + holes), points per ring, Float64 x,y
//   mask            height, width per mask; counts as a string, or as runs (Uint32, with offsets)
//   classification  an index into the run's option dictionary
// plus, for the predictions that carry one, the pixel box COCO results gave (Prediction.boxPx).
// Data hashes, featureHashes, track ids and classification options are indices into dictionaries that grow as
// chunks are encoded; chunks never change once written, so an index stays valid for the life of the run.
// Decoding gives back predictions equal (deep, exact: Float64 everywhere) to the ones encoded.
import type { Box, CocoRle, Points, Prediction } from '../core/model.ts';

/** Predictions per chunk: about 3-4 MB for boxes, small enough for one IndexedDB put, few enough records for 1M. */
export const CHUNK_SIZE = 65_536;

export const KIND_BOX = 0;
export const KIND_POLYGON = 1;
export const KIND_MASK = 2;
export const KIND_CLASSIFICATION = 3;
const KIND_NAMES = ['box', 'polygon', 'mask', 'classification'] as const;
const NO_TRACK = -1;
/** A polygon whose `holes` field is absent (as opposed to present and empty). */
const NO_HOLES_FIELD = -1;

/** The strings a run's chunks point into. Only ever appended to. */
export interface RunDictionaries {
  dataHashes: string[];
  featureHashes: string[];
  trackIds: (string | number)[];
  /** Classification answers: [attributeHash, optionHash]. */
  options: [string, string][];
}

/** One chunk as stored: plain typed arrays (structured-cloneable, no class instances). */
export interface ColumnChunk {
  count: number;
  kind: Uint8Array;
  dataUnit: Uint32Array;
  frame: Uint32Array;
  confidence: Float64Array;
  featureClass: Uint16Array;
  /** Index into dictionaries.trackIds, -1 = no track; absent when no prediction of the chunk has one. */
  track?: Int32Array;
  /** x, y, w, h per box prediction, in order. */
  boxes: Float64Array;
  /** theta per box prediction (NaN = none); absent when no box has one. */
  boxTheta?: Float64Array;
  /** Per polygon: -1 (no holes field) or 1 + number of holes. */
  polygonRings: Int32Array;
  /** Points per ring, rings of all polygons in order (outer ring first). */
  ringPoints: Uint32Array;
  /** x, y of every point of every ring, in order. */
  points: Float64Array;
  /** height, width per mask. */
  maskSize: Uint32Array;
  /** Per mask: the compressed counts string, or '' when the counts are runs (maskRuns). */
  maskStrings: string[];
  /** Per mask: where its runs start in maskRuns (length masks + 1); runs masks only span a non-empty range. */
  maskRunStart: Uint32Array;
  maskRuns: Uint32Array;
  /** 1 when the mask's counts were runs (a number[]), 0 when a string. */
  maskIsRuns: Uint8Array;
  /** Index into dictionaries.options per classification prediction. */
  option: Uint16Array;
  /** Positions (within the chunk) of predictions that carry boxPx, and their x, y, w, h. */
  boxPxAt: Uint32Array;
  boxPx: Float64Array;
}

export class ColumnarError extends Error {}

/** Shape counts, as PredictionRunInfo.counts has them. */
export interface ShapeCounts {
  predictions: number;
  boxes: number;
  polygons: number;
  masks: number;
  classifications: number;
}

export function emptyDictionaries(): RunDictionaries {
  return { dataHashes: [], featureHashes: [], trackIds: [], options: [] };
}

export function emptyCounts(): ShapeCounts {
  return { predictions: 0, boxes: 0, polygons: 0, masks: 0, classifications: 0 };
}

/** Growable typed-array buffer (doubling), so encoding never builds per-prediction objects. */
class Grow<T extends Float64Array | Uint32Array | Int32Array> {
  array: T;
  length = 0;
  constructor(
    readonly make: (n: number) => T,
    initial = 64,
  ) {
    this.array = make(initial);
  }
  push(v: number) {
    if (this.length === this.array.length) {
      const next = this.make(this.array.length * 2);
      next.set(this.array);
      this.array = next;
    }
    this.array[this.length++] = v;
  }
  take(): T {
    return this.array.slice(0, this.length) as T;
  }
}

/** Keeps a dictionary and its reverse index together. */
class Interner<K> {
  readonly index = new Map<K, number>();
  constructor(
    readonly list: unknown[],
    key: (v: unknown) => K,
  ) {
    list.forEach((v, i) => this.index.set(key(v), i));
  }
  get(key: K, value: unknown): number {
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(value);
      this.index.set(key, i);
    }
    return i;
  }
}

/**
 * Encodes predictions into chunks, a chunk at a time. `add` buffers; `flush` (called automatically when a chunk is
 * full; call it once more at the end) returns the finished chunk. Dictionaries are shared by every chunk.
 */
export class ColumnarEncoder {
  readonly dictionaries: RunDictionaries;
  readonly counts: ShapeCounts = emptyCounts();
  readonly #chunkSize: number;
  readonly #dataHashes: Interner<string>;
  readonly #featureHashes: Interner<string>;
  readonly #tracks: Interner<string>;
  readonly #options: Interner<string>;
  #pending: Prediction[] = [];

  constructor(chunkSize = CHUNK_SIZE, dictionaries = emptyDictionaries()) {
    if (!(chunkSize > 0 && chunkSize <= 1 << 24)) throw new ColumnarError(`chunk size ${chunkSize} is out of range`);
    this.#chunkSize = chunkSize;
    this.dictionaries = dictionaries;
    this.#dataHashes = new Interner(dictionaries.dataHashes, (v) => v as string);
    this.#featureHashes = new Interner(dictionaries.featureHashes, (v) => v as string);
    this.#tracks = new Interner(dictionaries.trackIds, trackKey);
    this.#options = new Interner(dictionaries.options, (v) => optionKey(v as [string, string]));
  }

  /** Buffers one prediction; returns a full chunk when this one completed it. */
  add(p: Prediction): ColumnChunk | undefined {
    this.#pending.push(p);
    return this.#pending.length >= this.#chunkSize ? this.flush() : undefined;
  }

  /** The buffered predictions as a chunk, or undefined when there are none. */
  flush(): ColumnChunk | undefined {
    if (this.#pending.length === 0) return undefined;
    const chunk = this.#encode(this.#pending);
    this.#pending = [];
    return chunk;
  }

  #encode(predictions: readonly Prediction[]): ColumnChunk {
    const n = predictions.length;
    const kind = new Uint8Array(n);
    const dataUnit = new Uint32Array(n);
    const frame = new Uint32Array(n);
    const confidence = new Float64Array(n);
    const featureClass = new Uint16Array(n);
    const track = new Int32Array(n).fill(NO_TRACK);
    let anyTrack = false;
    const boxes = new Grow((k) => new Float64Array(k));
    const boxTheta = new Grow((k) => new Float64Array(k));
    let anyTheta = false;
    const polygonRings = new Grow((k) => new Int32Array(k));
    const ringPoints = new Grow((k) => new Uint32Array(k));
    const points = new Grow((k) => new Float64Array(k), 256);
    const maskSize = new Grow((k) => new Uint32Array(k));
    const maskStrings: string[] = [];
    const maskRunStart = new Grow((k) => new Uint32Array(k));
    maskRunStart.push(0);
    const maskRuns = new Grow((k) => new Uint32Array(k));
    const maskIsRuns: number[] = [];
    const option = new Grow((k) => new Uint32Array(k));
    const boxPxAt = new Grow((k) => new Uint32Array(k));
    const boxPx = new Grow((k) => new Float64Array(k));

    for (let i = 0; i < n; i++) {
      const p = predictions[i];
      const where = () => `prediction ${this.counts.predictions + i} (${p.dataHash}, frame ${p.frame})`;
      if (!Number.isInteger(p.frame) || p.frame < 0 || p.frame > 0xffffffff) {
        throw new ColumnarError(`${where()}: frame must be a whole number >= 0`);
      }
      dataUnit[i] = this.#dataHashes.get(p.dataHash, p.dataHash);
      frame[i] = p.frame;
      confidence[i] = p.confidence;
      const cls = this.#featureHashes.get(p.featureHash, p.featureHash);
      if (cls > 0xffff) throw new ColumnarError(`${where()}: a run holds at most 65536 classes`);
      featureClass[i] = cls;
      if (p.trackId !== undefined) {
        track[i] = this.#tracks.get(trackKey(p.trackId), p.trackId);
        anyTrack = true;
      }
      if (p.boxPx) {
        boxPxAt.push(i);
        boxPx.push(p.boxPx.x);
        boxPx.push(p.boxPx.y);
        boxPx.push(p.boxPx.w);
        boxPx.push(p.boxPx.h);
      }
      const s = p.shape;
      switch (s.kind) {
        case 'box':
          kind[i] = KIND_BOX;
          boxes.push(s.box.x);
          boxes.push(s.box.y);
          boxes.push(s.box.w);
          boxes.push(s.box.h);
          boxTheta.push(s.box.theta ?? NaN);
          if (s.box.theta !== undefined) anyTheta = true;
          break;
        case 'polygon': {
          kind[i] = KIND_POLYGON;
          polygonRings.push(s.holes === undefined ? NO_HOLES_FIELD : 1 + s.holes.length);
          pushRing(s.points, ringPoints, points);
          for (const hole of s.holes ?? []) pushRing(hole, ringPoints, points);
          break;
        }
        case 'mask': {
          kind[i] = KIND_MASK;
          maskSize.push(s.mask.size[0]);
          maskSize.push(s.mask.size[1]);
          if (typeof s.mask.counts === 'string') {
            maskStrings.push(s.mask.counts);
            maskIsRuns.push(0);
          } else {
            maskStrings.push('');
            maskIsRuns.push(1);
            for (const run of s.mask.counts) maskRuns.push(run);
          }
          maskRunStart.push(maskRuns.length);
          break;
        }
        case 'classification':
          kind[i] = KIND_CLASSIFICATION;
          option.push(this.#options.get(`${s.attributeHash}\u0000${s.optionHash}`, [s.attributeHash, s.optionHash]));
          if (option.array[option.length - 1] > 0xffff) {
            throw new ColumnarError(`${where()}: a run holds at most 65536 classification options`);
          }
          break;
        default:
          throw new ColumnarError(`${where()}: unknown shape kind ${JSON.stringify((s as { kind: unknown }).kind)}`);
      }
      this.counts[COUNT_KEYS[kind[i]]]++;
    }
    this.counts.predictions += n;
    const chunk: ColumnChunk = {
      count: n,
      kind,
      dataUnit,
      frame,
      confidence,
      featureClass,
      boxes: boxes.take(),
      polygonRings: polygonRings.take(),
      ringPoints: ringPoints.take(),
      points: points.take(),
      maskSize: maskSize.take(),
      maskStrings,
      maskRunStart: maskRunStart.take(),
      maskRuns: maskRuns.take(),
      maskIsRuns: Uint8Array.from(maskIsRuns),
      option: Uint16Array.from(option.take()),
      boxPxAt: boxPxAt.take(),
      boxPx: boxPx.take(),
    };
    if (anyTrack) chunk.track = track;
    if (anyTheta) chunk.boxTheta = boxTheta.take();
    return chunk;
  }
}

const COUNT_KEYS = ['boxes', 'polygons', 'masks', 'classifications'] as const;

function pushRing(ring: Points, ringPoints: Grow<Uint32Array>, points: Grow<Float64Array>) {
  ringPoints.push(ring.length);
  for (const [x, y] of ring) {
    points.push(x);
    points.push(y);
  }
}

/** Numbers and strings are different track ids (7 and "7"), so the key says which. */
function trackKey(v: unknown): string {
  return typeof v === 'number' ? `n${v}` : `s${v as string}`;
}

function optionKey(v: [string, string]): string {
  return `${v[0]}\u0000${v[1]}`;
}

/** Encodes a whole list (tests, small runs). */
export function encodePredictions(
  predictions: readonly Prediction[],
  chunkSize = CHUNK_SIZE,
): { chunks: ColumnChunk[]; dictionaries: RunDictionaries; counts: ShapeCounts } {
  const encoder = new ColumnarEncoder(chunkSize);
  const chunks: ColumnChunk[] = [];
  for (const p of predictions) {
    const full = encoder.add(p);
    if (full) chunks.push(full);
  }
  const last = encoder.flush();
  if (last) chunks.push(last);
  return { chunks, dictionaries: encoder.dictionaries, counts: encoder.counts };
}

/** Appends the predictions of one chunk to `out` (objects are new; strings come from the dictionaries). */
export function decodeChunk(chunk: ColumnChunk, dict: RunDictionaries, out: Prediction[] = []): Prediction[] {
  let box = 0;
  let polygon = 0;
  let ring = 0;
  let point = 0;
  let mask = 0;
  let classification = 0;
  let px = 0;
  const nextBoxPx = () => (px < chunk.boxPxAt.length ? chunk.boxPxAt[px] : -1);
  let boxPxAt = nextBoxPx();
  for (let i = 0; i < chunk.count; i++) {
    const k = chunk.kind[i];
    let shape: Prediction['shape'];
    if (k === KIND_BOX) {
      const b = chunk.boxes;
      const o = box * 4;
      const value: Box = { x: b[o], y: b[o + 1], w: b[o + 2], h: b[o + 3] };
      const theta = chunk.boxTheta?.[box];
      if (theta !== undefined && !Number.isNaN(theta)) value.theta = theta;
      shape = { kind: 'box', box: value };
      box++;
    } else if (k === KIND_POLYGON) {
      const rings = chunk.polygonRings[polygon++];
      const outer = readRing(chunk, chunk.ringPoints[ring++], point);
      point += outer.length * 2;
      if (rings === NO_HOLES_FIELD) shape = { kind: 'polygon', points: outer };
      else {
        const holes: Points[] = [];
        for (let h = 1; h < rings; h++) {
          const hole = readRing(chunk, chunk.ringPoints[ring++], point);
          point += hole.length * 2;
          holes.push(hole);
        }
        shape = { kind: 'polygon', points: outer, holes };
      }
    } else if (k === KIND_MASK) {
      const size: CocoRle['size'] = [chunk.maskSize[mask * 2], chunk.maskSize[mask * 2 + 1]];
      const counts = chunk.maskIsRuns[mask]
        ? Array.from(chunk.maskRuns.subarray(chunk.maskRunStart[mask], chunk.maskRunStart[mask + 1]))
        : chunk.maskStrings[mask];
      shape = { kind: 'mask', mask: { size, counts } };
      mask++;
    } else if (k === KIND_CLASSIFICATION) {
      const [attributeHash, optionHash] = dict.options[chunk.option[classification++]];
      shape = { kind: 'classification', attributeHash, optionHash };
    } else {
      throw new ColumnarError(`chunk entry ${i}: unknown kind ${k}`);
    }
    const p: Prediction = {
      dataHash: dict.dataHashes[chunk.dataUnit[i]],
      frame: chunk.frame[i],
      confidence: chunk.confidence[i],
      featureHash: dict.featureHashes[chunk.featureClass[i]],
      shape,
    };
    const t = chunk.track?.[i] ?? NO_TRACK;
    if (t !== NO_TRACK) p.trackId = dict.trackIds[t];
    if (i === boxPxAt) {
      const b = chunk.boxPx;
      const o = px * 4;
      p.boxPx = { x: b[o], y: b[o + 1], w: b[o + 2], h: b[o + 3] };
      px++;
      boxPxAt = nextBoxPx();
    }
    out.push(p);
  }
  return out;
}

function readRing(chunk: ColumnChunk, n: number, at: number): Points {
  const ring: Points = new Array(n);
  for (let j = 0; j < n; j++) ring[j] = [chunk.points[at + 2 * j], chunk.points[at + 2 * j + 1]];
  return ring;
}

export function decodeChunks(chunks: readonly ColumnChunk[], dict: RunDictionaries): Prediction[] {
  const out: Prediction[] = [];
  for (const c of chunks) decodeChunk(c, dict, out);
  return out;
}

/** Bytes a chunk's arrays take (what IndexedDB stores, give or take the record's framing). */
export function chunkBytes(chunk: ColumnChunk): number {
  let bytes = 0;
  for (const value of Object.values(chunk)) {
    if (ArrayBuffer.isView(value)) bytes += value.byteLength;
  }
  for (const s of chunk.maskStrings) bytes += s.length;
  return bytes;
}

/**
 * Read-only access to a stored run without building a Prediction object per prediction: evaluation code that only
 * needs classes, frames and confidences reads the typed arrays; `get(i)` builds one prediction when needed.
 */
export class RunColumns {
  readonly length: number;
  readonly #starts: number[];
  constructor(
    readonly chunks: readonly ColumnChunk[],
    readonly dictionaries: RunDictionaries,
  ) {
    this.#starts = [];
    let at = 0;
    for (const c of chunks) {
      this.#starts.push(at);
      at += c.count;
    }
    this.length = at;
  }

  /** The chunk holding prediction i and i's position in it. */
  locate(i: number): { chunk: ColumnChunk; at: number } {
    if (!(i >= 0 && i < this.length)) throw new RangeError(`prediction ${i} of ${this.length}`);
    let lo = 0;
    let hi = this.#starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.#starts[mid] <= i) lo = mid;
      else hi = mid - 1;
    }
    return { chunk: this.chunks[lo], at: i - this.#starts[lo] };
  }

  /** One prediction (decodes its chunk up to it: use toPredictions() to read them all). */
  get(i: number): Prediction {
    const { chunk, at } = this.locate(i);
    return decodeChunk(chunk, this.dictionaries)[at];
  }

  kindName(i: number): (typeof KIND_NAMES)[number] {
    const { chunk, at } = this.locate(i);
    return KIND_NAMES[chunk.kind[at]];
  }

  toPredictions(): Prediction[] {
    return decodeChunks(this.chunks, this.dictionaries);
  }
}
