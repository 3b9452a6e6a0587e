// Model outputs -> candidate detections (boxes x1, y1, x2, y2 in model-input pixels, a score, a class key), by
// layout (layout.ts). The thresholds follow Ultralytics' non_max_suppression: a YOLO anchor is a candidate when
// its best class score is above `conf` (strictly), and with multiLabel every class above `conf` becomes its own
// candidate, in anchor then class order; YOLOv5 first drops anchors whose objectness is not above `conf`, then
// multiplies class scores by it (in float32, as torch does). Box corners are computed in float32 as well, and the
// threshold is compared in float32 too (torch compares a float32 tensor with a Python float in float32, so a
// score of float32(0.001) is not above conf = 0.001).
import type { DetectorLayout } from './layout.ts';

export interface OutputTensor {
  dims: readonly number[];
  data: Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | Int8Array | Uint16Array;
  /** onnxruntime's type name ('float32', 'int64', 'float16', ...). */
  type: string;
}

export interface Candidates {
  x1: number[];
  y1: number[];
  x2: number[];
  y2: number[];
  score: number[];
  /** The class index (YOLO, DETR) or label value (torchvision). */
  cls: number[];
}

export interface DecodeOptions {
  conf: number;
  multiLabel: boolean;
  /** Classes to read from a YOLO output (names in the metadata may be fewer than the rows: masks follow). */
  classes?: number;
  inputWidth: number;
  inputHeight: number;
}

export class DecodeError extends Error {}

const f32 = Math.fround;

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

/** An output's values as numbers (int64 and float16 converted). */
export function values(t: OutputTensor): ArrayLike<number> {
  if (t.data instanceof BigInt64Array) return Float64Array.from(t.data, (v) => Number(v));
  if (t.type === 'float16' && t.data instanceof Uint16Array) return Float64Array.from(t.data, halfToFloat);
  return t.data as ArrayLike<number>;
}

function need(outputs: Record<string, OutputTensor>, name: string): OutputTensor {
  const t = outputs[name];
  if (!t) throw new DecodeError(`the model gave no output named ${name} (it gave ${Object.keys(outputs).join(', ')})`);
  return t;
}

const shapeText = (t: OutputTensor) => `[${t.dims.join(', ')}]`;

function empty(): Candidates {
  return { x1: [], y1: [], x2: [], y2: [], score: [], cls: [] };
}

function pushXywh(c: Candidates, cx: number, cy: number, w: number, h: number, score: number, cls: number) {
  const hw = f32(w / 2);
  const hh = f32(h / 2);
  c.x1.push(f32(cx - hw));
  c.y1.push(f32(cy - hh));
  c.x2.push(f32(cx + hw));
  c.y2.push(f32(cy + hh));
  c.score.push(score);
  c.cls.push(cls);
}

function decodeYolo(layout: Extract<DetectorLayout, { kind: 'yolo' }>, t: OutputTensor, o: DecodeOptions) {
  if (t.dims.length !== 3 || t.dims[0] !== 1) {
    throw new DecodeError(
      `output ${layout.output} is ${shapeText(t)}; a YOLO layout needs [1, values, anchors] or [1, anchors, values]`,
    );
  }
  const last = layout.order === 'anchors-last';
  const channels = last ? t.dims[1] : t.dims[2];
  const anchors = last ? t.dims[2] : t.dims[1];
  const first = layout.objectness ? 5 : 4;
  const nc = o.classes ?? channels - first;
  if (nc < 1 || first + nc > channels) {
    throw new DecodeError(
      `output ${layout.output} is ${shapeText(t)}: ${channels} values per anchor cannot hold 4 box values${layout.objectness ? ', objectness' : ''} and ${nc} classes` +
        (last ? '' : ' (is it the transposed layout?)'),
    );
  }
  const v = values(t);
  const at = last ? (ch: number, i: number) => v[ch * anchors + i] : (ch: number, i: number) => v[i * channels + ch];
  const out = empty();
  const sx = layout.boxes === 'normalised' ? o.inputWidth : 1;
  const sy = layout.boxes === 'normalised' ? o.inputHeight : 1;
  const scores = new Float64Array(nc);
  for (let i = 0; i < anchors; i++) {
    let best = -Infinity;
    let bestClass = 0;
    const obj = layout.objectness ? at(4, i) : 1;
    if (layout.objectness && !(obj > o.conf)) continue;
    for (let c = 0; c < nc; c++) {
      const s = layout.objectness ? f32(at(first + c, i) * obj) : at(first + c, i);
      scores[c] = s;
      if (s > best) {
        best = s;
        bestClass = c;
      }
    }
    if (!(best > o.conf)) continue;
    const cx = sx === 1 ? at(0, i) : f32(at(0, i) * sx);
    const cy = sy === 1 ? at(1, i) : f32(at(1, i) * sy);
    const w = sx === 1 ? at(2, i) : f32(at(2, i) * sx);
    const h = sy === 1 ? at(3, i) : f32(at(3, i) * sy);
    if (o.multiLabel && nc > 1) {
      for (let c = 0; c < nc; c++) if (scores[c] > o.conf) pushXywh(out, cx, cy, w, h, scores[c], c);
    } else pushXywh(out, cx, cy, w, h, best, bestClass);
  }
  return out;
}

