// EA-style model quality (Encord Active v0.1.40 "Model Quality"): prepare once, score at any IoU threshold.
//
//   const prepared = prepareActive(kernels, project, predictions);          // one-time matching (spec §5.1)
//   const score = scoreActive(prepared, { iouThreshold: 0.5 });             // TP/FP/FN, AP/AR, mAP/mAR, PR (§5.2-5.3)
//   reasonText(score.fpReason[pidx], prepared.classes[prepared.predClass[pidx]].name)
export { prepareActive, defaultClassSpace, type PrepareOptions } from './prepare.ts';
export { scoreActive, reasonText, type ScoreOptions } from './score.ts';
export { metricRows, prRows, subsetMeans } from './pr.ts';
export { RECALL_THRESHOLDS, EA_EPS } from './numeric.ts';
export * from './types.ts';

/**
 * Where predlens deliberately differs from Encord Active v0.1.40, in words the UI can show next to the numbers.
 * None of these changes a number on a project EA handles correctly (boxes and polygons, images, no classifications).
 */
export const DEVIATIONS: readonly string[] = [
  'Object classes and radio-classification options are separate class spaces. EA v0.1.40 numbered both from 0, so ' +
    'an option shared its class id with an object class: box matching could crash and classification predictions ' +
    'could be matched to object labels (fixed in EA v0.1.47).',
  'Video frames are honoured: a prediction is matched on its own frame. EA v0.1.40 reset every non-zero prediction ' +
    'frame to 0, so video and image-group predictions landed on the wrong frame (fixed in EA v0.1.70).',
  'Predictions whose data hash is not in the project, whose class is not in the ontology or whose shape does not ' +
    'fit their class are listed with the reason instead of being dropped silently (EA logged a warning or raised).',
  'With "ignore frames without predictions", a frame counts as predicted when it has a prediction of the class ' +
    'space being scored (objects or classifications); EA v0.1.40, with one merged space, counted any prediction.',
  'Frames are identified by data hash and frame number, not by a salted hash modulo 10,000,000, so two frames can ' +
    'never share an id.',
  'IoUs are used exactly as computed. EA wrote them to predictions.csv and read them back with pandas, whose float ' +
    'parser can move a value by one unit in the last place; only a threshold exactly equal to an IoU could notice.',
  'Point-polygon predictions get their true pixel box. EA v0.1.40 multiplied the points by the image size twice, so ' +
    'the boxes on its cards were far off (IoU and the metrics were not affected).',
];
