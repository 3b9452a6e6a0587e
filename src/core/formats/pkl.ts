// Encord Active's `.pkl` prediction files: a pickled list of encord_active.lib.db.predictions.Prediction
// (spec §2). The pickle is decoded by the safe decoder in ./pickle (allow-listed globals only; a hostile file is
// refused before anything is built), then each Prediction becomes a predlens Prediction, with EA v0.1.40's
// defects dropped:
//   - `frame` is honoured (EA put every non-zero frame on frame 0); None means the unit's own frame.
//   - A mask [H, W] of 0/1 is kept as a mask (COCO RLE), not traced; holes and several blobs stay as they are.
//   - [N, 2] points: float arrays are normalised already; integer arrays are pixels, divided by W and H (§3.3).
//   - The 2-pixel-wide ambiguity (§3.2): EA reads every [N, 2] array as points. predlens reads an [N, 2] array as a
//     mask when the Format says MASK, or the dtype is bool, or the image is exactly 2 pixels wide with N equal to
//     its height and every value 0 or 1. Otherwise it is points. (A mask must be the image's size, so only a
//     2-pixel-wide image can have a 2-wide mask; a points array that happens to fit one is a degenerate polygon.)
//   - A BoundingBox whose Format says polygon or mask is read as a box (EA does the same), with a notice.
//   - Records that cannot be imported go to report.rejected with the file, the record index (0-based, the
//     position in the pickled list) and the reason; nothing is dropped silently.
import type { Kernels } from '../../kernels/wasm.ts';
import { rleEncode, rleEncodeRowMajor, rleToCoco } from '../../kernels/rle.ts';
import type { DataUnit, Points, Prediction, PredictionShape, Problem, Project } from '../model.ts';
import { decodePickle, NdArray, PickleError, PyEnumMember, PyInstance, PyTuple, pyTypeName } from './pickle/index.ts';
import {
  appendResult,
  BY_DATA_HASH,
  emptyResult,
  NO_CLASS_KEYS,
  type FormatReadResult,
  type PredictionFormat,
} from './format.ts';
import { PredictionValidator } from './validate.ts';

const PICKLE_FILE = /\.(pkl|pickle)$/i;

/** A file that cannot be read as EA predictions at all (not a pickle, hostile, not a list). */
export class PklFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
    readonly offset?: number,
  ) {
    super(`${file}: ${message}`);
    this.name = 'PklFileError';
  }
}

export const pklReader: PredictionFormat = {
  id: 'pkl',
  label: 'Encord Active predictions pickle (.pkl)',
  short: 'EA pickle',
  detectReason: 'a .pkl file: Encord Active pickled Prediction objects',
  defaults: 'a pickled list of encord_active Prediction objects; data_hash and feature_hash name the unit and class',
  options: [],
  async detect(tree) {
    return (await tree.list()).some((p) => PICKLE_FILE.test(p));
  },
  async classKeys() {
    return NO_CLASS_KEYS;
  },
  async preview() {
    return BY_DATA_HASH;
  },
  async read(kernels, project, tree, options) {
    const files = (await tree.list()).filter((p) => PICKLE_FILE.test(p));
    const result = emptyResult();
    for (const [i, file] of files.entries()) {
      options.signal?.throwIfAborted();
      options.onProgress?.({ done: i, total: files.length, current: file });
      appendResult(result, readPklBytes(kernels, project, await tree.readBytes(file), file));
    }
    options.onProgress?.({ done: files.length, total: files.length });
    result.report.imported = result.predictions.length;
    return result;
  },
};

