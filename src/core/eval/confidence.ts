// The confidence explorer: precision, recall and F1 as the confidence threshold moves, per class and overall, from
// the TP flags of an EA-style score at the current IoU threshold. Keeping only predictions at or above a confidence
// never changes which of the kept ones are TPs (each label takes its highest-confidence candidate), so one pass over
// the predictions in confidence order gives every threshold.
import type { ActivePrepared, ActiveScore } from './active/types.ts';

export interface ConfidencePoint {
  /** Predictions with confidence >= threshold are kept. */
  threshold: number;
  precision: number;
  recall: number;
  f1: number;
  truePositives: number;
  predictions: number;
}

export interface ConfidenceCurve {
  /** Chart points in descending threshold (at most maxPoints, plus the best point if sampling skipped it). */
  thresholds: Float64Array;
  precision: Float64Array;
  recall: Float64Array;
  f1: Float64Array;
  /** The F1-optimal threshold over every distinct confidence (ties: the highest threshold); undefined without labels. */
  best: ConfidencePoint | undefined;
  /** Distinct confidences before sampling. */
  distinct: number;
  nLabels: number;
  nPredictions: number;
}

export interface ConfidenceExplorer {
  /** Micro-averaged over every prediction scored and every counted label. */
  overall: ConfidenceCurve;
  /** By class index; classes without predictions have empty curves. */
  perClass: ConfidenceCurve[];
}

export function confidenceExplorer(
  prepared: ActivePrepared,
  score: ActiveScore,
  options: { maxPoints?: number } = {},
): ConfidenceExplorer {
  const maxPoints = Math.max(2, options.maxPoints ?? 200);
  const all = new Int32Array(prepared.nPredictions);
  for (let p = 0; p < all.length; p++) all[p] = p;
  const totalLabels = score.perClass.reduce((sum, c) => sum + (c.evaluated ? c.nLabels : 0), 0);
  const overall = curve(all, 0, all.length, totalLabels, prepared.confidence, score.isTP, maxPoints);
  const perClass = prepared.classes.map((c) => {
    const from = prepared.classPredStart[c.index];
    const to = prepared.classPredStart[c.index + 1];
    return curve(
      prepared.classPredPidx,
      from,
      to,
      score.perClass[c.index].nLabels,
      prepared.confidence,
      score.isTP,
      maxPoints,
    );
  });
  return { overall, perClass };
}

/** One curve over pidx[from..to) (ascending pidx = descending confidence). */
function curve(
  pidx: Int32Array,
  from: number,
  to: number,
  nLabels: number,
  confidence: Float64Array,
  isTP: Uint8Array,
  maxPoints: number,
): ConfidenceCurve {
  const n = to - from;
  // One point at the end of each run of equal confidences.
  const thresholds: number[] = [];
  const tps: number[] = [];
  const counts: number[] = [];
  let tp = 0;
  for (let i = 0; i < n; i++) {
    const p = pidx[from + i];
    tp += isTP[p];
    const next = i + 1 < n ? confidence[pidx[from + i + 1]] : NaN;
    if (next !== confidence[p]) {
      thresholds.push(confidence[p]);
      tps.push(tp);
      counts.push(i + 1);
    }
  }
  const point = (k: number): ConfidencePoint => {
    const precision = tps[k] / counts[k];
    const recall = nLabels > 0 ? tps[k] / nLabels : NaN;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : nLabels > 0 ? 0 : NaN;
    return { threshold: thresholds[k], precision, recall, f1, truePositives: tps[k], predictions: counts[k] };
  };

  let bestK = -1;
  let bestF1 = -Infinity;
  if (nLabels > 0) {
    for (let k = 0; k < thresholds.length; k++) {
      const { f1 } = point(k);
      if (f1 > bestF1) {
        bestF1 = f1;
        bestK = k;
      }
    }
  }

  const D = thresholds.length;
  const picked: number[] = [];
  if (D <= maxPoints) for (let k = 0; k < D; k++) picked.push(k);
  else {
    for (let i = 0; i < maxPoints; i++) {
      const k = Math.round((i * (D - 1)) / (maxPoints - 1));
      if (picked[picked.length - 1] !== k) picked.push(k);
    }
    if (bestK >= 0 && !picked.includes(bestK)) {
      picked.push(bestK);
      picked.sort((a, b) => a - b);
    }
  }
  const out = {
    thresholds: new Float64Array(picked.length),
    precision: new Float64Array(picked.length),
    recall: new Float64Array(picked.length),
    f1: new Float64Array(picked.length),
  };
  picked.forEach((k, i) => {
    const pt = point(k);
    out.thresholds[i] = pt.threshold;
    out.precision[i] = pt.precision;
    out.recall[i] = pt.recall;
    out.f1[i] = pt.f1;
  });
  return { ...out, best: bestK >= 0 ? point(bestK) : undefined, distinct: D, nLabels, nPredictions: n };
}
