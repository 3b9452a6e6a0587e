// predlens eval on ea-mini: the command a user runs, from the .pkl to EA's numbers (active mode) and to
// pycocotools' (coco mode; expected values worked out by hand below).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { command } from '../../src/cli/commands/eval.ts';
import { REPO_ROOT, fixture } from '../fixtures.ts';
import { reference } from './active-ea-mini.ts';

const run = promisify(execFile);
const EA_MINI = fixture('ea-mini');
const PKL = fixture('ea-mini', 'predictions.pkl');

async function predlens(...args: string[]) {
  const { stdout } = await run(process.execPath, ['bin/predlens.js', ...args], { cwd: REPO_ROOT });
  return stdout;
}

/** Runs the command in this process and returns what it printed. */
async function evalJson(...args: string[]): Promise<Record<string, any>> {
  const chunks: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string) => (chunks.push(String(chunk)), true)) as typeof process.stdout.write;
  try {
    expect(await command.run([EA_MINI, PKL, '--format', 'pkl', '--json', ...args])).toBe(0);
  } finally {
    process.stdout.write = write;
  }
  return JSON.parse(chunks.join(''));
}

describe('npx predlens eval (active mode)', () => {
  it('prints EA v0.1.40’s mAP and mAR for ea-mini, exactly', async () => {
    const out = JSON.parse(await predlens('eval', EA_MINI, PKL, '--format', 'pkl', '--json'));
    expect(out.mAP).toBe(0.6633663366336633);
    expect(out.mAR).toBe(0.6666666666666665);
    expect(out.perClass).toEqual(reference.results[0].per_class);
  });

  it('ignoring frames without predictions', async () => {
    const out = JSON.parse(
      await predlens('eval', EA_MINI, PKL, '--format', 'pkl', '--json', '--ignore-frames-without-predictions'),
    );
    expect(out.mAP).toBe(0.7475247524752474);
    expect(out.mAR).toBe(0.7499999999999999);
    expect(out.perClass).toEqual(reference.results[1].per_class);
  });

  it('follows --iou (0.94: the Car TP becomes "IOU too low")', async () => {
    const out = await evalJson('--iou', '0.94');
    expect(out.mAP).toBe(0.495049504950495);
    expect(out.iouThreshold).toBe(0.94);
    expect(out.classes.map((c: { truePositives: number }) => c.truePositives)).toEqual([0, 1]);
  });

  it('prints a readable table without --json', async () => {
    const text = await predlens('eval', EA_MINI, PKL);
    expect(text).toContain('mAP 0.663   mAR 0.667');
    expect(text).toMatch(/Car\s+0\.337\s+0\.333\s+3\s+4\s+1/);
    expect(text).toMatch(/Cat\s+0\.990\s+1\.000\s+1\s+2\s+1/);
  });
});

describe('predlens eval --mode coco', () => {
  // COCO bbox, by hand. Car: P(0.9) has IoU 696/744 with the first Car box, so it is the only TP for IoU .50-.90
  // and misses at .95; recall 1/3 reaches 34 of the 101 recall thresholds: AP = 9·(34/101)/10, AR = 9·(1/3)/10.
  // Cat: the point polygon's box covers 38x24 of the label's 40x24 px: IoU 912/960 = 0.95, a TP at every
  // threshold: AP = AR = 1 (up to pycocotools' ε).
  it('gives stats[0] / stats[8] and per-class AP / AR of the project as COCO ground truth and results', async () => {
    const out = await evalJson('--mode', 'coco');
    expect(out.iouType).toBe('bbox');
    expect(out.perClass.Car.AP).toBeCloseTo((9 * 34) / 101 / 10, 15);
    expect(out.perClass.Car.AR).toBeCloseTo(0.3, 15);
    // pycocotools divides by tp + fp + np.spacing(1), so a perfect precision is 1/(1+ε).
    expect(out.perClass.Cat).toEqual({ AP: 1 / (1 + Number.EPSILON), AR: 1 });
    expect(out.mAP).toBe(out.stats[0]);
    expect(out.mAR).toBe(out.stats[8]);
    expect(out.mAP).toBeCloseTo(((9 * 34) / 101 / 10 + 1) / 2, 15);
    expect(out.mAR).toBeCloseTo(0.65, 15);
  });

  it('evaluates only images with predictions when asked (Car: 2 labels, recall 1/2 reaches 51 thresholds)', async () => {
    const out = await evalJson('--mode', 'coco', '--ignore-frames-without-predictions');
    expect(out.perClass.Car.AP).toBeCloseTo((9 * 51) / 101 / 10, 15);
    expect(out.perClass.Car.AR).toBeCloseTo(0.45, 15);
  });

  it('can evaluate masks: --iou-type segm', async () => {
    const out = await evalJson('--mode', 'coco', '--iou-type', 'segm');
    expect(out.iouType).toBe('segm');
    // Car boxes become rectangles; the Cat point polygon still overlaps the Cat label by far more than 0.5.
    expect(out.perClass.Cat.AP).toBeGreaterThan(0.5);
  });
});

describe('usage errors', () => {
  it('rejects an unknown mode and an IoU outside 0..1', async () => {
    await expect(command.run([EA_MINI, PKL, '--mode', 'voc'])).rejects.toThrow(/--mode/);
    await expect(command.run([EA_MINI, PKL, '--iou', '1.5'])).rejects.toThrow(/--iou/);
  });
});
