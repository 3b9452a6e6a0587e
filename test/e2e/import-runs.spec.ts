// The Predictions page on the demo: every demo prediction format imports through the UI and is listed with the
// count the Node importer gives for the same files; a cancelled import leaves nothing; runs can be renamed and
// deleted; runs survive a reload.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { SubTree } from '../../src/core/file-tree.ts';
import { readImageDataUnits } from '../../src/core/formats/coco-results.ts';
import { importPredictions } from '../../src/core/formats/index.ts';
import type { FormatId } from '../../src/core/model.ts';
import { NodeTree } from '../../src/files/node-fs.ts';
import { loadKernels } from '../../src/kernels/node.ts';
import { DEMO, readExpected } from './app-helpers.ts';

interface DemoSet {
  id: string;
  format: FormatId;
  label: string;
  path: string;
  predictions: number | null;
}

const sets: DemoSet[] = JSON.parse(await readFile(`${DEMO}/predictions/index.json`, 'utf8')).sets;

/** What the Node importer makes of a demo set: the number the page must list. */
async function nodeCount(set: DemoSet): Promise<number> {
  const { project } = await readExpected(DEMO);
  const tree = new SubTree(new NodeTree(DEMO), set.path);
  const imageDataUnits = await readImageDataUnits(new NodeTree(DEMO));
  const result = await importPredictions(await loadKernels(), project, tree, set.format, { imageDataUnits } as never);
  return result.predictions.length;
}

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

const row = (page: Page, name: string) => page.locator(`[data-testid="run-row"][data-run-name="${name}"]`);

async function importDemoSet(page: Page, set: DemoSet, name: string) {
  await page.getByTestId(`demo-set-${set.id}`).click();
  await expect(page.getByTestId('import-review')).toBeVisible();
  await expect(page.getByTestId('format-select')).toHaveValue(set.format);
  await page.getByTestId('run-name-input').fill(name);
  await expect(page.getByTestId('import-start')).toBeEnabled();
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('import-done')).toBeVisible({ timeout: 30_000 });
}

test('every demo prediction format imports through the UI, is listed with its count, and survives a reload', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  await page.goto('./#/demo/predictions');
  await expect(page.getByTestId('runs-empty')).toBeVisible();
  await page.getByTestId('import-open').click();
  expect(sets.length).toBeGreaterThanOrEqual(8);

  const expected = new Map<string, number>();
  for (const set of sets) {
    const count = await nodeCount(set);
    if (set.predictions !== null) expect(count).toBe(set.predictions);
    expected.set(`demo ${set.id}`, count);
    await importDemoSet(page, set, `demo ${set.id}`);
    await expect(page.getByTestId('report-imported')).toHaveText(count.toLocaleString('en-US'));
    await expect(page.getByTestId('report-rejected')).toHaveText('0');
    await expect(row(page, `demo ${set.id}`).getByTestId('run-count')).toHaveText(count.toLocaleString('en-US'));
    await page.getByTestId('import-another').click();
  }

  await page.reload();
  await expect(page.getByTestId('run-row')).toHaveCount(sets.length);
  for (const [name, count] of expected) {
    await expect(row(page, name).getByTestId('run-count')).toHaveText(count.toLocaleString('en-US'));
  }
  // Opening a run shows its stored report.
  await row(page, 'demo coco').getByTestId('run-open').click();
  await expect(page).toHaveURL(/run=/);
  await expect(page.getByTestId('run-detail').getByTestId('report-imported')).toHaveText(
    expected.get('demo coco')!.toLocaleString('en-US'),
  );
  expect(errors).toEqual([]);
});

