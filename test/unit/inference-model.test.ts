// Reading .onnx files (inputs, outputs, metadata) and recognising detector layouts, on the models the fixture
// script builds (test/fixtures/onnx/README.md), whose contents are known.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ONNX_FIXTURES } from './inference-fixtures.ts';
import { readOnnxModel, OnnxFormatError, type Dim, type OnnxModelInfo } from '../../src/core/inference/onnx-model.ts';
import { guessLayout } from '../../src/core/inference/layout.ts';
import { classNamesFromMetadata, parsePythonLiteral } from '../../src/core/inference/python-literal.ts';

const model = (name: string) => readOnnxModel(readFileSync(resolve(ONNX_FIXTURES, name)), name);

describe('readOnnxModel', () => {
  it('reads inputs, outputs and the Ultralytics metadata of a YOLOv8-layout model', () => {
    const m = model('yolov8-const.onnx');
    expect(m.inputs).toEqual([{ name: 'images', type: 'float32', dims: [1, 3, 64, 64] }]);
    expect(m.outputs).toEqual([{ name: 'output0', type: 'float32', dims: [1, 7, 5] }]);
    expect(m.metadata.names).toBe("{0: 'car', 1: 'pedestrian', 2: 'dog'}");
    expect(m.metadata.imgsz).toBe('[64, 64]');
    expect(m.irVersion).toBe(8);
    expect(m.opset).toBe(13);
    expect(m.externalData).toEqual([]);
  });

  it('keeps symbolic dimensions by name and int64 outputs (torchvision)', () => {
    const m = model('torchvision-const.onnx');
    expect(m.inputs).toEqual([{ name: 'image', type: 'float32', dims: [3, 'height', 'width'] }]);
    expect(m.outputs.map((o) => [o.name, o.type, o.dims])).toEqual([
      ['boxes', 'float32', [3, 4]],
      ['scores', 'float32', [3]],
      ['labels', 'int64', [3]],
    ]);
  });

  it('notices weights kept in another file', () => {
    expect(model('external-data.onnx').externalData).toEqual(['w']);
  });

  it('refuses files that are not ONNX, naming the file', () => {
    expect(() => readOnnxModel(new Uint8Array(0), 'empty.onnx')).toThrow('empty.onnx: the file is empty');
    const png = readFileSync(resolve(ONNX_FIXTURES, 'letterbox-1280x720.png'));
    expect(() => readOnnxModel(png, 'photo.onnx')).toThrow(OnnxFormatError);
    expect(() => readOnnxModel(png, 'photo.onnx')).toThrow(/^photo\.onnx: /);
    const cut = readFileSync(resolve(ONNX_FIXTURES, 'yolov8-const.onnx')).subarray(0, 300);
    expect(() => readOnnxModel(cut, 'cut.onnx')).toThrow(/cut\.onnx: .*(cut short|no ONNX graph)/);
  });
});

