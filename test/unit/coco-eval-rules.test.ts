// The rules around the numbers: Python's float formatting, numpy's pairwise mean, loadRes' reading rules and
// their errors, useCats=0 pooling and empty results.
import { describe, expect, it } from 'vitest';
import { cocoEvaluate, formatFixed } from '../../src/core/eval/coco/index.ts';
import { numpyMean, numpySum } from '../../src/core/eval/pairwise-sum.ts';
import { readJson } from './coco-eval-helpers.ts';

const image = { id: 1, width: 100, height: 100 };
const category = { id: 1, name: 'a' };
const gtOf = (anns: object[], cats = [category]) => ({ images: [image], categories: cats, annotations: anns });
const box = (id: number, bbox: number[], extra: object = {}) => ({
  id,
  image_id: 1,
  category_id: 1,
  bbox,
  area: bbox[2] * bbox[3],
  iscrowd: 0,
  ...extra,
});

describe("Python's '{:0.3f}'", () => {
  it('rounds exact binary ties to even, where toFixed rounds them up', () => {
    expect((0.0625).toFixed(3)).toBe('0.063');
    expect(formatFixed(0.0625, 3)).toBe('0.062');
    expect(formatFixed(0.1875, 3)).toBe('0.188');
    expect(formatFixed(0.3125, 3)).toBe('0.312');
    expect(formatFixed(-0.0625, 3)).toBe('-0.062');
    expect(formatFixed(2.5, 0)).toBe('2');
  });
  it('rounds non-ties by their exact binary value, keeps the sign of -1 and -0', () => {
    expect(formatFixed(0.0005, 3)).toBe('0.001'); // the double is slightly above 0.0005
    expect(formatFixed(0.0015, 3)).toBe('0.002');
    expect(formatFixed(-1, 3)).toBe('-1.000');
    expect(formatFixed(-0, 3)).toBe('-0.000');
    expect(formatFixed(0.95, 2)).toBe('0.95');
    expect(formatFixed(0.8999999999999999, 2)).toBe('0.90');
  });
});

describe("numpy's pairwise mean", () => {
  it('averages 101 and 1010 copies of 0.9999999999999998 as numpy does', () => {
    expect(numpyMean(new Float64Array(101).fill(0.9999999999999998))).toBe(0.9999999999999999);
    expect(numpyMean(new Float64Array(1010).fill(0.9999999999999998))).toBe(0.9999999999999998);
  });
  it("matches np.sum and np.mean, including past numpy's 8192-element buffer", () => {
    // Values and answers from numpy 1.24.2 (/usr/bin/python3):
    //   i = np.arange(n, dtype=np.float64); v = ((i * 7919) % 1009) / 1009 + i * 1e-7; np.sum(v), np.mean(v)
    const numpy: [number, number, number][] = [
      [7, 2.815661168384539, 0.4022373097692199],
      [100, 50.405846833498515, 0.5040584683349851],
      [129, 65.09993362775025, 0.5046506482771337],
      [1010, 504.0509545, 0.499060350990099],
      [8192, 4095.6791168507434, 0.49996082969369426],
      [8193, 4096.483702155798, 0.4999980107598923],
      [20000, 10010.86024876115, 0.5005430124380574],
      [80800, 40686.2604674331, 0.5035428275672413],
    ];
    for (const [n, sum, mean] of numpy) {
      const v = Float64Array.from({ length: n }, (_, i) => ((i * 7919) % 1009) / 1009 + i * 1e-7);
      expect([n, numpySum(v), numpyMean(v)]).toEqual([n, sum, mean]);
    }
    // v = ((i * 7919) % 134) / 134: here one pairwise sum over all values would end in ...329 and ...124.
    for (const [n, sum, mean] of [
      [20000, 9923.925373134327, 0.49619626865671634],
      [80800, 40097.79104477612, 0.4962597901581203],
    ]) {
      const v = Float64Array.from({ length: n }, (_, i) => ((i * 7919) % 134) / 134);
      expect([numpySum(v), numpyMean(v)]).toEqual([sum, mean]);
    }
  });
  it('differs from a left fold where numpy does', () => {
    const a = Float64Array.from({ length: 1010 }, (_, i) => 0.1 * ((i * 7919) % 101));
    const fold = a.reduce((s, v) => s + v, 0);
    expect(numpySum(a)).not.toBe(fold);
    expect(numpySum(a.subarray(0, 7))).toBe(a.subarray(0, 7).reduce((s, v) => s + v, 0));
  });
});

