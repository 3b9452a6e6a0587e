// The Compare page's "Download report": two demo runs imported through the Import page, Compare opened, the report
// downloaded (Playwright's download event) and opened from file:// in Chromium with every request intercepted: no
// request but the file itself, no page error; its A/B section holds the numbers `predlens compare --json` prints
// for the same two prediction files (EA's mAP / mAR, COCO's 12 stats, per class, intervals, P(B > A), the labels
// fixed and broken, the images compared) and the rest of it is run A's report (`predlens eval --json`).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test, type Download } from '@playwright/test';
import { DEMO } from './app-helpers.ts';
import { importDemoRun, watchErrors } from './performance-helpers.ts';
import { REPO_ROOT } from '../fixtures.ts';
import { compareTable, dataOf, jsonDifference, rowDifference } from '../report-tables.ts';

const run = promisify(execFile);
const predlens = async (...args: string[]) =>
  (await run(process.execPath, ['bin/predlens.js', ...args], { cwd: REPO_ROOT, maxBuffer: 64 << 20 })).stdout;
const A = `${DEMO}/predictions/pkl/predictions.pkl`;
const B = `${DEMO}/predictions/second-run/predictions.json`;
const engine = JSON.parse(await predlens('compare', DEMO, A, B, '--json'));
const evalA = JSON.parse(await predlens('eval', DEMO, A, '--json'));

const dir = await mkdtemp(join(tmpdir(), 'predlens-compare-report-'));
test.afterAll(() => rm(dir, { recursive: true, force: true }));

test('the Compare page’s "Download report" is one offline file with the engine’s A/B numbers', async ({
  page,
  browser,
}) => {
  test.setTimeout(240_000);
  const pageErrors = watchErrors(page);
  await importDemoRun(page, 'pkl');
  await page.goto('./#/demo/overview'); // the Import page again, from its start
  await importDemoRun(page, 'second-run');
  await page.goto('./#/demo/overview');
  await page.locator('[data-page="compare"]').click();
  await expect(page.getByTestId('compare')).toHaveAttribute('data-phase', 'ready', { timeout: 60_000 });
  const button = page.getByTestId('download-compare-report');
  // Ready once every number of the section is on the page (the COCO bootstrap takes a while).
  await expect(button).toBeEnabled({ timeout: 120_000 });
  const [download] = (await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), button.click()])) as [
    Download,
    void,
  ];
  expect(download.suggestedFilename()).toBe('report-predlens-demo-demo-pkl-vs-demo-second-run.html');
  const file = join(dir, 'compare.html');
  await writeFile(file, await readFile((await download.path())!));
  expect(pageErrors).toEqual([]);

  // Offline, every request seen and any but the file refused.
  const context = await browser.newContext({ offline: true });
  const report = await context.newPage();
  const errors = watchErrors(report);
  const requests: string[] = [];
  report.on('request', (r) => requests.push(r.url()));
  await context.route('**/*', (route) =>
    route.request().url() === `file://${file}` ? route.continue() : route.abort(),
  );
  await report.goto(`file://${file}`);
  await report.waitForLoadState('load');
  await expect(report.locator('#compare h2')).toHaveText('A/B: demo pkl vs demo second-run');
  await expect(report.locator('#compare table')).toHaveCount(4);
  await report.screenshot({ path: 'test-results/compare-report.png', fullPage: true });
  expect(requests).toEqual([`file://${file}`]);
  expect(errors).toEqual([]);
  await context.close();

  // The A/B numbers, read from the file's tables, are the engine's for the same two files.
  const html = await readFile(file, 'utf8');
  const stats = compareTable(html, 'compare-coco');
  expect(stats.map((r) => r.key)).toEqual(engine.all.names);
  stats.forEach((row, i) =>
    expect(rowDifference(row)).toEqual(
      jsonDifference({
        a: engine.all.a[i],
        b: engine.all.b[i],
        delta: engine.all.delta[i],
        ci: engine.all.ci[i],
        pBetter: engine.all.pBetter[i],
      }),
    ),
  );
  for (const row of compareTable(html, 'compare-coco-per-class'))
    expect(rowDifference(row)).toEqual(jsonDifference(engine.perClass[row.key]));
  const active = compareTable(html, 'compare-active');
  expect(rowDifference(active[0])).toEqual(jsonDifference(engine.active.mAP));
  expect(rowDifference(active[1])).toEqual(jsonDifference(engine.active.mAR));
  const byHash = new Map(
    Object.values(engine.active.perClass as Record<string, { featureHash: string; AP: never }>).map((c) => [
      c.featureHash,
      c.AP,
    ]),
  );
  for (const row of compareTable(html, 'compare-active-per-class'))
    expect(rowDifference(row)).toEqual(jsonDifference(byHash.get(row.key)!));
  expect(dataOf(html, 'changes')).toMatchObject({
    iou: engine.iou,
    fixed: engine.labels.fixed.length,
    broken: engine.labels.broken.length,
    images: engine.images.length,
  });
  expect(dataOf(html, 'coverage', 'coco')).toMatchObject({
    compared: engine.compared.compared,
    total: engine.compared.total,
    resamples: 1000,
    seed: 1,
  });
  expect(dataOf(html, 'coverage', 'active')).toMatchObject({
    compared: engine.active.compared.compared,
    total: engine.active.compared.total,
    resamples: 1000,
    seed: 1,
  });

  // The rest is run A's report, as Model quality's Download report makes it.
  const numbers = JSON.parse(/<script type="application\/json" id="predlens-report">(.*?)<\/script>/s.exec(html)![1]);
  expect([numbers.mAP, numbers.mAR, numbers.tp, numbers.fp, numbers.fn]).toEqual([
    evalA.mAP,
    evalA.mAR,
    evalA.tp,
    evalA.fp,
    evalA.fn,
  ]);
  expect(numbers.coco.stats).toEqual(engine.a.stats);
  expect(numbers.tide).toBeDefined();
});
