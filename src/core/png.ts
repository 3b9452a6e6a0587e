// Class-index PNG masks -> one value per pixel, exactly as stored: palette indices (not colours), grey levels,
// 16-bit values. Pillow + numpy give Encord Active the same numbers, with one exception: Pillow scales 2- and 4-bit
// greyscale samples to 0..255 (x85, x17), so EA would look up classes 85, 170, ... there; palette files of any
// depth keep their indices in both. predlens keeps the stored samples.
//
// fflate inflates the IDAT stream into a buffer of exactly the size the header implies (so a stream that would
// inflate to more stops there); unfiltering and unpacking are done here, with one loop per filter type. Sub-byte
// samples are packed most significant bits first with rows padded to whole bytes, 16-bit samples are big-endian.
// (upng-js, used before, did the same 2-4x slower than Pillow; its de-interlacing also shifted 1-bit samples by
// (col & 3) instead of (col & 7) and mis-read passes that have rows but no columns.)
import { unzlibSync } from 'fflate';

export interface ClassMask {
  width: number;
  height: number;
  /** Row-major, width*height values; Uint16Array only for 16-bit files. */
  values: Uint8Array | Uint16Array;
  bitDepth: number;
  /** PNG colour type: 0 grey, 3 palette. */
  colorType: number;
  interlaced: boolean;
}

interface Header {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlaced: boolean;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const COLOUR_NAMES: Record<number, string> = { 2: 'RGB', 4: 'grey + alpha', 6: 'RGBA' };
const DEPTHS: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 3: [1, 2, 4, 8] };

function u32At(b: Uint8Array, at: number) {
  return ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
}

function chunkType(b: Uint8Array, at: number) {
  return String.fromCharCode(b[at], b[at + 1], b[at + 2], b[at + 3]);
}

/** Pixels a class mask may have (16384 x 16384): checked before anything of that size is allocated. */
export const MAX_MASK_PIXELS = 1 << 28;

const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

