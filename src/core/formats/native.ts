// predlens' own prediction format (docs/native-format.md): what PredictionWriter writes and `import --format
// json|writer` reads. One record per prediction, normalised coordinates:
//   {"dataHash", "frame"?, "confidence", "featureHash", "trackId"?, and exactly one of
//    "box": {x, y, w, h, theta?} | "polygon": [[x, y], ...] (+ "holes": [[[x, y], ...], ...]) |
//    "mask": {"size": [h, w], "counts": string | number[]} | "classification": {"attributeHash", "optionHash"},
//    and "bbox"?: [x, y, w, h] in pixels, the box COCO evaluation takes as given (Prediction.boxPx)}
// Files: JSON `{"predictions": [record, ...]}` (other top-level keys are ignored, so `predlens import --json`
// output reads back) or a bare array; NDJSON (.ndjson/.jsonl) with one record per line.
// Record numbers in problems: the 0-based index in a JSON array, the 1-based line in NDJSON.
// On a dataset project (COCO, YOLO, VOC folder) a record may name its image by "imageId" (the dataset image id),
// "image" (the image's path in the folder, or its file stem), or "dataHash" (the data unit's hash, or a path or
// stem); see dataset.ts.
import type { Kernels } from '../../kernels/wasm.ts';
import type { FileTree } from '../file-tree.ts';
import type { Points, Prediction, PredictionShape, Problem, Project } from '../model.ts';
import { DatasetIndex, isDatasetProject } from './dataset.ts';
import {
  appendResult,
  BY_DATA_HASH,
  emptyResult,
  NO_CLASS_KEYS,
  type FormatReadResult,
  type PredictionFormat,
} from './format.ts';
import { jsonSyntaxError } from './json-file.ts';
import type { ImportOptions } from './options.ts';
import { PredictionValidator } from './validate.ts';

export interface NativeRecord {
  dataHash: string;
  frame?: number;
  confidence: number;
  featureHash: string;
  trackId?: string | number;
  box?: { x: number; y: number; w: number; h: number; theta?: number };
  polygon?: Points;
  holes?: Points[];
  mask?: { size: [number, number]; counts: string | number[] };
  classification?: { attributeHash: string; optionHash: string };
  /** The pixel box the prediction came with (COCO results, YOLO rows on a dataset): Prediction.boxPx. */
  bbox?: [number, number, number, number];
}

const GEOMETRY_KEYS = ['box', 'polygon', 'mask', 'classification'] as const;
const KNOWN_KEYS = new Set([
  'dataHash',
  'frame',
  'confidence',
  'featureHash',
  'trackId',
  'holes',
  'bbox',
  ...GEOMETRY_KEYS,
]);
const DATASET_KEYS = new Set(['imageId', 'image']);
const NATIVE_FILE = /\.(json|ndjson|jsonl)$/i;
const isNdjsonPath = (path: string) => /\.(ndjson|jsonl)$/i.test(path);

// ---------------------------------------------------------------- writing

export function toNativeRecord(p: Prediction): NativeRecord {
  const r: NativeRecord = {
    dataHash: p.dataHash,
    frame: p.frame,
    confidence: p.confidence,
    featureHash: p.featureHash,
  };
  if (p.trackId !== undefined) r.trackId = p.trackId;
  const s = p.shape;
  if (s.kind === 'box') r.box = { ...s.box };
  else if (s.kind === 'polygon') {
    r.polygon = s.points;
    if (s.holes && s.holes.length > 0) r.holes = s.holes;
  } else if (s.kind === 'mask') r.mask = { size: [s.mask.size[0], s.mask.size[1]], counts: s.mask.counts };
  else r.classification = { attributeHash: s.attributeHash, optionHash: s.optionHash };
  // Without it a dataset's COCO numbers could not be had again: x / W * W is not always x, and a mask's result
  // carries the box it was given (or none).
  if (p.boxPx) r.bbox = [p.boxPx.x, p.boxPx.y, p.boxPx.w, p.boxPx.h];
  return r;
}

