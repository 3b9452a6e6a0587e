// Issue 11 on the demo, end to end in Chromium (the demo's JSON predictions imported through the Import page;
// expectations computed here in Node with the engine the CLI uses, whose TIDE equals tidecv): the failure summary's
// dAP bars carry TIDE's numbers and a click lands on the Explorer's items of that type; the class x type table
// links to its items; the Images page lists the worst images first by the engine's per-image counts and draws the
// run's predictions with a legend; the confusion matrix explains its background row and column; the label-errors
// gallery lists what the engine finds; "Why does my mAP differ?" shows each definition.
import { expect, test, type Page } from '@playwright/test';
import { apDefinitions } from '../../src/core/eval/definitions/index.ts';
import { activePerImage } from '../../src/core/eval/per-image.ts';
import { evaluateProjectCoco } from '../../src/core/eval/project-to-coco.ts';
import { likelyLabelErrors } from '../../src/core/eval/tide/label-errors.ts';
import { errorCode, MAIN_ERRORS } from '../../src/core/eval/tide/index.ts';
import { tideOfProject } from '../../src/core/eval/tide/project.ts';
import { unitOutcomes, worstFirstUnits } from '../../src/ui/images/triage.svelte.ts';
import { demoExpectations, importDemoRun, watchErrors } from './performance-helpers.ts';

const demo = await demoExpectations();
const { kernels, project, predictions, prepared } = demo;
const { result: tide, coco } = tideOfProject(kernels, project, predictions);
/** TIDE's type code of each pidx. */
const typeOfPidx = Int32Array.from(prepared.predSource, (source) => {
  const r = coco.origin.results.indexOf(source);
  return r < 0 ? -1 : tide.detections.error[r];
});

async function openModelQuality(page: Page) {
  await importDemoRun(page);
  await page.goto('./#/demo/model-quality');
  await expect(page.getByTestId('dap-chart')).toBeVisible({ timeout: 60_000 });
}

