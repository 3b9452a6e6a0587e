// Every Download of the app, end to end in Chromium: the demo's JSON predictions imported through the Import page,
// each file caught with Playwright's download event, parsed, and checked against the engine's numbers computed here
// in Node from the same files (the code `predlens export` runs): the Model quality tables (per class, COCO stats and
// per class, the TP / FP / FN lists, every match), the run as COCO results and as a YOLO zip, the worst images as a
// COCO subset, Performance's bins, the Explorer's selection, the Images counts; and "Copy link" says what a link is.
import { readFile } from 'node:fs/promises';
import { expect, test, type Download, type Page } from '@playwright/test';
import {
  activeClassRows,
  activeMatchInput,
  cocoClassRows,
  cocoResults,
  cocoStatRows,
  cocoSubset,
  distinctImages,
  imageRows,
  matchRows,
  parseCsv,
  performanceBinRows,
  unzipStore,
  worstImages,
  yoloFiles,
  TABLE_SPECS,
  labelErrorImages,
  f1Of,
  tideErrorTypes,
} from '../../src/core/export/index.ts';
import { tideSummary } from '../../src/workers/eval-tide.ts';
import { evaluateProjectCoco } from '../../src/core/eval/project-to-coco.ts';
import { computeMetrics } from '../../src/core/metrics/run.ts';
import { kernelMetricsEnvironment } from '../../src/core/metrics/kernel-env.ts';
import { predictionMetricTable, projectMetricTables } from '../../src/core/metrics/columns.ts';
import { demoExpectations, importDemoRun, watchErrors } from './performance-helpers.ts';
import { EA_MINI, stubPickerWithFolder } from './app-helpers.ts';

const demo = await demoExpectations();
const { kernels, project, predictions, prepared } = demo;
const score = demo.score(0.5);
const input = activeMatchInput(project, prepared, score);
const coco = evaluateProjectCoco(kernels, project, predictions, {});
const tide = tideSummary(kernels, project, predictions);
const names = (spec: { columns: readonly { name: string }[] }) => spec.columns.map((c) => c.name);
/** A cell as the CSV writes it. */
const cell = (v: unknown) =>
  v === undefined || v === null || (typeof v === 'number' && !Number.isFinite(v)) ? '' : String(v);

async function downloaded(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [download] = (await Promise.all([page.waitForEvent('download'), click()])) as [Download, void];
  return { name: download.suggestedFilename(), bytes: await readFile((await download.path())!) };
}

async function pick(page: Page, menu: string, choice: string) {
  await page.getByTestId(menu).click();
  return downloaded(page, () => page.getByTestId(choice).click());
}

async function openModelQuality(page: Page, query = '') {
  await importDemoRun(page);
  await page.goto(`./#/demo/model-quality${query}`);
  await expect(page.getByTestId('map-value')).toHaveAttribute('data-value', String(score.mAP), { timeout: 60_000 });
}

