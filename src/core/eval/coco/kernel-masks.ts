// MaskOps over the RLE kernels (src/kernels/rle.ts), the one owner of pycocotools' mask rules.
import { rleArea, rleIouMatrix, rleToBbox } from '../../../kernels/rle.ts';
import { annToRle } from '../../../kernels/rle-objects.ts';
import type { Kernels } from '../../../kernels/wasm.ts';
import type { MaskOps } from './masks.ts';

export function kernelMaskOps(k: Kernels): MaskOps {
  return {
    fromSegmentation: (segmentation, height, width) => annToRle(k, segmentation, height, width),
    area: rleArea,
    toBbox: rleToBbox,
    iouMatrix: (dts, gts, iscrowd) => rleIouMatrix(k, dts, gts, iscrowd),
  };
}
