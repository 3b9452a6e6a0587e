// prepareActive (EA's import-time matching) on ea-mini read from disk with predictions.pkl read by the .pkl
// reader, compared with what EA v0.1.40's PredictionWriter wrote (predictions.csv, labels.csv,
// ground_truths_matched.json); plus the places where predlens deliberately does better.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { prepareActive, scoreActive } from '../../src/core/eval/active/index.ts';
import { readPklBytes } from '../../src/core/formats/pkl.ts';
import { readProject } from '../../src/core/project/read.ts';
import { NodeTree } from '../../src/files/node-fs.ts';
import { loadKernels } from '../../src/kernels/node.ts';
import { fixture } from '../fixtures.ts';
import { EA_MINI, readEaCsv, reference } from './active-ea-mini.ts';
import {
  boxLabel,
  boxPrediction,
  makeProject,
  objectClass,
  radioClassification,
  radioLabel,
  radioPrediction,
} from './active-project.ts';

const kernels = await loadKernels();
const project = await readProject(new NodeTree(EA_MINI));
const imported = readPklBytes(kernels, project, readFileSync(fixture('ea-mini', 'predictions.pkl')), 'predictions.pkl');
const CAR = reference.project.feature_hashes.Car;

describe('prepareActive on ea-mini, box class (Car)', () => {
  const carOnly = imported.predictions.filter((p) => p.featureHash === CAR);
  const prepared = prepareActive(kernels, project, carOnly);
  const eaPredictions = readEaCsv('predictions.csv').filter((r) => r.class_id === '0');
  const eaLabels = readEaCsv('labels.csv');

  it('reads the four Car predictions of the pickle', () => {
    expect(imported.report.rejected).toEqual([]);
    expect(carOnly).toHaveLength(4);
    expect(prepared.excluded).toEqual([]);
  });

  it('sorts by confidence, descending, as EA', () => {
    expect([...prepared.confidence]).toEqual(eaPredictions.map((r) => Number(r.confidence)));
  });

  it('stores the float32 torchvision box IoU EA wrote to predictions.csv, bit for bit', () => {
    expect([...prepared.iou]).toEqual(eaPredictions.map((r) => Number(r.iou)));
    expect(prepared.iou[0]).toBe(0.9354838728904724);
  });

  it('computes the pixel boxes EA wrote: predictions unrounded, box labels rounded to 2 decimals', () => {
    eaPredictions.forEach((r, pidx) => {
      expect([...prepared.predBoxPx.subarray(4 * pidx, 4 * pidx + 4)]).toEqual([r.x1, r.y1, r.x2, r.y2].map(Number));
    });
    eaLabels.forEach((r, lidx) => {
      expect([...prepared.labelBoxPx.subarray(4 * lidx, 4 * lidx + 4)], `lidx ${lidx}`).toEqual(
        [r.x1, r.y1, r.x2, r.y2].map(Number),
      );
    });
  });

  it('puts every prediction on its single best label, as ground_truths_matched.json', () => {
    const lists = Array.from({ length: prepared.nLabels }, (_, l) => [
      ...prepared.labelMatchPidx.subarray(prepared.labelMatchStart[l], prepared.labelMatchStart[l + 1]),
    ]);
    // EA's pidxs 1,2 -> Car pidx 0,1 here (the Cat predictions are left out of this run); pidx 3 -> 2.
    expect(lists).toEqual([[0, 1], [2], [], []]);
    expect([...prepared.bestLabel]).toEqual([0, 0, 1, -1]);
  });

  it('gives EA’s Car reasons at 0.5', () => {
    const score = scoreActive(prepared, { iouThreshold: 0.5 });
    expect([...score.isTP]).toEqual([1, 0, 0, 0]);
    expect([...score.fpReason]).toEqual([0, 2, 3, 1]);
    expect(score.perClass.find((c) => c.name === 'Car')!.AP).toBe(reference.results[0].per_class.Car.AP);
  });
});

