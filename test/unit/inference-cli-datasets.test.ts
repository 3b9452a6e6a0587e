// `predlens predict` on dataset folders (COCO, YOLO, Pascal VOC), as a user runs it: the folder opened as `info` and
// `eval` open it (--split too), the model's classes matched to the dataset's by name, and a file that `eval --format
// writer` reads and scores. The model is the grid fixture (yolov8-grid.onnx: one box per 16 x 16 cell of the 64 x 64
// input, class c scored by the cell's largest value of channel c), so where its boxes must land on each image
// follows from the image's size alone.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { makeDemo } from '../../scripts/make-demo.ts';
import { DEMO_SEED } from '../../scripts/demo/scene.ts';
import { openFolder } from '../../src/core/datasets/index.ts';
import { evaluateProjectCoco } from '../../src/core/eval/project-to-coco.ts';
import { readNativeText } from '../../src/core/formats/native.ts';
import type { Prediction, Project } from '../../src/core/model.ts';
import { NodeTree } from '../../src/files/node-fs.ts';
import { loadKernels } from '../../src/kernels/node.ts';
import { REPO_ROOT } from '../fixtures.ts';
import { onnxFixture } from './inference-fixtures.ts';

const run = promisify(execFile);
const GRID = onnxFixture('yolov8-grid.onnx');
const DATASETS = resolve(REPO_ROOT, 'test/fixtures/datasets');
const tmp = mkdtempSync(join(tmpdir(), 'predlens-predict-datasets-'));
const demo = join(tmp, 'demo');
await makeDemo(demo, DEMO_SEED, []);
const DEMO_COCO = `${demo}-coco`;
const DEMO_YOLO = `${demo}-yolo`;
afterAll(() => {
  for (const d of [tmp, DEMO_COCO, DEMO_YOLO]) rmSync(d, { recursive: true, force: true });
});
const kernels = await loadKernels();

