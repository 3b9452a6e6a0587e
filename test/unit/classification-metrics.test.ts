// Frame-classification metrics on a small hand-made project: 6 images labelled Sunny/Rainy/Foggy, predictions on
// some of them, every count worked out by hand.
import { describe, expect, it } from 'vitest';
import { evaluateClassifications } from '../../src/core/eval/classification.ts';
import { makeProject, radioClassification, radioLabel, radioPrediction } from './active-project.ts';

const ontology = {
  objects: [],
  classifications: [
    radioClassification('weather', 'w', 'Weather', [
      ['sun', 'Sunny'],
      ['rain', 'Rainy'],
      ['fog', 'Foggy'],
    ]),
  ],
};
const label = (option: string) => ({ 0: { classifications: [radioLabel('weather', 'w', option)] } });
const project = makeProject(ontology, [
  { hash: 'i1', frames: label('sun') },
  { hash: 'i2', frames: label('sun') },
  { hash: 'i3', frames: label('rain') },
  { hash: 'i4', frames: label('rain') },
  { hash: 'i5', frames: label('fog') }, // no prediction
  { hash: 'i6', frames: { 0: {} } }, // predicted, not labelled
]);
const predictions = [
  radioPrediction('i1', 'weather', 'w', 'sun', 0.9),
  radioPrediction('i2', 'weather', 'w', 'rain', 0.6),
  radioPrediction('i2', 'weather', 'w', 'sun', 0.4), // a second, less confident prediction on i2: not used
  radioPrediction('i3', 'weather', 'w', 'rain', 0.8),
  radioPrediction('i4', 'weather', 'w', 'sun', 0.7),
  radioPrediction('i6', 'weather', 'w', 'fog', 0.5),
  radioPrediction('nope', 'weather', 'w', 'fog', 0.5),
  radioPrediction('i1', 'weather', 'w', 'snow', 0.5),
];

describe('classification metrics', () => {
  const report = evaluateClassifications(project, predictions);
  const weather = report.attributes[0];

  it('builds the confusion matrix from the most confident prediction of each labelled frame', () => {
    expect(weather.name).toBe('Weather');
    expect(weather.options.map((o) => o.name)).toEqual(['Sunny', 'Rainy', 'Foggy']);
    // rows = truth, columns = prediction
    expect([...weather.matrix]).toEqual([1, 1, 0, 1, 1, 0, 0, 0, 0]);
    expect(weather.accuracy).toBe(2 / 4);
  });

  it('gives precision, recall and F1 per option', () => {
    const [sunny, rainy, foggy] = weather.perOption;
    expect(sunny).toMatchObject({ precision: 1 / 2, recall: 1 / 2, f1: 1 / 2, support: 2, predicted: 2 });
    expect(rainy).toMatchObject({ precision: 1 / 2, recall: 1 / 2, support: 2, predicted: 2 });
    expect(foggy.support).toBe(0);
    expect(foggy.precision).toBeNaN();
    expect(weather.macroF1).toBe(1 / 2);
  });

  it('counts frames with a label but no prediction, and the other way round', () => {
    expect(weather.frames).toEqual({
      matched: 4,
      labelOnly: 1,
      predictionOnly: 1,
      severalPredictions: 1,
      conflictingLabels: 0,
    });
  });

  it('reports predictions it cannot place', () => {
    expect(report.excluded.map((e) => e.source)).toEqual([6, 7]);
    expect(report.excluded[0].reason).toContain('nope');
  });

  it('applies a confidence threshold', () => {
    const strict = evaluateClassifications(project, predictions, { confidenceThreshold: 0.65 }).attributes[0];
    // i2 (0.6 and 0.4) and i6 (0.5) drop out.
    expect(strict.frames).toMatchObject({ matched: 3, labelOnly: 2, predictionOnly: 0 });
    expect(strict.accuracy).toBe(2 / 3);
  });
});