describe('guessLayout', () => {
  const cases: [string, string, number | undefined][] = [
    ['yolov8-const.onnx', 'yolov8', 3],
    ['yolov8-rows-const.onnx', 'yolov8-rows', 3],
    ['yolov5-const.onnx', 'yolov5', 3],
    ['end2end-const.onnx', 'end2end', undefined],
    ['detr-const.onnx', 'detr', 3],
    ['torchvision-const.onnx', 'torchvision', undefined],
    ['yolov8-grid.onnx', 'yolov8', 3],
    ['bench-conv640.onnx', 'yolov8', 80],
  ];
  it.each(cases)('%s is recognised as %s', (file, choice, classes) => {
    const g = guessLayout(model(file));
    expect(g.error).toBeUndefined();
    expect(g.choice).toBe(choice);
    expect(g.classes).toBe(classes);
  });

  it('takes class names and the input size from Ultralytics metadata', () => {
    const g = guessLayout(model('yolov8-const.onnx'));
    expect([...g.names!]).toEqual([
      [0, 'car'],
      [1, 'pedestrian'],
      [2, 'dog'],
    ]);
    expect(g.metadataSize).toEqual([64, 64]);
    expect(g.input).toEqual({ name: 'images', rank: 4, width: 64, height: 64, type: 'float32' });
    expect(g.warnings).toEqual([]);
  });

  it('says what it assumed for DETR (softmax with "no object", ImageNet normalisation)', () => {
    const g = guessLayout(model('detr-const.onnx'));
    expect(g.layout).toEqual({ kind: 'detr', logits: 'logits', boxes: 'pred_boxes', activation: 'softmax' });
    expect(g.mean).toEqual([0.485, 0.456, 0.406]);
    expect(g.warnings.join(' ')).toMatch(/no object/);
  });

  it('a dynamic [3, H, W] input is taken as any size', () => {
    const g = guessLayout(model('torchvision-const.onnx'));
    expect(g.input).toEqual({ name: 'image', rank: 3, width: undefined, height: undefined, type: 'float32' });
  });

  it('explains what it cannot run', () => {
    expect(guessLayout(model('two-inputs.onnx')).error).toMatch(
      /needs 2 inputs \(images \[1, 3, 64, 64\], orig_target_sizes/,
    );
    expect(guessLayout(model('external-data.onnx')).error).toMatch(/weights are in a separate file/);
  });
});

describe('Python literals in metadata', () => {
  it('reads dicts, lists, quotes and escapes without evaluating anything', () => {
    expect(classNamesFromMetadata("{0: 'person', 1: \"traffic light\", 2: 'it\\'s'}")).toEqual(
      new Map([
        [0, 'person'],
        [1, 'traffic light'],
        [2, "it's"],
      ]),
    );
    expect(classNamesFromMetadata("['a', 'b']")).toEqual(
      new Map([
        [0, 'a'],
        [1, 'b'],
      ]),
    );
    expect(parsePythonLiteral('(1, 2.5, True, None)')).toEqual([1, 2.5, true, null]);
    expect(classNamesFromMetadata("__import__('os').system('x')")).toBeUndefined();
  });
});

describe('guessLayout on the shapes real exports have', () => {
  const info = (
    outputs: OnnxModelInfo['outputs'],
    metadata: Record<string, string> = {},
    inputDims: Dim[] = [1, 3, 640, 640],
  ): OnnxModelInfo => ({
    file: 'm.onnx',
    irVersion: 8,
    producer: 'pytorch',
    inputs: [{ name: 'images', type: 'float32', dims: inputDims }],
    outputs,
    metadata,
    externalData: [],
    byteLength: 1,
  });
  const coco80 = `{${Array.from({ length: 80 }, (_, i) => `${i}: 'c${i}'`).join(', ')}}`;

  it('yolov8n / yolo11n: [1, 84, 8400] with 80 names', () => {
    const g = guessLayout(
      info([{ name: 'output0', type: 'float32', dims: [1, 84, 8400] }], { names: coco80, author: 'Ultralytics' }),
    );
    expect([g.choice, g.classes, g.warnings]).toEqual(['yolov8', 80, []]);
  });
  it('yolov5s: [1, 25200, 85] with names; without names YOLOv5 is assumed and said', () => {
    expect(
      guessLayout(info([{ name: 'output0', type: 'float32', dims: [1, 25200, 85] }], { names: coco80 })).choice,
    ).toBe('yolov5');
    const bare = guessLayout(info([{ name: 'output0', type: 'float32', dims: [1, 25200, 85] }]));
    expect([bare.choice, bare.classes]).toEqual(['yolov5', 80]);
    expect(bare.warnings[0]).toMatch(
      /could be YOLOv5 \(80 classes \+ objectness\) or a transposed YOLOv8 \(81 classes\)/,
    );
  });
  it('a transposed YOLOv8 [1, 8400, 84] with names', () => {
    expect(
      guessLayout(info([{ name: 'output0', type: 'float32', dims: [1, 8400, 84] }], { names: coco80 })).choice,
    ).toBe('yolov8-rows');
  });
  it('dynamic anchors: [1, 84, "anchors"] is channels first', () => {
    const g = guessLayout(
      info([{ name: 'output0', type: 'float32', dims: ['batch', 84, 'anchors'] }], {}, ['batch', 3, 'height', 'width']),
    );
    expect([g.choice, g.classes, g.input?.width]).toEqual(['yolov8', 80, undefined]);
  });
  it('Ultralytics nms=True / YOLOv10: [1, 300, 6] is end-to-end; RT-DETR by its metadata', () => {
    expect(guessLayout(info([{ name: 'output0', type: 'float32', dims: [1, 300, 6] }], { names: coco80 })).choice).toBe(
      'end2end',
    );
    const rt = guessLayout(
      info([{ name: 'output0', type: 'float32', dims: [1, 300, 84] }], {
        names: coco80,
        description: 'Ultralytics RT-DETR-l model',
      }),
    );
    expect([rt.choice, rt.layout]).toEqual([
      'rtdetr',
      { kind: 'yolo', output: 'output0', order: 'anchors-first', objectness: false, boxes: 'normalised' },
    ]);
  });
  it('transformers DETR: logits [1, 100, 92] + pred_boxes [1, 100, 4] -> softmax, 91 classes', () => {
    const g = guessLayout(
      info([
        { name: 'logits', type: 'float32', dims: ['batch', 100, 92] },
        { name: 'pred_boxes', type: 'float32', dims: ['batch', 100, 4] },
      ]),
    );
    expect([g.choice, g.classes]).toEqual(['detr', 91]);
  });
  it('torchvision exported with output_names in the wrong order: the integer output is the labels, and it is said', () => {
    const g = guessLayout(
      info(
        [
          { name: 'boxes', type: 'float32', dims: ['n', 4] },
          { name: 'scores', type: 'int64', dims: ['n'] },
          { name: 'labels', type: 'float32', dims: ['n'] },
        ],
        {},
        [3, 'height', 'width'],
      ),
    );
    expect(g.layout).toEqual({ kind: 'torchvision', boxes: 'boxes', scores: 'labels', labels: 'scores' });
    expect(g.warnings.join(' ')).toContain('the integer output "scores" is read as the labels');
  });
  it('a 1-channel input or an unknown output shape is refused with the reason', () => {
    expect(
      guessLayout(info([{ name: 'out', type: 'float32', dims: [1, 84, 8400] }], {}, [1, 1, 640, 640])).error,
    ).toMatch(/has 1 channels/);
    expect(guessLayout(info([{ name: 'out', type: 'float32', dims: [1, 1000] }])).error).toMatch(
      /has shape \[1, 1000\]/,
    );
  });
});
