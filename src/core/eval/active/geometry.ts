// The region side of the IoUs EA v0.1.40 stored at import (spec §3.3, §5.1): |A∧B| / |A∨B| in float64 on
// full-image masks for polygon classes (labels and point polygons rasterised with OpenCV fillPoly of truncated
// pixel vertices; mask predictions as given). Box IoU (torchvision, float32) is eaBoxIouMatrix in kernels/boxes.ts.
import type { Kernels } from '../../../kernels/wasm.ts';
import { eaPolygonRle } from '../../../kernels/raster.ts';
import { rleFromCoco, rleIouMatrix, rleToBbox, type Rle } from '../../../kernels/rle.ts';
import type { CocoRle, Points } from '../../model.ts';

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

  /** EA's fillPoly of truncated pixel vertices; holes are filled together with the outline (even-odd). */
  polygonRle(points: Points, holes: Points[] | undefined, width: number, height: number): Rle {
    return eaPolygonRle(this.kernels, points, holes, width, height);
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
