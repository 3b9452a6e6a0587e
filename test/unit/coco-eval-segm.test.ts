// coco/segm against pycocotools (iouType='segm'), and the mask micro-cases as they reach evaluation: polygon and
// RLE detections are rasterised and decoded exactly as annToRLE does.
import { describe, expect, it } from 'vitest';
import { cocoEvaluate, loadCocoGroundTruth, loadCocoResults } from '../../src/core/eval/coco/index.ts';
import { kernelMaskOps } from '../../src/core/eval/coco/kernel-masks.ts';
import { loadKernels } from '../../src/kernels/node.ts';
import { flatten, readJson } from './coco-eval-helpers.ts';

const kernels = await loadKernels();
const gt = readJson('coco', 'segm', 'gt.json');
const evaluate = (file: string) => cocoEvaluate(kernels, gt, readJson('coco', 'segm', file), { iouType: 'segm' });

describe('coco/segm (30 images, 94 GT, 271 detections)', () => {
  const ref = readJson('coco', 'segm', 'reference_segm.json');

  it('dt_rle.json: stats, printout, per-category AP and the full arrays', () => {
    const r = evaluate('dt_rle.json');
    expect(r.stats).toEqual(ref.stats);
    expect(r.printout).toEqual(ref.summarize_printout);
    expect(r.perCategoryAP.map((c) => c.ap)).toEqual(ref.per_category.map((c: any) => (c.num_gt ? c.AP : NaN)));
    const arrays = readJson('coco', 'segm', 'reference_segm_arrays.json');
    expect(Array.from(r.precision)).toEqual(flatten(arrays.precision_TRKAM));
    expect(Array.from(r.recall)).toEqual(flatten(arrays.recall_TKAM));
    expect(Array.from(r.scores)).toEqual(flatten(arrays.scores_TRKAM));
  });

  it('dt_rle_with_bbox.json: the bbox key gives box areas, changing only AP small/medium/large', () => {
    const withBox = readJson('coco', 'segm', 'reference_segm_with_bbox.json');
    const r = evaluate('dt_rle_with_bbox.json');
    expect(r.results.branch).toBe('bbox');
    expect(r.stats).toEqual(withBox.stats);
    expect(r.printout).toEqual(withBox.summarize_printout);
    expect(r.perCategoryAP.map((c) => c.ap)).toEqual(withBox.per_category.map((c: any) => (c.num_gt ? c.AP : NaN)));
  });

  it('dt.json: polygon detections (which pycocotools cannot load) give the stats of their RLE conversion', () => {
    const check = readJson('coco', 'segm', 'loadres_dt_json.json');
    expect(check.loadRes_dt_json.error_type).toBe('TypeError');
    const r = evaluate('dt.json');
    expect(r.results.branch).toBe('segmentation');
    expect(r.stats).toEqual(check.stats_dt_json_via_manual_results_object);
    const rle = evaluate('dt_rle.json');
    expect(Array.from(r.precision)).toEqual(Array.from(rle.precision));
    expect(Array.from(r.scores)).toEqual(Array.from(rle.scores));
    expect(Array.from(r.results.area)).toEqual(Array.from(rle.results.area));
  });
});

describe('mask micro-cases through loadRes', () => {
  const masks = kernelMaskOps(kernels);
  const image = (h: number, w: number) =>
    loadCocoGroundTruth({ images: [{ id: 1, height: h, width: w }], categories: [{ id: 1 }], annotations: [] });
  const load = (h: number, w: number, segmentation: unknown) =>
    loadCocoResults(image(h, w), [{ image_id: 1, category_id: 1, score: 1, segmentation }], {
      source: 'dt.json',
      masks,
    });

  for (const name of ['06_frPoly_square', '06b_frPoly_square_shifted']) {
    it(`${name}: a polygon detection gets the mask, area and toBbox of pycocotools`, () => {
      const input = readJson('coco', 'micro', name, 'input.json');
      const expected = readJson('coco', 'micro', name, 'expected.json');
      const r = load(input.args.h, input.args.w, input.args.pyobj);
      expect(Array.from(r.masks[0]!.counts)).toEqual(expected.uncompressed_counts_colmajor);
      expect(r.area[0]).toBe(expected.area[0]);
      expect(Array.from(r.bbox)).toEqual(expected.toBbox[0]);
    });
  }

  it('06c_encode_3x4: a compressed RLE detection is decoded with its own size', () => {
    const expected = readJson('coco', 'micro', '06c_encode_3x4', 'expected.json');
    const r = load(100, 100, expected.rle);
    expect(Array.from(r.masks[0]!.counts)).toEqual(expected.uncompressed_counts_colmajor);
    expect(r.area[0]).toBe(expected.area);
  });

  it('05_frPyObjects_bbox_list: a 4-number polygon is refused like pycocotools, naming the result', () => {
    const input = readJson('coco', 'micro', '05_frPyObjects_bbox_list', 'input.json');
    const expected = readJson('coco', 'micro', '05_frPyObjects_bbox_list', 'expected.json');
    expect(() => load(10, 10, input.args.pyobj)).toThrow(
      /^dt\.json: result 0 \(image_id 1\): .*TypeError: Argument 'bb' has incorrect type/,
    );
    expect(expected.raises.message).toBe("Argument 'bb' has incorrect type (expected numpy.ndarray, got list)");
  });

  it('05, ndarray form: a box result evaluated as segm is the rasterised box (frBbox) exactly', () => {
    const expected = readJson('coco', 'micro', '05_frPyObjects_bbox_list', 'expected.json').same_box_as_float64_ndarray;
    const groundTruth = {
      images: [{ id: 1, height: 10, width: 10 }],
      categories: [{ id: 1 }],
      annotations: [
        {
          id: 1,
          image_id: 1,
          category_id: 1,
          iscrowd: 0,
          area: expected.area[0],
          segmentation: { size: [10, 10], counts: expected.uncompressed_counts_colmajor[0] },
        },
      ],
    };
    const box = readJson('coco', 'micro', '05_frPyObjects_bbox_list', 'input.json').args.pyobj[0];
    const results = [{ image_id: 1, category_id: 1, score: 0.9, bbox: box }];
    const r = cocoEvaluate(kernels, groundTruth, results, { iouType: 'segm' });
    // IoU 1 at every threshold: the single-perfect-detection numbers (01_single_perfect).
    expect(r.stats.slice(0, 3)).toEqual([0.9999999999999998, 0.9999999999999999, 0.9999999999999999]);
  });
});
