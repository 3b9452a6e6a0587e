// The confidence explorer on ea-mini at IoU 0.5 (TP flags as EA computes them) and on a long synthetic run for the
// chart sampling.
import { describe, expect, it } from 'vitest';
import { scoreActive } from '../../src/core/eval/active/index.ts';
import { confidenceExplorer } from '../../src/core/eval/confidence.ts';
import { preparedFromEaOutput } from './active-ea-mini.ts';

const prepared = preparedFromEaOutput();
const score = scoreActive(prepared, { iouThreshold: 0.5 });
const explorer = confidenceExplorer(prepared, score);
const f1 = (p: number, r: number) => (2 * p * r) / (p + r);

describe('confidence explorer on ea-mini', () => {
  it('gives Car precision, recall and F1 at each of its confidences (TP only at 0.9; 3 labels)', () => {
    const car = explorer.perClass[0];
    expect([...car.thresholds]).toEqual([0.9, 0.8, 0.7, 0.6]);
    expect([...car.precision]).toEqual([1, 1 / 2, 1 / 3, 1 / 4]);
    expect([...car.recall]).toEqual([1 / 3, 1 / 3, 1 / 3, 1 / 3]);
    car.f1.forEach((v, i) => expect(v).toBeCloseTo(f1(car.precision[i], 1 / 3), 14));
    expect(car.best).toMatchObject({ threshold: 0.9, precision: 1, truePositives: 1, predictions: 1 });
    expect(car.best!.f1).toBeCloseTo(0.5, 14);
  });

  it('marks the F1-optimal threshold overall (micro over 6 predictions and 4 labels)', () => {
    const all = explorer.overall;
    expect([...all.thresholds]).toEqual([0.95, 0.9, 0.8, 0.7, 0.6, 0.5]);
    expect([...all.recall]).toEqual([0.25, 0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(all.best!.threshold).toBe(0.9);
    expect(all.best!.f1).toBeCloseTo(2 / 3, 14);
  });

  it('follows the IoU threshold: at 0.94 the Car TP is gone and Car has no best threshold worth more than 0', () => {
    const at094 = confidenceExplorer(prepared, scoreActive(prepared, { iouThreshold: 0.94 }));
    expect([...at094.perClass[0].precision]).toEqual([0, 0, 0, 0]);
    expect(at094.perClass[0].best!.f1).toBe(0);
  });
});

describe('sampling for charts', () => {
  it('keeps at most maxPoints points plus the best one, in descending threshold, ends included', () => {
    const n = 5000;
    const big = preparedFromEaOutput();
    const isTP = new Uint8Array(n);
    // TPs thin out as confidence falls; the best F1 is somewhere in the middle.
    for (let p = 0; p < n; p++) isTP[p] = (p * 7919) % 1000 < 1000 - p / 5 ? 1 : 0;
    const pidx = Int32Array.from({ length: n }, (_, i) => i);
    Object.assign(big, {
      nPredictions: n,
      confidence: Float64Array.from({ length: n }, (_, i) => 1 - i / n),
      predClass: new Int32Array(n),
      classPredStart: Int32Array.from([0, n, n]),
      classPredPidx: pidx,
    });
    const fakeScore = {
      ...score,
      isTP,
      perClass: score.perClass.map((c, i) => ({ ...c, nLabels: i === 0 ? 3000 : 0, evaluated: i === 0 })),
    };
    const car = confidenceExplorer(big, fakeScore, { maxPoints: 200 }).perClass[0];
    expect(car.distinct).toBe(n);
    expect(car.thresholds.length).toBeLessThanOrEqual(201);
    expect(car.thresholds[0]).toBe(1);
    expect(car.thresholds[car.thresholds.length - 1]).toBe(1 - (n - 1) / n);
    for (let i = 1; i < car.thresholds.length; i++) expect(car.thresholds[i]).toBeLessThan(car.thresholds[i - 1]);
    expect([...car.thresholds]).toContain(car.best!.threshold);
    expect(Math.max(...car.f1)).toBe(car.best!.f1);
  });
});
