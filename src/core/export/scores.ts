// The score tables: per-class metrics in Encord Active's mode (AP / AR at one IoU threshold) and in COCO's mode
// (pycocotools' per-category numbers), and COCO's 12 summary stats. The Model quality page shows these; its
// downloads and `predlens export --table per-class|coco-stats` write them.
import type { ActiveClassScore } from '../eval/active/types.ts';
import type { CocoEvalResult } from '../eval/coco/index.ts';
import { formatFixed } from '../eval/coco/index.ts';
import { numpyMean } from '../eval/pairwise-sum.ts';
import type { ProjectCocoEvaluation } from '../eval/project-to-coco.ts';
import type { TableSpec } from './table.ts';

// ---------------------------------------------------------------- per class, Encord Active's mode

export interface ActiveClassRow extends ActiveClassScore {
  /** False positives: the class's predictions that are not true positives. */
  nFalsePositives: number;
  /** Missed labels among the counted ones. */
  nFalseNegatives: number;
}

export function activeClassRows(perClass: readonly ActiveClassScore[]): ActiveClassRow[] {
  return perClass.map((c) => ({
    ...c,
    nFalsePositives: c.nPredictions - c.nTruePositives,
    nFalseNegatives: c.evaluated ? c.nLabels - c.nTruePositives : 0,
  }));
}

export const PER_CLASS_ACTIVE: TableSpec<ActiveClassRow> = {
  id: 'per-class',
  title: 'Per class (Encord Active)',
  doc: 'one row per class of the ontology, at the IoU threshold (Encord Active v0.1.40’s AP and AR)',
  columns: [
    { name: 'class', doc: 'the class (object name, or radio option label)', value: (r) => r.name },
    { name: 'featureHash', doc: 'its featureNodeHash', value: (r) => r.featureHash },
    {
      name: 'AP',
      doc: '101-point interpolated AP at the IoU threshold; empty for a class without labels (not in mAP)',
      value: (r) => r.AP,
    },
    { name: 'AR', doc: 'recall at the end of the class’s predictions; empty without labels', value: (r) => r.AR },
    {
      name: 'labels',
      doc: 'labels counted (only frames with predictions when those are ignored)',
      value: (r) => r.nLabels,
    },
    { name: 'predictions', doc: 'the class’s evaluated predictions', value: (r) => r.nPredictions },
    { name: 'tp', doc: 'true positives', value: (r) => r.nTruePositives },
    { name: 'fp', doc: 'false positives (predictions − tp)', value: (r) => r.nFalsePositives },
    { name: 'fn', doc: 'missed labels (labels − tp; 0 for a class without labels)', value: (r) => r.nFalseNegatives },
  ],
};

// ---------------------------------------------------------------- per class, COCO's mode

export interface CocoClassRow {
  categoryId: number;
  name: string;
  /** AP @[.50:.95] as detectron2 derives it (mean of precision[:, :, k, all, 100] above -1); NaN without GT. */
  AP: number;
  /** The same mean at IoU 0.50 and 0.75 only. */
  AP50: number;
  AP75: number;
  /** Mean of recall[:, k, all, 100] above -1. */
  AR: number;
  /** Ground-truth annotations on the evaluated images. */
  groundTruth: number;
  detections: number;
}

/** Per category, in the evaluation's category order, from pycocotools' precision and recall arrays. */
export function cocoClassRows(ev: ProjectCocoEvaluation): CocoClassRow[] {
  const { result, coco } = ev;
  // Ground truth on the images COCOeval looked at ("ignore frames without predictions" leaves the others out).
  const evaluated = new Set(result.params.imgIds);
  const gt = countBy(
    (coco.gt.annotations as { category_id: number; image_id: number }[]).filter((a) => evaluated.has(a.image_id)),
  );
  const dt = countBy(coco.results as { category_id: number }[]);
  return ev.perClass.map((c, k) => ({
    categoryId: c.categoryId,
    name: c.name,
    AP: c.AP,
    AP50: apAt(result, k, 0.5),
    AP75: apAt(result, k, 0.75),
    AR: c.AR,
    groundTruth: gt.get(c.categoryId) ?? 0,
    detections: dt.get(c.categoryId) ?? 0,
  }));
}

