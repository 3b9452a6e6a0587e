// tidecv's TIDERun pass over the images (spec tide.md "Per image"): per image, the detections by descending score
// (stable) cut to 100 over all classes, greedy matching to the best unmatched label of the class (first on ties,
// IoU >= 0.5), crowd regions of the class ignoring what they cover (> 0.5, strict), then the error type of every
// detection that is not a true positive (ignored ones included) and the Miss errors. The AP points, the GT
// counts, the errors and every detection's and label's outcome, in tidecv's orders.
import type { TideData } from './input.ts';
import { OUTCOME, type TideDetections, type TideGroundTruth } from './types.ts';

/** Error codes as in types.ts: errorCode(MAIN_ERRORS[i]) = i + 1. */
export const CLS = 1;
export const LOC = 2;
export const BOTH = 3;
export const DUPE = 4;
export const BKG = 5;
export const MISS = 6;

/** pred['used']: False, True, None (ignored by a crowd region). */
const UNUSED = 0;
const USED = 1;
const IGNORED = 2;

export interface TideRun {
  /** The base AP lists, in push order: class, score, TP flag and detection of each point. */
  nPoints: number;
  pointClass: Int32Array;
  pointScore: Float64Array;
  pointTP: Uint8Array;
  pointDet: Int32Array;
  /** Ground-truth count per class index. */
  gtPositives: Int32Array;
  /** Class indices in the order tidecv first used them (its dict order, the order of the mean). */
  classOrder: number[];
  /** The error list in tidecv's order: type, detection (-1 for Miss), label (Cls/Loc target, Miss label; else -1). */
  nErrors: number;
  errType: Uint8Array;
  errDet: Int32Array;
  errGt: Int32Array;
  /** 1 for a Cls/Loc error whose fix appends a true positive (its target's highest-scored Cls/Loc error). */
  errFixer: Uint8Array;
  detections: TideDetections;
  groundTruth: TideGroundTruth;
}

/** Items grouped by key, each group in item order (CSR). */
function group(keys: Int32Array, nKeys: number): { start: Int32Array; items: Int32Array } {
  const start = new Int32Array(nKeys + 1);
  for (let i = 0; i < keys.length; i++) start[keys[i] + 1]++;
  for (let k = 0; k < nKeys; k++) start[k + 1] += start[k];
  const fill = start.slice(0, nKeys);
  const items = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) items[fill[keys[i]]++] = i;
  return { start, items };
}

/** numpy argmax of row d of an n-column matrix: the first maximum. */
function argmax(m: Float64Array, row: number, n: number): number {
  let best = 0;
  let v = m[row * n];
  for (let g = 1; g < n; g++) {
    if (m[row * n + g] > v) {
      v = m[row * n + g];
      best = g;
    }
  }
  return best;
}

