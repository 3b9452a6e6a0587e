// Letterboxing: the geometry by hand, and the resized pixels bit for bit against OpenCV 4.6 (cv2.resize
// INTER_LINEAR + copyMakeBorder(114), the references in test/fixtures/onnx/letterbox-cv2.json).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeImageRgba } from '../../src/core/image-decode.ts';
import {
  boxToImage,
  letterboxGeometry,
  letterboxTensor,
  resizeBilinear,
  roundHalfEven,
  type RgbImage,
} from '../../src/core/inference/letterbox.ts';
import { ONNX_FIXTURES } from './inference-fixtures.ts';

interface Case {
  width: number;
  height: number;
  inputWidth: number;
  inputHeight: number;
  geometry: Record<string, number>;
  image?: string;
  letterboxed?: string;
  png?: string;
  sha256?: string;
}
const reference = JSON.parse(readFileSync(resolve(ONNX_FIXTURES, 'letterbox-cv2.json'), 'utf8')) as { cases: Case[] };

const rgbToRgba = (rgb: Uint8Array, w: number, h: number): RgbImage => {
  const rgba = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) rgba.set(rgb.subarray(i * 3, i * 3 + 3), i * 4);
  return { width: w, height: h, rgba };
};

/** The letterboxed image as RGB bytes, read back from the float tensor (divisor 1, mean 0, std 1). */
function letterboxedRgb(img: RgbImage, W: number, H: number): Uint8Array {
  const g = letterboxGeometry(img.width, img.height, W, H);
  const t = letterboxTensor(img, g, { channels: 'RGB', divisor: 1, mean: [0, 0, 0], std: [1, 1, 1], padValue: 114 });
  const out = new Uint8Array(W * H * 3);
  for (let c = 0; c < 3; c++) for (let i = 0; i < W * H; i++) out[i * 3 + c] = t[c * W * H + i];
  return out;
}

describe('roundHalfEven (Python round)', () => {
  it('rounds halves to the even neighbour', () => {
    expect([0.5, 1.5, 2.5, 12.5, 13.5, -0.5, 0.4, 0.6, 1.9, 2.1].map(roundHalfEven)).toEqual([
      0, 2, 2, 12, 14, 0, 0, 1, 2, 2,
    ]);
  });
});

describe('letterboxGeometry', () => {
  it('640 x 480 into 640 x 640: scale 1, 80 rows of padding above and below', () => {
    expect(letterboxGeometry(640, 480, 640, 640)).toMatchObject({
      ratio: 1,
      resizedWidth: 640,
      resizedHeight: 480,
      top: 80,
      bottom: 80,
      left: 0,
      right: 0,
    });
  });
  it('an odd padding puts the extra row at the bottom (round(0.4) = 0, round(0.6) = 1)', () => {
    // 25 x 24 into 16 x 16: r = 0.64, 24 * 0.64 = 15.36 -> 15 rows, 1 row of padding: top 0, bottom 1.
    expect(letterboxGeometry(25, 24, 16, 16)).toMatchObject({ resizedWidth: 16, resizedHeight: 15, top: 0, bottom: 1 });
  });
  it('a resized size exactly half-way rounds to even, as Python does (12.5 -> 12, 13.5 -> 14)', () => {
    expect(letterboxGeometry(25, 20, 16, 10)).toMatchObject({ ratio: 0.5, resizedWidth: 12, left: 2, right: 2 });
    expect(letterboxGeometry(27, 20, 16, 10)).toMatchObject({ ratio: 0.5, resizedWidth: 14, left: 1, right: 1 });
  });
  it.each(reference.cases.map((c) => [`${c.width}x${c.height} -> ${c.inputWidth}x${c.inputHeight}`, c] as const))(
    'matches the reference geometry: %s',
    (_, c) => {
      expect(letterboxGeometry(c.width, c.height, c.inputWidth, c.inputHeight)).toMatchObject(c.geometry);
    },
  );
});

