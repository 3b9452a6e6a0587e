// What TIDE reads from COCO files, loaded by the COCO loaders (core/eval/coco/load.ts) and put the way tidecv's
// datasets.COCO / COCOResult put it: images in gt.json order then images only annotations mention, every
// annotation with iscrowd a crowd region of its class, every result a detection with its score and category
// (categories are not filtered), and the IoU of pycocotools through the same kernels COCO evaluation uses.
import { cocoBoxIouMatrix } from '../../../kernels/boxes.ts';
import { CocoFormatError, type CocoGroundTruth, type CocoResults } from '../coco/load.ts';
import type { MaskOps, Rle } from '../coco/masks.ts';
import type { CocoId } from '../coco/params.ts';
import type { TideMode } from './types.ts';

type Json = Record<string, unknown>;

/** IoU of detections (rows) with ground truths (columns), row-major; crowd: intersection over detection area. */
export interface TideGeometry {
  iou(dts: Int32Array, nd: number, gts: Int32Array, ng: number, crowd: boolean): Float64Array;
}

export interface TideData {
  mode: TideMode;
  /** Images in evaluation order. */
  images: CocoId[];
  /** Category ids by class index (first seen in the ground truth, then in the results). */
  classIds: CocoId[];
  classNames: string[];
  gtCount: number;
  /** Image index of each annotation (file order). */
  gtImage: Int32Array;
  gtClass: Int32Array;
  gtCrowd: Uint8Array;
  dtCount: number;
  /** Image index of each result (file order). */
  dtImage: Int32Array;
  dtClass: Int32Array;
  dtScore: Float64Array;
  geometry: TideGeometry;
}

/** Python truthiness of a JSON value (tidecv: `if ann['iscrowd']`). */
function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object' && v !== null) return Object.keys(v).length > 0;
  return Boolean(v);
}

/**
 * tidecv's image order: gt.json's `images`, then any image only annotations mention (first mention). Results on
 * other images are not evaluated; the COCO results loader refuses them before this point.
 */
export function tideImageOrder(gt: CocoGroundTruth): CocoId[] {
  const order = [...gt.imageIds];
  const seen = new Set(order);
  for (const id of gt.annImageId) {
    if (!seen.has(id)) {
      seen.add(id);
      order.push(id);
    }
  }
  return order;
}

/** The ground truth with the images only annotations mention added (size unknown), so results on them load. */
export function withAnnotatedImages(gt: CocoGroundTruth): CocoGroundTruth {
  const extra = tideImageOrder(gt).slice(gt.imageIds.length);
  if (extra.length === 0) return gt;
  const imageSize = new Map(gt.imageSize);
  for (const id of extra) imageSize.set(id, { height: NaN, width: NaN });
  return { ...gt, imageSize };
}

export function tideData(
  gt: CocoGroundTruth,
  results: CocoResults,
  mode: TideMode,
  masks: MaskOps | undefined,
): TideData {
  const images = tideImageOrder(gt);
  const imageIndex = new Map<CocoId, number>();
  images.forEach((id, i) => imageIndex.set(id, i));
  const classIds: CocoId[] = [];
  const classNames: string[] = [];
  const classIndex = new Map<CocoId, number>();
  const classOf = (id: CocoId): number => {
    let c = classIndex.get(id);
    if (c === undefined) {
      c = classIds.length;
      classIndex.set(id, c);
      classIds.push(id);
      classNames.push(gt.categoryNames.get(id) ?? String(id));
    }
    return c;
  };
  for (const id of gt.categoryIds) classOf(id);

  const gtCount = gt.annotations.length;
  const gtImage = new Int32Array(gtCount);
  const gtClass = new Int32Array(gtCount);
  const gtCrowd = new Uint8Array(gtCount);
  for (let i = 0; i < gtCount; i++) {
    gtImage[i] = imageIndex.get(gt.annImageId[i])!;
    gtClass[i] = classOf(gt.annCategoryId[i]);
    gtCrowd[i] = truthy(gt.annotations[i].iscrowd) ? 1 : 0;
  }
  const dtCount = results.length;
  const dtImage = new Int32Array(dtCount);
  const dtClass = new Int32Array(dtCount);
  for (let d = 0; d < dtCount; d++) {
    const at = imageIndex.get(results.imageId[d]);
    if (at === undefined) {
      throw new CocoFormatError(
        `${results.source}: result ${d} is on image ${results.imageId[d]}, not in ${gt.source}`,
      );
    }
    dtImage[d] = at;
    dtClass[d] = classOf(results.categoryId[d]);
  }
  const geometry =
    mode === 'bbox' ? boxGeometry(gt, results) : maskGeometry(gt, results, requireMasks(masks, results.source));
  return {
    mode,
    images,
    classIds,
    classNames,
    gtCount,
    gtImage,
    gtClass,
    gtCrowd,
    dtCount,
    dtImage,
    dtClass,
    dtScore: results.score,
    geometry,
  };
}

