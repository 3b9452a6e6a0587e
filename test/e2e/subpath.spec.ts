// dist/ served by a plain static server under /app/v1/: the demo, its worker, wasm and images all load
// relative to the page, nothing fails, and no request leaves 127.0.0.1.
import { expect, test } from '@playwright/test';
import { DEMO, expectOverviewCounts, readExpected } from './app-helpers.ts';
import { SUBPATH_PORT } from '../ports.ts';

const ORIGIN = `http://127.0.0.1:${SUBPATH_PORT}`;

test('the app works from a sub-path of a static server', async ({ page }) => {
  const { project } = await readExpected(DEMO);
  const requests: string[] = [];
  const failures: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('requestfailed', (r) => failures.push(`${r.url()}: ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400) failures.push(`${r.url()}: HTTP ${r.status()}`);
  });
  page.on('pageerror', (e) => failures.push(`page error: ${e.message}`));

  await page.goto(`${ORIGIN}/app/v1/`);
  await page.getByTestId('open-demo').click();
  await expectOverviewCounts(page, project);
  await expect(page.locator('[data-testid^="pixels-"]').first()).toHaveText(/^[\d,]+$/);
  await page.locator('[data-page="images"]').click();
  await expect(page.getByTestId('image-grid').locator('canvas').first()).toHaveAttribute('data-drawn', 'labels');

  expect(failures).toEqual([]);
  const elsewhere = requests.filter(
    (url) => !url.startsWith(`${ORIGIN}/`) && !url.startsWith('blob:') && !url.startsWith('data:'),
  );
  expect(elsewhere).toEqual([]);
  expect(requests.some((url) => url.startsWith(`${ORIGIN}/app/v1/assets/`) && url.endsWith('.wasm'))).toBe(true);
  expect(requests.some((url) => url.startsWith(`${ORIGIN}/app/v1/demo/data/`))).toBe(true);
});
