// COCOeval.summarize() for bbox/segm: the 12 stats, the printout in Python's exact format, and per-category AP
// the way detectron2 and mmdetection derive it (spec: coco-eval.md "summarize()", Q3, Q16).
import { numpyMean } from '../pairwise-sum.ts';
import type { Accumulated } from './accumulate.ts';
import type { CocoParams } from './params.ts';

export interface SummaryLine {
  ap: boolean;
  iouThr?: number;
  areaRng: string;
  maxDets: number;
  value: number;
}

/** Python's '{:0.<digits>f}'.format(x): the exact binary value rounded half to even. */
export function formatFixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const negative = x < 0 || Object.is(x, -0);
  const abs = Math.abs(x);
  let s: string;
  if (abs >= 1e21) {
    s = BigInt(abs).toString() + (digits > 0 ? '.' + '0'.repeat(digits) : '');
  } else {
    s = abs.toFixed(digits);
    // toFixed breaks exact ties upwards; Python rounds them to even. An exact tie has a 5 and then only zeros
    // in the exact decimal expansion (at most 100 digits are needed for the values that can tie here).
    const exact = abs.toFixed(Math.min(100, digits + 60));
    const tail = exact.slice(exact.indexOf('.') + 1 + digits);
    if (/^50*$/.test(tail)) {
      const kept = exact.slice(0, exact.indexOf('.') + 1 + digits).replace(/\.$/, '');
      const lastDigit = Number(kept[kept.length - 1]);
      s = lastDigit % 2 === 0 ? kept : s;
    }
  }
  return negative ? `-${s}` : s;
}

/** Python's '{:<n}' / '{:>n}' padding. */
const padEnd = (s: string, n: number) => s.padEnd(n);
const padStart = (s: string, n: number) => s.padStart(n);

/** One printed line: ' {:<18} {} @[ IoU={:<9} | area={:>6s} | maxDets={:>3d} ] = {:0.3f}'. */
export function formatSummaryLine(line: SummaryLine, params: CocoParams): string {
  const title = line.ap ? 'Average Precision' : 'Average Recall';
  const type = line.ap ? '(AP)' : '(AR)';
  const iou =
    line.iouThr === undefined
      ? `${formatFixed(params.iouThrs[0], 2)}:${formatFixed(params.iouThrs[params.iouThrs.length - 1], 2)}`
      : formatFixed(line.iouThr, 2);
  return (
    ` ${padEnd(title, 18)} ${type} @[ IoU=${padEnd(iou, 9)} | area=${padStart(line.areaRng, 6)} | ` +
    `maxDets=${padStart(String(line.maxDets), 3)} ] = ${formatFixed(line.value, 3)}`
  );
}

/** s[:, :, :, aind, mind] with numpy's broadcasting of the two index lists. */
function indexPairs(aind: number[], mind: number[]): [number, number][] {
  const n = aind.length === 1 ? mind.length : mind.length === 1 ? aind.length : aind.length;
  if (aind.length !== mind.length && aind.length !== 1 && mind.length !== 1) {
    throw new Error(`summarize: area label and maxDets indices cannot be broadcast (${aind.length} vs ${mind.length})`);
  }
  const pairs: [number, number][] = [];
  for (let j = 0; j < n; j++) pairs.push([aind[aind.length === 1 ? 0 : j], mind[mind.length === 1 ? 0 : j]]);
  return pairs;
}