test('Model quality: per-class, COCO and list downloads hold the engine’s numbers', async ({ page }) => {
  const errors = watchErrors(page);
  await openModelQuality(page);

  const perClass = await pick(page, 'download-per-class', 'download-per-class-csv');
  expect(perClass.name).toMatch(/^predlens-demo-demo-json-per-class-iou0\.50\.csv$/);
  const table = parseCsv(perClass.bytes.toString('utf8'));
  expect(table.columns).toEqual(names(TABLE_SPECS['per-class (active)']));
  const want = activeClassRows(score.perClass);
  expect(table.rows.length).toBe(want.length);
  table.rows.forEach((row, i) => {
    expect(row[0]).toBe(want[i].name);
    expect(row[table.columns.indexOf('AP')]).toBe(cell(want[i].AP));
    expect(row[table.columns.indexOf('fn')]).toBe(String(want[i].nFalseNegatives));
  });

  const json = JSON.parse((await pick(page, 'download-per-class', 'download-per-class-json')).bytes.toString('utf8'));
  expect(json.map((r: { AR: number | null }) => r.AR)).toEqual(want.map((c) => (Number.isFinite(c.AR) ? c.AR : null)));

  await page.getByTestId('tab-coco').click();
  await expect(page.getByTestId('coco-stats')).toBeVisible({ timeout: 60_000 });
  const stats = parseCsv((await pick(page, 'download-coco-stats', 'download-coco-stats-csv')).bytes.toString('utf8'));
  expect(stats.columns).toEqual(names(TABLE_SPECS['coco-stats']));
  expect(stats.rows.map((r) => Number(r[5]))).toEqual(coco.result.stats);
  expect(stats.rows.map((r) => r.slice(1, 5))).toEqual(
    cocoStatRows(coco.result).map((s) => [s.metric, s.iou, s.area, String(s.maxDets)]),
  );
  const cocoClasses = JSON.parse(
    (await pick(page, 'download-coco-per-class', 'download-coco-per-class-json')).bytes.toString('utf8'),
  );
  expect(cocoClasses).toEqual(
    cocoClassRows(coco).map((c) => ({
      categoryId: c.categoryId,
      class: c.name,
      AP: Number.isFinite(c.AP) ? c.AP : null,
      AP50: Number.isFinite(c.AP50) ? c.AP50 : null,
      AP75: Number.isFinite(c.AP75) ? c.AP75 : null,
      AR: Number.isFinite(c.AR) ? c.AR : null,
      groundTruth: c.groundTruth,
      detections: c.detections,
    })),
  );

  // The FP list: one row per false positive, with EA's reason, in the list's order (confidence, highest first).
  await page.getByTestId('tab-fp').click();
  const fpList = parseCsv((await pick(page, 'download-list', 'download-list-csv')).bytes.toString('utf8'));
  const fps = [...matchRows(input)].filter((r) => r.outcome === 'FP');
  expect(fpList.rows.length).toBe(fps.length);
  expect(fpList.rows.map((r) => r[fpList.columns.indexOf('reason')])).toEqual(fps.map((r) => r.reason));
  expect(fpList.rows.map((r) => r[fpList.columns.indexOf('predictionIndex')])).toEqual(
    fps.map((r) => String(r.predictionIndex)),
  );

  // Every match: tp + fp + fn rows, cell for cell the engine's, TIDE's types included once TIDE is in.
  await expect(page.getByTestId('dap-chart')).toBeVisible({ timeout: 60_000 });
  const all = parseCsv((await pick(page, 'export-run', 'export-matches-csv')).bytes.toString('utf8'));
  const rows = [...matchRows(input, {}, tideErrorTypes(tide, input))];
  expect(rows.some((r) => r.tideType === 'Dupe' || r.tideType === 'Bkg')).toBe(true);
  const tp = score.isTP.reduce((n, v) => n + v, 0);
  const fn = score.isFN.reduce((n, v, l) => n + (v & score.labelCounted[l]), 0);
  expect(all.rows.length).toBe(prepared.nPredictions + fn);
  expect(all.rows.filter((r) => r[all.columns.indexOf('outcome')] === 'TP').length).toBe(tp);
  const columns = TABLE_SPECS.matches.columns;
  expect(all.rows).toEqual(rows.map((r) => columns.map((c) => cell(c.value(r)))));
  expect(errors).toEqual([]);
});

test('Model quality: the run as COCO results and as a YOLO zip, the worst images as a COCO subset', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await openModelQuality(page);
  const imageDataUnits = JSON.parse(await readFile(`${process.cwd()}/public/demo/image_data_unit.json`, 'utf8'));

  const results = await pick(page, 'export-run', 'export-run-coco');
  expect(results.name).toBe('predlens-demo-demo-json-results.json');
  expect(JSON.parse(results.bytes.toString('utf8'))).toEqual(
    cocoResults(kernels, project, predictions, { imageDataUnits }).value,
  );

  const yolo = await pick(page, 'export-run', 'export-run-yolo');
  const files = unzipStore(new Uint8Array(yolo.bytes));
  const want = yoloFiles(kernels, project, predictions).value;
  expect(files.map((f) => f.path)).toEqual([...want.keys()]);
  for (const f of files) expect(new TextDecoder().decode(f.data as Uint8Array)).toBe(want.get(f.path));

  const subset = await pick(page, 'export-run', 'export-worst-coco');
  const worst = distinctImages(
    project,
    worstImages(imageRows(project, input), 100).map((r) => ({ unitIndex: r.unitIndex, frame: r.frame })),
  );
  expect(subset.name).toBe(`predlens-demo-demo-json-worst-${worst.length}-subset.json`);
  expect(JSON.parse(subset.bytes.toString('utf8'))).toEqual(
    cocoSubset(kernels, project, worst, { imageDataUnits }).dataset,
  );
  expect(errors).toEqual([]);
});

test('Performance by metric: the bins download is the engine’s bins of both charts', async ({ page }) => {
  const errors = watchErrors(page);
  await importDemoRun(page);
  await page.goto('./#/demo/performance?bins=10');
  await expect(page.getByTestId('download-bins')).toBeVisible({ timeout: 90_000 });
  const csv = parseCsv((await pick(page, 'download-bins', 'download-bins-csv')).bytes.toString('utf8'));
  expect(csv.columns).toEqual(names(TABLE_SPECS.bins));

  const iou = new Float64Array(predictions.length).fill(NaN);
  for (let p = 0; p < prepared.nPredictions; p++) iou[prepared.predSource[p]] = prepared.iou[p];
  const report = await computeMetrics(kernelMetricsEnvironment(kernels), project, predictions, { iou });
  const rows = performanceBinRows(
    {
      project,
      columns: { ...input, labelHash: [...input.labelHash] },
      classes: prepared.classes,
      isTP: score.isTP,
      isFN: score.isFN,
      labelCounted: score.labelCounted,
      projectMetrics: projectMetricTables(report),
      runMetrics: predictionMetricTable(
        report.objects.filter((o) => o.source === 'prediction'),
        prepared.predSource,
        prepared.confidence,
      ),
    },
    'P:object_area_-_relative',
    10,
  );
  expect(csv.rows).toEqual(rows.map((r) => TABLE_SPECS.bins.columns.map((c) => cell(c.value(r)))));
  expect(new Set(csv.rows.map((r) => r[0]))).toEqual(new Set(['TPR', 'FNR']));
  expect(errors).toEqual([]);
});

