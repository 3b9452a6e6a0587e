// `predlens metrics` on projects with a broken or absurd image: the image is a problem in the output, named by its
// file, its row keeps the size and frame metrics, and every other image is still computed, equal to the metrics of
// the intact project. Copies of ea-mini with one image replaced: a PNG whose header claims 100,000 x 100,000 pixels
// (a valid chunk with a correct CRC), a PNG cut after 60 bytes, one whose pixel data is garbage, and bytes that are
// no image at all.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { checkImageHeader, decodeImageRgba, MAX_IMAGE_PIXELS } from '../../src/core/image-decode.ts';
import { IMAGE_METRICS } from '../../src/core/metrics/catalogue.ts';
import { fixture, REPO_ROOT } from '../fixtures.ts';

const run = promisify(execFile);
const EA_MINI = fixture('ea-mini');
const IMAGES = {
  a: 'data/404fbdc5-adf3-4f62-9070-35a2495bf559/images/668c6d1a-0217-4097-b930-8dfc03db62b4.png',
  b: 'data/abefab78-d91e-436b-aec0-803ef87aa43b/images/0d029202-d58b-4dad-a6ba-b80821da6b0a.png',
};

interface Row {
  dataHash: string;
  frame: number;
  metrics: Record<string, number>;
}
interface Output {
  images: Row[];
  objects: { metrics: Record<string, number> }[];
  problems: { file: string; code: string; reason: string }[];
}

async function metrics(dir: string): Promise<{ code: number; out: Output; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', ['bin/predlens.js', 'metrics', dir, '--json'], { cwd: REPO_ROOT });
    return { code: 0, out: JSON.parse(stdout) as Output, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    throw new Error(`predlens metrics exited ${e.code}: ${e.stderr}`, { cause: err });
  }
}

/** A copy of ea-mini with one image's bytes replaced. */
function withImage(path: string, bytes: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'predlens-broken-image-'));
  cpSync(EA_MINI, dir, { recursive: true });
  writeFileSync(join(dir, path), bytes);
  return dir;
}

/** The PNG with its IHDR saying width x height, its CRC recomputed: only the size is absurd. */
function claimingSize(png: Uint8Array, width: number, height: number): Uint8Array {
  const out = png.slice();
  const view = new DataView(out.buffer);
  view.setUint32(16, width);
  view.setUint32(20, height);
  view.setUint32(29, crc32(out.subarray(12, 29)));
  return out;
}

/** The PNG with the compressed bytes of its first IDAT overwritten (chunk sizes intact). */
function garbledPixels(png: Uint8Array): Uint8Array {
  const out = png.slice();
  const view = new DataView(out.buffer);
  for (let at = 8; at + 8 <= out.length; at += 12 + view.getUint32(at)) {
    if (String.fromCharCode(...out.subarray(at + 4, at + 8)) !== 'IDAT') continue;
    out.fill(0xab, at + 10, at + 8 + view.getUint32(at));
    return out;
  }
  throw new Error('no IDAT');
}

const original = new Uint8Array(readFileSync(join(EA_MINI, IMAGES.a)));
const intact = await metrics(EA_MINI);
const byHash = (out: Output, hash: string) => out.images.find((r) => r.dataHash === hash)!;
const hashOf = (path: string) => path.split('/').at(-1)!.replace('.png', '');

describe('predlens metrics with a broken or absurd image', () => {
  const cases: [string, keyof typeof IMAGES, Uint8Array, RegExp][] = [
    ['a header claiming 100,000 x 100,000 pixels', 'a', claimingSize(original, 100_000, 100_000), /100000 x 100000/],
    ['a PNG cut after 60 bytes', 'b', original.slice(0, 60), /the PNG is cut short/],
    ['a PNG whose pixel data is garbage', 'b', garbledPixels(original), /cannot decode the PNG image \(.+\)/],
    ['bytes that are no image', 'a', new TextEncoder().encode('not an image at all'), /not a PNG or JPEG image/],
  ];
  for (const [what, which, bytes, reason] of cases) {
    it(`${what}: one problem naming the file, the other image still computed`, async () => {
      const { code, out, stderr } = await metrics(withImage(IMAGES[which], bytes));
      expect(code).toBe(0);
      expect(out.problems).toHaveLength(1);
      const [problem] = out.problems;
      expect(problem.file).toBe(IMAGES[which]);
      expect(problem.code).toBe('bad_image');
      expect(problem.reason).toMatch(reason);
      expect(stderr).toContain(`predlens metrics: ${IMAGES[which]}: `);

      // The broken image's row: size and frame metrics only.
      const broken = byHash(out, hashOf(IMAGES[which]));
      const before = byHash(intact.out, hashOf(IMAGES[which]));
      expect(Object.keys(broken.metrics).sort()).toEqual(
        ['area', 'aspect_ratio', 'frame_object_density', 'object_count'].sort(),
      );
      for (const key of Object.keys(broken.metrics)) expect(broken.metrics[key]).toBe(before.metrics[key]);

      // The other image: every metric, as in the intact project; labels untouched.
      const other = which === 'a' ? IMAGES.b : IMAGES.a;
      expect(byHash(out, hashOf(other))).toEqual(byHash(intact.out, hashOf(other)));
      for (const { key } of IMAGE_METRICS) expect(byHash(out, hashOf(other)).metrics[key]).toBeDefined();
      expect(out.objects).toEqual(intact.out.objects);
    });
  }

  it('refuses an absurd header before decoding, in the decoder the metrics worker shares', () => {
    const absurd = claimingSize(original, 100_000, 100_000);
    expect(() => checkImageHeader(absurd, 'big.png')).toThrow(
      /^big\.png: the PNG header says 100000 x 100000 pixels, more than the 134,217,728 predlens decodes$/,
    );
    expect(100_000 * 100_000).toBeGreaterThan(MAX_IMAGE_PIXELS);
    expect(() => decodeImageRgba(claimingSize(original, 0, 80), 'flat.png')).toThrow(/0 x 80 pixels/);
    // A JPEG cut before its frame header.
    expect(() => checkImageHeader(Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0, 16), 'cut.jpg')).toThrow(
      /cut\.jpg: JPEG without a frame header/,
    );
    expect(checkImageHeader(original, 'a.png')).toEqual({ format: 'png', width: 100, height: 80 });
  });
});
