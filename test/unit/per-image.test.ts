// Image triage against pycocotools: per image, COCOeval with imgIds = [that image] (its AP) and the TP / FP / FN at
// IoU 0.50 from evalImgs (test/fixtures/per-image/, made by scripts/fixtures/per-image/per_image_reference.py).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cocoEvaluate } from '../../src/core/eval/coco/index.ts';
import { cocoPerImage, worstFirst } from '../../src/core/eval/per-image.ts';
import { loadKernels } from '../../src/kernels/node.ts';
import { REPO_ROOT } from '../fixtures.ts';
import { readJson } from './coco-eval-helpers.ts';

const kernels = await loadKernels();

describe('per-image outcomes equal pycocotools', () => {
  const cases = [
    ['coco_bbox.json', 'bbox', 'bbox/gt.json', 'bbox/dt.json'],
    ['coco_segm.json', 'segm', 'segm/gt.json', 'segm/dt_rle.json'],
  ] as const;
  for (const [file, iouType, gt, dt] of cases) {
    it(`${file}: every image's AP (COCOeval on that image alone) and TP / FP / FN at IoU 0.50`, () => {
      const ref = JSON.parse(readFileSync(resolve(REPO_ROOT, 'test/fixtures/per-image', file), 'utf8'));
      const r = cocoEvaluate(kernels, readJson('coco', ...gt.split('/')), readJson('coco', ...dt.split('/')), {
        iouType,
      });
      const got = cocoPerImage(r, 0.5).map((o) => ({
        imageId: o.imageId,
        ap: Number.isNaN(o.ap) ? -1 : o.ap,
        tp: o.tp,
        fp: o.fp,
        fn: o.fn,
      }));
      expect(got).toEqual(ref.images);
      expect(ref.images.some((i: any) => i.ap === -1)).toBe(true);
    });
  }

  it('worst first: lowest F1, then most errors, images with nothing last', () => {
    const rows = [
      { tp: 3, fp: 0, fn: 0, f1: 1 },
      { tp: 0, fp: 0, fn: 0, f1: NaN },
      { tp: 0, fp: 2, fn: 0, f1: 0 },
      { tp: 1, fp: 1, fn: 1, f1: 0.5 },
      { tp: 0, fp: 5, fn: 1, f1: 0 },
    ];
    expect(worstFirst(rows)).toEqual([4, 2, 3, 0, 1]);
  });
});
