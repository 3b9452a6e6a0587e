// Likely label errors, from TIDE's view of a run, ranked by the model's confidence (the more confident a model is
// against a label, the more likely the label is wrong):
// - a confident Bkg false positive: no label of any class overlaps it by IoU 0.1: possibly a missing label;
// - a confident Cls error: IoU >= 0.5 with a label of another class: possibly a wrong class;
// - a label that every prediction overlaps only loosely (its class's predictions reach IoU 0.1 but none, of any
//   class, reaches 0.5): possibly a loose box.
// Works on TIDE's per-detection and per-label arrays (a TideResult's, or the worker's TideSummary's).
import { errorCode } from './types.ts';

export type LabelErrorKind = 'missing-label' | 'wrong-class' | 'loose-box';

export interface LabelErrorItem {
  kind: LabelErrorKind;
  /** The model confidence it is ranked by. */
  confidence: number;
  /** The detection (its index in the arrays given) that raises it; for a loose box, its most confident overlap. */
  detection: number;
  /** The label concerned (index in the label arrays); -1 for a missing label. */
  label: number;
  /** Why it is listed, in a sentence. */
  reason: string;
}

export interface LabelErrorInput {
  /** Per detection. */
  outcome: ArrayLike<number>;
  error: ArrayLike<number>;
  confidence: ArrayLike<number>;
  /** Best IoU with a label of its class, and with one of another class (and which). */
  bestIou: ArrayLike<number>;
  otherIou: ArrayLike<number>;
  otherLabel: ArrayLike<number>;
  className: (detection: number) => string;
  /** Per label. */
  labelFalseNegative: ArrayLike<number>;
  labelBestIou: ArrayLike<number>;
  labelBestSameIou: ArrayLike<number>;
  labelOverlapBy: ArrayLike<number>;
  labelClassName: (label: number) => string;
}

export const LABEL_ERROR_TEXT: Record<LabelErrorKind, string> = {
  'missing-label': 'Possibly a missing label',
  'wrong-class': 'Possibly a wrong class',
  'loose-box': 'Possibly a loose box',
};

const FALSE_POSITIVE = 2;
const f2 = (v: number) => v.toFixed(2);

export function likelyLabelErrors(input: LabelErrorInput, minConfidence = 0): LabelErrorItem[] {
  const items: LabelErrorItem[] = [];
  const bkg = errorCode('Bkg');
  const cls = errorCode('Cls');
  for (let d = 0; d < input.outcome.length; d++) {
    const c = input.confidence[d];
    if (!(c >= minConfidence)) continue;
    if (input.error[d] === bkg && input.outcome[d] === FALSE_POSITIVE) {
      items.push({
        kind: 'missing-label',
        confidence: c,
        detection: d,
        label: -1,
        reason:
          `A ${input.className(d)} predicted at confidence ${f2(c)} overlaps no label of any class by IoU 0.1 ` +
          '(TIDE: background): possibly a missing label.',
      });
    } else if (input.error[d] === cls && input.otherLabel[d] >= 0) {
      const l = input.otherLabel[d];
      items.push({
        kind: 'wrong-class',
        confidence: c,
        detection: d,
        label: l,
        reason:
          `Predicted ${input.className(d)} at confidence ${f2(c)} with IoU ${f2(input.otherIou[d])} on a label of ` +
          `class ${input.labelClassName(l)}: possibly a wrong class.`,
      });
    }
  }
  for (let l = 0; l < input.labelFalseNegative.length; l++) {
    const d = input.labelOverlapBy[l];
    if (!input.labelFalseNegative[l] || d < 0 || input.labelBestIou[l] >= 0.5) continue;
    const c = input.confidence[d];
    if (!(c >= minConfidence)) continue;
    items.push({
      kind: 'loose-box',
      confidence: c,
      detection: d,
      label: l,
      reason:
        `No prediction overlaps this ${input.labelClassName(l)} label by IoU 0.5 (best ${f2(input.labelBestIou[l])}), ` +
        `yet a ${input.className(d)} at confidence ${f2(c)} overlaps it by ${f2(input.labelBestSameIou[l])}: ` +
        'possibly a loose box.',
    });
  }
  return items.sort((a, b) => b.confidence - a.confidence || a.detection - b.detection || a.label - b.label);
}
