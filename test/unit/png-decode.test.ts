// decodeClassMask: exact per-pixel values for every grey/palette layout, Adam7 included, and clear refusals.
import { readFileSync } from 'node:fs';
import UPNG from 'upng-js';
import { describe, expect, it } from 'vitest';
import { decodeClassMask } from '../../src/core/png.ts';
import { fixture } from '../fixtures.ts';
import { writePng } from './png-writer.ts';

function randomSamples(n: number, max: number, seed: number) {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s % (max + 1);
  });
}

const LAYOUTS = [
  { colorType: 0, bitDepth: 1 },
  { colorType: 0, bitDepth: 2 },
  { colorType: 0, bitDepth: 4 },
  { colorType: 0, bitDepth: 8 },
  { colorType: 0, bitDepth: 16 },
  { colorType: 3, bitDepth: 1 },
  { colorType: 3, bitDepth: 2 },
  { colorType: 3, bitDepth: 4 },
  { colorType: 3, bitDepth: 8 },
];
const SIZES = [
  [1, 1],
  [3, 2],
  [4, 9],
  [5, 5],
  [13, 7],
  [37, 19],
];

describe('decodeClassMask', () => {
  for (const interlaced of [false, true]) {
    for (const { colorType, bitDepth } of LAYOUTS) {
      it(`returns the stored values: colour type ${colorType}, ${bitDepth}-bit${interlaced ? ', Adam7' : ''}`, () => {
        for (const [width, height] of SIZES) {
          const samples = randomSamples(width * height, (1 << bitDepth) - 1, width * 31 + height + bitDepth);
          const png = writePng({ width, height, bitDepth, colorType, interlaced, samples, filters: [0, 1, 2, 3, 4] });
          const mask = decodeClassMask(png);
          expect([mask.width, mask.height, mask.bitDepth, mask.colorType, mask.interlaced]).toEqual([
            width,
            height,
            bitDepth,
            colorType,
            interlaced,
          ]);
          expect(mask.values).toBeInstanceOf(bitDepth === 16 ? Uint16Array : Uint8Array);
          expect(Array.from(mask.values), `${width}x${height}`).toEqual(samples);
        }
      });
    }
  }

  it('decodes the interlaced fixture to what upng-js gets for it (8-bit, wide enough for upng to be right)', () => {
    const bytes = readFileSync(fixture('masks/png/interlaced_adam7_77x61_P.png'));
    const mask = decodeClassMask(bytes);
    expect(mask.interlaced).toBe(true);
    const upng = UPNG.decode(new Uint8Array(bytes).buffer);
    expect(Array.from(mask.values)).toEqual(Array.from((upng.data as unknown as Uint8Array).subarray(0, 77 * 61)));
  });

  it('refuses RGB and RGBA masks, naming the file', () => {
    const rgb = writePng({ width: 2, height: 2, bitDepth: 8, colorType: 2, samples: new Array(12).fill(1) });
    const rgba = writePng({ width: 2, height: 2, bitDepth: 8, colorType: 6, samples: new Array(16).fill(1) });
    expect(() => decodeClassMask(rgb, 'masks/cat.png')).toThrow(
      /^masks\/cat\.png: .*one value per pixel.*RGB \(colour type 2\)/,
    );
    expect(() => decodeClassMask(rgba, 'dog.png')).toThrow(/^dog\.png: .*RGBA \(colour type 6\)/);
    expect(() => decodeClassMask(rgb)).toThrow(/RGB/);
  });

  it('refuses a file that is not a PNG, or is cut short, naming the file', () => {
    expect(() => decodeClassMask(new TextEncoder().encode('hello, this is not a png at all!!'), 'a.png')).toThrow(
      'a.png: not a PNG file',
    );
    const png = writePng({
      width: 40,
      height: 30,
      bitDepth: 8,
      colorType: 0,
      interlaced: true,
      samples: randomSamples(1200, 9, 1),
    });
    expect(() => decodeClassMask(png.subarray(0, 60), 'cut.png')).toThrow(/^cut\.png: cannot decode PNG/);
  });
});