function requireMasks(masks: MaskOps | undefined, source: string): MaskOps {
  if (!masks) throw new Error(`${source}: TIDE mask mode needs the RLE kernels`);
  return masks;
}

function boxGeometry(gt: CocoGroundTruth, results: CocoResults): TideGeometry {
  const gb = new Float64Array(4 * gt.annotations.length);
  gt.annotations.forEach((ann, i) => {
    const bb = ann.bbox;
    if (!Array.isArray(bb) || bb.length !== 4 || bb.some((v) => typeof v !== 'number')) {
      throw new CocoFormatError(`${gt.source}: annotations[${i}] has no [x, y, w, h] "bbox" (TIDE box mode)`);
    }
    gb.set(bb as number[], 4 * i);
  });
  const db = results.bbox;
  for (let d = 0; d < results.length; d++) {
    if (Number.isNaN(db[4 * d]))
      throw new CocoFormatError(`${results.source}: result ${d} has no bbox (TIDE box mode)`);
  }
  let dBuf = new Float64Array(4 * 128);
  let gBuf = new Float64Array(4 * 128);
  let cBuf = new Uint8Array(128);
  return {
    iou(dts, nd, gts, ng, crowd) {
      if (4 * nd > dBuf.length) dBuf = new Float64Array(8 * nd);
      if (4 * ng > gBuf.length) {
        gBuf = new Float64Array(8 * ng);
        cBuf = new Uint8Array(2 * ng);
      }
      for (let d = 0; d < nd; d++) {
        const at = 4 * dts[d];
        for (let c = 0; c < 4; c++) dBuf[4 * d + c] = db[at + c];
      }
      for (let g = 0; g < ng; g++) {
        const at = 4 * gts[g];
        for (let c = 0; c < 4; c++) gBuf[4 * g + c] = gb[at + c];
        cBuf[g] = crowd ? 1 : 0;
      }
      return cocoBoxIouMatrix(dBuf.subarray(0, 4 * nd), gBuf.subarray(0, 4 * ng), cBuf.subarray(0, ng));
    },
  };
}

/** The rectangle polygon loadRes gives box results without a segmentation. */
function boxPolygon(bb: Float64Array, at: number): number[][] {
  const [x, y, w, h] = [bb[at], bb[at + 1], bb[at + 2], bb[at + 3]];
  return [[x, y, x, y + h, x + w, y + h, x + w, y]];
}

function maskGeometry(gt: CocoGroundTruth, results: CocoResults, masks: MaskOps): TideGeometry {
  const reason = (err: unknown) => (err instanceof Error ? err.message : String(err));
  const gtRle: Rle[] = gt.annotations.map((ann: Json, i) => {
    const size = gt.imageSize.get(gt.annImageId[i]);
    if (!size || Number.isNaN(size.height)) {
      throw new CocoFormatError(
        `${gt.source}: annotations[${i}] is on image ${JSON.stringify(gt.annImageId[i])}, which "images" does not ` +
          'list, so its mask has no size (TIDE mask mode)',
      );
    }
    if (ann.segmentation === undefined) {
      throw new CocoFormatError(`${gt.source}: annotations[${i}] has no "segmentation" (TIDE mask mode)`);
    }
    try {
      return masks.fromSegmentation(ann.segmentation, size.height, size.width);
    } catch (err) {
      throw new CocoFormatError(`${gt.source}: annotations[${i}] (id ${JSON.stringify(ann.id)}): ${reason(err)}`);
    }
  });
  const dtRle: Rle[] = new Array(results.length);
  for (let d = 0; d < results.length; d++) {
    const loaded = results.masks[d];
    if (loaded) {
      dtRle[d] = loaded;
      continue;
    }
    const size = gt.imageSize.get(results.imageId[d])!;
    const seg = results.segmentation[d] ?? boxPolygon(results.bbox, 4 * d);
    try {
      dtRle[d] = masks.fromSegmentation(seg, size.height, size.width);
    } catch (err) {
      throw new CocoFormatError(`${results.source}: result ${d}: ${reason(err)}`);
    }
  }
  return {
    iou(dts, nd, gts, ng, crowd) {
      if (nd === 0 || ng === 0) return new Float64Array(nd * ng);
      const ds: Rle[] = new Array(nd);
      const gs: Rle[] = new Array(ng);
      for (let d = 0; d < nd; d++) ds[d] = dtRle[dts[d]];
      for (let g = 0; g < ng; g++) gs[g] = gtRle[gts[g]];
      return masks.iouMatrix(ds, gs, new Uint8Array(ng).fill(crowd ? 1 : 0));
    },
  };
}
