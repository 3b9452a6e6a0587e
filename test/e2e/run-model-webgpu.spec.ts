// "Run a model" where the browser offers WebGPU: Chromium with SwiftShader's software adapter (no GPU on this
// machine), so the model worker takes onnxruntime-web's WebGPU backend. The run's numbers are the CLI's.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { prepareActive, scoreActive } from '../../src/core/eval/active/index.ts';
import { readNativeText } from '../../src/core/formats/native.ts';
import { loadKernels } from '../../src/kernels/node.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../chromium.ts';
import { REPO_ROOT } from '../fixtures.ts';
import { DEMO, readExpected } from './app-helpers.ts';

const GRID = join(REPO_ROOT, 'test/fixtures/onnx/yolov8-grid.onnx');

test.use({
  launchOptions: {
    executablePath: CHROMIUM_PATH,
    args: [
      ...CHROMIUM_ARGS.filter((a) => a !== '--disable-gpu'),
      '--enable-unsafe-webgpu',
      '--use-webgpu-adapter=swiftshader',
      '--enable-features=Vulkan',
    ],
  },
});

const kernels = await loadKernels();
const { project } = await readExpected(DEMO);
const dir = await mkdtemp(join(tmpdir(), 'predlens-e2e-webgpu-'));
const cliOut = join(dir, 'grid.ndjson');
await promisify(execFile)('node', ['bin/predlens.js', 'predict', DEMO, GRID, '-o', cliOut], { cwd: REPO_ROOT });
const cli = readNativeText(project, await readFile(cliOut, 'utf8'), 'grid.ndjson').predictions;
await rm(dir, { recursive: true });
const prepared = prepareActive(kernels, project, cli);

test('the run uses WebGPU and gives the numbers of the CLI predictions', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('./#/demo/predictions');
  const adapter = await page.evaluate(
    async () => !!(await (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu?.requestAdapter()),
  );
  test.skip(!adapter, 'this Chromium offers no WebGPU adapter');
  await page.getByTestId('run-model-open').click();
  await page.getByTestId('model-input').setInputFiles(GRID);
  await page.getByTestId('model-run-name').fill('on webgpu');
  await page.getByTestId('model-run').click();
  await expect(page).toHaveURL(/model-quality\?.*run=/, { timeout: 90_000 });
  await expect(page.getByTestId('model-quality')).toHaveAttribute('data-phase', 'ready', { timeout: 30_000 });
  await page.getByTestId('iou-slider').fill('0.1');
  const want = scoreActive(prepared, { iouThreshold: 0.1, ignoreFramesWithoutPredictions: false });
  await expect(page.getByTestId('map-value')).toHaveAttribute('data-value', String(want.mAP));
  await expect(page.getByTestId('mar-value')).toHaveAttribute('data-value', String(want.mAR));
  await page.goto('./#/demo/predictions');
  await page.getByText('on webgpu').first().click();
  await expect(page.getByTestId('run-settings')).toContainText('backend webgpu');
});
