// Decoding, NMS and box mapping for every supported layout, through the real onnxruntime-node on the fixture
// models (test/fixtures/onnx), checked against expectations worked out by hand from the values the fixture
// script wrote. Scores are float32 values (0.9 is 0.8999999761581421), hence Math.fround below.
import { describe, expect, it } from 'vitest';
import { nodeInferenceHost } from '../../src/cli/onnx-host.ts';
import { decodeOutputs, type Candidates } from '../../src/core/inference/decode.ts';
import { boxToImage, letterboxGeometry } from '../../src/core/inference/letterbox.ts';
import { suppress } from '../../src/core/inference/nms.ts';
import { inspectModel, planRun, predictImage } from '../../src/core/inference/predict.ts';
import { defaultSettings } from '../../src/core/inference/settings.ts';
import { projectFromUnits } from '../../src/core/project/assemble.ts';
import type { DataUnit, OntologyObject } from '../../src/core/model.ts';
import { onnxBytes } from './inference-fixtures.ts';

const f = Math.fround;

async function outputsOf(file: string, dims = [1, 3, 64, 64]) {
  const bytes = onnxBytes(file);
  const host = await nodeInferenceHost(bytes, file);
  const { info, guess } = inspectModel(bytes, file);
  const data = new Float32Array(dims.reduce((a, b) => a * b, 1)).fill(0.5);
  const outputs = await host.run({ name: info.inputs[0].name, data, dims, type: 'float32' });
  await host.release();
  return { outputs, guess };
}

/** Rows [x1, y1, x2, y2, score, class] of the kept candidates, in output order. */
const rows = (c: Candidates, kept: number[]) =>
  kept.map((i) => [c.x1[i], c.y1[i], c.x2[i], c.y2[i], c.score[i], c.cls[i]]);

const opts = { conf: 0.001, multiLabel: true, inputWidth: 64, inputHeight: 64 };
const nms = { iou: 0.7, maxDet: 300, nms: true };

// The YOLO fixtures' five anchors (cx, cy, w, h -> x1, y1, x2, y2) and class scores [car, pedestrian, dog]:
//   a0 (20,20,20,20) -> (10,10,30,30)  [0.9, 0, 0.0005]
//   a1 (22,20,20,20) -> (12,10,32,30)  [0.8, 0.3, 0]       car: IoU with a0 = 360 / 440 = 0.818 > 0.7 -> gone
//   a2 (40,40,10,10) -> (35,35,45,45)  [0.0009, 0.001, 0.002]  only dog is > 0.001 (0.001 is not, strictly)
//   a3 (26,20,20,20) -> (16,10,36,30)  [0.85, 0, 0]        car: IoU with a0 = 280 / 520 = 0.538 -> kept
//   a4 (60,60,20,20) -> (50,50,70,70)  [0, 0, 0.5]
const YOLO_EXPECTED = [
  [10, 10, 30, 30, f(0.9), 0],
  [16, 10, 36, 30, f(0.85), 0],
  [50, 50, 70, 70, f(0.5), 2],
  [12, 10, 32, 30, f(0.3), 1],
  [35, 35, 45, 45, f(0.002), 2],
];

describe('YOLO layouts through onnxruntime-node', () => {
  it.each(['yolov8-const.onnx', 'yolov8-rows-const.onnx'])(
    '%s: candidates above 0.001, per-class NMS at 0.7, by score',
    async (file) => {
      const { outputs, guess } = await outputsOf(file);
      const c = decodeOutputs(guess.layout!, outputs, { ...opts, classes: 3 });
      // Multi-label candidates in anchor then class order: a0 car, a1 car, a1 pedestrian, a2 dog, a3 car, a4 dog.
      expect(c.cls).toEqual([0, 0, 1, 2, 0, 2]);
      expect(rows(c, suppress(c, nms))).toEqual(YOLO_EXPECTED);
    },
  );

  it('best class only: a1 gives its car score alone, and NMS removes it', async () => {
    const { outputs, guess } = await outputsOf('yolov8-const.onnx');
    const c = decodeOutputs(guess.layout!, outputs, { ...opts, multiLabel: false });
    expect(c.cls).toEqual([0, 0, 2, 0, 2]);
    expect(rows(c, suppress(c, nms)).map((r) => r[4])).toEqual([f(0.9), f(0.85), f(0.5), f(0.002)]);
  });

  it('max detections cuts the list by score; IoU 0.5 also removes a3', async () => {
    const { outputs, guess } = await outputsOf('yolov8-const.onnx');
    const c = decodeOutputs(guess.layout!, outputs, opts);
    expect(rows(c, suppress(c, { ...nms, maxDet: 2 }))).toEqual(YOLO_EXPECTED.slice(0, 2));
    expect(rows(c, suppress(c, { ...nms, iou: 0.5 })).map((r) => r[4])).toEqual([f(0.9), f(0.5), f(0.3), f(0.002)]);
  });

  it('YOLOv5: anchors whose objectness is not above conf are dropped, scores are objectness x class', async () => {
    // obj [1, 0.5, 0.5, 0.0005, 1]; classes a0 [0.9, 0.1, 0], a1 [0.5, 0.5, 0], a2 [0.004, 0, 0.5], a3 dropped,
    // a4 [0, 0.25, 0.75] -> a0 car 0.9, ped 0.1; a1 car 0.25, ped 0.25; a2 car 0.002, dog 0.25; a4 ped .25, dog .75.
    const { outputs, guess } = await outputsOf('yolov5-const.onnx');
    expect(guess.layout).toMatchObject({ kind: 'yolo', objectness: true, order: 'anchors-first' });
    const c = decodeOutputs(guess.layout!, outputs, { ...opts, classes: 3 });
    expect(rows(c, suppress(c, nms))).toEqual([
      [10, 10, 30, 30, f(0.9), 0],
      [50, 50, 70, 70, f(0.75), 2],
      [12, 10, 32, 30, f(0.25), 1], // a1 pedestrian vs a0 pedestrian (0.1): a1 is first by score, a0's is removed
      [35, 35, 45, 45, f(0.25), 2],
      [50, 50, 70, 70, f(0.25), 1],
      [35, 35, 45, 45, f(f(0.004) * 0.5), 0],
    ]);
  });

  it('end-to-end [1, N, 6]: scores above conf as given, no NMS', async () => {
    const { outputs, guess } = await outputsOf('end2end-const.onnx');
    const c = decodeOutputs(guess.layout!, outputs, opts);
    expect(rows(c, suppress(c, { ...nms, nms: false }))).toEqual([
      [10, 10, 30, 30, f(0.9), 0],
      [12, 10, 32, 30, f(0.8), 0],
      [50, 50, 70, 70, f(0.5), 1],
    ]);
  });
});

