// A small, independent PNG writer for decoder tests: any grey/palette/RGB layout, every filter type, Adam7.
import { deflateSync } from 'node:zlib';

export interface PngSpec {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlaced?: boolean;
  /** Samples, row-major, `channels` per pixel. */
  samples: ArrayLike<number>;
  /** Filter type for the n-th written row (cycled); default 0. */
  filters?: number[];
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 255] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array) {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

function packRow(samples: number[], depth: number) {
  const out = new Uint8Array(Math.ceil((samples.length * depth) / 8));
  samples.forEach((s, i) => {
    if (depth === 16) {
      out[2 * i] = s >> 8;
      out[2 * i + 1] = s & 255;
    } else if (depth === 8) out[i] = s;
    else out[(i * depth) >> 3] |= s << (8 - depth - ((i * depth) & 7));
  });
  return out;
}

function paeth(a: number, b: number, c: number) {
  const p = a + b - c;
  const pa = Math.abs(p - a),
    pb = Math.abs(p - b),
    pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

function filterRows(rows: Uint8Array[], bpp: number, filters: number[], counter: { n: number }) {
  const parts: number[] = [];
  rows.forEach((row, r) => {
    const type = filters[counter.n++ % filters.length];
    parts.push(type);
    for (let i = 0; i < row.length; i++) {
      const a = i >= bpp ? row[i - bpp] : 0;
      const b = r > 0 ? rows[r - 1][i] : 0;
      const c = r > 0 && i >= bpp ? rows[r - 1][i - bpp] : 0;
      const pred = [0, a, b, (a + b) >> 1, paeth(a, b, c)][type];
      parts.push((row[i] - pred) & 255);
    }
  });
  return parts;
}

const PASSES = [
  [0, 0, 8, 8],
  [0, 4, 8, 8],
  [4, 0, 8, 4],
  [0, 2, 4, 4],
  [2, 0, 4, 2],
  [0, 1, 2, 2],
  [1, 0, 2, 1],
] as const; // [startRow, startCol, rowStep, colStep]

export function writePng(spec: PngSpec): Uint8Array {
  const { width, height, bitDepth, colorType } = spec;
  const channels = CHANNELS[colorType];
  const bpp = Math.max(1, (bitDepth * channels) >> 3);
  const filters = spec.filters ?? [0];
  const counter = { n: 0 };
  const sampleRow = (y: number, xs: number[]) =>
    packRow(
      xs.flatMap((x) => Array.from({ length: channels }, (_, k) => spec.samples[(y * width + x) * channels + k])),
      bitDepth,
    );
  const raw: number[] = [];
  const passes = spec.interlaced ? PASSES : ([[0, 0, 1, 1]] as const);
  for (const [r0, c0, dr, dc] of passes) {
    const xs: number[] = [];
    for (let x = c0; x < width; x += dc) xs.push(x);
    const rows: Uint8Array[] = [];
    for (let y = r0; y < height; y += dr) rows.push(sampleRow(y, xs));
    if (xs.length === 0 || rows.length === 0) continue;
    raw.push(...filterRows(rows, bpp, filters, counter));
  }
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr.set([bitDepth, colorType, 0, 0, spec.interlaced ? 1 : 0], 8);
  const parts = [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr)];
  if (colorType === 3)
    parts.push(
      chunk(
        'PLTE',
        new Uint8Array(3 * (1 << Math.min(bitDepth, 8))).map((_, i) => (i * 37) & 255),
      ),
    );
  const compressed = deflateSync(Uint8Array.from(raw));
  // Two IDAT chunks, as real encoders split them.
  const half = compressed.length >> 1;
  parts.push(
    chunk('IDAT', compressed.subarray(0, half)),
    chunk('IDAT', compressed.subarray(half)),
    chunk('IEND', new Uint8Array()),
  );
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
