// The mask operations COCO evaluation needs, as one small interface over the RLE kernels, so loading and
// evaluation can be tested and run for boxes without a .wasm instance.

export interface Rle {
  h: number;
  w: number;
  counts: Uint32Array;
}

export interface MaskOps {
  /** COCO.annToRLE: polygons (frPyObjects + merge), uncompressed RLE, or compressed RLE used as it is. */
  fromSegmentation(segmentation: unknown, height: number, width: number): Rle;
  area(rle: Rle): number;
  toBbox(rle: Rle): ArrayLike<number>;
  /** D x G row-major IoU matrix, maskUtils.iou semantics (bbox prefilter, -1 on size mismatch, crowd). */
  iouMatrix(dts: readonly Rle[], gts: readonly Rle[], iscrowd: Uint8Array): Float64Array;
}
