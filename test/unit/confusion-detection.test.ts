// The detection confusion matrix on a small box project whose every IoU is 0 or 1, so each cell can be worked out
// by hand from the documented rule.
import { describe, expect, it } from 'vitest';
import { prepareActive } from '../../src/core/eval/active/index.ts';
import { detectionConfusion } from '../../src/core/eval/confusion.ts';
import { loadKernels } from '../../src/kernels/node.ts';
import { boxLabel, boxPrediction, makeProject, objectClass } from './active-project.ts';

const kernels = await loadKernels();
const A = { x: 0.1, y: 0.1, w: 0.2, h: 0.2 };
const B = { x: 0.5, y: 0.5, w: 0.2, h: 0.2 };
const C = { x: 0.7, y: 0.1, w: 0.2, h: 0.2 };
const NOWHERE = { x: 0.0, y: 0.8, w: 0.05, h: 0.05 };
const ontology = { objects: [objectClass('Car', 'car'), objectClass('Sign', 'sign')], classifications: [] };
const project = makeProject(ontology, [
  { hash: 'a', frames: { 0: { objects: [boxLabel('car', A), boxLabel('sign', B), boxLabel('car', C)] } } },
  { hash: 'b', frames: { 0: { objects: [boxLabel('sign', A)] } } },
]);
const prepared = prepareActive(kernels, project, [
  boxPrediction('a', 'car', 0.9, A), // Car label at A: diagonal
  boxPrediction('a', 'car', 0.8, B), // the Sign label at B, predicted Car: off the diagonal
  boxPrediction('a', 'sign', 0.7, A), // A is taken already: a false detection (background row)
  boxPrediction('a', 'car', 0.3, NOWHERE), // overlaps nothing: background row
]);
// rows = truth (Car, Sign, background), columns = predicted (Car, Sign, background = missed)
const matrix = (counts: Int32Array) => [[...counts.slice(0, 3)], [...counts.slice(3, 6)], [...counts.slice(6, 9)]];

describe('detection confusion matrix', () => {
  it('puts every label and prediction in exactly one cell', () => {
    const m = detectionConfusion(prepared, { iouThreshold: 0.5 });
    expect(m.classes.map((c) => c.name)).toEqual(['Car', 'Sign']);
    expect(matrix(m.counts)).toEqual([
      [1, 0, 1], // Car at A found; Car at C missed
      [1, 0, 1], // Sign at B predicted as Car; Sign on frame b missed
      [1, 1, 0], // a Car and a Sign prediction that matched nothing
    ]);
    expect([m.matchedSameClass, m.matchedOtherClass, m.unmatchedPredictions, m.missedLabels]).toEqual([1, 1, 2, 2]);
  });

  it('leaves out predictions below the confidence threshold', () => {
    const m = detectionConfusion(prepared, { iouThreshold: 0.5, confidenceThreshold: 0.5 });
    expect(matrix(m.counts)[2]).toEqual([0, 1, 0]);
  });

  it('can leave out labels on frames without predictions', () => {
    const m = detectionConfusion(prepared, { iouThreshold: 0.5, ignoreFramesWithoutPredictions: true });
    expect(matrix(m.counts)[1]).toEqual([1, 0, 0]);
  });

  it('needs IoU at or above the threshold', () => {
    const shifted = prepareActive(kernels, project, [boxPrediction('a', 'car', 0.9, { ...A, x: 0.15 })]);
    // IoU of two 20x16 px boxes shifted by 5 px: 15*16 / (2*320 - 240) = 0.6
    expect(detectionConfusion(shifted, { iouThreshold: 0.6 }).matchedSameClass).toBe(1);
    expect(detectionConfusion(shifted, { iouThreshold: 0.61 }).unmatchedPredictions).toBe(1);
  });

  it('prefers a label of the prediction’s own class when two labels overlap it equally', () => {
    const twins = makeProject(ontology, [
      { hash: 'a', frames: { 0: { objects: [boxLabel('sign', A), boxLabel('car', A)] } } },
    ]);
    const m = detectionConfusion(prepareActive(kernels, twins, [boxPrediction('a', 'car', 0.9, A)]), {
      iouThreshold: 0.5,
    });
    expect(matrix(m.counts)).toEqual([
      [1, 0, 0],
      [0, 0, 1],
      [0, 0, 0],
    ]);
  });
});
