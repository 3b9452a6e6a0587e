// Encord Active's model-quality numbers (spec encord-active.md §5.2-5.3) with each frame counted `weight` times,
// from one run's matching at one IoU threshold: what EA's compute_mAP_and_mAR gives on the frame list in which frame
// f appears weight[f] times. Which prediction is a true positive is decided per label and frame, so a copy of a
// frame keeps its outcomes; only the cumulative sums change. As for COCO (coco-weighted.ts), the precision envelope
// is the same on every copy of a true positive, so one step per run of true positives gives EA's numbers exactly
// (weight 1 everywhere: scoreActive's, to the last bit; test/unit/compare-active.test.ts).
//
//   const w = new ActiveWeighted(prepared, score, frameUnit);   // frameUnit: prepared frame -> resampled unit
//   w.scores(counts)                                             // mAP, mAR, per-class AP and AR
import { numpySum } from '../pairwise-sum.ts';
import { EA_EPS, RECALL_THRESHOLDS } from '../active/numeric.ts';
import type { ActivePrepared, ActiveScore } from '../active/types.ts';

export interface WeightedActive {
  mAP: number;
  mAR: number;
  /** Per class (prepared.classes order): AP and AR, NaN when the class has no counted label in the resample. */
  AP: Float64Array;
  AR: Float64Array;
}

/** What does not change with the IoU threshold: each class's predictions (as units) and labels. */
export interface ActiveLayout {
  nClasses: number;
  /** Per class: its predictions in confidence order, as resampled units, and their pidxs. */
  unit: Int32Array[];
  pidx: Int32Array[];
  /** Per class: its labels' lidxs and units. */
  labelLidx: Int32Array[];
  labelUnit: Int32Array[];
  /** Counted labels per class and unit, by "ignore frames without predictions" (false, true). */
  counted: Map<boolean, { unit: Int32Array; count: Int32Array }[]>;
}

/**
 * The layout of one prepared run; `frameUnit[f]` is the unit frame f of the run is resampled as (-1: never drawn,
 * e.g. a frame outside the compared set).
 */
export function activeLayout(prepared: ActivePrepared, frameUnit: Int32Array): ActiveLayout {
  const { classPredStart, classPredPidx, predFrame, classLabelStart, classLabelLidx, labelFrame } = prepared;
  const nClasses = prepared.classes.length;
  const unit: Int32Array[] = [];
  const pidx: Int32Array[] = [];
  const labelLidx: Int32Array[] = [];
  const labelUnit: Int32Array[] = [];
  for (let c = 0; c < nClasses; c++) {
    const p = classPredPidx.slice(classPredStart[c], classPredStart[c + 1]);
    pidx.push(p);
    unit.push(Int32Array.from(p, (i) => frameUnit[predFrame[i]]));
    const l = classLabelLidx.slice(classLabelStart[c], classLabelStart[c + 1]);
    labelLidx.push(l);
    labelUnit.push(Int32Array.from(l, (i) => frameUnit[labelFrame[i]]));
  }
  return { nClasses, unit, pidx, labelLidx, labelUnit, counted: new Map() };
}

interface ClassRecords {
  /** The class's predictions in confidence order, as resampled units. */
  unit: Int32Array;
  /** Runs of true positives (no false positive between them): (first, last) positions in `unit`. */
  runs: Int32Array;
  /** Counted labels per unit: (unit, count) pairs. */
  labelUnit: Int32Array;
  labelCount: Int32Array;
}

export class ActiveWeighted {
  readonly nClasses: number;
  readonly #classes: ClassRecords[];
  readonly #prefix: Int32Array;
  readonly #evTP: Int32Array;
  readonly #evN: Int32Array;
  readonly #curve = new Float64Array(RECALL_THRESHOLDS.length);
  readonly #cutCache = new Map<number, Int32Array>();
  readonly #evaluated: Float64Array;
  readonly #evaluatedAR: Float64Array;

