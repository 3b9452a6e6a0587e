// The compare workers in real Chromium, through the real comlink round trips (CompareClient): two runs of ea-mini
// give the numbers the core gives in the page (EA mode, COCO mode, label changes, a frame's verdicts); a newer
// setting supersedes the intervals still being computed; and, at two 100,000-prediction runs, the IoU slider's round
// trip and the bootstraps' time in the worker (logged; the figures go to BENCHMARKS.md, nothing here asserts a time).
import { afterAll, describe, expect, it } from 'vitest';
import { prepareActive } from '../../src/core/eval/active/index.ts';
import { ActivePair } from '../../src/core/eval/compare/active.ts';
import { compareProjectCoco } from '../../src/core/eval/compare/project.ts';
import { loadKernels } from '../../src/kernels/browser.ts';
import { isAbortError as isAbort } from '../../src/workers/abort.ts';
import { CompareClient } from '../../src/workers/compare-client.ts';
import { syntheticSecondRun } from '../../scripts/synthetic-project.ts';
import { eaMini, syntheticProject } from './eval-fixtures.ts';

const clients: CompareClient[] = [];
const client = () => {
  const c = new CompareClient();
  clients.push(c);
  return c;
};
afterAll(() => clients.forEach((c) => c.terminate()));

const kernels = await loadKernels();
const mini = await eaMini();
// B: ea-mini's predictions without the two best Car boxes (the ones on the same label).
const cars = mini.predictions.filter((p) => p.featureHash === 'XO9aOmE8').sort((x, y) => y.confidence - x.confidence);
const miniB = mini.predictions.filter((p) => p !== cars[0] && p !== cars[1]);

describe('compare workers on ea-mini', () => {
  it("EA mode, COCO mode and the changes equal the core's answers", async () => {
    const cmp = client();
    const summary = await cmp.prepare(
      mini.project,
      { kind: 'predictions', predictions: mini.predictions },
      { kind: 'predictions', predictions: miniB },
    );
    expect(summary.classes.map((c) => c.name)).toEqual(['Car', 'Cat']);
    expect(summary.runs.a.total).toBe(mini.predictions.length);
    expect(summary.runs.b.total).toBe(miniB.length);

    const pair = new ActivePair(
      prepareActive(kernels, mini.project, mini.predictions),
      prepareActive(kernels, mini.project, miniB),
    );
    for (const iouThreshold of [0.5, 0.9]) {
      const request = { iouThreshold, ignoreFramesWithoutPredictions: false, allFrames: false };
      const s = await cmp.score(request);
      const want = pair.score(request);
      expect([s.a.mAP, s.b.mAP, s.a.mAR, s.b.mAR]).toEqual([want.a.mAP, want.b.mAP, want.a.mAR, want.b.mAR]);
      expect(s.a.AP).toBeInstanceOf(Float64Array);
      const iv = await cmp.intervals({ ...request, resamples: 200, seed: 3 });
      expect(iv.differences).toEqual(pair.differences(want, { resamples: 200, seed: 3 }));
    }

    const coco = await cmp.coco({ allImages: false, resamples: 100, seed: 1 });
    const want = compareProjectCoco(kernels, mini.project, mini.predictions, miniB, { resamples: 100 }).comparison;
    expect(coco.stats).toEqual(want.stats);
    expect(coco.alone).toEqual({ a: want.alone.a, b: want.alone.b });
    const changes = await cmp.changes({ iou: 0.5, allImages: false });
    expect(changes.broken).toEqual(want.labels.broken);
    expect(changes.broken).toHaveLength(1);
    const row = changes.images[0];
    const verdicts = await cmp.frameVerdicts(row.dataUnitIndex, row.frameNumber, { iou: 0.5, allImages: false });
    expect(
      Object.entries(verdicts.labels)
        .filter(([, s]) => s === 'broken')
        .map(([id]) => id),
    ).toEqual(changes.broken.map(String));
    const detailA = await cmp.frameDetail(row.dataUnitIndex, row.frameNumber, 'a');
    const detailB = await cmp.frameDetail(row.dataUnitIndex, row.frameNumber, 'b');
    expect(detailA.predictions.length - detailB.predictions.length).toBe(2);
    // Every drawn prediction of A has COCO's verdict (ea-mini's classification-free boxes and polygons).
    expect([...detailA.source].every((s) => verdicts.predictions.a[s] !== undefined)).toBe(true);
  });

  it('a newer setting supersedes the intervals still being computed', async () => {
    const { project, predictions } = syntheticProject(20_000, 9);
    const cmp = client();
    await cmp.prepare(
      project,
      { kind: 'predictions', predictions },
      { kind: 'predictions', predictions: syntheticSecondRun(project, predictions) },
    );
    const request = { iouThreshold: 0.5, ignoreFramesWithoutPredictions: false, allFrames: false };
    await cmp.score(request);
    const old = cmp.intervals({ ...request, resamples: 5000, seed: 1 });
    const newer = await cmp.score({ ...request, iouThreshold: 0.6 });
    expect(newer.iouThreshold).toBe(0.6);
    const error = await old.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isAbort(error)).toBe(true);
  });
});

