// tidecv's AP (ap.py APDataObject.get_ap, ClassedAPDataObject.get_mAP; spec tide.md "Class AP and the base AP"):
// points stable-sorted by descending score, precision tp/(tp+fp) without epsilon made non-increasing from the
// right, read at the 101 recalls i/100 (true division; the first point whose recall reaches it), summed left to
// right as Python's sum does, / 101 * 100. mAP: the plain mean over the classes that have points or ground truth.

/**
 * Each score's dense rank (0 = highest), so that a stable sort by descending score is one numeric sort of
 * rank * 2^21 + list position.
 */
export function scoreRanks(scores: Float64Array): Int32Array {
  const sorted = scores.slice().sort();
  let n = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[n - 1]) sorted[n++] = sorted[i];
  const ranks = new Int32Array(scores.length);
  for (let d = 0; d < scores.length; d++) {
    const s = scores[d];
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] < s) lo = mid + 1;
      else hi = mid;
    }
    ranks[d] = n - 1 - lo;
  }
  return ranks;
}

const POSITION_BITS = 2 ** 21;

/** A class's AP list: ranks and TP flags in list order. */
export interface ApList {
  rank: ArrayLike<number>;
  tp: ArrayLike<number>;
  start: number;
  count: number;
}

let keys = new Float64Array(1024);
let precision = new Float64Array(1024);
let recall = new Float64Array(1024);

/** APDataObject.get_ap(): AP points of one class with nGt ground truths (0 when nGt is 0). */
export function tidecvAP(list: ApList, nGt: number): number {
  if (nGt === 0) return 0;
  const { rank, tp, start, count } = list;
  if (count > keys.length) {
    keys = new Float64Array(2 * count);
    precision = new Float64Array(2 * count);
    recall = new Float64Array(2 * count);
  }
  let order: ArrayLike<number>;
  if (count < POSITION_BITS) {
    for (let i = 0; i < count; i++) keys[i] = rank[start + i] * POSITION_BITS + i;
    const sorted = keys.subarray(0, count).sort();
    for (let i = 0; i < count; i++) sorted[i] = sorted[i] % POSITION_BITS;
    order = sorted;
  } else {
    const idx = Int32Array.from({ length: count }, (_, i) => i);
    order = idx.sort((a, b) => rank[start + a] - rank[start + b] || a - b);
  }
  let nTrue = 0;
  let nFalse = 0;
  for (let i = 0; i < count; i++) {
    if (tp[start + order[i]]) nTrue++;
    else nFalse++;
    precision[i] = nTrue / (nTrue + nFalse);
    recall[i] = nTrue / nGt;
  }
  for (let i = count - 1; i > 0; i--) if (precision[i] > precision[i - 1]) precision[i - 1] = precision[i];
  let sum = 0;
  let at = 0;
  for (let bar = 0; bar <= 100; bar++) {
    const x = bar / 100;
    while (at < count && recall[at] < x) at++;
    if (at < count) sum += precision[at];
  }
  return (sum / 101) * 100;
}

/** One rebuilt set of lists: per class (by class index) its points, and the classes in dict order. */
export interface ClassedLists {
  rank: Int32Array;
  tp: Uint8Array;
  /** CSR over class indices: the points of class c are [start[c], start[c + 1]). */
  start: Int32Array;
  gtPositives: ArrayLike<number>;
  /** Class indices in tidecv's dict order (the order of the mean). */
  order: readonly number[];
  /**
   * Classes whose list or ground-truth count may differ from the lists rebuilt with nothing fixed (undefined: all);
   * the others keep that rebuild's AP, which need not be computed again.
   */
  touched?: Uint8Array;
}

/** Per class AP (NaN where the class is empty: no points, no ground truth) and the mean over the others. */
export function tidecvMAP(lists: ClassedLists, untouched?: Float64Array): { mAP: number; perClass: Float64Array } {
  const nClasses = lists.start.length - 1;
  const perClass = new Float64Array(nClasses).fill(NaN);
  let sum = 0;
  let n = 0;
  for (const c of lists.order) {
    const count = lists.start[c + 1] - lists.start[c];
    if (count === 0 && lists.gtPositives[c] === 0) continue;
    const ap =
      untouched && lists.touched && !lists.touched[c]
        ? untouched[c]
        : tidecvAP({ rank: lists.rank, tp: lists.tp, start: lists.start[c], count }, lists.gtPositives[c]);
    perClass[c] = ap;
    sum += ap;
    n++;
  }
  return { mAP: sum / n, perClass };
}
