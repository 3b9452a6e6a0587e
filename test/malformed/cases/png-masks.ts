// Malformed PNG class masks, one defect each (the rest of the file is valid, CRCs included): a case list of the
// malformed corpus, also run with the exact message each must give by test/unit/png-malformed.test.ts.
import { decodeClassMask } from '../../../src/core/png.ts';
import { writePng } from '../../unit/png-writer.ts';
import type { CaseList } from './types.ts';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (b: Uint8Array) => {
  let c = 0xffffffff;
  for (const x of b) c = CRC_TABLE[(c ^ x) & 255] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

export const good = (colorType = 0, bitDepth = 8) =>
  writePng({ width: 8, height: 6, bitDepth, colorType, samples: Array.from({ length: 48 }, (_, i) => i % 3) });

interface Chunk {
  type: string;
  data: Uint8Array;
}

function chunks(png: Uint8Array): Chunk[] {
  const out: Chunk[] = [];
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  for (let at = 8; at < png.length;) {
    const length = view.getUint32(at);
    out.push({ type: String.fromCharCode(...png.subarray(at + 4, at + 8)), data: png.slice(at + 8, at + 8 + length) });
    at += 12 + length;
  }
  return out;
}

/** Reassembles chunks with correct CRCs (so only the intended defect is present). */
function build(list: Chunk[], signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]): Uint8Array {
  const parts = [Uint8Array.from(signature)];
  for (const c of list) {
    const out = new Uint8Array(12 + c.data.length);
    const view = new DataView(out.buffer);
    view.setUint32(0, c.data.length);
    for (let i = 0; i < 4; i++) out[4 + i] = c.type.charCodeAt(i);
    out.set(c.data, 8);
    view.setUint32(8 + c.data.length, crc32(out.subarray(4, 8 + c.data.length)));
    parts.push(out);
  }
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return all;
}

function withIhdr(edit: (ihdr: DataView) => void, colorType = 0, bitDepth = 8): Uint8Array {
  const list = chunks(good(colorType, bitDepth));
  edit(new DataView(list[0].data.buffer));
  return build(list);
}

/** One defect each: name, the file, what the message must say. */
export const pngMaskCases: [string, () => Uint8Array, RegExp][] = [
  ['wrong signature', () => build(chunks(good()), [0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), /not a PNG file/],
  ['empty file', () => new Uint8Array(0), /not a PNG file/],
  ['IHDR not first', () => build(chunks(good()).slice(1)), /PNG without an IHDR chunk first/],
  ['width 0', () => withIhdr((h) => h.setUint32(0, 0)), /invalid PNG size 0x6/],
  ['height beyond 2^31', () => withIhdr((h) => h.setUint32(4, 0x80000000)), /invalid PNG size 8x2147483648/],
  [
    'absurd size (a billion pixels)',
    () => withIhdr((h) => (h.setUint32(0, 40000), h.setUint32(4, 30000))),
    /larger than a class mask may be/,
  ],
  ['bit depth 3', () => withIhdr((h) => h.setUint8(8, 3)), /colour type 0 with bit depth 3/],
  ['palette with bit depth 16', () => withIhdr((h) => h.setUint8(8, 16), 3, 8), /colour type 3 with bit depth 16/],
  ['colour type 5', () => withIhdr((h) => h.setUint8(9, 5)), /colour type 5 with bit depth 8/],
  ['compression method 1', () => withIhdr((h) => h.setUint8(10, 1)), /compression method 1/],
  ['filter method 1', () => withIhdr((h) => h.setUint8(11, 1)), /filter method 1/],
  ['interlace method 2', () => withIhdr((h) => h.setUint8(12, 2)), /interlace method 2/],
  [
    'IHDR of 14 bytes',
    () => {
      const list = chunks(good());
      list[0] = { type: 'IHDR', data: Uint8Array.from([...list[0].data, 0]) };
      return build(list);
    },
    /IHDR has 14 bytes, not 13/,
  ],
  [
    'a damaged IDAT (CRC)',
    () => {
      const png = good();
      const idat = chunks(png).findIndex((c) => c.type === 'IDAT');
      const at =
        8 +
        chunks(png)
          .slice(0, idat)
          .reduce((n, c) => n + 12 + c.data.length, 0) +
        8;
      png[at] ^= 0xff;
      return png;
    },
    /chunk 1 \("IDAT", offset \d+\) fails its CRC check/,
  ],
  [
    'a chunk length past the end',
    () => {
      const png = good();
      new DataView(png.buffer).setUint32(33, 0x7ffffff0);
      return png;
    },
    /claims 2147483632 bytes, past the end of the file/,
  ],
  ['cut inside a chunk', () => good().subarray(0, 50), /past the end of the file|stray bytes/],
  ['no IEND', () => build(chunks(good()).filter((c) => c.type !== 'IEND')), /no IEND chunk/],
  ['no IDAT', () => build(chunks(good()).filter((c) => c.type !== 'IDAT')), /no IDAT chunk/],
  ['palette without PLTE', () => build(chunks(good(3, 8)).filter((c) => c.type !== 'PLTE')), /without a PLTE chunk/],
  [
    'PLTE of 4 bytes',
    () => build(chunks(good(3, 8)).map((c) => (c.type === 'PLTE' ? { type: 'PLTE', data: new Uint8Array(4) } : c))),
    /PLTE of 4 bytes/,
  ],
  [
    'a second IHDR',
    () => {
      const list = chunks(good());
      return build([list[0], list[0], ...list.slice(1)]);
    },
    /a second IHDR/,
  ],
  [
    'image data for a smaller image',
    () => {
      const small = chunks(writePng({ width: 2, height: 2, bitDepth: 8, colorType: 0, samples: [1, 2, 3, 4] }));
      const list = chunks(good());
      return build([list[0], ...small.filter((c) => c.type === 'IDAT'), list[list.length - 1]]);
    },
    /cannot decode PNG/,
  ],
  [
    'not a zlib stream',
    () => build(chunks(good()).map((c) => (c.type === 'IDAT' ? { type: 'IDAT', data: new Uint8Array([1, 2, 3]) } : c))),
    /cannot decode PNG/,
  ],
];

export function pngMaskCaseLists(): CaseList[] {
  const file = 'masks/frame_7.png';
  return [
    {
      name: 'PNG class masks',
      cases: pngMaskCases.map(([name, make]) => ({
        id: `png: ${name}`,
        files: [file],
        expect: { kind: 'fatal' as const },
        async run() {
          decodeClassMask(make(), file);
          return { accepted: 1, rejected: [] };
        },
      })),
    },
  ];
}
