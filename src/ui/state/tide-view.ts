// TIDE's answers (the worker's TideSummary, indexed by the run's predictions and by COCO annotations) on the Model
// pages' own indices: per pidx and per lidx of the prepared run, and each TIDE class on its class index.
import { errorOfCode, MAIN_ERRORS, type MainError } from '../../core/eval/tide/types.ts';
import type { PreparedSummary } from '../../workers/eval-session.ts';
import { NOT_ANALYSED, type TideSummary } from '../../workers/eval-tide.ts';

export { NOT_ANALYSED };

/** What TIDE made of a label. */
export const LABEL_STATUS = { notAnalysed: 0, matched: 1, miss: 2, recoverable: 3 } as const;

export interface TideView {
  summary: TideSummary;
  /** Per pidx: TIDE's error code (0 none; see errorOfCode) and outcome (OUTCOME, or NOT_ANALYSED). */
  predError: Uint8Array;
  predOutcome: Uint8Array;
  /** Per lidx: LABEL_STATUS. */
  labelStatus: Uint8Array;
  /** Per lidx: the COCO annotation index (-1: not in TIDE). */
  labelAnnotation: Int32Array;
  /** Per TIDE class row: the page's class index (-1: none). */
  classIndex: Int32Array;
}

export function tideView(tide: TideSummary, summary: PreparedSummary): TideView {
  const n = summary.nPredictions;
  const predError = new Uint8Array(n);
  const predOutcome = new Uint8Array(n).fill(NOT_ANALYSED);
  for (let p = 0; p < n; p++) {
    const source = summary.predSource[p];
    predError[p] = tide.predError[source] ?? 0;
    predOutcome[p] = tide.predOutcome[source] ?? NOT_ANALYSED;
  }
  const byKey = new Map<string, number>();
  tide.labelHash.forEach((hash, a) => byKey.set(`${tide.labelUnit[a]}|${tide.labelFrame[a]}|${hash}`, a));
  const labelStatus = new Uint8Array(summary.nLabels);
  const labelAnnotation = new Int32Array(summary.nLabels).fill(-1);
  for (let l = 0; l < summary.nLabels; l++) {
    const f = summary.labelFrame[l];
    const a = byKey.get(`${summary.frameUnit[f]}|${summary.frameNumber[f]}|${summary.labelHash[l]}`);
    if (a === undefined) continue;
    labelAnnotation[l] = a;
    labelStatus[l] = tide.labelMiss[a]
      ? LABEL_STATUS.miss
      : tide.labelFalseNegative[a]
        ? LABEL_STATUS.recoverable
        : LABEL_STATUS.matched;
  }
  const classIndex = Int32Array.from(
    tide.classes,
    (c) => summary.classes.find((k) => k.space === 'object' && k.featureHash === c.featureHash)?.index ?? -1,
  );
  return { summary: tide, predError, predOutcome, labelStatus, labelAnnotation, classIndex };
}

/** The type a prediction card shows, e.g. "Dupe"; undefined for a TIDE true positive or one it did not analyse. */
export function predictionType(view: TideView | undefined, pidx: number): MainError | undefined {
  return view ? errorOfCode(view.predError[pidx]) : undefined;
}

/** What TIDE says of a label, in a few words. */
export function labelTypeText(view: TideView | undefined, lidx: number): string | undefined {
  if (!view) return undefined;
  switch (view.labelStatus[lidx]) {
    case LABEL_STATUS.miss:
      return 'Miss';
    case LABEL_STATUS.recoverable:
      return 'not Miss: a Cls or Loc error found it';
    case LABEL_STATUS.matched:
      return 'matched (TIDE TP)';
    default:
      return undefined;
  }
}

/** "TP (TIDE)" and the like, for a prediction TIDE calls a true positive or left out. */
export function predictionTypeText(view: TideView | undefined, pidx: number): string | undefined {
  if (!view) return undefined;
  const type = predictionType(view, pidx);
  if (type) return view.predOutcome[pidx] === 3 ? `${type} (inside a crowd region)` : type;
  if (view.predOutcome[pidx] === 1) return 'TP at IoU 0.50';
  if (view.predOutcome[pidx] === 0) return 'beyond the 100 per image';
  return undefined;
}

export const TYPE_ORDER = MAIN_ERRORS;
