// TIDE error analysis exactly as tidecv 1.0.1 computes it (spec: shared/spec/tide.md): every false positive typed
// Cls / Loc / Both / Dupe / Bkg and every missed label Miss, the dAP of each main type (the fixing oracle) and of
// the special FalsePos / FalseNeg, overall and per class, in box or mask mode.
//
//   const result = tideEvaluate(kernels, gtJson, resultsJson, { mode: 'bbox' });
//   result.main.Dupe   // AP points a perfect duplicate suppression would give back
import type { Kernels } from '../../../kernels/wasm.ts';
import { kernelMaskOps } from '../coco/kernel-masks.ts';
import {
  loadCocoGroundTruth,
  loadCocoResults,
  resultsAreMasks,
  type CocoGroundTruth,
  type CocoResults,
} from '../coco/load.ts';
import type { MaskOps } from '../coco/masks.ts';
import { tideData, withAnnotatedImages, type TideData } from './input.ts';
import { runTide } from './match.ts';
import { Oracle } from './oracle.ts';
import {
  MAIN_ERRORS,
  SPECIAL_ERRORS,
  type MainError,
  type SpecialError,
  type TideClass,
  type TideOptions,
  type TideResult,
} from './types.ts';

export * from './types.ts';
export { tideData, tideImageOrder, type TideData, type TideGeometry } from './input.ts';

const byType = <T>(f: (type: MainError, i: number) => T) =>
  Object.fromEntries(MAIN_ERRORS.map((t, i) => [t, f(t, i)])) as Record<MainError, T>;

/** TIDE over data already in tidecv's terms (tideData). */
export function tide(data: TideData, options: Omit<TideOptions, 'mode'> = {}): TideResult {
  const pos = options.posThreshold ?? 0.5;
  const bg = options.bgThreshold ?? 0.1;
  const maxDets = options.maxDets ?? 100;
  const run = runTide(data, pos, bg, maxDets);
  const oracle = new Oracle(data, run);
  const base = oracle.map(oracle.base);
  const nothingLists = oracle.rebuild({ kind: 'none' });
  const nothing = oracle.map({ ...nothingLists, touched: undefined });
  const fixed = byType((_, i) => oracle.map(oracle.rebuild({ kind: 'type', code: i + 1 }), nothing.perClass));
  const special: Record<SpecialError, ReturnType<Oracle['map']>> = {
    FalsePos: oracle.map(oracle.rebuild({ kind: 'falsePos' })),
    FalseNeg: oracle.map(oracle.rebuild({ kind: 'falseNeg' }), nothing.perClass),
  };

  const nClasses = data.classIds.length;
  const classCounts = Array.from({ length: nClasses }, () => new Int32Array(MAIN_ERRORS.length));
  const counts = new Int32Array(MAIN_ERRORS.length);
  const clsTargets = new Int32Array(nClasses);
  for (let e = 0; e < run.nErrors; e++) {
    const type = run.errType[e] - 1;
    const det = run.errDet[e];
    counts[type]++;
    classCounts[det >= 0 ? data.dtClass[det] : data.gtClass[run.errGt[e]]][type]++;
    if (MAIN_ERRORS[type] === 'Cls') clsTargets[data.gtClass[run.errGt[e]]]++;
  }
  const orNull = (v: number) => (Number.isNaN(v) ? null : v);
  const classes: TideClass[] = run.classOrder.map((c) => {
    const ap = base.perClass[c];
    const fixedAP = byType((t) => orNull(fixed[t].perClass[c]));
    return {
      categoryId: data.classIds[c],
      name: data.classNames[c],
      ap,
      groundTruth: run.gtPositives[c],
      points: oracle.base.start[c + 1] - oracle.base.start[c],
      counts: byType((_, i) => classCounts[c][i]),
      clsTargets: clsTargets[c],
      fixedAP,
      dAP: byType((t) => Math.max(0, (fixedAP[t] ?? 0) - ap)),
      special: Object.fromEntries(
        SPECIAL_ERRORS.map((s) => [s, Number.isNaN(special[s].perClass[c]) ? null : special[s].perClass[c] - ap]),
      ) as Record<SpecialError, number | null>,
    };
  });
  return {
    mode: data.mode,
    posThreshold: pos,
    bgThreshold: bg,
    maxDets,
    ap: base.mAP,
    main: byType((t) => Math.max(fixed[t].mAP - base.mAP, 0)),
    special: { FalsePos: special.FalsePos.mAP - base.mAP, FalseNeg: special.FalseNeg.mAP - base.mAP },
    counts: byType((_, i) => counts[i]),
    fixedMAP: byType((t) => fixed[t].mAP),
    nothingFixedMAP: nothing.mAP,
    classes,
    detections: run.detections,
    groundTruth: run.groundTruth,
    images: data.images,
  };
}

export interface TideFilesOptions extends TideOptions {
  gtSource?: string;
  resultsSource?: string;
  /** Mask operations; by default the RLE kernels of `kernels`. */
  masks?: MaskOps;
}

/** TIDE of COCO results (the parsed results JSON or loaded results) against COCO ground truth (likewise). */
export function tideEvaluate(
  kernels: Kernels | undefined,
  gtInput: unknown,
  resultsInput: unknown,
  options: TideFilesOptions,
): TideResult {
  let masks = options.masks;
  const needMasks = () => {
    if (!masks && kernels) masks = kernelMaskOps(kernels);
    if (!masks) throw new Error('TIDE mask mode and mask results need the RLE kernels (pass kernels)');
    return masks;
  };
  const gt: CocoGroundTruth = isLoadedGt(gtInput) ? gtInput : loadCocoGroundTruth(gtInput, options.gtSource);
  const results: CocoResults = isLoadedResults(resultsInput)
    ? resultsInput
    : loadCocoResults(withAnnotatedImages(gt), resultsInput, {
        source: options.resultsSource,
        masks: resultsAreMasks(resultsInput) ? needMasks() : undefined,
        deriveBoxes: options.mode === 'bbox',
      });
  const data = tideData(gt, results, options.mode, options.mode === 'mask' ? needMasks() : undefined);
  return tide(data, options);
}

function isLoadedGt(v: unknown): v is CocoGroundTruth {
  return typeof v === 'object' && v !== null && 'annResolved' in v;
}
function isLoadedResults(v: unknown): v is CocoResults {
  return typeof v === 'object' && v !== null && 'branch' in v && 'masks' in v;
}