describe('DETR and torchvision layouts', () => {
  it('DETR: softmax over classes + "no object", best class per query, normalised boxes scaled to the input', async () => {
    // Queries (probabilities car, ped, dog, none; boxes cx, cy, w, h / 64):
    //   q0 [0.8, 0.1, 0.05 | 0.05] (32, 32, 16, 16) -> car 0.8 at (24, 24, 40, 40)
    //   q1 [0.05, 0.05, 0.1 | 0.8] (8, 8, 4, 4)     -> dog 0.1 at (6, 6, 10, 10)
    //   q2 [0.1, 0.6, 0.1 | 0.2] (16, 48, 8, 16)    -> pedestrian 0.6 at (12, 40, 20, 56)
    //   q3 [0.25 x 4] (40, 40, 8, 8)                -> car 0.25 (the first of equal scores) at (36, 36, 44, 44)
    const { outputs, guess } = await outputsOf('detr-const.onnx');
    const c = decodeOutputs(guess.layout!, outputs, { ...opts, multiLabel: false });
    const kept = rows(c, suppress(c, { ...nms, nms: false }));
    expect(kept.map((r) => r.slice(0, 4).concat(r[5]))).toEqual([
      [24, 24, 40, 40, 0],
      [12, 40, 20, 56, 1],
      [36, 36, 44, 44, 0],
      [6, 6, 10, 10, 2],
    ]);
    // The logits are float32 logarithms of those probabilities: the softmax gives them back to ~1e-7.
    kept.map((r) => r[4]).forEach((s, i) => expect(s).toBeCloseTo([0.8, 0.6, 0.25, 0.1][i], 6));
  });

  it('torchvision: boxes, scores and int64 labels as given; NMS per label removes the second box of label 3', async () => {
    // (8,8,24,24) 0.95 and (10,8,26,24) 0.9: IoU = 224 / 288 = 0.778 > 0.7.
    const { outputs, guess } = await outputsOf('torchvision-const.onnx', [3, 64, 64]);
    const c = decodeOutputs(guess.layout!, outputs, opts);
    expect(rows(c, suppress(c, nms))).toEqual([
      [8, 8, 24, 24, f(0.95), 3],
      [40, 4, 60, 20, f(0.4), 1],
    ]);
  });
});

