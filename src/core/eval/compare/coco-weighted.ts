// COCOeval.accumulate() + summarize() with each image counted `weight` times, from the match records of one
// evaluation (coco/records.ts): what pycocotools gives on the image list in which image i appears weight[i] times,
// its copies side by side. Matching is per image, so a copy matches exactly like the original; only the sums change.
//
// A detection of weight w occupies w adjacent slots of the score-sorted list. Across its copies the precision only
// rises (true positives) or only falls (false positives), so the precision envelope takes the same value on every
// copy of a true positive: its value after the last copy. One step per detection therefore gives pycocotools'
// numbers exactly, with one exception: two detections of one image and category with exactly equal scores
// interleave their copies in pycocotools (a1 b1 a2 b2) and not here (a1 a2 b1 b2). Weight 1 everywhere, or 0/1 (a
// subset of images), gives exactly pycocotools' stats.
//
// What is computed once per run (the constructor) and what per resample (stats()):
// - per (area range, maxDets) the detections are kept only where they can matter: not ignored at every threshold,
//   and not after the category's last true positive (a false positive there changes no precision at a TP);
// - thresholds whose column of outcomes is the same inside a category give the same precision under any weights,
//   so each distinct column is accumulated once (IoU .50-.65 usually share one);
// - per resample: a prefix sum of the weights along each category's detections, then, per distinct threshold, one
//   walk forwards over its runs of true positives (counts), one backwards (the precision envelope, divided and
//   compared exactly as pycocotools does), and one merge with the recall thresholds' cut-off counts;
// - statsBatch does that for four weightings in the same passes: their sums are independent, so the processor
//   overlaps them (about twice the throughput of one at a time).
import { numpyMean } from '../pairwise-sum.ts';
import type { CocoMatchRecords } from '../coco/records.ts';
import { summaryLines } from '../coco/summarize.ts';

/** np.spacing(1) */
const EPS = 2.220446049250313e-16;
/** Weightings accumulated together by statsBatch. */
export const LANES = 4;

/** What one weighting of a batch keeps between the steps of statsBatch. */
interface Lane {
  /** [k * A + a]: weighted non-ignored GT count. */
  npigW: Float64Array;
  /** Per category: its position among the categories with GT of the pair being accumulated, -1 without. */
  slot: Int32Array;
  /** Per precision pair: how many categories have GT, and each category's position (-1: none). */
  kv: Int32Array;
  kept: Int32Array[];
  /** Per precision pair: [t][r][k] of the precision, over the categories with GT only (precision[t, r, k]). */
  apBuf: Float64Array[];
  /** Per precision pair: [k * T + t] the final weighted true-positive count (the recall numerator). */
  finalTP: Float64Array[];
  /** The per-class pair's precision class after class: [v][t][r]. */
  classBuf: Float64Array;
  /** Slots 1..R: the precision each recall threshold takes, -1 where no run ended (see #accumulateCategory). */
  q: Float64Array;
}

/** The precision of one (area range, maxDets) pair, per category and threshold. */
interface PrecisionPair {
  a: number;
  maxDet: number;
  /** CSR by category over the kept detections (K + 1 values). */
  start: Int32Array;
  image: Int32Array;
  /** [k * T + t]: the first threshold with the same outcomes as t inside category k (t itself if none). */
  rep: Uint8Array;
  /**
   * CSR over k * T + t (distinct thresholds only): runs of true positives with no false positive between them, as
   * (first, last) positions inside the category. Every true positive of a run shares the envelope of its last one
   * (precision only rises along it), so a run is one step.
   */
  tpStart: Int32Array;
  tpPos: Int32Array;
  /** The same for detections ignored at that threshold (matched to a crowd or out-of-range GT). */
  igStart: Int32Array;
  igPos: Int32Array;
}

/** Recall of a (area range, maxDets) pair that has no precision pair: its own true positives, or a difference. */
interface RecallPair {
  a: number;
  /** The precision pair of the same area and maxDets, whose final counts are this pair's recall (-1: none). */
  same: number;
  /** A precision pair of the same area and larger maxDets: the entries below are subtracted from it (-1: added). */
  larger: number;
  start: Int32Array;
  image: Int32Array;
  tpMask: Uint16Array;
}