function decodeEnd2end(layout: Extract<DetectorLayout, { kind: 'end2end' }>, t: OutputTensor, o: DecodeOptions) {
  if (t.dims.length !== 3 || t.dims[2] !== 6) {
    throw new DecodeError(`output ${layout.output} is ${shapeText(t)}; the end-to-end layout needs [1, N, 6]`);
  }
  const v = values(t);
  const out = empty();
  for (let i = 0; i < t.dims[1]; i++) {
    const r = i * 6;
    if (!(v[r + 4] > o.conf)) continue;
    out.x1.push(v[r]);
    out.y1.push(v[r + 1]);
    out.x2.push(v[r + 2]);
    out.y2.push(v[r + 3]);
    out.score.push(v[r + 4]);
    out.cls.push(Math.round(v[r + 5]));
  }
  return out;
}

function decodeDetr(
  layout: Extract<DetectorLayout, { kind: 'detr' }>,
  outputs: Record<string, OutputTensor>,
  o: DecodeOptions,
) {
  const logits = need(outputs, layout.logits);
  const boxes = need(outputs, layout.boxes);
  const q = logits.dims.at(-2) ?? 0;
  const c = logits.dims.at(-1) ?? 0;
  if (logits.dims.length < 2 || boxes.dims.at(-1) !== 4 || boxes.dims.at(-2) !== q) {
    throw new DecodeError(
      `DETR outputs ${layout.logits} ${shapeText(logits)} and ${layout.boxes} ${shapeText(boxes)} do not fit [1, Q, C] and [1, Q, 4]`,
    );
  }
  const softmax = layout.activation === 'softmax';
  const nc = softmax ? c - 1 : c;
  if (nc < 1) throw new DecodeError(`DETR logits ${shapeText(logits)} leave no classes`);
  const l = values(logits);
  const b = values(boxes);
  const out = empty();
  const p = new Float64Array(c);
  for (let i = 0; i < q; i++) {
    const row = i * c;
    if (softmax) {
      let max = -Infinity;
      for (let k = 0; k < c; k++) max = Math.max(max, l[row + k]);
      let sum = 0;
      for (let k = 0; k < c; k++) sum += p[k] = Math.exp(l[row + k] - max);
      for (let k = 0; k < c; k++) p[k] /= sum;
    } else for (let k = 0; k < c; k++) p[k] = 1 / (1 + Math.exp(-l[row + k]));
    const [cx, cy, w, h] = [
      b[i * 4] * o.inputWidth,
      b[i * 4 + 1] * o.inputHeight,
      b[i * 4 + 2] * o.inputWidth,
      b[i * 4 + 3] * o.inputHeight,
    ];
    const push = (k: number) => {
      out.x1.push(cx - w / 2);
      out.y1.push(cy - h / 2);
      out.x2.push(cx + w / 2);
      out.y2.push(cy + h / 2);
      out.score.push(p[k]);
      out.cls.push(k);
    };
    if (o.multiLabel) {
      for (let k = 0; k < nc; k++) if (p[k] > o.conf) push(k);
    } else {
      let best = 0;
      for (let k = 1; k < nc; k++) if (p[k] > p[best]) best = k;
      if (p[best] > o.conf) push(best);
    }
  }
  return out;
}

function decodeTorchvision(
  layout: Extract<DetectorLayout, { kind: 'torchvision' }>,
  outputs: Record<string, OutputTensor>,
  o: DecodeOptions,
) {
  const boxes = need(outputs, layout.boxes);
  const scores = need(outputs, layout.scores);
  const labels = need(outputs, layout.labels);
  const n = scores.dims.reduce((a, d) => a * d, 1);
  if (
    boxes.dims.at(-1) !== 4 ||
    boxes.dims.reduce((a, d) => a * d, 1) !== n * 4 ||
    labels.dims.reduce((a, d) => a * d, 1) !== n
  ) {
    throw new DecodeError(
      `torchvision outputs ${shapeText(boxes)}, ${shapeText(scores)}, ${shapeText(labels)} do not fit [N, 4], [N], [N]`,
    );
  }
  const b = values(boxes);
  const s = values(scores);
  const l = values(labels);
  const out = empty();
  for (let i = 0; i < n; i++) {
    if (!(s[i] > o.conf)) continue;
    out.x1.push(b[i * 4]);
    out.y1.push(b[i * 4 + 1]);
    out.x2.push(b[i * 4 + 2]);
    out.y2.push(b[i * 4 + 3]);
    out.score.push(s[i]);
    out.cls.push(l[i]);
  }
  return out;
}

/** The candidates in a model's outputs, in the layout's order (before NMS). */
export function decodeOutputs(
  layout: DetectorLayout,
  outputs: Record<string, OutputTensor>,
  options: DecodeOptions,
): Candidates {
  const o = { ...options, conf: f32(options.conf) };
  switch (layout.kind) {
    case 'yolo':
      return decodeYolo(layout, need(outputs, layout.output), o);
    case 'end2end':
      return decodeEnd2end(layout, need(outputs, layout.output), o);
    case 'detr':
      return decodeDetr(layout, outputs, o);
    case 'torchvision':
      return decodeTorchvision(layout, outputs, o);
  }
}