/** `{"predictions": [...]}` with one record per line, so big files stay readable and diffable. */
export function toNativeJson(predictions: readonly Prediction[]): string {
  if (predictions.length === 0) return '{"predictions": []}\n';
  return `{"predictions": [\n${predictions.map((p) => JSON.stringify(toNativeRecord(p))).join(',\n')}\n]}\n`;
}

export function toNativeNdjson(predictions: readonly Prediction[]): string {
  return predictions.map((p) => JSON.stringify(toNativeRecord(p)) + '\n').join('');
}

// ---------------------------------------------------------------- reading

export class NativeFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'NativeFileError';
  }
}

type Rejection = { code: string; reason: string };

/** One record (parsed JSON) -> a Prediction, or why not. Unknown keys are listed in `unknown`. */
export function fromNativeRecord(value: unknown, unknown?: Set<string>): Prediction | Rejection {
  const bad = (reason: string, code = 'bad_record'): Rejection => ({ code, reason });
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return bad(`a record must be a JSON object, not ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}`);
  }
  const r = value as Record<string, unknown>;
  if (unknown) for (const k of Object.keys(r)) if (!KNOWN_KEYS.has(k)) unknown.add(k);
  if (typeof r.dataHash !== 'string') return bad(`"dataHash" must be a string`);
  if (typeof r.featureHash !== 'string') return bad(`"featureHash" must be a string`);
  if (typeof r.confidence !== 'number') return bad(`"confidence" must be a number`, 'bad_confidence');
  const frame = r.frame ?? 0;
  if (typeof frame !== 'number' || !Number.isInteger(frame))
    return bad(`"frame" must be a whole number`, 'frame_out_of_range');
  if (r.trackId !== undefined && r.trackId !== null && typeof r.trackId !== 'string' && typeof r.trackId !== 'number') {
    return bad(`"trackId" must be a string or a number`);
  }
  const present = GEOMETRY_KEYS.filter((k) => r[k] !== undefined);
  if (present.length !== 1) {
    return bad(
      present.length === 0
        ? 'a record needs one of "box", "polygon", "mask", "classification"'
        : `a record has exactly one of "box", "polygon", "mask", "classification", not ${present.join(' and ')}`,
    );
  }
  if (r.holes !== undefined && present[0] !== 'polygon') return bad('"holes" belong to a "polygon"');
  const shape = shapeOf(present[0], r);
  if ('code' in shape) return shape;
  let boxPx: Prediction['boxPx'];
  if (r.bbox !== undefined) {
    const b = r.bbox;
    if (!Array.isArray(b) || b.length !== 4 || !b.every((n) => typeof n === 'number' && Number.isFinite(n))) {
      return bad('"bbox" must be [x, y, w, h]: four finite numbers (pixels)');
    }
    if (b[2] < 0 || b[3] < 0) return bad(`"bbox" width and height must be >= 0, got ${b[2]} x ${b[3]}`);
    if (present[0] === 'classification') return bad('"bbox" belongs to a detection, not a "classification"');
    boxPx = { x: b[0], y: b[1], w: b[2], h: b[3] };
  }
  return {
    dataHash: r.dataHash,
    frame,
    confidence: r.confidence,
    featureHash: r.featureHash,
    shape,
    ...(r.trackId === undefined || r.trackId === null ? {} : { trackId: r.trackId as string | number }),
    ...(boxPx ? { boxPx } : {}),
  };
}

