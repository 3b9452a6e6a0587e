// What a new user tripped on, each fixed and shown in the built app: unique, descriptive default run names; "Open
// the run" lands on Model quality; the COCO summary and the false-negative count say what "ignore frames without
// predictions" changes (numbers from the engine in Node); the tab strip stays visible under the sticky IoU bar;
// precision, recall and F1 differ in colour and have a legend; importance bars of either sign differ in colour;
// Esc with the shortcuts dialog open closes the dialog, not the image; a white class colour gets an outlined swatch;
// re-choosing the folder after a reload keeps the deep link; an unknown run id says so and shows the newest run;
// rejected records say how they are numbered (registry wording: "line N" from 1, "record N (0-based)").
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { SubTree } from '../../src/core/file-tree.ts';
import { prepareActive, scoreActive } from '../../src/core/eval/active/index.ts';
import { projectToCoco } from '../../src/core/eval/project-to-coco.ts';
import { importPredictions } from '../../src/core/formats/index.ts';
import { NodeTree } from '../../src/files/node-fs.ts';
import { loadKernels } from '../../src/kernels/node.ts';
import { DEMO, EA_MINI, readExpected } from './app-helpers.ts';
import { watchErrors } from './performance-helpers.ts';

const sets = JSON.parse(await readFile(`${DEMO}/predictions/index.json`, 'utf8')).sets as {
  id: string;
  label: string;
  format: string;
  path: string;
}[];

async function importSet(page: Page, id: string, name?: string) {
  await page.getByTestId(`demo-set-${id}`).click();
  await expect(page.getByTestId('import-review')).toBeVisible();
  if (name) await page.getByTestId('run-name-input').fill(name);
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('import-done')).toBeVisible({ timeout: 60_000 });
}

test('two imports of the same files get different, descriptive names; "Open the run" shows Model quality', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.goto('./#/demo/predictions');
  await page.getByTestId('import-open').click();
  await importSet(page, 'pkl');
  await page.getByTestId('import-another').click();
  await importSet(page, 'pkl');
  const names = await page.getByTestId('run-row').evaluateAll((rows) => rows.map((r) => r.dataset.runName ?? ''));
  expect(names).toHaveLength(2);
  expect(new Set(names).size).toBe(2);
  const label = sets.find((s) => s.id === 'pkl')!.label;
  for (const name of names) {
    expect(name.startsWith(`EA pickle · demo: ${label} · `)).toBe(true);
    expect(name).toMatch(/ · \d{4}-\d\d-\d\d \d\d:\d\d( \(2\))?$/);
  }

  await page.getByTestId('import-open-run').click();
  await expect(page).toHaveURL(/#\/demo\/model-quality\?run=/);
  const id = new URL(page.url().replace('#/', '')).searchParams.get('run')!;
  await expect(page.getByTestId('run-select')).toHaveValue(id);
  await expect(page.getByTestId('map-value')).not.toHaveAttribute('data-value', '', { timeout: 60_000 });
  expect(errors).toEqual([]);
});

test('the COCO summary and the false negatives say what "ignore frames without predictions" changes', async ({
  page,
}) => {
  // The demo's KITTI set predicts on 34 of the 46 frames: the toggle moves COCO and the false negatives.
  const kernels = await loadKernels();
  const { project } = await readExpected(DEMO);
  const kitti = sets.find((s) => s.id === 'kitti')!;
  const { predictions } = await importPredictions(
    kernels,
    project,
    new SubTree(new NodeTree(DEMO), kitti.path),
    'kitti',
  );
  const prepared = prepareActive(kernels, project, predictions);
  const ignored = scoreActive(prepared, { iouThreshold: 0.5, ignoreFramesWithoutPredictions: true });
  let counted = 0;
  let uncounted = 0;
  for (let l = 0; l < ignored.isFN.length; l++) {
    if (ignored.isFN[l] && ignored.labelCounted[l]) counted++;
    if (ignored.isFN[l] && !ignored.labelCounted[l]) uncounted++;
  }
  expect(uncounted).toBeGreaterThan(0);
  const coco = projectToCoco(kernels, project, predictions);
  const withPredictions = new Set(coco.imageIdsWithPredictions);
  const images = coco.gt.images.length;
  const gt = coco.gt.annotations.length;
  const gtEvaluated = (coco.gt.annotations as { image_id: number }[]).filter((a) =>
    withPredictions.has(a.image_id),
  ).length;
  expect(withPredictions.size).toBeLessThan(images);

  const errors = watchErrors(page);
  await page.goto('./#/demo/predictions');
  await page.getByTestId('import-open').click();
  await importSet(page, 'kitti', 'kitti');
  await page.goto('./#/demo/model-quality?tab=coco');
  const scope = page.getByTestId('coco-scope');
  await expect(scope).toContainText(`all ${images} images · all ${gt} ground truth evaluated`, { timeout: 60_000 });
  await expect(page.getByTestId('coco-detail')).toContainText('not moved by the IoU slider');
  await expect(page.getByTestId('coco-detail')).toContainText(`all ${images} images`);
  await expect(page.getByTestId('fn-uncounted')).toHaveCount(0);

  await page.getByTestId('ignore-frames').check();
  await expect(scope).toContainText(
    `${withPredictions.size} of ${images} images (those with predictions, as “ignore frames without predictions” asks)`,
  );
  await expect(scope).toContainText(`${gtEvaluated} of ${gt} ground truth evaluated`);
  await expect(page.getByTestId('coco-detail')).toContainText(
    `only the ${withPredictions.size} of ${images} images with predictions`,
  );
  await expect(page.getByTestId('count-fn')).toHaveText(String(counted));
  await expect(page.getByTestId('fn-uncounted')).toContainText(
    `not counted: ${uncounted} unmatched labels on frames without predictions`,
  );
  await expect(page.getByTestId('fn-uncounted')).toContainText('is_false_negative');
  expect(errors).toEqual([]);
});