describe('two 100,000-prediction runs', () => {
  it('the IoU slider re-scores both runs through the worker; the bootstraps run in the workers', async () => {
    const { project, predictions } = syntheticProject();
    const b = syntheticSecondRun(project, predictions);
    const cmp = client();
    const t0 = performance.now();
    const summary = await cmp.prepare(
      project,
      { kind: 'predictions', predictions },
      { kind: 'predictions', predictions: b },
    );
    const prepareRoundTrip = performance.now() - t0;
    expect(summary.runs.a.evaluated).toBe(100_000);

    const request = (iouThreshold: number) => ({
      iouThreshold,
      ignoreFramesWithoutPredictions: false,
      allFrames: false,
    });
    await cmp.score(request(0.5));
    const times: number[] = [];
    const inWorker: number[] = [];
    for (let step = 30; step <= 95; step++) {
      const s = await cmp.score(request(step / 100));
      times.push(s.roundTripMs);
      inWorker.push(s.ms);
      expect(s.coverage.compared).toBe(s.coverage.total);
    }
    const sorted = [...times].sort((x, y) => x - y);
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
    const t1 = performance.now();
    const iv = await cmp.intervals({ ...request(0.5), resamples: 1000, seed: 1 });
    const eaBoot = performance.now() - t1;
    expect(iv.differences.bootstrap.resamples).toBe(1000);

    const t2 = performance.now();
    await cmp.coco({ allImages: false, resamples: 4, seed: 1 });
    const cocoPrepare = performance.now() - t2;
    const t3 = performance.now();
    const coco = await cmp.coco({ allImages: false, resamples: 1000, seed: 1 });
    const cocoBoot = performance.now() - t3;
    expect(coco.stats[0].resamples).toBe(1000);
    expect(coco.stats[0].ci[0]).toBeLessThanOrEqual(coco.stats[0].delta);
    expect(coco.stats[0].ci[1]).toBeGreaterThanOrEqual(coco.stats[0].delta);
    console.log(
      `[compare-worker] two 100k runs: prepare round trip ${prepareRoundTrip.toFixed(0)} ms (both prepareActive ` +
        `${summary.prepareMs.toFixed(0)} ms); IoU slider round trip over ${times.length} thresholds: median ` +
        `${median(times).toFixed(1)} ms, p95 ${sorted[Math.floor(sorted.length * 0.95)].toFixed(1)} ms, max ` +
        `${sorted.at(-1)!.toFixed(1)} ms (in the worker: median ${median(inWorker).toFixed(1)} ms); EA bootstrap, 1,000 ` +
        `resamples: ${eaBoot.toFixed(0)} ms; COCO pair (conversion + 2 x COCOeval): ${cocoPrepare.toFixed(0)} ms; ` +
        `COCO bootstrap, 1,000 resamples (12 stats + per class): ${cocoBoot.toFixed(0)} ms round trip ` +
        `(${coco.ms.toFixed(0)} ms in the worker)`,
    );
  }, 600_000);
});
