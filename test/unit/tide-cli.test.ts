// The CLI's public contract for issue 11, as a user runs it: coco-eval --tide (tidecv's numbers and tables),
// eval --tide on projects (tidecv run on the project's COCO translation: test/fixtures/tide/project_*.json),
// eval --per-image and --definitions; every existing field unchanged by the new flags.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { makeDemo } from '../../scripts/make-demo.ts';
import { DEMO_SEED } from '../../scripts/demo/scene.ts';
import { MAIN_ERRORS, SPECIAL_ERRORS } from '../../src/core/eval/tide/index.ts';
import { REPO_ROOT, fixture } from '../fixtures.ts';

const run = promisify(execFile);
const predlens = async (...args: string[]) =>
  (await run(process.execPath, ['bin/predlens.js', ...args], { cwd: REPO_ROOT, maxBuffer: 1 << 26 })).stdout;
const answer = (name: string) =>
  JSON.parse(readFileSync(resolve(REPO_ROOT, 'test/fixtures/tide', `${name}.json`), 'utf8'));

function expectTidecv(tide: any, ref: any) {
  expect(Object.keys(tide.main)).toEqual([...MAIN_ERRORS]);
  expect(Object.keys(tide.special)).toEqual([...SPECIAL_ERRORS]);
  expect(tide.main).toEqual(ref.main);
  expect(tide.special).toEqual(ref.special);
  expect(tide.ap).toBe(ref.ap);
  expect(tide.counts).toEqual(ref.counts);
}

const demo = mkdtempSync(join(tmpdir(), 'predlens-tide-demo-'));
await makeDemo(demo, DEMO_SEED);
afterAll(() => rmSync(demo, { recursive: true, force: true }));

describe('predlens coco-eval --tide', () => {
  const gt = fixture('coco', 'bbox', 'gt.json');
  const dt = fixture('coco', 'bbox', 'dt.json');

  it('--json adds "tide" with tidecv\'s dAPs (AP points, full doubles) and keeps every other field', async () => {
    const plain = JSON.parse(await predlens('coco-eval', gt, dt, '--iou-type', 'bbox', '--json'));
    const out = JSON.parse(await predlens('coco-eval', gt, dt, '--iou-type', 'bbox', '--tide', '--json'));
    expectTidecv(out.tide, answer('coco_bbox'));
    const { tide: _tide, ...rest } = out;
    expect(rest).toEqual(plain);
  });

  it('segm uses mask mode', async () => {
    const segm = (f: string) => fixture('coco', 'segm', f);
    const out = JSON.parse(
      await predlens('coco-eval', segm('gt.json'), segm('dt_rle.json'), '--iou-type', 'segm', '--tide', '--json'),
    );
    expect(out.tide.mode).toBe('mask');
    expectTidecv(out.tide, answer('coco_segm_masks'));
  });

  it("without --json prints tidecv's summary tables after pycocotools' lines", async () => {
    const text = await predlens('coco-eval', gt, dt, '--iou-type', 'bbox', '--tide');
    const tidecv = answer('coco_bbox').summarize.replace('-- run --', '-- dt --');
    expect(text.endsWith(`\n${tidecv}`)).toBe(true);
    expect(
      text
        .split('\n')
        .slice(0, 12)
        .every((l) => l.startsWith(' Average ')),
    ).toBe(true);
  });
});

describe('predlens eval --tide / --per-image / --definitions', () => {
  const EA_MINI = fixture('ea-mini');
  const PKL = fixture('ea-mini', 'predictions.pkl');

  it('ea-mini: "tide" equals tidecv on the project\'s COCO translation; the EA fields are unchanged', async () => {
    const plain = JSON.parse(await predlens('eval', EA_MINI, PKL, '--format', 'pkl', '--json'));
    const out = JSON.parse(await predlens('eval', EA_MINI, PKL, '--format', 'pkl', '--json', '--tide'));
    expectTidecv(out.tide, answer('project_ea_mini'));
    const { tide: _tide, ...rest } = out;
    expect(rest).toEqual(plain);
  });

  for (const set of ['pkl', 'coco']) {
    it(`demo (${set} predictions): "tide" equals tidecv, in both modes`, async () => {
      const input = join(demo, 'predictions', set);
      const active = JSON.parse(await predlens('eval', demo, input, '--format', set, '--json', '--tide'));
      const coco = JSON.parse(
        await predlens('eval', demo, input, '--format', set, '--json', '--tide', '--mode', 'coco'),
      );
      expectTidecv(active.tide, answer(`project_demo_${set}`));
      expect(coco.tide).toEqual(active.tide);
    });
  }

  it("--per-image: one row per image and frame whose counts add up to the run's TP / FP / FN", async () => {
    const input = join(demo, 'predictions', 'pkl');
    const out = JSON.parse(await predlens('eval', demo, input, '--format', 'pkl', '--json', '--per-image'));
    const info = JSON.parse(await predlens('info', demo, '--json'));
    expect(out.images.length).toBe(info.frames);
    for (const row of out.images) {
      expect(Object.keys(row)).toEqual(['dataHash', 'frame', 'tp', 'fp', 'fn', 'f1']);
      const denominator = 2 * row.tp + row.fp + row.fn;
      expect(row.f1).toBe(denominator === 0 ? null : (2 * row.tp) / denominator);
    }
    const sum = (k: string) => out.images.reduce((n: number, r: any) => n + r[k], 0);
    const classes = out.classes.filter((c: any) => c.space === 'object' || c.space === 'classification');
    expect(sum('tp')).toBe(classes.reduce((n: number, c: any) => n + c.truePositives, 0));
    expect(sum('tp') + sum('fp')).toBe(classes.reduce((n: number, c: any) => n + c.predictions, 0));

    const coco = JSON.parse(
      await predlens('eval', demo, input, '--format', 'pkl', '--json', '--per-image', '--mode', 'coco'),
    );
    expect(coco.images.length).toBe(info.frames);
    expect(Object.keys(coco.images[0])).toEqual(['dataHash', 'frame', 'tp', 'fp', 'fn', 'f1', 'ap']);
    expect(coco.images.some((r: any) => r.ap !== null && r.ap > 0 && r.ap < 1)).toBe(true);
  });

  it("--definitions: COCO's two stats, VOC, VOC2007, Ultralytics and EA's mAP side by side", async () => {
    const out = JSON.parse(await predlens('eval', EA_MINI, PKL, '--format', 'pkl', '--json', '--definitions'));
    expect(Object.keys(out.definitions)).toEqual([
      'coco',
      'coco50',
      'voc',
      'voc07',
      'ultralytics50',
      'ultralytics',
      'active',
    ]);
    const coco = JSON.parse(await predlens('eval', EA_MINI, PKL, '--format', 'pkl', '--json', '--mode', 'coco'));
    expect(out.definitions.coco.AP).toBe(coco.stats[0]);
    expect(out.definitions.coco50.AP).toBe(coco.stats[1]);
    expect(out.definitions.active.AP).toBe(out.mAP);
    for (const d of Object.values(out.definitions) as any[]) expect(d.definition.length).toBeGreaterThan(20);
  });
});
