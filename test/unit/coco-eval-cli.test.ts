// `predlens coco-eval` as a user runs it: node bin/predlens.js, the printout byte for byte, --json, errors.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { fixture, REPO_ROOT } from '../fixtures.ts';
import { readJson } from './coco-eval-helpers.ts';

const run = promisify(execFile);

async function predlens(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', ['bin/predlens.js', 'coco-eval', ...args], { cwd: REPO_ROOT });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('predlens coco-eval', () => {
  it('prints the 12 summarize() lines of pycocotools byte for byte (bbox)', async () => {
    const ref = readJson('coco', 'bbox', 'reference_bbox.json');
    const { code, stdout, stderr } = await predlens(
      fixture('coco', 'bbox', 'gt.json'),
      fixture('coco', 'bbox', 'dt.json'),
      '--iou-type',
      'bbox',
    );
    expect(code).toBe(0);
    expect(stdout).toBe(ref.summarize_printout.join('\n') + '\n');
    // The fixture's GT with "ignore": 1 and iscrowd 0 is scored, as pycocotools does; stderr says so.
    expect(stderr).toBe(
      'predlens coco-eval: note: 1 GT have "ignore" set but iscrowd 0: as in pycocotools, they are scored, ' +
        'not ignored (--corrected changes this)\n',
    );
  });

  it('prints the segm printout for RLE results carrying a bbox (box area for the area ranges)', async () => {
    const ref = readJson('coco', 'segm', 'reference_segm_with_bbox.json');
    const { code, stdout } = await predlens(
      fixture('coco', 'segm', 'gt.json'),
      fixture('coco', 'segm', 'dt_rle_with_bbox.json'),
      '--iou-type=segm',
    );
    expect(code).toBe(0);
    expect(stdout).toBe(ref.summarize_printout.join('\n') + '\n');
  });

  it('--json gives the stats and per-category AP with full precision, null for NaN', async () => {
    const ref = readJson('coco', 'bbox', 'reference_bbox.json');
    const { code, stdout } = await predlens(
      fixture('coco', 'bbox', 'gt.json'),
      fixture('coco', 'bbox', 'dt.json'),
      '--iou-type',
      'bbox',
      '--json',
    );
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(Object.keys(out)).toEqual(['stats', 'perCategoryAP']);
    expect(out.stats).toEqual(ref.stats);
    const expected: Record<string, number | null> = {};
    for (const c of ref.per_category) expected[String(c.category_id)] = c.num_gt === 0 ? null : c.AP;
    expect(out.perCategoryAP).toEqual(expected);
  });

  it('--params applies COCOeval.Params overrides (maxDets [1, 10, 50] -> AP -1)', async () => {
    const dir = fixture('coco', 'micro', '02_maxdets_1_10_50');
    const ref = readJson('coco', 'micro', '02_maxdets_1_10_50', 'expected.json');
    const { code, stdout } = await predlens(
      `${dir}/gt.json`,
      `${dir}/dt.json`,
      '--iou-type',
      'bbox',
      '--params',
      `${dir}/params.json`,
    );
    expect(code).toBe(0);
    expect(stdout).toBe(ref.summarize_printout.join('\n') + '\n');
  });

  it('--corrected labels its output as deviating from pycocotools', async () => {
    const dir = fixture('coco', 'micro', '03_gt_id_zero');
    const text = await predlens(`${dir}/gt.json`, `${dir}/dt.json`, '--iou-type', 'bbox', '--corrected');
    expect(text.stdout.split('\n')[12]).toBe(
      '(--corrected: deviates from pycocotools; 1 GT with id 0 matched by index (pycocotools counts their matches as FP))',
    );
    const json = JSON.parse(
      (await predlens(`${dir}/gt.json`, `${dir}/dt.json`, '--iou-type', 'bbox', '--corrected', '--json')).stdout,
    );
    expect(json.corrected.deviatesFromPycocotools).toBe(true);
    expect(json.stats[0]).toBe(0.9999999999999998);
  });

  it('fails with exit code 1 and names the result and image id that are not in the ground truth', async () => {
    const gt = fixture('coco', 'micro', '01_single_perfect', 'gt.json');
    const dt = fixture('coco', 'micro', '07_tie_across_images', 'dt.json');
    const { code, stdout, stderr } = await predlens(gt, dt, '--iou-type', 'bbox');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /^predlens coco-eval: .*dt\.json: result \d has image_id 2, which is not an image of .*gt\.json/,
    );
  });

  it('refuses a missing or unknown --iou-type with exit code 2', async () => {
    const gt = fixture('coco', 'bbox', 'gt.json');
    expect((await predlens(gt, gt)).code).toBe(2);
    expect((await predlens(gt, gt, '--iou-type', 'keypoints')).stderr).toMatch(/--iou-type must be bbox or segm/);
  });
});
