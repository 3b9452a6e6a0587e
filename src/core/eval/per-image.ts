// Image triage: per image (each image, each video frame) the true positives, false positives and false negatives of
// a run, F1 = 2TP / (2TP + FP + FN), and in COCO mode the image's own AP (pycocotools' COCOeval with imgIds set to
// that image alone: AP @[.50:.95], area all, 100 detections), so the worst images can come first.
import type { Project } from '../model.ts';
import type { ActivePrepared, ActiveScore } from './active/types.ts';
import type { CocoEvalResult } from './coco/index.ts';
import { ObjectTag } from './coco/tags.ts';
import { numpyMean } from './pairwise-sum.ts';
import type { ProjectCoco } from './project-to-coco.ts';

export interface ImageOutcome {
  /** Index into project.dataUnits. */
  dataUnit: number;
  frame: number;
  tp: number;
  fp: number;
  fn: number;
  /** 2TP / (2TP + FP + FN); NaN for an image with neither labels nor predictions. */
  f1: number;
  /** COCO mode: the image's AP @[.50:.95]; NaN without labels (pycocotools prints -1). */
  ap?: number;
}

export const f1Of = (tp: number, fp: number, fn: number) => (2 * tp) / (2 * tp + fp + fn);

/** Every image and video frame of the project once: data-unit order, frames ascending. */
function projectFrames(project: Project, extra: Iterable<{ dataUnit: number; frame: number }>) {
  const frames = project.dataUnits.map((du) => new Set(du.dataType === 'video' ? du.frameNumbers : [du.sequence]));
  for (const f of extra) if (project.dataUnits[f.dataUnit]?.dataType === 'video') frames[f.dataUnit].add(f.frame);
  return frames.map((s) => [...s].sort((a, b) => a - b));
}

/** Per image at the score's IoU threshold, Encord Active's matching (the Model pages' TP / FP / FN). */
export function activePerImage(project: Project, prepared: ActivePrepared, score: ActiveScore): ImageOutcome[] {
  const F = prepared.frames.length;
  const tp = new Int32Array(F);
  const fp = new Int32Array(F);
  const fn = new Int32Array(F);
  for (let p = 0; p < prepared.nPredictions; p++) {
    if (score.isTP[p]) tp[prepared.predFrame[p]]++;
    else fp[prepared.predFrame[p]]++;
  }
  for (let l = 0; l < prepared.nLabels; l++) if (score.isFN[l] && score.labelCounted[l]) fn[prepared.labelFrame[l]]++;
  const byKey = new Map<string, number>();
  prepared.frames.forEach((f, i) => f.dataUnitIndex >= 0 && byKey.set(`${f.dataUnitIndex}|${f.frame}`, i));
  const extra = prepared.frames.map((f) => ({ dataUnit: f.dataUnitIndex, frame: f.frame }));
  return projectFrames(project, extra).flatMap((frames, dataUnit) =>
    frames.map((frame) => {
      const i = byKey.get(`${dataUnit}|${frame}`);
      const [t, p, n] = i === undefined ? [0, 0, 0] : [tp[i], fp[i], fn[i]];
      return { dataUnit, frame, tp: t, fp: p, fn: n, f1: f1Of(t, p, n) };
    }),
  );
}

export interface CocoImageOutcome {
  imageId: number | string;
  tp: number;
  fp: number;
  fn: number;
  f1: number;
  ap: number;
}

/**
 * Per COCO image (params.imgIds order): TP / FP / FN at `iouThreshold` (one of the evaluation's thresholds) and
 * the image's AP, from the evaluation's per-object tags: accumulate() over the image's cells alone.
 */