interface Line {
  ap: boolean;
  /** Precision pair (AP) or recall pair (AR); -1 when the line selects nothing (the stat is -1). */
  pair: number;
  /** A single threshold index, or -1 for all. */
  t: number;
}

export interface WeightedStats {
  /** The 12 summarize() stats. */
  stats: Float64Array;
  /** Per category (records order): AP as detectron2 derives it (area all, last maxDets), NaN without GT. */
  perClass: Float64Array;
}

/** Re-accumulates one run's COCO evaluation under image weights. Build once per run; call stats() per resample. */
export class CocoWeighted {
  readonly K: number;
  readonly I: number;
  readonly #r: CocoMatchRecords;
  readonly #T: number;
  readonly #R: number;
  readonly #recThrs: Float64Array;
  readonly #precision: PrecisionPair[] = [];
  readonly #recall: RecallPair[] = [];
  readonly #lines: Line[];
  /** The precision pair of per-class AP (area "all", last maxDets). */
  readonly #classPair: number;
  readonly #cutCache = new Map<number, Int32Array>();
  readonly #reachedCache = new Map<number, Int32Array>();
  // scratch, reused by every call
  readonly #lanes: Lane[];
  /** [image * LANES + lane]: each lane's weights side by side. */
  readonly #weights4: Int32Array;
  /** [j * LANES + lane], likewise for the prefix sums and the true-positive runs' counts and envelope. */
  readonly #prefix: Int32Array;
  readonly #evTP: Int32Array;
  readonly #evN: Int32Array;
  readonly #arBuf: Float64Array;
  readonly #counts: Float64Array;