/** Reads one pickle's bytes. Throws PklFileError when nothing can be read; per-record problems are rejected. */
export function readPklBytes(kernels: Kernels, project: Project, bytes: Uint8Array, file: string): FormatReadResult {
  let decoded: unknown;
  try {
    decoded = decodePickle(bytes);
  } catch (err) {
    if (err instanceof PickleError) throw new PklFileError(file, err.message, err.offset);
    throw err;
  }
  const records = Array.isArray(decoded) ? decoded : decoded instanceof PyTuple ? [...decoded.items] : undefined;
  if (!records) {
    const single = decoded instanceof PyInstance && decoded.className === 'Prediction';
    throw new PklFileError(
      file,
      `the pickle holds a ${pyTypeName(decoded)}, expected a list of Prediction objects` +
        (single ? ' (pickle.dump the list, not one Prediction)' : ''),
    );
  }

  const result = emptyResult();
  const validator = new PredictionValidator(project);
  const notes = { frames: 0, boxFormat: 0, aboveOne: 0 };
  records.forEach((record, index) => {
    const reject = (code: string, reason: string) =>
      result.report.rejected.push({ file, record: index, code, reason } satisfies Problem);
    try {
      const converted = convertRecord(kernels, project, record, notes);
      if ('code' in converted) return reject(converted.code, converted.reason);
      const outcome = validator.check(converted, file, index);
      if (outcome.problem) result.report.rejected.push(outcome.problem);
      else if (outcome.prediction) {
        result.predictions.push(outcome.prediction);
        result.origins.push({ file, record: index });
        if (outcome.prediction.confidence > 1) notes.aboveOne++;
      }
    } catch (err) {
      reject('bad_record', err instanceof Error ? err.message : String(err));
    }
  });
  const w = result.report.warnings;
  if (notes.frames) {
    w.push(
      `${file}: ${notes.frames} prediction(s) have a non-zero frame; Encord Active 0.1.40 would have put them on frame 0, predlens keeps their frame`,
    );
  }
  if (notes.boxFormat) {
    w.push(
      `${file}: ${notes.boxFormat} bounding box(es) carry Format polygon/mask; read as boxes, as Encord Active does`,
    );
  }
  if (notes.aboveOne) w.push(`${file}: ${notes.aboveOne} confidence(s) are above 1; kept as they are`);
  result.report.imported = result.predictions.length;
  return result;
}

type Rejection = { code: string; reason: string };
type Notes = { frames: number; boxFormat: number; aboveOne: number };

function convertRecord(kernels: Kernels, project: Project, record: unknown, notes: Notes): Prediction | Rejection {
  const bad = (reason: string, code = 'bad_record'): Rejection => ({ code, reason });
  if (!(record instanceof PyInstance) || record.className !== 'Prediction') {
    return bad(`expected a Prediction, got a ${pyTypeName(record)}`);
  }
  const f = record.dict;
  const dataHash = text(f.get('data_hash'));
  if (typeof dataHash !== 'string') return bad(`data_hash is ${describe(dataHash)}, expected a string`);
  const unit = project.byDataHash.get(dataHash.toLowerCase());
  if (!unit) return bad(`data hash ${dataHash} is not a data unit of the project`, 'unknown_data_hash');

  const confidence = toNumber(f.get('confidence'));
  if (confidence === undefined)
    return bad(`confidence is ${describe(f.get('confidence'))}, expected a number`, 'bad_confidence');
  const frameRaw = f.get('frame');
  const frame = frameRaw == null ? 0 : toNumber(frameRaw);
  if (frame === undefined || !Number.isInteger(frame))
    return bad(`frame is ${describe(frameRaw)}, expected an int or None`, 'frame_out_of_range');
  if (frame !== 0) notes.frames++;

  const object = f.get('object');
  const classification = f.get('classification');
  if (object != null && classification != null)
    return bad('has both an object and a classification; exactly one is allowed');
  if (object == null && classification == null) return bad('has neither an object nor a classification');

  if (classification != null) {
    if (!(classification instanceof PyInstance) || classification.className !== 'FrameClassification') {
      return bad(`classification is a ${pyTypeName(classification)}, expected a FrameClassification`);
    }
    const [featureHash, attributeHash, optionHash] = ['feature_hash', 'attribute_hash', 'option_hash'].map((k) =>
      text(classification.dict.get(k)),
    );
    for (const [name, v] of [
      ['feature_hash', featureHash],
      ['attribute_hash', attributeHash],
      ['option_hash', optionHash],
    ]) {
      if (typeof v !== 'string') return bad(`classification ${name} is ${describe(v)}, expected a string`);
    }
    return {
      dataHash,
      frame,
      confidence,
      featureHash: featureHash as string,
      shape: { kind: 'classification', attributeHash: attributeHash as string, optionHash: optionHash as string },
    };
  }

  if (!(object instanceof PyInstance) || object.className !== 'ObjectDetection') {
    return bad(`object is a ${pyTypeName(object)}, expected an ObjectDetection`);
  }
  const featureHash = text(object.dict.get('feature_hash'));
  if (typeof featureHash !== 'string') return bad(`feature_hash is ${describe(featureHash)}, expected a string`);
  const formatRaw = object.dict.get('format');
  const format = formatRaw instanceof PyEnumMember ? formatRaw.value : formatRaw;
  if (format !== 'bounding-box' && format !== 'mask' && format !== 'polygon')
    return bad(`format ${describe(format)} is not a Format`);
  const trackId = object.dict.get('track_id');
  const trackRaw = typeof trackId === 'bigint' ? String(trackId) : text(trackId);
  if (trackRaw != null && typeof trackRaw !== 'string' && typeof trackRaw !== 'number') {
    return bad(`track_id is ${describe(trackRaw)}, expected a str or an int`);
  }

  const data = object.dict.get('data');
  let shape: PredictionShape | Rejection;
  if (data instanceof PyInstance && data.className === 'BoundingBox') {
    if (format !== 'bounding-box') notes.boxFormat++;
    shape = boxShape(data.dict);
  } else if (data instanceof Map) {
    shape = boxShape(data as Map<unknown, unknown>);
  } else if (data instanceof NdArray) {
    if (format === 'bounding-box') return bad('format is bounding-box but data is an array', 'shape_mismatch');
    shape = arrayShape(kernels, data, format, unit);
  } else {
    return bad(`object data is a ${pyTypeName(data)}, expected a BoundingBox or a numpy array`);
  }
  if ('code' in shape) return shape;
  return {
    dataHash,
    frame,
    confidence,
    featureHash,
    shape,
    ...(trackRaw == null ? {} : { trackId: trackRaw as string | number }),
  };
}

