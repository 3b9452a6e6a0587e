// compareCoco against pycocotools: each run's stats alone, the stats and per-category AP on the compared images,
// the labels B fixed and broke and the per-image counts (evalImgs, area all, 100 detections), for box and mask
// results and for runs that cover different images. Answers: test/fixtures/compare/reference.json.
import { describe, expect, it } from 'vitest';
import { compareCoco, COCO_STAT_NAMES, type CocoComparison } from '../../src/core/eval/compare/coco.ts';
import { loadKernels } from '../../src/kernels/node.ts';
import { num, readCompare, readShared, reference, type CaseAnswers } from './compare-helpers.ts';

const kernels = await loadKernels();

function expectCase(c: CocoComparison, ref: CaseAnswers, iou: string) {
  // Each run alone is pycocotools on every image; the comparison is on the compared images only.
  if (ref.alone) {
    expect(c.alone.a).toEqual(ref.alone.a);
    expect(c.alone.b).toEqual(ref.alone.b);
  }
  if (ref.compared) {
    expect(c.imageIds.filter((_, i) => c.compared[i])).toEqual(ref.compared);
    expect(c.coverage).toEqual({
      compared: ref.compared.length,
      total: c.imageIds.length,
      onlyA: ref.onlyA,
      onlyB: ref.onlyB,
      allImages: false,
    });
    expect(c.bootstrap.units).toBe(ref.compared.length);
  }
  expect(c.stats.map((d) => d.a)).toEqual(ref.a.stats);
  expect(c.stats.map((d) => d.b)).toEqual(ref.b.stats);
  c.stats.forEach((d, i) => {
    if (ref.a.stats[i] === -1 || ref.b.stats[i] === -1) expect(d.delta).toBeNaN();
    else expect(d.delta).toBe(ref.b.stats[i] - ref.a.stats[i]);
  });
  for (const k of c.perClass) {
    expect(k.a).toBe(num(ref.a.perClass[String(k.categoryId)]));
    expect(k.b).toBe(num(ref.b.perClass[String(k.categoryId)]));
  }
  const changes = ref.changes[iou];
  expect(c.labels.fixed).toEqual(changes.fixed);
  expect(c.labels.broken).toEqual(changes.broken);
  const images = c.images.map(({ imageId, fixed, broken, fpA, fpB }) => ({ imageId, fixed, broken, fpA, fpB }));
  expect([...images].sort((x, y) => Number(x.imageId) - Number(y.imageId))).toEqual(changes.images);
  // Sorted by net change, B's gains first.
  for (let i = 1; i < c.images.length; i++) expect(c.images[i - 1].net).toBeGreaterThanOrEqual(c.images[i].net);
}

describe('compareCoco against pycocotools', () => {
  const gt = readShared('coco', 'bbox', 'gt.json');
  const a = readShared('coco', 'bbox', 'dt.json');
  const b = readCompare('bbox_b.json');

  it('bbox: stats alone and compared, per-category AP, fixed / broken ids and per-image counts at IoU 0.5', () => {
    const c = compareCoco(undefined, gt, a, b, { iouType: 'bbox', resamples: 50 });
    // B predicts on two images with ground truth where A predicts nothing: those two are left out.
    expect(c.coverage.onlyB).toBe(2);
    expectCase(c, reference.bbox, '0.5');
    expect(c.labels.fixed.length).toBeGreaterThan(0);
    expect(c.labels.broken.length).toBeGreaterThan(0);
    // The fixture's crowd GT never appear among the changed labels.
    const crowd = new Set(
      gt.annotations.filter((x: { iscrowd: number }) => x.iscrowd).map((x: { id: number }) => x.id),
    );
    expect([...c.labels.fixed, ...c.labels.broken].filter((id) => crowd.has(id))).toEqual([]);
  });

  it('bbox: the changes at IoU 0.75 (a pycocotools threshold) and 0.3 (params.iouThrs = [0.3])', () => {
    expectCase(compareCoco(undefined, gt, a, b, { iouType: 'bbox', iou: 0.75, resamples: 10 }), reference.bbox, '0.75');
    expectCase(compareCoco(undefined, gt, a, b, { iouType: 'bbox', iou: 0.3, resamples: 10 }), reference.bbox, '0.3');
  });

  it('segm: RLE results, the same answers', () => {
    const sgt = readShared('coco', 'segm', 'gt.json');
    const sa = readShared('coco', 'segm', 'dt_rle.json');
    const sb = readCompare('segm_b.json');
    const c = compareCoco(kernels, sgt, sa, sb, { iouType: 'segm', resamples: 20 });
    expectCase(c, reference.segm, '0.5');
    expect(c.labels.fixed.length).toBeGreaterThan(0);
    expectCase(compareCoco(kernels, sgt, sa, sb, { iouType: 'segm', iou: 0.3, resamples: 5 }), reference.segm, '0.3');
  });

  it('runs covering different images: only the common ones are compared, and the counts say so', () => {
    const ref = reference.subset;
    const subset = readCompare('bbox_subset_b.json');
    const c = compareCoco(undefined, gt, a, subset, { iouType: 'bbox', resamples: 50 });
    expect(ref.onlyA).toBeGreaterThan(10);
    expectCase(c, ref, '0.5');
    // allImages: every image, so the compared stats are those of each run alone.
    const all = compareCoco(undefined, gt, a, subset, { iouType: 'bbox', resamples: 10, allImages: true });
    expect(all.coverage).toMatchObject({ compared: 50, allImages: true });
    expectCase(all, ref.allImages, '0.5');
  });

  it('a class only one run predicts is flagged', () => {
    const onlyCar = b.filter((d: { category_id: number }) => d.category_id !== 2);
    const c = compareCoco(undefined, gt, a, onlyCar, { iouType: 'bbox', resamples: 5 });
    const car = c.perClass.find((k) => k.categoryId === 2)!;
    expect(car.onlyIn).toBe('a');
    expect(car.detectionsB).toBe(0);
    expect(car.b).toBe(0);
    expect(c.perClass.filter((k) => k.onlyIn).map((k) => k.categoryId)).toEqual([2]);
    expect(COCO_STAT_NAMES).toHaveLength(12);
  });
});
