// Prediction[] -> columnar chunks -> Prediction[] gives back exactly what went in, for every shape kind, across
// chunk boundaries, with dictionaries shared between chunks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Prediction } from '../../src/core/model.ts';
import {
  ColumnarEncoder,
  ColumnarError,
  RunColumns,
  chunkBytes,
  decodeChunks,
  encodePredictions,
} from '../../src/store/columnar.ts';

const DU = ['0b1c4a51-4f3e-4d55-9d0f-2b9c1a7e1111', '7d0e2f33-0c55-4e8b-9a41-5f6b7c8d2222'];

const examples: Prediction[] = [
  {
    dataHash: DU[0],
    frame: 0,
    confidence: 0.91,
    featureHash: 'carHash1',
    shape: { kind: 'box', box: { x: 0.1, y: 0.2, w: 0.3, h: 0.4 } },
  },
  {
    dataHash: DU[1],
    frame: 7,
    confidence: 1 / 3,
    featureHash: 'carHash1',
    trackId: 't-19',
    shape: { kind: 'box', box: { x: 0, y: 0, w: 1, h: 1, theta: 12.5 } },
  },
  {
    dataHash: DU[0],
    frame: 0,
    confidence: 0.5,
    featureHash: 'dogHash2',
    trackId: 7,
    shape: {
      kind: 'polygon',
      points: [
        [0.1, 0.1],
        [0.5, 0.1],
        [0.3, 0.6],
      ],
    },
  },
  {
    dataHash: DU[0],
    frame: 3,
    confidence: 0.25,
    featureHash: 'dogHash2',
    shape: {
      kind: 'polygon',
      points: [
        [0, 0],
        [1, 0],
        [1, 1],
        [0, 1],
      ],
      holes: [
        [
          [0.2, 0.2],
          [0.4, 0.2],
          [0.3, 0.4],
        ],
      ],
    },
  },
  {
    dataHash: DU[1],
    frame: 0,
    confidence: 0.75,
    featureHash: 'dogHash2',
    shape: {
      kind: 'polygon',
      points: [
        [0.2, 0.2],
        [0.4, 0.2],
        [0.3, 0.4],
      ],
      holes: [],
    },
  },
  {
    dataHash: DU[1],
    frame: 0,
    confidence: 0.6,
    featureHash: 'signHash',
    shape: { kind: 'mask', mask: { size: [480, 640], counts: 'PZ`05N2O0N2N' } },
  },
  {
    dataHash: DU[1],
    frame: 2,
    confidence: 0.6,
    featureHash: 'signHash',
    shape: { kind: 'mask', mask: { size: [3, 4], counts: [3, 2, 6, 1] } },
  },
  {
    dataHash: DU[0],
    frame: 0,
    confidence: 0.8,
    featureHash: 'clsHash0',
    shape: { kind: 'classification', attributeHash: 'attrHash', optionHash: 'optNight' },
  },
  {
    dataHash: DU[0],
    frame: 0,
    confidence: 0.33,
    featureHash: 'carHash1',
    boxPx: { x: 10.5, y: 20, w: 30.25, h: 40 },
    shape: { kind: 'box', box: { x: 10.5 / 640, y: 20 / 480, w: 30.25 / 640, h: 40 / 480 } },
  },
];

