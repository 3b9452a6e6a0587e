// A real torchvision export (a tiny Faster R-CNN with random weights, scripts/fixtures/make_torchvision_export.py):
// the layout is recognised, and onnxruntime-node on predlens' own letterbox of an ea-mini image gives what
// PyTorch gave on OpenCV's letterbox of it (test/fixtures/onnx/fasterrcnn-tiny-torch.json): the same detections
// and labels, boxes and scores within float32 kernel differences.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixture } from '../fixtures.ts';
import { nodeInferenceHost } from '../../src/cli/onnx-host.ts';
import { decodeImageRgba } from '../../src/core/image-decode.ts';
import { values } from '../../src/core/inference/decode.ts';
import { letterboxGeometry, letterboxTensor } from '../../src/core/inference/letterbox.ts';
import { inspectModel } from '../../src/core/inference/predict.ts';
import { defaultSettings } from '../../src/core/inference/settings.ts';
import { onnxBytes, onnxFixture } from './inference-fixtures.ts';

const reference = JSON.parse(readFileSync(onnxFixture('fasterrcnn-tiny-torch.json'), 'utf8')) as {
  image: string;
  boxes: number[][];
  labels: number[];
  scores: number[];
};

describe('a torchvision Faster R-CNN export', () => {
  it('is recognised: [3, height, width] in, boxes / labels / scores out', () => {
    const { guess } = inspectModel(onnxBytes('fasterrcnn-tiny.onnx'), 'fasterrcnn-tiny.onnx');
    expect(guess.error).toBeUndefined();
    expect(guess.layout).toEqual({ kind: 'torchvision', boxes: 'boxes', scores: 'scores', labels: 'labels' });
    expect(guess.input).toMatchObject({ rank: 3, width: undefined, height: undefined });
  });

  it("gives PyTorch's detections on predlens' letterbox of an image", async () => {
    const bytes = onnxBytes('fasterrcnn-tiny.onnx');
    const { info, guess } = inspectModel(bytes, 'fasterrcnn-tiny.onnx');
    const image = decodeImageRgba(new Uint8Array(readFileSync(fixture('ea-mini', reference.image))), reference.image);
    const g = letterboxGeometry(image.width, image.height, 64, 64);
    const tensor = letterboxTensor(image, g, defaultSettings(guess).preprocessing);
    const host = await nodeInferenceHost(bytes, info.file);
    const out = await host.run({ name: 'image', data: tensor, dims: [3, 64, 64], type: 'float32' });
    await host.release();
    expect(Array.from(values(out.labels))).toEqual(reference.labels);
    const boxes = Array.from(values(out.boxes));
    expect(boxes).toHaveLength(reference.boxes.length * 4);
    boxes.forEach((v, i) => expect(v).toBeCloseTo(reference.boxes[Math.floor(i / 4)][i % 4], 3));
    Array.from(values(out.scores)).forEach((v, i) => expect(v).toBeCloseTo(reference.scores[i], 5));
  });
});
