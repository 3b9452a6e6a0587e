// Performance by metric on the demo, end to end: the demo's JSON predictions imported through the Import page,
// quality metrics computed in the metrics worker, charts binned as the engine bins the values computed here in
// Node; the metrics come from the cache on the second visit; a click on a bin of the false-negative chart opens the
// Explorer on exactly that bin's missed labels; and the three-click path from the overview to the missed small
// objects.
import { expect, test } from '@playwright/test';
import { binByMetric, MIN_ITEMS_PER_BIN, PAGE_DEFAULT_BINS, wilsonInterval } from '../../src/core/metrics/binning.ts';

/** The page's bins: pandas.qcut's, with at least MIN_ITEMS_PER_BIN items a bin on average. */
const pageBins = (values: ArrayLike<number>, flags: ArrayLike<number>, bins = PAGE_DEFAULT_BINS) =>
  binByMetric(values, flags, bins, { minPerBin: MIN_ITEMS_PER_BIN });
import { clickBin, demoExpectations, importDemoRun, watchErrors } from './performance-helpers.ts';

const demo = await demoExpectations();
const score = demo.score(0.5);
const areaOfLabels = demo.labelMetric('object_area_-_relative');
const areaOfPredictions = demo.predictionMetric('object_area_-_relative');

/** The bin counts the page lists in a chart's table. */
async function tableCounts(page: import('@playwright/test').Page, testid: string): Promise<number[]> {
  const chart = page.locator('section', { has: page.getByTestId(testid) });
  const details = chart.locator('details');
  if (!(await details.evaluate((d: HTMLDetailsElement) => d.open))) await details.locator('summary').click();
  const cells = await chart.locator('tbody tr td:nth-child(2)').allInnerTexts();
  return cells.map((t) => Number(t.replace(/[^\d]/g, '')));
}