describe('columnar chunks', () => {
  it('give back every shape kind exactly, in order, with track ids, theta, holes and pixel boxes', () => {
    const { chunks, dictionaries, counts } = encodePredictions(examples);
    expect(chunks).toHaveLength(1);
    expect(decodeChunks(chunks, dictionaries)).toEqual(examples);
    expect(counts).toEqual({ predictions: 9, boxes: 3, polygons: 3, masks: 2, classifications: 1 });
    expect(dictionaries.dataHashes).toEqual(DU);
    expect(dictionaries.trackIds).toEqual(['t-19', 7]);
  });

  it('keep the number 7 and the string "7" apart as track ids', () => {
    const base = examples[0];
    const ps: Prediction[] = [
      { ...base, trackId: 7 },
      { ...base, trackId: '7' },
    ];
    const { chunks, dictionaries } = encodePredictions(ps);
    const back = decodeChunks(chunks, dictionaries);
    expect(back[0].trackId).toBe(7);
    expect(back[1].trackId).toBe('7');
  });

  it('split into chunks of the given size and share dictionaries across them', () => {
    const many = Array.from({ length: 25 }, (_, i) => examples[i % examples.length]);
    const { chunks, dictionaries } = encodePredictions(many, 4);
    expect(chunks.map((c) => c.count)).toEqual([4, 4, 4, 4, 4, 4, 1]);
    expect(dictionaries.featureHashes).toHaveLength(4);
    expect(decodeChunks(chunks, dictionaries)).toEqual(many);
    const view = new RunColumns(chunks, dictionaries);
    expect(view.length).toBe(25);
    expect(view.get(0)).toEqual(many[0]);
    expect(view.get(13)).toEqual(many[13]);
    expect(view.get(24)).toEqual(many[24]);
    expect(view.kindName(5)).toBe(many[5].shape.kind);
    expect(() => view.get(25)).toThrow(RangeError);
  });

  it('store a box as typed arrays, not objects: about 60 bytes per box prediction', () => {
    const boxes: Prediction[] = Array.from({ length: 1000 }, (_, i) => ({
      dataHash: DU[i % 2],
      frame: i,
      confidence: i / 1000,
      featureHash: 'carHash1',
      shape: { kind: 'box', box: { x: 0.1, y: 0.1, w: 0.2, h: 0.2 } },
    }));
    const { chunks } = encodePredictions(boxes);
    const perPrediction = chunkBytes(chunks[0]) / 1000;
    expect(perPrediction).toBeLessThan(64);
    expect(chunks[0].track).toBeUndefined();
    expect(chunks[0].boxTheta).toBeUndefined();
  });

  it('refuse what it cannot store faithfully, naming the prediction', () => {
    const encoder = new ColumnarEncoder();
    encoder.add({ ...examples[0], frame: -1 });
    expect(() => encoder.flush()).toThrow(/prediction 0 .*frame must be a whole number/);
    expect(() => new ColumnarEncoder(0)).toThrow(ColumnarError);
  });

  it('round-trips arbitrary predictions (property)', () => {
    const coord = fc.double({ min: 0, max: 1, noNaN: true });
    const point = fc.tuple(coord, coord);
    const ring = fc.array(point, { minLength: 3, maxLength: 8 });
    const box = fc.record({ x: coord, y: coord, w: coord, h: coord }, { requiredKeys: ['x', 'y', 'w', 'h'] });
    const shape = fc.oneof(
      fc.record({ kind: fc.constant('box' as const), box }),
      fc.record({
        kind: fc.constant('box' as const),
        box: fc.record({ x: coord, y: coord, w: coord, h: coord, theta: fc.double({ min: 0, max: 360, noNaN: true }) }),
      }),
      fc.record({ kind: fc.constant('polygon' as const), points: ring }),
      fc.record({ kind: fc.constant('polygon' as const), points: ring, holes: fc.array(ring, { maxLength: 3 }) }),
      fc.record({
        kind: fc.constant('mask' as const),
        mask: fc.record({
          size: fc.tuple(fc.nat(5000), fc.nat(5000)),
          counts: fc.oneof(fc.string({ maxLength: 40 }), fc.array(fc.nat(100000), { maxLength: 20 })),
        }),
      }),
      fc.record({
        kind: fc.constant('classification' as const),
        attributeHash: fc.constantFrom('a1', 'a2'),
        optionHash: fc.constantFrom('o1', 'o2', 'o3'),
      }),
    );
    const prediction = fc
      .record({
        dataHash: fc.constantFrom(...DU, 'x'),
        frame: fc.nat(100000),
        confidence: fc.double({ noNaN: false }),
        featureHash: fc.string({ minLength: 1, maxLength: 8 }),
        shape,
        trackId: fc.option(fc.oneof(fc.string({ maxLength: 5 }), fc.integer()), { nil: undefined }),
        boxPx: fc.option(fc.record({ x: fc.double(), y: fc.double(), w: fc.double(), h: fc.double() }), {
          nil: undefined,
        }),
      })
      .map((p) => {
        const out = { ...p } as Prediction;
        if (p.trackId === undefined) delete out.trackId;
        if (p.boxPx === undefined) delete out.boxPx;
        return out;
      });
    fc.assert(
      fc.property(fc.array(prediction, { maxLength: 40 }), fc.integer({ min: 1, max: 7 }), (ps, size) => {
        const { chunks, dictionaries, counts } = encodePredictions(ps, size);
        expect(decodeChunks(chunks, dictionaries)).toEqual(ps);
        expect(counts.predictions).toBe(ps.length);
        // Object.is equality: -0 and NaN survive too.
        const back = decodeChunks(chunks, dictionaries);
        back.forEach((b, i) => expect(Object.is(b.confidence, ps[i].confidence)).toBe(true));
      }),
      { numRuns: 200 },
    );
  });
});
