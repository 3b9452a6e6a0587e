// accumulate() takes shortcuts (only true-positive slots are kept; equal maxDets selections are reused). This test
// checks them against a literal transcription of pycocotools' accumulate loop on the same evaluateImg outcome, also
// for parameters the fixtures do not cover: unsorted, negative and repeated recall thresholds, few IoU thresholds,
// odd maxDets.
import { describe, expect, it } from 'vitest';
import { accumulate } from '../../src/core/eval/coco/accumulate.ts';
import { IGNORED, MATCHED, evaluateCells } from '../../src/core/eval/coco/evaluate.ts';
import { boxIouProvider } from '../../src/core/eval/coco/iou.ts';
import { loadCocoGroundTruth, loadCocoResults } from '../../src/core/eval/coco/load.ts';
import { resolveParams, type CocoParamsInput } from '../../src/core/eval/coco/params.ts';
import { prepare, type Prepared } from '../../src/core/eval/coco/prepare.ts';
import type { EvalResult } from '../../src/core/eval/coco/evaluate.ts';
import { readJson } from './coco-eval-helpers.ts';

/** pycocotools' accumulate, line by line, over concatenated per-category detections. */
function literalAccumulate(prep: Prepared, ev: EvalResult, score: Float64Array) {
  const { params, K } = prep;
  const T = params.iouThrs.length;
  const R = params.recThrs.length;
  const A = params.areaRng.length;
  const M = params.maxDets.length;
  const P = prep.dtCellList.length;
  const precision = new Float64Array(T * R * K * A * M).fill(-1);
  const recall = new Float64Array(T * K * A * M).fill(-1);
  const scores = new Float64Array(T * R * K * A * M).fill(-1);
  for (let k = 0; k < K; k++) {
    for (let a = 0; a < A; a++) {
      for (let m = 0; m < M; m++) {
        const ds: number[] = [];
        for (let p = prep.dtCatStart[k]; p < prep.dtCatStart[k + 1]; p++) {
          const d = prep.dtOrder[p];
          if (prep.dtRank[d] < params.maxDets[m]) ds.push(d);
        }
        const npig = ev.npig[k * A + a];
        if (npig === 0) continue;
        for (let t = 0; t < T; t++) {
          let tp = 0;
          let fp = 0;
          const rc: number[] = [];
          const pr: number[] = [];
          for (const d of ds) {
            const f = ev.dtFlags[(a * T + t) * P + prep.dtSlot[d]];
            const ignored = (f & IGNORED) !== 0;
            if ((f & MATCHED) !== 0 && !ignored) tp++;
            if ((f & MATCHED) === 0 && !ignored) fp++;
            rc.push(tp / npig);
            pr.push(tp / (fp + tp + 2.220446049250313e-16));
          }
          const nd = ds.length;
          recall[((t * K + k) * A + a) * M + m] = nd ? rc[nd - 1] : 0;
          for (let i = nd - 1; i > 0; i--) if (pr[i] > pr[i - 1]) pr[i - 1] = pr[i];
          const q = new Array(R).fill(0);
          const ss = new Array(R).fill(0);
          for (let r = 0; r < R; r++) {
            let lo = 0;
            let hi = nd;
            while (lo < hi) {
              const mid = (lo + hi) >> 1;
              if (rc[mid] < params.recThrs[r]) lo = mid + 1;
              else hi = mid;
            }
            if (lo >= nd) break; // the IndexError pycocotools swallows
            q[r] = pr[lo];
            ss[r] = score[ds[lo]];
          }
          for (let r = 0; r < R; r++) {
            precision[(((t * R + r) * K + k) * A + a) * M + m] = q[r];
            scores[(((t * R + r) * K + k) * A + a) * M + m] = ss[r];
          }
        }
      }
    }
  }
  return { precision, recall, scores };
}

const gtJson = readJson('coco', 'bbox', 'gt.json');
const dtJson = readJson('coco', 'bbox', 'dt.json');

const cases: [string, CocoParamsInput][] = [
  ['default parameters', {}],
  ['unsorted, negative and repeated recall thresholds', { recThrs: [0.5, 0.1, -0.2, 0, 0.9, 0.9, 1, 0.35] }],
  ['one recall threshold above every recall', { recThrs: [1.5] }],
  ['three IoU thresholds, maxDets 2/3/100', { iouThrs: [0.3, 0.5, 0.9], maxDets: [3, 2, 100] }],
  ['maxDets that select the same detections', { maxDets: [100, 150, 150] }],
  ['pooled categories', { useCats: 0, maxDets: [1, 5, 20] }],
];

describe('accumulate equals the literal pycocotools loop', () => {
  for (const [name, overrides] of cases) {
    it(name, () => {
      const gt = loadCocoGroundTruth(gtJson);
      const dt = loadCocoResults(gt, dtJson);
      const params = resolveParams('bbox', gt.imageIds, gt.categoryIds, overrides);
      const prep = prepare(gt, dt, params, false);
      const ev = evaluateCells(prep, boxIouProvider(gt, dt, prep), dt.area);
      const fast = accumulate(prep, ev, dt.score);
      const literal = literalAccumulate(prep, ev, dt.score);
      expect(Array.from(fast.recall)).toEqual(Array.from(literal.recall));
      expect(Array.from(fast.precision)).toEqual(Array.from(literal.precision));
      expect(Array.from(fast.scores)).toEqual(Array.from(literal.scores));
      expect(fast.precision.some((v) => v !== -1)).toBe(true);
    });
  }
});
