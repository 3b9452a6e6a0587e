// Image sizes come from headers, never from decoding: PNG IHDR, JPEG SOFn (baseline, progressive, after a large
// EXIF block), GIF, BMP, WebP, TIFF, JPEG 2000 and HEIF. The fixture images carry their sizes in their annotations.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryTree } from '../../../src/core/file-tree.ts';
import { HEAD_BYTES, headerSize, readImageSize } from '../../../src/core/datasets/image-size.ts';
import { DATASETS } from './helpers.ts';

const file = (p: string) => new Uint8Array(readFileSync(resolve(DATASETS, p)));
const be16 = (v: number) => [v >> 8, v & 255];
const be32 = (v: number) => [v >>> 24, (v >> 16) & 255, (v >> 8) & 255, v & 255];
const le16 = (v: number) => [v & 255, v >> 8];
const le32 = (v: number) => [v & 255, (v >> 8) & 255, (v >> 16) & 255, v >>> 24];
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** A JPEG of only markers: SOI, APP segments of `appBytes` each, then SOF`n`. */
function jpegHeader(sof: number, width: number, height: number, ...appBytes: number[]): Uint8Array {
  const apps = (appBytes.length ? appBytes : [16]).flatMap((n) => [
    0xff,
    0xe1,
    ...be16(n + 2),
    ...new Array(n).fill(0),
  ]);
  return Uint8Array.from([
    0xff,
    0xd8,
    ...apps,
    0xff,
    0xc4,
    ...be16(4),
    0,
    0,
    0xff,
    sof,
    ...be16(17),
    8,
    ...be16(height),
    ...be16(width),
    3,
    1,
    0x22,
    0,
    2,
    0x11,
    1,
    3,
    0x11,
    1,
  ]);
}

describe('image sizes from headers', () => {
  it('reads the fixtures: PNG, baseline JPEG, TIFF', () => {
    expect(headerSize(file('coco-official/val2017/000000000139.png'))).toEqual({ width: 128, height: 96 });
    expect(headerSize(file('coco-official/val2017/000000000285.jpg'))).toEqual({ width: 120, height: 90 });
    expect(headerSize(file('coco-official/val2017/000000000999.tif'))).toEqual({ width: 64, height: 48 });
  });

  it('reads progressive and lossless JPEG frames, and skips DHT', () => {
    expect(headerSize(jpegHeader(0xc2, 640, 427))).toEqual({ width: 640, height: 427 });
    expect(headerSize(jpegHeader(0xc3, 33, 7))).toEqual({ width: 33, height: 7 });
  });

  it('reads the whole file when the frame header lies past the first bytes (a large EXIF block)', async () => {
    const big = jpegHeader(0xc0, 1920, 1080, 65000, 3000);
    const longer = new Uint8Array(big.length + 10000);
    longer.set(big);
    expect(longer.length).toBeGreaterThan(HEAD_BYTES);
    expect(headerSize(longer.subarray(0, HEAD_BYTES))).toBe('more');
    expect(await readImageSize(new MemoryTree('t', { 'a.jpg': longer }), 'a.jpg')).toEqual({
      width: 1920,
      height: 1080,
    });
  });

  it('reads GIF, BMP (top-down too) and the three WebP kinds', () => {
    expect(headerSize(Uint8Array.from([...ascii('GIF89a'), ...le16(300), ...le16(200), 0, 0]))).toEqual({
      width: 300,
      height: 200,
    });
    const bmp = (h: number) =>
      Uint8Array.from([...ascii('BM'), ...new Array(12).fill(0), ...le32(40), ...le32(50), ...le32(h >>> 0)]);
    expect(headerSize(bmp(40))).toEqual({ width: 50, height: 40 });
    expect(headerSize(bmp(-40))).toEqual({ width: 50, height: 40 });
    const riff = (chunk: string, body: number[]) =>
      Uint8Array.from([
        ...ascii('RIFF'),
        0,
        0,
        0,
        0,
        ...ascii('WEBP'),
        ...ascii(chunk),
        ...body,
        ...new Array(20).fill(0),
      ]);
    expect(headerSize(riff('VP8X', [0, 0, 0, 0, 0, 0, 0, 0, 99, 0, 0, 49, 0, 0]))).toEqual({ width: 100, height: 50 });
    const bits = (100 - 1) | ((50 - 1) << 14);
    expect(headerSize(riff('VP8L', [0, 0, 0, 0, 0x2f, ...le32(bits)]))).toEqual({ width: 100, height: 50 });
    expect(headerSize(riff('VP8 ', [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ...le16(100), ...le16(50)]))).toEqual({
      width: 100,
      height: 50,
    });
  });

  it('reads JPEG 2000 ihdr and HEIF ispe boxes', () => {
    const box = (type: string, body: number[]) => [...be32(8 + body.length), ...ascii(type), ...body];
    const jp2 = Uint8Array.from([
      ...box('jP  ', [0x0d, 0x0a, 0x87, 0x0a]),
      ...box('ftyp', ascii('jp2 ')),
      ...box('jp2h', box('ihdr', [...be32(480), ...be32(640), 0, 3, 7, 7, 0, 0])),
    ]);
    expect(headerSize(jp2)).toEqual({ width: 640, height: 480 });
    const heic = Uint8Array.from([
      ...box('ftyp', ascii('heicmif1')),
      ...box('meta', [
        0,
        0,
        0,
        0,
        ...box('hdlr', new Array(8).fill(0)),
        ...box('iprp', box('ipco', box('ispe', [0, 0, 0, 0, ...be32(4032), ...be32(3024)]))),
      ]),
    ]);
    expect(headerSize(heic)).toEqual({ width: 4032, height: 3024 });
  });

  it('says when it does not know the format', () => {
    expect(headerSize(Uint8Array.from(ascii('not an image at all')))).toBeUndefined();
  });
});
