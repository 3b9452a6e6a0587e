// "Why does my mAP differ?": one run's matches (pycocotools' COCOeval matching, area all, 100 detections) integrated
// the ways other tools integrate them, each with a one-line definition. The matching is the same for every row;
// only the integration differs, so the rows show how much of a difference between tools is the formula alone.
// Encord Active's row is its own matching and integration (core/eval/active), given by the caller.
import type { CocoEvalResult } from '../coco/index.ts';
import { ObjectTag } from '../coco/tags.ts';
import type { CocoId } from '../coco/params.ts';
import { numpyMean } from '../pairwise-sum.ts';
import { ultralyticsAP, ultralyticsCurve, vocAP, vocCurve, type MatchList } from './integrate.ts';

export { npInterp, npTrapz, ultralyticsAP, ultralyticsCurve, vocAP, vocCurve, type MatchList } from './integrate.ts';

export type DefinitionId = 'coco' | 'coco50' | 'voc' | 'voc07' | 'ultralytics50' | 'ultralytics' | 'active';

export interface ApDefinition {
  id: DefinitionId;
  name: string;
  /** One line: what the tool integrates and how. */
  definition: string;
  /** mAP, 0-1 (NaN when no class has ground truth). */
  value: number;
  /** Per category id (the classes the tool averages over). */
  perClass: Map<CocoId, number>;
}

export const DEFINITION_TEXT: Record<DefinitionId, { name: string; definition: string }> = {
  coco: {
    name: 'COCO AP@[.50:.95]',
    definition:
      'pycocotools: precision envelope read at 101 recall points (0, 0.01, ... 1), averaged over IoU 0.50-0.95 and the classes with labels.',
  },
  coco50: { name: 'COCO AP50', definition: 'pycocotools at IoU 0.50 only: the same 101-point average.' },
  voc: {
    name: 'VOC AP (all points)',
    definition:
      'Pascal VOC 2010+ (py-faster-rcnn voc_ap): area under the precision envelope, summed wherever recall changes, IoU 0.50.',
  },
  voc07: {
    name: 'VOC2007 11-point AP',
    definition:
      'VOC2007 (voc_ap with use_07_metric): the best precision at recall >= 0, 0.1, ... 1, averaged, IoU 0.50.',
  },
  ultralytics50: {
    name: 'Ultralytics mAP50',
    definition:
      'Ultralytics compute_ap: the precision envelope linearly interpolated at 101 recall points, then integrated with the trapezoid rule; classes with labels, IoU 0.50.',
  },
  ultralytics: {
    name: 'Ultralytics mAP50-95',
    definition: 'The same integration at IoU 0.50-0.95, averaged over the ten thresholds and the classes with labels.',
  },
  active: {
    name: 'Encord Active mAP',
    definition:
      'Encord Active 0.1.40: its own matching (each prediction to its best label at import), 101-point AP with epsilon terms, at one IoU.',
  },
};

export interface CocoMatchLists {
  /** IoU thresholds (params.iouThrs). */
  iouThrs: Float64Array;
  categoryIds: CocoId[];
  /** [t][k]: category k's list at threshold t, in accumulate's order (descending score, then image, then file). */
  lists: MatchList[][];
  /** Their scores, in the same order. */
  scores: Float64Array[][];
}

/**
 * The match lists COCOeval integrates, per IoU threshold and category: the detections it counts (TP or FP; crowd
 * matches and detections beyond 100 per image and category left out) in accumulate's order, and the labels that
 * count (not crowd). From the evaluation's per-object tags at area "all" and the largest maxDets.
 */
