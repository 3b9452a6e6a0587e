// "Run a model" end to end on the demo, under a same-origin Content-Security-Policy: drop a YOLO-layout .onnx
// on the Predictions page, watch it run in the browser, land on Model quality, and see the numbers that the
// CLI's predictions give (`predlens predict` on the same folder, evaluated here in Node). No request leaves the
// app's origin. A cancelled run leaves nothing behind and the earlier run as it was.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test, type Page } from '@playwright/test';
import { prepareActive, scoreActive } from '../../src/core/eval/active/index.ts';
import { readNativeText } from '../../src/core/formats/native.ts';
import { loadKernels } from '../../src/kernels/node.ts';
import { REPO_ROOT } from '../fixtures.ts';
import { DEMO, EA_MINI, readExpected } from './app-helpers.ts';

const GRID = join(REPO_ROOT, 'test/fixtures/onnx/yolov8-grid.onnx');
const BENCH = join(REPO_ROOT, 'test/fixtures/onnx/bench-conv640.onnx');
// The app's own policy, as index.html carries it: nothing but its own origin (wasm compiled from its own files,
// workers booted from blob: modules that import the app's own scripts).
const CSP = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(
  await readFile(join(REPO_ROOT, 'index.html'), 'utf8'),
)![1];

const kernels = await loadKernels();
const { project } = await readExpected(DEMO);
const dir = await mkdtemp(join(tmpdir(), 'predlens-e2e-predict-'));
const cliOut = join(dir, 'grid.ndjson');
await promisify(execFile)('node', ['bin/predlens.js', 'predict', DEMO, GRID, '-o', cliOut], { cwd: REPO_ROOT });
const cli = readNativeText(project, await readFile(cliOut, 'utf8'), 'grid.ndjson').predictions;
await rm(dir, { recursive: true });
const prepared = prepareActive(kernels, project, cli);

async function withCsp(page: Page, violations: string[], requests: string[]) {
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (/Content.Security.Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  // The page carries the policy in its <meta>; a server may also send it with every response (a worker's own
  // script response then brings it too), so this run has both.
  await page.route('**/*', async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers(), 'content-security-policy': CSP };
    const body = await response.body();
    await route.fulfill({ response, headers, body });
  });
}

async function openRunModel(page: Page, model: string) {
  await page.goto('./#/demo/predictions');
  await page.getByTestId('run-model-open').click();
  await page.getByTestId('model-input').setInputFiles(model);
  await expect(page.getByTestId('model-review')).toBeVisible();
}

test("a YOLO .onnx runs on the demo in the page and Model quality shows the CLI predictions' numbers", async ({
  page,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const violations: string[] = [];
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await withCsp(page, violations, requests);
  await openRunModel(page, GRID);
  await expect(page.getByTestId('model-layout-reason')).toContainText('anchors last (Ultralytics YOLOv8/11)');
  await expect(page.getByTestId('model-io')).toContainText('[1, 7, 16]');
  await expect(page.getByTestId('model-preprocessing')).toContainText(
    '64 x 64 · letterbox, padding 114 · RGB, pixel / 255, mean [0, 0, 0], std [1, 1, 1], NCHW float32',
  );
  await expect(page.getByTestId('model-class-0')).toHaveValue(
    project.ontology.objects.find((o) => o.name === 'Car')!.featureNodeHash,
  );
  await expect(page.getByTestId('model-class-2')).toHaveValue(''); // Dog is a polygon class
  await page.getByTestId('model-run').click();

  await expect(page).toHaveURL(/#\/demo\/model-quality\?.*run=/, { timeout: 60_000 });
  await expect(page.getByTestId('model-quality')).toHaveAttribute('data-phase', 'ready', { timeout: 30_000 });
  // At IoU 0.1 the grid's cells hit some cars and pedestrians: a number that any different box would move.
  await page.getByTestId('iou-slider').fill('0.1');
  const want = scoreActive(prepared, { iouThreshold: 0.1, ignoreFramesWithoutPredictions: false });
  expect(want.mAP).toBeGreaterThan(0);
  await expect(page.getByTestId('map-value')).toHaveAttribute('data-value', String(want.mAP));
  await expect(page.getByTestId('mar-value')).toHaveAttribute('data-value', String(want.mAR));
  const tp = want.isTP.reduce((a, b) => a + b, 0);
  await expect(page.getByTestId('count-tp')).toHaveText(tp.toLocaleString('en-US'));
  await expect(page.getByTestId('count-fp')).toHaveText((cli.length - tp).toLocaleString('en-US'));

  const origin = new URL(baseURL!).origin;
  expect(requests.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:'))).toEqual([]);
  expect(requests.some((u) => /ort-wasm-simd-threaded\.jsep-[\w-]+\.wasm$/.test(u))).toBe(true);
  expect(violations).toEqual([]);
  expect(errors).toEqual([]);
  // The policy was in force: the page carries it, and the browser reports what it refuses.
  expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toBe(CSP);
  expect(
    await page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          document.addEventListener('securitypolicyviolation', (e) => resolve(`refused ${e.violatedDirective}`));
          const script = document.createElement('script');
          script.textContent = 'window.inlineRan = true';
          document.head.append(script);
          setTimeout(() => resolve((window as { inlineRan?: boolean }).inlineRan ? 'ran' : 'no event'), 2000);
        }),
    ),
  ).toMatch(/^refused script-src/);
});