describe('loading results like COCO.loadRes', () => {
  const gt = gtOf([box(1, [10, 10, 20, 20])]);
  it('names the result and image id that are not in the ground truth', () => {
    const dt = [
      { image_id: 1, category_id: 1, bbox: [10, 10, 20, 20], score: 0.9 },
      { image_id: 7, category_id: 1, bbox: [10, 10, 20, 20], score: 0.8 },
    ];
    expect(() => cocoEvaluate(undefined, gt, dt, { iouType: 'bbox', resultsSource: 'dt.json' })).toThrow(
      /dt\.json: result 1 has image_id 7, which is not an image of/,
    );
  });
  it('reads every result as a box when the first has one, and says so when a later one has none', () => {
    const dt = [
      { image_id: 1, category_id: 1, bbox: [10, 10, 20, 20], score: 0.9 },
      { image_id: 1, category_id: 1, segmentation: { size: [100, 100], counts: '0' }, score: 0.8 },
    ];
    expect(() => cocoEvaluate(undefined, gt, dt, { iouType: 'bbox' })).toThrow(
      /result 1 .* has no \[x, y, w, h\] "bbox"/,
    );
  });
  it('requires a numeric score', () => {
    expect(() =>
      cocoEvaluate(undefined, gt, [{ image_id: 1, category_id: 1, bbox: [1, 1, 2, 2] }], { iouType: 'bbox' }),
    ).toThrow(/result 0 \(image_id 1\) has no numeric "score"/);
  });
  it('drops results of categories that are not evaluated, and rewrites ids', () => {
    const dt = [
      { image_id: 1, category_id: 1, bbox: [10, 10, 20, 20], score: 0.9, id: 0 },
      { image_id: 1, category_id: 42, bbox: [10, 10, 20, 20], score: 0.95 },
    ];
    const r = cocoEvaluate(undefined, gt, dt, { iouType: 'bbox' });
    expect(r.stats.slice(0, 3)).toEqual([0.9999999999999998, 0.9999999999999999, 0.9999999999999999]);
    expect(r.results.area[0]).toBe(400);
  });
  it('gives zeros, not a crash, for an empty results list (pycocotools raises IndexError)', () => {
    const r = cocoEvaluate(undefined, gt, [], { iouType: 'bbox' });
    expect(r.stats).toEqual([0, 0, 0, 0, -1, -1, 0, 0, 0, 0, -1, -1]);
  });
});

describe('ground-truth rules', () => {
  it('raises for a GT without iscrowd (pycocotools: KeyError) unless corrected', () => {
    const { iscrowd: _, ...noCrowd } = box(1, [10, 10, 20, 20]);
    const gt = gtOf([noCrowd]);
    const dt = [{ image_id: 1, category_id: 1, bbox: [10, 10, 20, 20], score: 0.9 }];
    expect(() => cocoEvaluate(undefined, gt, dt, { iouType: 'bbox', gtSource: 'gt.json' })).toThrow(
      'gt.json: annotations[0] (id 1) has no "iscrowd" (pycocotools raises KeyError)',
    );
    const r = cocoEvaluate(undefined, gt, dt, { iouType: 'bbox', corrected: true });
    expect(r.stats[0]).toBe(0.9999999999999998);
    expect(r.deviations).toEqual(['1 GT without "iscrowd" read as iscrowd 0 (pycocotools raises)']);
  });

  it('evaluates the last record twice when two GT share an id, as loadAnns does', () => {
    // Two GT with id 5: pycocotools looks both up by id and gets the second box twice, so the first is never
    // found and a perfect detection of it is a false positive.
    const gt = gtOf([box(5, [10, 10, 20, 20]), box(5, [60, 60, 20, 20])]);
    const dt = [
      { image_id: 1, category_id: 1, bbox: [10, 10, 20, 20], score: 0.9 },
      { image_id: 1, category_id: 1, bbox: [60, 60, 20, 20], score: 0.8 },
    ];
    const strict = cocoEvaluate(undefined, gt, dt, { iouType: 'bbox' });
    expect(strict.stats[8]).toBe(0.5); // AR@100: one of two (identical) GT found
    const fixed = cocoEvaluate(undefined, gt, dt, { iouType: 'bbox', corrected: true });
    expect(fixed.stats[8]).toBe(1);
  });
});

describe('parameters', () => {
  it('pools categories with useCats=0: an FP of another category above the TP halves AP', () => {
    const gt = gtOf([box(1, [10, 10, 20, 20])], [category, { id: 2, name: 'b' }]);
    const dt = [
      { image_id: 1, category_id: 1, bbox: [10, 10, 20, 20], score: 0.9 },
      { image_id: 1, category_id: 2, bbox: [60, 60, 20, 20], score: 0.95 },
    ];
    const perCat = cocoEvaluate(undefined, gt, dt, { iouType: 'bbox' });
    expect(perCat.stats[0]).toBe(0.9999999999999998);
    const pooled = cocoEvaluate(undefined, gt, dt, { iouType: 'bbox', params: { useCats: 0 } });
    // FP then TP: rc = [0, 1], pr = [0, 1/(2+eps)] = [0, 0.5]; the envelope lifts pr[0] to 0.5.
    expect(pooled.stats[0]).toBe(0.5);
    expect(pooled.shape.K).toBe(1);
    expect(pooled.perCategoryAP).toEqual([]);
  });

  it('restricts evaluation to the given imgIds and catIds', () => {
    const gt = readJson('coco', 'micro', '07_tie_across_images', 'gt.json');
    const dt = readJson('coco', 'micro', '07_tie_across_images', 'dt.json');
    // Without image 1 the tied false positive is gone.
    const r = cocoEvaluate(undefined, gt, dt, { iouType: 'bbox', params: { imgIds: [2] } });
    expect(r.stats[1]).toBe(0.9999999999999999);
    expect(r.params.imgIds).toEqual([2]);
  });

  it('needs three maxDets for summarize, as pycocotools reads maxDets[2]', () => {
    const gt = gtOf([box(1, [10, 10, 20, 20])]);
    expect(() => cocoEvaluate(undefined, gt, [], { iouType: 'bbox', params: { maxDets: [1, 100] } })).toThrow(
      /3 maxDets/,
    );
  });
});
