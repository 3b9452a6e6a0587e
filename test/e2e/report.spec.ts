// The one-file report, made by the page ("Download report") and by `predlens report`, each opened from file:// in
// Chromium with every request intercepted: no request but the file itself, no page error, the numbers it shows and
// embeds equal `predlens eval --json` (active and coco mode) on the same predictions, its cards carry thumbnails,
// and it prints (print media: four cards a row; a PDF with pages).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test, type Browser, type Download } from '@playwright/test';
import { DEMO } from './app-helpers.ts';
import { importDemoRun, watchErrors } from './performance-helpers.ts';
import { REPO_ROOT } from '../fixtures.ts';

const run = promisify(execFile);
const PREDICTIONS = `${DEMO}/predictions/json/predictions.json`;
const predlens = async (...args: string[]) =>
  (await run(process.execPath, ['bin/predlens.js', ...args], { cwd: REPO_ROOT, maxBuffer: 64 << 20 })).stdout;
const active = JSON.parse(await predlens('eval', DEMO, PREDICTIONS, '--format', 'json', '--json'));
const tideJson = JSON.parse(await predlens('eval', DEMO, PREDICTIONS, '--format', 'json', '--json', '--tide'));
const cocoMode = JSON.parse(await predlens('eval', DEMO, PREDICTIONS, '--format', 'json', '--json', '--mode', 'coco'));

const dir = await mkdtemp(join(tmpdir(), 'predlens-report-'));
test.afterAll(() => rm(dir, { recursive: true, force: true }));

/** Opens the file offline and checks what every report must hold; returns the embedded numbers. */
async function checkReport(browser: Browser, file: string, runName: string) {
  const context = await browser.newContext({ offline: true });
  const page = await context.newPage();
  const errors = watchErrors(page);
  // Every request the page makes is seen here; anything but the file itself would be refused (and fail the test).
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await context.route('**/*', (route) =>
    route.request().url() === `file://${file}` ? route.continue() : route.abort(),
  );
  await page.goto(`file://${file}`);
  await page.waitForLoadState('load');
  expect(requests).toEqual([`file://${file}`]);
  expect(errors).toEqual([]);

  const numbers = JSON.parse((await page.locator('#predlens-report').textContent())!);
  expect(numbers.mAP).toBe(active.mAP);
  expect(numbers.mAR).toBe(active.mAR);
  expect([numbers.tp, numbers.fp, numbers.fn]).toEqual([active.tp, active.fp, active.fn]);
  expect(numbers.perClass).toEqual(active.perClass);
  expect(numbers.coco.stats).toEqual(cocoMode.stats);

  // What the reader sees is the same numbers.
  await expect(page.locator('[data-stat="mAP"] .value')).toHaveText(active.mAP.toFixed(3));
  await expect(page.locator('[data-stat="mAP"] .value')).toHaveAttribute('data-value', String(active.mAP));
  await expect(page.locator('[data-stat="fp"] .value')).toHaveText(String(active.fp));
  await expect(page.locator('[data-table="coco-stats"] tbody tr')).toHaveCount(12);
  const statValues = await page
    .locator('[data-table="coco-stats"] tbody tr td:last-child')
    .evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-value'))));
  expect(statValues).toEqual(cocoMode.stats);
  for (const [name, v] of Object.entries(active.perClass as Record<string, { AP: number }>)) {
    await expect(page.locator(`[data-table="per-class"] tr[data-class="${name}"] td`).nth(1)).toHaveAttribute(
      'data-value',
      String(v.AP),
    );
  }
  await expect(page.getByTestId('run-name')).toHaveText(runName);
  await expect(page.locator('#confusion table')).toBeVisible();
  // TIDE's What costs AP: the same dAPs as eval --tide.
  expect(numbers.tide.main).toEqual(tideJson.tide.main);
  expect(numbers.tide.special).toEqual(tideJson.tide.special);
  await expect(page.locator('#tide svg rect')).toHaveCount(8);
  await expect(page.locator('#pr-chart, #per-class svg').first()).toBeVisible();

  // The cards: 24 of each (the demo has more false positives and missed labels), every one with its thumbnail.
  await expect(page.locator('#false-positives figure.item')).toHaveCount(Math.min(24, active.fp));
  await expect(page.locator('#missed figure.item')).toHaveCount(Math.min(24, active.fn));
  const thumbnails = await page
    .locator('figure.item svg image')
    .evaluateAll((els) => els.map((e) => e.getAttribute('href') ?? ''));
  expect(thumbnails.length).toBe(Math.min(24, active.fp) + Math.min(24, active.fn));
  expect(thumbnails.every((h) => h.startsWith('data:image/jpeg;base64,'))).toBe(true);
  // A thumbnail decodes (the browser draws it: its natural size is the card's).
  const decoded = await page.evaluate(async (href) => {
    const img = new Image();
    img.src = href;
    await img.decode();
    return img.naturalWidth > 0 && img.naturalHeight > 0;
  }, thumbnails[0]);
  expect(decoded).toBe(true);

  // Print: the print rules apply, and Chromium lays it out on pages.
  await page.emulateMedia({ media: 'print' });
  const columns = await page
    .locator('#false-positives .gallery')
    .evaluate((el) => getComputedStyle(el).gridTemplateColumns.split(' ').length);
  expect(columns).toBe(4);
  const pdf = await page.pdf({ format: 'A4' });
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)!.length).toBeGreaterThan(2);
  expect(requests).toEqual([`file://${file}`]);
  await context.close();
  return numbers;
}

test('the page’s "Download report" is one offline file with the engine’s numbers and pictures', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  await importDemoRun(page);
  await page.goto('./#/demo/model-quality');
  await expect(page.getByTestId('map-value')).toHaveAttribute('data-value', String(active.mAP), { timeout: 60_000 });
  await expect(page.getByTestId('coco-ap-value')).toHaveAttribute('data-value', String(cocoMode.stats[0]), {
    timeout: 60_000,
  });
  await expect(page.getByTestId('dap-chart')).toBeVisible({ timeout: 60_000 });
  const [download] = (await Promise.all([
    page.waitForEvent('download', { timeout: 60_000 }),
    page.getByTestId('download-report').click(),
  ])) as [Download, void];
  expect(download.suggestedFilename()).toBe('report-predlens-demo-demo-json.html');
  const file = join(dir, 'page.html');
  await writeFile(file, await readFile((await download.path())!));
  await checkReport(browser, file, 'demo json');
});

test('`predlens report` writes the same report from the command line', async ({ browser }) => {
  test.setTimeout(120_000);
  const file = join(dir, 'cli.html');
  await predlens('report', DEMO, PREDICTIONS, '--format', 'json', '--name', 'demo json', '-o', file);
  await checkReport(browser, file, 'demo json');
  const html = await readFile(file, 'utf8');
  expect(html).toContain('predlens 0.1.0');
});
