// COCO evaluation of two files split over several threads (worker_threads in Node, Web Workers in the page), with
// the same numbers as one cocoEvaluate to the last bit.
//
// Every part reads both files itself (the wasm scanner, scan.ts), resolves the same params, and assigns the same
// categories to itself (a deterministic balance of their detections and ground truths). It then runs the one
// evaluation (prepare, IoU, evaluateImg, accumulate) on its own categories only. accumulate() treats each category
// on its own, so the merged precision / recall / scores arrays are exactly the whole evaluation's; summarize() and
// the per-category AP then run once on the merged arrays, in their usual order.
//
// When a part cannot take the fast path (a file of an irregular shape, or any error), the caller runs the reference
// path instead (JSON.parse, load.ts, one thread), which gives pycocotools' errors and numbers for every input.
import type { Kernels } from '../../../kernels/wasm.ts';
import { accumulate } from './accumulate.ts';
import { evaluateCells } from './evaluate.ts';
import { boxIouProvider, maskIouProvider } from './iou.ts';
import { kernelMaskOps } from './kernel-masks.ts';
import { resolveParams, type CocoId, type CocoParams, type CocoParamsInput, type IouType } from './params.ts';

export type { CocoParamsInput, IouType } from './params.ts';
import { prepare } from './prepare.ts';
import { readGroundTruthBytes, readResultsBytes } from './scan.ts';
import { formatSummaryLine, perCategoryAP, summarize, type SummaryLine } from './summarize.ts';

/** What every part is given: the two files' bytes and the evaluation options (all structured-cloneable). */
export interface CocoFileJob {
  gt: Uint8Array;
  results: Uint8Array;
  gtSource: string;
  resultsSource: string;
  iouType: IouType;
  params?: CocoParamsInput;
  paramsSource?: string;
  corrected?: boolean;
}

export type CocoPartResult =
  | {
      ok: true;
      part: number;
      /** Per category position: 1 where this part evaluated it. */
      owned: Uint8Array;
      precision: Float64Array;
      recall: Float64Array;
      scores: Float64Array;
      shape: { T: number; R: number; K: number; A: number; M: number };
      params: CocoParams;
      categoryNames: string[];
      notes: string[];
      warnings: string[];
      /** Milliseconds of each step in this part, for the bench's time split. */
      ms: { read: number; evaluate: number; accumulate: number };
    }
  | { ok: false; part: number; reason: string };

/** What cocoEvaluate returns, less what only an in-process evaluation has (tags, the loaded objects). */
export interface CocoEvalSummary {
  params: CocoParams;
  stats: number[];
  lines: SummaryLine[];
  printout: string[];
  perCategoryAP: { categoryId: CocoId; name: string; ap: number }[];
  precision: Float64Array;
  recall: Float64Array;
  scores: Float64Array;
  shape: { T: number; R: number; K: number; A: number; M: number };
  corrected: boolean;
  deviations: string[];
  warnings: string[];
}

/**
 * Which categories part `part` of `parts` evaluates: longest-first greedy over the work each category brings
 * (detections, plus ground truths, which cost more for masks), ties by position, so every part computes the same.
 */
export function assignCategories(
  params: CocoParams,
  dtCategory: readonly CocoId[],
  gtCategory: readonly CocoId[],
  part: number,
  parts: number,
): Uint8Array {
  const K = params.catIds.length;
  const pos = new Map<CocoId, number>();
  params.catIds.forEach((c, k) => pos.set(c, k));
  const work = new Float64Array(K);
  for (const c of dtCategory) {
    const k = pos.get(c);
    if (k !== undefined) work[k] += 1;
  }
  const gtWeight = params.iouType === 'segm' ? 4 : 1;
  for (const c of gtCategory) {
    const k = pos.get(c);
    if (k !== undefined) work[k] += gtWeight;
  }
  const order = [...Array(K).keys()].sort((a, b) => work[b] - work[a] || a - b);
  const load = new Float64Array(parts);
  const owned = new Uint8Array(K);
  for (const k of order) {
    let best = 0;
    for (let q = 1; q < parts; q++) if (load[q] < load[best]) best = q;
    load[best] += work[k] + 1;
    if (best === part) owned[k] = 1;
  }
  return owned;
}

/** One part of the split evaluation. Never throws: a failure is a result the caller answers with the reference path. */
export function evaluateCocoPart(kernels: Kernels, job: CocoFileJob, part: number, parts: number): CocoPartResult {
  try {
    const t0 = performance.now();
    const gt = readGroundTruthBytes(kernels, job.gt, job.gtSource);
    if (!gt) return { ok: false, part, reason: `${job.gtSource} is not of the shape the fast reader takes` };
    const results = readResultsBytes(kernels, gt, job.results, {
      source: job.resultsSource,
      deriveBoxes: job.iouType === 'bbox',
    });
    if (!results) return { ok: false, part, reason: `${job.resultsSource} is not of the shape the fast reader takes` };
    const params = resolveParams(job.iouType, gt.imageIds, gt.categoryIds, job.params, job.paramsSource);
    if (!params.useCats && parts > 1) return { ok: false, part, reason: 'useCats=0 is evaluated in one part' };
    const owned =
      parts > 1
        ? assignCategories(params, results.categoryId, gt.annCategoryId, part, parts)
        : new Uint8Array(params.catIds.length).fill(1);
    const t1 = performance.now();
    const prep = prepare(gt, results, params, job.corrected ?? false, parts > 1 ? owned : undefined);
    const iou =
      params.iouType === 'segm'
        ? maskIouProvider(gt, results, prep, kernelMaskOps(kernels))
        : boxIouProvider(gt, results, prep);
    const ev = evaluateCells(prep, iou, results.area);
    const t2 = performance.now();
    const acc = accumulate(prep, ev, results.score);
    const t3 = performance.now();
    return {
      ok: true,
      part,
      owned,
      precision: acc.precision,
      recall: acc.recall,
      scores: acc.scores,
      shape: acc.shape,
      params,
      categoryNames: params.catIds.map((id) => gt.categoryNames.get(id) ?? String(id)),
      notes: prep.notes,
      warnings: prep.warnings,
      ms: { read: t1 - t0, evaluate: t2 - t1, accumulate: t3 - t2 },
    };
  } catch (err) {
    return { ok: false, part, reason: err instanceof Error ? err.message : String(err) };
  }
}