async function predlens(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', ['bin/predlens.js', ...args], { cwd: REPO_ROOT });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** predict on the folder (and split), the file read back onto the dataset as `eval` opens it. */
async function predict(dir: string, split?: string, out = join(tmp, `${Math.random().toString(36).slice(2)}.ndjson`)) {
  const splitArgs = split ? ['--split', split] : [];
  const r = await predlens('predict', dir, GRID, ...splitArgs, '-o', out, '--json');
  expect(r.code, r.stderr).toBe(0);
  const { project } = await openFolder(new NodeTree(dir), { split });
  const read = readNativeText(project, readFileSync(out, 'utf8'), out);
  expect(read.report.rejected).toEqual([]);
  return { summary: JSON.parse(r.stdout), stderr: r.stderr, project, predictions: read.predictions, out };
}

const boxKey = (b: { x: number; y: number; w: number; h: number }) =>
  [b.x, b.y, b.w, b.h].map((v) => v.toFixed(9)).join(' ');

/**
 * The grid's 16 cells on an image of W x H, by Ultralytics' letterbox rule (scale to fit, Python round, padding
 * split as round(d/2 -+ 0.1)), mapped back and clipped to the image, normalised; cells wholly in the padding are
 * left out (they have no area on the image).
 */
function cellBoxes(W: number, H: number): Set<string> {
  const pyRound = (x: number) => {
    const f = Math.floor(x);
    return x - f === 0.5 ? (f % 2 === 0 ? f : f + 1) : Math.round(x);
  };
  const r = Math.min(64 / W, 64 / H);
  const left = pyRound((64 - pyRound(W * r)) / 2 - 0.1);
  const top = pyRound((64 - pyRound(H * r)) / 2 - 0.1);
  const clip = (v: number, max: number) => Math.min(Math.max(v, 0), max);
  const out = new Set<string>();
  for (let cy = 0; cy < 4; cy++) {
    for (let cx = 0; cx < 4; cx++) {
      const x1 = clip((16 * cx - left) / r, W);
      const x2 = clip((16 * cx + 16 - left) / r, W);
      const y1 = clip((16 * cy - top) / r, H);
      const y2 = clip((16 * cy + 16 - top) / r, H);
      if (x2 > x1 && y2 > y1) out.add(boxKey({ x: x1 / W, y: y1 / H, w: (x2 - x1) / W, h: (y2 - y1) / H }));
    }
  }
  return out;
}

/** Every image of the project has the grid's cells as its boxes, and no other. */
function expectCellsOnEveryImage(project: Project, predictions: readonly Prediction[]) {
  const byUnit = new Map<string, Set<string>>();
  for (const p of predictions) {
    if (p.shape.kind !== 'box') throw new Error('a box model gave a non-box prediction');
    const set = byUnit.get(p.dataHash) ?? new Set();
    set.add(boxKey(p.shape.box));
    byUnit.set(p.dataHash, set);
  }
  expect([...byUnit.keys()].sort()).toEqual(project.dataUnits.map((du) => du.dataHash).sort());
  for (const du of project.dataUnits) {
    expect(byUnit.get(du.dataHash), du.images[0]).toEqual(cellBoxes(du.width, du.height));
  }
}

const classByName = (project: Project, name: string) =>
  project.ontology.objects.find((o) => o.name.toLowerCase() === name)!.featureNodeHash;

describe('predlens predict on dataset folders', () => {
  it("the demo's COCO variant: every image, classes by name to its category ids, scored by eval as in core", async () => {
    const { summary, project, predictions, out } = await predict(DEMO_COCO);
    expect(summary).toMatchObject({ images: project.dataUnits.length, skippedImages: 0, warnings: [] });
    expect(summary.settings.classMap).toBe(
      "the model's class names are matched to dataset class names (exactly, else ignoring case)",
    );
    // car, pedestrian, dog -> the dataset's categories of those names (COCO-like ids 3, 1, 18).
    expect(summary.classes.map((c: { name: string; target: string }) => [c.name, c.target])).toEqual(
      ['car', 'pedestrian', 'dog'].map((n) => [n, classByName(project, n)]),
    );
    expect(project.ontology.objects.find((o) => o.name.toLowerCase() === 'dog')!.categoryId).toBe(18);
    expectCellsOnEveryImage(project, predictions);

    const ev = await predlens('eval', DEMO_COCO, out, '--format', 'writer', '--mode', 'coco', '--iou-type', 'bbox');
    expect(ev.code, ev.stderr).toBe(0);
    const scored = JSON.parse(
      (await predlens('eval', DEMO_COCO, out, '--format', 'writer', '--mode', 'coco', '--iou-type', 'bbox', '--json'))
        .stdout,
    );
    expect(scored.predictions).toMatchObject({ format: 'writer', imported: predictions.length, rejected: 0 });
    const want = evaluateProjectCoco(kernels, project, predictions, {}).result.stats;
    expect(want[0]).toBeGreaterThan(0);
    expect(scored.stats).toEqual(want);
  });

  it('a YOLO folder with --split val: only that split is run, and eval --split val scores it', async () => {
    const { summary, project, predictions, out } = await predict(DEMO_YOLO, 'val');
    const all = await openFolder(new NodeTree(DEMO_YOLO));
    expect(project.dataUnits.length).toBeLessThan(all.project.dataUnits.length);
    expect(summary.images).toBe(project.dataUnits.length);
    expectCellsOnEveryImage(project, predictions);
    const scored = JSON.parse(
      (await predlens('eval', DEMO_YOLO, out, '--format', 'writer', '--split', 'val', '--json')).stdout,
    );
    expect(scored.predictions).toMatchObject({ imported: predictions.length, rejected: 0 });
    expect(scored.tp).toBeGreaterThan(0);
  });

  it('a Pascal VOC folder (JPEG images) with --split val: unmatched classes are named as left out', async () => {
    const voc = join(DATASETS, 'voc');
    const { summary, stderr, project, predictions, out } = await predict(voc, 'val');
    expect(summary.images).toBe(project.dataUnits.length);
    expect(new Set(predictions.map((p) => p.featureHash))).toEqual(new Set([classByName(project, 'dog')]));
    expect(stderr).toContain('not mapped (left out): 0 car (no dataset class has this name)');
    expect(summary.warnings[0]).toMatch(/detection\(s\) of classes not mapped to a dataset class were left out/);
    expectCellsOnEveryImage(project, predictions);
    const scored = JSON.parse(
      (
        await predlens(
          'eval',
          voc,
          out,
          '--format',
          'writer',
          '--split',
          'val',
          '--mode',
          'coco',
          '--iou-type',
          'bbox',
          '--json',
        )
      ).stdout,
    );
    expect(scored.predictions).toMatchObject({ imported: predictions.length, rejected: 0 });
  });

  it('a COCO folder with two annotation files: --split reads one; an image it cannot decode is skipped by name', async () => {
    const dir = join(DATASETS, 'coco-official');
    const val = await predict(dir, 'val2017');
    const both = await predict(dir);
    expect(val.summary.images).toBeLessThan(both.summary.images);
    expect(val.summary.skippedImages).toBe(1);
    expect(val.summary.warnings).toContain(
      'image skipped: val2017/000000000999.tif: not a PNG or JPEG image (first bytes 49 49 2a 00)',
    );
    const scored = JSON.parse(
      (
        await predlens(
          'eval',
          dir,
          val.out,
          '--format',
          'writer',
          '--split',
          'val2017',
          '--mode',
          'coco',
          '--iou-type',
          'bbox',
          '--json',
        )
      ).stdout,
    );
    expect(scored.stats).toEqual(evaluateProjectCoco(kernels, val.project, val.predictions, {}).result.stats);
  });

  it('an unknown split is refused naming the splits, and nothing is written', async () => {
    const out = join(tmp, 'nope.ndjson');
    const r = await predlens('predict', DEMO_YOLO, GRID, '--split', 'nope', '-o', out);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/nope/);
    expect(r.stderr).toMatch(/train.*val|val.*train/);
    expect(existsSync(out)).toBe(false);
  });
});
