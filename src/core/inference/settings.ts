// Everything that decides a model's predictions besides the model itself: the layout, the input size, the
// pre-processing and the post-processing. Defaults are what evaluation wants and what Ultralytics' validator uses
// (confidence 0.001, IoU 0.7, 300 detections, every class above the threshold per box); the page shows all of them
// and a run records them.
import type { ResizeMode, TensorPreprocessing } from './letterbox.ts';
import { LAYOUT_CHOICES, layoutFor, type DetectorLayout, type LayoutChoice, type LayoutGuess } from './layout.ts';
import type { OnnxModelInfo } from './onnx-model.ts';

export interface InferenceSettings {
  layoutChoice: LayoutChoice;
  /** Input size for models that take any size; a fixed-size model always gets its own. */
  imgsz: { width: number; height: number };
  resize: ResizeMode;
  preprocessing: TensorPreprocessing;
  conf: number;
  iou: number;
  maxDet: number;
  /** Per-class NMS (off for DETR-style and end-to-end models, which predict a set). */
  nms: boolean;
  /** Every class above `conf` per box (Ultralytics' validator), or only the best one. */
  multiLabel: boolean;
}

export const DEFAULT_IMGSZ = 640;
export const DEFAULT_CONF = 0.001;
export const DEFAULT_IOU = 0.7;
export const DEFAULT_MAX_DET = 300;
/** Ultralytics keeps at most this many candidates (by score) before NMS. */
export const MAX_NMS_CANDIDATES = 30_000;

export function defaultSettings(guess: LayoutGuess): InferenceSettings {
  const choice = guess.choice ?? 'yolov8';
  const size = guess.metadataSize;
  const setLike = choice === 'end2end' || choice === 'rtdetr' || choice.startsWith('detr');
  return {
    layoutChoice: choice,
    imgsz: {
      width: guess.input?.width ?? size?.[1] ?? DEFAULT_IMGSZ,
      height: guess.input?.height ?? size?.[0] ?? DEFAULT_IMGSZ,
    },
    resize: 'letterbox',
    preprocessing: {
      channels: 'RGB',
      divisor: 255,
      mean: guess.mean ?? [0, 0, 0],
      std: guess.std ?? [1, 1, 1],
      padValue: 114,
    },
    conf: DEFAULT_CONF,
    iou: DEFAULT_IOU,
    maxDet: DEFAULT_MAX_DET,
    nms: !setLike,
    multiLabel: !setLike,
  };
}

export class SettingsError extends Error {}

/** Checks settings against the model; returns the layout to decode with. Throws SettingsError naming the field. */
export function checkSettings(model: OnnxModelInfo, guess: LayoutGuess, s: InferenceSettings): DetectorLayout {
  if (guess.error) throw new SettingsError(`${model.file}: ${guess.error}`);
  const bad = (what: string) => {
    throw new SettingsError(what);
  };
  if (!LAYOUT_CHOICES.some((c) => c.id === s.layoutChoice)) bad(`unknown layout "${s.layoutChoice}"`);
  const { width, height } = s.imgsz;
  for (const [name, v] of [
    ['width', width],
    ['height', height],
  ] as const) {
    if (!Number.isInteger(v) || v < 8 || v > 8192)
      bad(`the input ${name} must be a whole number of pixels in 8..8192; got ${v}`);
  }
  const input = guess.input!;
  if (input.width !== undefined && input.width !== width) {
    bad(`the model's input is fixed at ${input.width} x ${input.height ?? '?'}; it cannot take ${width} x ${height}`);
  }
  if (input.height !== undefined && input.height !== height) {
    bad(`the model's input is fixed at ${input.width ?? '?'} x ${input.height}; it cannot take ${width} x ${height}`);
  }
  if (!(s.conf >= 0 && s.conf <= 1)) bad(`the confidence threshold must be within 0..1; got ${s.conf}`);
  if (!(s.iou >= 0 && s.iou <= 1)) bad(`the NMS IoU threshold must be within 0..1; got ${s.iou}`);
  if (!Number.isInteger(s.maxDet) || s.maxDet < 1) bad(`max detections must be a whole number from 1; got ${s.maxDet}`);
  const p = s.preprocessing;
  if (!(p.divisor > 0) || !Number.isFinite(p.divisor))
    bad(`the pixel divisor must be a positive number; got ${p.divisor}`);
  if (p.std.some((v) => !(v !== 0 && Number.isFinite(v)))) bad('every std value must be a non-zero number');
  if (p.mean.some((v) => !Number.isFinite(v))) bad('every mean value must be a number');
  if (!Number.isInteger(p.padValue) || p.padValue < 0 || p.padValue > 255) bad('the padding grey level must be 0..255');
  const layout = layoutFor(s.layoutChoice, model);
  if (typeof layout === 'string') bad(layout);
  return layout as DetectorLayout;
}

/** The settings as a run records them (flat, readable in the run's details). */
export function describeSettings(s: InferenceSettings): Record<string, string | number | boolean> {
  const p = s.preprocessing;
  const triple = (v: number[]) => `[${v.join(', ')}]`;
  return {
    layout: LAYOUT_CHOICES.find((c) => c.id === s.layoutChoice)?.label ?? s.layoutChoice,
    input: `${s.imgsz.width} x ${s.imgsz.height}`,
    resize: s.resize === 'letterbox' ? `letterbox, padding ${p.padValue}` : 'stretch',
    preprocessing: `${p.channels}, pixel / ${p.divisor}, mean ${triple(p.mean)}, std ${triple(p.std)}, NCHW float32`,
    conf: s.conf,
    iou: s.iou,
    maxDet: s.maxDet,
    nms: s.nms ? 'per class' : 'off',
    labelsPerBox: s.multiLabel ? 'every class above conf' : 'best class',
  };
}
