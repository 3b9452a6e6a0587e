// scoreActive against Encord Active v0.1.40's own compute_mAP_and_mAR on ea-mini, bit for bit, starting from the
// matching EA wrote at import (so this file tests scoring alone; active-prepare tests the matching).
import { describe, expect, it } from 'vitest';
import {
  RECALL_THRESHOLDS,
  metricRows,
  prRows,
  subsetMeans,
  reasonText,
  scoreActive,
  type ActivePrepared,
} from '../../src/core/eval/active/index.ts';
import { preparedFromEaOutput, reference, resultName } from './active-ea-mini.ts';

const prepared: ActivePrepared = preparedFromEaOutput();
const className = (pidx: number) => prepared.classes[prepared.predClass[pidx]].name;

describe('scoreActive reproduces EA v0.1.40 on ea-mini', () => {
  it('covers every threshold and ignore setting of the reference, including the two extra probes', () => {
    const seen = reference.results.map((r) => `${r.iou_threshold}/${r.ignore_frames_without_predictions}`);
    expect(seen).toEqual([
      '0.5/false',
      '0.5/true',
      '0.75/false',
      '0.75/true',
      '0.94/false',
      '0.94/true',
      '0.935483872/false',
      '0.935483872/true',
    ]);
  });

  for (const ref of reference.results) {
    describe(resultName(ref), () => {
      const score = scoreActive(prepared, {
        iouThreshold: ref.iou_threshold,
        ignoreFramesWithoutPredictions: ref.ignore_frames_without_predictions,
      });

      it('marks the same true positives, with the same false-positive reasons', () => {
        for (const p of ref.predictions) {
          expect(score.isTP[p.pidx] === 1, `pidx ${p.pidx}`).toBe(p.is_true_positive);
          expect(reasonText(score.fpReason[p.pidx], className(p.pidx)), `pidx ${p.pidx}`).toBe(p.false_positive_reason);
        }
      });

      it('marks the same false negatives', () => {
        const fn = Object.fromEntries([...score.isFN].map((v, lidx) => [String(lidx), v === 1]));
        expect(fn).toEqual(ref.labels_is_false_negative);
      });

      it('gives the same AP and AR per class and the same mAP and mAR, to the last bit', () => {
        for (const [name, { AP, AR }] of Object.entries(ref.per_class)) {
          const c = score.perClass.find((x) => x.name === name)!;
          expect(c.evaluated).toBe(true);
          expect(c.AP, `AP ${name}`).toBe(AP);
          expect(c.AR, `AR ${name}`).toBe(AR);
        }
        expect(score.mAP).toBe(ref.mAP);
        expect(score.mAR).toBe(ref.mAR);
        expect(metricRows(score)).toEqual(ref.metrics_rows);
      });

      it('gives the same 101-point precision-recall rows', () => {
        const rows = prRows(score);
        for (const [name, curve] of Object.entries(ref.precision_recall_curve)) {
          const mine = rows.filter((r) => r[2] === name);
          expect(mine.map((r) => r[1])).toEqual(curve.recall);
          expect(mine.map((r) => r[0])).toEqual(curve.precision);
        }
        expect(rows).toHaveLength(101 * Object.keys(ref.precision_recall_curve).length);
      });
    });
  }

  it('uses the float32 IoU EA stored: at 0.935483872 the Car prediction stays a TP, at 0.94 it does not', () => {
    // 0.935483872 lies between the float32 IoU (0.9354838728904724) and the float64 one (29/31).
    expect(29 / 31).toBeLessThan(0.935483872);
    expect(prepared.iou[1]).toBeGreaterThan(0.935483872);
    expect(scoreActive(prepared, { iouThreshold: 0.935483872 }).isTP[1]).toBe(1);
    expect(scoreActive(prepared, { iouThreshold: 0.94 }).isTP[1]).toBe(0);
  });
});

describe('the worked example of spec §5.3', () => {
  const score = scoreActive(prepared, { iouThreshold: 0.5 });
  const ap = (name: string) => score.perClass.find((c) => c.name === name)!.AP;

  it('scores a perfect single-label class 100/101 because of the ε in the recall denominator', () => {
    expect(ap('Cat')).toBeCloseTo(100 / 101, 15);
    expect(score.perClass.find((c) => c.name === 'Cat')!.AR).toBe(1 / (1 + Number.EPSILON));
  });

  it('gives Car AP 34/101 (recall 1/3 reaches thresholds 0.00 to 0.33) and AR 1/3', () => {
    const car = score.pr[score.perClass.find((c) => c.name === 'Car')!.index]!;
    expect([...car].filter((v) => v > 0)).toHaveLength(34);
    expect(car[33]).toBe(1 / (1 + Number.EPSILON));
    expect(car[34]).toBe(0);
    expect(ap('Car')).toBeCloseTo(34 / 101, 15);
  });

  it('with frames without predictions ignored, frame B drops out: Car AR 1/2 and AP 51/101', () => {
    const ignoring = scoreActive(prepared, { iouThreshold: 0.5, ignoreFramesWithoutPredictions: true });
    const car = ignoring.perClass.find((c) => c.name === 'Car')!;
    expect(car.nLabels).toBe(2);
    expect(car.AR).toBe(0.5);
    expect(car.AP).toBeCloseTo(51 / 101, 15);
    expect([...ignoring.labelCounted]).toEqual([1, 1, 1, 0]);
  });

  it('uses recall thresholds k·0.01 as numpy linspace does', () => {
    expect(RECALL_THRESHOLDS[35]).toBe(0.35000000000000003);
    expect(RECALL_THRESHOLDS[100]).toBe(1);
    expect(RECALL_THRESHOLDS).toHaveLength(101);
  });
});

describe('class filter', () => {
  it('averages a subset of classes the way EA averages all of them', () => {
    const score = scoreActive(prepared, { iouThreshold: 0.5 });
    expect(subsetMeans(score, [0])).toEqual({
      mAP: reference.results[0].per_class.Car.AP,
      mAR: reference.results[0].per_class.Car.AR,
    });
    expect(subsetMeans(score, [0, 1])).toEqual({ mAP: score.mAP, mAR: score.mAR });
    expect(subsetMeans(score, [])).toEqual({ mAP: NaN, mAR: NaN });
  });
});

describe('reason strings', () => {
  it('are EA v0.1.40 exact, backticks included', () => {
    expect(reasonText(0, 'Car')).toBe('');
    expect(reasonText(1, 'Car')).toBe('No overlapping label of class `Car`.');
    expect(reasonText(2, 'Car')).toBe('Prediction with higher confidence already matched label.');
    expect(reasonText(3, 'Car')).toBe('IOU too low.');
  });
});
