// Which detector layout an ONNX model has, from its inputs, outputs and metadata, and what could not be told
// from them (the user is asked only for that).
//
//   yolo         one output [1, 4 + nc, N] (Ultralytics YOLOv8/11, anchors last) or [1, N, 4 + nc] (transposed);
//                with objectness [1, N, 5 + nc] (YOLOv5). Boxes cx, cy, w, h in input pixels; RT-DETR exported by
//                Ultralytics has the rows layout with boxes normalised to [0, 1] and no NMS.
//   end2end      one output [1, N, 6]: x1, y1, x2, y2, score, class (Ultralytics nms=True, YOLOv10, YOLO26)
//   detr         class logits [1, Q, C] and boxes [1, Q, 4] (normalised cx, cy, w, h); softmax over C with the
//                last column "no object" (DETR), or sigmoid per class (Deformable / Conditional DETR)
//   torchvision  boxes [N, 4] (x1, y1, x2, y2 in input pixels), scores [N], labels [N] (torchvision detection
//                models exported with torch.onnx.export; their own transform normalises the image)
import { classNamesFromMetadata, numbersFromMetadata } from './python-literal.ts';
import { formatDims, type Dim, type OnnxModelInfo, type TensorInfo } from './onnx-model.ts';

export type DetectorLayout =
  | {
      kind: 'yolo';
      output: string;
      /** 'anchors-last': [1, 4+nc, N]; 'anchors-first': [1, N, 4+nc]. */
      order: 'anchors-last' | 'anchors-first';
      objectness: boolean;
      boxes: 'pixels' | 'normalised';
    }
  | { kind: 'end2end'; output: string }
  | { kind: 'detr'; logits: string; boxes: string; activation: 'softmax' | 'sigmoid' }
  | { kind: 'torchvision'; boxes: string; scores: string; labels: string };

export type LayoutKind = DetectorLayout['kind'];

/** The layouts a user can choose, in words. */
export const LAYOUT_CHOICES = [
  { id: 'yolov8', label: 'Ultralytics YOLOv8 / 11: [1, 4 + classes, anchors]' },
  { id: 'yolov8-rows', label: 'Ultralytics YOLO, transposed: [1, anchors, 4 + classes]' },
  { id: 'yolov5', label: 'YOLOv5 (objectness): [1, anchors, 5 + classes]' },
  { id: 'rtdetr', label: 'RT-DETR (Ultralytics): [1, queries, 4 + classes], boxes normalised' },
  { id: 'end2end', label: 'End-to-end, NMS inside: [1, N, 6] (x1 y1 x2 y2 score class)' },
  { id: 'detr', label: 'DETR: logits (softmax, last = no object) + normalised boxes' },
  { id: 'detr-sigmoid', label: 'DETR-style: logits (sigmoid per class) + normalised boxes' },
  { id: 'torchvision', label: 'torchvision: boxes, scores, labels' },
] as const;

export type LayoutChoice = (typeof LAYOUT_CHOICES)[number]['id'];

export interface ModelInputSpec {
  name: string;
  /** 3 for a [3, H, W] input (torchvision), 4 for [1, 3, H, W]. */
  rank: 3 | 4;
  /** Fixed sizes, or undefined where the model takes any (then the chosen image size is used). */
  width?: number;
  height?: number;
  type: 'float32' | 'float16';
}

export interface LayoutGuess {
  choice?: LayoutChoice;
  layout?: DetectorLayout;
  /** Number of classes, when the output shape or the metadata says. */
  classes?: number;
  /** Class names by index from the metadata. */
  names?: Map<number, string>;
  input?: ModelInputSpec;
  /** Why this layout, in words. */
  reason: string;
  /** What the user must look at: the parts that were guessed, or why nothing fits. */
  warnings: string[];
  /** Set when the model cannot be run at all (and why). */
  error?: string;
  /** imgsz from the metadata (Ultralytics), [h, w]. */
  metadataSize?: [number, number];
  mean?: [number, number, number];
  std?: [number, number, number];
}

const fixed = (d: Dim | undefined) => (typeof d === 'number' && d > 0 ? d : undefined);

function inputSpec(model: OnnxModelInfo, warnings: string[]): ModelInputSpec | string {
  if (model.inputs.length === 0) return 'the model has no inputs';
  if (model.inputs.length > 1) {
    return (
      `the model needs ${model.inputs.length} inputs (${model.inputs.map((i) => `${i.name} ${formatDims(i.dims)}`).join(', ')}); ` +
      'predlens feeds one image tensor. Export it with only the image as input (for example without orig_target_sizes)'
    );
  }
  const input = model.inputs[0];
  if (input.type !== 'float32' && input.type !== 'float16') {
    return `the input ${input.name} is ${input.type}; predlens feeds float32 (or float16) images`;
  }
  const dims = input.dims;
  if (!dims || (dims.length !== 4 && dims.length !== 3)) {
    return `the input ${input.name} has shape ${formatDims(dims)}; predlens feeds [1, 3, H, W] or [3, H, W]`;
  }
  const rank = dims.length as 3 | 4;
  const channels = dims[rank - 3];
  if (rank === 4 && fixed(dims[0]) !== undefined && dims[0] !== 1) {
    warnings.push(`the input's batch size is fixed at ${dims[0]}; predlens sends one image at a time`);
  }
  if (fixed(channels) !== undefined && channels !== 3) {
    return `the input ${input.name} has ${channels} channels; predlens feeds RGB images (3 channels, NCHW)`;
  }
  return {
    name: input.name,
    rank,
    width: fixed(dims[rank - 1]),
    height: fixed(dims[rank - 2]),
    type: input.type,
  };
}

