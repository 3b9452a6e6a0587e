// The TIDE side of the Model pages: tidecv's analysis of the run (core/eval/tide) on the project's COCO translation,
// reduced to what the pages show and carried as typed arrays: the dAPs and counts, per class, and every
// prediction's and label's outcome and error type, keyed so the page can find them by its own indices (predictions
// by their index in the run, labels by data unit, frame and objectHash).
import type { Kernels } from '../kernels/wasm.ts';
import type { Prediction, Project } from '../core/model.ts';
import type { ProjectCoco } from '../core/eval/project-to-coco.ts';
import { tideOfProject } from '../core/eval/tide/project.ts';
import type { MainError, SpecialError, TideClass, TideMode } from '../core/eval/tide/index.ts';

/** Outcome code for a prediction TIDE did not analyse (a classification, or not in the COCO translation). */
export const NOT_ANALYSED = 255;

export interface TideClassRow extends TideClass {
  /** The ontology object of the COCO category (its featureNodeHash), to meet the page's class indices. */
  featureHash?: string;
  color?: string;
}

export interface TideSummary {
  mode: TideMode;
  ap: number;
  main: Record<MainError, number>;
  special: Record<SpecialError, number>;
  counts: Record<MainError, number>;
  classes: TideClassRow[];
  // ---- per prediction of the run (index into its Prediction[])
  /** OUTCOME code, or NOT_ANALYSED. */
  predOutcome: Uint8Array;
  /** errorCode of its TIDE type (0: none). */
  predError: Uint8Array;
  predFixer: Uint8Array;
  /** Best IoU with a label of its class, and with a label of any other class (0: none). */
  predBestIou: Float64Array;
  predOtherIou: Float64Array;
  /** The label (index into the label arrays below) of predOtherIou; -1: none. */
  predOtherLabel: Int32Array;
  /** Cls / Loc: the label it targets; TP: the label it matched; else -1. */
  predTarget: Int32Array;
  // ---- per label (COCO annotation) of the translation
  labelUnit: Int32Array;
  labelFrame: Int32Array;
  labelHash: string[];
  labelMiss: Uint8Array;
  labelFalseNegative: Uint8Array;
  /** The prediction (run index) that matched it; -1: none. */
  labelMatchedBy: Int32Array;
  labelBestIou: Float64Array;
  labelBestSameIou: Float64Array;
  /** The most confident prediction (run index) of its class overlapping it by >= 0.1; -1: none. */
  labelOverlapBy: Int32Array;
  ms: number;
}

/** The ontology object a COCO category came from: by the object's own categoryId, else position + 1. */
function objectOfCategory(project: Project, categoryId: number | string) {
  const objects = project.ontology.objects;
  return objects.find((o) => o.categoryId === categoryId) ?? objects[Number(categoryId) - 1];
}

export function tideSummary(
  kernels: Kernels,
  project: Project,
  predictions: readonly Prediction[],
  coco?: ProjectCoco,
): TideSummary {
  const started = performance.now();
  const { coco: translation, result } = tideOfProject(kernels, project, predictions, { coco });
  const origin = translation.origin;
  const n = predictions.length;
  const predOutcome = new Uint8Array(n).fill(NOT_ANALYSED);
  const predError = new Uint8Array(n);
  const predFixer = new Uint8Array(n);
  const predBestIou = new Float64Array(n);
  const predOtherIou = new Float64Array(n);
  const predOtherLabel = new Int32Array(n).fill(-1);
  const predTarget = new Int32Array(n).fill(-1);
  const d = result.detections;
  origin.results.forEach((source, r) => {
    predOutcome[source] = d.outcome[r];
    predError[source] = d.error[r];
    predFixer[source] = d.fixer[r];
    predBestIou[source] = d.bestIou[r];
    predOtherIou[source] = d.otherIou[r];
    predOtherLabel[source] = d.otherLabel[r];
    predTarget[source] = d.target[r];
  });
  const toSource = (r: number) => (r < 0 ? -1 : origin.results[r]);
  const images = translation.gt.images as { id: number }[];
  const annotations = translation.gt.annotations as { image_id: number }[];
  const imageAt = new Map(images.map((img, i) => [img.id, origin.images[i]]));
  const g = result.groundTruth;
  return {
    mode: result.mode,
    ap: result.ap,
    main: result.main,
    special: result.special,
    counts: result.counts,
    classes: result.classes.map((c) => {
      const object = objectOfCategory(project, c.categoryId);
      return { ...c, featureHash: object?.featureNodeHash, color: object?.color };
    }),
    predOutcome,
    predError,
    predFixer,
    predBestIou,
    predOtherIou,
    predOtherLabel,
    predTarget,
    labelUnit: Int32Array.from(annotations, (a) => imageAt.get(a.image_id)?.dataUnit ?? -1),
    labelFrame: Int32Array.from(annotations, (a) => imageAt.get(a.image_id)?.frame ?? -1),
    labelHash: origin.annotations,
    labelMiss: g.miss,
    labelFalseNegative: g.falseNegative,
    labelMatchedBy: g.matchedBy.map(toSource),
    labelBestIou: g.bestIou,
    labelBestSameIou: g.bestSameClassIou,
    labelOverlapBy: g.overlapBy.map(toSource),
    ms: performance.now() - started,
  };
}

/** The typed arrays of a summary, for a transfer. */
export function tideBuffers(s: TideSummary): ArrayBuffer[] {
  return [
    s.predOutcome,
    s.predError,
    s.predFixer,
    s.predBestIou,
    s.predOtherIou,
    s.predOtherLabel,
    s.predTarget,
    s.labelUnit,
    s.labelFrame,
    s.labelMiss,
    s.labelFalseNegative,
    s.labelMatchedBy,
    s.labelBestIou,
    s.labelBestSameIou,
    s.labelOverlapBy,
  ].map((a) => a.buffer as ArrayBuffer);
}