function boxShape(fields: Map<unknown, unknown>): PredictionShape | Rejection {
  const [x, y, w, h, theta] = ['x', 'y', 'w', 'h', 'theta'].map((k) => toNumber(fields.get(k)));
  for (const [name, v] of [
    ['x', x],
    ['y', y],
    ['w', w],
    ['h', h],
  ] as const) {
    if (v === undefined) return { code: 'bad_record', reason: `bounding box ${name} is ${describe(fields.get(name))}` };
  }
  const box = { x: x!, y: y!, w: w!, h: h! };
  return { kind: 'box', box: theta !== undefined && theta !== 0 ? { ...box, theta } : box };
}

function arrayShape(kernels: Kernels, a: NdArray, format: string, unit: DataUnit): PredictionShape | Rejection {
  if (a.strings) return { code: 'bad_record', reason: `data is a numpy array of text (dtype ${a.dtype.str})` };
  if (a.unsafeInteger !== undefined) {
    return {
      code: 'bad_record',
      reason: `data holds the int64 value ${a.unsafeInteger}, beyond 2^53: it cannot be used exactly`,
    };
  }
  if (a.shape.length !== 2) {
    return {
      code: 'bad_record',
      reason: `data is a ${a.shape.length}-D array (${a.shape.join(' x ')}); expected [N, 2] points or an [H, W] mask`,
    };
  }
  const [rows, cols] = a.shape;
  const zeroOne = () => a.data.every((v) => v === 0 || v === 1);
  const isMask =
    cols !== 2 ||
    format === 'mask' ||
    a.dtype.kind === 'b' ||
    (unit.width === 2 && rows === unit.height && a.dtype.kind !== 'f' && zeroOne());
  if (isMask) {
    if (!zeroOne()) {
      const other = a.data.find((v) => v !== 0 && v !== 1);
      return { code: 'bad_mask', reason: `mask values must be 0 and 1; found ${other}` };
    }
    if (rows !== unit.height || cols !== unit.width) {
      return {
        code: 'bad_mask',
        reason: `mask is ${rows}x${cols} (h x w) but the image is ${unit.height}x${unit.width}`,
      };
    }
    const bytes = a.data instanceof Uint8Array ? a.data : Uint8Array.from(a.data);
    const rle = a.fortranOrder ? rleEncode(kernels, bytes, rows, cols) : rleEncodeRowMajor(kernels, bytes, rows, cols);
    return { kind: 'mask', mask: rleToCoco(rle) };
  }
  const pixels = a.dtype.kind !== 'f';
  const points: Points = [];
  for (let i = 0; i < rows; i++) {
    const x = a.get(i, 0);
    const y = a.get(i, 1);
    points.push(pixels ? [x / unit.width, y / unit.height] : [x, y]);
  }
  return { kind: 'polygon', points };
}

/** A number from a float/int or, as pydantic v1 coerces, a numeric string. */
function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return undefined;
}

/** A str field: strings as they are; bytes (np.bytes_) decoded as UTF-8, as pydantic v1's str coercion does. */
function text(v: unknown): unknown {
  if (!(v instanceof Uint8Array)) return v;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(v);
  } catch {
    return v;
  }
}

function describe(v: unknown): string {
  if (v === undefined) return 'missing';
  if (typeof v === 'bigint') return `${v} (beyond 2^53, not usable exactly)`;
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return String(v);
  return `a ${pyTypeName(v)}`;
}
