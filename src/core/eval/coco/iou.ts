// COCOeval.computeIoU for one (image, category) cell: detections (rows) x ground truths (columns).
import { cocoBoxIouInto } from '../../../kernels/boxes.ts';
import type { CocoGroundTruth, CocoResults } from './load.ts';
import { CocoFormatError } from './load.ts';
import type { MaskOps, Rle } from './masks.ts';
import type { Prepared } from './prepare.ts';

/** Fills `out[d*ng + g]` for the detections dts[d0..d0+nd) and ground truths gts[g0..g0+ng). */
export interface IouProvider {
  cell(dts: Int32Array, d0: number, nd: number, gts: Int32Array, g0: number, ng: number, out: Float64Array): void;
}

/** The boxes each annotation contributes, checked once (pycocotools fails on a missing bbox while computing). */
function gtBoxes(gt: CocoGroundTruth, prep: Prepared): Float64Array {
  const boxes = new Float64Array(4 * prep.gtCount);
  for (let j = 0; j < prep.gtCellList.length; j++) {
    const i = prep.gtCellList[j];
    const r = prep.gtRecord[i];
    const bb = gt.annotations[r].bbox;
    if (!Array.isArray(bb) || bb.length !== 4 || bb.some((v) => typeof v !== 'number')) {
      throw new CocoFormatError(
        `${gt.source}: annotations[${r}] (id ${JSON.stringify(gt.annotations[r].id)}) has no [x, y, w, h] "bbox" ` +
          `(needed for bbox evaluation; it is ${JSON.stringify(bb)})`,
      );
    }
    for (let c = 0; c < 4; c++) boxes[4 * i + c] = bb[c] as number;
  }
  return boxes;
}

export function boxIouProvider(gt: CocoGroundTruth, dt: CocoResults, prep: Prepared): IouProvider {
  const gb = gtBoxes(gt, prep);
  const db = dt.bbox;
  const crowd = prep.gtCrowd;
  for (let j = 0; j < prep.dtCellList.length; j++) {
    const d = prep.dtCellList[j];
    if (Number.isNaN(db[4 * d])) throw new CocoFormatError(`${dt.source}: result ${d} has no bbox`);
    const length = dt.bboxLength?.[d] ?? -1;
    if (length >= 0 && length !== 4) {
      throw new CocoFormatError(
        `${dt.source}: result ${d} (image_id ${JSON.stringify(dt.imageId[d])}) has a "bbox" of ${length} numbers, ` +
          'not [x, y, w, h] (pycocotools: Exception: list input can be bounding box (Nx4) or RLEs ([RLE]))',
      );
    }
  }
  return {
    cell(dts, d0, nd, gts, g0, ng, out) {
      cocoBoxIouInto(db, dts, d0, nd, gb, gts, g0, ng, crowd, out);
    },
  };
}

/** The rectangle polygon loadRes synthesises for box results without a segmentation. */
function boxPolygon(bb: Float64Array, at: number): number[][] {
  const x1 = bb[at];
  const y1 = bb[at + 1];
  const x2 = bb[at] + bb[at + 2];
  const y2 = bb[at + 1] + bb[at + 3];
  return [[x1, y1, x1, y2, x2, y2, x2, y1]];
}

/** Masks (annToRLE) for every object taking part, then maskUtils.iou per cell. */
export function maskIouProvider(gt: CocoGroundTruth, dt: CocoResults, prep: Prepared, masks: MaskOps): IouProvider {
  const gtRle: Rle[] = new Array(prep.gtCount);
  for (let j = 0; j < prep.gtCellList.length; j++) {
    const i = prep.gtCellList[j];
    const r = prep.gtRecord[i];
    const rec = gt.annotations[r];
    const size = gt.imageSize.get(gt.annImageId[r]);
    if (!size) throw new CocoFormatError(`${gt.source}: annotations[${r}] is on an image that is not listed`);
    try {
      gtRle[i] = masks.fromSegmentation(rec.segmentation, size.height, size.width);
    } catch (err) {
      throw new CocoFormatError(
        `${gt.source}: annotations[${r}] (id ${JSON.stringify(rec.id)}): ${err instanceof Error ? err.message : err}`,
      );
    }
  }
  const dtRle: Rle[] = new Array(dt.length);
  for (let j = 0; j < prep.dtCellList.length; j++) {
    const d = prep.dtCellList[j];
    const loaded = dt.masks[d];
    if (loaded) {
      dtRle[d] = loaded;
      continue;
    }
    const size = gt.imageSize.get(dt.imageId[d])!;
    const seg = dt.segmentation[d] ?? boxPolygon(dt.bbox, 4 * d);
    try {
      dtRle[d] = masks.fromSegmentation(seg, size.height, size.width);
    } catch (err) {
      throw new CocoFormatError(`${dt.source}: result ${d}: ${err instanceof Error ? err.message : err}`);
    }
  }
  const crowdBuf: Uint8Array[] = [];
  return {
    cell(dts, d0, nd, gts, g0, ng, out) {
      if (nd === 0 || ng === 0) return;
      const ds: Rle[] = new Array(nd);
      const gs: Rle[] = new Array(ng);
      const crowd = (crowdBuf[ng] ??= new Uint8Array(ng));
      for (let d = 0; d < nd; d++) ds[d] = dtRle[dts[d0 + d]];
      for (let g = 0; g < ng; g++) {
        gs[g] = gtRle[gts[g0 + g]];
        crowd[g] = prep.gtCrowd[gts[g0 + g]];
      }
      out.set(masks.iouMatrix(ds, gs, crowd));
    },
  };
}
