// "Run a model" on an open DATASET, end to end, under the app's own Content-Security-Policy: a YOLO-layout .onnx
// dropped on the Predictions page of the demo's COCO variant (one click from the start screen) and of YOLO and VOC
// folders opened through the folder input with a split chosen, run in the browser over that split's images, land
// on Model quality. The numbers there (Encord Active's mAP and mAR, and on COCO data the COCO headline) are what
// the core evaluation in Node makes of `predlens predict` on the same folder and split, and the run's boxes, as
// the page exports them, are the CLI's record for record. No request leaves the app's origin.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test, type Download, type Page } from '@playwright/test';
import { openFolder } from '../../src/core/datasets/index.ts';
import { prepareActive, scoreActive } from '../../src/core/eval/active/index.ts';
import { evaluateProjectCoco } from '../../src/core/eval/project-to-coco.ts';
import { readNativeText } from '../../src/core/formats/native.ts';
import type { Project } from '../../src/core/model.ts';
import { NodeTree } from '../../src/files/node-fs.ts';
import { loadKernels } from '../../src/kernels/node.ts';
import { REPO_ROOT } from '../fixtures.ts';

const GRID = join(REPO_ROOT, 'test/fixtures/onnx/yolov8-grid.onnx');
const DEMO_COCO = join(REPO_ROOT, 'public/demo-coco');
const DEMO_YOLO = join(REPO_ROOT, 'public/demo-yolo');
const VOC = join(REPO_ROOT, 'test/fixtures/datasets/voc');
const CSP = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(
  await readFile(join(REPO_ROOT, 'index.html'), 'utf8'),
)![1];
const kernels = await loadKernels();

/** `predlens predict` on the folder (and split), read back onto the dataset as Node opens it, and scored by core. */
async function cliRun(dir: string, split?: string) {
  const tmp = await mkdtemp(join(tmpdir(), 'predlens-e2e-predict-dataset-'));
  const out = join(tmp, 'grid.ndjson');
  const splitArgs = split ? ['--split', split] : [];
  await promisify(execFile)('node', ['bin/predlens.js', 'predict', dir, GRID, ...splitArgs, '-o', out], {
    cwd: REPO_ROOT,
  });
  const text = await readFile(out, 'utf8');
  await rm(tmp, { recursive: true });
  const { project } = await openFolder(new NodeTree(dir), { split });
  const read = readNativeText(project, text, 'grid.ndjson');
  expect(read.report.rejected).toEqual([]);
  const predictions = read.predictions;
  const prepared = prepareActive(kernels, project, predictions);
  const active = (iouThreshold: number) =>
    scoreActive(prepared, { iouThreshold, ignoreFramesWithoutPredictions: false });
  const coco = evaluateProjectCoco(kernels, project, predictions, {}).result.stats;
  return { project, text, predictions, active, coco };
}

function watch(page: Page) {
  const seen = { requests: [] as string[], violations: [] as string[], errors: [] as string[] };
  page.on('request', (r) => seen.requests.push(r.url()));
  page.on('pageerror', (e) => seen.errors.push(e.message));
  page.on('console', (m) => {
    if (/Content.Security.Policy|Refused to/i.test(m.text())) seen.violations.push(m.text());
  });
  return seen;
}

/** Every response carries the app's policy as a header too, as a strict server would send it. */
async function withCsp(page: Page) {
  await page.route('**/*', async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers(), 'content-security-policy': CSP };
    await route.fulfill({ response, headers, body: await response.body() });
  });
}

function expectOnlyOwnOrigin(seen: ReturnType<typeof watch>, baseURL: string | undefined) {
  const origin = new URL(baseURL!).origin;
  const own = (u: string) => u.startsWith(origin) || u.startsWith('blob:') || u.startsWith('data:');
  expect(seen.requests.filter((u) => !own(u))).toEqual([]);
  expect(seen.requests.some((u) => /ort-wasm-simd-threaded\.jsep-[\w-]+\.wasm$/.test(u))).toBe(true);
  expect(seen.violations).toEqual([]);
  expect(seen.errors).toEqual([]);
}