/** mean(precision[t, :, k, all, maxDets[-1]] > -1) at the IoU threshold `iou` (NaN when it is not one of iouThrs). */
export function apAt(result: CocoEvalResult, k: number, iou: number): number {
  const { R, K, A, M } = result.shape;
  const t = result.params.iouThrs.findIndex((v) => Math.abs(v - iou) < 1e-9);
  if (t < 0) return NaN;
  const all = Math.max(0, result.params.areaRngLbl.indexOf('all'));
  const values = new Float64Array(R);
  let n = 0;
  for (let r = 0; r < R; r++) {
    const v = result.precision[(((t * R + r) * K + k) * A + all) * M + (M - 1)];
    if (v > -1) values[n++] = v;
  }
  return n === 0 ? NaN : numpyMean(values, n);
}

function countBy(items: { category_id: number }[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const a of items) m.set(a.category_id, (m.get(a.category_id) ?? 0) + 1);
  return m;
}

export const PER_CLASS_COCO: TableSpec<CocoClassRow> = {
  id: 'per-class',
  title: 'Per class (COCO)',
  doc: 'one row per COCO category (pycocotools COCOeval, area all, 100 detections)',
  columns: [
    { name: 'categoryId', doc: 'the COCO category id', value: (r) => r.categoryId },
    { name: 'class', doc: 'the category name', value: (r) => r.name },
    { name: 'AP', doc: 'AP @[.50:.95] (detectron2’s per-category AP); empty without ground truth', value: (r) => r.AP },
    { name: 'AP50', doc: 'AP at IoU 0.50', value: (r) => r.AP50 },
    { name: 'AP75', doc: 'AP at IoU 0.75', value: (r) => r.AP75 },
    { name: 'AR', doc: 'AR @[.50:.95], 100 detections', value: (r) => r.AR },
    {
      name: 'groundTruth',
      doc: 'ground-truth annotations of the category on the evaluated images',
      value: (r) => r.groundTruth,
    },
    { name: 'detections', doc: 'detections (results) of the category', value: (r) => r.detections },
  ],
};

// ---------------------------------------------------------------- COCO's 12 stats

export interface CocoStatRow {
  stat: number;
  metric: 'AP' | 'AR';
  /** "0.50:0.95", "0.50" or "0.75", as pycocotools prints it. */
  iou: string;
  area: string;
  maxDets: number;
  value: number;
}

export function cocoStatRows(result: CocoEvalResult): CocoStatRow[] {
  const thrs = result.params.iouThrs;
  return result.lines.map((l, stat) => ({
    stat,
    metric: l.ap ? 'AP' : 'AR',
    iou:
      l.iouThr === undefined
        ? `${formatFixed(thrs[0], 2)}:${formatFixed(thrs[thrs.length - 1], 2)}`
        : formatFixed(l.iouThr, 2),
    area: l.areaRng,
    maxDets: l.maxDets,
    value: l.value,
  }));
}

export const COCO_STATS: TableSpec<CocoStatRow> = {
  id: 'coco-stats',
  title: 'COCO stats',
  doc: 'pycocotools’ 12 summary stats, in summarize() order',
  columns: [
    { name: 'stat', doc: 'the index in stats (0..11)', value: (r) => r.stat },
    { name: 'metric', doc: 'AP or AR', value: (r) => r.metric },
    { name: 'iou', doc: 'the IoU range as pycocotools prints it (0.50:0.95, 0.50, 0.75)', value: (r) => r.iou },
    { name: 'area', doc: 'all, small, medium or large', value: (r) => r.area },
    { name: 'maxDets', doc: 'detections per image', value: (r) => r.maxDets },
    { name: 'value', doc: 'the stat (-1 where pycocotools prints -1)', value: (r) => r.value },
  ],
};