test('cancelling a run keeps nothing of it, and the earlier run stays as it was', async ({ page }) => {
  test.setTimeout(120_000);
  await openRunModel(page, GRID);
  await page.getByTestId('model-run-name').fill('grid first');
  await page.getByTestId('model-run').click();
  await expect(page).toHaveURL(/model-quality\?.*run=/, { timeout: 60_000 });

  await openRunModel(page, BENCH);
  await page.getByTestId('model-run-name').fill('to be cancelled');
  await page.getByTestId('model-run').click();
  await expect(page.getByTestId('model-progress-text')).toContainText(/[1-9]\d* of 46 images/, { timeout: 60_000 });
  await page.getByTestId('model-cancel').click();
  await expect(page.getByTestId('model-review')).toBeVisible();
  // The sweep after a cancel removes the half-written run (its writer's lock died with the worker).
  await expect
    .poll(
      () =>
        page.evaluate(
          () =>
            new Promise<string[]>((resolve, reject) => {
              const open = indexedDB.open('predlens-runs');
              open.onerror = () => reject(open.error);
              open.onsuccess = () => {
                const all = open.result.transaction('runs').objectStore('runs').getAll();
                all.onsuccess = () => {
                  resolve(
                    (all.result as { status: string; info?: { name: string } }[]).map(
                      (r) => `${r.status}:${r.info?.name ?? ''}`,
                    ),
                  );
                  open.result.close();
                };
              };
            }),
        ),
      { timeout: 10_000 },
    )
    .toEqual(['complete:grid first']);
  await page.getByRole('button', { name: 'Close' }).first().click();
  await expect(page.getByText('grid first')).toBeVisible();
  await expect(page.getByText('to be cancelled')).toHaveCount(0);
});

test("on a folder opened through the folder input (files the page holds), the run is the CLI's too", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const mini = await readExpected(EA_MINI);
  const answer = await readFile(join(REPO_ROOT, 'test/fixtures/onnx/ea-mini-grid.cli.ndjson'), 'utf8');
  const predictions = readNativeText(mini.project, answer, 'ea-mini-grid.cli.ndjson').predictions;
  const want = scoreActive(prepareActive(kernels, mini.project, predictions), {
    iouThreshold: 0.1,
    ignoreFramesWithoutPredictions: false,
  });
  await page.goto('./');
  await page.getByTestId('folder-input').setInputFiles(EA_MINI);
  await expect(page).toHaveURL(/#\/project\/overview$/);
  await page.goto('./#/project/predictions');
  await page.getByTestId('run-model-open').click();
  await page.getByTestId('model-input').setInputFiles(GRID);
  await page.getByTestId('model-run').click();
  await expect(page).toHaveURL(/#\/project\/model-quality\?.*run=/, { timeout: 60_000 });
  await expect(page.getByTestId('model-quality')).toHaveAttribute('data-phase', 'ready', { timeout: 30_000 });
  await page.getByTestId('iou-slider').fill('0.1');
  await expect(page.getByTestId('map-value')).toHaveAttribute('data-value', String(want.mAP));
  await expect(page.getByTestId('count-fp')).toHaveText(
    (predictions.length - want.isTP.reduce((a, b) => a + b, 0)).toLocaleString('en-US'),
  );
});
