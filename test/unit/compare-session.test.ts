// The compare session as the worker keeps it (plain TS, run here in Node): its answers are the core's, the frame
// verdicts agree with the label changes, and the confusion matrices count only the compared frames.
import { describe, expect, it } from 'vitest';
import { prepareActive } from '../../src/core/eval/active/index.ts';
import { ActivePair } from '../../src/core/eval/compare/active.ts';
import { compareProjectCoco } from '../../src/core/eval/compare/project.ts';
import { detectionConfusion } from '../../src/core/eval/confusion.ts';
import type { Prediction } from '../../src/core/model.ts';
import { loadKernels } from '../../src/kernels/node.ts';
import { CompareSession } from '../../src/workers/compare-session.ts';
import { syntheticProject, syntheticSecondRun } from '../../scripts/synthetic-project.ts';

const kernels = await loadKernels();
const { project, predictions } = syntheticProject(8_000, 21);
// B never ran on the last fifth of the images.
const kept = new Set(project.dataUnits.slice(0, 4000).map((u) => u.dataHash));
const b: Prediction[] = syntheticSecondRun(project, predictions, 5).filter((p) => kept.has(p.dataHash));
const session = new CompareSession(kernels, project, predictions, b);

describe('CompareSession', () => {
  it('EA side: the pair of the core, its curves from the same pass, chunked intervals equal to one go', () => {
    const request = { iouThreshold: 0.55, ignoreFramesWithoutPredictions: true, allFrames: false };
    const s = session.score(request);
    const pair = new ActivePair(prepareActive(kernels, project, predictions), prepareActive(kernels, project, b));
    const want = pair.score(request);
    expect([s.a.mAP, s.b.mAP, s.a.mAR, s.b.mAR]).toEqual([want.a.mAP, want.b.mAP, want.a.mAR, want.b.mAR]);
    expect(s.coverage).toEqual(want.coverage);
    expect(s.coverage.onlyA).toBeGreaterThan(0);
    // A class's AP is the mean of its 101-point curve (EA's rule), for both runs.
    const c = [...s.a.AP.keys()].find((i) => Number.isFinite(s.a.AP[i]))!;
    const curve = s.prA.subarray(c * 101, (c + 1) * 101);
    expect(curve.reduce((x, y) => x + y, 0) / 101).toBeCloseTo(s.a.AP[c], 12);
    const steps = session.intervals({ ...request, resamples: 120, seed: 4 });
    let step = steps.next();
    let chunks = 0;
    for (; !step.done; step = steps.next()) chunks++;
    expect(chunks).toBe(14); // chunks of 8: the slider waits at most one
    expect(step.value.differences).toEqual(pair.differences(want, { resamples: 120, seed: 4 }));
  });

  it('COCO side and changes: the core comparison; verdicts of a changed image agree with the changes', () => {
    const run = session.coco({ allImages: false, resamples: 30, seed: 1 });
    let step = run.next();
    while (!step.done) step = run.next();
    const want = compareProjectCoco(kernels, project, predictions, b, { resamples: 30 }).comparison;
    expect(step.value.stats).toEqual(want.stats);
    expect(step.value.coverage).toEqual(want.coverage);
    const changes = session.changes({ iou: 0.5, allImages: false });
    expect(changes.fixed).toEqual(want.labels.fixed);
    expect(changes.broken).toEqual(want.labels.broken);
    expect(changes.fixed.length).toBeGreaterThan(0);
    const row = changes.images.find((r) => r.fixed > 0)!;
    const v = session.frameVerdicts(row.dataUnitIndex, row.frameNumber, { iou: 0.5, allImages: false });
    const statuses = Object.values(v.labels);
    expect(statuses.filter((s) => s === 'fixed')).toHaveLength(row.fixed);
    expect(statuses.filter((s) => s === 'broken')).toHaveLength(row.broken);
    const fpB = Object.values(v.predictions.b).filter((s) => s === 'fp').length;
    const fpA = Object.values(v.predictions.a).filter((s) => s === 'fp').length;
    expect([fpA, fpB]).toEqual([row.fpA, row.fpB]);
    // The frame's predictions carry their index in the run, which the verdicts are keyed by.
    const detail = session.frameDetail(row.dataUnitIndex, row.frameNumber, 'b');
    expect([...detail.source].sort((x, y) => x - y)).toEqual(
      Object.keys(v.predictions.b)
        .map(Number)
        .sort((x, y) => x - y),
    );
  });

  it('the confusion matrices count the compared frames only', () => {
    const r = session.confusion({
      iouThreshold: 0.5,
      confidenceThreshold: 0,
      ignoreFramesWithoutPredictions: false,
      allFrames: false,
    });
    const all = detectionConfusion(session.sessions.a.prepared, { iouThreshold: 0.5 });
    const sum = (x: Int32Array) => x.reduce((s, v) => s + v, 0);
    expect(sum(r.countsA)).toBeLessThan(sum(all.counts));
    const every = session.confusion({
      iouThreshold: 0.5,
      confidenceThreshold: 0,
      ignoreFramesWithoutPredictions: false,
      allFrames: true,
    });
    expect([...every.countsA]).toEqual([...all.counts]);
  });
});
