// The Model pages share one prepared evaluation: going from Model quality to Performance by metric, the Explorer
// and back starts the evaluation worker (and Model quality's COCO worker) once, instead of once per page, and each
// page shows the run's numbers without matching the predictions again.
import { expect, test } from '@playwright/test';
import { importDemoRun, watchErrors } from './performance-helpers.ts';

test('Model quality, Performance, Explorer and back share one evaluation worker', async ({ page }) => {
  const errors = watchErrors(page);
  await importDemoRun(page, 'pkl');
  const evalWorkers: string[] = [];
  page.on('worker', (worker) => {
    // Workers start from blob: modules whose URL fragment names them (src/workers/spawn.ts).
    if (/#predlens-eval$/.test(worker.url())) evalWorkers.push(worker.url());
  });
  const open = (id: string) => page.locator(`nav a[data-page="${id}"]`).click();

  await page.goto('./#/demo/model-quality');
  await expect(page.getByTestId('model-quality')).toHaveAttribute('data-phase', 'ready');
  const mAP = await page.getByTestId('map-value').getAttribute('data-value');
  await expect(page.getByTestId('coco-ap-value')).toBeVisible();
  // One worker for the run, one for COCO.
  expect(evalWorkers).toHaveLength(2);

  await open('performance');
  await expect(page.getByTestId('tpr-chart')).toBeVisible({ timeout: 30_000 });
  await open('explorer');
  await expect(page.getByTestId('explorer-grid')).toBeVisible({ timeout: 30_000 });
  await open('model-quality');
  await expect(page.getByTestId('map-value')).toHaveAttribute('data-value', mAP!);

  expect(evalWorkers).toHaveLength(2);
  expect(errors).toEqual([]);
});
