// Decoding and NMS against Ultralytics' own non_max_suppression (run with torchvision.ops.nms as its validator
// runs it; test/fixtures/onnx/nms-ultralytics.json, made by scripts/fixtures/nms_reference.py): the same
// detections, in the same order, with the same float32 boxes and scores.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeOutputs } from '../../src/core/inference/decode.ts';
import { suppress } from '../../src/core/inference/nms.ts';
import { onnxFixture } from './inference-fixtures.ts';

interface Case {
  name: string;
  dims: number[];
  conf: number;
  iou: number;
  multiLabel: boolean;
  maxDet: number;
  output: string;
  kept: number[][];
}
const reference = JSON.parse(readFileSync(onnxFixture('nms-ultralytics.json'), 'utf8')) as { cases: Case[] };

describe("decode + NMS equal Ultralytics' non_max_suppression", () => {
  it.each(reference.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const bytes = Buffer.from(c.output, 'base64');
    const data = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    const candidates = decodeOutputs(
      { kind: 'yolo', output: 'output0', order: 'anchors-last', objectness: false, boxes: 'pixels' },
      { output0: { dims: c.dims, data, type: 'float32' } },
      { conf: c.conf, multiLabel: c.multiLabel, inputWidth: 640, inputHeight: 640 },
    );
    const kept = suppress(candidates, { iou: c.iou, maxDet: c.maxDet, nms: true });
    const rows = kept.map((i) => [
      candidates.x1[i],
      candidates.y1[i],
      candidates.x2[i],
      candidates.y2[i],
      candidates.score[i],
      candidates.cls[i],
    ]);
    expect(rows.length).toBeGreaterThan(20);
    expect(rows).toEqual(c.kept);
  });
});
