// Frame-classification predictions scored the usual way: per radio attribute, the top prediction of each frame
// against the labelled option on that frame. Accuracy, per-option precision / recall / F1, and a confusion matrix
// (rows = true option, columns = predicted option). Frames with a label but no prediction, and with a prediction
// but no label, are counted and reported, not folded into the matrix.
import type { OntologyAttribute, Prediction, Project } from '../model.ts';
import { FrameIndex } from './active/frames.ts';

export interface ClassificationOptions {
  /** Predictions below this confidence are left out (default: none). */
  confidenceThreshold?: number;
}

export interface OptionScore {
  optionHash: string;
  name: string;
  precision: number;
  recall: number;
  f1: number;
  /** Matched frames whose label is this option. */
  support: number;
  /** Matched frames predicted as this option. */
  predicted: number;
}

export interface AttributeReport {
  classificationHash: string;
  attributeHash: string;
  name: string;
  options: { optionHash: string; name: string }[];
  /** matrix[truth * n + predicted], n = options.length. */
  matrix: Int32Array;
  accuracy: number;
  macroF1: number;
  perOption: OptionScore[];
  frames: {
    /** Frames with both a label and a prediction (the matrix counts these). */
    matched: number;
    labelOnly: number;
    predictionOnly: number;
    /** Frames with more than one prediction for the attribute (the most confident one was used). */
    severalPredictions: number;
    /** Frames whose labels disagree with each other (the first label was used). */
    conflictingLabels: number;
  };
}

export interface ClassificationReport {
  attributes: AttributeReport[];
  /** Predictions not used: index into the given list and why. */
  excluded: { source: number; reason: string }[];
}

interface AttributeState {
  report: AttributeReport;
  optionIndex: Map<string, number>;
  truth: Map<number, number>;
  predicted: Map<number, { option: number; confidence: number }>;
}

export function evaluateClassifications(
  project: Project,
  predictions: readonly Prediction[],
  options: ClassificationOptions = {},
): ClassificationReport {
  const frames = new FrameIndex(project);
  const states = new Map<string, AttributeState>();
  const key = (c: string, a: string) => `${c}\u0000${a}`;
  for (const c of project.ontology.classifications) {
    for (const attribute of c.attributes) {
      if (attribute.type !== 'radio') continue;
      states.set(key(c.featureNodeHash, attribute.featureNodeHash), newState(c.featureNodeHash, attribute));
    }
  }

  project.dataUnits.forEach((du, unit) => {
    for (const fl of du.frames) {
      const frame = frames.frameOf(unit, fl.frame);
      for (const labelled of fl.classifications) {
        for (const answer of labelled.answers) {
          const state = states.get(key(labelled.featureHash, answer.attributeHash));
          const first = answer.options[0];
          const option = first ? state?.optionIndex.get(first.featureHash) : undefined;
          if (!state || option === undefined) continue;
          const had = state.truth.get(frame);
          if (had === undefined) state.truth.set(frame, option);
          else if (had !== option) state.report.frames.conflictingLabels++;
        }
      }
    }
  });

  const excluded: ClassificationReport['excluded'] = [];
  const minConfidence = options.confidenceThreshold ?? -Infinity;
  const several = new Map<AttributeState, Set<number>>();
  predictions.forEach((p, source) => {
    if (p.shape.kind !== 'classification') return;
    const unit = frames.unitOf(p.dataHash);
    if (unit < 0) return void excluded.push({ source, reason: `data hash ${p.dataHash} is not in the project` });
    const state = states.get(key(p.featureHash, p.shape.attributeHash));
    const option = state?.optionIndex.get(p.shape.optionHash);
    if (!state || option === undefined) {
      return void excluded.push({
        source,
        reason: `option ${p.shape.optionHash} is not a radio option of classification ${p.featureHash}`,
      });
    }
    if (!(p.confidence >= minConfidence)) return;
    const frame = frames.frameOf(unit, p.frame);
    const had = state.predicted.get(frame);
    if (had) {
      if (!several.has(state)) several.set(state, new Set());
      several.get(state)!.add(frame);
    }
    if (!had || p.confidence > had.confidence) state.predicted.set(frame, { option, confidence: p.confidence });
  });

  return {
    attributes: [...states.values()].map((state) => finish(state, several.get(state)?.size ?? 0)),
    excluded,
  };
}

function newState(classificationHash: string, attribute: OntologyAttribute): AttributeState {
  const n = attribute.options.length;
  return {
    report: {
      classificationHash,
      attributeHash: attribute.featureNodeHash,
      name: attribute.name,
      options: attribute.options.map((o) => ({ optionHash: o.featureNodeHash, name: o.label })),
      matrix: new Int32Array(n * n),
      accuracy: NaN,
      macroF1: NaN,
      perOption: [],
      frames: { matched: 0, labelOnly: 0, predictionOnly: 0, severalPredictions: 0, conflictingLabels: 0 },
    },
    optionIndex: new Map(attribute.options.map((o, i) => [o.featureNodeHash, i])),
    truth: new Map(),
    predicted: new Map(),
  };
}

function finish(state: AttributeState, severalPredictions: number): AttributeReport {
  const { report, truth, predicted } = state;
  const n = report.options.length;
  let correct = 0;
  for (const [frame, t] of truth) {
    const p = predicted.get(frame);
    if (!p) {
      report.frames.labelOnly++;
      continue;
    }
    report.frames.matched++;
    report.matrix[t * n + p.option]++;
    if (t === p.option) correct++;
  }
  for (const frame of predicted.keys()) if (!truth.has(frame)) report.frames.predictionOnly++;
  report.frames.severalPredictions = severalPredictions;
  report.accuracy = report.frames.matched > 0 ? correct / report.frames.matched : NaN;

  report.perOption = report.options.map((o, i) => {
    let support = 0;
    let predictedAs = 0;
    for (let j = 0; j < n; j++) {
      support += report.matrix[i * n + j];
      predictedAs += report.matrix[j * n + i];
    }
    const tp = report.matrix[i * n + i];
    const precision = predictedAs > 0 ? tp / predictedAs : NaN;
    const recall = support > 0 ? tp / support : NaN;
    const f1 =
      precision + recall > 0
        ? (2 * precision * recall) / (precision + recall)
        : support > 0 || predictedAs > 0
          ? 0
          : NaN;
    return { optionHash: o.optionHash, name: o.name, precision, recall, f1, support, predicted: predictedAs };
  });
  const f1s = report.perOption.filter((o) => o.support > 0).map((o) => (Number.isNaN(o.f1) ? 0 : o.f1));
  report.macroF1 = f1s.length > 0 ? f1s.reduce((a, b) => a + b, 0) / f1s.length : NaN;
  return report;
}
