// TIDE's error types on the rows of the matches table (its tideType column), and TIDE's likely label errors as a set
// of images for a subset. TIDE matches COCO-style on its own (core/eval/tide), so its type is told next to Encord
// Active's outcome, not derived from it. The arrays are TIDE's per prediction of the run (by its index in the run)
// and per label of the COCO translation (with the label's data unit, frame and objectHash), as the eval worker's
// TideSummary carries them.
import { likelyLabelErrors, type LabelErrorItem } from '../eval/tide/label-errors.ts';
import { errorOfCode } from '../eval/tide/types.ts';
import type { Prediction, Project } from '../model.ts';
import type { ErrorTypes } from './matches.ts';
import type { MatchInput } from './match-input.ts';
import type { ImageRef } from './subsets.ts';

export interface TideArrays {
  /** Per prediction of the run: TIDE's outcome and error code (errorOfCode). */
  predOutcome: ArrayLike<number>;
  predError: ArrayLike<number>;
  predBestIou: ArrayLike<number>;
  predOtherIou: ArrayLike<number>;
  predOtherLabel: ArrayLike<number>;
  /** Per label of the COCO translation. */
  labelUnit: ArrayLike<number>;
  labelFrame: ArrayLike<number>;
  labelHash: readonly string[];
  labelMiss: ArrayLike<number>;
  labelFalseNegative: ArrayLike<number>;
  labelBestIou: ArrayLike<number>;
  labelBestSameIou: ArrayLike<number>;
  labelOverlapBy: ArrayLike<number>;
}

/** tideType per pidx (the prediction's TIDE type) and per lidx ('Miss' for a label TIDE calls missed). */
export function tideErrorTypes(tide: TideArrays, input: MatchInput): ErrorTypes {
  const annotation = new Map<string, number>();
  tide.labelHash.forEach((hash, a) => annotation.set(`${tide.labelUnit[a]}|${tide.labelFrame[a]}|${hash}`, a));
  return {
    prediction: (p) => errorOfCode(tide.predError[input.predSource[p]] ?? 0),
    label: (l) => {
      const f = input.labelFrame[l];
      const a = annotation.get(`${input.frameUnit[f]}|${input.frameNumber[f]}|${input.labelHash[l]}`);
      return a !== undefined && tide.labelMiss[a] ? 'Miss' : undefined;
    },
  };
}

export interface LabelErrorImage extends LabelErrorItem {
  image: ImageRef;
}

/** TIDE's likely label errors (most confident first), each with the image it is on. */
export function labelErrorImages(
  project: Project,
  predictions: readonly Prediction[],
  tide: TideArrays,
  minConfidence = 0.5,
): LabelErrorImage[] {
  const units = new Map<string, number>();
  project.dataUnits.forEach((u, i) => units.has(u.dataHash.toLowerCase()) || units.set(u.dataHash.toLowerCase(), i));
  const objectName = new Map<string, string>();
  project.dataUnits.forEach((du, u) =>
    du.frames.forEach((fl) => fl.objects.forEach((o) => objectName.set(`${u}|${o.objectHash}`, o.name))),
  );
  const classOf = new Map(project.ontology.objects.map((o) => [o.featureNodeHash, o.name]));
  const items = likelyLabelErrors(
    {
      outcome: tide.predOutcome,
      error: tide.predError,
      confidence: predictions.map((p) => p.confidence),
      bestIou: tide.predBestIou,
      otherIou: tide.predOtherIou,
      otherLabel: tide.predOtherLabel,
      className: (d) => classOf.get(predictions[d].featureHash) ?? '?',
      labelFalseNegative: tide.labelFalseNegative,
      labelBestIou: tide.labelBestIou,
      labelBestSameIou: tide.labelBestSameIou,
      labelOverlapBy: tide.labelOverlapBy,
      labelClassName: (l) => objectName.get(`${tide.labelUnit[l]}|${tide.labelHash[l]}`) ?? '?',
    },
    minConfidence,
  );
  return items.flatMap((item) => {
    if (item.label >= 0)
      return [{ ...item, image: { unitIndex: tide.labelUnit[item.label], frame: tide.labelFrame[item.label] } }];
    const p = predictions[item.detection];
    const unitIndex = units.get(p.dataHash.toLowerCase());
    return unitIndex === undefined ? [] : [{ ...item, image: { unitIndex, frame: p.frame } }];
  });
}