const byName = (outputs: TensorInfo[], pattern: RegExp) => outputs.find((o) => pattern.test(o.name));

/** Builds the layout a choice means for this model's outputs. */
export function layoutFor(choice: LayoutChoice, model: OnnxModelInfo): DetectorLayout | string {
  const outs = model.outputs;
  if (['yolov8', 'yolov8-rows', 'yolov5', 'rtdetr', 'end2end'].includes(choice)) {
    const output = outs[0].name;
    if (choice === 'end2end') return { kind: 'end2end', output };
    return {
      kind: 'yolo',
      output,
      order: choice === 'yolov8' ? 'anchors-last' : 'anchors-first',
      objectness: choice === 'yolov5',
      boxes: choice === 'rtdetr' ? 'normalised' : 'pixels',
    };
  }
  if (choice === 'torchvision') {
    const boxes = byName(outs, /box/i) ?? outs.find((o) => o.dims?.length === 2 && o.dims[1] === 4);
    const rest = outs.filter((o) => o !== boxes);
    // torchvision returns {boxes, labels, scores}: an export naming them in another order swaps the names, so
    // the integer output is the labels whatever it is called.
    const isInt = (o: TensorInfo) => o.type.startsWith('int') || o.type.startsWith('uint');
    const labels = rest.find(isInt) ?? byName(rest, /label|class/i);
    const scores = rest.find((o) => o !== labels && !isInt(o) && (o.dims?.length ?? 1) === 1) ?? byName(rest, /score/i);
    if (!boxes || !scores || !labels) {
      return `a torchvision layout needs outputs boxes [N, 4], scores [N] and labels [N]; this model has ${outs.map((o) => `${o.name} ${formatDims(o.dims)}`).join(', ')}`;
    }
    return { kind: 'torchvision', boxes: boxes.name, scores: scores.name, labels: labels.name };
  }
  const boxes = byName(outs, /box/i) ?? outs.find((o) => o.dims?.at(-1) === 4);
  const logits = byName(outs, /logit|class|score/i) ?? outs.find((o) => o !== boxes);
  if (!boxes || !logits || boxes === logits) {
    return `a DETR layout needs two outputs, class logits and boxes; this model has ${outs.map((o) => o.name).join(', ')}`;
  }
  return {
    kind: 'detr',
    logits: logits.name,
    boxes: boxes.name,
    activation: choice === 'detr' ? 'softmax' : 'sigmoid',
  };
}

