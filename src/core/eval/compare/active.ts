// Two prediction runs of one project compared the Encord Active way (spec encord-active.md §5.2-5.3): mAP, mAR and
// per-class AP / AR at an IoU threshold, with or without "ignore frames without predictions", for both runs on the
// frames both cover, their differences with paired-bootstrap intervals over the frames (bootstrap.ts).
//
//   const pair = new ActivePair(preparedA, preparedB);
//   const scores = pair.score({ iouThreshold: 0.5 });      // both runs' numbers on the compared frames
//   const diffs = pair.differences(scores, { resamples }); // the bootstrap (chunked: see differencesIn)
import { scoreActive } from '../active/score.ts';
import type { ActivePrepared, ActiveScore } from '../active/types.ts';
import {
  DEFAULT_RESAMPLES,
  DEFAULT_SEED,
  checkResamples,
  Resampler,
  summariseDifferences,
  type BootstrapInfo,
  type Difference,
} from './bootstrap.ts';
import { activeLayout, ActiveWeighted, type ActiveLayout, type WeightedActive } from './active-weighted.ts';

export interface ActiveCompareSettings {
  iouThreshold: number;
  ignoreFramesWithoutPredictions?: boolean;
  /** Compare on every frame, even those only one run predicts on. Default: frames both cover, or neither. */
  allFrames?: boolean;
}

export interface ActiveCoverage {
  compared: number;
  total: number;
  onlyA: number;
  onlyB: number;
  allFrames: boolean;
}

/** Both runs scored at one setting, on the compared frames. */
export interface ActiveScores {
  settings: Required<ActiveCompareSettings>;
  a: WeightedActive;
  b: WeightedActive;
  /** EA's own scores of each run at this setting (TP flags, PR curves), on all of its frames. */
  scoreA: ActiveScore;
  scoreB: ActiveScore;
  coverage: ActiveCoverage;
  /** Per unit frame: 1 when compared. */
  compared: Uint8Array;
}

export interface ActiveClassDifference {
  index: number;
  name: string;
  featureHash: string;
  AP: Difference;
  AR: Difference;
  /** Predictions of each run in the class on the compared frames; 'a' / 'b' when only that run predicts it. */
  predictionsA: number;
  predictionsB: number;
  onlyIn?: 'a' | 'b';
}

export interface ActiveDifferences {
  mAP: Difference;
  mAR: Difference;
  perClass: ActiveClassDifference[];
  bootstrap: BootstrapInfo;
}

/** A frame of either run: a data unit and a frame number. */
export interface UnitFrame {
  dataUnitIndex: number;
  frame: number;
}

export class ActivePair {
  readonly a: ActivePrepared;
  readonly b: ActivePrepared;
  /** Every frame either run's preparation knows (labels first, in the project's order), and where each run has it. */
  readonly frames: UnitFrame[];
  readonly frameUnitA: Int32Array;
  readonly frameUnitB: Int32Array;
  /** Per unit frame: the run has a prediction there. */
  readonly coveredA: Uint8Array;
  readonly coveredB: Uint8Array;
  /** What the re-scoring of each run needs that does not change with the threshold. */
  readonly #layoutA: ActiveLayout;
  readonly #layoutB: ActiveLayout;

  constructor(a: ActivePrepared, b: ActivePrepared) {
    if (a.classes.length !== b.classes.length || a.classes.some((c, i) => c.featureHash !== b.classes[i].featureHash)) {
      throw new Error('the two runs were prepared with different class spaces; prepare both with the same one');
    }
    this.a = a;
    this.b = b;
    const index = new Map<string, number>();
    this.frames = [];
    const unitsOf = (p: ActivePrepared) =>
      Int32Array.from(p.frames, (f) => {
        const key = `${f.dataUnitIndex}:${f.frame}`;
        let u = index.get(key);
        if (u === undefined) {
          u = this.frames.length;
          index.set(key, u);
          this.frames.push({ dataUnitIndex: f.dataUnitIndex, frame: f.frame });
        }
        return u;
      });
    this.frameUnitA = unitsOf(a);
    this.frameUnitB = unitsOf(b);
    const covered = (p: ActivePrepared, unit: Int32Array) => {
      const out = new Uint8Array(this.frames.length);
      for (let i = 0; i < p.nPredictions; i++) out[unit[p.predFrame[i]]] = 1;
      return out;
    };
    this.coveredA = covered(a, this.frameUnitA);
    this.coveredB = covered(b, this.frameUnitB);
    this.#layoutA = activeLayout(a, this.frameUnitA);
    this.#layoutB = activeLayout(b, this.frameUnitB);
  }

  comparedFrames(allFrames: boolean): { compared: Uint8Array; coverage: ActiveCoverage } {
    const n = this.frames.length;
    const compared = new Uint8Array(n);
    let onlyA = 0;
    let onlyB = 0;
    let count = 0;
    for (let u = 0; u < n; u++) {
      const a = this.coveredA[u];
      const b = this.coveredB[u];
      if (a && !b) onlyA++;
      if (b && !a) onlyB++;
      compared[u] = allFrames || a === b ? 1 : 0;
      count += compared[u];
    }
    return { compared, coverage: { compared: count, total: n, onlyA, onlyB, allFrames } };
  }

