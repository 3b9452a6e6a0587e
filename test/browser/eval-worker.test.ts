// The evaluation worker in real Chromium, through the real comlink round trip: ea-mini (read from the shared
// fixtures, predictions from its .pkl) scored as Encord Active v0.1.40 scored it, given directly or read from a run
// in IndexedDB inside the worker; the other answers the Model quality page asks for; cancel by terminate; and the
// IoU slider's round trip at 100,000 predictions (logged; the figure goes to BENCHMARKS.md).
import { afterAll, describe, expect, it } from 'vitest';
import { reasonText } from '../../src/core/eval/active/score.ts';
import { runsProjectKey, runStore } from '../../src/store/runs.ts';
import { EvalClient } from '../../src/workers/eval-client.ts';
import { isAbortError } from '../../src/workers/pool.ts';
import { eaMini, syntheticProject } from './eval-fixtures.ts';

const clients: EvalClient[] = [];
const client = () => {
  const c = new EvalClient();
  clients.push(c);
  return c;
};
afterAll(() => clients.forEach((c) => c.terminate()));

const mini = await eaMini();

describe('eval worker on ea-mini (Encord Active v0.1.40 answers)', () => {
  it('matches and scores the .pkl predictions given directly: every reference threshold, bit for bit', async () => {
    const evals = client();
    const summary = await evals.prepare(mini.project, { kind: 'predictions', predictions: mini.predictions });
    expect(summary.nPredictions).toBe(6);
    expect(summary.excluded).toEqual([]);
    expect(summary.classes.map((c) => c.name)).toEqual(['Car', 'Cat']);
    // The static columns arrived as typed arrays (transferred), in pidx order (descending confidence).
    expect(summary.confidence).toBeInstanceOf(Float64Array);
    expect([...summary.confidence]).toEqual([...summary.confidence].sort((a, b) => b - a));

    for (const ref of mini.reference.results) {
      const score = await evals.score({
        iouThreshold: ref.iou_threshold,
        ignoreFramesWithoutPredictions: ref.ignore_frames_without_predictions,
      });
      const what = `IoU ${ref.iou_threshold}, ignore ${ref.ignore_frames_without_predictions}`;
      expect(score.mAP, what).toBe(ref.mAP);
      expect(score.mAR, what).toBe(ref.mAR);
      for (const [name, { AP, AR }] of Object.entries(ref.per_class)) {
        const c = score.perClass.find((x) => x.name === name)!;
        expect([c.AP, c.AR], `${what} ${name}`).toEqual([AP, AR]);
      }
      for (const p of ref.predictions) {
        expect(score.isTP[p.pidx] === 1, `${what} pidx ${p.pidx}`).toBe(p.is_true_positive);
        const name = summary.classes[summary.predClass[p.pidx]].name;
        expect(reasonText(score.fpReason[p.pidx], name)).toBe(p.false_positive_reason);
      }
      const fn = Object.fromEntries([...score.isFN].map((v, lidx) => [String(lidx), v === 1]));
      expect(fn, what).toEqual(ref.labels_is_false_negative);
      expect(score.isTP).toBeInstanceOf(Uint8Array);
      expect(score.pr).toHaveLength(2 * 101);
    }
  });

  it('gives the numbers of the brief at 0.5, with and without frames that have no predictions', async () => {
    const evals = client();
    await evals.prepare(mini.project, { kind: 'predictions', predictions: mini.predictions });
    const plain = await evals.score({ iouThreshold: 0.5, ignoreFramesWithoutPredictions: false });
    expect([plain.mAP, plain.mAR]).toEqual([0.6633663366336633, 0.6666666666666665]);
    const ignoring = await evals.score({ iouThreshold: 0.5, ignoreFramesWithoutPredictions: true });
    expect([ignoring.mAP, ignoring.mAR]).toEqual([0.7475247524752474, 0.7499999999999999]);
    // Ignoring frame B takes its Car label out of the recall: one false negative fewer.
    expect(ignoring.falseNegatives).toBe(plain.falseNegatives - 1);
  });

  it('reads a stored run from IndexedDB inside the worker and scores it the same', async () => {
    const store = await runStore();
    const key = runsProjectKey(mini.project);
    const info = await store.saveRun(
      key,
      { name: 'ea-mini pkl', format: 'pkl', sources: ['predictions.pkl'] },
      mini.predictions,
    );
    try {
      const evals = client();
      const summary = await evals.prepare(mini.project, { kind: 'run', projectKey: key, runId: info.id });
      expect(summary.totalPredictions).toBe(6);
      const score = await evals.score({ iouThreshold: 0.5, ignoreFramesWithoutPredictions: false });
      expect([score.mAP, score.mAR]).toEqual([0.6633663366336633, 0.6666666666666665]);
    } finally {
      await store.deleteRun(key, info.id);
    }
  });

  it('says which run is missing instead of scoring nothing', async () => {
    const evals = client();
    const key = runsProjectKey(mini.project);
    await expect(evals.prepare(mini.project, { kind: 'run', projectKey: key, runId: 'no-such-run' })).rejects.toThrow(
      /no-such-run does not exist/,
    );
  });

  it('answers the rest of the page: confusion matrix, confidence curves, COCO, one frame to draw', async () => {
    const evals = client();
    const summary = await evals.prepare(mini.project, { kind: 'predictions', predictions: mini.predictions });
    await evals.score({ iouThreshold: 0.5, ignoreFramesWithoutPredictions: false });

    const confusion = await evals.confusion({
      iouThreshold: 0.5,
      confidenceThreshold: 0,
      ignoreFramesWithoutPredictions: false,
    });
    expect(confusion.size).toBe(3); // Car, Cat, background
    const total = confusion.counts.reduce((a, b) => a + b, 0);
    // Every prediction lands in one cell, and so does every label nobody took.
    expect(total).toBe(summary.nPredictions + confusion.missedLabels);
    const strict = await evals.confusion({
      iouThreshold: 0.5,
      confidenceThreshold: 0.85,
      ignoreFramesWithoutPredictions: false,
    });
    expect(strict.counts.reduce((a, b) => a + b, 0) - strict.missedLabels).toBe(
      [...summary.confidence].filter((c) => c >= 0.85).length,
    );

    const curves = await evals.confidenceCurves();
    expect(curves.perClass).toHaveLength(2);
    expect(curves.overall.nPredictions).toBe(6);
    // Best F1 overall: keeping the two most confident predictions (both TPs) of 4 labels -> P 1, R 0.5.
    expect(curves.overall.best).toMatchObject({ truePositives: 2, predictions: 2, precision: 1, recall: 0.5 });

    const coco = await evals.coco(false);
    expect(coco.rows).toHaveLength(12);
    expect(coco.rows[0].line).toMatch(
      /^ Average Precision {2}\(AP\) @\[ IoU=0\.50:0\.95 \| area= {3}all \| maxDets=100 \] = \d\.\d{3}$/,
    );
    expect(coco.rows.map((r) => r.value)).toEqual(coco.stats);
    expect(coco.perClass.map((c) => c.name)).toEqual(['Car', 'Cat']);
    // COCO ran in a second worker, so a long COCO evaluation never holds up the slider.
    expect(evals.started).toBe(2);
    expect((await evals.score({ iouThreshold: 0.75, ignoreFramesWithoutPredictions: false })).mAP).toBe(
      0.6633663366336633,
    );

    const frame = summary.predFrame[0];
    const detail = await evals.frameDetail(frame);
    expect(detail.predictions.map((p) => p.pidx)).toEqual(
      [...summary.predFrame.keys()].filter((p) => summary.predFrame[p] === frame),
    );
    expect(detail.predictions.every((p) => p.shape.kind !== 'classification')).toBe(true);
  });

  it('cancels a prepare by terminating the worker; the next prepare starts a fresh one', async () => {
    const evals = client();
    const big = syntheticProject(60_000, 7);
    const abort = new AbortController();
    const running = evals.prepare(big.project, { kind: 'predictions', predictions: big.predictions }, abort.signal);
    setTimeout(() => abort.abort(), 20);
    const error = await running.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isAbortError(error)).toBe(true);
    await expect(evals.score({ iouThreshold: 0.5, ignoreFramesWithoutPredictions: false })).rejects.toThrow(/prepare/);
    await evals.prepare(mini.project, { kind: 'predictions', predictions: mini.predictions });
    expect((await evals.score({ iouThreshold: 0.5, ignoreFramesWithoutPredictions: false })).mAP).toBe(
      0.6633663366336633,
    );
    expect(evals.started).toBe(2);
  });
});