/** _summarize(ap, iouThr, areaRng, maxDets): mean of the selected values above -1, or -1. */
function summarizeOne(
  acc: Accumulated,
  params: CocoParams,
  line: Omit<SummaryLine, 'value'>,
  buf: Float64Array,
): number {
  const { T, R, K, A, M } = acc.shape;
  const aind = params.areaRngLbl.flatMap((l, i) => (l === line.areaRng ? [i] : []));
  const mind = params.maxDets.flatMap((m, i) => (m === line.maxDets ? [i] : []));
  const tind =
    line.iouThr === undefined
      ? [...Array(T).keys()]
      : [...params.iouThrs].flatMap((v, i) => (v === line.iouThr ? [i] : []));
  const pairs = indexPairs(aind, mind);
  // Offsets of the (area, maxDets) pairs inside a (t, r, k) or (t, k) block of A*M values.
  const P = pairs.length;
  const off = new Int32Array(P);
  for (let j = 0; j < P; j++) off[j] = pairs[j][0] * M + pairs[j][1];
  const AM = A * M;
  let n = 0;
  // C order over the selection: t, then r (precision only), then k, then the (area, maxDets) pair.
  if (line.ap) {
    const precision = acc.precision;
    for (const t of tind) {
      for (let r = 0; r < R; r++) {
        const row = (t * R + r) * K * AM;
        for (let k = 0; k < K; k++) {
          const base = row + k * AM;
          for (let j = 0; j < P; j++) {
            const v = precision[base + off[j]];
            if (v > -1) buf[n++] = v;
          }
        }
      }
    }
  } else {
    const recall = acc.recall;
    for (const t of tind) {
      for (let k = 0; k < K; k++) {
        const base = (t * K + k) * AM;
        for (let j = 0; j < P; j++) {
          const v = recall[base + off[j]];
          if (v > -1) buf[n++] = v;
        }
      }
    }
  }
  return n === 0 ? -1 : numpyMean(buf, n);
}

/** The 12 detection lines of _summarizeDets. Stat 0 asks for the literal maxDets 100 (Q3). */
export function summaryLines(params: CocoParams): Omit<SummaryLine, 'value'>[] {
  if (params.maxDets.length < 3) {
    throw new Error(
      `summarize needs 3 maxDets values (pycocotools reads maxDets[2]); got [${params.maxDets.join(', ')}]`,
    );
  }
  const [m0, m1, m2] = params.maxDets;
  return [
    { ap: true, areaRng: 'all', maxDets: 100 },
    { ap: true, iouThr: 0.5, areaRng: 'all', maxDets: m2 },
    { ap: true, iouThr: 0.75, areaRng: 'all', maxDets: m2 },
    { ap: true, areaRng: 'small', maxDets: m2 },
    { ap: true, areaRng: 'medium', maxDets: m2 },
    { ap: true, areaRng: 'large', maxDets: m2 },
    { ap: false, areaRng: 'all', maxDets: m0 },
    { ap: false, areaRng: 'all', maxDets: m1 },
    { ap: false, areaRng: 'all', maxDets: m2 },
    { ap: false, areaRng: 'small', maxDets: m2 },
    { ap: false, areaRng: 'medium', maxDets: m2 },
    { ap: false, areaRng: 'large', maxDets: m2 },
  ];
}

export function summarize(acc: Accumulated, params: CocoParams): SummaryLine[] {
  const { T, R, K, A, M } = acc.shape;
  // A selection holds at most T*R*K values per (area, maxDets) pair, and there are at most max(A, M) pairs.
  const buf = new Float64Array(T * R * K * Math.max(A, M));
  return summaryLines(params).map((line) => ({ ...line, value: summarizeOne(acc, params, line, buf) }));
}

/** detectron2's per-category AP: mean of precision[:, :, k, 0, -1] above -1 (t, then r), NaN when none. */
export function perCategoryAP(acc: Accumulated): Float64Array {
  const { T, R, K, A, M } = acc.shape;
  const out = new Float64Array(K);
  const buf = new Float64Array(T * R);
  for (let k = 0; k < K; k++) {
    let n = 0;
    for (let t = 0; t < T; t++) {
      for (let r = 0; r < R; r++) {
        const v = acc.precision[(((t * R + r) * K + k) * A + 0) * M + (M - 1)];
        if (v > -1) buf[n++] = v;
      }
    }
    out[k] = n === 0 ? NaN : numpyMean(buf, n);
  }
  return out;
}
