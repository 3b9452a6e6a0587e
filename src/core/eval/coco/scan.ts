// Reading COCO ground-truth and results files straight from their bytes in one wasm pass (assembly/json-scan.ts),
// keeping only what evaluation reads: no JSON.parse of the whole file, no objects for file names or licences, no
// arrays for polygons, no strings for compressed RLE (decoded during the scan).
//
// Only the regular shape of these files is read here. Anything else (invalid JSON, string ids, a field of an
// unexpected type, a missing "iscrowd", an unknown image id, ...) gives undefined, and the caller reads the file
// with JSON.parse and load.ts instead, so every error message and every unusual-but-valid file behaves exactly as
// there. The values are those JSON.parse gives (numbers outside the scanner's exact fast path are re-read by it).
import { rleToBbox } from '../../../kernels/rle.ts';
import { DecodedRle, PolygonParts } from '../../../kernels/rle-objects.ts';
import { scanCocoBytes, SlotKind, type ScannedFile, type ScannedTable } from '../../../kernels/json-scan.ts';
import type { Kernels } from '../../../kernels/wasm.ts';
import { loadCocoGroundTruth, type CocoGroundTruth, type CocoResults } from './load.ts';
import type { Rle } from './masks.ts';
import type { CocoId } from './params.ts';

type Json = Record<string, unknown>;

const utf8 = new TextDecoder();
const ABSENT = Symbol('absent');
const GIVE_UP = new Error('irregular COCO file');

function giveUp(): never {
  throw GIVE_UP;
}

class Reader {
  constructor(
    readonly bytes: Uint8Array,
    readonly file: ScannedFile,
    readonly t: ScannedTable,
  ) {}

  kind(row: number, f: number): number {
    return this.t.ints[8 * (row * this.t.fields + f)];
  }

  int(row: number, f: number, j: number): number {
    return this.t.ints[8 * (row * this.t.fields + f) + j];
  }

  number(row: number, f: number): number {
    return this.t.values[4 * (row * this.t.fields + f) + 3];
  }

  json(row: number, f: number): unknown {
    return JSON.parse(utf8.decode(this.bytes.subarray(this.int(row, f, 1), this.int(row, f, 2))));
  }

  /** The field as JSON.parse gives it (polygons packed), or ABSENT. */
  value(row: number, f: number): unknown {
    switch (this.kind(row, f)) {
      case SlotKind.Absent:
        return ABSENT;
      case SlotKind.Number:
        return this.number(row, f);
      case SlotKind.Numbers: {
        const a = this.int(row, f, 1);
        const n = this.int(row, f, 2);
        const f64 = this.file.f64;
        if (n === 4) return [f64[a], f64[a + 1], f64[a + 2], f64[a + 3]];
        const out: number[] = new Array(n);
        for (let j = 0; j < n; j++) out[j] = f64[a + j];
        return out;
      }
      case SlotKind.Polygons: {
        const a = this.int(row, f, 1);
        const d = this.int(row, f, 4);
        const ends = Array.from(this.file.i32.subarray(d, d + this.int(row, f, 3)));
        return new PolygonParts(this.file.f64.subarray(a, a + this.int(row, f, 2)), ends);
      }
      case SlotKind.Rle:
        return new DecodedRle(this.rle(row, f));
      default:
        return this.json(row, f);
    }
  }

  rle(row: number, f: number): Rle {
    const a = this.int(row, f, 1);
    return {
      h: this.int(row, f, 3),
      w: this.int(row, f, 4),
      counts: this.file.u32.subarray(a, a + this.int(row, f, 2)),
    };
  }

  /** A finite number (an id), else give up: the loaders name what is wrong. */
  id(row: number, f: number): number {
    const v = this.kind(row, f) === SlotKind.Number ? this.number(row, f) : this.value(row, f);
    if (typeof v !== 'number' || !Number.isFinite(v)) giveUp();
    return v;
  }

  /** A number field, else give up. */
  num(row: number, f: number): number {
    const v = this.kind(row, f) === SlotKind.Number ? this.number(row, f) : this.value(row, f);
    if (typeof v !== 'number') giveUp();
    return v;
  }

  optional(row: number, f: number): unknown {
    const v = this.value(row, f);
    return v === ABSENT ? undefined : v;
  }
}

/**
 * COCO(gt) from the file's bytes, or undefined when the file is not of the regular shape (then JSON.parse it and
 * use loadCocoGroundTruth). `source` names the file in later error messages.
 */