function crc32(b: Uint8Array, from: number, to: number): number {
  let c = -1;
  for (let i = from; i < to; i++) c = CRC_TABLE[(c ^ b[i]) & 255] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

/**
 * The file's structure, checked before any pixel buffer exists: the signature, every chunk's length (inside the
 * file) and CRC, IHDR first with its 13 bytes and valid fields, a PLTE before IDAT for palette files, at least one
 * IDAT, and IEND last. Each failure names the file, the chunk and its offset.
 */
function checkStructure(bytes: Uint8Array, name: string, colorType: number): void {
  let at = 8;
  let index = 0;
  let sawIdat = false;
  let sawPlte = false;
  let ended = false;
  while (at < bytes.length) {
    if (at + 12 > bytes.length) {
      throw new Error(
        `${name}: cannot decode PNG (${bytes.length - at} stray bytes at offset ${at}, not a whole chunk)`,
      );
    }
    const length = u32At(bytes, at);
    const type = chunkType(bytes, at + 4);
    const where = `chunk ${index} (${JSON.stringify(type)}, offset ${at})`;
    if (!/^[A-Za-z]{4}$/.test(type)) throw new Error(`${name}: cannot decode PNG (${where} has no valid chunk type)`);
    if (length > 0x7fffffff || at + 12 + length > bytes.length) {
      throw new Error(`${name}: cannot decode PNG (${where} claims ${length} bytes, past the end of the file)`);
    }
    const stored = u32At(bytes, at + 8 + length);
    if (crc32(bytes, at + 4, at + 8 + length) !== stored) {
      throw new Error(`${name}: cannot decode PNG (${where} fails its CRC check: the file is damaged)`);
    }
    if (index === 0 && type !== 'IHDR') throw new Error(`${name}: PNG without an IHDR chunk first`);
    if (type === 'IHDR' && index !== 0) throw new Error(`${name}: cannot decode PNG (a second IHDR, ${where})`);
    if (type === 'IHDR' && length !== 13)
      throw new Error(`${name}: cannot decode PNG (IHDR has ${length} bytes, not 13)`);
    if (type === 'PLTE') {
      if (sawIdat) throw new Error(`${name}: cannot decode PNG (PLTE after IDAT, ${where})`);
      if (length === 0 || length % 3 !== 0 || length > 768) {
        throw new Error(`${name}: cannot decode PNG (PLTE of ${length} bytes, not 1 to 256 RGB entries)`);
      }
      sawPlte = true;
    }
    if (type === 'IDAT') sawIdat = true;
    at += 12 + length;
    index++;
    if (type === 'IEND') {
      ended = true;
      break;
    }
  }
  if (!sawIdat) throw new Error(`${name}: cannot decode PNG (no IDAT chunk: no image data)`);
  if (!ended) throw new Error(`${name}: cannot decode PNG (no IEND chunk: the file is cut short)`);
  if (colorType === 3 && !sawPlte) throw new Error(`${name}: cannot decode PNG (a palette image without a PLTE chunk)`);
}

function readHeader(bytes: Uint8Array, name: string): Header {
  if (bytes.length < 8 || SIGNATURE.some((v, i) => bytes[i] !== v)) throw new Error(`${name}: not a PNG file`);
  if (bytes.length < 33 || chunkType(bytes, 12) !== 'IHDR') throw new Error(`${name}: PNG without an IHDR chunk first`);
  const header = {
    width: u32At(bytes, 16),
    height: u32At(bytes, 20),
    bitDepth: bytes[24],
    colorType: bytes[25],
    interlaced: bytes[28] === 1,
  };
  if (header.width === 0 || header.height === 0 || header.width > 0x7fffffff || header.height > 0x7fffffff) {
    throw new Error(`${name}: invalid PNG size ${header.width}x${header.height}`);
  }
  if (bytes[26] !== 0) throw new Error(`${name}: invalid PNG (compression method ${bytes[26]}; only 0 exists)`);
  if (bytes[27] !== 0) throw new Error(`${name}: invalid PNG (filter method ${bytes[27]}; only 0 exists)`);
  if (bytes[28] > 1) throw new Error(`${name}: invalid PNG (interlace method ${bytes[28]}; only 0 and 1 exist)`);
  const colour = COLOUR_NAMES[header.colorType];
  if (colour) {
    throw new Error(
      `${name}: a class mask must have one value per pixel (greyscale or palette PNG), ` +
        `but this PNG is ${colour} (colour type ${header.colorType})`,
    );
  }
  if (!DEPTHS[header.colorType]?.includes(header.bitDepth)) {
    throw new Error(`${name}: invalid PNG (colour type ${header.colorType} with bit depth ${header.bitDepth})`);
  }
  if (header.width * header.height > MAX_MASK_PIXELS) {
    throw new Error(
      `${name}: PNG of ${header.width}x${header.height} pixels is larger than a class mask may be ` +
        `(${MAX_MASK_PIXELS} pixels)`,
    );
  }
  checkStructure(bytes, name, header.colorType);
  return header;
}

/** Decodes a greyscale or palette PNG to its per-pixel values. `file` names the mask in errors. */
export function decodeClassMask(bytes: Uint8Array, file?: string): ClassMask {
  const name = file ?? 'PNG mask';
  const header = readHeader(bytes, name);
  const { width, height, bitDepth } = header;
  let values: Uint8Array | Uint16Array;
  try {
    values = header.interlaced ? decodeAdam7(bytes, header) : decodeProgressive(bytes, header);
  } catch (err) {
    throw new Error(`${name}: cannot decode PNG (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
  return { width, height, values, bitDepth, colorType: header.colorType, interlaced: header.interlaced };
}

function decodeProgressive(bytes: Uint8Array, header: Header): Uint8Array | Uint16Array {
  const { width, height, bitDepth } = header;
  const rowBytes = Math.ceil((width * bitDepth) / 8);
  const stream = inflate(idatStream(bytes), height * (rowBytes + 1));
  if (stream.length < height * (rowBytes + 1)) throw new Error('truncated image data');
  const pixelBytes = Math.max(1, bitDepth >> 3);
  if (bitDepth === 8) {
    // Unfiltered straight into the values: one byte per pixel.
    const values = new Uint8Array(width * height);
    unfilterInto(stream, 0, height, rowBytes, pixelBytes, values);
    return values;
  }
  const rows = new Uint8Array(height * rowBytes);
  unfilterInto(stream, 0, height, rowBytes, pixelBytes, rows);
  const values = bitDepth === 16 ? new Uint16Array(width * height) : new Uint8Array(width * height);
  for (let y = 0; y < height; y++) unpackRow(rows, y * rowBytes, bitDepth, width, values, y * width, 1);
  return values;
}

/**
 * Writes `count` samples of a packed row (from byte `from`) to `out` at `at`, `at + step`, ...: sub-byte samples
 * most significant bits first, 16-bit samples big-endian.
 */
function unpackRow(
  rows: Uint8Array,
  from: number,
  depth: number,
  count: number,
  out: Uint8Array | Uint16Array,
  at: number,
  step: number,
) {
  switch (depth) {
    case 8:
      for (let i = 0; i < count; i++) out[at + i * step] = rows[from + i];
      return;
    case 16:
      for (let i = 0; i < count; i++) out[at + i * step] = (rows[from + 2 * i] << 8) | rows[from + 2 * i + 1];
      return;
    case 4:
      for (let i = 0; i < count; i++) out[at + i * step] = (rows[from + (i >> 1)] >> (4 - ((i & 1) << 2))) & 15;
      return;
    case 2:
      for (let i = 0; i < count; i++) out[at + i * step] = (rows[from + (i >> 2)] >> (6 - ((i & 3) << 1))) & 3;
      return;
    default:
      for (let i = 0; i < count; i++) out[at + i * step] = (rows[from + (i >> 3)] >> (7 - (i & 7))) & 1;
  }
}

/** The concatenated IDAT payload. */
function idatStream(bytes: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (let at = 8; at + 8 <= bytes.length;) {
    const length = u32At(bytes, at);
    const type = chunkType(bytes, at + 4);
    if (at + 12 + length > bytes.length) throw new Error(`chunk ${type} runs past the end of the file`);
    if (type === 'IDAT') {
      parts.push(bytes.subarray(at + 8, at + 8 + length));
      total += length;
    }
    if (type === 'IEND') break;
    at += 12 + length;
  }
  const stream = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    stream.set(p, offset);
    offset += p.length;
  }
  return stream;
}

/** The zlib stream inflated into `size` bytes at most (what the header says the image needs). */
function inflate(data: Uint8Array, size: number): Uint8Array {
  return unzlibSync(data, { out: new Uint8Array(size) });
}

const PASS_START_ROW = [0, 0, 4, 0, 2, 0, 1];
const PASS_START_COL = [0, 4, 0, 2, 0, 1, 0];
const PASS_ROW_STEP = [8, 8, 8, 4, 4, 2, 2];
const PASS_COL_STEP = [8, 8, 4, 4, 2, 2, 1];

function decodeAdam7(bytes: Uint8Array, header: Header): Uint8Array | Uint16Array {
  const { width, height, bitDepth } = header;
  let expected = 0;
  for (let pass = 0; pass < 7; pass++) {
    const cols = Math.ceil((width - PASS_START_COL[pass]) / PASS_COL_STEP[pass]);
    const rows = Math.ceil((height - PASS_START_ROW[pass]) / PASS_ROW_STEP[pass]);
    if (cols > 0 && rows > 0) expected += rows * (Math.ceil((cols * bitDepth) / 8) + 1);
  }
  const stream = inflate(idatStream(bytes), expected);
  const values = bitDepth === 16 ? new Uint16Array(width * height) : new Uint8Array(width * height);
  const pixelBytes = Math.max(1, bitDepth >> 3);
  let offset = 0;
  for (let pass = 0; pass < 7; pass++) {
    const cols = Math.ceil((width - PASS_START_COL[pass]) / PASS_COL_STEP[pass]);
    const rows = Math.ceil((height - PASS_START_ROW[pass]) / PASS_ROW_STEP[pass]);
    if (cols <= 0 || rows <= 0) continue; // an empty pass has no bytes at all, not even filter bytes
    const rowBytes = Math.ceil((cols * bitDepth) / 8);
    const passRows = unfilter(stream, offset, rows, rowBytes, pixelBytes);
    offset += rows * (rowBytes + 1);
    for (let r = 0; r < rows; r++) {
      const y = PASS_START_ROW[pass] + r * PASS_ROW_STEP[pass];
      unpackRow(passRows, r * rowBytes, bitDepth, cols, values, y * width + PASS_START_COL[pass], PASS_COL_STEP[pass]);
    }
  }
  return values;
}

/** Undoes PNG filtering of `rows` rows (each a filter-type byte then `rowBytes` bytes) starting at `offset`. */
function unfilter(stream: Uint8Array, offset: number, rows: number, rowBytes: number, pixelBytes: number): Uint8Array {
  if (offset + rows * (rowBytes + 1) > stream.length) throw new Error('truncated interlaced image data');
  const out = new Uint8Array(rows * rowBytes);
  unfilterInto(stream, offset, rows, rowBytes, pixelBytes, out);
  return out;
}

/** unfilter into `out` (rows * rowBytes bytes), one tight loop per filter type. */
function unfilterInto(
  stream: Uint8Array,
  offset: number,
  rows: number,
  rowBytes: number,
  bpp: number,
  out: Uint8Array,
): void {
  for (let r = 0; r < rows; r++) {
    const src = offset + r * (rowBytes + 1) + 1;
    const type = stream[src - 1];
    const row = r * rowBytes;
    const up = row - rowBytes;
    const first = Math.min(bpp, rowBytes);
    switch (type) {
      case 0:
        out.set(stream.subarray(src, src + rowBytes), row);
        break;
      case 1:
        for (let i = 0; i < first; i++) out[row + i] = stream[src + i];
        if (bpp === 1) {
          // The running left value in a register: one load and one store per byte.
          let left = out[row];
          for (let i = 1; i < rowBytes; i++) out[row + i] = left = (stream[src + i] + left) & 255;
        } else {
          for (let i = first; i < rowBytes; i++) out[row + i] = (stream[src + i] + out[row + i - bpp]) & 255;
        }
        break;
      case 2:
        if (r === 0) out.set(stream.subarray(src, src + rowBytes), row);
        else for (let i = 0; i < rowBytes; i++) out[row + i] = (stream[src + i] + out[up + i]) & 255;
        break;
      case 3:
        if (r === 0) {
          for (let i = 0; i < first; i++) out[row + i] = stream[src + i];
          for (let i = first; i < rowBytes; i++) out[row + i] = (stream[src + i] + (out[row + i - bpp] >> 1)) & 255;
        } else {
          for (let i = 0; i < first; i++) out[row + i] = (stream[src + i] + (out[up + i] >> 1)) & 255;
          for (let i = first; i < rowBytes; i++) {
            out[row + i] = (stream[src + i] + ((out[row + i - bpp] + out[up + i]) >> 1)) & 255;
          }
        }
        break;
      case 4:
        if (r === 0) {
          // paeth(a, 0, 0) = a
          for (let i = 0; i < first; i++) out[row + i] = stream[src + i];
          for (let i = first; i < rowBytes; i++) out[row + i] = (stream[src + i] + out[row + i - bpp]) & 255;
        } else {
          for (let i = 0; i < first; i++) out[row + i] = (stream[src + i] + out[up + i]) & 255; // paeth(0, b, 0) = b
          if (bpp === 1) {
            let a = out[row];
            let c = out[up];
            for (let i = 1; i < rowBytes; i++) {
              const b = out[up + i];
              const p = a + b - c;
              const pa = p > a ? p - a : a - p;
              const pb = p > b ? p - b : b - p;
              const pc = p > c ? p - c : c - p;
              a = (stream[src + i] + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)) & 255;
              out[row + i] = a;
              c = b;
            }
          } else {
            for (let i = first; i < rowBytes; i++) {
              const a = out[row + i - bpp];
              const b = out[up + i];
              const c = out[up + i - bpp];
              out[row + i] = (stream[src + i] + paeth(a, b, c)) & 255;
            }
          }
        }
        break;
      default:
        throw new Error(`unknown PNG filter type ${type}`);
    }
  }
}

function paeth(a: number, b: number, c: number) {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}