describe('predictImage: letterbox, run, decode, NMS, back to image pixels, ontology classes', () => {
  const objects: OntologyObject[] = [
    { id: '1', name: 'Car', color: '#f00', shape: 'bounding_box', featureNodeHash: 'carHash0', attributes: [] },
    { id: '2', name: 'Pedestrian', color: '#0f0', shape: 'bounding_box', featureNodeHash: 'pedHash00', attributes: [] },
    { id: '3', name: 'Dog', color: '#00f', shape: 'polygon', featureNodeHash: 'dogHash00', attributes: [] },
  ];
  const unit: DataUnit = {
    dataHash: 'img-a',
    labelHash: 'lr-a',
    title: 'a.png',
    dataType: 'image',
    mime: 'image/png',
    width: 128,
    height: 96,
    sequence: 0,
    frames: [{ frame: 0, objects: [], classifications: [] }],
    images: { 0: 'a.png' },
    frameNumbers: [0],
  };
  const project = projectFromUnits({ objects, classifications: [] }, [unit]);
  const image = { width: 128, height: 96, rgba: new Uint8Array(128 * 96 * 4).fill(128) };

  it('maps names to box classes, leaves the polygon class out, and normalises the image-pixel boxes', async () => {
    const bytes = onnxBytes('yolov8-const.onnx');
    const { info, guess } = inspectModel(bytes, 'yolov8-const.onnx');
    const plan = planRun(project, info, guess);
    expect(plan.classes.rows).toEqual([
      { key: '0', name: 'car', target: 'carHash0' },
      { key: '1', name: 'pedestrian', target: 'pedHash00' },
      { key: '2', name: 'dog', note: 'Dog is a polygon class: box predictions cannot be scored against it' },
    ]);
    const host = await nodeInferenceHost(bytes, 'yolov8-const.onnx');
    const result = await predictImage(
      plan,
      host,
      { dataHash: 'img-a', frame: 0, path: 'a.png', title: 'a.png' },
      image,
    );
    await host.release();
    // 128 x 96 -> 64 x 48 at r = 0.5, 8 rows of padding on top: x / 0.5, (y - 8) / 0.5, clipped to 128 x 96.
    expect(letterboxGeometry(128, 96, 64, 64)).toMatchObject({ ratio: 0.5, top: 8 });
    expect(boxToImage(letterboxGeometry(128, 96, 64, 64), [16, 10, 36, 30])).toEqual([32, 4, 72, 44]);
    expect(result.predictions.map((p) => [p.featureHash, p.confidence, p.shape.kind === 'box' && p.shape.box])).toEqual(
      [
        ['carHash0', f(0.9), { x: 20 / 128, y: 4 / 96, w: 40 / 128, h: 40 / 96 }],
        ['carHash0', f(0.85), { x: 32 / 128, y: 4 / 96, w: 40 / 128, h: 40 / 96 }],
        ['pedHash00', f(0.3), { x: 24 / 128, y: 4 / 96, w: 40 / 128, h: 40 / 96 }],
      ],
    );
    expect(result.detections).toBe(5);
    expect([...result.unmapped]).toEqual([[2, 2]]);
  });

  it('a user class map overrides the rule by index or by model class name, and "" leaves a class out', () => {
    const { info, guess } = inspectModel(onnxBytes('yolov8-const.onnx'), 'yolov8-const.onnx');
    const plan = planRun(project, info, guess, defaultSettings(guess), { car: 'pedHash00', '1': '' });
    expect(plan.classes.rows.map((r) => r.target)).toEqual(['pedHash00', undefined, undefined]);
    expect(() => planRun(project, info, guess, defaultSettings(guess), { '0': 'nope' })).toThrow(
      /"nope" is not a featureNodeHash/,
    );
    expect(() => planRun(project, info, guess, defaultSettings(guess), { truck: 'carHash0' })).toThrow(
      /"truck" is neither a class number nor a class name/,
    );
  });

  it('a float16 input gets the image as float16: boxes as with float32, scores the float16-rounded values', async () => {
    // A ramp image, so cells have different maxima; 128 x 96 as above.
    const ramp = { width: 128, height: 96, rgba: Uint8Array.from({ length: 128 * 96 * 4 }, (_, i) => (i * 7) % 251) };
    const job = { dataHash: 'img-a', frame: 0, path: 'a.png', title: 'a.png' };
    const results = [];
    for (const file of ['yolov8-grid.onnx', 'yolov8-grid-fp16.onnx']) {
      const bytes = onnxBytes(file);
      const { info, guess } = inspectModel(bytes, file);
      expect(guess.input?.type).toBe(file.includes('fp16') ? 'float16' : 'float32');
      const host = await nodeInferenceHost(bytes, file);
      results.push((await predictImage(planRun(project, info, guess), host, job, ramp)).predictions);
      await host.release();
    }
    const [full, half] = results;
    const toHalf = (v: number) => {
      // Round to float16 (11 significant bits, ties to even) for values in [2^-14, 1].
      const e = Math.floor(Math.log2(v));
      const step = 2 ** (e - 10);
      const q = v / step;
      const r = Math.floor(q);
      return (q - r > 0.5 || (q - r === 0.5 && r % 2 === 1) ? r + 1 : r) * step;
    };
    expect(half.map((p) => p.shape)).toEqual(full.map((p) => p.shape));
    expect(half.map((p) => p.confidence)).toEqual(full.map((p) => toHalf(p.confidence)));
  });

  it('refuses sizes a fixed-size model cannot take', () => {
    const { info, guess } = inspectModel(onnxBytes('yolov8-const.onnx'), 'yolov8-const.onnx');
    const s = { ...defaultSettings(guess), imgsz: { width: 640, height: 640 } };
    expect(() => planRun(project, info, guess, s)).toThrow(
      "the model's input is fixed at 64 x 64; it cannot take 640 x 640",
    );
  });
});
