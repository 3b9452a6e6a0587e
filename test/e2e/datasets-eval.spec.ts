// COCO results imported through the page onto a COCO dataset are evaluated as the CLI evaluates them: the page's
// COCO AP (pycocotools' stats[0] on the dataset's own ground truth; segm, as the results are masks) and Encord
// Active's mAP equal `predlens eval` on the same folder, split and file, to the last bit. The demo's COCO variant
// offers its own results in one click.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { REPO_ROOT } from '../fixtures.ts';

const run = promisify(execFile);
const DATASETS = resolve(REPO_ROOT, 'test/fixtures/datasets');

async function cli(...args: string[]) {
  const { stdout } = await run('node', ['bin/predlens.js', ...args], { cwd: REPO_ROOT });
  return JSON.parse(stdout);
}

test('predictions imported through the page score on a COCO split as the CLI scores them', async ({ page }) => {
  test.setTimeout(120_000);
  const dir = resolve(DATASETS, 'coco-official');
  const file = resolve(DATASETS, 'predictions/coco-official-val2017.segm.json');
  const common = [dir, file, '--split', 'val2017', '--json'];
  const coco = await cli('eval', ...common, '--mode', 'coco', '--iou-type', 'segm');
  const active = await cli('eval', ...common, '--mode', 'active');

  await page.goto('./');
  await page.getByTestId('folder-input').setInputFiles(dir);
  await page.getByTestId('split-select').selectOption('val2017');
  await expect(page).toHaveURL(/split=val2017/);
  await page.locator('[data-page="predictions"]').click();
  await page.getByTestId('import-open').click();
  await page.getByTestId('files-input').setInputFiles(file);
  await expect(page.getByTestId('import-review')).toBeVisible();
  await expect(page.getByTestId('format-select')).toHaveValue('coco');
  await page.getByTestId('run-name-input').fill('detector');
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('import-done')).toBeVisible({ timeout: 30_000 });

  await page.locator('[data-page="model-quality"]').click();
  await expect(page).toHaveURL(/model-quality.*split=val2017/);
  // COCO data: the COCO tab is the one shown, COCO's AP the headline.
  await expect(page.getByTestId('tab-coco')).toHaveAttribute('aria-selected', 'true');
  const ap = page.getByTestId('coco-ap-value');
  await expect(ap).toHaveAttribute('data-value', String(coco.stats[0]), { timeout: 30_000 });
  await expect(page.getByTestId('map-value')).toHaveAttribute('data-value', String(active.mAP));
  expect(coco.predictions.imported).toBeGreaterThan(0);
});

test('the COCO demo offers its results in one click, and they score as the CLI scores them', async ({ page }) => {
  test.setTimeout(120_000);
  const dir = resolve(REPO_ROOT, 'public/demo-coco');
  const coco = await cli(
    'eval',
    dir,
    `${dir}/predictions/coco/results.json`,
    '--mode',
    'coco',
    '--iou-type',
    'bbox',
    '--json',
  );
  await page.goto('./#/demo-coco/predictions');
  await page.getByTestId('import-open').click();
  await page.getByTestId('demo-set-coco-results').click();
  await expect(page.getByTestId('format-select')).toHaveValue('coco');
  await page.getByTestId('run-name-input').fill('simulated');
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('import-done')).toBeVisible({ timeout: 30_000 });
  await page.locator('[data-page="model-quality"]').click();
  // Boxes and polygons mixed: bbox, as the CLI was asked.
  await expect(page.getByTestId('coco-ap-value')).toHaveAttribute('data-value', String(coco.stats[0]), {
    timeout: 30_000,
  });
});
