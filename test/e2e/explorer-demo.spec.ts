// The Explorer on the demo, end to end (predictions imported through the Import page, expectations computed here in
// Node): the three tabs hold the engine's TP / FP / FN counts; a false-negative card draws its missed label in amber (dotted)
// where the label is; arrows, Enter and PageUp/PageDown work; a deep link (tab, metric, range, sort, class, page,
// card settings) gives the same cards after a reload; cards far below the viewport load no image.
import { expect, test, type Page } from '@playwright/test';
import { SubTree } from '../../src/core/file-tree.ts';
import { prepareActive, scoreActive } from '../../src/core/eval/active/index.ts';
import { importPredictions } from '../../src/core/formats/index.ts';
import { NodeTree } from '../../src/files/node-fs.ts';
import { rleDecodeRowMajor, rleFromCoco } from '../../src/kernels/rle.ts';
import { DEMO } from './app-helpers.ts';
import { canvasPixel, hexToRgb } from './app-helpers.ts';
import { demoExpectations, importDemoRun, watchErrors } from './performance-helpers.ts';

const demo = await demoExpectations();
const score = demo.score(0.5);
const carClass = demo.prepared.classes.findIndex((c) => c.name === 'Car');

async function cardIndices(page: Page): Promise<number[]> {
  return page
    .getByTestId('explorer-grid')
    .locator('[data-index]')
    .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-index'))));
}

test("tabs count the engine's true positives, false positives and missed labels", async ({ page }) => {
  const errors = watchErrors(page);
  await importDemoRun(page);
  await page.goto('./#/demo/explorer');
  const tp = score.isTP.reduce((n, v) => n + v, 0);
  const fn = score.isFN.reduce((n, v) => n + v, 0);
  await expect(page.getByTestId('tab-tp')).toContainText(String(tp), { timeout: 60_000 });
  await expect(page.getByTestId('tab-fp')).toContainText(String(demo.prepared.nPredictions - tp));
  await expect(page.getByTestId('tab-fn')).toContainText(String(fn));
  // The TP tab lists every true positive, by model confidence, ascending.
  await expect(page.getByTestId('explorer-range')).toHaveAttribute('data-count', String(tp));
  const expected = [...score.isTP.keys()]
    .filter((p) => score.isTP[p] === 1)
    .sort((a, b) => demo.prepared.confidence[a] - demo.prepared.confidence[b] || a - b);
  expect(await cardIndices(page)).toEqual(expected.slice(0, 20));
  expect(errors).toEqual([]);
});

test('a false-negative card draws the missed label in amber, dotted, where the label is', async ({ page }) => {
  await importDemoRun(page);
  // Car labels are boxes; no fill (opacity 0) and a 5 px outline, so the outline's pixels are the label's colour.
  await page.goto(`./#/demo/explorer?tab=fn&class=${carClass}&opacity=0&width=5&cols=2&rows=1`);
  const cards = page.getByTestId('explorer-grid').locator('[data-index]');
  await expect(cards.first()).toBeVisible({ timeout: 60_000 });
  const lidx = Number(await cards.first().getAttribute('data-index'));
  expect(score.isFN[lidx]).toBe(1);
  const label = demo.prepared.labels[lidx];
  if (label.kind !== 'object' || label.object.geometry.kind !== 'box') throw new Error('expected a Car box label');
  const { x, y, w, h } = label.object.geometry.box;
  const canvas = `[data-index="${lidx}"] canvas`;
  await expect(page.locator(canvas)).toHaveAttribute('data-drawn', 'layers', { timeout: 30_000 });
  const amber = hexToRgb('#E8900C');
  // The middle of the left and right edges, and of the top edge.
  for (const [px, py] of [
    [x, y + h / 2],
    [x + w, y + h / 2],
    [x + w / 2, y],
  ]) {
    const [r, g, b] = await canvasPixel(page, canvas, px, py);
    expect(
      Math.abs(r - amber[0]) + Math.abs(g - amber[1]) + Math.abs(b - amber[2]),
      `at ${px}, ${py}`,
    ).toBeLessThanOrEqual(12);
  }
});