describe('prepareActive on ea-mini, every prediction (boxes, a point polygon, a mask)', () => {
  const prepared = prepareActive(kernels, project, imported.predictions);
  const eaPredictions = readEaCsv('predictions.csv');
  const gtm: Record<string, Record<string, { lidx: number; pidxs: number[] }[]>> = JSON.parse(
    readFileSync(fixture('ea-mini', 'predictions', 'ground_truths_matched.json'), 'utf8'),
  );

  it('orders the predictions as EA did (pidx -> position in the pickle)', () => {
    expect([...prepared.predSource]).toEqual(reference.predictions.map((p) => p.input_index_in_pkl));
  });

  it('stores the IoUs EA wrote: float32 box IoU, float64 rasterised polygon and mask IoU', () => {
    expect([...prepared.iou]).toEqual(eaPredictions.map((r) => Number(r.iou)));
    expect(prepared.iou[0]).toBe(975 / 1025); // points x 0.5-0.88 fill 39x25 px of the label's 41x25
    expect(prepared.iou[5]).toBe(960 / 1025); // the 40x24 mask
  });

  it('differs from reference.json only where pandas re-read predictions.csv one ulp off', () => {
    reference.predictions.forEach((r, pidx) => {
      const mine = prepared.iou[pidx];
      expect(Math.abs(mine - r.iou)).toBeLessThanOrEqual(Number.EPSILON * Math.max(mine, 1e-300));
    });
  });

  it('builds ground_truths_matched.json', () => {
    for (const [classId, byImage] of Object.entries(gtm)) {
      for (const entries of Object.values(byImage)) {
        for (const { lidx, pidxs } of entries) {
          expect(prepared.labelClass[lidx]).toBe(Number(classId));
          expect([
            ...prepared.labelMatchPidx.subarray(prepared.labelMatchStart[lidx], prepared.labelMatchStart[lidx + 1]),
          ]).toEqual(pidxs);
        }
      }
    }
  });

  it('gives the mask its cv2.boundingRect box and the point polygon its true box (EA: x W, H twice)', () => {
    expect([...prepared.predBoxPx.subarray(20, 24)]).toEqual([50, 8, 90, 32]);
    expect([...prepared.predBoxPx.subarray(0, 4)]).toEqual([50, 8, 88, 32]);
    expect(reference.predictions[0].x1y1x2y2).toEqual([5000, 640, 8801, 2561]);
  });

  it('from the .pkl to the numbers: every reference result, bit for bit', () => {
    for (const ref of reference.results) {
      const score = scoreActive(prepared, {
        iouThreshold: ref.iou_threshold,
        ignoreFramesWithoutPredictions: ref.ignore_frames_without_predictions,
      });
      expect(score.mAP).toBe(ref.mAP);
      expect(score.mAR).toBe(ref.mAR);
      for (const c of score.perClass)
        expect([c.AP, c.AR]).toEqual([ref.per_class[c.name].AP, ref.per_class[c.name].AR]);
      expect([...score.isTP].map(Boolean)).toEqual(ref.predictions.map((p) => p.is_true_positive));
    }
  });

  it('pairs every prediction with the labels of any class it overlaps, for the confusion matrix', () => {
    const pairs = (p: number) => [...prepared.pairLidx.subarray(prepared.pairStart[p], prepared.pairStart[p + 1])];
    expect(pairs(0)).toEqual([2]); // the Cat point polygon: only the Cat label (its box misses both Car boxes)
    expect(pairs(1)).toEqual([0]);
    expect(pairs(4)).toEqual([]);
  });
});

