// The 11 evaluation micro-cases (and the thresholds case) pycocotools 2.0.11 was run on (coco/micro): every stat, the printout, the named
// precision cells, precision[0, :, 0, 0, -1] and the full recall array, compared exactly.
import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cocoEvaluate, defaultIouThrs, defaultRecThrs } from '../../src/core/eval/coco/index.ts';
import { fixture } from '../fixtures.ts';
import { cIndex, flatten, readJson } from './coco-eval-helpers.ts';

const MICRO = fixture('coco', 'micro');
const evalCases = readdirSync(MICRO).filter((c) => existsSync(fixture('coco', 'micro', c, 'gt.json')));

function check(result: ReturnType<typeof cocoEvaluate>, expected: any) {
  expect(result.stats).toEqual(expected.stats);
  expect(result.printout).toEqual(expected.summarize_printout);
  const { T, R, K, A, M } = result.shape;
  expect([T, R, K, A, M]).toEqual(expected.precision_shape_TRKAM);
  for (const [name, value] of Object.entries(expected.precision_cells)) {
    const index = name.slice('precision['.length, -1).split(',').map(Number);
    expect(result.precision[cIndex([T, R, K, A, M], index)], name).toBe(value);
  }
  const row = Array.from({ length: R }, (_, r) => result.precision[cIndex([T, R, K, A, M], [0, r, 0, 0, M - 1])]);
  expect(row).toEqual(expected.precision_R_values_at_t0_k_all_all_mlast);
  expect(Array.from(result.recall)).toEqual(flatten(expected.recall_TKAM));
  expect(result.params.catIds).toEqual(expected.catIds);
  expect(result.params.imgIds).toEqual(expected.imgIds);
  expect(result.params.maxDets).toEqual(expected.maxDets);
}

describe('COCO micro-cases (pycocotools 2.0.11 answers)', () => {
  it('finds the 11 evaluation cases', () => {
    expect(evalCases).toHaveLength(11);
  });

  for (const name of evalCases) {
    it(name, () => {
      const expected = readJson('coco', 'micro', name, 'expected.json');
      const gt = readJson('coco', 'micro', name, 'gt.json');
      const params = existsSync(fixture('coco', 'micro', name, 'params.json'))
        ? readJson('coco', 'micro', name, 'params.json')
        : undefined;
      expect(params ?? {}).toEqual(expected.params_overrides);
      const perFile: Record<string, any> = expected.per_results_file ?? { 'dt.json': expected };
      for (const [file, exp] of Object.entries(perFile)) {
        const dt = readJson('coco', 'micro', name, file);
        check(cocoEvaluate(undefined, gt, dt, { iouType: expected.iouType, params }), exp);
      }
    });
  }

  it('10_param_thresholds: iouThrs and recThrs from the linspace formula, not decimals', () => {
    const expected = readJson('coco', 'micro', '10_param_thresholds', 'expected.json');
    expect(Array.from(defaultRecThrs())).toEqual(expected.recThrs);
    expect(Array.from(defaultIouThrs())).toEqual(expected.iouThrs);
    expect(defaultRecThrs()[35]).toBe(0.35000000000000003);
    expect(Array.from(defaultRecThrs()).map(String)).toEqual(
      expected.recThrs_repr.map((s: string) => s.replace(/\.0$/, '')),
    );
    const differs = [...defaultRecThrs()].flatMap((v, k) => (v !== k / 100 ? [k] : []));
    expect(differs).toEqual(expected.recThrs_differs_from_k_div_100_at);
  });
});

describe('corrected mode (a labelled deviation from pycocotools)', () => {
  it('03: a GT with id 0 is matched like any other', () => {
    const gt = readJson('coco', 'micro', '03_gt_id_zero', 'gt.json');
    const dt = readJson('coco', 'micro', '03_gt_id_zero', 'dt.json');
    const strict = cocoEvaluate(undefined, gt, dt, { iouType: 'bbox' });
    const fixed = cocoEvaluate(undefined, gt, dt, { iouType: 'bbox', corrected: true });
    const perfect = readJson('coco', 'micro', '01_single_perfect', 'expected.json');
    expect(strict.stats[0]).toBe(0);
    expect(strict.deviations).toEqual([]);
    expect(strict.warnings).toEqual(['1 GT have id 0: as in pycocotools, a match to them counts as a false positive']);
    expect(fixed.warnings).toEqual([]);
    expect(fixed.stats).toEqual(perfect.stats);
    expect(fixed.deviations).toEqual(['1 GT with id 0 matched by index (pycocotools counts their matches as FP)']);
  });

  it('04: a GT with ignore=1 is ignored, so AR@100 is 1 instead of 0.5', () => {
    const gt = readJson('coco', 'micro', '04_ignore_field', 'gt.json');
    const dt = readJson('coco', 'micro', '04_ignore_field', 'dt.json');
    const strict = cocoEvaluate(undefined, gt, dt, { iouType: 'bbox' });
    expect(strict.stats[8]).toBe(0.5);
    expect(strict.warnings).toEqual([
      '1 GT have "ignore" set but iscrowd 0: as in pycocotools, they are scored, not ignored',
    ]);
    const fixed = cocoEvaluate(undefined, gt, dt, { iouType: 'bbox', corrected: true });
    expect(fixed.stats[8]).toBe(1);
    expect(fixed.deviations).toEqual(['1 GT with "ignore" set and iscrowd 0 ignored (pycocotools scores them)']);
  });
});