function shapeOf(key: (typeof GEOMETRY_KEYS)[number], r: Record<string, unknown>): PredictionShape | Rejection {
  const bad = (reason: string): Rejection => ({ code: 'bad_record', reason });
  const v = r[key] as Record<string, unknown>;
  switch (key) {
    case 'box': {
      if (!v || typeof v !== 'object' || Array.isArray(v)) return bad('"box" must be {"x", "y", "w", "h"}');
      const nums = ['x', 'y', 'w', 'h'].map((k) => v[k]);
      if (!nums.every((n) => typeof n === 'number')) return bad('"box" needs numbers x, y, w, h');
      if (v.theta !== undefined && typeof v.theta !== 'number') return bad('"box" theta must be a number');
      const [x, y, w, h] = nums as number[];
      return { kind: 'box', box: v.theta === undefined ? { x, y, w, h } : { x, y, w, h, theta: v.theta as number } };
    }
    case 'polygon': {
      const points = pointList(r.polygon, '"polygon"');
      if (typeof points === 'string') return bad(points);
      if (r.holes === undefined) return { kind: 'polygon', points };
      if (!Array.isArray(r.holes)) return bad('"holes" must be a list of point lists');
      const holes: Points[] = [];
      for (const [i, hole] of r.holes.entries()) {
        const ring = pointList(hole, `hole ${i}`);
        if (typeof ring === 'string') return bad(ring);
        holes.push(ring);
      }
      return { kind: 'polygon', points, holes };
    }
    case 'mask': {
      const size = v?.size;
      const counts = v?.counts;
      if (!Array.isArray(size) || size.length !== 2 || !size.every((n) => Number.isInteger(n) && n >= 0)) {
        return bad('"mask" size must be [height, width]');
      }
      if (typeof counts !== 'string' && !(Array.isArray(counts) && counts.every((c) => typeof c === 'number'))) {
        return bad('"mask" counts must be a COCO RLE string or a list of run lengths');
      }
      return { kind: 'mask', mask: { size: [size[0], size[1]], counts: counts as string | number[] } };
    }
    case 'classification': {
      if (typeof v?.attributeHash !== 'string' || typeof v?.optionHash !== 'string') {
        return bad('"classification" needs string "attributeHash" and "optionHash"');
      }
      return { kind: 'classification', attributeHash: v.attributeHash, optionHash: v.optionHash };
    }
  }
}

function pointList(value: unknown, what: string): Points | string {
  if (!Array.isArray(value)) return `${what} must be a list of [x, y] points`;
  const out: Points = [];
  for (const [i, p] of value.entries()) {
    if (!Array.isArray(p) || p.length !== 2 || typeof p[0] !== 'number' || typeof p[1] !== 'number') {
      return `${what} point ${i} must be [x, y] numbers`;
    }
    out.push([p[0], p[1]]);
  }
  return out;
}

/** On a dataset project: the record with its image (imageId, image, or a path or stem as dataHash) as a data hash. */
function withDatasetImage(value: unknown, index: DatasetIndex | undefined): unknown | { code: string; reason: string } {
  if (!index || value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const r = value as Record<string, unknown>;
  const named = r.imageId ?? r.image ?? r.dataHash;
  if (named === undefined) return value;
  if (r.dataHash !== undefined && r.imageId === undefined && r.image === undefined) {
    if (typeof r.dataHash === 'string' && index.isDataHash(r.dataHash)) return value;
  }
  const du =
    typeof named === 'number' ? index.image(named) : typeof named === 'string' ? index.imageByName(named) : undefined;
  if (du === undefined) return { code: 'bad_record', reason: '"imageId" must be a number and "image" a string' };
  if (typeof du === 'string') return { code: 'unknown_image', reason: du };
  const { imageId: _id, image: _image, ...rest } = r;
  return { ...rest, dataHash: du.dataHash };
}

/** Reads one native file's text (JSON or NDJSON by `file`'s extension, or by content when ambiguous). */
export function readNativeText(project: Project, text: string, file: string): FormatReadResult {
  const result = emptyResult();
  const validator = new PredictionValidator(project);
  const dataset = isDatasetProject(project) ? new DatasetIndex(project) : undefined;
  const unknown = new Set<string>();
  const take = (value: unknown, record: number) => {
    const resolved = withDatasetImage(value, dataset);
    if (resolved !== value && resolved !== null && typeof resolved === 'object' && 'code' in resolved) {
      const { code, reason } = resolved as { code: string; reason: string };
      result.report.rejected.push({ file, record, code, reason });
      return;
    }
    const converted = fromNativeRecord(resolved, unknown);
    if ('code' in converted) {
      result.report.rejected.push({ file, record, code: converted.code, reason: converted.reason } satisfies Problem);
      return;
    }
    const outcome = validator.check(converted, file, record);
    if (outcome.prediction) {
      result.predictions.push(outcome.prediction);
      result.origins.push({ file, record });
    } else if (outcome.problem) result.report.rejected.push(outcome.problem);
  };

  if (isNdjsonPath(file) || (!NATIVE_FILE.test(file) && looksLikeNdjson(text))) {
    text.split(/\r?\n/).forEach((line, i) => {
      if (line.trim() === '') return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (err) {
        const at = jsonSyntaxError(line, err);
        result.report.rejected.push({
          file,
          record: i + 1,
          code: 'bad_json',
          reason: `not valid JSON: ${at.reason} (column ${at.column})`,
        });
        return;
      }
      take(value, i + 1);
    });
  } else {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      const at = jsonSyntaxError(text, err);
      throw new NativeFileError(file, `not valid JSON at line ${at.line}, column ${at.column}: ${at.reason}`);
    }
    const records = Array.isArray(doc) ? doc : (doc as { predictions?: unknown } | null)?.predictions;
    if (!Array.isArray(records)) {
      throw new NativeFileError(file, 'expected {"predictions": [...]} or a JSON array of prediction records');
    }
    records.forEach((value, i) => take(value, i));
  }
  if (dataset) for (const k of DATASET_KEYS) unknown.delete(k);
  if (unknown.size > 0)
    result.report.warnings.push(`${file}: ignored unknown key(s) ${[...unknown].sort().join(', ')}`);
  result.report.imported = result.predictions.length;
  return result;
}

