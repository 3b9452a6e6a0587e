// The COCO side of the Model quality page: the project's labels and the run's predictions through pycocotools'
// COCOeval (core/eval/project-to-coco.ts), reduced to what the page shows: the 12 stats with pycocotools' printed
// lines, per-class AP / AR, and per-class precision–recall curves (101 recall points) at IoU 0.50 and 0.75 and
// averaged over the ten IoU thresholds.
import type { Kernels } from '../kernels/wasm.ts';
import type { Prediction, Project } from '../core/model.ts';
import { evaluateProjectCoco } from '../core/eval/project-to-coco.ts';

export interface CocoStatRow {
  /** "Average Precision" or "Average Recall". */
  title: string;
  kind: 'AP' | 'AR';
  /** "0.50:0.95", "0.50", "0.75" as pycocotools prints it. */
  iou: string;
  area: string;
  maxDets: number;
  value: number;
  /** The line exactly as pycocotools prints it. */
  line: string;
}

export interface CocoClassRow {
  categoryId: number;
  name: string;
  color?: string;
  /** AP @[.50:.95] (detectron2's per-category AP), NaN without ground truth. */
  AP: number;
  AP50: number;
  AP75: number;
  /** AR @[.50:.95], maxDets 100. */
  AR: number;
  groundTruth: number;
  detections: number;
}

export interface CocoSummary {
  iouType: 'bbox' | 'segm';
  ignoreFramesWithoutPredictions: boolean;
  stats: number[];
  rows: CocoStatRow[];
  perClass: CocoClassRow[];
  /** Precision at 101 recall points per class (class after class, -1 where a class has no ground truth). */
  pr: { iou50: Float64Array; iou75: Float64Array; mean: Float64Array };
  recallPoints: number;
  /** Predictions not sent to COCO, and why (each distinct reason once, with its count; first 5 reasons). */
  excluded: number;
  excludedReasons: { reason: string; count: number }[];
  skippedLabels: Record<string, number>;
  notes: string[];
  ms: number;
}

const LINE = /^ (Average (?:Precision|Recall)) +\((AP|AR)\) @\[ IoU=(\S+) +\| area= *(\S+) \| maxDets= *(\d+) \] = /;

export function cocoSummary(
  kernels: Kernels,
  project: Project,
  predictions: readonly Prediction[],
  ignoreFramesWithoutPredictions: boolean,
): CocoSummary {
  const started = performance.now();
  const ev = evaluateProjectCoco(kernels, project, predictions, { ignoreFramesWithoutPredictions });
  const { result, coco } = ev;
  const rows = result.printout.map((line, i): CocoStatRow => {
    const m = LINE.exec(line);
    const l = result.lines[i];
    return {
      title: m?.[1] ?? (l.ap ? 'Average Precision' : 'Average Recall'),
      kind: l.ap ? 'AP' : 'AR',
      iou: m?.[3] ?? String(l.iouThr ?? ''),
      area: l.areaRng,
      maxDets: l.maxDets,
      value: l.value,
      line,
    };
  });

  const { T, R, K, A, M } = result.shape;
  const all = Math.max(0, result.params.areaRngLbl.indexOf('all'));
  const last = M - 1;
  const iouIndex = (v: number) => result.params.iouThrs.findIndex((t) => Math.abs(t - v) < 1e-9);
  const t50 = iouIndex(0.5);
  const t75 = iouIndex(0.75);
  const at = (t: number, r: number, k: number) => result.precision[(((t * R + r) * K + k) * A + all) * M + last];
  const meanAP = (t: number, k: number) => {
    if (t < 0) return NaN;
    let sum = 0;
    let n = 0;
    for (let r = 0; r < R; r++) {
      const v = at(t, r, k);
      if (v > -1) {
        sum += v;
        n++;
      }
    }
    return n === 0 ? NaN : sum / n;
  };

  // A dataset's classes carry their own category ids; a project's COCO ids are ontology positions + 1.
  const colours = new Map(project.ontology.objects.map((o, i) => [o.categoryId ?? i + 1, o.color]));
  const gtCount = new Map<number, number>();
  for (const a of coco.gt.annotations as { category_id: number }[])
    gtCount.set(a.category_id, (gtCount.get(a.category_id) ?? 0) + 1);
  const dtCount = new Map<number, number>();
  for (const d of coco.results as { category_id: number }[])
    dtCount.set(d.category_id, (dtCount.get(d.category_id) ?? 0) + 1);

  const perClass = ev.perClass.map((c, k): CocoClassRow => ({
    categoryId: c.categoryId,
    name: c.name,
    color: colours.get(c.categoryId),
    AP: c.AP,
    AP50: meanAP(t50, k),
    AP75: meanAP(t75, k),
    AR: c.AR,
    groundTruth: gtCount.get(c.categoryId) ?? 0,
    detections: dtCount.get(c.categoryId) ?? 0,
  }));

  const iou50 = new Float64Array(K * R).fill(-1);
  const iou75 = new Float64Array(K * R).fill(-1);
  const mean = new Float64Array(K * R).fill(-1);
  for (let k = 0; k < K; k++) {
    for (let r = 0; r < R; r++) {
      if (t50 >= 0) iou50[k * R + r] = at(t50, r, k);
      if (t75 >= 0) iou75[k * R + r] = at(t75, r, k);
      let sum = 0;
      let n = 0;
      for (let t = 0; t < T; t++) {
        const v = at(t, r, k);
        if (v > -1) {
          sum += v;
          n++;
        }
      }
      mean[k * R + r] = n === 0 ? -1 : sum / n;
    }
  }

  return {
    iouType: coco.iouType,
    ignoreFramesWithoutPredictions,
    stats: result.stats,
    rows,
    perClass,
    pr: { iou50, iou75, mean },
    recallPoints: R,
    excluded: coco.excluded.length,
    excludedReasons: reasonCounts(
      coco.excluded.map((e) => e.reason),
      5,
    ),
    skippedLabels: coco.skippedLabels,
    notes: coco.notes,
    ms: performance.now() - started,
  };
}

function reasonCounts(reasons: string[], limit: number): { reason: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].slice(0, limit).map(([reason, count]) => ({ reason, count }));
}
