// COCO evaluation bit-identical to pycocotools 2.0.11 (bbox and segm): COCO + loadRes + COCOeval evaluate,
// accumulate and summarize, plus per-category AP and per-object tags. Spec: /shared/spec/coco-eval.md.
import type { Kernels } from '../../../kernels/wasm.ts';
import { accumulate } from './accumulate.ts';
import { evaluateCells } from './evaluate.ts';
import { boxIouProvider, maskIouProvider } from './iou.ts';
import { kernelMaskOps } from './kernel-masks.ts';
import {
  loadCocoGroundTruth,
  loadCocoResults,
  resultsAreMasks,
  type CocoGroundTruth,
  type CocoResults,
} from './load.ts';
import type { MaskOps } from './masks.ts';
import { resolveParams, type CocoId, type CocoParams, type CocoParamsInput, type IouType } from './params.ts';
import { prepare } from './prepare.ts';
import { matchRecords, type CocoMatchRecords } from './records.ts';
import { formatSummaryLine, perCategoryAP, summarize, type SummaryLine } from './summarize.ts';
import { objectTags, type ObjectTags } from './tags.ts';

export { CocoFormatError, loadCocoGroundTruth, loadCocoResults, resultsAreMasks } from './load.ts';
export type { CocoGroundTruth, CocoResults, LoadResultsOptions } from './load.ts';
export { defaultIouThrs, defaultRecThrs, linspace, resolveParams } from './params.ts';
export type { CocoId, CocoParams, CocoParamsInput, IouType } from './params.ts';
export { formatFixed, formatSummaryLine } from './summarize.ts';
export type { SummaryLine } from './summarize.ts';
export { ObjectTag } from './tags.ts';
export type { ObjectTags } from './tags.ts';
export type { MaskOps, Rle } from './masks.ts';
export type { CocoMatchRecords } from './records.ts';

export interface CocoEvalOptions {
  iouType: IouType;
  /** COCOeval.Params overrides (imgIds, catIds, iouThrs, recThrs, maxDets, areaRng, areaRngLbl, useCats). */
  params?: CocoParamsInput;
  /**
   * Fix two pycocotools bugs (a deviation, off by default): GT with id 0 match like any other (matches are
   * tracked by index), and a GT's own `ignore` flag is honoured. Missing iscrowd reads as 0, repeated GT ids stay
   * separate objects.
   */
  corrected?: boolean;
  /** File names for error messages. */
  gtSource?: string;
  resultsSource?: string;
  /** Where params came from (a --params file), for error messages. */
  paramsSource?: string;
  /** Mask operations; by default the RLE kernels of `kernels`. Needed for segm and for mask results. */
  masks?: MaskOps;
}

export interface CategoryAP {
  categoryId: CocoId;
  name: string;
  /** mean(precision[:, :, k, 0, -1] > -1); NaN when the category has no GT. */
  ap: number;
}

export interface CocoEvalResult {
  params: CocoParams;
  /** The 12 summarize() stats. */
  stats: number[];
  lines: SummaryLine[];
  /** summarize()'s 12 printed lines, byte for byte. */
  printout: string[];
  /** Per category in params.catIds order (empty when useCats is off). */
  perCategoryAP: CategoryAP[];
  /** [T, R, K, A, M] in C order, -1 where a cell has no GT. */
  precision: Float64Array;
  /** [T, K, A, M] */
  recall: Float64Array;
  /** [T, R, K, A, M] */
  scores: Float64Array;
  shape: { T: number; R: number; K: number; A: number; M: number };
  /** Per-object TP/FP/FN at IoU threshold index t (area "all", maxDets[-1]). */
  tags(t: number): ObjectTags;
  /** evalImgs as flat per-image, per-category match records, for re-accumulating without matching again. */
  records(): CocoMatchRecords;
  corrected: boolean;
  /** What the corrected mode changed relative to pycocotools (empty when strict or nothing applied). */
  deviations: string[];
  /** Strict mode: pycocotools quirks that affected this evaluation, i.e. what corrected mode would change. */
  warnings: string[];
  gt: CocoGroundTruth;
  results: CocoResults;
}

function isLoadedGt(v: unknown): v is CocoGroundTruth {
  return typeof v === 'object' && v !== null && 'annResolved' in v;
}
function isLoadedResults(v: unknown): v is CocoResults {
  return typeof v === 'object' && v !== null && 'branch' in v && 'masks' in v;
}

/**
 * Evaluates COCO results against COCO ground truth exactly as pycocotools does.
 * `gt` and `results` are the parsed JSON files (or already loaded objects).
 */
export function cocoEvaluate(
  kernels: Kernels | undefined,
  gtInput: unknown,
  resultsInput: unknown,
  options: CocoEvalOptions,
): CocoEvalResult {
  const corrected = options.corrected ?? false;
  let masks = options.masks;
  const needMasks = (): MaskOps => {
    if (masks) return masks;
    if (!kernels) throw new Error('mask evaluation needs the RLE kernels (pass kernels)');
    masks = kernelMaskOps(kernels);
    return masks;
  };
  const gt = isLoadedGt(gtInput) ? gtInput : loadCocoGroundTruth(gtInput, options.gtSource);
  const results = isLoadedResults(resultsInput)
    ? resultsInput
    : loadCocoResults(gt, resultsInput, {
        source: options.resultsSource,
        masks: resultsAreMasks(resultsInput) ? needMasks() : undefined,
        deriveBoxes: options.iouType === 'bbox',
      });

  const params = resolveParams(options.iouType, gt.imageIds, gt.categoryIds, options.params, options.paramsSource);
  const prep = prepare(gt, results, params, corrected);
  const iou =
    params.iouType === 'segm' ? maskIouProvider(gt, results, prep, needMasks()) : boxIouProvider(gt, results, prep);
  const ev = evaluateCells(prep, iou, results.area);
  const acc = accumulate(prep, ev, results.score);
  const lines = summarize(acc, params);
  const perCat = perCategoryAP(acc);
  return {
    params,
    stats: lines.map((l) => l.value),
    lines,
    printout: lines.map((l) => formatSummaryLine(l, params)),
    perCategoryAP: params.useCats
      ? params.catIds.map((id, k) => ({ categoryId: id, name: gt.categoryNames.get(id) ?? String(id), ap: perCat[k] }))
      : [],
    precision: acc.precision,
    recall: acc.recall,
    scores: acc.scores,
    shape: acc.shape,
    tags: (t: number) => objectTags(prep, ev, t),
    records: () => matchRecords(prep, ev, results.score),
    corrected,
    deviations: prep.notes,
    warnings: prep.warnings,
    gt,
    results,
  };
}