/** From the open dataset's Predictions page: drop the model, check the review, run, wait for Model quality. */
async function runGrid(page: Page, scope: string, project: Project, name: string) {
  const images = project.dataUnits.length;
  await page.locator('[data-page="predictions"]').click();
  await page.getByTestId('run-model-open').click();
  await expect(page.getByTestId('run-model-panel')).toContainText(`the ${images} images of this dataset`);
  await page.getByTestId('model-input').setInputFiles(GRID);
  await expect(page.getByTestId('model-review')).toBeVisible();
  await expect(page.getByTestId('model-layout-reason')).toContainText('anchors last (Ultralytics YOLOv8/11)');
  await expect(page.getByTestId('model-classes')).toContainText('Dataset class');
  await expect(page.getByTestId('model-classes')).not.toContainText('Ontology');
  // The grid's classes car, pedestrian, dog -> the dataset's categories of those names, or left out.
  for (const [key, name] of ['car', 'pedestrian', 'dog'].entries()) {
    const target = project.ontology.objects.find((o) => o.name.toLowerCase() === name);
    await expect(page.getByTestId(`model-class-${key}`)).toHaveValue(target?.featureNodeHash ?? '');
    if (target) {
      await expect(page.getByTestId(`model-class-${key}`).locator('option:checked')).toHaveText(
        `${target.name} (category ${target.categoryId})`,
      );
    }
  }
  await page.getByTestId('model-run-name').fill(name);
  await expect(page.getByTestId('model-run')).toHaveText(`Run on ${images} images`);
  await page.getByTestId('model-run').click();
  await expect(page).toHaveURL(new RegExp(`#/${scope}/model-quality\\?.*run=`), { timeout: 60_000 });
  await expect(page.getByTestId('model-quality')).toHaveAttribute('data-phase', 'ready', { timeout: 30_000 });
}

/** The run as the page exports it (predlens NDJSON), which must be the CLI's file. */
async function exportedRun(page: Page): Promise<string> {
  await page.getByTestId('export-run').click();
  const [download] = (await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-run-native').click(),
  ])) as [Download, void];
  return readFile((await download.path())!, 'utf8');
}

async function expectActive(page: Page, cli: Awaited<ReturnType<typeof cliRun>>, iou: number) {
  if (iou !== 0.5) await page.getByTestId('iou-slider').fill(String(iou));
  const want = cli.active(iou);
  await expect(page.getByTestId('map-value')).toHaveAttribute('data-value', String(want.mAP), { timeout: 30_000 });
  await expect(page.getByTestId('mar-value')).toHaveAttribute('data-value', String(want.mAR));
  return want;
}

test("the demo's COCO variant: a YOLO .onnx runs in the page and Model quality shows the CLI run's numbers", async ({
  page,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const cli = await cliRun(DEMO_COCO);
  const seen = watch(page);
  await withCsp(page);
  await page.goto('./');
  await page.getByTestId('open-demo-coco').click();
  await expect(page).toHaveURL(/#\/demo-coco\/overview$/);
  await runGrid(page, 'demo-coco', cli.project, 'grid on coco');

  // COCO data: the COCO tab leads, with pycocotools' AP of the CLI's predictions on the dataset's own JSON.
  await expect(page.getByTestId('tab-coco')).toHaveAttribute('aria-selected', 'true');
  expect(cli.coco[0]).toBeGreaterThan(0);
  await expect(page.getByTestId('coco-ap-value')).toHaveAttribute('data-value', String(cli.coco[0]), {
    timeout: 30_000,
  });
  // Encord Active's mAP and mAR at the default IoU and at 0.1, where the grid's cells hit many more labels.
  const at50 = await expectActive(page, cli, 0.5);
  const at10 = await expectActive(page, cli, 0.1);
  expect(at10.mAP).toBeGreaterThan(at50.mAP);
  expect(await exportedRun(page)).toBe(cli.text);
  expectOnlyOwnOrigin(seen, baseURL);
});

test('a YOLO folder opened through the folder input: the val split is run, as `predict --split val` runs it', async ({
  page,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const cli = await cliRun(DEMO_YOLO, 'val');
  const all = await openFolder(new NodeTree(DEMO_YOLO));
  expect(cli.project.dataUnits.length).toBeLessThan(all.project.dataUnits.length);
  const seen = watch(page);
  await withCsp(page);
  await page.goto('./');
  await page.getByTestId('folder-input').setInputFiles(DEMO_YOLO);
  await expect(page).toHaveURL(/#\/[^/]+\/overview$/);
  const scope = new URL(page.url()).hash.split('/')[1];
  await page.getByTestId('split-select').selectOption('val');
  await expect(page).toHaveURL(/split=val/);
  await runGrid(page, scope, cli.project, 'grid on val');
  await expect(page).toHaveURL(/split=val/);
  await expectActive(page, cli, 0.5);
  await expectActive(page, cli, 0.1);
  expect(await exportedRun(page)).toBe(cli.text);
  expectOnlyOwnOrigin(seen, baseURL);
});

test('a Pascal VOC folder (JPEG images): the run on its val split is the CLI run', async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  const cli = await cliRun(VOC, 'val');
  expect(cli.predictions.length).toBeGreaterThan(0);
  const seen = watch(page);
  await withCsp(page);
  await page.goto('./');
  await page.getByTestId('folder-input').setInputFiles(VOC);
  await expect(page).toHaveURL(/#\/[^/]+\/overview$/);
  const scope = new URL(page.url()).hash.split('/')[1];
  await page.getByTestId('split-select').selectOption('val');
  await expect(page).toHaveURL(/split=val/);
  await runGrid(page, scope, cli.project, 'grid on voc');
  await expectActive(page, cli, 0.1);
  expect(await exportedRun(page)).toBe(cli.text);
  expectOnlyOwnOrigin(seen, baseURL);
});
