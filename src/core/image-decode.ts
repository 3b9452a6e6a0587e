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

/**
 * The most pixels an image may have: 2^27 (about 11,585 x 11,585) is 512 MB of RGBA. A header claiming more is
 * refused before anything is allocated, so one absurd file cannot take the process (or the worker) down.
 */
export const MAX_IMAGE_PIXELS = 1 << 27;

export interface ImageHeader {
  format: 'png' | 'jpeg';
  width: number;
  height: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function u16be(b: Uint8Array, at: number) {
  return (b[at] << 8) | b[at + 1];
}

function u32be(b: Uint8Array, at: number) {
  return ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
}

/** Width and height of a JPEG from its first frame header (SOFn), or undefined when there is none. */
function jpegSize(b: Uint8Array): { width: number; height: number } | undefined {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return undefined;
    const marker = b[i + 1];
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: u16be(b, i + 5), width: u16be(b, i + 7) };
    }
    if (marker === 0xda || marker === 0xd9) return undefined;
    i += 2 + u16be(b, i + 2);
  }
  return undefined;
}

/** Walks a PNG's chunks: each one must fit in the file, and pixel data (IDAT) must come before the end (IEND). */
function checkPngChunks(b: Uint8Array, file: string) {
  let at = 8;
  let idat = false;
  while (at + 12 <= b.length) {
    const size = u32be(b, at);
    const type = String.fromCharCode(b[at + 4], b[at + 5], b[at + 6], b[at + 7]);
    if (at + 12 + size > b.length) {
      throw new Error(`${file}: the PNG is cut short (its ${type} chunk at byte ${at} runs past the end of the file)`);
    }
    if (type === 'IDAT') idat = true;
    if (type === 'IEND') {
      if (!idat) throw new Error(`${file}: the PNG has no pixel data (no IDAT chunk)`);
      return;
    }
    at += 12 + size;
  }
  throw new Error(`${file}: the PNG is cut short (no IEND chunk${idat ? '' : ', no pixel data'})`);
}

/**
 * Reads and checks an image's header before it is decoded: a PNG or JPEG, with a size that is neither zero nor
 * beyond MAX_IMAGE_PIXELS. `file` names the image in errors.
 */
export function checkImageHeader(bytes: Uint8Array, file = 'image'): ImageHeader {
  let header: ImageHeader;
  if (isPng(bytes)) {
    if (bytes.length < 33 || PNG_SIGNATURE.some((v, i) => bytes[i] !== v)) {
      throw new Error(`${file}: not a PNG image (the file is cut short or its signature is damaged)`);
    }
    const type = String.fromCharCode(bytes[12], bytes[13], bytes[14], bytes[15]);
    if (type !== 'IHDR' || u32be(bytes, 8) !== 13) throw new Error(`${file}: PNG without an IHDR chunk first`);
    header = { format: 'png', width: u32be(bytes, 16), height: u32be(bytes, 20) };
    checkPngChunks(bytes, file);
  } else if (isJpeg(bytes)) {
    const size = jpegSize(bytes);
    if (!size) throw new Error(`${file}: JPEG without a frame header (the file is cut short or damaged)`);
    header = { format: 'jpeg', ...size };
  } else {
    throw new Error(
      `${file}: not a PNG or JPEG image (first bytes ${Array.from(bytes.slice(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ')})`,
    );
  }
  if (header.width === 0 || header.height === 0) {
    throw new Error(
      `${file}: the ${header.format.toUpperCase()} header says ${header.width} x ${header.height} pixels`,
    );
  }
  if (header.width * header.height > MAX_IMAGE_PIXELS) {
    throw new Error(
      `${file}: the ${header.format.toUpperCase()} header says ${header.width} x ${header.height} pixels, more than ` +
        `the ${MAX_IMAGE_PIXELS.toLocaleString('en-US')} predlens decodes`,
    );
  }
  return header;
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
  const header = checkImageHeader(bytes, file);
  try {
    if (header.format === 'png') {
      const png = UPNG.decode(bytes.slice().buffer as ArrayBuffer);
      const rgba = new Uint8Array(UPNG.toRGBA8(png)[0]);
      if (rgba.length !== png.width * png.height * 4) throw new Error('its pixel data is cut short');
      return { width: png.width, height: png.height, rgba };
    }
    const jpeg = decodeJpeg(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 2048 });
    const img = {
      width: jpeg.width,
      height: jpeg.height,
      rgba: new Uint8Array(jpeg.data.buffer, jpeg.data.byteOffset, jpeg.data.byteLength),
    };
    return applyOrientation(img, jpegOrientation(bytes));
  } catch (error) {
    // A decoder's own TypeError ("Cannot read properties of ...") says nothing to a user: the data is damaged.
    const reason =
      error instanceof TypeError
        ? 'its compressed data is damaged'
        : error instanceof Error
          ? error.message
          : String(error);
    throw new Error(`${file}: cannot decode the ${header.format.toUpperCase()} image (${reason})`, { cause: error });
  }
}