test('the What costs AP chart shows TIDE dAPs; a bar opens the Explorer on exactly that type', async ({ page }) => {
  const errors = watchErrors(page);
  await openModelQuality(page);
  const bars = page.getByTestId('dap-bar');
  await expect(bars).toHaveCount(6);
  for (const [i, t] of MAIN_ERRORS.entries()) {
    await expect(bars.nth(i)).toHaveAttribute('data-type', t);
    expect(Number(await bars.nth(i).getAttribute('data-value'))).toBe(tide.main[t]);
  }
  // The three costliest errors in words, each a link; and the way to the worst images and the label errors.
  await expect(page.getByTestId('worst-error').first()).toBeVisible();
  await expect(page.getByTestId('worst-images-link')).toHaveAttribute('href', /images\?run=.*sort=worst/);
  await expect(page.getByTestId('label-errors-link')).toHaveAttribute('href', /label-errors\?run=/);

  // The demo's model mostly confuses classes: the Cls bar lists every Cls error.
  expect(tide.counts.Cls).toBeGreaterThan(0);
  await page.locator('[data-testid="dap-bar"][data-type="Cls"]').click();
  await expect(page).toHaveURL(/#\/demo\/explorer\?.*error=Cls/);
  await expect(page.getByTestId('explorer-error-filter')).toHaveAttribute('data-type', 'Cls');
  await expect(page.getByTestId('explorer-error-count')).toHaveText(String(tide.counts.Cls), { timeout: 60_000 });
  await expect(page.getByTestId('explorer-range')).toHaveAttribute('data-count', String(tide.counts.Cls), {
    timeout: 60_000,
  });
  const expected = [...typeOfPidx.keys()].filter((p) => typeOfPidx[p] === errorCode('Cls'));
  const shown = await page
    .getByTestId('explorer-grid')
    .locator('[data-index]')
    .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-index'))));
  expect(shown.length).toBe(Math.min(20, expected.length));
  for (const p of shown) expect(expected).toContain(p);
  // Every card says its TIDE type beside Encord Active's reason, and the grid has its legend.
  await expect(page.getByTestId('card-tide-type').first()).toHaveText('TIDE: Cls');
  await expect(page.getByTestId('overlay-legend').first()).toBeVisible();
  expect(errors).toEqual([]);
});

test('the class x error-type table links each count to its items; FP rows name their TIDE type', async ({ page }) => {
  await openModelQuality(page);
  const cell = page.getByTestId('error-cell').first();
  const type = (await cell.getAttribute('data-type'))!;
  const className = (await cell.getAttribute('data-class'))!;
  const n = Number(await cell.innerText());
  const c = tide.classes.find((k) => k.name === className)!;
  expect(n).toBe(c.counts[type as (typeof MAIN_ERRORS)[number]]);
  await cell.click();
  await expect(page.getByTestId('explorer-error-count')).toHaveText(String(n), { timeout: 60_000 });

  // The false-positive list of Model quality: each row's TIDE type is the engine's.
  await page.goto('./#/demo/model-quality?tab=fp');
  const row = page.getByTestId('result-row').first();
  await expect(row.getByTestId('row-tide-type')).toBeVisible({ timeout: 60_000 });
  const pidx = Number(await row.getAttribute('data-index'));
  const code = typeOfPidx[pidx];
  await expect(row.getByTestId('row-tide-type')).toContainText(code > 0 ? MAIN_ERRORS[code - 1] : 'TP');
  await row.click();
  await expect(page.getByTestId('overlay-legend')).toBeVisible();
});

test("the confusion matrix explains its background row and column; the definitions are pycocotools' and the tools'", async ({
  page,
}) => {
  await openModelQuality(page);
  await page.getByTestId('tab-confusion').click();
  const help = page.getByTestId('confusion-background-help');
  await expect(help).toContainText('Background row');
  await expect(help).toContainText('Background column');

  const ev = evaluateProjectCoco(kernels, project, predictions);
  const defs = apDefinitions(ev.result);
  await page.getByTestId('definitions').locator('summary').click();
  for (const d of defs) {
    const row = page.locator(`[data-testid="definition-row"][data-id="${d.id}"]`);
    await expect(row).toHaveAttribute('data-value', String(d.value), { timeout: 60_000 });
  }
  await expect(page.locator('[data-testid="definition-row"][data-id="active"]')).toHaveAttribute(
    'data-value',
    String(demo.score(0.5).mAP),
  );
});

test("the Images page lists the worst images first by the engine's per-image counts and draws the run", async ({
  page,
}) => {
  const errors = watchErrors(page);
  await importDemoRun(page);
  await page.goto('./#/demo/images');
  const run = page.getByTestId('triage-run');
  await expect(run).toBeVisible({ timeout: 30_000 });
  await run.selectOption({ index: 1 });
  await expect(page.getByTestId('triage-status')).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
  await page.getByTestId('triage-sort').selectOption('worst');

  const outcomes = unitOutcomes(activePerImage(project, prepared, demo.score(0.5)));
  const index = new Map(project.dataUnits.map((u, i) => [u.dataHash, i]));
  const worst = worstFirstUnits(project.dataUnits, (u) => outcomes.get(index.get(u.dataHash)!));
  const cards = page.getByTestId('image-grid').locator('[data-du]');
  await expect(cards.first()).toHaveAttribute('data-du', worst[0].dataHash);
  const order = await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-du')));
  expect(order).toEqual(worst.slice(0, order.length).map((u) => u.dataHash));
  // The counts on the first card are the engine's.
  const o = outcomes.get(index.get(worst[0].dataHash)!)!;
  const badge = cards.first().getByTestId('image-outcome');
  await expect(badge).toHaveAttribute('data-tp', String(o.tp));
  await expect(badge).toHaveAttribute('data-fp', String(o.fp));
  await expect(badge).toHaveAttribute('data-fn', String(o.fn));

  // Only images with missed labels.
  await page.getByTestId('triage-outcome').selectOption('fn');
  const withMissed = project.dataUnits.filter((u) => (outcomes.get(index.get(u.dataHash)!)?.fn ?? 0) > 0).length;
  await expect(page.getByTestId('image-range')).toContainText(`of ${withMissed} data units`);

  // The run's predictions on the grid and the detail, with the legend.
  await page.getByTestId('triage-predictions').check();
  await expect(page.getByTestId('overlay-legend')).toBeVisible();
  await expect(cards.first().locator('canvas')).toHaveAttribute('data-drawn', 'predictions', { timeout: 30_000 });
  await cards.first().click();
  await expect(page.getByTestId('image-detail').locator('canvas')).toHaveAttribute('data-drawn', 'predictions', {
    timeout: 30_000,
  });
  await expect(page.getByTestId('detail-outcome')).toBeVisible();
  await expect(page.getByTestId('image-detail').getByTestId('overlay-legend')).toBeVisible();
  expect(errors).toEqual([]);
});

test('the label-errors gallery lists what the engine finds, most confident first, each with its reason', async ({
  page,
}) => {
  await importDemoRun(page);
  const confidence = new Float64Array(predictions.length);
  predictions.forEach((p, i) => (confidence[i] = p.confidence));
  const perDet = (a: ArrayLike<number>) => {
    const out = new Float64Array(predictions.length).fill(0);
    coco.origin.results.forEach((source, r) => (out[source] = a[r]));
    return out;
  };
  const outcome = new Float64Array(predictions.length).fill(255);
  coco.origin.results.forEach((source, r) => (outcome[source] = tide.detections.outcome[r]));
  const otherLabel = new Float64Array(predictions.length).fill(-1);
  coco.origin.results.forEach((source, r) => (otherLabel[source] = tide.detections.otherLabel[r]));
  const g = tide.groundTruth;
  const expected = likelyLabelErrors(
    {
      outcome,
      error: perDet(tide.detections.error),
      confidence,
      bestIou: perDet(tide.detections.bestIou),
      otherIou: perDet(tide.detections.otherIou),
      otherLabel,
      className: () => '',
      labelFalseNegative: g.falseNegative,
      labelBestIou: g.bestIou,
      labelBestSameIou: g.bestSameClassIou,
      labelOverlapBy: Int32Array.from(g.overlapBy, (r) => (r < 0 ? -1 : coco.origin.results[r])),
      labelClassName: () => '',
    },
    0.5,
  );
  await page.goto('./#/demo/label-errors');
  await expect(page.getByTestId('label-error-count')).toHaveAttribute('data-count', String(expected.length), {
    timeout: 60_000,
  });
  const items = page.getByTestId('label-error');
  const kinds = await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
  expect(kinds).toEqual(expected.slice(0, kinds.length).map((i) => i.kind));
  await expect(items.first().getByTestId('label-error-reason')).toContainText('possibly a');
});
