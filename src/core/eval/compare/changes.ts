// What changed from run A to run B, label by label and image by image, under COCO's greedy matching at one IoU
// threshold (pycocotools' evaluateImg with area "all" and maxDets[-1] = 100 detections per image and category,
// as its per-object tags read: coco/tags.ts). A label is fixed when B matches it and A misses it, broken the other
// way round; crowd and other ignored labels never count. Per image, the false positives of each run.
import { ObjectTag, type ObjectTags } from '../coco/tags.ts';

export interface LabelChanges {
  /** Annotation indexes (ground-truth file order) that B matches and A misses. */
  fixed: number[];
  /** Annotation indexes that A matches and B misses. */
  broken: number[];
}

export interface ImageChange {
  /** Index into the evaluated image ids (params.imgIds order). */
  image: number;
  fixed: number;
  broken: number;
  /** False positives of A and of B on the image. */
  fpA: number;
  fpB: number;
  /** fixed - broken + fpA - fpB: how much better B does on the image (positive: better). */
  net: number;
}

export interface ChangeInputs {
  tagsA: ObjectTags;
  tagsB: ObjectTags;
  /** Image index (params.imgIds order) of each annotation and of each result of A and B; -1 when not evaluated. */
  gtImage: Int32Array;
  dtImageA: Int32Array;
  dtImageB: Int32Array;
  /** Per image index: 1 when the image is compared. */
  compared: Uint8Array;
}

/** Fixed and broken labels and the per-image counts; images without any change are left out. */
export function labelChanges(input: ChangeInputs): { labels: LabelChanges; images: ImageChange[] } {
  const { tagsA, tagsB, gtImage, dtImageA, dtImageB, compared } = input;
  const I = compared.length;
  const fixed: number[] = [];
  const broken: number[] = [];
  const perImage = Array.from({ length: I }, () => ({ fixed: 0, broken: 0, fpA: 0, fpB: 0 }));
  for (let g = 0; g < tagsA.groundTruths.length; g++) {
    const i = gtImage[g];
    if (i < 0 || !compared[i]) continue;
    const a = tagsA.groundTruths[g];
    const b = tagsB.groundTruths[g];
    if (a === ObjectTag.FalseNegative && b === ObjectTag.TruePositive) {
      fixed.push(g);
      perImage[i].fixed++;
    } else if (a === ObjectTag.TruePositive && b === ObjectTag.FalseNegative) {
      broken.push(g);
      perImage[i].broken++;
    }
  }
  const countFp = (tags: ObjectTags, dtImage: Int32Array, key: 'fpA' | 'fpB') => {
    for (let d = 0; d < tags.detections.length; d++) {
      const i = dtImage[d];
      if (i >= 0 && compared[i] && tags.detections[d] === ObjectTag.FalsePositive) perImage[i][key]++;
    }
  };
  countFp(tagsA, dtImageA, 'fpA');
  countFp(tagsB, dtImageB, 'fpB');
  const images: ImageChange[] = [];
  perImage.forEach((c, image) => {
    if (c.fixed === 0 && c.broken === 0 && c.fpA === c.fpB) return;
    images.push({ image, ...c, net: c.fixed - c.broken + c.fpA - c.fpB });
  });
  // B's biggest gains first; equal nets by the size of the change, then in image order.
  images.sort(
    (x, y) =>
      y.net - x.net ||
      y.fixed + y.broken + Math.abs(y.fpA - y.fpB) - (x.fixed + x.broken + Math.abs(x.fpA - x.fpB)) ||
      x.image - y.image,
  );
  return { labels: { fixed, broken }, images };
}
