// Decodes PNG and JPEG images to RGBA pixels without a DOM, for Node (CLI, tests) and as a worker fallback.
// Pages and workers prefer createImageBitmap, which is faster; both apply EXIF orientation as cv2.imread does.
import UPNG from 'upng-js';
import { decode as decodeJpeg } from 'jpeg-js';

export interface RgbaImage {
  width: number;
  height: number;
  rgba: Uint8Array;
}

function isPng(b: Uint8Array) {
  return b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
}

function isJpeg(b: Uint8Array) {
  return b[0] === 0xff && b[1] === 0xd8;
}

/** The EXIF orientation (1-8) of a JPEG, 1 when absent. */
export function jpegOrientation(b: Uint8Array): number {
  let i = 2;
  while (i + 4 < b.length && b[i] === 0xff) {
    const marker = b[i + 1];
    const size = (b[i + 2] << 8) | b[i + 3];
    if (marker === 0xe1 && b[i + 4] === 0x45 && b[i + 5] === 0x78 && b[i + 6] === 0x69 && b[i + 7] === 0x66) {
      const tiff = i + 10;
      const little = b[tiff] === 0x49;
      const u16 = (p: number) => (little ? b[p] | (b[p + 1] << 8) : (b[p] << 8) | b[p + 1]);
      const u32 = (p: number) => (little ? u16(p) | (u16(p + 2) << 16) : (u16(p) << 16) | u16(p + 2)) >>> 0;
      const ifd = tiff + u32(tiff + 4);
      const entries = u16(ifd);
      for (let e = 0; e < entries; e++) {
        const entry = ifd + 2 + e * 12;
        if (u16(entry) === 0x0112) return u16(entry + 8) || 1;
      }
      return 1;
    }
    if (marker === 0xda) break;
    i += 2 + size;
  }
  return 1;
}

/** Applies an EXIF orientation to RGBA pixels, returning the upright image. */
export function applyOrientation(img: RgbaImage, orientation: number): RgbaImage {
  if (orientation <= 1 || orientation > 8) return img;
  const { width: w, height: h, rgba } = img;
  const swap = orientation >= 5;
  const ow = swap ? h : w;
  const oh = swap ? w : h;
  const out = new Uint8Array(ow * oh * 4);
  const src = new Uint32Array(rgba.buffer, rgba.byteOffset, w * h);
  const dst = new Uint32Array(out.buffer);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let dx: number, dy: number;
      switch (orientation) {
        case 2:
          dx = w - 1 - x;
          dy = y;
          break;
        case 3:
          dx = w - 1 - x;
          dy = h - 1 - y;
          break;
        case 4:
          dx = x;
          dy = h - 1 - y;
          break;
        case 5:
          dx = y;
          dy = x;
          break;
        case 6:
          dx = h - 1 - y;
          dy = x;
          break;
        case 7:
          dx = h - 1 - y;
          dy = w - 1 - x;
          break;
        default:
          dx = y;
          dy = w - 1 - x;
          break; // 8
      }
      dst[dy * ow + dx] = src[y * w + x];
    }
  }
  return { width: ow, height: oh, rgba: out };
}

/** Decodes a PNG or JPEG file to upright RGBA pixels. `file` names the image in errors. */
export function decodeImageRgba(bytes: Uint8Array, file = 'image'): RgbaImage {
  if (isPng(bytes)) {
    const png = UPNG.decode(bytes.slice().buffer as ArrayBuffer);
    const rgba = new Uint8Array(UPNG.toRGBA8(png)[0]);
    return { width: png.width, height: png.height, rgba };
  }
  if (isJpeg(bytes)) {
    const jpeg = decodeJpeg(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 2048 });
    const img = {
      width: jpeg.width,
      height: jpeg.height,
      rgba: new Uint8Array(jpeg.data.buffer, jpeg.data.byteOffset, jpeg.data.byteLength),
    };
    return applyOrientation(img, jpegOrientation(bytes));
  }
  throw new Error(
    `${file}: not a PNG or JPEG image (first bytes ${Array.from(bytes.slice(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ')})`,
  );
}