test('arrows move the focus, PageDown turns the page, Enter opens the detail and Escape closes it', async ({
  page,
}) => {
  await importDemoRun(page);
  await page.goto('./#/demo/explorer?tab=tp&cols=3&rows=2');
  const grid = page.getByTestId('explorer-grid');
  await expect(grid.locator('[data-index]')).toHaveCount(6, { timeout: 60_000 });
  const focused = () => page.evaluate(() => Number(document.activeElement?.getAttribute('data-position')));
  await grid.locator('[data-index]').first().focus();
  await page.keyboard.press('ArrowRight');
  expect(await focused()).toBe(1);
  await page.keyboard.press('ArrowDown');
  expect(await focused()).toBe(4);
  await page.keyboard.press('ArrowLeft');
  expect(await focused()).toBe(3);
  await page.keyboard.press('PageDown');
  await expect(page).toHaveURL(/page=2/);
  await expect.poll(focused).toBe(6);
  const index = Number(await page.evaluate(() => document.activeElement?.getAttribute('data-index')));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('explorer-detail')).toHaveAttribute('data-index', String(index));
  await expect(page).toHaveURL(new RegExp(`item=${index}`));
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('explorer-detail')).not.toHaveAttribute('data-index', String(index));
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('explorer-detail')).toHaveCount(0);
  await page.keyboard.press('PageUp');
  await expect(page).not.toHaveURL(/page=2/);
});

test('a deep link restores tab, metric, range, sort, class, page and settings after a reload', async ({ page }) => {
  await importDemoRun(page);
  await page.goto('./#/demo/explorer');
  await expect(page.getByTestId('tab-fp')).toBeVisible({ timeout: 60_000 });
  // Build the view with the controls, then read the URL they wrote.
  await page.getByTestId('tab-fp').click();
  await page.getByTestId('explorer-metric').selectOption('P:object_area_-_relative');
  await page.getByTestId('sort').selectOption('desc');
  await page.getByTestId('range-lo').fill('0.5');
  await page.getByTestId('range-lo').press('Enter');
  await page.locator('details.settings summary').click();
  await page.getByTestId('set-cols').fill('3');
  await page.getByTestId('set-cols').press('Enter');
  await page.getByTestId('set-rows').fill('2');
  await page.getByTestId('set-rows').press('Enter');
  await expect(page).toHaveURL(/rows=2/);
  await page
    .getByRole('navigation', { name: 'Pages', exact: true })
    .first()
    .getByRole('button', { name: '2', exact: true })
    .click();
  await expect(page).toHaveURL(/page=2/);

  const url = page.url();
  const params = new URL(url.replace('#/', '')).searchParams;
  expect(Object.fromEntries(params)).toMatchObject({
    tab: 'fp',
    metric: 'P:object_area_-_relative',
    sort: 'desc',
    lo: '0.5',
    cols: '3',
    rows: '2',
    page: '2',
  });
  expect(params.get('run')).toBeTruthy();

  // What the engine says the view holds: false positives with area >= 0.5, largest first, cards 7-12.
  const area = demo.predictionMetric('object_area_-_relative');
  const fp = [...score.isTP.keys()]
    .filter((p) => score.isTP[p] === 0 && area[p] >= 0.5)
    .sort((a, b) => area[b] - area[a] || a - b);
  const before = await cardIndices(page);
  expect(before).toEqual(fp.slice(6, 12));

  await page.reload();
  await expect(page.getByTestId('explorer-grid').locator('[data-index]')).toHaveCount(before.length, {
    timeout: 60_000,
  });
  expect(await cardIndices(page)).toEqual(before);
  await expect(page.getByTestId('explorer-metric')).toHaveValue('P:object_area_-_relative');
  await expect(page.getByTestId('sort')).toHaveValue('desc');
  await expect(page.getByTestId('range-lo')).toHaveValue('0.5');
  await expect(page.getByTestId('explorer-page')).toHaveAttribute('data-tab', 'fp');
  expect(page.url()).toBe(url);
});

