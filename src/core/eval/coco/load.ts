// Reading COCO ground truth and COCO results with pycocotools' rules (COCO(), COCO.loadRes(), the parts of
// COCOeval._prepare that touch the raw records). Spec: coco-eval.md "Loading" and Q9, Q12, Q17, Q21.
import type { CocoId } from './params.ts';
import type { MaskOps, Rle } from './masks.ts';

type Json = Record<string, unknown>;

/** COCO(gt): images, categories and annotations in file order, with the lookups COCOeval needs. */
export interface CocoGroundTruth {
  source: string;
  /** getImgIds(): unique image ids, first-seen order. */
  imageIds: CocoId[];
  /** The size of each image (the last record wins when an id repeats, as in COCO.imgs). */
  imageSize: Map<CocoId, { height: number; width: number }>;
  /** getCatIds(): category ids as listed. */
  categoryIds: CocoId[];
  categoryNames: Map<CocoId, string>;
  /** The raw annotation records, file order. */
  annotations: readonly Json[];
  annImageId: CocoId[];
  annCategoryId: CocoId[];
  /**
   * The record COCO.loadAnns returns for each annotation: the LAST annotation with the same id (COCO.anns is a
   * dict keyed by id). Equal to the index itself when ids are unique.
   */
  annResolved: Int32Array;
  /** Annotation ids that occur more than once (pycocotools silently evaluates the last record twice). */
  duplicateIds: CocoId[];
}

/** COCO.loadRes(results): detections with rewritten ids (index + 1), iscrowd 0, and a computed area. */
export interface CocoResults {
  source: string;
  /** Which loadRes branch the FIRST result chose for all of them (Q21). */
  branch: 'bbox' | 'segmentation';
  length: number;
  imageId: CocoId[];
  categoryId: CocoId[];
  score: Float64Array;
  /** [x, y, w, h] per result; NaN when a segmentation-branch result has no box and none was derived. */
  bbox: Float64Array;
  /** How many entries each result's "bbox" list had, -1 without one (bbox evaluation needs exactly 4, as maskUtils.iou). */
  bboxLength?: Int32Array;
  /** bbox branch: w*h of the box (also for segm, Q12). Segmentation branch: the mask area. */
  area: Float64Array;
  /** The raw `segmentation` (undefined in the bbox branch when absent: a rectangle is synthesised on demand). */
  segmentation: unknown[];
  /** Masks decoded while loading (segmentation branch only), reused by segm evaluation. */
  masks: (Rle | undefined)[];
}

