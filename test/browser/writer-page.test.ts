// A model running in the page feeds PredictionWriter (here: the ea-mini predictions replayed call by call, through
// both the Prediction-model call and the older documented one), the predictions are stored as a run in the real
// IndexedDB, and the evaluation worker reads that run and gives Encord Active's numbers.
import { afterAll, describe, expect, it } from 'vitest';
import { PredictionWriter } from '../../src/core/formats/writer.ts';
import { RunStore, runsProjectKey } from '../../src/store/runs.ts';
import { EvalClient } from '../../src/workers/eval-client.ts';
import { eaMini } from './eval-fixtures.ts';

const mini = await eaMini();
const evals = new EvalClient();
afterAll(() => evals.terminate());

describe('PredictionWriter in the page', () => {
  it('collects predictions from a model loop, saves them as a run and the run evaluates to EA numbers', async () => {
    const writer = new PredictionWriter(mini.project);
    for (const p of mini.predictions) {
      if (p.shape.kind === 'box') {
        // The older documented call: addPrediction({dataHash, classUid, confidence, bbox, frame}).
        const { x, y, w, h } = p.shape.box;
        expect(
          writer.addPrediction({
            dataHash: p.dataHash,
            classUid: p.featureHash,
            confidence: p.confidence,
            bbox: { x, y, w, h },
            frame: p.frame,
          }),
        ).toBe(true);
      } else {
        expect(writer.add(p)).toBe(true);
      }
    }
    // A prediction for a data unit the project does not have is reported, not dropped silently.
    expect(
      writer.addPrediction({
        dataHash: 'not-a-data-hash',
        classUid: mini.predictions[0].featureHash,
        confidence: 0.5,
        bbox: { x: 0, y: 0, w: 0.1, h: 0.1 },
      }),
    ).toBe(false);
    const { predictions, report } = writer.result();
    expect(predictions).toHaveLength(mini.predictions.length);
    expect(report.rejected).toHaveLength(1);
    expect(report.rejected[0].reason).toMatch(/not-a-data-hash/);

    const key = runsProjectKey(mini.project);
    const store = await RunStore.open(`writer-page-${Date.now()}`);
    const info = await store.saveRun(
      key,
      { name: 'in-browser model', format: 'writer', sources: ['PredictionWriter'], report },
      predictions,
    );
    expect((await store.listRuns(key)).map((r) => r.id)).toContain(info.id);
    expect(info.counts.predictions).toBe(mini.predictions.length);

    const summary = await evals.prepare(mini.project, {
      kind: 'predictions',
      predictions: await store.loadRun(key, info.id),
    });
    expect(summary.nPredictions).toBe(6);
    const score = await evals.score({ iouThreshold: 0.5, ignoreFramesWithoutPredictions: false });
    expect(score.mAP).toBe(0.6633663366336633);
    expect(score.mAR).toBe(0.6666666666666665);
    store.close();
  });
});
