// Letterboxing as Ultralytics' predictor does it, and the way back for boxes.
//
// Geometry (Ultralytics LetterBox with center=True, auto=False): r = min(H / h, W / w) (not above 1 unless
// scaling up is allowed); the resized size is (round(w * r), round(h * r)) with Python's round (halves to even);
// the padding dw = W - w', dh = H - h' is halved and split as top = round(dh/2 - 0.1), bottom = round(dh/2 + 0.1)
// (and the same for left/right), so an odd padding puts the extra row at the bottom / column at the right.
// Boxes come back as (x - left) / r, (y - top) / r, clipped to the image, as the validator does with its ratio_pad.
//
// Resizing is bilinear with OpenCV's cv::resize INTER_LINEAR rules for 8-bit images, bit for bit (checked against
// OpenCV 4.6 in test/unit/inference-letterbox.test.ts): pixel centres at +0.5, float32 source coordinates,
// 11-bit fixed-point weights, the columns clamped to the image with weight 0 at the edges, the rows clamped
// after the weights are taken, and the vertical pass rounded as OpenCV's vectorised code rounds it.

export interface LetterboxGeometry {
  /** The model input's size. */
  inputWidth: number;
  inputHeight: number;
  /** The image's size and its size once resized (before padding). */
  width: number;
  height: number;
  resizedWidth: number;
  resizedHeight: number;
  ratio: number;
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Python 3's round(): to the nearest integer, halves to the even one. */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

export type ResizeMode = 'letterbox' | 'stretch';

export function letterboxGeometry(
  width: number,
  height: number,
  inputWidth: number,
  inputHeight: number,
  { scaleUp = true, mode = 'letterbox' as ResizeMode } = {},
): LetterboxGeometry {
  if (mode === 'stretch') {
    // Not used by Ultralytics for detection; for models trained on plain resizes (ratio is per axis then).
    return {
      inputWidth,
      inputHeight,
      width,
      height,
      resizedWidth: inputWidth,
      resizedHeight: inputHeight,
      ratio: NaN,
      left: 0,
      top: 0,
      right: 0,
      bottom: 0,
    };
  }
  let ratio = Math.min(inputHeight / height, inputWidth / width);
  if (!scaleUp) ratio = Math.min(ratio, 1);
  const resizedWidth = roundHalfEven(width * ratio);
  const resizedHeight = roundHalfEven(height * ratio);
  const dw = (inputWidth - resizedWidth) / 2;
  const dh = (inputHeight - resizedHeight) / 2;
  return {
    inputWidth,
    inputHeight,
    width,
    height,
    resizedWidth,
    resizedHeight,
    ratio,
    left: roundHalfEven(dw - 0.1),
    right: roundHalfEven(dw + 0.1),
    top: roundHalfEven(dh - 0.1),
    bottom: roundHalfEven(dh + 0.1),
  };
}

/** A box [x1, y1, x2, y2] in model-input pixels -> image pixels, clipped to the image. */
export function boxToImage(g: LetterboxGeometry, box: ArrayLike<number>): [number, number, number, number] {
  const clip = (v: number, max: number) => Math.min(Math.max(v, 0), max);
  if (Number.isNaN(g.ratio)) {
    const sx = g.width / g.inputWidth;
    const sy = g.height / g.inputHeight;
    return [
      clip(box[0] * sx, g.width),
      clip(box[1] * sy, g.height),
      clip(box[2] * sx, g.width),
      clip(box[3] * sy, g.height),
    ];
  }
  return [
    clip((box[0] - g.left) / g.ratio, g.width),
    clip((box[1] - g.top) / g.ratio, g.height),
    clip((box[2] - g.left) / g.ratio, g.width),
    clip((box[3] - g.top) / g.ratio, g.height),
  ];
}

const COEF_BITS = 11;
const COEF_SCALE = 1 << COEF_BITS;

/** OpenCV's saturate_cast<short>(float): round to nearest, halves to even (the FPU's default). */
const cvRound = roundHalfEven;

interface Taps {
  /** Source index of the first tap, per destination pixel (the second is index + 1, clamped). */
  index: Int32Array;
  w0: Int32Array;
  w1: Int32Array;
}

/** Per destination pixel: the source pixel and the fixed-point weights, as cv::resize computes them. */
function taps(src: number, dst: number, clampEdges: boolean): Taps {
  const scale = 1 / (dst / src);
  const index = new Int32Array(dst);
  const w0 = new Int32Array(dst);
  const w1 = new Int32Array(dst);
  for (let d = 0; d < dst; d++) {
    const f32 = Math.fround((d + 0.5) * scale - 0.5);
    let s = Math.floor(f32);
    let f = Math.fround(f32 - s);
    if (clampEdges && s < 0) {
      s = 0;
      f = 0;
    }
    if (clampEdges && s >= src - 1) {
      s = src - 1;
      f = 0;
    }
    index[d] = s;
    w0[d] = cvRound(Math.fround(1 - f) * COEF_SCALE);
    w1[d] = cvRound(f * COEF_SCALE);
  }
  return { index, w0, w1 };
}

export interface RgbImage {
  width: number;
  height: number;
  /** RGBA (4 bytes a pixel), as decoders give it; alpha is ignored. */
  rgba: Uint8Array | Uint8ClampedArray;
}

/** Resizes RGBA pixels to `dw` x `dh` RGB (3 bytes a pixel) exactly as cv2.resize(INTER_LINEAR) does. */
export function resizeBilinear(img: RgbImage, dw: number, dh: number): Uint8Array {
  const { width: sw, height: sh, rgba } = img;
  const out = new Uint8Array(dw * dh * 3);
  if (sw === dw && sh === dh) {
    for (let i = 0, j = 0; i < sw * sh; i++, j += 3) {
      out[j] = rgba[i * 4];
      out[j + 1] = rgba[i * 4 + 1];
      out[j + 2] = rgba[i * 4 + 2];
    }
    return out;
  }
  const xs = taps(sw, dw, true);
  const ys = taps(sh, dh, false);
  // Horizontal pass, one source row at a time, cached: each output row needs two (often the previous ones).
  const rowCache = new Map<number, Int32Array>();
  const hrow = (y: number): Int32Array => {
    let row = rowCache.get(y);
    if (row) return row;
    row = new Int32Array(dw * 3);
    const base = y * sw * 4;
    for (let x = 0; x < dw; x++) {
      const s0 = xs.index[x];
      const s1 = Math.min(s0 + 1, sw - 1);
      const a0 = xs.w0[x];
      const a1 = xs.w1[x];
      const p0 = base + s0 * 4;
      const p1 = base + s1 * 4;
      row[x * 3] = rgba[p0] * a0 + rgba[p1] * a1;
      row[x * 3 + 1] = rgba[p0 + 1] * a0 + rgba[p1 + 1] * a1;
      row[x * 3 + 2] = rgba[p0 + 2] * a0 + rgba[p1 + 2] * a1;
    }
    if (rowCache.size > 4) rowCache.delete(rowCache.keys().next().value!);
    rowCache.set(y, row);
    return row;
  };
  for (let y = 0; y < dh; y++) {
    const s = ys.index[y];
    const r0 = hrow(Math.min(Math.max(s, 0), sh - 1));
    const r1 = hrow(Math.min(Math.max(s + 1, 0), sh - 1));
    const b0 = ys.w0[y];
    const b1 = ys.w1[y];
    const o = y * dw * 3;
    for (let i = 0; i < dw * 3; i++) {
      // OpenCV's SIMD path: (v >> 4) * beta keeps the high 16 bits, the two are added, then (+2) >> 2.
      const v = (((r0[i] >> 4) * b0) >> 16) + (((r1[i] >> 4) * b1) >> 16);
      const px = (v + 2) >> 2;
      out[o + i] = px < 0 ? 0 : px > 255 ? 255 : px;
    }
  }
  return out;
}

export interface TensorPreprocessing {
  /** Channel order the model wants. */
  channels: 'RGB' | 'BGR';
  /** value = (pixel / divisor - mean) / std, per channel (in the model's channel order), in float32 steps. */
  divisor: number;
  mean: [number, number, number];
  std: [number, number, number];
  /** Grey level of the padding (Ultralytics: 114). */
  padValue: number;
}

/**
 * The model input: the image letterboxed into `g`'s input size, as float32 NCHW (planar) values. The arithmetic
 * is float32 at each step, as numpy and torch do it (a division, not a multiplication by 1/255: they differ in the
 * last bit for some levels).
 */
export function letterboxTensor(img: RgbImage, g: LetterboxGeometry, pre: TensorPreprocessing): Float32Array {
  const W = g.inputWidth;
  const H = g.inputHeight;
  const plane = W * H;
  const tensor = new Float32Array(plane * 3);
  const resized = resizeBilinear(img, g.resizedWidth, g.resizedHeight);
  const divisor = Math.fround(pre.divisor);
  const order = pre.channels === 'RGB' ? [0, 1, 2] : [2, 1, 0];
  // Lookup per channel: 256 levels -> value, computed once.
  const lut = order.map((_, c) => {
    const table = new Float32Array(256);
    const mean = Math.fround(pre.mean[c]);
    const std = Math.fround(pre.std[c]);
    for (let v = 0; v < 256; v++) {
      const scaled = Math.fround(v / divisor);
      table[v] = Math.fround(Math.fround(scaled - mean) / std);
    }
    return table;
  });
  for (let c = 0; c < 3; c++) {
    const source = order[c];
    const table = lut[c];
    const base = c * plane;
    tensor.fill(table[pre.padValue], base, base + plane);
    for (let y = 0; y < g.resizedHeight; y++) {
      const row = base + (y + g.top) * W + g.left;
      const from = y * g.resizedWidth * 3 + source;
      for (let x = 0; x < g.resizedWidth; x++) tensor[row + x] = table[resized[from + x * 3]];
    }
  }
  return tensor;
}