export function readGroundTruthBytes(k: Kernels, bytes: Uint8Array, source: string): CocoGroundTruth | undefined {
  const file = scanCocoBytes(k, bytes, 0);
  if (!file) return undefined;
  try {
    const json: Json = {};
    const [imagesT, categoriesT, annotationsT] = file.tables;
    if (imagesT) {
      const r = new Reader(bytes, file, imagesT);
      const images: Json[] = new Array(imagesT.rows);
      for (let i = 0; i < imagesT.rows; i++) {
        const width = r.optional(i, 1);
        const height = r.optional(i, 2);
        if (width !== undefined && typeof width !== 'number') giveUp();
        if (height !== undefined && typeof height !== 'number') giveUp();
        images[i] = { id: r.id(i, 0), width, height };
      }
      json.images = images;
    }
    if (categoriesT) {
      const r = new Reader(bytes, file, categoriesT);
      const categories: Json[] = new Array(categoriesT.rows);
      for (let i = 0; i < categoriesT.rows; i++) categories[i] = { id: r.id(i, 0), name: r.optional(i, 1) };
      json.categories = categories;
    }
    if (annotationsT) {
      const r = new Reader(bytes, file, annotationsT);
      const annotations: Json[] = new Array(annotationsT.rows);
      for (let i = 0; i < annotationsT.rows; i++) {
        // _prepare raises on a missing "iscrowd" (KeyError): let the reference path say so.
        if (r.kind(i, 4) === SlotKind.Absent) giveUp();
        annotations[i] = {
          id: r.id(i, 0),
          image_id: r.id(i, 1),
          category_id: r.id(i, 2),
          area: r.num(i, 3),
          iscrowd: r.value(i, 4),
          ignore: r.optional(i, 5),
          bbox: r.optional(i, 6),
          segmentation: r.optional(i, 7),
        };
      }
      json.annotations = annotations;
    }
    return loadCocoGroundTruth(json, source);
  } catch (err) {
    if (err === GIVE_UP) return undefined;
    throw err;
  }
}

// Result fields, in the scanner's order.
const IMAGE_ID = 0;
const CATEGORY_ID = 1;
const SCORE = 2;
const BBOX = 3;
const SEGMENTATION = 4;
const CAPTION = 5;
const KEYPOINTS = 6;

/**
 * COCO.loadRes(results) from the file's bytes, exactly as loadCocoResults reads the parsed file, or undefined when
 * the file is not of the regular shape (then JSON.parse it and use loadCocoResults, which also gives the errors).
 */
export function readResultsBytes(
  k: Kernels,
  gt: CocoGroundTruth,
  bytes: Uint8Array,
  options: { source?: string; deriveBoxes?: boolean } = {},
): CocoResults | undefined {
  const { source = 'results', deriveBoxes = true } = options;
  const file = scanCocoBytes(k, bytes, 1);
  const table = file?.tables[3];
  if (!file || !table) return undefined;
  try {
    const r = new Reader(bytes, file, table);
    const n = table.rows;
    const imageId: CocoId[] = new Array(n);
    const categoryId: CocoId[] = new Array(n);
    const score = new Float64Array(n);
    const bbox = new Float64Array(4 * n).fill(NaN);
    const bboxLength = new Int32Array(n).fill(-1);
    const area = new Float64Array(n);
    const segmentation: unknown[] = new Array(n);
    const masks: (Rle | undefined)[] = new Array(n);
    // The first result decides how all are read (loadRes' dispatch, Q21).
    const firstBox = n > 0 ? r.kind(0, BBOX) : SlotKind.Absent;
    if (firstBox === SlotKind.Json) return undefined;
    const boxBranch = firstBox === SlotKind.Numbers && r.int(0, BBOX, 2) > 0;
    if (n > 0 && !boxBranch && r.kind(0, SEGMENTATION) !== SlotKind.Rle) return undefined;
    const f64 = file.f64;
    for (let i = 0; i < n; i++) {
      if (r.kind(i, CAPTION) !== SlotKind.Absent || r.kind(i, KEYPOINTS) !== SlotKind.Absent) giveUp();
      const img = r.id(i, IMAGE_ID);
      if (!gt.imageSize.has(img)) giveUp();
      imageId[i] = img;
      categoryId[i] = r.id(i, CATEGORY_ID);
      score[i] = r.num(i, SCORE);
      const boxKind = r.kind(i, BBOX);
      if (boxKind === SlotKind.Json) giveUp();
      if (boxKind === SlotKind.Numbers) bboxLength[i] = r.int(i, BBOX, 2);
      const hasBox = boxKind === SlotKind.Numbers && r.int(i, BBOX, 2) >= 4;
      if (hasBox) {
        const a = r.int(i, BBOX, 1);
        bbox[4 * i] = f64[a];
        bbox[4 * i + 1] = f64[a + 1];
        bbox[4 * i + 2] = f64[a + 2];
        bbox[4 * i + 3] = f64[a + 3];
      }
      if (boxBranch) {
        if (!hasBox) giveUp();
        area[i] = bbox[4 * i + 2] * bbox[4 * i + 3];
        segmentation[i] = r.optional(i, SEGMENTATION);
        continue;
      }
      if (r.kind(i, SEGMENTATION) !== SlotKind.Rle) giveUp();
      const rle = r.rle(i, SEGMENTATION);
      masks[i] = rle;
      segmentation[i] = new DecodedRle(rle);
      area[i] = r.number(i, SEGMENTATION);
      if (!hasBox && deriveBoxes) bbox.set(rleToBbox(rle), 4 * i);
    }
    return {
      source,
      branch: boxBranch || n === 0 ? 'bbox' : 'segmentation',
      length: n,
      imageId,
      categoryId,
      score,
      bbox,
      bboxLength,
      area,
      segmentation,
      masks,
    };
  } catch (err) {
    if (err === GIVE_UP) return undefined;
    throw err;
  }
}
