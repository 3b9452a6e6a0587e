// The paired bootstrap every comparison uses, defined once:
//
//   Resample the N evaluated units (images, or frames) with replacement: N draws from N, each draw
//   index = floor(u * N / 2^32) for the next 32-bit output u of xoshiro128** (Blackman & Vigna) whose state is
//   four outputs of SplitMix32 (the Weyl step 0x9e3779b9 and murmur3's fmix32) started at the seed. A resample is
//   the count of draws of each unit: a unit drawn twice counts twice. For each resample the statistic of run A and
//   of run B is computed on the same resample, and their difference B - A is kept. The 95% interval is the 2.5th
//   and 97.5th percentile of the differences (numpy's default 'linear' percentile, percentile.ts); P(B > A) is the
//   share of resamples whose difference is > 0. Defaults: 1,000 resamples, seed 1.
//
// Matching happens once per run; a resample only re-accumulates (coco-weighted.ts, active-weighted.ts).
import { percentile } from './percentile.ts';

export const DEFAULT_RESAMPLES = 1000;
export const DEFAULT_SEED = 1;

/** What the bootstrap was run with, for every place that shows an interval. */
export interface BootstrapInfo {
  resamples: number;
  seed: number;
  /** The resampled units and how many of them there were (N draws from N). */
  unit: 'image' | 'frame';
  units: number;
  generator: 'xoshiro128** seeded by SplitMix32';
}

/** An estimated difference B - A with its paired-bootstrap 95% interval and P(B > A). */
export interface Difference {
  a: number;
  b: number;
  delta: number;
  /** [2.5th, 97.5th] percentile of the resampled differences; [NaN, NaN] when none is defined. */
  ci: [number, number];
  pBetter: number;
  /** Resamples on which the statistic was defined for both runs (a class can be absent from a resample). */
  resamples: number;
}

const rotl = (v: number, k: number) => (v << k) | (v >>> (32 - k));

/** xoshiro128**: 32-bit outputs, 128-bit state; seeded from one 32-bit integer through SplitMix32. */
export class Xoshiro128 {
  #s0: number;
  #s1: number;
  #s2: number;
  #s3: number;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`the bootstrap seed must be an integer in 0..4294967295, got ${seed}`);
    }
    let x = seed >>> 0;
    const splitmix32 = () => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.#s0 = splitmix32();
    this.#s1 = splitmix32();
    this.#s2 = splitmix32();
    this.#s3 = splitmix32();
  }

  /** The next output, an integer in 0..2^32-1. */
  nextU32(): number {
    const s1 = this.#s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.#s2 ^= this.#s0;
    this.#s3 ^= this.#s1;
    this.#s1 ^= this.#s2;
    this.#s0 ^= this.#s3;
    this.#s2 ^= t;
    this.#s3 = rotl(this.#s3, 11);
    return result;
  }

  /** A uniform index in 0..n-1: floor(u * n / 2^32). */
  nextIndex(n: number): number {
    return Math.floor((this.nextU32() * n) / 4294967296);
  }
}

/** Draws resamples one at a time: N draws from N units, as counts per unit. */
export class Resampler {
  readonly units: number;
  readonly #rng: Xoshiro128;

  constructor(units: number, seed: number) {
    this.units = units;
    this.#rng = new Xoshiro128(seed);
  }

  /** Passes over the next n resamples (their draws), so a range of resamples can start where it belongs. */
  skip(n: number): void {
    for (let d = 0; d < n * this.units; d++) this.#rng.nextU32();
  }

  /** Fills counts[i] (length units) with how often unit i was drawn in the next resample; they sum to units. */
  next(counts: Int32Array): Int32Array {
    counts.fill(0);
    for (let d = 0; d < this.units; d++) counts[this.#rng.nextIndex(this.units)]++;
    return counts;
  }
}

/** Throws unless `resamples` is a positive integer. */
export function checkResamples(resamples: number): void {
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new RangeError(`the number of resamples must be a positive integer, got ${resamples}`);
  }
}

/**
 * Calls `each(resample, counts)` for every resample: counts[i] is how often unit i was drawn (they sum to n). The
 * same `counts` array is reused; copy it to keep it.
 */
export function forEachResample(
  n: number,
  resamples: number,
  seed: number,
  each: (resample: number, counts: Int32Array) => void,
): void {
  checkResamples(resamples);
  const resampler = new Resampler(n, seed);
  const counts = new Int32Array(n);
  for (let b = 0; b < resamples; b++) each(b, resampler.next(counts));
}

/**
 * Summarises the differences of one statistic. `diffs` holds one B - A per resample, NaN where the statistic was
 * undefined for a run on that resample (those are left out of the interval and of P(B > A)).
 */
export function summariseDifferences(a: number, b: number, diffs: Float64Array): Difference {
  let n = 0;
  let better = 0;
  const kept = new Float64Array(diffs.length);
  for (let i = 0; i < diffs.length; i++) {
    const d = diffs[i];
    if (Number.isNaN(d)) continue;
    kept[n++] = d;
    if (d > 0) better++;
  }
  const values = kept.subarray(0, n);
  return {
    a,
    b,
    delta: b - a,
    ci: n === 0 ? [NaN, NaN] : [percentile(values, 2.5), percentile(values, 97.5)],
    pBetter: n === 0 ? NaN : better / n,
    resamples: n,
  };
}
