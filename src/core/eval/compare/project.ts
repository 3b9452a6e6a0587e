// Two prediction runs of one project (an Encord Active project or a dataset folder) compared in COCO terms: the
// project's labels become the ground truth once (core/eval/project-to-coco.ts, run on both runs' predictions so
// every frame either run predicts on is an image of it), each run its results, then compareCoco; and the same two
// runs the Encord Active way (ActivePair), as the Compare page and `predlens compare` / `report --compare` show them.
import type { Kernels } from '../../../kernels/wasm.ts';
import type { Prediction, Project } from '../../model.ts';
import { defaultClassSpace, prepareActive, type ActivePrepared } from '../active/index.ts';
import { projectToCoco } from '../project-to-coco.ts';
import { ActivePair, type ActiveCompareSettings, type ActiveDifferences, type ActiveScores } from './active.ts';
import { CocoPair, type CocoCompareOptions, type CocoComparison } from './coco.ts';

export interface ProjectCompareOptions extends Omit<CocoCompareOptions, 'iouType' | 'labelIds'> {
  /** Default: as "eval --mode coco" decides (segm only when every labelled class is a polygon class). */
  iouType?: CocoCompareOptions['iouType'];
}

export interface ProjectCocoPair {
  pair: CocoPair;
  /** Label id per GT annotation: the dataset's annotation id, or the label's objectHash in an EA project. */
  labelIds: (string | number)[];
  /** Predictions of each run not sent to COCO (classifications, unknown data hashes, ...). */
  excluded: { a: number; b: number };
  /** Per COCO result of each run: the index of the prediction it came from. */
  resultSource: { a: Int32Array; b: Int32Array };
  /** Per COCO image (params.imgIds order is image id order): the frame it is. */
  imageFrames: { dataUnitIndex: number; frame: number }[];
  /** The COCO image id of each imageFrames entry. */
  imageIds: number[];
  notes: string[];
}

/** The project's ground truth and both runs' results, evaluated once; compare() them at any settings. */
export function projectCocoPair(
  kernels: Kernels,
  project: Project,
  a: readonly Prediction[],
  b: readonly Prediction[],
  options: ProjectCompareOptions = {},
): ProjectCocoPair {
  const coco = projectToCoco(kernels, project, [...a, ...b], { iouType: options.iouType });
  // Results keep the predictions' order, so A's come first: as many as A's predictions that were not excluded.
  const excludedA = coco.excluded.filter((e) => e.source < a.length).length;
  const split = a.length - excludedA;
  const resultsA = coco.results.slice(0, split);
  const resultsB = coco.results.slice(split);
  const labelIds = project.dataset
    ? (coco.gt.annotations as { id: number }[]).map((ann) => ann.id)
    : coco.origin.annotations;
  const pair = new CocoPair(kernels, coco.gt, resultsA, resultsB, {
    ...options,
    iouType: coco.iouType,
    labelIds,
    gtSource: 'project labels',
    sourceA: options.sourceA ?? 'predictions A',
    sourceB: options.sourceB ?? 'predictions B',
  });
  const excludedSources = new Set(coco.excluded.map((e) => e.source));
  const kept = (from: number, to: number) => {
    const out: number[] = [];
    for (let i = from; i < to; i++) if (!excludedSources.has(i)) out.push(i - from);
    return Int32Array.from(out);
  };
  return {
    pair,
    labelIds,
    excluded: { a: excludedA, b: coco.excluded.length - excludedA },
    resultSource: { a: kept(0, a.length), b: kept(a.length, a.length + b.length) },
    imageFrames: coco.origin.images.map((o) => ({ dataUnitIndex: o.dataUnit, frame: o.frame })),
    imageIds: (coco.gt.images as { id: number }[]).map((img) => img.id),
    notes: coco.notes,
  };
}

export function compareProjectCoco(
  kernels: Kernels,
  project: Project,
  a: readonly Prediction[],
  b: readonly Prediction[],
  options: ProjectCompareOptions = {},
): { comparison: CocoComparison; excluded: { a: number; b: number }; notes: string[] } {
  const { pair, excluded, notes } = projectCocoPair(kernels, project, a, b, options);
  return { comparison: pair.compare(), excluded, notes };
}

/**
 * Two runs of one project compared the Encord Active way at one setting, with the bootstrap: what the Compare page's
 * EA side shows (its worker runs the same ActivePair). B is prepared in A's class space; `preparedA` saves preparing
 * A again when the caller has it.
 */
export function compareProjectActive(
  kernels: Kernels,
  project: Project,
  a: readonly Prediction[],
  b: readonly Prediction[],
  settings: ActiveCompareSettings & { resamples?: number; seed?: number },
  preparedA?: ActivePrepared,
): { scores: ActiveScores; differences: ActiveDifferences } {
  const classSpace = preparedA?.space ?? defaultClassSpace(a);
  const pair = new ActivePair(
    preparedA ?? prepareActive(kernels, project, a, { classSpace }),
    prepareActive(kernels, project, b, { classSpace }),
  );
  const scores = pair.score(settings);
  return { scores, differences: pair.differences(scores, { resamples: settings.resamples, seed: settings.seed }) };
}
