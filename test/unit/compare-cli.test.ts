// `predlens compare` as a user runs it (node bin/predlens.js): the JSON contract, byte-identical output for one
// seed, a run against itself, a project folder with label ids as objectHashes, and clear errors.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { fixture, REPO_ROOT } from '../fixtures.ts';
import { readProject } from '../../src/core/project/read.ts';
import { NodeTree } from '../../src/files/node-fs.ts';
import { COMPARE_DIR, reference } from './compare-helpers.ts';

const run = promisify(execFile);

async function predlens(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', ['bin/predlens.js', 'compare', ...args], {
      cwd: REPO_ROOT,
      maxBuffer: 1 << 26,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const GT = fixture('coco', 'bbox', 'gt.json');
const A = fixture('coco', 'bbox', 'dt.json');
const B = resolve(COMPARE_DIR, 'bbox_b.json');

describe('predlens compare <gt.json> <A> <B>', () => {
  it('prints the contract: stats of each run alone, delta / ci / pBetter, per class, labels and images', async () => {
    const { code, stdout } = await predlens(GT, A, B, '--iou-type', 'bbox', '--resamples', '200', '--json');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    for (const key of ['a', 'b', 'delta', 'ci', 'pBetter', 'perClass', 'labels', 'images'])
      expect(out).toHaveProperty(key);
    expect(out.a.stats).toEqual(reference.bbox.alone.a);
    expect(out.b.stats).toEqual(reference.bbox.alone.b);
    const names = ['AP', 'AP50', 'AP75', 'AR100'];
    expect(Object.keys(out.delta)).toEqual(names);
    expect(Object.keys(out.ci)).toEqual(names);
    expect(Object.keys(out.pBetter)).toEqual(names);
    const at = { AP: 0, AP50: 1, AP75: 2, AR100: 8 } as const;
    for (const name of names) {
      const i = at[name as keyof typeof at];
      expect(out.delta[name]).toBe(reference.bbox.b.stats[i] - reference.bbox.a.stats[i]);
      expect(out.ci[name]).toHaveLength(2);
      expect(out.ci[name][0]).toBeLessThanOrEqual(out.delta[name]);
      expect(out.ci[name][1]).toBeGreaterThanOrEqual(out.delta[name]);
    }
    expect(out.perClass['1']).toMatchObject({
      a: reference.bbox.a.perClass['1'],
      b: reference.bbox.b.perClass['1'],
      delta: reference.bbox.b.perClass['1'] - reference.bbox.a.perClass['1'],
    });
    // A category without ground truth: null, as JSON has no NaN.
    expect(out.perClass['13']).toMatchObject({ a: null, b: null, delta: null });
    expect(out.labels).toEqual({
      fixed: reference.bbox.changes['0.5'].fixed,
      broken: reference.bbox.changes['0.5'].broken,
    });
    expect(out.images.length).toBe(reference.bbox.changes['0.5'].images.length);
    expect(Object.keys(out.images[0])).toEqual(['imageId', 'fixed', 'broken', 'fpA', 'fpB', 'net']);
    expect(out.compared).toMatchObject({ compared: 48, total: 50, onlyA: 0, onlyB: 2 });
    expect(out.bootstrap).toMatchObject({ resamples: 200, seed: 1, unit: 'image', units: 48 });
    expect(out.all.names).toHaveLength(12);
  });

  it('the same seed prints the same bytes; another seed other intervals', async () => {
    const args = [GT, A, B, '--iou-type', 'bbox', '--resamples', '300', '--seed', '42', '--json'];
    const first = await predlens(...args);
    const second = await predlens(...args);
    expect(first.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    const other = await predlens(GT, A, B, '--iou-type', 'bbox', '--resamples', '300', '--seed', '43', '--json');
    expect(JSON.parse(other.stdout).ci).not.toEqual(JSON.parse(first.stdout).ci);
    expect(JSON.parse(other.stdout).delta).toEqual(JSON.parse(first.stdout).delta);
  });

  it('a run against itself: zero differences, [0, 0] intervals and empty label lists', async () => {
    const { code, stdout } = await predlens(GT, A, A, '--iou-type', 'bbox', '--json');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.delta).toEqual({ AP: 0, AP50: 0, AP75: 0, AR100: 0 });
    expect(out.ci).toEqual({ AP: [0, 0], AP50: [0, 0], AP75: [0, 0], AR100: [0, 0] });
    expect(out.pBetter).toEqual({ AP: 0, AP50: 0, AP75: 0, AR100: 0 });
    expect(out.labels).toEqual({ fixed: [], broken: [] });
    expect(out.images).toEqual([]);
    expect(out.a.stats).toEqual(out.b.stats);
  });

  it('prints a readable table without --json', async () => {
    const { code, stdout } = await predlens(GT, A, B, '--iou-type', 'bbox', '--resamples', '100');
    expect(code).toBe(0);
    expect(stdout).toContain('Compared on 48 of 50 images (left out: 0 with predictions of A only, 2 of B only)');
    const [a, b] = [reference.bbox.a.stats[0], reference.bbox.b.stats[0]].map((v: number) => v.toFixed(3));
    expect(stdout).toMatch(new RegExp(`\\nAP\\s+${a}\\s+${b}\\s`));
    expect(stdout).toContain('95% interval');
  });

  it('says what is wrong with the arguments', async () => {
    const noType = await predlens(GT, A, B, '--json');
    expect(noType.code).toBe(2);
    expect(noType.stderr).toContain('--iou-type bbox|segm is required');
    const badSeed = await predlens(GT, A, B, '--iou-type', 'bbox', '--seed', '-3');
    expect(badSeed.code).toBe(2);
    expect(badSeed.stderr).toContain('--seed must be an integer 0..4294967295');
    const missing = await predlens(GT, A, join(COMPARE_DIR, 'nope.json'), '--iou-type', 'bbox');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('nope.json: cannot read');
  });
});

describe('predlens compare <project-dir> <A> <B>', () => {
  const PKL = fixture('ea-mini', 'predictions.pkl');

  it("an EA project: the same shape, label ids are the labels' objectHashes", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'predlens-compare-'));
    try {
      // B: the worked example's predictions without its two best Car boxes (both on the same label), so that label
      // is missed (broken).
      const file = join(dir, 'b.json');
      const { execFileSync } = await import('node:child_process');
      const imported = JSON.parse(
        execFileSync('node', ['bin/predlens.js', 'import', fixture('ea-mini'), PKL, '--format', 'pkl', '--json'], {
          cwd: REPO_ROOT,
          encoding: 'utf8',
        }),
      ).predictions as { confidence: number; featureHash: string }[];
      const car = 'XO9aOmE8'; // ea-mini's Car class
      const top = imported.filter((p) => p.featureHash === car).sort((x, y) => y.confidence - x.confidence);
      await writeFile(file, JSON.stringify({ predictions: imported.filter((p) => p !== top[0] && p !== top[1]) }));
      const { code, stdout, stderr } = await predlens(fixture('ea-mini'), PKL, file, '--json', '--resamples', '100');
      expect(stderr).not.toContain('Error');
      expect(code).toBe(0);
      const out = JSON.parse(stdout);
      expect(out.labels.fixed).toEqual([]);
      expect(out.labels.broken).toHaveLength(1);
      const project = await readProject(new NodeTree(fixture('ea-mini')));
      const hashes = project.dataUnits.flatMap((u) => u.frames.flatMap((f) => f.objects.map((o) => o.objectHash)));
      expect(hashes).toContain(out.labels.broken[0]);
      expect(out.delta.AP).toBeLessThan(0);
      expect(out.predictions.a).toMatchObject({ format: 'pkl', rejected: 0 });
      const self = JSON.parse((await predlens(fixture('ea-mini'), PKL, PKL, '--json')).stdout);
      expect(self.delta).toEqual({ AP: 0, AP50: 0, AP75: 0, AR100: 0 });
      expect(self.labels).toEqual({ fixed: [], broken: [] });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