describe('the IoU slider at 100,000 predictions', () => {
  it('re-scores through the worker on every threshold; TPs only fall as the threshold rises', async () => {
    const { project, predictions } = syntheticProject();
    const evals = client();
    const t0 = performance.now();
    const summary = await evals.prepare(project, { kind: 'predictions', predictions });
    const prepareRoundTrip = performance.now() - t0;
    expect(summary.nPredictions).toBe(100_000);

    // A drag: 0.30 -> 0.95 in 0.01 steps, each one a worker round trip (warm-up first).
    await evals.score({ iouThreshold: 0.5, ignoreFramesWithoutPredictions: false });
    const times: number[] = [];
    const inWorker: number[] = [];
    let previousTP = Infinity;
    let mapAt50 = NaN;
    let mapAt90 = NaN;
    for (let step = 30; step <= 95; step++) {
      const iouThreshold = step / 100;
      const score = await evals.score({ iouThreshold, ignoreFramesWithoutPredictions: false });
      times.push(score.roundTripMs);
      inWorker.push(score.ms);
      expect(score.isTP).toHaveLength(100_000);
      expect(score.truePositives).toBeLessThanOrEqual(previousTP);
      previousTP = score.truePositives;
      if (step === 50) mapAt50 = score.mAP;
      if (step === 90) mapAt90 = score.mAP;
      // A TP has no false-positive reason; everything else has one.
      for (let p = 0; p < 1000; p++) expect(score.isTP[p] === 1).toBe(score.fpReason[p] === 0);
    }
    expect(mapAt90).toBeLessThan(mapAt50);
    const sorted = [...times].sort((a, b) => a - b);
    const median = sorted[sorted.length >> 1];
    const p95 = sorted[Math.floor(sorted.length * 0.95)];
    const workerMedian = [...inWorker].sort((a, b) => a - b)[inWorker.length >> 1];
    console.log(
      `[eval-worker] 100k predictions: prepare round trip ${prepareRoundTrip.toFixed(0)} ms (load ${summary.loadMs.toFixed(0)} ms, ` +
        `prepareActive ${summary.prepareMs.toFixed(0)} ms); IoU slider round trip over ${times.length} thresholds: ` +
        `median ${median.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms ` +
        `(scoring in the worker: median ${workerMedian.toFixed(1)} ms)`,
    );

    // The page's follow-up calls after a slider move, timed for the log too.
    const t1 = performance.now();
    await Promise.all([
      evals.confusion({ iouThreshold: 0.5, confidenceThreshold: 0, ignoreFramesWithoutPredictions: false }),
      evals.confidenceCurves(),
    ]);
    console.log(
      `[eval-worker] confusion matrix + confidence curves round trip: ${(performance.now() - t1).toFixed(1)} ms`,
    );
  });
});