describe('boxToImage', () => {
  it('undoes the padding and the scale, then clips to the image', () => {
    // 128 x 96 into 64 x 64: r = 0.5, 64 x 48 resized, top = bottom = 8.
    const g = letterboxGeometry(128, 96, 64, 64);
    expect(g).toMatchObject({ ratio: 0.5, top: 8, left: 0 });
    expect(boxToImage(g, [10, 10, 30, 30])).toEqual([20, 4, 60, 44]);
    expect(boxToImage(g, [50, 50, 70, 70])).toEqual([100, 84, 128, 96]);
    expect(boxToImage(g, [-4, 2, 8, 8])).toEqual([0, 0, 16, 0]);
  });
});

describe('resizing and padding equal OpenCV', () => {
  it.each(
    reference.cases
      .filter((c) => c.image)
      .map((c) => [`${c.width}x${c.height} -> ${c.inputWidth}x${c.inputHeight}`, c] as const),
  )('%s, every byte', (_, c) => {
    const img = rgbToRgba(Buffer.from(c.image!, 'base64'), c.width, c.height);
    const ours = letterboxedRgb(img, c.inputWidth, c.inputHeight);
    expect(Buffer.from(ours).equals(Buffer.from(c.letterboxed!, 'base64'))).toBe(true);
  });
  it.each(
    reference.cases
      .filter((c) => c.png)
      .map((c) => [`${c.width}x${c.height} -> ${c.inputWidth}x${c.inputHeight}`, c] as const),
  )('a %s photo-sized image, by SHA-256', (_, c) => {
    const img = decodeImageRgba(readFileSync(resolve(ONNX_FIXTURES, c.png!)), c.png);
    const ours = letterboxedRgb(img, c.inputWidth, c.inputHeight);
    expect(createHash('sha256').update(ours).digest('hex')).toBe(c.sha256);
  });

  it('upscaling 2 x 1 to 4 x 1 by hand: pixel centres at +0.5, edges clamped', () => {
    // Source x for output x: (x + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25 -> [0], 0.75*0+0.25*200, 0.25*0+0.75*200, [1].
    const img = rgbToRgba(Uint8Array.from([0, 0, 0, 200, 200, 200]), 2, 1);
    expect(Array.from(resizeBilinear(img, 4, 1)).filter((_, i) => i % 3 === 0)).toEqual([0, 50, 150, 200]);
  });
});

describe('letterboxTensor', () => {
  it('is NCHW float32 with pixel / 255 in float32, the padding 114 / 255, and BGR when asked', () => {
    const img = rgbToRgba(Uint8Array.from([255, 0, 51, 255, 0, 51]), 2, 1);
    const g = letterboxGeometry(2, 1, 2, 2); // 2 x 1 fits as is; half a row of padding: top 0, bottom 1
    expect(g).toMatchObject({ top: 0, bottom: 1, ratio: 1 });
    const pre = {
      channels: 'RGB' as const,
      divisor: 255,
      mean: [0, 0, 0] as [number, number, number],
      std: [1, 1, 1] as [number, number, number],
      padValue: 114,
    };
    const t = letterboxTensor(img, g, pre);
    const pad = Math.fround(114 / 255);
    expect(Array.from(t)).toEqual([
      1,
      1,
      pad,
      pad,
      0,
      0,
      pad,
      pad,
      Math.fround(51 / 255),
      Math.fround(51 / 255),
      pad,
      pad,
    ]);
    const bgr = letterboxTensor(img, g, { ...pre, channels: 'BGR' });
    expect(Array.from(bgr.subarray(0, 2))).toEqual([Math.fround(51 / 255), Math.fround(51 / 255)]);
    const norm = letterboxTensor(img, g, { ...pre, mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] });
    expect(norm[0]).toBe(Math.fround(Math.fround(1 - 0.5) / 0.25));
  });
});