export function cocoPerImage(result: CocoEvalResult, iouThreshold = 0.5): CocoImageOutcome[] {
  const { params, results, gt } = result;
  const T = params.iouThrs.length;
  const R = params.recThrs.length;
  const t0 = params.iouThrs.findIndex((v) => Math.abs(v - iouThreshold) < 1e-12);
  if (t0 < 0) throw new Error(`IoU ${iouThreshold} is not among the evaluation's thresholds`);
  const K = params.useCats ? params.catIds.length : 1;
  const I = params.imgIds.length;
  const imgIndex = new Map(params.imgIds.map((id, i) => [id, i]));
  const catIndex = new Map(params.catIds.map((id, k) => [id, k]));
  const kOf = (id: number | string) => (params.useCats ? (catIndex.get(id) ?? -1) : 0);
  const tags = Array.from({ length: T }, (_, t) => result.tags(t));

  // Cells (image, category): the detections in evaluateImg's order and the labels that count.
  const cellDets = new Map<number, number[]>();
  const cellGt = new Map<number, number>();
  const order = Int32Array.from({ length: results.length }, (_, i) => i);
  order.sort((a, b) => results.score[b] - results.score[a] || a - b);
  for (const d of order) {
    if (tags[0].detections[d] === ObjectTag.NotEvaluated) continue;
    const i = imgIndex.get(results.imageId[d]);
    const k = kOf(results.categoryId[d]);
    if (i === undefined || k < 0) continue;
    const key = i * K + k;
    if (!cellDets.has(key)) cellDets.set(key, []);
    cellDets.get(key)!.push(d);
  }
  for (let g = 0; g < tags[0].groundTruths.length; g++) {
    const tag = tags[0].groundTruths[g];
    if (tag !== ObjectTag.TruePositive && tag !== ObjectTag.FalseNegative) continue;
    const i = imgIndex.get(gt.annImageId[g]);
    const k = kOf(gt.annCategoryId[g]);
    if (i === undefined || k < 0) continue;
    cellGt.set(i * K + k, (cellGt.get(i * K + k) ?? 0) + 1);
  }

  const missed = new Int32Array(I);
  for (let g = 0; g < tags[t0].groundTruths.length; g++) {
    const i = imgIndex.get(gt.annImageId[g]);
    if (tags[t0].groundTruths[g] === ObjectTag.FalseNegative && i !== undefined) missed[i]++;
  }
  const out: CocoImageOutcome[] = [];
  const precision = new Float64Array(T * R * K);
  const EPS = 2.220446049250313e-16;
  for (let i = 0; i < I; i++) {
    let tp = 0;
    let fp = 0;
    precision.fill(-1);
    for (let k = 0; k < K; k++) {
      const dets = cellDets.get(i * K + k) ?? [];
      const npig = cellGt.get(i * K + k) ?? 0;
      for (const d of dets) {
        const tag = tags[t0].detections[d];
        if (tag === ObjectTag.TruePositive) tp++;
        else if (tag === ObjectTag.FalsePositive) fp++;
      }
      if (npig === 0) continue;
      for (let t = 0; t < T; t++) {
        const counted = dets.filter((d) => tags[t].detections[d] !== ObjectTag.Ignored);
        const n = counted.length;
        const rc = new Float64Array(n);
        const pr = new Float64Array(n);
        let ctp = 0;
        let cfp = 0;
        counted.forEach((d, j) => {
          if (tags[t].detections[d] === ObjectTag.TruePositive) ctp++;
          else cfp++;
          rc[j] = ctp / npig;
          pr[j] = ctp / (cfp + ctp + EPS);
        });
        for (let j = n - 1; j > 0; j--) if (pr[j] > pr[j - 1]) pr[j - 1] = pr[j];
        let at = 0;
        for (let r = 0; r < R; r++) {
          while (at < n && rc[at] < params.recThrs[r]) at++;
          precision[(t * R + r) * K + k] = at < n ? pr[at] : 0;
        }
      }
    }
    const fn = missed[i];
    const values = precision.filter((v) => v > -1);
    out.push({
      imageId: params.imgIds[i],
      tp,
      fp,
      fn,
      f1: f1Of(tp, fp, fn),
      ap: values.length ? numpyMean(values) : NaN,
    });
  }
  return out;
}

/** COCO per-image outcomes of a project's translation, back on its data units and frames. */
export function projectCocoPerImage(coco: ProjectCoco, result: CocoEvalResult, iouThreshold = 0.5): ImageOutcome[] {
  const indexOf = new Map((coco.gt.images as { id: number }[]).map((img, i) => [img.id, i]));
  return cocoPerImage(result, iouThreshold).map((o) => {
    const origin = coco.origin.images[indexOf.get(Number(o.imageId))!];
    return { dataUnit: origin.dataUnit, frame: origin.frame, tp: o.tp, fp: o.fp, fn: o.fn, f1: o.f1, ap: o.ap };
  });
}

/**
 * Worst first: lowest F1 first (images with nothing to get right last), then most errors (FP + FN), then the
 * given order. Returns indices into `rows`.
 */
export function worstFirst(rows: readonly { tp: number; fp: number; fn: number; f1: number }[]): number[] {
  const index = rows.map((_, i) => i);
  const f1 = (i: number) => (Number.isNaN(rows[i].f1) ? Infinity : rows[i].f1);
  return index.sort((a, b) => f1(a) - f1(b) || rows[b].fp + rows[b].fn - (rows[a].fp + rows[a].fn) || a - b);
}