  /**
   * `score` is scoreActive's answer for `prepared` (its TP flags and counted labels). `layout` (activeLayout) is
   * what does not depend on the threshold; pass the same one for every threshold of a run, or a frame mapping.
   */
  constructor(prepared: ActivePrepared, score: ActiveScore, layout: ActiveLayout | Int32Array) {
    const l = layout instanceof Int32Array ? activeLayout(prepared, layout) : layout;
    this.nClasses = l.nClasses;
    const counted = countedLabels(l, score);
    let longest = 1;
    this.#classes = l.unit.map((unit, c) => {
      const n = unit.length;
      const pidx = l.pidx[c];
      const runs: number[] = [];
      let runStart = -1;
      for (let i = 0; i < n; i++) {
        if (score.isTP[pidx[i]]) {
          if (runStart < 0) runStart = i;
        } else if (runStart >= 0) {
          runs.push(runStart, i - 1);
          runStart = -1;
        }
      }
      if (runStart >= 0) runs.push(runStart, n - 1);
      longest = Math.max(longest, n);
      return { unit, runs: Int32Array.from(runs), labelUnit: counted[c].unit, labelCount: counted[c].count };
    });
    this.#prefix = new Int32Array(longest + 1);
    this.#evTP = new Int32Array(longest);
    this.#evN = new Int32Array(longest);
    this.#evaluated = new Float64Array(this.nClasses);
    this.#evaluatedAR = new Float64Array(this.nClasses);
  }

  /**
   * mAP, mAR and per-class AP / AR with unit u counted weights[u] times. With `curves` (nClasses * 101 values), each
   * evaluated class's interpolated precision at the 101 recall thresholds is written there too (NaN for the others).
   */
  scores(weights: Int32Array, out?: WeightedActive, curves?: Float64Array): WeightedActive {
    const result = out ?? {
      mAP: NaN,
      mAR: NaN,
      AP: new Float64Array(this.nClasses),
      AR: new Float64Array(this.nClasses),
    };
    const aps = this.#evaluated;
    const ars = this.#evaluatedAR;
    let n = 0;
    for (let c = 0; c < this.nClasses; c++) {
      const cls = this.#classes[c];
      let labels = 0;
      for (let j = 0; j < cls.labelUnit.length; j++) labels += weights[cls.labelUnit[j]] * cls.labelCount[j];
      if (labels === 0) {
        result.AP[c] = NaN;
        result.AR[c] = NaN;
        curves?.fill(NaN, c * RECALL_THRESHOLDS.length, (c + 1) * RECALL_THRESHOLDS.length);
        continue;
      }
      const { AP, AR } = this.#classCurve(cls, labels, weights);
      curves?.set(this.#curve, c * RECALL_THRESHOLDS.length);
      result.AP[c] = AP;
      result.AR[c] = AR;
      aps[n] = AP;
      ars[n++] = AR;
    }
    result.mAP = n === 0 ? NaN : numpySum(aps.subarray(0, n)) / n;
    result.mAR = n === 0 ? NaN : numpySum(ars.subarray(0, n)) / n;
    return result;
  }

  /** min c with c / (labels + eps) >= k·0.01, as EA divides; cached by the label count. */
  #cutoffs(labels: number): Int32Array {
    let cut = this.#cutCache.get(labels);
    if (cut) return cut;
    const den = labels + EA_EPS;
    cut = new Int32Array(RECALL_THRESHOLDS.length);
    for (let k = 0; k < RECALL_THRESHOLDS.length; k++) {
      const thr = RECALL_THRESHOLDS[k];
      let c = Math.max(0, Math.ceil(thr * labels));
      while (c > 0 && (c - 1) / den >= thr) c--;
      while (c / den < thr) c++;
      cut[k] = c;
    }
    if (this.#cutCache.size > 65536) this.#cutCache.clear();
    this.#cutCache.set(labels, cut);
    return cut;
  }

  /** EA's classCurve with weights: 101-point interpolated AP and the final recall. */
  #classCurve(cls: ClassRecords, labels: number, weights: Int32Array): { AP: number; AR: number } {
    const { unit, runs } = cls;
    const n = unit.length;
    const prefix = this.#prefix;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const u = unit[i];
      sum += u < 0 ? 0 : weights[u];
      prefix[i + 1] = sum;
    }
    const evTP = this.#evTP;
    const evN = this.#evN;
    let nEv = 0;
    let tp = 0;
    for (let x = 0; x < runs.length; x += 2) {
      tp += prefix[runs[x + 1] + 1] - prefix[runs[x]];
      evTP[nEv] = tp;
      evN[nEv++] = prefix[runs[x + 1] + 1];
    }
    const curve = this.#curve;
    const cut = this.#cutoffs(labels);
    const R = curve.length;
    let r = R - 1;
    while (r >= 0 && cut[r] > tp) curve[r--] = 0;
    // Backwards: the envelope (largest cTP / (rank + eps) so far), given to every threshold whose cut-off this run
    // is the first to reach. Fractions compare exactly by cross-multiplying (counts stay far below 2^26 here);
    // equal ones keep the larger rank, since 1 / (1 + eps) is below k / k.
    if (nEv > 0 && r >= 0) {
      let bestTP = evTP[nEv - 1];
      let bestN = evN[nEv - 1];
      let value = 0;
      let stale = true;
      let e = nEv - 1;
      for (;;) {
        const below = e > 0 ? evTP[e - 1] : -1;
        if (cut[r] > below) {
          if (stale) {
            value = bestTP / (bestN + EA_EPS);
            stale = false;
          }
          do curve[r--] = value;
          while (r >= 0 && cut[r] > below);
          if (r < 0) break;
        }
        if (--e < 0) break;
        const lhs = evTP[e] * bestN;
        const rhs = bestTP * evN[e];
        if (lhs > rhs || (lhs === rhs && evN[e] > bestN)) {
          bestTP = evTP[e];
          bestN = evN[e];
          stale = true;
        }
      }
    }
    while (r >= 0) curve[r--] = 0;
    return { AP: n === 0 ? 0 : numpySum(curve) / R, AR: n === 0 ? 0 : tp / (labels + EA_EPS) };
  }
}

/** Counted labels per class and unit for the score's "ignore frames" setting (cached on the layout). */
function countedLabels(layout: ActiveLayout, score: ActiveScore) {
  const key = score.ignoreFramesWithoutPredictions;
  let counted = layout.counted.get(key);
  if (!counted) {
    counted = layout.labelLidx.map((lidx, c) => {
      const perUnit = new Map<number, number>();
      const units = layout.labelUnit[c];
      for (let j = 0; j < lidx.length; j++) {
        if (!score.labelCounted[lidx[j]] || units[j] < 0) continue;
        perUnit.set(units[j], (perUnit.get(units[j]) ?? 0) + 1);
      }
      const keys = [...perUnit.keys()].sort((a, b) => a - b);
      return { unit: Int32Array.from(keys), count: Int32Array.from(keys, (u) => perUnit.get(u)!) };
    });
    layout.counted.set(key, counted);
  }
  return counted;
}
