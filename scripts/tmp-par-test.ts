import { readFileSync } from 'node:fs';
import { evaluateCocoPart, mergeCocoParts } from '../src/core/eval/coco/parallel.ts';
import { cocoEvaluate } from '../src/core/eval/coco/index.ts';
import { loadKernels } from '../src/kernels/node.ts';
const dir = 'bench-results/coco-large/';
const k = await loadKernels();
const gt = readFileSync(dir + 'gt.json');
for (const t of ['bbox', 'segm'] as const) {
  const dt = readFileSync(dir + `dt_${t}.json`);
  const job = { gt, results: dt, gtSource: 'gt', resultsSource: 'dt', iouType: t };
  const t0 = performance.now();
  const p0 = evaluateCocoPart(k, job, 0, 2);
  const t1 = performance.now();
  const p1 = evaluateCocoPart(k, job, 1, 2);
  const t2 = performance.now();
  const m = mergeCocoParts([p0, p1], false);
  const t3 = performance.now();
  const b = cocoEvaluate(k, JSON.parse(gt.toString()), JSON.parse(dt.toString()), { iouType: t });
  console.log(
    t,
    (t1 - t0).toFixed(0),
    (t2 - t1).toFixed(0),
    (t3 - t2).toFixed(0),
    p0.ok && p0.ms,
    p1.ok && p1.ms,
    JSON.stringify(m.stats) === JSON.stringify(b.stats),
    m.precision.every((v, i) => Object.is(v, b.precision[i])),
    m.scores.every((v, i) => Object.is(v, b.scores[i])),
    m.recall.every((v, i) => Object.is(v, b.recall[i])),
    JSON.stringify(m.perCategoryAP) === JSON.stringify(b.perCategoryAP),
    JSON.stringify(m.printout) === JSON.stringify(b.printout),
  );
}