test('Explorer: the selection’s list and its images; Images: the counts', async ({ page }) => {
  const errors = watchErrors(page);
  await importDemoRun(page);
  await page.goto('./#/demo/explorer?tab=fp');
  const fp = prepared.nPredictions - score.isTP.reduce((n, v) => n + v, 0);
  await expect(page.getByTestId('explorer-range')).toHaveAttribute('data-count', String(fp), { timeout: 60_000 });

  const list = JSON.parse((await pick(page, 'explorer-export', 'explorer-list-json')).bytes.toString('utf8'));
  expect(list).toHaveLength(fp);
  expect(new Set(list.map((r: { outcome: string }) => r.outcome))).toEqual(new Set(['FP']));
  // Ordered as the cards: model confidence, ascending.
  const confidences = list.map((r: { confidence: number }) => r.confidence);
  expect(confidences).toEqual([...confidences].sort((a, b) => a - b));

  const paths = (await pick(page, 'explorer-export', 'explorer-subset-paths')).bytes.toString('utf8');
  const fpImages = new Set(list.map((r: { file: string }) => r.file));
  expect(paths.trim().split('\n').sort()).toEqual([...fpImages].sort());

  await page.goto('./#/demo/images');
  const images = parseCsv((await pick(page, 'download-images', 'download-images-csv')).bytes.toString('utf8'));
  expect(images.columns).toEqual(names(TABLE_SPECS.images));
  const want = imageRows(project);
  expect(images.rows.length).toBe(want.length);
  expect(images.rows.reduce((n, r) => n + Number(r[images.columns.indexOf('labels')]), 0)).toBe(
    want.reduce((n, r) => n + r.labels, 0),
  );
  expect(images.rows[0][images.columns.indexOf('tp')]).toBe('');

  // With the run chosen for triage, the counts are the engine's at IoU 0.50.
  await page.getByTestId('triage-run').selectOption({ index: 1 });
  await expect(page.getByTestId('triage-status')).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
  const scored = parseCsv((await pick(page, 'download-images', 'download-images-csv')).bytes.toString('utf8'));
  const counted = imageRows(project, input);
  for (const column of ['tp', 'fp', 'fn', 'f1'] as const) {
    expect(scored.rows.map((r) => r[scored.columns.indexOf(column)])).toEqual(
      counted.map((r) => cell(column === 'f1' ? (r.tp === undefined ? undefined : f1Of(r)) : r[column])),
    );
  }
  expect(errors).toEqual([]);
});

test('Label errors: the images of the likely label errors listed, as a path list', async ({ page }) => {
  const errors = watchErrors(page);
  await importDemoRun(page);
  await page.goto('./#/demo/label-errors?min=0.5');
  await expect(page.getByTestId('label-error').first()).toBeVisible({ timeout: 60_000 });
  const paths = (await pick(page, 'label-errors-export', 'label-errors-paths')).bytes.toString('utf8');
  const want = distinctImages(
    project,
    labelErrorImages(project, predictions, tide, 0.5).map((i) => i.image),
  ).map(
    (r) => project.dataUnits[r.unitIndex].images[r.frame] ?? Object.values(project.dataUnits[r.unitIndex].images)[0],
  );
  expect(paths.trim().split('\n')).toEqual(want);
  expect(errors).toEqual([]);
});

test('Copy link copies the view’s URL and says that no data travels in it', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openModelQuality(page);
  await page.getByTestId('tab-fp').click();
  await page.getByTestId('copy-link').click();
  await expect(page.getByTestId('copy-link-note')).toContainText('Link copied.');
  await expect(page.getByTestId('copy-link-note')).toContainText('not data');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(page.url());
  expect(copied).toContain('tab=fp');

  // A folder the user opened: the link opens the view only where that folder is opened.
  await stubPickerWithFolder(page, EA_MINI, 'ea-mini');
  await page.goto('./');
  await page.getByTestId('open-folder').click();
  await expect(page).toHaveURL(/#\/project\/overview$/);
  await page.getByTestId('copy-link').click();
  await expect(page.getByTestId('copy-link-note')).toContainText(
    'opens this view only where the same folder is opened in predlens',
  );
  await expect(page.getByTestId('copy-link-note')).toContainText('no data');
});