function looksLikeNdjson(text: string): boolean {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  return lines.length > 1 && lines.every((l) => l.trimStart().startsWith('{'));
}

/** True when a file's first characters look like native records. */
export function looksNative(head: string): boolean {
  return /"dataHash"\s*:/.test(head) && /"featureHash"\s*:/.test(head) && !/"image_id"\s*:/.test(head);
}

async function nativeFiles(tree: FileTree): Promise<string[]> {
  return (await tree.list()).filter((p) => NATIVE_FILE.test(p));
}

function nativeFormat(
  id: 'json' | 'writer',
  label: string,
  short: string,
  detectReason: string,
  detects: boolean,
): PredictionFormat {
  return {
    id,
    label,
    short,
    detectReason,
    defaults:
      'records name their data unit (dataHash; on a dataset also imageId or the image path) and class (featureHash); coordinates normalised',
    options: [],
    async detect(tree) {
      if (!detects) return false;
      for (const file of (await nativeFiles(tree)).slice(0, 4)) {
        if (looksNative((await tree.readText(file)).slice(0, 4000))) return true;
      }
      return false;
    },
    async classKeys() {
      return NO_CLASS_KEYS;
    },
    async preview() {
      return BY_DATA_HASH;
    },
    async read(_kernels: Kernels, project: Project, tree: FileTree, options: ImportOptions) {
      const files = await nativeFiles(tree);
      if (files.length === 0) throw new NativeFileError(tree.name, 'no .json, .ndjson or .jsonl file to read');
      const result = emptyResult();
      for (const [i, file] of files.entries()) {
        options.signal?.throwIfAborted();
        options.onProgress?.({ done: i, total: files.length, current: file });
        appendResult(result, readNativeText(project, await tree.readText(file), file));
      }
      options.onProgress?.({ done: files.length, total: files.length });
      result.report.imported = result.predictions.length;
      return result;
    },
  };
}

export const nativeJsonReader = nativeFormat(
  'json',
  'predlens JSON / NDJSON predictions',
  'predlens JSON',
  '.json/.ndjson records with dataHash and featureHash: predlens native predictions',
  true,
);
/** The files PredictionWriter wrote: the same format; detection reports them as 'json'. */
export const writerReader = nativeFormat(
  'writer',
  'PredictionWriter output (predlens JSON / NDJSON)',
  'PredictionWriter',
  'files written by PredictionWriter',
  false,
);
