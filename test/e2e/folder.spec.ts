// Opening a real project folder (the ea-mini fixture): through the directory picker (an OPFS copy behind a stub),
// through <input webkitdirectory>, and a folder that is not a project. Then the ontology panel and the labels
// drawn over the images, checked pixel by pixel.
import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import type { Ontology } from '../../src/core/model.ts';
import { EA_MINI, expectOverviewCounts, readExpected, stubPickerWithFolder } from './app-helpers.ts';

const ontologyFile = async (): Promise<Ontology> => JSON.parse(await readFile(`${EA_MINI}/ontology.json`, 'utf8'));

async function openThroughPicker(page: Page) {
  await stubPickerWithFolder(page, EA_MINI, 'ea-mini');
  await page.goto('./');
  await page.getByTestId('open-folder').click();
  await expect(page).toHaveURL(/#\/project\/overview$/);
}

test('a folder opens through the directory picker and is remembered across a reload', async ({ page }) => {
  const { project } = await readExpected(EA_MINI);
  await openThroughPicker(page);
  await expectOverviewCounts(page, project);
  await expect(page.getByTestId('project-title')).toHaveText(project.meta.project_title);

  await page.goto('./#/');
  await page.reload();
  const entry = page.getByTestId('recent-list').locator('[data-recent="handle"]');
  await expect(entry).toContainText(project.meta.project_title);
  await expect(entry).toContainText('ea-mini');
  // OPFS needs no permission prompt, so a click opens it again straight away.
  await entry.click();
  await expectOverviewCounts(page, project);

  // A deep link reloaded: the last folder reopens by itself while the browser still grants access.
  await page.goto('./#/project/images?page=1');
  await page.reload();
  await expect(page.getByTestId('image-grid').locator('[data-du]')).toHaveCount(project.dataUnits.length);
  await expect(page).toHaveURL(/#\/project\/images\?page=1$/);
});

test('a folder opens through <input webkitdirectory>', async ({ page }) => {
  const { project } = await readExpected(EA_MINI);
  await page.goto('./');
  await page.getByTestId('folder-input').setInputFiles(EA_MINI);
  await expect(page).toHaveURL(/#\/project\/overview$/);
  await expectOverviewCounts(page, project);
});

test('a folder without project_meta.yaml says which folder to choose instead', async ({ page }) => {
  await page.goto('./');
  await page.getByTestId('folder-input').setInputFiles(`${EA_MINI}/data`);
  const error = page.getByTestId('open-error');
  await expect(error).toContainText('not an Encord Active project');
  await expect(error).toContainText('“data” has no project_meta.yaml — choose the folder that contains it.');
  await expect(error.getByRole('button', { name: /Choose another folder/ })).toBeVisible();
});

test('the ontology panel shows every hash, copies one on click, and prints what EA prints', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const ontology = await ontologyFile();
  await openThroughPicker(page);
  await page.locator('[data-page="ontology"]').click();

  const rows = page.getByTestId('ontology-objects').locator('tbody tr[data-object]');
  await expect(rows).toHaveCount(ontology.objects.length);
  for (const [i, o] of ontology.objects.entries()) {
    const row = rows.nth(i);
    await expect(row).toContainText(o.name);
    await expect(row).toContainText(o.shape);
    await expect(row).toContainText(o.color);
    await expect(row.locator('[data-hash]')).toHaveAttribute('data-hash', o.featureNodeHash);
  }

  // encord-active print ontology: {"objects": {lower-case name: hash}, "classifications": {option value: hashes}}.
  const printed = JSON.parse(await page.getByTestId('ontology-json').innerText());
  expect(printed).toEqual({
    objects: Object.fromEntries(ontology.objects.map((o) => [o.name.toLowerCase(), o.featureNodeHash])),
    classifications: {},
  });

  const first = ontology.objects[0].featureNodeHash;
  const button = page.locator(`[data-hash="${first}"]`).first();
  await button.click();
  await expect(button).toContainText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(first);
  await expect(page.getByTestId('announcer')).toContainText('copied');

  await page.getByTestId('copy-json').click();
  await expect(page.getByTestId('copy-json')).toHaveText(/Copied/);
  expect(JSON.parse(await page.evaluate(() => navigator.clipboard.readText()))).toEqual(printed);
});