test('a cancelled import leaves no run, even after a reload', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  const { project } = await readExpected(DEMO);
  const car = project.ontology.objects.find((o) => o.shape === 'bounding_box')!.featureNodeHash;
  const units = project.dataUnits.filter((u) => u.dataType === 'image');
  // Enough records that the import is still running when Cancel is clicked.
  const dir = join(tmpdir(), `predlens-cancel-${process.pid}`);
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  for (let f = 0; f < 8; f++) {
    const lines: string[] = [];
    for (let i = 0; i < 50_000; i++) {
      const du = units[(f * 50_000 + i) % units.length];
      lines.push(
        JSON.stringify({
          dataHash: du.dataHash,
          frame: du.sequence,
          confidence: (i % 997) / 997,
          featureHash: car,
          box: { x: 0.1, y: 0.2, w: 0.3, h: 0.25 },
        }),
      );
    }
    const path = join(dir, `big-${f}.ndjson`);
    await writeFile(path, lines.join('\n') + '\n');
    files.push(path);
  }
  try {
    await page.goto('./#/demo/predictions');
    await page.getByTestId('import-open').click();
    await page.getByTestId('files-input').setInputFiles(files);
    await expect(page.getByTestId('import-review')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('format-select')).toHaveValue('json');
    await page.getByTestId('import-start').click();
    await expect(page.getByTestId('import-progress')).toBeVisible();
    await page.getByTestId('import-cancel').click();
    await expect(page.getByTestId('import-review')).toBeVisible();
    await expect(page.getByTestId('runs-empty')).toBeVisible();

    // Whatever the terminated worker had written is swept: no record of the run is left in IndexedDB.
    await expect.poll(() => page.evaluate(runRecordCount), { timeout: 10_000 }).toBe(0);
    await page.reload();
    await expect(page.getByTestId('runs-empty')).toBeVisible();
    expect(errors).toEqual([]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

/** Records in the runs store (complete or not), read in the page with plain IndexedDB. */
function runRecordCount(): Promise<number> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('predlens-runs');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('runs')) return resolve(0);
      const count = db.transaction('runs').objectStore('runs').count();
      count.onsuccess = () => {
        resolve(count.result);
        db.close();
      };
      count.onerror = () => reject(count.error);
    };
  });
}

test('a run can be renamed and deleted, and both stick after a reload', async ({ page }) => {
  const errors = watchErrors(page);
  const json = sets.find((s) => s.id === 'json')!;
  const kitti = sets.find((s) => s.id === 'kitti')!;
  await page.goto('./#/demo/predictions');
  await page.getByTestId('import-open').click();
  await importDemoSet(page, json, 'first model');
  await page.getByTestId('import-another').click();
  await importDemoSet(page, kitti, 'second model');

  await row(page, 'first model').getByTestId('rename-run').click();
  await page.getByTestId('rename-input').fill('first model, fine-tuned');
  await page.getByTestId('rename-save').click();
  await expect(row(page, 'first model, fine-tuned')).toBeVisible();

  await row(page, 'second model').getByTestId('delete-run').click();
  await row(page, 'second model').getByTestId('delete-confirm').click();
  await expect(row(page, 'second model')).toHaveCount(0);

  await page.reload();
  await expect(page.getByTestId('run-row')).toHaveCount(1);
  await expect(row(page, 'first model, fine-tuned').getByTestId('run-count')).toHaveText(
    json.predictions!.toLocaleString('en-US'),
  );
  expect(errors).toEqual([]);
});

test('prediction files dropped on the page are imported (and do not replace the open project)', async ({ page }) => {
  const errors = watchErrors(page);
  const coco = sets.find((s) => s.id === 'coco')!;
  const text = await readFile(`${DEMO}/${coco.path}/results.json`, 'utf8');
  await page.goto('./#/demo/predictions');
  await page.getByTestId('import-open').click();
  await page.evaluate((json) => {
    const data = new DataTransfer();
    data.items.add(new File([json], 'results.json', { type: 'application/json' }));
    const zone = document.querySelector('[data-testid="import-dropzone"]')!;
    for (const type of ['dragenter', 'dragover', 'drop']) {
      zone.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
    }
  }, text);
  await expect(page.getByTestId('import-review')).toBeVisible();
  await expect(page.getByTestId('format-select')).toHaveValue('coco');
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('import-done')).toBeVisible();
  await expect(page.getByTestId('report-imported')).toHaveText(coco.predictions!.toLocaleString('en-US'));
  await expect(page).toHaveURL(/#\/demo\/predictions/);
  expect(errors).toEqual([]);
});
