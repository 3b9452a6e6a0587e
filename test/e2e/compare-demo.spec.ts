// The Compare page on the demo, end to end: two demo runs imported through the Import page (the .pkl and the
// second model run), Compare opened from the sidebar; its numbers equal the engine's, computed here in Node from the
// same files (EA's mAP / mAR of both runs and their bootstrap interval, pycocotools' 12 stats of both, the labels
// fixed and broken); the slider moves them; a changed image opens with B's predictions, and the A/B key repaints it.
import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { SubTree } from '../../src/core/file-tree.ts';
import { prepareActive } from '../../src/core/eval/active/index.ts';
import { ActivePair } from '../../src/core/eval/compare/active.ts';
import { projectCocoPair } from '../../src/core/eval/compare/project.ts';
import { importPredictions } from '../../src/core/formats/index.ts';
import type { FormatId } from '../../src/core/model.ts';
import { NodeTree } from '../../src/files/node-fs.ts';
import { loadKernels } from '../../src/kernels/node.ts';
import { DEMO, readExpected } from './app-helpers.ts';

const kernels = await loadKernels();
const { project } = await readExpected(DEMO);
const sets = JSON.parse(await readFile(`${DEMO}/predictions/index.json`, 'utf8')).sets as {
  id: string;
  path: string;
  format: FormatId;
}[];
async function demoRun(id: string) {
  const set = sets.find((s) => s.id === id)!;
  return (await importPredictions(kernels, project, new SubTree(new NodeTree(DEMO), set.path), set.format)).predictions;
}
const runA = await demoRun('pkl');
const runB = await demoRun('second-run');
const active = new ActivePair(prepareActive(kernels, project, runA), prepareActive(kernels, project, runB));
const coco = projectCocoPair(kernels, project, runA, runB).pair;

async function importDemo(page: Page, set: string, name: string) {
  await page.goto('./#/demo/overview');
  await page.goto('./#/demo/predictions');
  await page.getByTestId('import-open').click();
  await page.getByTestId(`demo-set-${set}`).click();
  await expect(page.getByTestId('import-review')).toBeVisible();
  await page.getByTestId('run-name-input').fill(name);
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('import-done')).toBeVisible({ timeout: 30_000 });
}

const value = async (page: Page, testid: string) => Number(await page.getByTestId(testid).getAttribute('data-value'));

async function expectActive(page: Page, iouThreshold: number) {
  const s = active.score({ iouThreshold });
  await expect(page.getByTestId('ea-map')).toContainText(`IoU ${iouThreshold.toFixed(2)}`);
  await expect(page.getByTestId('ea-map-a')).toHaveAttribute('data-value', String(s.a.mAP));
  await expect(page.getByTestId('ea-map-b')).toHaveAttribute('data-value', String(s.b.mAP));
  await expect(page.getByTestId('ea-mar-a')).toHaveAttribute('data-value', String(s.a.mAR));
  await expect(page.getByTestId('ea-mar-b')).toHaveAttribute('data-value', String(s.b.mAR));
  await expect(page.getByTestId('ea-map-delta')).toHaveAttribute('data-value', String(s.b.mAP - s.a.mAP));
  // The interval follows the numbers, from the same bootstrap the engine runs (1,000 resamples, seed 1).
  const d = active.differences(s);
  await expect(page.getByTestId('ea-map-ci')).toHaveAttribute('data-lo', String(d.mAP.ci[0]), { timeout: 30_000 });
  await expect(page.getByTestId('ea-map-ci')).toHaveAttribute('data-hi', String(d.mAP.ci[1]));
  expect(await value(page, 'ea-map-p')).toBe(d.mAP.pBetter);
  return s;
}

/** A short fingerprint of the canvas's pixels. */
const pixels = (page: Page, testid: string) =>
  page.getByTestId(testid).evaluate((canvas: HTMLCanvasElement) => {
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let h = 0;
    for (let i = 0; i < data.length; i += 4) h = (Math.imul(h, 31) + data[i] * 3 + data[i + 1] * 5 + data[i + 2]) | 0;
    return `${canvas.width}x${canvas.height}:${h}`;
  });

