// A card's thumbnail pixels from decoded RGBA, for hosts without a canvas (Node): the crop scaled down by averaging
// the source pixels each output pixel covers (a box filter), so small objects stay visible and edges do not alias.
import type { CropRect } from './data.ts';

export function cropAndScale(
  rgba: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  crop: CropRect,
  outWidth: number,
  outHeight: number,
): Uint8Array {
  const out = new Uint8Array(outWidth * outHeight * 4);
  const sx = crop.w / outWidth;
  const sy = crop.h / outHeight;
  for (let oy = 0; oy < outHeight; oy++) {
    const y0 = Math.max(0, Math.floor(crop.y + oy * sy));
    const y1 = Math.min(height, Math.max(y0 + 1, Math.floor(crop.y + (oy + 1) * sy)));
    for (let ox = 0; ox < outWidth; ox++) {
      const x0 = Math.max(0, Math.floor(crop.x + ox * sx));
      const x1 = Math.min(width, Math.max(x0 + 1, Math.floor(crop.x + (ox + 1) * sx)));
      let r = 0,
        g = 0,
        b = 0,
        n = 0;
      for (let y = y0; y < y1; y++) {
        let i = (y * width + x0) * 4;
        for (let x = x0; x < x1; x++, i += 4) {
          r += rgba[i];
          g += rgba[i + 1];
          b += rgba[i + 2];
          n++;
        }
      }
      const o = (oy * outWidth + ox) * 4;
      if (n > 0) {
        out[o] = Math.round(r / n);
        out[o + 1] = Math.round(g / n);
        out[o + 2] = Math.round(b / n);
      }
      out[o + 3] = 255;
    }
  }
  return out;
}