/** The parts' arrays merged (each category from the part that owns it), then summarize() and per-category AP. */
export function mergeCocoParts(parts: CocoPartResult[], corrected: boolean): CocoEvalSummary {
  const done = parts.filter((p): p is Extract<CocoPartResult, { ok: true }> => p.ok);
  if (done.length !== parts.length || done.length === 0) throw new Error('mergeCocoParts: a part failed');
  const first = done[0];
  const { T, R, K, A, M } = first.shape;
  const precision = first.precision;
  const recall = first.recall;
  const scores = first.scores;
  for (const p of done.slice(1)) {
    for (let k = 0; k < K; k++) {
      if (!p.owned[k]) continue;
      for (let t = 0; t < T; t++) {
        for (let r = 0; r < R; r++) {
          const at = ((t * R + r) * K + k) * A * M;
          for (let j = 0; j < A * M; j++) {
            precision[at + j] = p.precision[at + j];
            scores[at + j] = p.scores[at + j];
          }
        }
        const at = (t * K + k) * A * M;
        for (let j = 0; j < A * M; j++) recall[at + j] = p.recall[at + j];
      }
    }
  }
  const params = first.params;
  const acc = { precision, recall, scores, shape: first.shape };
  const lines = summarize(acc, params);
  const perCat = perCategoryAP(acc);
  return {
    params,
    stats: lines.map((l) => l.value),
    lines,
    printout: lines.map((l) => formatSummaryLine(l, params)),
    perCategoryAP: params.useCats
      ? params.catIds.map((id, k) => ({ categoryId: id, name: first.categoryNames[k], ap: perCat[k] }))
      : [],
    precision,
    recall,
    scores,
    shape: first.shape,
    corrected,
    deviations: first.notes,
    warnings: first.warnings,
  };
}

/**
 * How a host runs the parts: `part(job, i, n)` evaluates part i of n somewhere (a thread), `reference(job)` runs the
 * one-thread reference path (JSON.parse + load.ts) and throws its errors.
 */
export interface CocoPartRunner {
  parts: number;
  part(job: CocoFileJob, part: number, parts: number): Promise<CocoPartResult>;
  reference(job: CocoFileJob): Promise<CocoEvalSummary>;
  /** Where the parts are merged (a page merges in a worker to keep its main thread free); default: here. */
  merge?(parts: CocoPartResult[], corrected: boolean): Promise<CocoEvalSummary>;
}

/** Where a split evaluation spent its time (ms), filled in when the caller passes one. */
export interface CocoFilesTiming {
  parts?: { read: number; evaluate: number; accumulate: number }[];
  /** Merging the parts' arrays, summarize() and per-category AP. */
  summarizeMs?: number;
  /** Why the reference path ran, when it did. */
  reference?: string;
  [more: string]: unknown;
}

/** The split evaluation: every part at once, merged; the reference path when any part could not finish. */
export async function cocoEvaluateFiles(
  runner: CocoPartRunner,
  job: CocoFileJob,
  timing?: CocoFilesTiming,
): Promise<CocoEvalSummary> {
  const n = Math.max(1, runner.parts);
  const parts = await Promise.all([...Array(n).keys()].map((i) => runner.part(job, i, n)));
  const failed = parts.find((p) => !p.ok);
  if (failed && !failed.ok) {
    if (timing) timing.reference = failed.reason;
    return runner.reference(job);
  }
  const t0 = performance.now();
  const merged = runner.merge
    ? await runner.merge(parts, job.corrected ?? false)
    : mergeCocoParts(parts, job.corrected ?? false);
  if (timing) {
    timing.parts = parts.map((p) => (p.ok ? { ...p.ms } : { read: NaN, evaluate: NaN, accumulate: NaN }));
    timing.summarizeMs = performance.now() - t0;
  }
  return merged;
}

/** The summary fields of a whole in-process evaluation (what the reference path answers with). */
export function summaryOf(result: CocoEvalSummary): CocoEvalSummary {
  const { params, stats, lines, printout, perCategoryAP, precision, recall, scores, shape } = result;
  const { corrected, deviations, warnings } = result;
  return {
    params,
    stats,
    lines,
    printout,
    perCategoryAP,
    precision,
    recall,
    scores,
    shape,
    corrected,
    deviations,
    warnings,
  };
}