test('charts TP and FN rates by object area in the bins the engine makes, from the cache the second time', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await importDemoRun(page);
  await page.goto('./#/demo/performance');
  await expect(page.getByTestId('metrics-origin')).toHaveAttribute('data-origin', 'computed', { timeout: 60_000 });

  // About 10 bins by default (Encord Active's 50 leave a handful of items in a bin).
  const tp = pageBins(areaOfPredictions, score.isTP);
  const fnIndicator = Float64Array.from(score.isFN);
  const fn = pageBins(areaOfLabels, fnIndicator);
  expect(fn.bins.length).toBeGreaterThan(1);
  expect(Math.min(...fn.bins.map((b) => b.count))).toBeGreaterThanOrEqual(MIN_ITEMS_PER_BIN / 2);
  await expect(page.getByTestId('tpr-chart')).toHaveAttribute('data-bins', String(tp.bins.length));
  await expect(page.getByTestId('fnr-chart')).toHaveAttribute('data-bins', String(fn.bins.length));
  await expect(page.getByTestId('tpr-chart')).toHaveAttribute(
    'data-total',
    String(areaOfPredictions.filter((v) => !Number.isNaN(v)).length),
  );
  await expect(page.getByTestId('fnr-chart')).toHaveAttribute('data-total', String(demo.prepared.nLabels));
  expect(await tableCounts(page, 'tpr-chart')).toEqual(tp.bins.map((b) => b.count));
  expect(await tableCounts(page, 'fnr-chart')).toEqual(fn.bins.map((b) => b.count));

  // Each bin's rate has its 95 % interval in the table, the Wilson interval of its counts.
  const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
  for (const [i, b] of fn.bins.entries()) {
    const [low, high] = wilsonInterval(Math.round(b.rate * b.count), b.count);
    await expect(page.getByTestId(`fnr-chart-interval-${i}`)).toHaveText(`${pct(low)} – ${pct(high)}`);
  }

  // More buckets: the URL keeps them; a bin still holds at least 30 labels on average, and the page says so.
  await page.getByTestId('bins-input').fill('50');
  await page.getByTestId('bins-input').press('Enter');
  await expect(page).toHaveURL(/bins=50/);
  const fn50 = pageBins(areaOfLabels, fnIndicator, 50);
  await expect(page.getByTestId('fnr-chart')).toHaveAttribute('data-bins', String(fn50.bins.length));
  await expect(page.getByTestId('fnr-chart')).toHaveAttribute('data-requested-bins', '50');
  expect(fn50.bins.length).toBeLessThan(50);
  await expect(page.getByTestId('fnr-chart-fewer')).toContainText(`50 bins asked for, ${fn50.bins.length} drawn`);
  await page.getByTestId('bins-input').fill('10');
  await page.getByTestId('bins-input').press('Enter');
  await expect(page).not.toHaveURL(/bins=/);

  // Class decomposition: one line per class that has labels (or predictions) in the chart.
  await page.getByTestId('decompose').check();
  await expect(page).toHaveURL(/decompose=1/);
  const labelClasses = new Set(demo.prepared.labelClass).size;
  await expect(page.getByTestId('fnr-chart')).toHaveAttribute('data-class-lines', String(labelClasses));
  await page.getByTestId('decompose').uncheck();
  await expect(page.getByTestId('fnr-chart')).toHaveAttribute('data-class-lines', '0');

  // A frame metric (F) joins each prediction to its frame's image: brightness of the frame.
  await page.getByTestId('metric-select').selectOption('F:brightness');
  const brightness = pageBins(demo.predictionFrameMetric('brightness'), score.isTP);
  await expect(page.getByTestId('tpr-chart')).toHaveAttribute('data-bins', String(brightness.bins.length));
  expect(await tableCounts(page, 'tpr-chart')).toEqual(brightness.bins.map((b) => b.count));

  // Frame metrics come from the image rows: Object Count (F) is the labels' count of each item's frame (every
  // label, and every prediction, has one); Object Count (P) the predictions' count of the prediction's frame.
  await page.getByTestId('metric-select').selectOption('F:object_count');
  const labelsOnFrame = pageBins(demo.predictionFrameMetric('object_count'), score.isTP);
  expect(demo.predictionFrameMetric('object_count').every((v) => Number.isInteger(v))).toBe(true);
  await expect(page.getByTestId('tpr-chart')).toHaveAttribute('data-bins', String(labelsOnFrame.bins.length));
  expect(await tableCounts(page, 'tpr-chart')).toEqual(labelsOnFrame.bins.map((b) => b.count));
  await expect(page.getByTestId('fnr-chart')).toHaveAttribute('data-total', String(demo.prepared.nLabels));
  await page.getByTestId('metric-select').selectOption('P:object_count');
  const predictionsOnFrame = pageBins(demo.predictionMetric('object_count'), score.isTP);
  expect(demo.predictionMetric('object_count').every((v) => v >= 1)).toBe(true);
  expect(await tableCounts(page, 'tpr-chart')).toEqual(predictionsOnFrame.bins.map((b) => b.count));

  // Model confidence has no label counterpart: only the TP chart.
  await page.getByTestId('metric-select').selectOption('P:model_confidence');
  await expect(page.getByTestId('fnr-absent')).toBeVisible();
  await expect(page.getByTestId('tpr-chart')).toBeVisible();

  // A second visit (a reload): every metric from IndexedDB, no progress shown.
  await page.reload();
  await expect(page.getByTestId('metrics-origin')).toHaveAttribute('data-origin', 'cache', { timeout: 30_000 });
  await expect(page.getByTestId('metrics-progress')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('a bin of the false-negative chart opens the Explorer on exactly its missed labels, smallest first', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await importDemoRun(page);
  await page.goto('./#/demo/performance?bins=10');
  await expect(page.getByTestId('fnr-chart')).toBeVisible({ timeout: 60_000 });
  const fn = pageBins(areaOfLabels, Float64Array.from(score.isFN));
  // The bin with the highest false-negative rate.
  const bin = fn.bins.reduce((best, b, i) => (b.rate > fn.bins[best].rate ? i : best), 0);
  const members = [...areaOfLabels.keys()].filter((l) => fn.binOf[l] === bin);
  const lo = Math.min(...members.map((l) => areaOfLabels[l]));
  const hi = Math.max(...members.map((l) => areaOfLabels[l]));
  const missed = members.filter((l) => score.isFN[l] === 1).sort((a, b) => areaOfLabels[a] - areaOfLabels[b] || a - b);
  expect(missed.length).toBeGreaterThan(0);

  await clickBin(page, 'fnr-chart', bin);
  await expect(page).toHaveURL(/#\/demo\/explorer\?/);
  const url = new URL(page.url().replace('#/', ''));
  expect(url.searchParams.get('tab')).toBe('fn');
  expect(url.searchParams.get('metric')).toBe('O:object_area_-_relative');
  expect(url.searchParams.get('sort')).toBe('asc');
  expect(Number(url.searchParams.get('lo'))).toBe(lo);
  expect(Number(url.searchParams.get('hi'))).toBe(hi);

  await expect(page.getByTestId('explorer-range')).toHaveAttribute('data-count', String(missed.length), {
    timeout: 30_000,
  });
  const cards = page.getByTestId('explorer-grid').locator('[data-index]');
  await expect(cards).toHaveCount(Math.min(missed.length, 20));
  const shown = await cards.evaluateAll((els) =>
    els.map((e) => [Number(e.getAttribute('data-index')), Number(e.getAttribute('data-value'))]),
  );
  expect(shown.map(([lidx]) => lidx)).toEqual(missed.slice(0, 20));
  for (const [, value] of shown) {
    expect(value).toBeGreaterThanOrEqual(lo);
    expect(value).toBeLessThanOrEqual(hi);
  }
  expect(errors).toEqual([]);
});

test('three clicks from the overview to the missed small objects', async ({ page }) => {
  await importDemoRun(page);
  await page.goto('./#/demo/overview');
  let clicks = 0;
  // 1: the sidebar's Performance by metric. The default metric is Object Area - Relative, so the FN chart is
  // along the labels' object area.
  await page.getByRole('link', { name: /Performance by metric/ }).click();
  clicks++;
  await expect(page.getByTestId('fnr-chart')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('fnr-chart').locator('..')).toContainText('Object Area - Relative (O)');

  // The smallest fifth of the labels is missed more often than the rest: what the chart shows the user.
  const fn = pageBins(areaOfLabels, Float64Array.from(score.isFN));
  const order = [...areaOfLabels.keys()].sort((a, b) => areaOfLabels[a] - areaOfLabels[b]);
  const fifth = Math.floor(order.length / 5);
  const rate = (ls: number[]) => ls.reduce((n, l) => n + score.isFN[l], 0) / ls.length;
  expect(rate(order.slice(0, fifth))).toBeGreaterThan(rate(order.slice(fifth)));

  // 2: a high bin among the smallest objects.
  const small = fn.bins.slice(0, Math.ceil(fn.bins.length / 5));
  const bin = small.reduce((best, b, i) => (b.rate > small[best].rate ? i : best), 0);
  await clickBin(page, 'fnr-chart', bin);
  clicks++;
  await expect(page.getByTestId('explorer-page')).toHaveAttribute('data-tab', 'fn');
  const cards = page.getByTestId('explorer-grid').locator('[data-index]');
  await expect(cards.first()).toBeVisible({ timeout: 30_000 });

  // 3: the first missed object, opened large and zoomed onto with one key.
  await cards.first().click();
  clicks++;
  await expect(page.getByTestId('explorer-detail')).toBeVisible();
  const value = Number(await page.getByTestId('explorer-detail').getAttribute('data-index'));
  expect(score.isFN[value]).toBe(1);
  expect(areaOfLabels[value]).toBeLessThanOrEqual(areaOfLabels[order[fifth]]);
  expect(clicks).toBe(3);
});