export class CocoFormatError extends Error {}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isId(v: unknown): v is CocoId {
  return (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'string';
}

function describeId(v: unknown): string {
  return JSON.stringify(v) ?? String(v);
}

/** COCO(annotation_file) from the parsed JSON. `source` names the file in error messages. */
export function loadCocoGroundTruth(json: unknown, source = 'ground truth'): CocoGroundTruth {
  if (!isObject(json)) throw new CocoFormatError(`${source}: a COCO ground-truth file is a JSON object`);
  // loadRes copies both lists, so pycocotools raises KeyError without them; with no categories every stat is -1.
  if (!('images' in json)) {
    throw new CocoFormatError(`${source}: no "images" list (pycocotools: KeyError: 'images' in loadRes)`);
  }
  if (!('categories' in json)) {
    throw new CocoFormatError(`${source}: no "categories" list (pycocotools: KeyError: 'categories' in loadRes)`);
  }
  const images = json.images ?? [];
  const categories = json.categories ?? [];
  const annotations = json.annotations ?? [];
  if (!Array.isArray(images)) throw new CocoFormatError(`${source}: "images" is not a list`);
  if (!Array.isArray(categories)) throw new CocoFormatError(`${source}: "categories" is not a list`);
  if (!Array.isArray(annotations)) throw new CocoFormatError(`${source}: "annotations" is not a list`);
  if (categories.length === 0) {
    throw new CocoFormatError(`${source}: "categories" is empty, so there is nothing to evaluate (every stat -1)`);
  }

  // Repeated image or category ids: pycocotools silently keeps the last record's fields (an image's size, a
  // category's name) for all of them; that is an input error, named here.
  const imageSize = new Map<CocoId, { height: number; width: number }>();
  const imageAt = new Map<CocoId, number>();
  images.forEach((img, i) => {
    if (!isObject(img) || !isId(img.id)) throw new CocoFormatError(`${source}: images[${i}] has no valid "id"`);
    const before = imageAt.get(img.id);
    if (before !== undefined) {
      throw new CocoFormatError(`${source}: images[${i}] repeats id ${describeId(img.id)} of images[${before}]`);
    }
    imageAt.set(img.id, i);
    imageSize.set(img.id, { height: Number(img.height), width: Number(img.width) });
  });

  const categoryIds: CocoId[] = [];
  const categoryNames = new Map<CocoId, string>();
  const categoryAt = new Map<CocoId, number>();
  categories.forEach((cat, i) => {
    if (!isObject(cat) || !isId(cat.id)) throw new CocoFormatError(`${source}: categories[${i}] has no valid "id"`);
    const before = categoryAt.get(cat.id);
    if (before !== undefined) {
      throw new CocoFormatError(
        `${source}: categories[${i}] repeats id ${describeId(cat.id)} of categories[${before}]`,
      );
    }
    categoryAt.set(cat.id, i);
    categoryIds.push(cat.id);
    categoryNames.set(cat.id, typeof cat.name === 'string' ? cat.name : String(cat.id));
  });

  const n = annotations.length;
  const annImageId: CocoId[] = new Array(n);
  const annCategoryId: CocoId[] = new Array(n);
  const lastById = new Map<CocoId, number>();
  const seen = new Set<CocoId>();
  const duplicateIds: CocoId[] = [];
  for (let i = 0; i < n; i++) {
    const ann = annotations[i];
    if (!isObject(ann)) throw new CocoFormatError(`${source}: annotations[${i}] is not an object`);
    if (!isId(ann.image_id)) {
      throw new CocoFormatError(`${source}: annotations[${i}] has image_id ${describeId(ann.image_id)}`);
    }
    if (!isId(ann.category_id)) {
      throw new CocoFormatError(`${source}: annotations[${i}] has category_id ${describeId(ann.category_id)}`);
    }
    if (!isId(ann.id)) throw new CocoFormatError(`${source}: annotations[${i}] has id ${describeId(ann.id)}`);
    annImageId[i] = ann.image_id;
    annCategoryId[i] = ann.category_id;
    if (seen.has(ann.id) && !lastById.has(ann.id)) duplicateIds.push(ann.id);
    if (seen.has(ann.id)) lastById.set(ann.id, i);
    seen.add(ann.id);
  }
  const annResolved = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    annResolved[i] = duplicateIds.length ? (lastById.get((annotations[i] as Json).id as CocoId) ?? i) : i;
  }
  return {
    source,
    imageIds: [...imageSize.keys()],
    imageSize,
    categoryIds,
    categoryNames,
    annotations: annotations as Json[],
    annImageId,
    annCategoryId,
    annResolved,
    duplicateIds,
  };
}

function readBox(v: unknown, out: Float64Array, at: number): boolean {
  if (!Array.isArray(v) || v.length < 4) return false;
  for (let j = 0; j < 4; j++) {
    if (typeof v[j] !== 'number') return false;
    out[4 * at + j] = v[j];
  }
  return true;
}

function resultList(json: unknown): unknown {
  return isObject(json) && Array.isArray(json.annotations) ? json.annotations : json;
}

/** loadRes' dispatch (Q21): true when the first result has no non-empty "bbox", so all are read as masks. */
export function resultsAreMasks(json: unknown): boolean {
  const list = resultList(json);
  const first = Array.isArray(list) && isObject(list[0]) ? list[0] : undefined;
  return first !== undefined && !(Array.isArray(first.bbox) && first.bbox.length > 0);
}

export interface LoadResultsOptions {
  /** The file name for error messages. */
  source?: string;
  /** Needed only for mask results. */
  masks?: MaskOps;
  /**
   * Derive the bbox of mask results without one (toBbox), as loadRes does. Only bbox evaluation reads it, so segm
   * evaluation skips the work; those boxes then stay NaN. Default true.
   */
  deriveBoxes?: boolean;
}

