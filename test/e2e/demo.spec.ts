// The built-in demo: one click from the start screen, the overview's numbers as the Node reader counts them,
// labelled pixels as EA's rasteriser counts them, the image browser, the video's frames, and the keyboard.
import { expect, test } from '@playwright/test';
import { loadKernels } from '../../src/kernels/node.ts';
import { countPolygonPixels } from '../../src/kernels/raster.ts';
import { DEMO, expectOverviewCounts, readExpected } from './app-helpers.ts';

test('the demo opens in one click and the overview shows what the Node reader counts', async ({ page }) => {
  const { project } = await readExpected(DEMO);
  await page.goto('./');
  await page.getByTestId('open-demo').click();
  await expect(page).toHaveURL(/#\/demo\/overview$/);
  await expectOverviewCounts(page, project);

  // Labelled pixels per class: every box and polygon rasterised on its own by the EA kernel, in Node.
  const kernels = await loadKernels();
  const expected = new Map<string, number>();
  for (const unit of project.dataUnits) {
    for (const frame of unit.frames) {
      for (const o of frame.objects) {
        const g = o.geometry;
        if (g.kind !== 'box' && g.kind !== 'polygon') continue;
        const shape =
          g.kind === 'box' ? { kind: 'box' as const, box: g.box } : { kind: 'polygon' as const, points: g.points };
        const [n] = countPolygonPixels(kernels, [shape], unit.width, unit.height);
        expected.set(o.featureHash, (expected.get(o.featureHash) ?? 0) + n);
      }
    }
  }
  expect(
    project.dataUnits.some((u) => u.frames.some((f) => f.objects.some((o) => o.geometry.kind === 'rotatable_box'))),
  ).toBe(false);
  for (const [hash, pixels] of expected) {
    await expect(page.getByTestId(`pixels-${hash}`)).toHaveText(pixels.toLocaleString('en-US'));
  }

  // Classification answers per option.
  const answers = new Map<string, number>();
  for (const unit of project.dataUnits) {
    for (const frame of unit.frames) {
      for (const c of frame.classifications)
        for (const a of c.answers)
          for (const o of a.options) answers.set(o.featureHash, (answers.get(o.featureHash) ?? 0) + 1);
    }
  }
  expect(answers.size).toBeGreaterThan(0);
  for (const [hash, n] of answers) await expect(page.getByTestId(`answers-${hash}`)).toHaveText(String(n));
  await expect(page.getByTestId('no-problems')).toBeVisible();
});

test('#/demo opens the demo directly (what npm start opens), and a reload keeps the recent list', async ({ page }) => {
  const { summary } = await readExpected(DEMO);
  await page.goto('./#/demo');
  await expect(page).toHaveURL(/#\/demo\/overview$/);
  await expect(page.getByTestId('overview-title')).toHaveText(summary.title);
  await page.goto('./#/');
  await page.reload();
  const recent = page.getByTestId('recent-list');
  await expect(recent.locator('[data-recent="demo"]')).toContainText(summary.title);
  // The recent entry opens it again.
  await recent.locator('[data-recent="demo"]').click();
  await expect(page.getByTestId('overview-title')).toHaveText(summary.title);
});

test('the image browser pages through the demo and steps through the video frames', async ({ page }) => {
  const { project } = await readExpected(DEMO);
  await page.goto('./#/demo/images');
  const cards = page.getByTestId('image-grid').locator('[data-du]');
  await expect(cards).toHaveCount(Math.min(48, project.dataUnits.length));
  await expect(page.getByTestId('image-range')).toContainText(`of ${project.dataUnits.length} data units`);
  // Visible cards draw their image with labels.
  await expect(cards.first().locator('canvas')).toHaveAttribute('data-drawn', 'labels');

  // Arrow keys move between cards; Enter opens the focused one.
  await cards.first().focus();
  await page.keyboard.press('ArrowRight');
  await expect(cards.nth(1)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('image-detail')).toHaveAttribute('data-du', project.dataUnits[1].dataHash);
  await page.keyboard.press('Escape');
  await expect(cards.nth(1)).toBeFocused();

  const video = project.dataUnits.find((u) => u.dataType === 'video')!;
  expect(video.frameNumbers.length).toBeGreaterThan(1);
  await page.locator(`[data-du="${video.dataHash}"]`).click();
  const detail = page.getByTestId('image-detail');
  await expect(detail).toHaveAttribute('data-frame', String(video.frameNumbers[0]));
  await expect(page.getByTestId('frame-selector')).toBeVisible();
  await page.keyboard.press('Shift+ArrowRight');
  await expect(detail).toHaveAttribute('data-frame', String(video.frameNumbers[1]));
  await expect(page).toHaveURL(new RegExp(`du=${video.dataHash}&frame=${video.frameNumbers[1]}`));
  await expect(detail.locator('canvas')).toHaveAttribute('data-drawn', 'labels');

  // Arrows move between data units; Escape returns to the grid.
  const index = project.dataUnits.indexOf(video);
  await page.keyboard.press('ArrowLeft');
  await expect(detail).toHaveAttribute('data-du', project.dataUnits[index - 1].dataHash);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('image-grid')).toBeVisible();
});

test('Tab reaches the main buttons of the start screen and of the project pages', async ({ page }) => {
  await page.goto('./');
  const reached = new Set<string>();
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press('Tab');
    reached.add(
      await page.evaluate(
        () => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.textContent?.trim() ?? '',
      ),
    );
  }
  expect(reached).toContain('open-demo');
  expect(reached).toContain('open-folder');

  await page.getByTestId('open-demo').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('overview-title')).toBeVisible();
  const pages = new Set<string>();
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    pages.add(await page.evaluate(() => document.activeElement?.getAttribute('data-page') ?? ''));
  }
  for (const id of ['overview', 'ontology', 'images']) expect(pages).toContain(id);
  // Number keys jump between pages.
  await page.keyboard.press('3');
  await expect(page).toHaveURL(/#\/demo\/images/);
});

test('reading shows progress and can be cancelled, and the demo opens again afterwards', async ({ page }) => {
  const { summary } = await readExpected(DEMO);
  // Hold every label row back so the loading view stays up.
  await page.route('**/demo/data/**/label_row.json', async (route) => {
    await new Promise((r) => setTimeout(r, 400));
    await route.continue().catch(() => undefined);
  });
  await page.goto('./');
  await page.getByTestId('open-demo').click();
  const loading = page.getByTestId('loading');
  await expect(loading).toContainText(`of ${summary.labelRows}`);
  await expect(loading.getByRole('progressbar')).toHaveAttribute('aria-valuemax', String(summary.labelRows));
  await loading.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('open-demo')).toBeVisible();
  await expect(page).toHaveURL(/#\/$/);

  await page.unrouteAll({ behavior: 'ignoreErrors' });
  await page.getByTestId('open-demo').click();
  await expect(page.getByTestId('overview-title')).toHaveText(summary.title);
});
