// tidecv's fixing oracle (quantify.py TIDERun.fix_errors; spec tide.md "Main errors" and "Special errors"): the AP
// lists rebuilt from the error list with one error type fixed, then every original true positive, class by class.
// The rebuilt order differs from the base lists' order among tied scores, and tidecv compares with the base AP
// anyway; that is reproduced, not corrected.
import { scoreRanks, tidecvMAP, type ClassedLists } from './ap.ts';
import type { TideData } from './input.ts';
import { CLS, LOC, MISS, type TideRun } from './match.ts';
import { OUTCOME } from './types.ts';

/** Groups pushed points by class (stable) and appends the classes never pushed, in `baseOrder`. */
class ListBuilder {
  readonly #cls: Int32Array;
  readonly #rank: Int32Array;
  readonly #tp: Uint8Array;
  #n = 0;
  readonly #seen: Uint8Array;
  readonly #order: number[] = [];

  constructor(capacity: number, nClasses: number) {
    this.#cls = new Int32Array(capacity);
    this.#rank = new Int32Array(capacity);
    this.#tp = new Uint8Array(capacity);
    this.#seen = new Uint8Array(nClasses);
  }

  push(cls: number, rank: number, tp: number) {
    this.#cls[this.#n] = cls;
    this.#rank[this.#n] = rank;
    this.#tp[this.#n] = tp;
    this.#n++;
    this.#use(cls);
  }

  #use(cls: number) {
    if (!this.#seen[cls]) {
      this.#seen[cls] = 1;
      this.#order.push(cls);
    }
  }

  build(gtPositives: ArrayLike<number>, baseOrder: readonly number[]): ClassedLists {
    for (const c of baseOrder) this.#use(c);
    const nClasses = this.#seen.length;
    const start = new Int32Array(nClasses + 1);
    for (let i = 0; i < this.#n; i++) start[this.#cls[i] + 1]++;
    for (let c = 0; c < nClasses; c++) start[c + 1] += start[c];
    const fill = start.slice(0, nClasses);
    const rank = new Int32Array(this.#n);
    const tp = new Uint8Array(this.#n);
    for (let i = 0; i < this.#n; i++) {
      const at = fill[this.#cls[i]]++;
      rank[at] = this.#rank[i];
      tp[at] = this.#tp[i];
    }
    return { rank, tp, start, gtPositives, order: this.#order };
  }
}

export type Fix = { kind: 'none' } | { kind: 'type'; code: number } | { kind: 'falsePos' } | { kind: 'falseNeg' };

export class Oracle {
  readonly #data: TideData;
  readonly #run: TideRun;
  /** Dense rank of each detection's score (0 = highest). */
  readonly #detRank: Int32Array;
  /** The base lists (what the run pushed): the base AP. */
  readonly base: ClassedLists;
  readonly #falseNegatives: Int32Array;

  constructor(data: TideData, run: TideRun) {
    this.#data = data;
    this.#run = run;
    this.#detRank = scoreRanks(data.dtScore);
    const nClasses = data.classIds.length;
    const builder = new ListBuilder(run.nPoints, nClasses);
    for (let i = 0; i < run.nPoints; i++)
      builder.push(run.pointClass[i], this.#detRank[run.pointDet[i]], run.pointTP[i]);
    this.base = builder.build(run.gtPositives, run.classOrder);
    this.#falseNegatives = new Int32Array(nClasses);
    const fn = run.groundTruth.falseNegative;
    for (let g = 0; g < fn.length; g++) if (fn[g]) this.#falseNegatives[data.gtClass[g]]++;
  }

  /** fix_errors(): the lists rebuilt with `fix` applied. */
  rebuild(fix: Fix): ClassedLists {
    const run = this.#run;
    const data = this.#data;
    const nClasses = data.classIds.length;
    const gtPositives = Int32Array.from(run.gtPositives);
    const builder = new ListBuilder(run.nPoints + run.nErrors, nClasses);
    const fixing = fix.kind === 'type' ? fix.code : 0;
    // FalsePos' transform: every true positive scored 1, every false positive 0.
    const rankOf = fix.kind === 'falsePos' ? (_det: number, tp: number) => (tp ? 0 : 1) : undefined;
    const outcome = run.detections.outcome;
    // The classes the fix changes; the rest equal the lists rebuilt with nothing fixed.
    const touched = fix.kind === 'falsePos' ? undefined : new Uint8Array(nClasses);
    for (let e = 0; e < run.nErrors; e++) {
      const type = run.errType[e];
      const det = run.errDet[e];
      if (type === fixing) {
        if (type === MISS) {
          gtPositives[data.gtClass[run.errGt[e]]]--;
          touched![data.gtClass[run.errGt[e]]] = 1;
        } else {
          if (det >= 0) touched![data.dtClass[det]] = 1;
          if (run.errFixer[e] && (type === CLS || type === LOC)) {
            const cls = type === CLS ? data.gtClass[run.errGt[e]] : data.dtClass[det];
            builder.push(cls, this.#detRank[det], 1);
            touched![cls] = 1;
          }
        }
      } else if (det >= 0 && outcome[det] !== OUTCOME.ignored) {
        builder.push(data.dtClass[det], rankOf ? rankOf(det, 0) : this.#detRank[det], 0);
      }
    }
    const base = this.base;
    for (const c of run.classOrder) {
      for (let i = base.start[c]; i < base.start[c + 1]; i++) {
        if (base.tp[i]) builder.push(c, rankOf ? 0 : base.rank[i], 1);
      }
    }
    if (fix.kind === 'falseNeg') {
      for (let c = 0; c < nClasses; c++) {
        gtPositives[c] -= this.#falseNegatives[c];
        if (this.#falseNegatives[c]) touched![c] = 1;
      }
    }
    return { ...builder.build(gtPositives, run.classOrder), touched };
  }

  /** mAP and per-class AP; `nothingFixed` (the per-class AP of rebuild({ kind: 'none' })) spares untouched classes. */
  map(lists: ClassedLists, nothingFixed?: Float64Array) {
    return tidecvMAP(lists, nothingFixed);
  }
}