test('only cards near the viewport load their image', async ({ page }) => {
  await importDemoRun(page);
  // Two tall columns, five rows: the last rows are far below the fold.
  await page.goto('./#/demo/explorer?tab=tp&cols=2&rows=5');
  const canvases = page.getByTestId('explorer-grid').locator('canvas');
  await expect(canvases).toHaveCount(10, { timeout: 60_000 });
  await expect(canvases.first()).toHaveAttribute('data-drawn', 'layers', { timeout: 30_000 });
  await page.waitForTimeout(500);
  const drawn = await canvases.evaluateAll((els) => els.map((e) => e.getAttribute('data-drawn')));
  expect(drawn.at(-1)).toBe('none');
  expect(drawn.filter((d) => d === 'layers').length).toBeLessThan(10);
  // Scrolling there loads them.
  await canvases.last().scrollIntoViewIfNeeded();
  await expect(canvases.last()).toHaveAttribute('data-drawn', 'layers', { timeout: 30_000 });
});

test('mask predictions are drawn from their decoded run-length mask, outlined in the tab colour', async ({ page }) => {
  // The demo's EA predictions/ folder holds the polygon classes as masks (EA's row-major RLE).
  const { predictions } = await importPredictions(
    demo.kernels,
    demo.project,
    new SubTree(new NodeTree(DEMO), 'predictions/ea'),
    'ea-predictions',
  );
  const prepared = prepareActive(demo.kernels, demo.project, predictions);
  const tp = scoreActive(prepared, { iouThreshold: 0.5, ignoreFramesWithoutPredictions: false }).isTP;
  const dog = prepared.classes.findIndex((c) => c.name === 'Dog');
  await importDemoRun(page, 'ea');
  await page.goto(`./#/demo/explorer?tab=tp&class=${dog}&opacity=0&width=8&cols=2&rows=1`);
  const cards = page.getByTestId('explorer-grid').locator('[data-index]');
  await expect(cards.first()).toBeVisible({ timeout: 60_000 });
  const pidx = Number(await cards.first().getAttribute('data-index'));
  expect(tp[pidx]).toBe(1);
  const shape = predictions[prepared.predSource[pidx]].shape;
  if (shape.kind !== 'mask') throw new Error(`expected a mask prediction, got ${shape.kind}`);
  const rle = rleFromCoco(shape.mask);
  const mask = rleDecodeRowMajor(demo.kernels, rle);
  // The row through the middle of the mask, its leftmost pixel: a point on the outline.
  const rows = [...Array(rle.h).keys()].filter((y) => mask.subarray(y * rle.w, (y + 1) * rle.w).some((v) => v === 1));
  const y = rows[Math.floor(rows.length / 2)];
  const x = mask.subarray(y * rle.w, (y + 1) * rle.w).indexOf(1);
  const canvas = `[data-index="${pidx}"] canvas`;
  await expect(page.locator(canvas)).toHaveAttribute('data-drawn', 'layers', { timeout: 30_000 });
  const [r, g, b] = await canvasPixel(page, canvas, (x + 1.5) / rle.w, (y + 0.5) / rle.h);
  const purple = hexToRgb('#5658dd');
  expect(Math.abs(r - purple[0]) + Math.abs(g - purple[1]) + Math.abs(b - purple[2])).toBeLessThanOrEqual(30);
  // Outside the mask, left of the outline, the image shows through.
  const [r2, g2, b2] = await canvasPixel(page, canvas, (x - 12) / rle.w, (y + 0.5) / rle.h);
  expect(Math.abs(r2 - purple[0]) + Math.abs(g2 - purple[1]) + Math.abs(b2 - purple[2])).toBeGreaterThan(60);
});