/**
 * COCO.loadRes(results) against `gt`. The first result's keys decide how every result is read: with a non-empty
 * "bbox" all are boxes (area = w*h, even for segm); otherwise all are masks (area = mask area, bbox = toBbox when
 * absent). Unlike pycocotools, polygon and uncompressed-RLE masks are accepted too (rasterised like annToRLE).
 */
export function loadCocoResults(gt: CocoGroundTruth, json: unknown, options: LoadResultsOptions = {}): CocoResults {
  const { source = 'results', masks, deriveBoxes = true } = options;
  const list = resultList(json);
  if (!Array.isArray(list)) throw new CocoFormatError(`${source}: COCO results are a JSON list of detections`);
  const n = list.length;
  const imageId: CocoId[] = new Array(n);
  const categoryId: CocoId[] = new Array(n);
  const score = new Float64Array(n);
  const bbox = new Float64Array(4 * n).fill(NaN);
  const bboxLength = new Int32Array(n).fill(-1);
  const area = new Float64Array(n);
  const segmentation: unknown[] = new Array(n);
  const maskList: (Rle | undefined)[] = new Array(n);

  for (let i = 0; i < n; i++) {
    const r = list[i];
    if (!isObject(r)) throw new CocoFormatError(`${source}: result ${i} is not an object`);
    if (!isId(r.image_id) || !gt.imageSize.has(r.image_id)) {
      throw new CocoFormatError(
        `${source}: result ${i} has image_id ${describeId(r.image_id)}, which is not an image of ${gt.source} ` +
          '(pycocotools: "Results do not correspond to current coco set")',
      );
    }
  }
  const first = n > 0 ? (list[0] as Json) : undefined;
  let branch: CocoResults['branch'] = 'bbox';
  if (first && !(Array.isArray(first.bbox) && first.bbox.length > 0)) {
    if (!('segmentation' in first)) {
      const what = 'caption' in first ? 'caption' : 'keypoints' in first ? 'keypoints' : 'unknown';
      throw new CocoFormatError(
        `${source}: result 0 has neither "bbox" nor "segmentation" (${what} results are not supported); ` +
          'the first result decides how all results are read',
      );
    }
    branch = 'segmentation';
  }

  for (let i = 0; i < n; i++) {
    const r = list[i] as Json;
    imageId[i] = r.image_id as CocoId;
    if (!isId(r.category_id)) {
      throw new CocoFormatError(`${source}: result ${i} has category_id ${describeId(r.category_id)}`);
    }
    categoryId[i] = r.category_id;
    if (typeof r.score !== 'number') {
      throw new CocoFormatError(`${source}: result ${i} (image_id ${describeId(r.image_id)}) has no numeric "score"`);
    }
    score[i] = r.score;
    segmentation[i] = r.segmentation;
    const hasBox = readBox(r.bbox, bbox, i);
    if (Array.isArray(r.bbox)) bboxLength[i] = r.bbox.length;
    if (branch === 'bbox') {
      if (!hasBox) {
        throw new CocoFormatError(
          `${source}: result ${i} (image_id ${describeId(r.image_id)}) has no [x, y, w, h] "bbox", but result 0 ` +
            'has one, so every result is read as a box',
        );
      }
      area[i] = bbox[4 * i + 2] * bbox[4 * i + 3];
      continue;
    }
    if (r.segmentation === undefined) {
      throw new CocoFormatError(
        `${source}: result ${i} (image_id ${describeId(r.image_id)}) has no "segmentation", but result 0 is a ` +
          'mask without a bbox, so every result is read as a mask',
      );
    }
    if (!masks) throw new Error(`${source}: mask results need the RLE kernels`);
    const size = gt.imageSize.get(r.image_id as CocoId)!;
    let rle: Rle;
    try {
      rle = masks.fromSegmentation(r.segmentation, size.height, size.width);
    } catch (err) {
      throw new CocoFormatError(
        `${source}: result ${i} (image_id ${describeId(r.image_id)}): ${err instanceof Error ? err.message : err}`,
      );
    }
    maskList[i] = rle;
    area[i] = masks.area(rle);
    if (!hasBox && deriveBoxes) bbox.set(masks.toBbox(rle), 4 * i);
  }
  return {
    source,
    branch,
    length: n,
    imageId,
    categoryId,
    score,
    bbox,
    bboxLength,
    area,
    segmentation,
    masks: maskList,
  };
}