/** Recognises the layout of a detector. Never throws: what cannot be run is in `error`. */
export function guessLayout(model: OnnxModelInfo): LayoutGuess {
  const warnings: string[] = [];
  const guess: LayoutGuess = { reason: '', warnings };
  const spec = inputSpec(model, warnings);
  if (typeof spec === 'string') return { ...guess, error: spec, reason: spec };
  guess.input = spec;
  if (model.externalData.length > 0) {
    const error =
      `its weights are in a separate file (${model.externalData.length} tensor(s), e.g. ${model.externalData[0]}); ` +
      're-export it as one .onnx file (torch.onnx.export without external data, or onnx.save without save_as_external_data)';
    return { ...guess, error, reason: error };
  }
  const meta = model.metadata;
  guess.names = classNamesFromMetadata(meta.names ?? meta.id2label ?? meta.classes);
  const size = numbersFromMetadata(meta.imgsz);
  if (size && size.length >= 1) guess.metadataSize = [size[0], size[1] ?? size[0]];
  const mean = numbersFromMetadata(meta.mean ?? meta.image_mean);
  const std = numbersFromMetadata(meta.std ?? meta.image_std);
  if (mean?.length === 3 && std?.length === 3) {
    guess.mean = mean as [number, number, number];
    guess.std = std as [number, number, number];
  }
  const nNames = guess.names ? Math.max(...guess.names.keys()) + 1 : undefined;
  const ultralytics = /ultralytics/i.test(`${meta.author ?? ''} ${meta.description ?? ''}`);
  const rtdetr = /rt-?detr/i.test(meta.description ?? '');

  const choose = (choice: LayoutChoice, reason: string, classes?: number) => {
    const layout = layoutFor(choice, model);
    if (typeof layout === 'string') return { ...guess, error: layout, reason: layout };
    return { ...guess, choice, layout, reason, classes };
  };

  const outs = model.outputs;
  const names = outs.map((o) => o.name.toLowerCase());
  if (outs.length >= 3 && names.some((n) => n.includes('box')) && names.some((n) => n.includes('score'))) {
    if (spec.rank === 4)
      warnings.push('torchvision models usually take a [3, H, W] image; this one takes [1, 3, H, W]');
    const picked = choose('torchvision', 'outputs boxes, scores and labels: a torchvision detection model');
    if (picked.layout?.kind === 'torchvision' && !/label|class/i.test(picked.layout.labels)) {
      warnings.push(
        `the integer output "${picked.layout.labels}" is read as the labels and "${picked.layout.scores}" as the scores ` +
          '(torchvision returns boxes, labels, scores: output names given in another order are swapped)',
      );
    }
    return picked;
  }
  if (outs.length === 2) {
    const layout = layoutFor('detr', model);
    if (typeof layout !== 'string' && layout.kind === 'detr') {
      const logits = outs.find((o) => o.name === layout.logits)!;
      const c = fixed(logits.dims?.at(-1));
      let choice: LayoutChoice = 'detr';
      if (c !== undefined && nNames !== undefined && c === nNames) choice = 'detr-sigmoid';
      else warnings.push('DETR scores: softmax with the last column as "no object" (DETR\'s own) was assumed');
      if (!guess.mean) {
        warnings.push(
          "DETR checkpoints expect ImageNet mean/std normalisation; it is set, check it's what yours wants",
        );
        guess.mean = [0.485, 0.456, 0.406];
        guess.std = [0.229, 0.224, 0.225];
      }
      const classes = c === undefined ? undefined : choice === 'detr' ? c - 1 : c;
      return choose(
        choice,
        `two outputs, ${layout.logits} (class logits) and ${layout.boxes} (boxes): DETR-style`,
        classes,
      );
    }
  }
  if (outs.length !== 1) {
    const error = `no known detector layout has ${outs.length} outputs (${outs.map((o) => `${o.name} ${formatDims(o.dims)}`).join(', ')})`;
    return { ...guess, error, reason: error };
  }
  const dims = outs[0].dims;
  if (!dims || dims.length !== 3) {
    const error = `the output ${outs[0].name} has shape ${formatDims(dims)}; detector layouts have [1, channels, anchors] or [1, anchors, channels]`;
    return { ...guess, error, reason: error };
  }
  const a = fixed(dims[1]);
  const b = fixed(dims[2]);
  const shape = formatDims(dims);
  if (b === 6 && (a === undefined || a <= 1000) && (nNames === undefined || nNames !== 2)) {
    return choose('end2end', `one output ${shape} with 6 values a detection: end-to-end (NMS inside the model)`);
  }
  if (rtdetr && b !== undefined) {
    return choose('rtdetr', `one output ${shape} and the metadata says RT-DETR: normalised boxes, no NMS`, b - 4);
  }
  // With class names the per-anchor value count tells the orientation: [1, 4 + nc, N] or [1, N, 4 + nc | 5 + nc].
  if (nNames !== undefined) {
    if (a === nNames + 4) {
      return choose(
        'yolov8',
        `one output ${shape}: 4 box + ${nNames} class values per anchor, anchors last (Ultralytics YOLOv8/11)`,
        nNames,
      );
    }
    if (b === nNames + 4) {
      return choose(
        'yolov8-rows',
        `one output ${shape}: anchors first, 4 box + ${nNames} class values (transposed Ultralytics export)`,
        nNames,
      );
    }
    if (b === nNames + 5)
      return choose('yolov5', `one output ${shape}: 5 + ${nNames} classes (objectness): YOLOv5`, nNames);
  }
  // Otherwise [1, C, N] with C < N is channels first (Ultralytics); [1, N, C] with N > C is rows (YOLOv5 and
  // transposed exports), as anchors outnumber classes in every real detector.
  const channelsFirst = a !== undefined && (b === undefined || a < b);
  const channels = channelsFirst ? a : b;
  if (channels === undefined) {
    const error = `the output ${outs[0].name} has shape ${shape}: the number of values per box is not fixed, so the layout cannot be told`;
    return { ...guess, error, reason: error };
  }
  if (nNames !== undefined) {
    warnings.push(`the metadata names ${nNames} classes but the output has ${channels} values per anchor`);
  }
  if (channelsFirst) {
    return choose(
      'yolov8',
      `one output ${shape}: 4 box + ${channels - 4} class values per anchor, anchors last (Ultralytics YOLOv8/11)`,
      nNames ?? channels - 4,
    );
  }
  // Rows without names: YOLOv5 is the common exporter of this shape; Ultralytics exports are channels first.
  warnings.push(
    `without class names, [1, anchors, ${channels}] could be YOLOv5 (${channels - 5} classes + objectness) or a ` +
      `transposed YOLOv8 (${channels - 4} classes): YOLOv5 was assumed${ultralytics ? ' although the metadata says Ultralytics' : ''}`,
  );
  return choose('yolov5', `one output ${shape}, anchors first: YOLOv5 layout (assumed)`, channels - 5);
}
