// `predlens contours` as a user runs it: a real process, JSON on stdout, compared with the OpenCV references.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, fixture } from '../fixtures.ts';
import { writePng } from './png-writer.ts';

const run = promisify(execFile);
const cli = (...args: string[]) =>
  run('node', [join(REPO_ROOT, 'bin/predlens.js'), 'contours', ...args], { cwd: REPO_ROOT });

interface RefClass {
  value: number;
  contours: { points: number[][]; area: number; bounding_rect: number[]; kept_by_ea: boolean }[];
}

describe('predlens contours', () => {
  it('prints every class but the ignored one, with the contours Encord Active keeps, as JSON', async () => {
    const ref = JSON.parse(readFileSync(fixture('masks/reference/voc_void255_500x333_P.json'), 'utf8')) as {
      classes: RefClass[];
    };
    const { stdout } = await cli(
      fixture('masks/png/voc_void255_500x333_P.png'),
      '--ignore',
      '255',
      '--ea-filter',
      '--json',
    );
    const out = JSON.parse(stdout);
    expect(Object.keys(out)).toEqual(['width', 'height', 'classes']);
    expect([out.width, out.height]).toEqual([500, 333]);
    const expected = Object.fromEntries(
      ref.classes
        .filter((c) => c.value !== 255)
        .map((c) => [
          String(c.value),
          c.contours
            .filter((k) => k.kept_by_ea)
            .map((k) => ({ points: k.points, area: k.area, bbox: k.bounding_rect })),
        ]),
    );
    expect(out.classes).toEqual(expected);
  });

  it("adds each contour's holes with --holes (RETR_CCOMP)", async () => {
    const expected = JSON.parse(
      readFileSync(join(REPO_ROOT, 'test/fixtures/contours/holes_nested_118x96_L.json'), 'utf8'),
    );
    const { stdout } = await cli(fixture('masks/png/holes_nested_118x96_L.png'), '--holes', '--json');
    const out = JSON.parse(stdout);
    for (const [value, { ccomp }] of Object.entries(expected.classes) as [string, { ccomp: unknown }][]) {
      expect(out.classes[value], `value ${value}`).toEqual(ccomp);
    }
    expect(out.classes['1'][1].holes).toHaveLength(1);
  });

  it('prints a short summary without --json', async () => {
    const { stdout } = await cli(fixture('masks/png/tiny_objects_66x46_L.png'));
    expect(stdout).toContain('66x46, 8-bit grey');
    expect(stdout).toMatch(/^\s+1: \d+ contour\(s\), \d+ kept by EA/m);
  });

  it('refuses an RGB PNG with an error naming the file and exit code 1', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'predlens-')), 'photo.png');
    writeFileSync(file, writePng({ width: 2, height: 2, bitDepth: 8, colorType: 2, samples: new Array(12).fill(9) }));
    const failed = await cli(file, '--json').then(
      () => undefined,
      (err: { code: number; stderr: string }) => err,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain(`${file}: a class mask must have one value per pixel`);
  });
});
