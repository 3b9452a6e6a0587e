// `predlens report A --compare B`: the report's A/B section read back from its HTML tables equals what
// `predlens compare <dir> A B --json` prints for the same inputs and settings (Encord Active's mAP / mAR and COCO's
// 12 stats of both runs, B − A, the 95% intervals and P(B > A), per class sorted by B − A, the labels fixed and
// broken and the images compared) — on the demo project and on a COCO dataset folder, where the COCO numbers are
// also pycocotools' own on the compared images (test/fixtures/compare) and only the images both runs cover count.
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { command as compare } from '../../src/cli/commands/compare.ts';
import { command as report } from '../../src/cli/commands/report.ts';
import { UsageError } from '../../src/cli/args.ts';
import { fixture, REPO_ROOT } from '../fixtures.ts';
import { compareTable, dataOf, jsonDifference, rowDifference } from '../report-tables.ts';
import { stdoutOf } from './cli-stdout.ts';
import { COMPARE_DIR, reference } from './compare-helpers.ts';

const dir = await mkdtemp(join(tmpdir(), 'predlens-report-compare-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

interface Json {
  all: { names: string[]; a: number[]; b: number[]; delta: number[]; ci: number[][]; pBetter: number[] };
  perClass: Record<string, { name: string; a: number; b: number; delta: number; ci: number[]; pBetter: number }>;
  labels: { fixed: unknown[]; broken: unknown[] };
  images: unknown[];
  compared: { compared: number; total: number; onlyA: number; onlyB: number };
  bootstrap: { resamples: number; seed: number; units: number };
  active: {
    mAP: Parameters<typeof jsonDifference>[0];
    mAR: Parameters<typeof jsonDifference>[0];
    perClass: Record<string, { featureHash: string; AP: Parameters<typeof jsonDifference>[0] }>;
    compared: { compared: number; total: number; onlyA: number; onlyB: number };
    bootstrap: { resamples: number; seed: number };
  };
}

/** Runs compare --json and report --compare on the same inputs; returns both. */
async function both(project: string, a: string, b: string, flags: string[]) {
  const json = JSON.parse(await stdoutOf(compare.run, [project, a, b, ...flags, '--json'])) as Json;
  const out = join(dir, `${Math.random().toString(36).slice(2)}.html`);
  expect(await report.run([project, a, '--compare', b, ...flags, '-o', out])).toBe(0);
  return { json, html: await readFile(out, 'utf8') };
}

/** Every number of the A/B section equals compare --json's. */
function expectSameAsCompare(html: string, json: Json) {
  // COCO's 12 stats on the compared images, in summarize() order.
  const stats = compareTable(html, 'compare-coco');
  expect(stats.map((r) => r.key)).toEqual(json.all.names);
  stats.forEach((row, i) =>
    expect(rowDifference(row)).toEqual(
      jsonDifference({
        a: json.all.a[i],
        b: json.all.b[i],
        delta: json.all.delta[i],
        ci: json.all.ci[i],
        pBetter: json.all.pBetter[i],
      }),
    ),
  );
  // Per class, every category, sorted by B − A (undefined differences last).
  const classes = compareTable(html, 'compare-coco-per-class');
  expect(classes.map((r) => r.key).sort()).toEqual(Object.keys(json.perClass).sort());
  for (const row of classes) {
    expect(row.name).toBe(json.perClass[row.key].name);
    expect(rowDifference(row)).toEqual(jsonDifference(json.perClass[row.key]));
  }
  const deltas = classes.map((r) => r.delta ?? -Infinity);
  expect(deltas).toEqual([...deltas].sort((x, y) => y - x));

  // Encord Active's mAP and mAR, and its per-class AP, by featureHash.
  const active = compareTable(html, 'compare-active');
  expect(active.map((r) => r.key)).toEqual(['mAP', 'mAR']);
  expect(rowDifference(active[0])).toEqual(jsonDifference(json.active.mAP));
  expect(rowDifference(active[1])).toEqual(jsonDifference(json.active.mAR));
  const byHash = new Map(Object.values(json.active.perClass).map((c) => [c.featureHash, c]));
  const activeClasses = compareTable(html, 'compare-active-per-class');
  expect(activeClasses.length).toBeGreaterThan(0);
  for (const row of activeClasses) expect(rowDifference(row)).toEqual(jsonDifference(byHash.get(row.key)!.AP));
  const activeDeltas = activeClasses.map((r) => r.delta ?? -Infinity);
  expect(activeDeltas).toEqual([...activeDeltas].sort((x, y) => y - x));

  // What was compared, the bootstrap it ran, and the labels that changed.
  const coverage = (part: string) => dataOf(html, 'coverage', part);
  expect(coverage('coco')).toMatchObject({
    ...pick(json.compared),
    resamples: json.bootstrap.resamples,
    seed: json.bootstrap.seed,
  });
  expect(coverage('active')).toMatchObject({
    ...pick(json.active.compared),
    resamples: json.active.bootstrap.resamples,
    seed: json.active.bootstrap.seed,
  });
  expect(dataOf(html, 'changes')).toMatchObject({
    fixed: json.labels.fixed.length,
    broken: json.labels.broken.length,
    images: json.images.length,
  });
}

const pick = (c: { compared: number; total: number; onlyA: number; onlyB: number }) => ({
  compared: c.compared,
  total: c.total,
  'only-a': c.onlyA,
  'only-b': c.onlyB,
});

describe('predlens report --compare', () => {
  it('the demo project: the A/B section holds compare --json’s numbers (1,000 resamples, seed 1)', async () => {
    const demo = resolve(REPO_ROOT, 'public/demo');
    const { json, html } = await both(
      demo,
      join(demo, 'predictions/pkl/predictions.pkl'),
      join(demo, 'predictions/second-run/predictions.json'),
      [],
    );
    expectSameAsCompare(html, json);
    expect(json.bootstrap).toMatchObject({ resamples: 1000, seed: 1 });
    expect(html).toContain('A/B: predictions.pkl vs predictions.json');
    // The numbers are embedded too, for scripts.
    const embedded = JSON.parse(
      /<script type="application\/json" id="predlens-report">(.*?)<\/script>/s.exec(html)![1],
    );
    expect(embedded.compare.coco.stats.map((s: { a: number }) => s.a)).toEqual(json.all.a);
    expect(embedded.compare.changes.fixed).toBe(json.labels.fixed.length);
  }, 120_000);

  it('a COCO dataset folder: only the images both runs cover, pycocotools’ numbers, --resamples and --seed', async () => {
    const folder = join(dir, 'coco-dataset');
    await mkdir(join(folder, 'annotations'), { recursive: true });
    await copyFile(fixture('coco', 'bbox', 'gt.json'), join(folder, 'annotations', 'instances_val.json'));
    const a = fixture('coco', 'bbox', 'dt.json');
    const b = resolve(COMPARE_DIR, 'bbox_b.json');
    const { json, html } = await both(folder, a, b, ['--resamples', '300', '--seed', '7']);
    expectSameAsCompare(html, json);
    expect(json.bootstrap).toMatchObject({ resamples: 300, seed: 7 });

    // B has detections on 2 images A has none on: they are left out, and the report says so.
    expect(dataOf(html, 'coverage', 'coco')).toMatchObject({ compared: 48, total: 50, 'only-a': 0, 'only-b': 2 });
    expect(html).toContain('Compared on 48 of 50 images (left out: 0 images only A has predictions on, 2 only B has).');
    // pycocotools' own numbers with params.imgIds = the compared images, and its label changes at IoU 0.5.
    const stats = compareTable(html, 'compare-coco');
    expect(stats.map((r) => r.a)).toEqual(reference.bbox.a.stats);
    expect(stats.map((r) => r.b)).toEqual(reference.bbox.b.stats);
    expect(dataOf(html, 'changes')).toMatchObject({
      fixed: reference.bbox.changes['0.5'].fixed.length,
      broken: reference.bbox.changes['0.5'].broken.length,
      images: reference.bbox.changes['0.5'].images.length,
    });
    expect(dataOf(html, 'alone-a')['alone-a']).toBe(reference.bbox.alone.a[0]);
  }, 120_000);

  it('refuses bootstrap settings without a second run', async () => {
    const demo = resolve(REPO_ROOT, 'public/demo');
    const args = [demo, join(demo, 'predictions/pkl/predictions.pkl'), '--seed', '3', '-o', join(dir, 'x.html')];
    await expect(report.run(args)).rejects.toThrow(UsageError);
    await expect(report.run(args)).rejects.toThrow('--seed goes with --compare <predictionsB>');
  });
});
