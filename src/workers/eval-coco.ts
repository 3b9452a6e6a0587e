// The COCO side of the Model quality page: the project's labels and the run's predictions through pycocotools'
// COCOeval (core/eval/project-to-coco.ts), reduced to what the page shows: the 12 stats with pycocotools' printed
// lines, per-class AP / AR, and per-class precision–recall curves (101 recall points) at IoU 0.50 and 0.75 and
// averaged over the ten IoU thresholds.
import type { Kernels } from '../kernels/wasm.ts';
import type { Prediction, Project } from '../core/model.ts';
import { evaluateProjectCoco } from '../core/eval/project-to-coco.ts';
import { apDefinitions, type DefinitionId } from '../core/eval/definitions/index.ts';
import { projectCocoPerImage } from '../core/eval/per-image.ts';
import {
  cocoClassRows,
  cocoStatRows,
  type CocoClassRow as CoreClassRow,
  type CocoStatRow as CoreStatRow,
} from '../core/export/scores.ts';

/** A stat as core's export table has it (stat, metric, iou, area, maxDets, value), plus how pycocotools prints it. */
export interface CocoStatRow extends CoreStatRow {
  /** "Average Precision" or "Average Recall". */
  title: string;
  kind: 'AP' | 'AR';
  /** The line exactly as pycocotools prints it. */
  line: string;
}

/** A category as core's export table has it, with the ontology colour. */
export interface CocoClassRow extends CoreClassRow {
  color?: string;
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
  /** Images COCOeval evaluated (with "ignore frames without predictions": only those with predictions), of all. */
  evaluatedImages: number;
  imageCount: number;
  /** Ground-truth annotations on the evaluated images (what perClass counts), and on all images. */
  groundTruthEvaluated: number;
  groundTruthAll: number;
  notes: string[];
  /** "Why does my mAP differ?": the same matches integrated as other tools do (Encord Active's row is the page's). */
  definitions: { id: DefinitionId; name: string; definition: string; value: number }[];
  /** Per image / video frame: TP, FP, FN at IoU 0.50 and the image's own AP @[.50:.95] (NaN without labels). */
  images: { dataUnit: number; frame: number; tp: number; fp: number; fn: number; ap: number }[];
  ms: number;
}

export function cocoSummary(
  kernels: Kernels,
  project: Project,
  predictions: readonly Prediction[],
  ignoreFramesWithoutPredictions: boolean,
): CocoSummary {
  const started = performance.now();
  const ev = evaluateProjectCoco(kernels, project, predictions, { ignoreFramesWithoutPredictions });
  const { result, coco } = ev;
  // The table rows of the export (one definition of each number), with pycocotools' printed line beside.
  const rows = cocoStatRows(result).map((row, i): CocoStatRow => ({
    ...row,
    title: row.metric === 'AP' ? 'Average Precision' : 'Average Recall',
    kind: row.metric,
    line: result.printout[i],
  }));

  const { T, R, K, A, M } = result.shape;
  const all = Math.max(0, result.params.areaRngLbl.indexOf('all'));
  const last = M - 1;
  const iouIndex = (v: number) => result.params.iouThrs.findIndex((t) => Math.abs(t - v) < 1e-9);
  const t50 = iouIndex(0.5);
  const t75 = iouIndex(0.75);
  const at = (t: number, r: number, k: number) => result.precision[(((t * R + r) * K + k) * A + all) * M + last];

  // A dataset's classes carry their own category ids; a project's COCO ids are ontology positions + 1.
  const colours = new Map(project.ontology.objects.map((o, i) => [o.categoryId ?? i + 1, o.color]));
  // Only the images COCOeval looked at count (cocoClassRows does the same per class).
  const evaluated = new Set(result.params.imgIds);
  let groundTruthEvaluated = 0;
  for (const a of coco.gt.annotations as { image_id: number }[]) if (evaluated.has(a.image_id)) groundTruthEvaluated++;
  const perClass = cocoClassRows(ev).map((c): CocoClassRow => ({ ...c, color: colours.get(c.categoryId) }));

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
    evaluatedImages: evaluated.size,
    imageCount: coco.gt.images.length,
    groundTruthEvaluated,
    groundTruthAll: coco.gt.annotations.length,
    notes: coco.notes,
    definitions: apDefinitions(result).map(({ id, name, definition, value }) => ({ id, name, definition, value })),
    images: projectCocoPerImage(coco, result, 0.5).map(({ dataUnit, frame, tp, fp, fn, ap }) => ({
      dataUnit,
      frame,
      tp,
      fp,
      fn,
      ap: ap ?? NaN,
    })),
    ms: performance.now() - started,
  };
}

function reasonCounts(reasons: string[], limit: number): { reason: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].slice(0, limit).map(([reason, count]) => ({ reason, count }));
}
