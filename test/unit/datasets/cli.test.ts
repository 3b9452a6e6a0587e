// The CLI on dataset folders as a user runs it (node bin/predlens.js ...): `info --json` gives the kind and the
// counts the reference made; `eval --mode coco --json` prints today's shape with pycocotools' stats and per-class
// AP; COCO eval of several annotation files without a split is an error that says so.
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../fixtures.ts';
import { DATASETS, reference } from './helpers.ts';

const run = promisify(execFile);

async function predlens(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', ['bin/predlens.js', ...args], { cwd: REPO_ROOT });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const answers = readdirSync(resolve(DATASETS, 'references')).map((f) => f.replace(/\.json$/, ''));
const kindOf = (fixture: string) => fixture.split('-')[0];

describe.each(answers)('%s', (answer) => {
  const ref = reference(answer);
  const dir = resolve(DATASETS, ref.fixture);
  const split = ref.split ? ['--split', ref.split] : [];

  it('info --json: kind, images, objects and objects by class', async () => {
    const { code, stdout } = await predlens('info', dir, ...split, '--json');
    expect(code).toBe(0);
    const info = JSON.parse(stdout);
    expect(info.kind).toBe(kindOf(ref.fixture));
    expect(info.images).toBe(ref.counts.images);
    expect(info.objects).toBe(ref.counts.objects);
    expect(info.objectsByClass.map((c: { name: string; count: number }) => ({ name: c.name, count: c.count }))).toEqual(
      ref.counts.objectsByClass,
    );
  });

  it.each(ref.eval.map((e) => [`eval ${e.iouType} ${e.predictions}`, e] as const))('%s', async (_, e) => {
    const results = resolve(DATASETS, 'predictions', e.predictions);
    const args = ['eval', dir, results, '--mode', 'coco', '--iou-type', e.iouType, ...split, '--format', 'coco'];
    const { code, stdout, stderr } = await predlens(...args, '--json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.mode).toBe('coco');
    expect(out.stats).toEqual(e.stats);
    const names = new Map(ref.converted?.categories.map((c) => [String(c.id), c.name]));
    for (const [id, ap] of Object.entries(e.perCategoryAP)) {
      const name = names.get(id) ?? Object.keys(out.perClass)[Object.keys(e.perCategoryAP).indexOf(id)];
      expect(out.perClass[name].AP).toBe(ap);
    }
  });
});

describe('errors', () => {
  it('COCO eval of several annotation files without a split says a split is needed', async () => {
    const results = resolve(DATASETS, 'predictions', 'coco-official-val2017.bbox.json');
    const { code, stderr } = await predlens('eval', resolve(DATASETS, 'coco-official'), results, '--mode', 'coco');
    expect(code).toBe(1);
    expect(stderr).toMatch(/2 COCO annotation files \(splits train2017, val2017\).*choose a split \(--split NAME/);
  });

  it('names the split a folder lacks, and what a folder that fits no layout should hold', async () => {
    const bad = await predlens('info', resolve(DATASETS, 'voc'), '--split', 'test');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/has no split "test"; its splits: train, trainval, val/);
    const none = await predlens('info', resolve(DATASETS, 'predictions'));
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(
      /predictions is not an Encord Active project.*Nor is it a dataset.*COCO.*YOLO.*Pascal VOC/s,
    );
  });
});

describe('metrics and import on datasets', () => {
  it('metrics measures every image of a COCO split, a TIFF by its size only, and every label', async () => {
    const { code, stdout } = await predlens(
      'metrics',
      resolve(DATASETS, 'coco-official'),
      '--split',
      'val2017',
      '--json',
    );
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    const ref = reference('coco-official.val2017');
    expect(report.images).toHaveLength(ref.counts.images);
    expect(report.objects.filter((o: { source: string }) => o.source === 'label')).toHaveLength(ref.counts.objects);
    const sized = report.images.filter((r: { metrics: Record<string, number> }) => r.metrics.brightness === undefined);
    expect(sized).toHaveLength(1); // the TIFF
  });
});
