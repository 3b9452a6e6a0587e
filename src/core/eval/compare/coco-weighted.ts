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
//   walk over its true positives (the precision envelope, backwards) that also assigns the recall thresholds.
import { numpyMean } from '../pairwise-sum.ts';
import type { CocoMatchRecords } from '../coco/records.ts';
import { summaryLines } from '../coco/summarize.ts';

/** np.spacing(1) */
const EPS = 2.220446049250313e-16;
/** Below this, products of two counts are exact doubles, so fractions compare exactly by cross-multiplying. */
const EXACT_PRODUCTS = 67108864; // 2^26

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
  // scratch, reused by every call
  readonly #npigW: Float64Array;
  readonly #prefix: Int32Array;
  readonly #evTP: Int32Array;
  readonly #evN: Int32Array;
  /** Per precision pair: [t][r][k] of the precision, over the categories with GT only (precision[t, r, k]). */
  readonly #apBuf: Float64Array[];
  /** Per precision pair: [k * T + t] the final weighted true-positive count (the recall numerator). */
  readonly #finalTP: Float64Array[];
  /** The per-class pair's precision class after class: [v][t][r]. */
  readonly #classBuf: Float64Array;
  readonly #arBuf: Float64Array;
  readonly #counts: Float64Array;
  readonly #valid: Int32Array;
  readonly #kept: Int32Array[];

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
    this.#npigW = new Float64Array(K * records.A);
    this.#prefix = new Int32Array(longest + 1);
    this.#evTP = new Int32Array(longest);
    this.#evN = new Int32Array(longest);
    this.#apBuf = this.#precision.map(() => new Float64Array(T * R * K));
    this.#finalTP = this.#precision.map(() => new Float64Array(K * T));
    this.#classBuf = new Float64Array(K * T * R);
    this.#arBuf = new Float64Array(T * K);
    this.#counts = new Float64Array(K * T);
    this.#valid = new Int32Array(K);
    this.#kept = this.#precision.map(() => new Int32Array(0));
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
    const result = out ?? { stats: new Float64Array(12), perClass: new Float64Array(this.K) };
    const { K, A, npigStart, npigImage, npigCount } = this.#r;
    const T = this.#T;
    const R = this.#R;
    const TR = T * R;
    const npigW = this.#npigW;
    for (let ka = 0; ka < K * A; ka++) {
      let s = 0;
      for (let e = npigStart[ka]; e < npigStart[ka + 1]; e++) s += weights[npigImage[e]] * npigCount[e];
      npigW[ka] = s;
    }

    // Precision [t][r][k] over the categories with GT, and the final TP counts, per precision pair. The per-class
    // pair is accumulated class after class (for per-class AP), then laid out as [t][r][k] for the stats.
    for (let p = 0; p < this.#precision.length; p++) {
      const pair = this.#precision[p];
      const buf = this.#apBuf[p];
      const valid = this.#valid;
      let kv = 0;
      for (let k = 0; k < K; k++) if (npigW[k * A + pair.a] > 0) valid[kv++] = k;
      const classMajor = p === this.#classPair;
      const out = classMajor ? this.#classBuf : buf;
      for (let v = 0; v < kv; v++) {
        const k = valid[v];
        this.#accumulateCategory(pair, k, npigW[k * A + pair.a], weights, out, v, kv, classMajor, this.#finalTP[p]);
      }
      if (classMajor) {
        const cls = this.#classBuf;
        for (let v = 0; v < kv; v++) for (let tr = 0, from = v * TR; tr < TR; tr++) buf[tr * kv + v] = cls[from + tr];
      }
      this.#kept[p] = valid.slice(0, kv);
    }

    for (let s = 0; s < this.#lines.length; s++) {
      const line = this.#lines[s];
      if (line.pair < 0) result.stats[s] = -1;
      else if (line.ap) {
        const kv = this.#kept[line.pair].length;
        const buf = this.#apBuf[line.pair];
        if (kv === 0) result.stats[s] = -1;
        else if (line.t < 0) result.stats[s] = numpyMean(buf, TR * kv);
        else result.stats[s] = numpyMean(buf.subarray(line.t * R * kv, (line.t + 1) * R * kv));
      } else result.stats[s] = this.#recallStat(this.#recall[line.pair], line.t, weights);
    }

    // Per-class AP: mean over (t, r) of the class's precision at area all, last maxDets.
    result.perClass.fill(NaN);
    const valid = this.#kept[this.#classPair];
    for (let v = 0; v < valid.length; v++) {
      result.perClass[valid[v]] = numpyMean(this.#classBuf.subarray(v * TR, (v + 1) * TR));
    }
    return result;
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
   * One category's precision at the R recall thresholds for every IoU threshold, and its final true-positive
   * counts (finalTP[k*T + t]). With `classMajor` values go to out[(v*T + t)*R + r], else to out[(t*R + r)*kv + v].
   */
  #accumulateCategory(
    pair: PrecisionPair,
    k: number,
    npig: number,
    weights: ArrayLike<number>,
    out: Float64Array,
    v: number,
    kv: number,
    classMajor: boolean,
    finalTP: Float64Array,
  ) {
    const T = this.#T;
    const R = this.#R;
    const { image, rep, tpStart, tpPos, igStart, igPos } = pair;
    const from = pair.start[k];
    const n = pair.start[k + 1] - from;
    // prefix[j] = the weight of the category's first j kept detections: detection j weighs prefix[j+1] - prefix[j].
    const prefix = this.#prefix;
    let sum = 0;
    for (let j = 0; j < n; j++) {
      sum += weights[image[from + j]];
      prefix[j + 1] = sum;
    }
    const exact = sum < EXACT_PRODUCTS;
    const cut = this.#cutoffs(npig);
    const evTP = this.#evTP;
    const evN = this.#evN;
    const stride = classMajor ? 1 : kv;
    for (let t = 0; t < T; t++) {
      const kt = k * T + t;
      const off = classMajor ? (v * T + t) * R : t * R * kv + v;
      const same = rep[kt];
      if (same !== t) {
        finalTP[kt] = finalTP[k * T + same];
        const src = classMajor ? (v * T + same) * R : same * R * kv + v;
        for (let r = 0; r < R; r++) out[off + stride * r] = out[src + stride * r];
        continue;
      }
      // Forwards: after each run of true positives, the TP count and the count of detections not ignored so far. A
      // run of weight 0 repeats the previous count; it is never the envelope's maximum nor a threshold's slot.
      let nEv = 0;
      let tp = 0;
      let ignored = 0;
      let q = igStart[kt];
      const qEnd = igStart[kt + 1];
      for (let x = tpStart[kt], end = tpStart[kt + 1]; x < end; x += 2) {
        const first = tpPos[x];
        const last = tpPos[x + 1];
        while (q < qEnd && igPos[q] < first) {
          ignored += prefix[igPos[q] + 1] - prefix[igPos[q]];
          q++;
        }
        const ignoredBefore = ignored;
        while (q < qEnd && igPos[q] <= last) {
          ignored += prefix[igPos[q] + 1] - prefix[igPos[q]];
          q++;
        }
        tp += prefix[last + 1] - prefix[first] - (ignored - ignoredBefore);
        evTP[nEv] = tp;
        evN[nEv++] = prefix[last + 1] - ignored;
      }
      finalTP[kt] = tp;
      // Backwards: the envelope (the largest tp / (n + eps) so far) goes to every recall threshold whose cut-off
      // count this true positive is the first to reach.
      let r = R - 1;
      while (r >= 0 && cut[r] > tp) out[off + stride * r--] = 0;
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
              value = bestTP / (bestN + EPS);
              stale = false;
            }
            do out[off + stride * r--] = value;
            while (r >= 0 && cut[r] > below);
            if (r < 0) break;
          }
          if (--e < 0) break;
          const eTP = evTP[e];
          const eN = evN[e];
          // Equal fractions keep the larger count: 1 / (1 + eps) is below k / k = 1. Past 2^26 products are not
          // exact any more, and the divisions pycocotools does decide.
          const lhs = eTP * bestN;
          const rhs = bestTP * eN;
          const better = exact ? lhs > rhs || (lhs === rhs && eN > bestN) : eTP / (eN + EPS) > bestTP / (bestN + EPS);
          if (better) {
            bestTP = eTP;
            bestN = eN;
            stale = true;
          }
        }
      }
      // No true positive at all: the first threshold (recall 0) stays 0 too.
      while (r >= 0) out[off + stride * r--] = 0;
    }
  }

  /** AR: mean over (t, k) of recall = final weighted TP / weighted npig, over the categories with GT. */
  #recallStat(pair: RecallPair, tOnly: number, weights: ArrayLike<number>): number {
    const { K, A } = this.#r;
    const T = this.#T;
    const npigW = this.#npigW;
    const counts = this.#counts;
    if (pair.same >= 0) counts.set(this.#finalTP[pair.same]);
    else {
      if (pair.larger >= 0) counts.set(this.#finalTP[pair.larger]);
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
