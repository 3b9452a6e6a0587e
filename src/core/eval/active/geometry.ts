// The IoUs EA v0.1.40 stored at import (spec §3.3, §5.1): torchvision box_iou in float32 for box classes, and
// |A∧B| / |A∨B| in float64 on full-image masks for polygon classes (labels and point polygons rasterised with
// OpenCV fillPoly of truncated pixel vertices; mask predictions as given).
import type { Kernels } from '../../../kernels/wasm.ts';
import { rleFromCoco, rleIouMatrix, rleToBbox, type Rle } from '../../../kernels/rle.ts';
import type { CocoRle, Points } from '../../model.ts';

const f32 = Math.fround;

/**
 * torchvision.ops.box_iou on float32 tensors built from x1,y1,x2,y2 doubles: every coordinate, area, difference,
 * product and the quotient rounded to float32. NaN when both boxes have no area (torch gives 0/0 too).
 */
export function eaBoxIou(
  ax1: number,
  ay1: number,
  ax2: number,
  ay2: number,
  bx1: number,
  by1: number,
  bx2: number,
  by2: number,
): number {
  const a1 = f32(ax1), a2 = f32(ay1), a3 = f32(ax2), a4 = f32(ay2);
  const b1 = f32(bx1), b2 = f32(by1), b3 = f32(bx2), b4 = f32(by2);
  const areaA = f32(f32(a3 - a1) * f32(a4 - a2));
  const areaB = f32(f32(b3 - b1) * f32(b4 - b2));
  const w = f32(Math.min(a3, b3) - Math.max(a1, b1));
  const h = f32(Math.min(a4, b4) - Math.max(a2, b2));
  const inter = f32((w > 0 ? w : 0) * (h > 0 ? h : 0));
  const union = f32(f32(areaA + areaB) - inter);
  return f32(inter / union);
}

/** A polygon-class region (label polygon, prediction polygon or mask) as a COCO RLE of the full image. */
export interface RegionSource {
  kind: 'polygon' | 'mask';
  points?: Points;
  holes?: Points[];
  mask?: CocoRle;
}

export class RegionGeometry {
  constructor(readonly kernels: Kernels) {}

  /** The full-image RLE of a region; throws when a mask's size is not the image's. */
  rle(region: RegionSource, width: number, height: number): Rle {
    if (region.kind === 'mask') {
      const rle = rleFromCoco(region.mask!);
      if (rle.h !== height || rle.w !== width) {
        throw new RangeError(`mask is ${rle.h}x${rle.w} (h x w) but the image is ${height}x${width}`);
      }
      return rle;
    }
    return this.polygonRle(region.points!, region.holes, width, height);
  }

  polygonRle(_points: Points, _holes: Points[] | undefined, _width: number, _height: number): Rle {
    throw new Error('EA polygon rasterisation needs the raster kernel (src/kernels/raster.ts), not built yet');
  }

  /** IoU matrix preds x labels (row-major) in float64, 0 where the masks do not overlap. */
  iou(preds: readonly Rle[], labels: readonly Rle[]): Float64Array {
    return rleIouMatrix(this.kernels, preds, labels, new Uint8Array(labels.length));
  }

  /** x1,y1,x2,y2 of a mask's foreground in pixels (x2, y2 exclusive, as cv2.boundingRect), zeros when empty. */
  static rleBoxPx(rle: Rle): [number, number, number, number] {
    const [x, y, w, h] = rleToBbox(rle);
    return [x, y, x + w, y + h];
  }
}