export function cocoMatchLists(result: CocoEvalResult): CocoMatchLists {
  const { params, results, gt } = result;
  const K = params.useCats ? params.catIds.length : 1;
  const catIndex = new Map<CocoId, number>();
  params.catIds.forEach((id, k) => catIndex.set(id, k));
  const imgIndex = new Map<CocoId, number>();
  params.imgIds.forEach((id, i) => imgIndex.set(id, i));
  const kOf = (id: CocoId) => (params.useCats ? (catIndex.get(id) ?? -1) : 0);

  const order = Int32Array.from({ length: results.length }, (_, i) => i);
  const img = Int32Array.from(results.imageId, (id) => imgIndex.get(id) ?? -1);
  order.sort((a, b) => results.score[b] - results.score[a] || img[a] - img[b] || a - b);

  const lists: MatchList[][] = [];
  const scores: Float64Array[][] = [];
  for (let t = 0; t < params.iouThrs.length; t++) {
    const tags = result.tags(t);
    const nGt = new Int32Array(K);
    for (let g = 0; g < tags.groundTruths.length; g++) {
      const tag = tags.groundTruths[g];
      if (tag !== ObjectTag.TruePositive && tag !== ObjectTag.FalseNegative) continue;
      const k = kOf(gt.annCategoryId[g]);
      if (k >= 0) nGt[k]++;
    }
    const tp: number[][] = Array.from({ length: K }, () => []);
    const sc: number[][] = Array.from({ length: K }, () => []);
    for (const d of order) {
      const tag = tags.detections[d];
      if (tag !== ObjectTag.TruePositive && tag !== ObjectTag.FalsePositive) continue;
      const k = kOf(results.categoryId[d]);
      if (k < 0) continue;
      tp[k].push(tag === ObjectTag.TruePositive ? 1 : 0);
      sc[k].push(results.score[d]);
    }
    lists.push(tp.map((flags, k) => ({ tp: Uint8Array.from(flags), nGt: nGt[k] })));
    scores.push(sc.map((s) => Float64Array.from(s)));
  }
  return { iouThrs: params.iouThrs, categoryIds: params.useCats ? params.catIds : ['all'], lists, scores };
}

function thresholdIndex(iouThrs: Float64Array, value: number): number {
  const t = iouThrs.findIndex((v) => Math.abs(v - value) < 1e-12);
  if (t < 0) throw new Error(`IoU threshold ${value} is not among the evaluation's thresholds`);
  return t;
}

/** mean over classes with labels, numpy's way (np.mean). */
function meanOver(perClass: Map<CocoId, number>): number {
  return numpyMean([...perClass.values()]);
}

export interface DefinitionsOptions {
  /** Encord Active's mAP (its own matching) and the IoU it was scored at, when a project was evaluated. */
  active?: { mAP: number; iouThreshold: number; perClass?: Map<CocoId, number> };
}

/** Every definition for one COCO evaluation (default params: IoU 0.50:0.95, 101 recall points). */
export function apDefinitions(result: CocoEvalResult, options: DefinitionsOptions = {}): ApDefinition[] {
  const m = cocoMatchLists(result);
  const t50 = thresholdIndex(m.iouThrs, 0.5);
  const withGt = m.categoryIds.map((_, k) => m.lists[t50][k].nGt > 0);
  const make = (id: DefinitionId, value: number, perClass: Map<CocoId, number>): ApDefinition => ({
    id,
    ...DEFINITION_TEXT[id],
    value,
    perClass,
  });

  const coco = new Map<CocoId, number>();
  for (const c of result.perCategoryAP) if (!Number.isNaN(c.ap)) coco.set(c.categoryId, c.ap);

  const voc = new Map<CocoId, number>();
  const voc07 = new Map<CocoId, number>();
  const ultra50 = new Map<CocoId, number>();
  const ultra = new Map<CocoId, number>();
  const ultraAll: number[] = [];
  m.categoryIds.forEach((id, k) => {
    if (!withGt[k]) return;
    const { rec, prec } = vocCurve(m.lists[t50][k]);
    voc.set(id, vocAP(rec, prec, false));
    voc07.set(id, vocAP(rec, prec, true));
    // ap_per_class: a class with labels but no prediction keeps AP 0.
    const perT = m.lists.map((byClass) => {
      const list = byClass[k];
      if (list.tp.length === 0) return 0;
      const { recall, precision } = ultralyticsCurve(list);
      return ultralyticsAP(recall, precision);
    });
    ultra50.set(id, perT[t50]);
    ultra.set(id, numpyMean(perT));
    ultraAll.push(...perT);
  });

  const out = [
    make('coco', result.stats[0], coco),
    make('coco50', result.stats[1], new Map()),
    make('voc', meanOver(voc), voc),
    make('voc07', meanOver(voc07), voc07),
    make('ultralytics50', meanOver(ultra50), ultra50),
    // Metric.map: all_ap.mean() over classes x thresholds.
    make('ultralytics', numpyMean(ultraAll), ultra),
  ];
  if (options.active) {
    out.push({
      id: 'active',
      ...DEFINITION_TEXT.active,
      definition: `${DEFINITION_TEXT.active.definition} (here IoU ${options.active.iouThreshold})`,
      value: options.active.mAP,
      perClass: options.active.perClass ?? new Map(),
    });
  }
  return out;
}
