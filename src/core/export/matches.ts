// The matches table: one row per prediction (TP or FP at the IoU threshold, with Encord Active's reason) and one row
// per missed label (FN), as the Model quality lists and the Explorer show them. Rows come in the evaluation's order:
// predictions by confidence (highest first), then missed labels in project order.
import { reasonText } from '../eval/active/score.ts';
import { imageIdentity, LabelLookup, type ImageIdentity } from './identity.ts';
import type { MatchInput } from './match-input.ts';
import type { TableSpec } from './table.ts';

/** Per-prediction and per-label error types from the failure analysis (TIDE), when it ran. */
export interface ErrorTypes {
  prediction(pidx: number): string | undefined;
  label(lidx: number): string | undefined;
}

export interface MatchRow extends ImageIdentity {
  predictionIndex: number | undefined;
  className: string;
  confidence: number | undefined;
  iou: number | undefined;
  outcome: 'TP' | 'FP' | 'FN';
  reason: string;
  tideType: string | undefined;
  labelId: string | number | undefined;
}

export const MATCHES: TableSpec<MatchRow> = {
  id: 'matches',
  title: 'Matches',
  doc: 'one row per prediction (outcome TP or FP at the IoU threshold) and one per missed label (outcome FN)',
  columns: [
    { name: 'dataHash', doc: 'the data unit (Encord Active projects; empty for datasets)', value: (r) => r.dataHash },
    { name: 'imageId', doc: "the image's id (datasets; empty for Encord Active projects)", value: (r) => r.imageId },
    { name: 'file', doc: "the image's path in the opened folder", value: (r) => r.file },
    { name: 'frame', doc: 'the frame (videos; the image’s own frame otherwise)', value: (r) => r.frame },
    {
      name: 'predictionIndex',
      doc: 'the prediction’s position in the run (0-based, import order); empty for FN rows',
      value: (r) => r.predictionIndex,
    },
    { name: 'class', doc: 'the predicted class (FN rows: the label’s class)', value: (r) => r.className },
    { name: 'confidence', doc: 'the prediction’s confidence; empty for FN rows', value: (r) => r.confidence },
    {
      name: 'iou',
      doc: 'IoU with the best label of the same class on the frame (0: none overlaps); FN rows: the best IoU a prediction of its class reached, empty when none',
      value: (r) => r.iou,
    },
    { name: 'outcome', doc: 'TP, FP or FN', value: (r) => r.outcome },
    {
      name: 'reason',
      doc: 'Encord Active’s false-positive reason, word for word (empty for TP and FN)',
      value: (r) => r.reason,
    },
    {
      name: 'tideType',
      doc: 'the TIDE error type (Cls, Loc, Both, Dupe, Bkg, Miss) when the failure analysis ran; else empty',
      value: (r) => r.tideType,
    },
    {
      name: 'labelId',
      doc: 'the label: TP its matched label, FP the label it overlaps best (empty when none), FN the missed label; an objectHash, or the annotation id for datasets',
      value: (r) => r.labelId,
    },
  ],
};

export interface MatchSelection {
  /** pidxs to write (default: every prediction). */
  predictions?: Iterable<number>;
  /** lidxs to write (default: every counted, missed label); labels that are not FN are skipped. */
  labels?: Iterable<number>;
}

/** The rows of the matches table, for every prediction and missed label or for a selection of them. */
export function* matchRows(input: MatchInput, selection: MatchSelection = {}, types?: ErrorTypes): Generator<MatchRow> {
  const { project } = input;
  const labels = new LabelLookup(project);
  const identity = frameIdentities(input);
  const labelId = (l: number) => {
    const unit = input.frameUnit[input.labelFrame[l]];
    return unit < 0 ? input.labelHash[l] : labels.id(unit, input.labelHash[l]);
  };
  const predictions = selection.predictions ?? range(input.nPredictions);
  for (const p of predictions) {
    const cls = input.classes[input.predClass[p]];
    const tp = input.isTP[p] === 1;
    const best = input.bestLabel[p];
    yield {
      ...identity(input.predFrame[p]),
      predictionIndex: input.predSource[p],
      className: cls?.name ?? '',
      confidence: input.confidence[p],
      iou: input.iou[p],
      outcome: tp ? 'TP' : 'FP',
      reason: reasonText(input.fpReason[p], cls?.name ?? ''),
      tideType: types?.prediction(p),
      labelId: best >= 0 ? labelId(best) : undefined,
    };
  }
  const bestIou = labelBestIou(input);
  const missed = selection.labels ?? range(input.nLabels);
  for (const l of missed) {
    if (!(input.isFN[l] && input.labelCounted[l])) continue;
    yield {
      ...identity(input.labelFrame[l]),
      predictionIndex: undefined,
      className: input.classes[input.labelClass[l]]?.name ?? '',
      confidence: undefined,
      iou: bestIou[l] >= 0 ? bestIou[l] : undefined,
      outcome: 'FN',
      reason: '',
      tideType: types?.label(l),
      labelId: labelId(l),
    };
  }
}

/** Per label: the best IoU of a prediction matched to it at import (-1: none). */
export function labelBestIou(input: Pick<MatchInput, 'nLabels' | 'bestLabel' | 'iou'>): Float64Array {
  const best = new Float64Array(input.nLabels).fill(-1);
  for (let p = 0; p < input.bestLabel.length; p++) {
    const l = input.bestLabel[p];
    if (l >= 0 && input.iou[p] > best[l]) best[l] = input.iou[p];
  }
  return best;
}

/** The identity of every prepared frame, computed once per frame. */
export function frameIdentities(input: Pick<MatchInput, 'project' | 'frameUnit' | 'frameNumber'>) {
  const cache = new Map<number, ImageIdentity>();
  return (frame: number): ImageIdentity => {
    let id = cache.get(frame);
    if (!id) {
      const unit = input.project.dataUnits[input.frameUnit[frame]];
      id = unit
        ? imageIdentity(input.project, unit, input.frameNumber[frame])
        : { dataHash: '', imageId: undefined, file: '', frame: input.frameNumber[frame] };
      cache.set(frame, id);
    }
    return id;
  };
}

function* range(n: number): Generator<number> {
  for (let i = 0; i < n; i++) yield i;
}