export function runTide(data: TideData, pos: number, bg: number, maxDets: number): TideRun {
  const { gtCount, dtCount, gtImage, dtImage, gtClass, dtClass, dtScore, gtCrowd, geometry } = data;
  const nImages = data.images.length;
  const nClasses = data.classIds.length;
  const gtByImage = group(gtImage, nImages);
  const dtByImage = group(dtImage, nImages);

  const pointClass = new Int32Array(dtCount);
  const pointScore = new Float64Array(dtCount);
  const pointTP = new Uint8Array(dtCount);
  const pointDet = new Int32Array(dtCount);
  let nPoints = 0;
  const gtPositives = new Int32Array(nClasses);
  const classSeen = new Uint8Array(nClasses);
  const classOrder: number[] = [];
  const useClass = (c: number) => {
    if (!classSeen[c]) {
      classSeen[c] = 1;
      classOrder.push(c);
    }
  };

  const maxErrors = dtCount + gtCount;
  const errType = new Uint8Array(maxErrors);
  const errDet = new Int32Array(maxErrors);
  const errGt = new Int32Array(maxErrors);
  let nErrors = 0;
  const addError = (type: number, det: number, gt: number) => {
    errType[nErrors] = type;
    errDet[nErrors] = det;
    errGt[nErrors] = gt;
    nErrors++;
  };

  const det: TideDetections = {
    outcome: new Uint8Array(dtCount),
    error: new Uint8Array(dtCount),
    target: new Int32Array(dtCount).fill(-1),
    suppressor: new Int32Array(dtCount).fill(-1),
    fixer: new Uint8Array(dtCount),
    bestIou: new Float64Array(dtCount),
    otherIou: new Float64Array(dtCount),
    otherLabel: new Int32Array(dtCount).fill(-1),
  };
  const gtOut: TideGroundTruth = {
    crowd: gtCrowd.slice(),
    matchedBy: new Int32Array(gtCount).fill(-1),
    falseNegative: new Uint8Array(gtCount),
    miss: new Uint8Array(gtCount),
    bestIou: new Float64Array(gtCount),
    bestSameClassIou: new Float64Array(gtCount),
    overlapBy: new Int32Array(gtCount).fill(-1),
  };
  /** Per label: a Cls/Loc error targets it while it is unmatched ('usable'), and the best such error so far. */
  const usable = new Uint8Array(gtCount);
  const bestScore = new Float64Array(gtCount).fill(-1);
  const bestError = new Int32Array(gtCount).fill(-1);

  let dets = new Int32Array(maxDets);
  let gts = new Int32Array(16);
  let crowds = new Int32Array(16);
  let used = new Uint8Array(maxDets);
  let gtUsed = new Uint8Array(16);
  let sorted = new Int32Array(256);
  let clsIou = new Float64Array(1024);
  let buffer = new Float64Array(1024);
  const one = new Int32Array(1);

  for (let im = 0; im < nImages; im++) {
    // Ground truth of the image in file order: objects and crowd regions apart.
    let ng = 0;
    let nc = 0;
    const g0 = gtByImage.start[im];
    const g1 = gtByImage.start[im + 1];
    if (g1 - g0 > gts.length) {
      gts = new Int32Array(2 * (g1 - g0));
      crowds = new Int32Array(2 * (g1 - g0));
      gtUsed = new Uint8Array(2 * (g1 - g0));
    }
    for (let k = g0; k < g1; k++) {
      const g = gtByImage.items[k];
      if (gtCrowd[g]) crowds[nc++] = g;
      else gts[ng++] = g;
    }
    for (let j = 0; j < ng; j++) {
      useClass(gtClass[gts[j]]);
      gtPositives[gtClass[gts[j]]]++;
    }

    const d0 = dtByImage.start[im];
    const d1 = dtByImage.start[im + 1];
    if (d1 === d0) {
      for (let j = 0; j < ng; j++) {
        gtOut.falseNegative[gts[j]] = 1;
        gtOut.miss[gts[j]] = 1;
        addError(MISS, -1, gts[j]);
      }
      continue;
    }
    // Descending score, stable (ties keep file order), then the first maxDets over all classes.
    if (d1 - d0 > sorted.length) sorted = new Int32Array(2 * (d1 - d0));
    const nAll = sortByScore(dtByImage.items, d0, d1, dtScore, sorted);
    const nd = Math.min(maxDets, nAll);
    if (nd > dets.length) {
      dets = new Int32Array(nd);
      used = new Uint8Array(nd);
    }
    dets.set(sorted.subarray(0, nd));
    used.fill(UNUSED, 0, nd);
    gtUsed.fill(0, 0, ng);

    const iou = geometry.iou(dets, nd, gts, ng, false);
    // gt_cls_iou: IoU times "same class" (numpy's bool product, so a -1 of mismatched mask sizes stays -1 or -0).
    if (nd * ng > clsIou.length) {
      clsIou = new Float64Array(2 * nd * ng);
      buffer = new Float64Array(2 * nd * ng);
    }
    for (let d = 0; d < nd; d++) {
      const c = dtClass[dets[d]];
      for (let g = 0; g < ng; g++) clsIou[d * ng + g] = iou[d * ng + g] * (gtClass[gts[g]] === c ? 1 : 0);
    }
    if (ng > 0) {
      buffer.set(clsIou.subarray(0, nd * ng));
      for (let d = 0; d < nd; d++) {
        const g = argmax(buffer, d, ng);
        if (buffer[d * ng + g] >= pos) {
          used[d] = USED;
          gtUsed[g] = 1;
          det.target[dets[d]] = gts[g];
          gtOut.matchedBy[gts[g]] = dets[d];
          for (let r = 0; r < nd; r++) buffer[r * ng + g] = 0;
        }
      }
    }
    // Crowd regions: an unmatched detection of the region's class that lies > pos inside it is ignored.
    for (let j = 0; j < nc; j++) {
      const region = crowds[j];
      one[0] = region;
      const overlap = geometry.iou(dets, nd, one, 1, true);
      for (let d = 0; d < nd; d++) {
        if (used[d] !== USED && overlap[d] > pos && gtClass[region] === dtClass[dets[d]]) used[d] = IGNORED;
      }
    }

    for (let d = 0; d < nd; d++) {
      const dt = dets[d];
      const c = dtClass[dt];
      det.outcome[dt] =
        used[d] === USED ? OUTCOME.truePositive : used[d] === IGNORED ? OUTCOME.ignored : OUTCOME.falsePositive;
      if (used[d] !== IGNORED) {
        useClass(c);
        pointClass[nPoints] = c;
        pointScore[nPoints] = dtScore[dt];
        pointTP[nPoints] = used[d] === USED ? 1 : 0;
        pointDet[nPoints] = dt;
        nPoints++;
      }
      // What the galleries and cards show beside the type: best IoU with its class and with the others.
      for (let g = 0; g < ng; g++) {
        const v = iou[d * ng + g];
        const gt = gts[g];
        if (v > gtOut.bestIou[gt]) gtOut.bestIou[gt] = v;
        if (gtClass[gt] === c) {
          if (v > det.bestIou[dt]) det.bestIou[dt] = v;
          if (v > gtOut.bestSameClassIou[gt]) gtOut.bestSameClassIou[gt] = v;
          if (v >= bg && gtOut.overlapBy[gt] < 0) gtOut.overlapBy[gt] = dt;
        } else if (v > det.otherIou[dt]) {
          det.otherIou[dt] = v;
          det.otherLabel[dt] = gt;
        }
      }
      if (used[d] === USED) continue;

      let type: number;
      let local = -1;
      if (ng === 0) type = BKG;
      else {
        // tidecv's tests in order, each on numpy's argmax (first maximum) of one masked IoU row.
        const loc = argmax(clsIou, d, ng);
        let cls = 0;
        let otherIou = -Infinity;
        let dupe = 0;
        let dupeIou = -Infinity;
        let anyIou = -Infinity;
        for (let g = 0; g < ng; g++) {
          const v = iou[d * ng + g];
          const same = gtClass[gts[g]] === c ? 1 : 0;
          const other = v * (1 - same);
          if (other > otherIou) {
            otherIou = other;
            cls = g;
          }
          const usedSame = gtUsed[g] * v * same;
          if (usedSame > dupeIou) {
            dupeIou = usedSame;
            dupe = g;
          }
          if (v > anyIou) anyIou = v;
        }
        const locIou = clsIou[d * ng + loc];
        if (bg <= locIou && locIou <= pos) {
          type = LOC;
          local = loc;
        } else if (otherIou >= pos) {
          type = CLS;
          local = cls;
        } else if (dupeIou >= pos) {
          type = DUPE;
          det.suppressor[dt] = gtOut.matchedBy[gts[dupe]];
        } else if (anyIou <= bg) type = BKG;
        else type = BOTH;
      }
      det.error[dt] = type;
      const target = local >= 0 ? gts[local] : -1;
      if (target >= 0) {
        det.target[dt] = target;
        // BestGTMatch: only an unmatched target can be recovered; its most confident error (first on ties) fixes it.
        if (!gtUsed[local]) {
          usable[target] = 1;
          if (bestScore[target] < dtScore[dt]) {
            bestScore[target] = dtScore[dt];
            bestError[target] = nErrors;
          }
        }
      }
      addError(type, dt, target);
    }
    for (let j = 0; j < ng; j++) {
      const g = gts[j];
      if (gtUsed[j]) continue;
      gtOut.falseNegative[g] = 1;
      if (!usable[g]) {
        gtOut.miss[g] = 1;
        addError(MISS, -1, g);
      }
    }
  }

  const errFixer = new Uint8Array(nErrors);
  for (let g = 0; g < gtCount; g++) {
    const e = bestError[g];
    if (e >= 0) {
      errFixer[e] = 1;
      det.fixer[errDet[e]] = 1;
    }
  }
  return {
    nPoints,
    pointClass,
    pointScore,
    pointTP,
    pointDet,
    gtPositives,
    classOrder,
    nErrors,
    errType: errType.slice(0, nErrors),
    errDet: errDet.slice(0, nErrors),
    errGt: errGt.slice(0, nErrors),
    errFixer,
    detections: det,
    groundTruth: gtOut,
  };
}

/**
 * items[from..to) into out, stable by descending score (Python's list.sort(key=-score)); insertion sort for the
 * few detections of an image, the engine's stable sort beyond that. Returns the count.
 */
function sortByScore(items: Int32Array, from: number, to: number, score: Float64Array, out: Int32Array): number {
  const n = to - from;
  if (n > 48) {
    const part = items.slice(from, to).sort((a, b) => score[b] - score[a] || a - b);
    out.set(part);
    return n;
  }
  for (let i = 0; i < n; i++) {
    const item = items[from + i];
    const s = score[item];
    let j = i - 1;
    // Items come in file order, so an equal score never moves an item before an earlier one.
    while (j >= 0 && score[out[j]] < s) {
      out[j + 1] = out[j];
      j--;
    }
    out[j + 1] = item;
  }
  return n;
}