  constructor(records: CocoMatchRecords) {
    this.#r = records;
    const { K, I, T, params } = records;
    this.K = K;
    this.I = I;
    this.#T = T;
    this.#R = params.recThrs.length;
    this.#recThrs = params.recThrs;
    if (T > 16) throw new RangeError(`at most 16 IoU thresholds can be re-accumulated, got ${T}`);
    for (let r = 1; r < this.#R; r++) {
      if (!(this.#recThrs[r] >= this.#recThrs[r - 1]))
        throw new RangeError('recThrs must be ascending to re-accumulate');
    }
    const M = params.maxDets.length;
    const allArea = Math.max(0, params.areaRngLbl.indexOf('all'));

    const lines = summaryLines(params);
    const precisionKey = new Map<string, number>();
    const precisionPairOf = (a: number, m: number) => {
      const key = `${a}|${m}`;
      let at = precisionKey.get(key);
      if (at === undefined) {
        at = this.#precision.length;
        precisionKey.set(key, at);
        this.#precision.push(this.#buildPrecision(a, params.maxDets[m]));
      }
      return at;
    };
    const selected = (line: { areaRng: string; maxDets: number }) => ({
      a: params.areaRngLbl.indexOf(line.areaRng),
      m: params.maxDets.indexOf(line.maxDets),
    });
    // Precision pairs first: recall pairs reuse their counts.
    for (const line of lines) {
      const { a, m } = selected(line);
      if (line.ap && a >= 0 && m >= 0) precisionPairOf(a, m);
    }
    this.#classPair = precisionPairOf(allArea, M - 1);
    const recallKey = new Map<string, number>();
    this.#lines = lines.map((line): Line => {
      const { a, m } = selected(line);
      const t = line.iouThr === undefined ? -1 : params.iouThrs.indexOf(line.iouThr);
      if (a < 0 || m < 0 || (line.iouThr !== undefined && t < 0)) return { ap: line.ap, pair: -1, t };
      if (line.ap) return { ap: true, pair: precisionPairOf(a, m), t };
      const key = `${a}|${m}`;
      let at = recallKey.get(key);
      if (at === undefined) {
        at = this.#recall.length;
        recallKey.set(key, at);
        this.#recall.push(this.#buildRecall(a, params.maxDets[m]));
      }
      return { ap: false, pair: at, t };
    });

    let longest = 1;
    for (const p of this.#precision) {
      for (let k = 0; k < K; k++) longest = Math.max(longest, p.start[k + 1] - p.start[k]);
    }
    const R = this.#R;
    const P = this.#precision.length;
    this.#lanes = Array.from({ length: LANES }, () => ({
      npigW: new Float64Array(K * records.A),
      slot: new Int32Array(K),
      kv: new Int32Array(P),
      kept: this.#precision.map(() => new Int32Array(K).fill(-1)),
      apBuf: this.#precision.map(() => new Float64Array(T * R * K)),
      finalTP: this.#precision.map(() => new Float64Array(K * T)),
      classBuf: new Float64Array(K * T * R),
      q: new Float64Array(R + 1),
    }));
    this.#weights4 = new Int32Array(I * LANES);
    this.#prefix = new Int32Array((longest + 1) * LANES);
    this.#evTP = new Int32Array(longest * LANES);
    this.#evN = new Int32Array(longest * LANES);
    this.#arBuf = new Float64Array(T * K);
    this.#counts = new Float64Array(K * T);
  }

  /** Outcome masks of entry j in area a: bit t set in `tp` for a true positive, in `ig` when ignored. */
  #masks(j: number, a: number): [tp: number, ig: number] {
    const { T, dtFlags } = this.#r;
    const n = this.#r.dtResult.length;
    let tp = 0;
    let ig = 0;
    for (let t = 0; t < T; t++) {
      const f = dtFlags[(a * T + t) * n + j];
      if (f === 1) tp |= 1 << t;
      else if (f !== 0) ig |= 1 << t;
    }
    return [tp, ig];
  }

  #buildPrecision(a: number, maxDet: number): PrecisionPair {
    const { K, T, dtCatStart, dtRank, dtImage } = this.#r;
    const allIgnored = (1 << T) - 1;
    const start = new Int32Array(K + 1);
    const image: number[] = [];
    const rep = new Uint8Array(K * T);
    const tpStart = new Int32Array(K * T + 1);
    const igStart = new Int32Array(K * T + 1);
    const tpPos: number[] = [];
    const igPos: number[] = [];
    for (let k = 0; k < K; k++) {
      const tpMask: number[] = [];
      const igMask: number[] = [];
      let lastTP = 0; // one past the last entry with a true positive
      for (let j = dtCatStart[k]; j < dtCatStart[k + 1]; j++) {
        if (dtRank[j] >= maxDet) continue;
        const [tp, ig] = this.#masks(j, a);
        if (ig === allIgnored) continue;
        tpMask.push(tp);
        igMask.push(ig);
        image.push(dtImage[j]);
        if (tp) lastTP = tpMask.length;
      }
      image.length = start[k] + lastTP;
      start[k + 1] = image.length;
      const n = lastTP;
      for (let t = 0; t < T; t++) {
        const kt = k * T + t;
        let same = t;
        for (let u = 0; u < t && same === t; u++) {
          if (rep[k * T + u] !== u) continue;
          let equal = true;
          for (let j = 0; j < n && equal; j++) {
            equal = ((tpMask[j] ^ (tpMask[j] >> (t - u))) & (1 << u)) === 0;
            equal &&= ((igMask[j] ^ (igMask[j] >> (t - u))) & (1 << u)) === 0;
          }
          if (equal) same = u;
        }
        rep[kt] = same;
        if (same === t) {
          // Runs of true positives with no false positive between them (ignored ones may sit inside).
          let runStart = -1;
          let runEnd = -1;
          for (let j = 0; j < n; j++) {
            const isTP = (tpMask[j] >> t) & 1;
            const isIg = (igMask[j] >> t) & 1;
            if (isTP) {
              if (runStart < 0) runStart = j;
              runEnd = j;
            } else if (!isIg && runStart >= 0) {
              tpPos.push(runStart, runEnd);
              runStart = -1;
            }
            if (isIg) igPos.push(j);
          }
          if (runStart >= 0) tpPos.push(runStart, runEnd);
        }
        tpStart[kt + 1] = tpPos.length;
        igStart[kt + 1] = igPos.length;
      }
    }
    return {
      a,
      maxDet,
      start,
      image: Int32Array.from(image),
      rep,
      tpStart,
      tpPos: Int32Array.from(tpPos),
      igStart,
      igPos: Int32Array.from(igPos),
    };
  }

  #buildRecall(a: number, maxDet: number): RecallPair {
    const { K, dtCatStart, dtRank, dtImage } = this.#r;
    const same = this.#precision.findIndex((p) => p.a === a && p.maxDet === maxDet);
    // Counting from a larger maxDets of the same area costs only the entries between the two caps.
    const larger = this.#precision.findIndex((p) => p.a === a && p.maxDet > maxDet);
    const collect = (keep: (rank: number) => boolean) => {
      const start = new Int32Array(K + 1);
      const image: number[] = [];
      const tpMask: number[] = [];
      for (let k = 0; k < K; k++) {
        for (let j = dtCatStart[k]; j < dtCatStart[k + 1]; j++) {
          if (!keep(dtRank[j])) continue;
          const [tp] = this.#masks(j, a);
          if (!tp) continue;
          image.push(dtImage[j]);
          tpMask.push(tp);
        }
        start[k + 1] = image.length;
      }
      return { start, image: Int32Array.from(image), tpMask: Uint16Array.from(tpMask) };
    };
    if (same >= 0) return { a, same, larger: -1, ...collect(() => false) };
    const direct = collect((rank) => rank < maxDet);
    if (larger >= 0) {
      const cap = this.#precision[larger].maxDet;
      const between = collect((rank) => rank >= maxDet && rank < cap);
      if (between.image.length < direct.image.length) return { a, same: -1, larger, ...between };
    }
    return { a, same: -1, larger: -1, ...direct };
  }

  /** The 12 stats and per-category AP with image i counted weights[i] times (weights.length = I). */
  stats(weights: ArrayLike<number>, out?: WeightedStats): WeightedStats {
    return this.statsBatch([weights], out ? [out] : undefined)[0];
  }

  /**
   * stats() for up to LANES weightings at once: one pass over the detections serves all of them (their sums are
   * independent chains, which the processor overlaps). Answers in the order of `weightings`.
   */
  statsBatch(weightings: readonly ArrayLike<number>[], outs?: WeightedStats[]): WeightedStats[] {
    const n = weightings.length;
    if (n < 1 || n > LANES) throw new RangeError(`statsBatch takes 1 to ${LANES} weightings, got ${n}`);
    const results = Array.from(
      { length: n },
      (_, b) => outs?.[b] ?? { stats: new Float64Array(12), perClass: new Float64Array(this.K) },
    );
    const { K, A, I, npigStart, npigImage, npigCount } = this.#r;
    const T = this.#T;
    const R = this.#R;
    const TR = T * R;
    // Lanes beyond n repeat the last weighting; their answers are dropped.
    const W = this.#weights4;
    for (let b = 0; b < LANES; b++) {
      const w = weightings[Math.min(b, n - 1)];
      if (w.length !== I) throw new RangeError(`weights must have one value per image (${I}), got ${w.length}`);
      for (let i = 0; i < I; i++) W[i * LANES + b] = w[i];
      const npigW = this.#lanes[b].npigW;
      for (let ka = 0; ka < K * A; ka++) {
        let s = 0;
        for (let e = npigStart[ka]; e < npigStart[ka + 1]; e++) s += w[npigImage[e]] * npigCount[e];
        npigW[ka] = s;
      }
    }

    // Precision [t][r][k] over each lane's categories with GT, and the final TP counts, per precision pair. The
    // per-class pair is accumulated class after class (for per-class AP), then laid out as [t][r][k] for the stats.
    for (let p = 0; p < this.#precision.length; p++) {
      const pair = this.#precision[p];
      const classMajor = p === this.#classPair;
      for (const lane of this.#lanes) {
        let kv = 0;
        for (let k = 0; k < K; k++) lane.slot[k] = lane.npigW[k * A + pair.a] > 0 ? kv++ : -1;
        lane.kv[p] = kv;
      }
      for (let k = 0; k < K; k++) {
        if (this.#lanes.every((lane) => lane.slot[k] < 0)) continue;
        this.#accumulateCategory(pair, p, k, classMajor);
      }
      for (const lane of this.#lanes) {
        const kv = lane.kv[p];
        lane.kept[p].set(lane.slot);
        if (!classMajor) continue;
        const buf = lane.apBuf[p];
        const cls = lane.classBuf;
        for (let v = 0; v < kv; v++) for (let tr = 0, from = v * TR; tr < TR; tr++) buf[tr * kv + v] = cls[from + tr];
      }
    }

    for (let b = 0; b < n; b++) {
      const lane = this.#lanes[b];
      const result = results[b];
      for (let s = 0; s < this.#lines.length; s++) {
        const line = this.#lines[s];
        if (line.pair < 0) result.stats[s] = -1;
        else if (line.ap) {
          const kv = lane.kv[line.pair];
          const buf = lane.apBuf[line.pair];
          if (kv === 0) result.stats[s] = -1;
          else if (line.t < 0) result.stats[s] = numpyMean(buf, TR * kv);
          else result.stats[s] = numpyMean(buf.subarray(line.t * R * kv, (line.t + 1) * R * kv));
        } else result.stats[s] = this.#recallStat(this.#recall[line.pair], line.t, weightings[b], lane);
      }
      // Per-class AP: mean over (t, r) of the class's precision at area all, last maxDets.
      const slots = lane.kept[this.#classPair];
      for (let k = 0; k < K; k++) {
        const v = slots[k];
        result.perClass[k] = v < 0 ? NaN : numpyMean(lane.classBuf.subarray(v * TR, (v + 1) * TR));
      }
    }
    return results;
  }

  /**
   * Per category, the precision at the R recall thresholds for each IoU threshold (area all, last maxDets) under
   * `weights`: [k][t][r] (K * T * R values), NaN for a category without GT. What pycocotools keeps as
   * precision[t, :, k, 0, -1], for drawing precision-recall curves.
   */
  precisionCurves(weights: ArrayLike<number>): Float64Array {
    this.statsBatch([weights]);
    const TR = this.#T * this.#R;
    const out = new Float64Array(this.K * TR).fill(NaN);
    const lane = this.#lanes[0];
    const slots = lane.kept[this.#classPair];
    for (let k = 0; k < this.K; k++) {
      if (slots[k] >= 0) out.set(lane.classBuf.subarray(slots[k] * TR, (slots[k] + 1) * TR), k * TR);
    }
    return out;
  }

  /**
   * The smallest true-positive count whose recall reaches each threshold: min c with c / npig >= recThrs[r], with
   * the float division pycocotools does (rc = tp_sum / npig; searchsorted 'left'). Cached by npig.
   */
  #cutoffs(npig: number): Int32Array {
    let cut = this.#cutCache.get(npig);
    if (cut) return cut;
    const recThrs = this.#recThrs;
    cut = new Int32Array(recThrs.length);
    for (let r = 0; r < recThrs.length; r++) {
      const thr = recThrs[r];
      let c = Math.max(0, Math.ceil(thr * npig));
      while (c > 0 && (c - 1) / npig >= thr) c--;
      while (c / npig < thr) c++;
      cut[r] = c;
    }
    if (this.#cutCache.size > 65536) this.#cutCache.clear();
    this.#cutCache.set(npig, cut);
    return cut;
  }

  /**
   * One category's precision at the R recall thresholds for every IoU threshold, for every lane at once, and its
   * final true-positive counts. A lane's values go to classBuf[(v*T + t)*R + r] (classMajor) or to
   * apBuf[p][(t*R + r)*kv + v], v being the category's slot among that lane's categories with GT.
   */
  #accumulateCategory(pair: PrecisionPair, p: number, k: number, classMajor: boolean) {
    const T = this.#T;
    const R = this.#R;
    const { image, rep, tpStart, tpPos, igStart, igPos } = pair;
    const from = pair.start[k];
    const n = pair.start[k + 1] - from;
    const W = this.#weights4;
    // prefix[j*4 + b]: lane b's weight of the category's first j kept detections.
    const P = this.#prefix;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let j = 0; j < n; j++) {
      const w = image[from + j] * LANES;
      const at = (j + 1) * LANES;
      P[at] = s0 += W[w];
      P[at + 1] = s1 += W[w + 1];
      P[at + 2] = s2 += W[w + 2];
      P[at + 3] = s3 += W[w + 3];
    }
    const evTP = this.#evTP;
    const evN = this.#evN;
    const lanes = this.#lanes;
    for (let t = 0; t < T; t++) {
      const kt = k * T + t;
      const same = rep[kt];
      if (same !== t) {
        for (const lane of lanes) {
          const v = lane.slot[k];
          if (v < 0) continue;
          lane.finalTP[p][kt] = lane.finalTP[p][k * T + same];
          const kv = lane.kv[p];
          const out = classMajor ? lane.classBuf : lane.apBuf[p];
          const stride = classMajor ? 1 : kv;
          const off = classMajor ? (v * T + t) * R : t * R * kv + v;
          const src = classMajor ? (v * T + same) * R : same * R * kv + v;
          for (let r = 0; r < R; r++) out[off + stride * r] = out[src + stride * r];
        }
        continue;
      }
      // Forwards: after each run of true positives, the TP count and the count of detections not ignored so far. A
      // run of weight 0 repeats the previous count; it is never the envelope's maximum nor a threshold's slot.
      let nEv = 0;
      let tp0 = 0;
      let tp1 = 0;
      let tp2 = 0;
      let tp3 = 0;
      let ig0 = 0;
      let ig1 = 0;
      let ig2 = 0;
      let ig3 = 0;
      let q = igStart[kt];
      const qEnd = igStart[kt + 1];
      for (let x = tpStart[kt], end = tpStart[kt + 1]; x < end; x += 2) {
        const first = tpPos[x] * LANES;
        const last = (tpPos[x + 1] + 1) * LANES;
        while (q < qEnd && igPos[q] * LANES < first) {
          const i = igPos[q++] * LANES;
          ig0 += P[i + LANES] - P[i];
          ig1 += P[i + LANES + 1] - P[i + 1];
          ig2 += P[i + LANES + 2] - P[i + 2];
          ig3 += P[i + LANES + 3] - P[i + 3];
        }
        const before0 = ig0;
        const before1 = ig1;
        const before2 = ig2;
        const before3 = ig3;
        while (q < qEnd && igPos[q] * LANES < last) {
          const i = igPos[q++] * LANES;
          ig0 += P[i + LANES] - P[i];
          ig1 += P[i + LANES + 1] - P[i + 1];
          ig2 += P[i + LANES + 2] - P[i + 2];
          ig3 += P[i + LANES + 3] - P[i + 3];
        }
        const e = nEv++ * LANES;
        evTP[e] = tp0 += P[last] - P[first] - (ig0 - before0);
        evTP[e + 1] = tp1 += P[last + 1] - P[first + 1] - (ig1 - before1);
        evTP[e + 2] = tp2 += P[last + 2] - P[first + 2] - (ig2 - before2);
        evTP[e + 3] = tp3 += P[last + 3] - P[first + 3] - (ig3 - before3);
        evN[e] = P[last] - ig0;
        evN[e + 1] = P[last + 1] - ig1;
        evN[e + 2] = P[last + 2] - ig2;
        evN[e + 3] = P[last + 3] - ig3;
      }
      // Backwards: the envelope, the largest tp / (n + eps) at or after each run, as pycocotools divides. Recall
      // threshold r takes the envelope at the first run whose TP count reaches cut[r]. Without a branch per
      // threshold: run e writes its envelope to slot reached[tp_e] (the number of thresholds it reaches); going
      // backwards the first run reaching a slot writes last. Slots no run ends on take the next slot's value (the
      // same run), and thresholds past the last run's count stay 0.
      const q0 = lanes[0].q;
      const q1 = lanes[1].q;
      const q2 = lanes[2].q;
      const q3 = lanes[3].q;
      q0.fill(-1);
      q1.fill(-1);
      q2.fill(-1);
      q3.fill(-1);
      const c0 = this.#reachedTable(lanes[0].npigW[k * this.#r.A + pair.a]);
      const c1 = this.#reachedTable(lanes[1].npigW[k * this.#r.A + pair.a]);
      const c2 = this.#reachedTable(lanes[2].npigW[k * this.#r.A + pair.a]);
      const c3 = this.#reachedTable(lanes[3].npigW[k * this.#r.A + pair.a]);
      const m0 = c0.length - 1;
      const m1 = c1.length - 1;
      const m2 = c2.length - 1;
      const m3 = c3.length - 1;
      let b0 = 0;
      let b1 = 0;
      let b2 = 0;
      let b3 = 0;
      for (let e = (nEv - 1) * LANES; e >= 0; e -= LANES) {
        const t0 = evTP[e];
        const t1 = evTP[e + 1];
        const t2 = evTP[e + 2];
        const t3 = evTP[e + 3];
        const p0 = t0 / (evN[e] + EPS);
        const p1 = t1 / (evN[e + 1] + EPS);
        const p2 = t2 / (evN[e + 2] + EPS);
        const p3 = t3 / (evN[e + 3] + EPS);
        b0 = p0 > b0 ? p0 : b0;
        b1 = p1 > b1 ? p1 : b1;
        b2 = p2 > b2 ? p2 : b2;
        b3 = p3 > b3 ? p3 : b3;
        q0[c0[t0 < m0 ? t0 : m0]] = b0;
        q1[c1[t1 < m1 ? t1 : m1]] = b1;
        q2[c2[t2 < m2 ? t2 : m2]] = b2;
        q3[c3[t3 < m3 ? t3 : m3]] = b3;
      }
      for (let b = 0; b < LANES; b++) {
        const lane = lanes[b];
        const v = lane.slot[k];
        if (v < 0) continue;
        const lastTP = nEv > 0 ? evTP[(nEv - 1) * LANES + b] : -1;
        lane.finalTP[p][kt] = Math.max(0, lastTP);
        const kv = lane.kv[p];
        const out = classMajor ? lane.classBuf : lane.apBuf[p];
        const stride = classMajor ? 1 : kv;
        const off = classMajor ? (v * T + t) * R : t * R * kv + v;
        const reached = this.#reachedTable(lane.npigW[k * this.#r.A + pair.a]);
        const last = lastTP < 0 ? 0 : reached[Math.min(lastTP, reached.length - 1)];
        const q = lane.q;
        let r = R - 1;
        for (; r >= last; r--) out[off + stride * r] = 0;
        let value = 0;
        for (; r >= 0; r--) {
          const x = q[r + 1];
          value = x >= 0 ? x : value;
          out[off + stride * r] = value;
        }
      }
    }
  }

  /**
   * reached[c]: how many recall thresholds a TP count of c reaches (cut-offs at most c), for c in 0..npig; the
   * slot, offset by one, of the last of them. Cached by npig.
   */
  #reachedTable(npig: number): Int32Array {
    let table = this.#reachedCache.get(npig);
    if (table) return table;
    const cut = this.#cutoffs(npig);
    table = new Int32Array(Math.max(1, npig + 1));
    let r = 0;
    for (let c = 0; c < table.length; c++) {
      while (r < cut.length && cut[r] <= c) r++;
      table[c] = r;
    }
    if (this.#reachedCache.size > 65536) this.#reachedCache.clear();
    this.#reachedCache.set(npig, table);
    return table;
  }

  /** AR: mean over (t, k) of recall = final weighted TP / weighted npig, over the categories with GT. */
  #recallStat(pair: RecallPair, tOnly: number, weights: ArrayLike<number>, lane: Lane): number {
    const { K, A } = this.#r;
    const T = this.#T;
    const npigW = lane.npigW;
    const counts = this.#counts;
    if (pair.same >= 0) counts.set(lane.finalTP[pair.same]);
    else {
      if (pair.larger >= 0) counts.set(lane.finalTP[pair.larger]);
      else counts.fill(0);
      const sign = pair.larger >= 0 ? -1 : 1;
      for (let k = 0; k < K; k++) {
        for (let j = pair.start[k]; j < pair.start[k + 1]; j++) {
          const w = sign * weights[pair.image[j]];
          let tp = pair.tpMask[j];
          while (tp !== 0) {
            counts[k * T + 31 - Math.clz32(tp & -tp)] += w;
            tp &= tp - 1;
          }
        }
      }
    }
    const buf = this.#arBuf;
    let n = 0;
    for (let t = 0; t < T; t++) {
      if (tOnly >= 0 && t !== tOnly) continue;
      for (let k = 0; k < K; k++) {
        const npig = npigW[k * A + pair.a];
        if (npig > 0) buf[n++] = counts[k * T + t] / npig;
      }
    }
    return n === 0 ? -1 : numpyMean(buf, n);
  }
}