test('the tab strip stays visible below the sticky IoU bar; P, R and F1 and importance signs differ in colour', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.goto('./#/demo/predictions');
  await page.getByTestId('import-open').click();
  await importSet(page, 'json', 'demo json');
  await page.goto('./#/demo/model-quality');
  await expect(page.getByTestId('map-value')).not.toHaveAttribute('data-value', '', { timeout: 60_000 });

  // Scrolled far down (a short window), the tabs sit right below the bar and a click reaches them.
  await page.setViewportSize({ width: 1280, height: 520 });
  await page.getByTestId('tab-confidence').click();
  await page.locator('#main').evaluate((main) => main.scrollBy(0, 2000));
  await page.evaluate(() => window.scrollBy(0, 2000));
  const bar = (await page.getByTestId('eval-bar').boundingBox())!;
  // The headline numbers scrolled away above the bar: the page did scroll.
  expect((await page.getByTestId('metric-map').boundingBox())!.y).toBeLessThan(bar.y);
  const strip = (await page.getByTestId('tab-strip').boundingBox())!;
  expect(strip.y).toBeGreaterThanOrEqual(bar.y + bar.height - 1);
  const tab = (await page.getByTestId('tab-confusion').boundingBox())!;
  const hit = await page.evaluate(
    ([x, y]) => document.elementFromPoint(x, y)?.closest('[data-testid]')?.getAttribute('data-testid'),
    [tab.x + tab.width / 2, tab.y + tab.height / 2],
  );
  expect(hit).toBe('tab-confusion');

  // Confidence explorer: three measures, three colours (and dashes), each drawn on the canvas.
  await page.locator('#main').evaluate((main) => main.scrollTo(0, 0));
  const legend = page.getByTestId('confidence-legend');
  const colours = await legend
    .locator('li[data-series]')
    .evaluateAll((items) => items.map((li) => [li.dataset.series, li.dataset.colour]));
  expect(colours.map(([s]) => s)).toEqual(['f1', 'precision', 'recall', 'best']);
  expect(new Set(colours.map(([, c]) => c)).size).toBe(4);
  const canvas = page.getByTestId('confidence-chart').locator('canvas');
  await expect(canvas).toBeVisible();
  for (const [series, colour] of colours.slice(0, 3)) {
    const pixels = await canvas.evaluate((c: HTMLCanvasElement, hex) => {
      const want = [1, 3, 5].map((i) => parseInt(hex!.slice(i, i + 2), 16));
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] > 200 && want.every((v, k) => Math.abs(data[i + k] - v) <= 8)) n++;
      }
      return n;
    }, colour);
    expect(pixels, `${series} drawn in ${colour}`).toBeGreaterThan(50);
  }

  // Metric importance: positive and negative correlations in two different hues, named in a legend.
  await page.goto('./#/demo/performance');
  const importance = page.getByTestId('importance');
  await expect(importance).toHaveAttribute('data-bar-colours', /./, { timeout: 90_000 });
  const bars = (await importance.getAttribute('data-bar-colours'))!.split(';');
  const hue = (c: string) => Number(/hsl\((\d+)/.exec(c)![1]);
  const positive = new Set(bars.filter((b) => b.startsWith('+')).map((b) => hue(b.slice(1))));
  const negative = new Set(bars.filter((b) => b.startsWith('-')).map((b) => hue(b.slice(1))));
  expect(positive.size).toBeLessThanOrEqual(1);
  expect(negative.size).toBeLessThanOrEqual(1);
  expect(positive.size + negative.size).toBeGreaterThan(0);
  for (const h of positive) expect(negative.has(h)).toBe(false);
  await expect(page.getByTestId('importance-legend').locator('li')).toHaveText([/^positive/, /^negative/]);
  expect(errors).toEqual([]);
});

test('Esc with the shortcuts dialog open over an image closes the dialog first, then the image', async ({ page }) => {
  const { project } = await readExpected(DEMO);
  const unit = project.dataUnits.find((u) => u.dataType === 'image')!;
  await page.goto(`./#/demo/images?du=${unit.dataHash}`);
  await expect(page.getByTestId('image-detail')).toBeVisible();
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('image-detail')).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`du=${unit.dataHash}`));
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('image-detail')).toHaveCount(0);
});