test('two demo runs: the Compare page shows the engine’s numbers, intervals and changed images; T flips A and B', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await importDemo(page, 'pkl', 'model A (pkl)');
  await importDemo(page, 'second-run', 'model B (second run)');

  await page.goto('./#/demo/overview');
  await page.locator('[data-page="compare"]').click();
  await expect(page.getByTestId('compare')).toHaveAttribute('data-phase', 'ready', { timeout: 60_000 });
  // The newest run is B, the one before it A, and the link says so.
  await expect(page).toHaveURL(/[?&]a=.*[&]?b=|[?&]b=.*[&]a=/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('model A (pkl) vs model B (second run)');

  const at50 = await expectActive(page, 0.5);
  await expect(page.getByTestId('coverage')).toHaveAttribute('data-compared', String(at50.coverage.compared));
  await expect(page.getByTestId('resamples')).toContainText('1,000 resamples');
  await page.screenshot({ path: 'test-results/compare-top.png', fullPage: true });

  // COCO: pycocotools' 12 stats of both runs on the compared images, from the second worker.
  const c = coco.compare({ resamples: 1000 });
  const rows = page.getByTestId('coco-stats').locator('tbody tr');
  await expect(rows).toHaveCount(12, { timeout: 60_000 });
  for (let i = 0; i < 12; i++) {
    await expect(rows.nth(i).locator('[data-col=a]')).toHaveAttribute('data-value', String(c.stats[i].a));
    await expect(rows.nth(i).locator('[data-col=b]')).toHaveAttribute('data-value', String(c.stats[i].b));
    await expect(rows.nth(i).locator('[data-col=ci]')).toHaveAttribute('data-lo', String(c.stats[i].ci[0]));
  }
  await expect(page.getByTestId('coco-resamples')).toContainText('1,000 resamples');

  // The slider: the engine's numbers at the new threshold, and the threshold in the link.
  await page.getByTestId('iou-slider').fill('0.75');
  await expect(page).toHaveURL(/[?&]iou=0\.75/);
  await expectActive(page, 0.75);

  // Labels fixed and broken at IoU 0.50, then a changed image with B's predictions drawn.
  await expect(page.getByTestId('changes-counts')).toHaveAttribute('data-fixed', String(c.labels.fixed.length));
  await expect(page.getByTestId('changes-counts')).toHaveAttribute('data-broken', String(c.labels.broken.length));
  const listed = page.getByTestId('changed-image');
  await expect(listed.first()).toBeVisible();
  expect(c.images.length).toBeGreaterThan(0);
  await expect(listed.first()).toHaveAttribute('data-image', String(c.images[0].imageId));
  await listed.first().click();
  const canvas = page.getByTestId('compare-canvas');
  await expect(canvas).toHaveAttribute('data-which', 'b');
  await expect(canvas).toHaveAttribute('data-drawn', /^b:\d+$/, { timeout: 30_000 });
  await expect(page.getByTestId('compare-legend')).toContainText('fixed by B');
  const shownB = await pixels(page, 'compare-canvas');
  await page.screenshot({ path: 'test-results/compare-frame.png', fullPage: true });

  await page.keyboard.press('t');
  await expect(canvas).toHaveAttribute('data-which', 'a');
  await expect(canvas).toHaveAttribute('data-drawn', /^a:\d+$/);
  await expect(page).toHaveURL(/[?&]show=a/);
  const shownA = await pixels(page, 'compare-canvas');
  expect(shownA).not.toBe(shownB);
  await page.keyboard.press('t');
  await expect(canvas).toHaveAttribute('data-which', 'b');
  await expect.poll(() => pixels(page, 'compare-canvas')).toBe(shownB);

  // Side by side: both runs at once.
  await page.getByTestId('side-by-side').check();
  await expect(page.getByTestId('compare-canvas-a')).toHaveAttribute('data-drawn', /^a:/);
  await expect(page.getByTestId('compare-canvas-b')).toHaveAttribute('data-drawn', /^b:/);

  // A copied link shows the same view.
  const url = page.url();
  await page.goto('./#/demo/overview');
  await page.goto(url);
  await expect(page.getByTestId('compare-canvas-b')).toHaveAttribute('data-drawn', /^b:/, { timeout: 60_000 });
  expect(errors).toEqual([]);
});