  /**
   * Both runs at one setting: EA's scores, and their numbers on the compared frames. With `curves`, each run's
   * 101-point precision curves on those frames too (nClasses * 101 values each; NaN for classes not evaluated).
   */
  score(settings: ActiveCompareSettings, curves?: { a: Float64Array; b: Float64Array }): ActiveScores {
    const full = {
      iouThreshold: settings.iouThreshold,
      ignoreFramesWithoutPredictions: settings.ignoreFramesWithoutPredictions ?? false,
      allFrames: settings.allFrames ?? false,
    };
    const scoreA = scoreActive(this.a, full);
    const scoreB = scoreActive(this.b, full);
    const { compared, coverage } = this.comparedFrames(full.allFrames);
    const weights = Int32Array.from(compared);
    const wa = new ActiveWeighted(this.a, scoreA, this.#layoutA);
    const wb = new ActiveWeighted(this.b, scoreB, this.#layoutB);
    this.#weighted.set(scoreA, wa);
    this.#weighted.set(scoreB, wb);
    const a = wa.scores(weights, undefined, curves?.a);
    const b = wb.scores(weights, undefined, curves?.b);
    return { settings: full, a, b, scoreA, scoreB, coverage, compared };
  }

  readonly #weighted = new WeakMap<ActiveScore, ActiveWeighted>();

  /** The re-scoring of one run behind `scores` (to draw its curves under other weights). */
  weighted(scores: ActiveScores, which: 'a' | 'b'): ActiveWeighted {
    return this.#weighted.get(which === 'a' ? scores.scoreA : scores.scoreB)!;
  }

  /** The bootstrap of `scores` in one go. */
  differences(scores: ActiveScores, options: { resamples?: number; seed?: number } = {}): ActiveDifferences {
    const run = this.differencesIn(scores, options);
    let step = run.next();
    while (!step.done) step = run.next();
    return step.value;
  }

  /**
   * The bootstrap in steps: yields the number of resamples done after each chunk, so a caller can give way to other
   * work (and stop early) between them; returns the differences.
   */
  *differencesIn(
    scores: ActiveScores,
    options: { resamples?: number; seed?: number; chunk?: number } = {},
  ): Generator<number, ActiveDifferences> {
    const resamples = options.resamples ?? DEFAULT_RESAMPLES;
    const seed = options.seed ?? DEFAULT_SEED;
    const chunk = options.chunk ?? 50;
    checkResamples(resamples);
    const wa = this.#weighted.get(scores.scoreA)!;
    const wb = this.#weighted.get(scores.scoreB)!;
    const units = Int32Array.from([...scores.compared.keys()].filter((u) => scores.compared[u]));
    const nClasses = this.a.classes.length;
    const diffMAP = new Float64Array(resamples);
    const diffMAR = new Float64Array(resamples);
    const diffAP = Array.from({ length: nClasses }, () => new Float64Array(resamples));
    const diffAR = Array.from({ length: nClasses }, () => new Float64Array(resamples));
    const weights = new Int32Array(this.frames.length);
    const outA = wa.scores(weights);
    const outB = wb.scores(weights);
    const resampler = new Resampler(units.length, seed);
    const counts = new Int32Array(units.length);
    for (let r = 0; r < resamples; r++) {
      resampler.next(counts);
      for (let u = 0; u < units.length; u++) weights[units[u]] = counts[u];
      wa.scores(weights, outA);
      wb.scores(weights, outB);
      diffMAP[r] = outB.mAP - outA.mAP;
      diffMAR[r] = outB.mAR - outA.mAR;
      for (let c = 0; c < nClasses; c++) {
        diffAP[c][r] = outB.AP[c] - outA.AP[c];
        diffAR[c][r] = outB.AR[c] - outA.AR[c];
      }
      if ((r + 1) % chunk === 0 && r + 1 < resamples) yield r + 1;
    }
    const predictionsIn = (p: ActivePrepared, unit: Int32Array) => {
      const counts = new Int32Array(nClasses);
      for (let i = 0; i < p.nPredictions; i++) if (scores.compared[unit[p.predFrame[i]]]) counts[p.predClass[i]]++;
      return counts;
    };
    const predsA = predictionsIn(this.a, this.frameUnitA);
    const predsB = predictionsIn(this.b, this.frameUnitB);
    return {
      mAP: summariseDifferences(scores.a.mAP, scores.b.mAP, diffMAP),
      mAR: summariseDifferences(scores.a.mAR, scores.b.mAR, diffMAR),
      perClass: this.a.classes.map((cls, c) => {
        const onlyIn = predsA[c] > 0 && predsB[c] === 0 ? 'a' : predsB[c] > 0 && predsA[c] === 0 ? 'b' : undefined;
        return {
          index: c,
          name: cls.name,
          featureHash: cls.featureHash,
          AP: summariseDifferences(scores.a.AP[c], scores.b.AP[c], diffAP[c]),
          AR: summariseDifferences(scores.a.AR[c], scores.b.AR[c], diffAR[c]),
          predictionsA: predsA[c],
          predictionsB: predsB[c],
          ...(onlyIn ? { onlyIn } : {}),
        };
      }),
      bootstrap: {
        resamples,
        seed,
        unit: 'frame',
        units: units.length,
        generator: 'xoshiro128** seeded by SplitMix32',
      },
    };
  }
}
