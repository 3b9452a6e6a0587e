// coco/bbox against pycocotools (iouType='bbox'): stats, printout, per-category AP and the full precision, recall
// and scores arrays, all compared with exact equality.
import { describe, expect, it } from 'vitest';
import { cocoEvaluate, ObjectTag } from '../../src/core/eval/coco/index.ts';
import { flatten, readJson } from './coco-eval-helpers.ts';

const gt = readJson('coco', 'bbox', 'gt.json');
const dt = readJson('coco', 'bbox', 'dt.json');
const reference = readJson('coco', 'bbox', 'reference_bbox.json');
const arrays = readJson('coco', 'bbox', 'reference_bbox_arrays.json');
const result = cocoEvaluate(undefined, gt, dt, { iouType: 'bbox' });

describe('coco/bbox (50 images, 243 GT, 467 detections)', () => {
  it('gives the 12 stats and the printout of pycocotools', () => {
    expect(result.stats).toEqual(reference.stats);
    expect(result.printout).toEqual(reference.summarize_printout);
  });

  it('uses the same parameters', () => {
    const p = reference.params;
    expect(Array.from(result.params.iouThrs)).toEqual(p.iouThrs);
    expect(result.params.recThrs).toHaveLength(p.recThrs_len);
    expect(result.params.maxDets).toEqual(p.maxDets);
    expect(result.params.areaRng).toEqual(p.areaRng);
    expect(result.params.catIds).toEqual(p.catIds);
    expect(result.params.imgIds).toHaveLength(p.imgIds_count);
    expect(result.results.length).toBe(reference.num_dt_loaded);
  });

  it('reproduces precision [T,R,K,A,M], recall [T,K,A,M] and scores exactly', () => {
    const { T, R, K, A, M } = result.shape;
    expect([T, R, K, A, M]).toEqual(reference.precision_shape);
    expect(Array.from(result.precision)).toEqual(flatten(arrays.precision_TRKAM));
    expect(Array.from(result.recall)).toEqual(flatten(arrays.recall_TKAM));
    expect(Array.from(result.scores)).toEqual(flatten(arrays.scores_TRKAM));
  });

  it('gives detectron2-style per-category AP, NaN for the category without GT', () => {
    const expected = reference.per_category.map((c: any) => ({
      categoryId: c.category_id,
      name: c.name,
      ap: c.num_gt === 0 ? NaN : c.AP,
    }));
    expect(result.perCategoryAP).toEqual(expected);
  });

  it('tags objects at every IoU threshold consistently with the reference recall', () => {
    const count = (a: Uint8Array, v: number) => a.reduce((n, x) => n + (x === v ? 1 : 0), 0);
    const catOf = gt.annotations.map((a: any) => a.category_id);
    const { K, A, M } = result.shape;
    for (let t = 0; t < 10; t++) {
      const tags = result.tags(t);
      expect(tags.iouThreshold).toBe(reference.params.iouThrs[t]);
      // 5 results of the undeclared category 99 and 53 past maxDets in the image with 153 are not evaluated.
      expect(count(tags.detections, ObjectTag.NotEvaluated)).toBe(5 + 53);
      expect(count(tags.detections, ObjectTag.TruePositive)).toBe(count(tags.groundTruths, ObjectTag.TruePositive));
      for (let k = 0; k < K; k++) {
        const cat = reference.params.catIds[k];
        const tags_k = Array.from(tags.groundTruths).filter((_, g) => catOf[g] === cat);
        const tp = tags_k.filter((x) => x === ObjectTag.TruePositive).length;
        const npig = tp + tags_k.filter((x) => x === ObjectTag.FalseNegative).length;
        const recall = flatten(arrays.recall_TKAM)[((t * K + k) * A + 0) * M + M - 1];
        expect(npig === 0 ? -1 : tp / npig).toBe(recall);
      }
      for (let d = 0; d < tags.detections.length; d++) {
        const g = tags.detectionMatch[d];
        if (tags.detections[d] === ObjectTag.TruePositive) expect(tags.groundTruthMatch[g]).toBe(d);
        if (tags.detections[d] === ObjectTag.FalsePositive) expect(g).toBe(-1);
      }
    }
  });
});