describe('where predlens does better than EA v0.1.40', () => {
  const ontology = {
    objects: [objectClass('Car', 'car'), objectClass('Sign', 'sign')],
    classifications: [
      radioClassification('weather', 'attr', 'Weather', [
        ['sun', 'Sunny'],
        ['rain', 'Rainy'],
      ]),
    ],
  };

  it('keeps objects and radio options in separate class spaces (EA numbered both from 0)', () => {
    const p = makeProject(ontology, [
      {
        hash: 'a',
        frames: {
          0: {
            objects: [boxLabel('car', { x: 0.1, y: 0.1, w: 0.2, h: 0.2 })],
            classifications: [radioLabel('weather', 'attr', 'sun')],
          },
        },
      },
    ]);
    const predictions = [
      boxPrediction('a', 'car', 0.9, { x: 0.1, y: 0.1, w: 0.2, h: 0.2 }),
      radioPrediction('a', 'weather', 'attr', 'sun', 0.8),
    ];
    const objects = prepareActive(kernels, p, predictions);
    expect(objects.classes.map((c) => c.name)).toEqual(['Car', 'Sign']);
    expect(objects.excluded.map((e) => e.code)).toEqual(['outside_class_space']);
    // A perfect single-label class scores EA's 100/101, exactly as ea-mini's Cat.
    expect(scoreActive(objects, { iouThreshold: 0.5 }).mAP).toBe(reference.results[0].per_class.Cat.AP);

    const both = prepareActive(kernels, p, predictions, { classSpace: 'both' });
    expect(both.classes.map((c) => [c.name, c.space, c.eaClassId])).toEqual([
      ['Car', 'object', 0],
      ['Sign', 'object', 1],
      ['Sunny', 'classification', 0],
      ['Rainy', 'classification', 1],
    ]);
    // The classification prediction matches only the classification label, with IoU 1; the box only the box.
    expect([...both.bestLabel]).toEqual([0, 1]);
    expect([...both.iou]).toEqual([1, 1]);
    const score = scoreActive(both, { iouThreshold: 0.5 });
    expect([...score.isTP]).toEqual([1, 1]);
  });

  it('matches a classification prediction to every label of its option on the frame', () => {
    const p = makeProject(ontology, [
      {
        hash: 'a',
        frames: {
          0: { classifications: [radioLabel('weather', 'attr', 'rain'), radioLabel('weather', 'attr', 'rain')] },
        },
      },
    ]);
    const prepared = prepareActive(kernels, p, [radioPrediction('a', 'weather', 'attr', 'rain', 0.7)]);
    expect(prepared.space).toBe('classifications');
    expect([...prepared.labelMatchStart]).toEqual([0, 1, 2]);
    expect([...prepared.labelMatchPidx]).toEqual([0, 0]);
  });

  it('honours video frames: a prediction on frame 7 matches the label on frame 7 only', () => {
    const box = { x: 0.1, y: 0.1, w: 0.3, h: 0.3 };
    const p = makeProject(ontology, [
      {
        hash: 'v',
        video: true,
        frames: { 0: { objects: [boxLabel('car', box)] }, 7: { objects: [boxLabel('car', box)] } },
      },
    ]);
    const prepared = prepareActive(kernels, p, [boxPrediction('v', 'car', 0.9, box, 7)]);
    expect(prepared.frames.map((f) => f.frame)).toEqual([0, 7]);
    expect([...prepared.bestLabel]).toEqual([1]);
    const score = scoreActive(prepared, { iouThreshold: 0.5, ignoreFramesWithoutPredictions: true });
    expect(score.perClass[0].nLabels).toBe(1);
    expect(score.perClass[0].AR).toBe(1 / (1 + Number.EPSILON));
  });

  it('lists predictions it cannot use instead of dropping them silently', () => {
    const p = makeProject(ontology, [{ hash: 'a', frames: { 0: {} } }]);
    const prepared = prepareActive(kernels, p, [
      boxPrediction('nope', 'car', 0.9, { x: 0, y: 0, w: 0.1, h: 0.1 }),
      boxPrediction('a', 'truck', 0.9, { x: 0, y: 0, w: 0.1, h: 0.1 }),
      {
        dataHash: 'a',
        frame: 0,
        confidence: 0.5,
        featureHash: 'car',
        shape: {
          kind: 'polygon',
          points: [
            [0, 0],
            [0.1, 0],
            [0.1, 0.1],
          ],
        },
      },
      boxPrediction('a', 'car', NaN, { x: 0, y: 0, w: 0.1, h: 0.1 }),
    ]);
    expect(prepared.nPredictions).toBe(0);
    expect(prepared.excluded.map((e) => [e.source, e.code])).toEqual([
      [0, 'unknown_data_hash'],
      [1, 'unknown_class'],
      [2, 'shape_mismatch'],
      [3, 'bad_confidence'],
    ]);
  });

  it('keeps equal confidences in input order (stable sort)', () => {
    const p = makeProject(ontology, [{ hash: 'a', frames: { 0: {} } }]);
    const preds = [0.5, 0.9, 0.5, 0.9].map((c, i) =>
      boxPrediction('a', 'car', c, { x: i / 10, y: 0, w: 0.05, h: 0.05 }),
    );
    expect([...prepareActive(kernels, p, preds).predSource]).toEqual([1, 3, 0, 2]);
  });
});
