// Opening dataset folders in the page exactly like an Encord Active project: the COCO and YOLO demo variants (one
// click each), a COCO folder through the directory picker, a YOLO folder through <input webkitdirectory>, the
// split selector (the URL holds it and every page keeps it), and the labels drawn on the Images page, crowd
// regions and RLE masks included. Expected numbers come from the Node reader on the same folders.
import { expect, test, type Page } from '@playwright/test';
import { resolve } from 'node:path';
import { NodeTree } from '../../src/files/node-fs.ts';
import { openFolder } from '../../src/core/datasets/index.ts';
import { summariseProject } from '../../src/core/project/summary.ts';
import { REPO_ROOT } from '../fixtures.ts';
import { statValue, stubPickerWithFolder } from './app-helpers.ts';

const DATASETS = resolve(REPO_ROOT, 'test/fixtures/datasets');

async function expected(dir: string, split?: string) {
  const { project } = await openFolder(new NodeTree(dir), { split });
  return { project, summary: summariseProject(project) };
}

async function expectCounts(page: Page, dir: string, split?: string) {
  const { summary } = await expected(dir, split);
  await expect(page.getByTestId('overview-title')).toHaveText(summary.title);
  expect(await statValue(page, 'data-units')).toBe(summary.dataUnits);
  expect(await statValue(page, 'objects')).toBe(summary.objects);
  for (const c of summary.objectsByClass) {
    await expect(page.getByTestId(`count-${c.featureHash}`)).toHaveText(c.count.toLocaleString('en-US'));
  }
  return summary;
}

test('the demo opens as a COCO and as a YOLO dataset, one click each', async ({ page }) => {
  await page.goto('./');
  await page.getByTestId('open-demo-coco').click();
  await expect(page).toHaveURL(/#\/demo-coco\/overview$/);
  const coco = await expectCounts(page, resolve(REPO_ROOT, 'public/demo-coco'));
  expect(coco.kind).toBe('coco');
  await expect(page.getByText('COCO dataset overview')).toBeVisible();

  await page.goto('./#/');
  await page.getByTestId('open-demo-yolo').click();
  await expect(page).toHaveURL(/#\/demo-yolo\/overview$/);
  await expectCounts(page, resolve(REPO_ROOT, 'public/demo-yolo'));
});

test('the split selector reads one split, the URL holds it, and every page keeps it', async ({ page }) => {
  const dir = resolve(REPO_ROOT, 'public/demo-yolo');
  await page.goto('./#/demo-yolo/overview');
  await expectCounts(page, dir);
  const select = page.getByTestId('split-select');
  await expect(select.locator('option')).toHaveText(['All splits', 'train', 'val']);
  await select.selectOption('val');
  await expect(page).toHaveURL(/#\/demo-yolo\/overview\?split=val$/);
  await expectCounts(page, dir, 'val');
  await page.locator('[data-page="images"]').click();
  await expect(page).toHaveURL(/#\/demo-yolo\/images\?split=val/);
  const { project } = await expected(dir, 'val');
  await expect(page.getByTestId('image-grid').locator('[data-du]').first()).toBeVisible();
  await page.locator('[data-page="overview"]').click();
  await expect(page).toHaveURL(/split=val/);
  // A reload reads the split the URL names.
  await page.reload();
  await expectCounts(page, dir, 'val');
  expect(project.dataUnits.length).toBeGreaterThan(0);
  await select.selectOption('');
  await expect(page).toHaveURL(/#\/demo-yolo\/overview$/);
  await expectCounts(page, dir);
});

test('a COCO folder opens through the directory picker; a split is chosen; crowd regions and masks are drawn', async ({
  page,
}) => {
  const dir = resolve(DATASETS, 'coco-official');
  await stubPickerWithFolder(page, dir, 'coco-official');
  await page.goto('./');
  await page.getByTestId('open-folder').click();
  await expect(page).toHaveURL(/#\/project\/overview$/);
  await expectCounts(page, dir);
  await page.getByTestId('split-select').selectOption('val2017');
  await expectCounts(page, dir, 'val2017');

  // The crowd region (an uncompressed RLE) is drawn over its image and named as a crowd in the label list.
  const { project } = await expected(dir, 'val2017');
  const crowdUnit = project.dataUnits.find((u) => u.frames[0].objects.some((o) => o.dataset?.iscrowd))!;
  await page.locator('[data-page="images"]').click();
  const card = page.getByTestId('image-grid').locator(`[data-du="${crowdUnit.dataHash}"]`);
  await card.click();
  const detail = page.getByTestId('image-detail');
  await expect(detail.getByTestId('crowd-flag')).toHaveCount(1);
  await expect(detail.getByTestId('image-id')).toHaveText(`${crowdUnit.imageId} · split val2017`);
  await expect(detail.locator('canvas')).toHaveAttribute('data-drawn', 'labels');

  // The dataset's classes, with COCO's own category ids (90 has no labels and is still a class).
  await page.locator('[data-page="ontology"]').click();
  await expect(page.getByTestId('class-id')).toHaveText(['1', '3', '7', '90']);
});

test('a YOLO folder opens through <input webkitdirectory>', async ({ page }) => {
  const dir = resolve(DATASETS, 'yolo-ultralytics');
  await page.goto('./');
  await page.getByTestId('folder-input').setInputFiles(dir);
  await expect(page).toHaveURL(/#\/project\/overview$/);
  const summary = await expectCounts(page, dir);
  expect(summary.kind).toBe('yolo');
  await page.locator('[data-page="ontology"]').click();
  for (const name of ['circle', 'square', 'triangle']) await expect(page.getByText(name).first()).toBeVisible();
});

test('a TIFF image is listed as not viewable, and its labels still count', async ({ page }) => {
  const dir = resolve(DATASETS, 'coco-official');
  await page.goto('./');
  await page.getByTestId('folder-input').setInputFiles(dir);
  await page.getByTestId('split-select').selectOption('val2017');
  const { project } = await expected(dir, 'val2017');
  const tif = project.dataUnits.find((u) => u.images[0].endsWith('.tif'))!;
  await page.locator('[data-page="images"]').click();
  await page.getByTestId('image-grid').locator(`[data-du="${tif.dataHash}"]`).click();
  const canvas = page.getByTestId('image-detail').locator('canvas');
  await expect(canvas).toHaveAttribute('data-drawn', 'missing');
  await expect(canvas).toHaveAttribute('data-missing', 'TIFF: not viewable in a browser');
});

test('a Pascal VOC folder: difficult objects are tagged and can be listed on their own', async ({ page }) => {
  const dir = resolve(DATASETS, 'voc');
  await page.goto('./');
  await page.getByTestId('folder-input').setInputFiles(dir);
  const summary = await expectCounts(page, dir);
  expect(summary.kind).toBe('voc');
  const { project } = await expected(dir);
  const withDifficult = project.dataUnits.filter((u) => u.frames[0].objects.some((o) => o.dataset?.difficult));
  await page.locator('[data-page="images"]').click();
  await page.getByTestId('class-filter').selectOption('difficult');
  await expect(page.getByTestId('image-grid').locator('[data-du]')).toHaveCount(withDifficult.length);
  await page.getByTestId('image-grid').locator(`[data-du="${withDifficult[0].dataHash}"]`).click();
  const n = withDifficult[0].frames[0].objects.filter((o) => o.dataset?.difficult).length;
  await expect(page.getByTestId('image-detail').getByTestId('difficult-flag')).toHaveCount(n);
});