test('a white class gets an outlined swatch; re-choosing the folder after a reload keeps the deep link', async ({
  page,
}) => {
  // ea-mini with its Car class in white.
  const dir = await mkdtemp(join(tmpdir(), 'predlens-white-'));
  const folder = join(dir, 'ea-mini');
  await cp(EA_MINI, folder, { recursive: true });
  const ontology = JSON.parse(await readFile(join(folder, 'ontology.json'), 'utf8'));
  const car = ontology.objects.find((o: { name: string }) => o.name === 'Car');
  car.color = '#FFFFFF';
  await writeFile(join(folder, 'ontology.json'), JSON.stringify(ontology));
  try {
    await page.goto('./');
    await page.getByTestId('folder-input').setInputFiles(folder);
    await expect(page).toHaveURL(/#\/project\/overview$/);
    const row = page.locator(`tr[data-class="${car.featureNodeHash}"]`);
    const swatch = row.getByTestId('class-swatch');
    await expect(swatch).toHaveClass(/light/);
    const shadow = await swatch.evaluate((el) => getComputedStyle(el).boxShadow);
    expect(shadow).not.toBe('none');
    const other = page
      .locator(`tr[data-class]:not([data-class="${car.featureNodeHash}"])`)
      .first()
      .getByTestId('class-swatch');
    await expect(other).not.toHaveClass(/light/);

    // A deep link, then a reload: a folder from the file dialog must be chosen again, and the link survives it.
    await page.goto('./#/project/images?page=1');
    await expect(page.getByTestId('image-grid')).toBeVisible();
    await page.reload();
    const again = page.getByRole('button', { name: /Choose ea-mini again/ });
    await expect(again).toBeVisible();
    const chooser = page.waitForEvent('filechooser');
    await again.click();
    await (await chooser).setFiles(folder);
    await expect(page.getByTestId('image-grid')).toBeVisible();
    await expect(page).toHaveURL(/#\/project\/images\?page=1$/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('an unknown run id says the run is not there and shows the newest run', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('./#/demo/predictions');
  await page.getByTestId('import-open').click();
  await importSet(page, 'pkl', 'older');
  await page.getByTestId('import-another').click();
  await importSet(page, 'json', 'newest');
  const newest = await page
    .locator('[data-testid="run-row"][data-run-name="newest"]')
    .evaluate((r) => r.dataset.runId ?? '');

  for (const where of ['model-quality', 'performance']) {
    await page.goto(`./#/demo/${where}?run=no-such-run`);
    await expect(page.getByTestId('missing-run')).toContainText('no-such-run');
    await expect(page.getByTestId('missing-run')).toContainText('Showing the newest run, “newest”, instead.');
    const select = page.getByTestId('run-select');
    await expect(select.locator('option:checked')).toHaveText(/^newest — /);
    if (newest) await expect(select).toHaveValue(newest);
    await expect(page).not.toHaveURL(/no-such-run/);
  }
  expect(errors).toEqual([]);
});

test('rejected records are numbered as lines from 1 in NDJSON and as 0-based records in a JSON array', async ({
  page,
}) => {
  const { project } = await readExpected(DEMO);
  const unit = project.dataUnits.find((u) => u.dataType === 'image')!;
  const car = project.ontology.objects.find((o) => o.shape === 'bounding_box')!.featureNodeHash;
  const good = {
    dataHash: unit.dataHash,
    frame: unit.sequence,
    confidence: 0.5,
    featureHash: car,
    box: { x: 0.1, y: 0.1, w: 0.2, h: 0.2 },
  };
  const bad = { ...good, dataHash: 'not-a-data-unit' };
  const dir = await mkdtemp(join(tmpdir(), 'predlens-numbering-'));
  try {
    // The second record of each file is bad: line 2 of the NDJSON, record 1 (0-based) of the JSON array.
    await writeFile(join(dir, 'a.ndjson'), [good, bad, good].map((r) => JSON.stringify(r)).join('\n') + '\n');
    await writeFile(join(dir, 'b.json'), JSON.stringify([good, bad, good]));
    await page.goto('./#/demo/predictions');
    await page.getByTestId('import-open').click();
    await page.getByTestId('files-input').setInputFiles([join(dir, 'a.ndjson'), join(dir, 'b.json')]);
    await expect(page.getByTestId('import-review')).toBeVisible({ timeout: 30_000 });
    await page.getByTestId('import-start').click();
    await expect(page.getByTestId('import-done')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('report-rejected')).toHaveText('2');
    const rows = await page
      .getByTestId('report-rejected-table')
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 2).map((td) => td.textContent)));
    expect(rows.map(([file, where]) => [file?.split('/').at(-1), where]).sort()).toEqual([
      ['a.ndjson', 'line 2'],
      ['b.json', 'record 1 (0-based)'],
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
