// "Why does my mAP differ?": each integration against its reference implementation run on the same match lists
// (py-faster-rcnn's voc_ap with and without the 07 metric, Ultralytics' compute_ap; answers in
// test/fixtures/definitions/, made by scripts/fixtures/definitions/), and the match lists themselves against
// pycocotools (integrated COCO's way they give its precision array exactly).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { definitionCases, listsText } from '../../scripts/fixtures/definitions/match-lists.ts';
import { cocoEvaluate } from '../../src/core/eval/coco/index.ts';
import {
  apDefinitions,
  cocoMatchLists,
  ultralyticsAP,
  ultralyticsCurve,
  vocAP,
  vocCurve,
} from '../../src/core/eval/definitions/index.ts';
import { loadKernels } from '../../src/kernels/node.ts';
import { REPO_ROOT } from '../fixtures.ts';
import { cIndex, flatten, readJson } from './coco-eval-helpers.ts';

const kernels = await loadKernels();
const answers = JSON.parse(readFileSync(resolve(REPO_ROOT, 'test/fixtures/definitions/integrations.json'), 'utf8'));
const cases = definitionCases(kernels);

describe('AP integrations equal their reference implementations on the same match lists', () => {
  it('the match lists are the ones the references were run on', () => {
    expect(createHash('sha256').update(listsText(cases)).digest('hex')).toBe(answers.lists_sha256);
  });

  for (const c of cases) {
    it(`${c.name}: voc_ap (all-point and 07) and compute_ap on every list`, () => {
      const ref = answers.cases.find((a: any) => a.name === c.name);
      let checked = 0;
      c.classes.forEach((cls, k) => {
        cls.lists.forEach((raw, t) => {
          const want = ref.classes[k].lists[t];
          if (raw.nGt === 0) return expect(want).toEqual({});
          const list = { tp: Uint8Array.from(raw.tp), nGt: raw.nGt };
          const { rec, prec } = vocCurve(list);
          expect(vocAP(rec, prec, false), `${cls.categoryId} t${t} voc`).toBe(want.voc);
          expect(vocAP(rec, prec, true), `${cls.categoryId} t${t} voc07`).toBe(want.voc07);
          const { recall, precision } = ultralyticsCurve(list);
          const ultra = list.tp.length === 0 ? 0 : ultralyticsAP(recall, precision);
          expect(ultra, `${cls.categoryId} t${t} ultralytics`).toBe(want.ultralytics);
          checked++;
        });
      });
      expect(checked).toBeGreaterThan(5);
    });
  }
});

describe('apDefinitions on the shared COCO fixtures', () => {
  const fixtures = [
    ['coco_bbox', 'bbox', 'bbox/gt.json', 'bbox/dt.json', 'bbox/reference_bbox.json'],
    ['coco_segm', 'segm', 'segm/gt.json', 'segm/dt_rle.json', 'segm/reference_segm.json'],
  ] as const;
  for (const [name, iouType, gt, dt, reference] of fixtures) {
    it(`${name}: the tools' means, and COCO's own stats beside them`, () => {
      const r = cocoEvaluate(kernels, readJson('coco', ...gt.split('/')), readJson('coco', ...dt.split('/')), {
        iouType,
      });
      const defs = new Map(apDefinitions(r).map((d) => [d.id, d.value]));
      const means = answers.cases.find((a: any) => a.name === name).means;
      expect(defs.get('voc')).toBe(means.voc);
      expect(defs.get('voc07')).toBe(means.voc07);
      expect(defs.get('ultralytics50')).toBe(means.ultralytics50);
      expect(defs.get('ultralytics')).toBe(means.ultralytics);
      const stats = readJson('coco', ...reference.split('/')).stats;
      expect([defs.get('coco'), defs.get('coco50')]).toEqual([stats[0], stats[1]]);
    });
  }

  it("coco_bbox: the match lists integrated COCO's way give pycocotools' precision array", () => {
    const r = cocoEvaluate(kernels, readJson('coco', 'bbox', 'gt.json'), readJson('coco', 'bbox', 'dt.json'), {
      iouType: 'bbox',
    });
    const arrays = readJson('coco', 'bbox', 'reference_bbox_arrays.json');
    const precision = flatten(arrays.precision_TRKAM);
    const shape = [10, 101, 6, 4, 3];
    const m = cocoMatchLists(r);
    const recThrs = r.params.recThrs;
    let cells = 0;
    m.lists.forEach((byClass, t) =>
      byClass.forEach((list, k) => {
        if (list.nGt === 0) return;
        // accumulate(): cumulative sums, tp / (tp + fp + eps), the envelope, searchsorted at recThrs.
        const n = list.tp.length;
        const rc = new Float64Array(n);
        const pr = new Float64Array(n);
        let tp = 0;
        for (let i = 0; i < n; i++) {
          tp += list.tp[i];
          rc[i] = tp / list.nGt;
          pr[i] = tp / (i + 1 + 2.220446049250313e-16);
        }
        for (let i = n - 1; i > 0; i--) if (pr[i] > pr[i - 1]) pr[i - 1] = pr[i];
        recThrs.forEach((thr, ri) => {
          const at = rc.findIndex((v) => v >= thr);
          expect(at >= 0 ? pr[at] : 0).toBe(precision[cIndex(shape, [t, ri, k, 0, -1])]);
        });
        cells++;
      }),
    );
    expect(cells).toBe(50);
  });
});
