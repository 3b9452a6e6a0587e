// Faults during an import never lose data, in the built app with real IndexedDB: a reload while a big import's
// files are read, and one while it is being saved, leave the earlier run intact and readable, never list the
// partial run, and tell the user on the Predictions page which import was lost (until dismissed); a storage quota
// too small for the save (the origin's quota lowered through the DevTools protocol, so IndexedDB itself refuses
// the write) fails that import with a message saying the storage is full and keeps the earlier run.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { DEMO, readExpected } from './app-helpers.ts';
import { importDemoRun, watchErrors } from './performance-helpers.ts';

const row = (page: Page, name: string) => page.locator(`[data-testid="run-row"][data-run-name="${name}"]`);

/** 800k native box records in 8 files: big enough that a reload or a full quota lands during the save. */
async function bigFiles(tag: string): Promise<{ dir: string; files: string[] }> {
  const { project } = await readExpected(DEMO);
  const car = project.ontology.objects.find((o) => o.shape === 'bounding_box')!.featureNodeHash;
  const units = project.dataUnits.filter((u) => u.dataType === 'image');
  const dir = join(tmpdir(), `predlens-faults-${tag}-${process.pid}`);
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  for (let f = 0; f < 8; f++) {
    const lines: string[] = [];
    for (let i = 0; i < 100_000; i++) {
      const du = units[(f * 100_000 + i) % units.length];
      lines.push(
        JSON.stringify({
          dataHash: du.dataHash,
          frame: du.sequence,
          confidence: (i % 997) / 997,
          featureHash: car,
          box: { x: 0.1 + (i % 7) / 100, y: 0.2, w: 0.3, h: 0.25 },
        }),
      );
    }
    const path = join(dir, `big-${f}.ndjson`);
    await writeFile(path, lines.join('\n') + '\n');
    files.push(path);
  }
  return { dir, files };
}

async function chooseBigFiles(page: Page, files: string[], name: string) {
  await page.getByTestId('files-input').setInputFiles(files);
  await expect(page.getByTestId('import-review')).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('run-name-input').fill(name);
}

/** After importDemoRun the import panel shows its report: "Import more" starts the next one. */
async function startBigImport(page: Page, files: string[], name: string) {
  await page.getByTestId('import-another').click();
  await chooseBigFiles(page, files, name);
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('import-progress')).toBeVisible();
}

/** The run each stored chunk belongs to (distinct). */
function chunkOwners(): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('predlens-runs');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const keys = db.transaction('chunks').objectStore('chunks').getAllKeys();
      keys.onsuccess = () => {
        resolve([...new Set((keys.result as [string, number][]).map(([run]) => run))]);
        db.close();
      };
      keys.onerror = () => reject(keys.error);
    };
  });
}

/** A listed run's id, from the link the runs table gives it. */
async function runId(page: Page, name: string): Promise<string> {
  await row(page, name).getByTestId('run-open').click();
  await expect(page).toHaveURL(/run=/);
  return new URL(page.url().replace('#/', '')).searchParams.get('run')!;
}

/** Run records in IndexedDB by status (complete, writing, interrupted), read with plain IndexedDB. */
function runStatuses(): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('predlens-runs');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const all = db.transaction('runs').objectStore('runs').getAll();
      all.onsuccess = () => {
        resolve((all.result as { status: string }[]).map((r) => r.status).sort());
        db.close();
      };
      all.onerror = () => reject(all.error);
    };
  });
}

/** Reloads the page from inside it the moment the import's stage line matches `pattern` (no polling gap). */
async function reloadWhenStage(page: Page, pattern: string) {
  await page.evaluate((source) => {
    const re = new RegExp(source);
    const observer = new MutationObserver(() => {
      if (re.test(document.querySelector('[data-testid="import-stage"]')?.textContent ?? '')) {
        observer.disconnect();
        location.reload();
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  }, pattern);
}

test('a reload while reading or saving keeps the earlier run, lists no partial run and says what was lost', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const errors = watchErrors(page);
  const { dir, files } = await bigFiles('reload');
  try {
    await importDemoRun(page);
    await expect(row(page, 'demo json')).toBeVisible();

    // 1. While its files are read.
    await page.getByTestId('import-another').click();
    await chooseBigFiles(page, files, 'reloaded while reading');
    await reloadWhenStage(page, 'Reading [1-9]');
    await page.getByTestId('import-start').click();
    const notices = page.getByTestId('interrupted-import');
    await expect(notices).toHaveCount(1, { timeout: 60_000 });
    await expect(notices.first()).toHaveAttribute('data-run-name', 'reloaded while reading');
    await expect(notices.first()).toContainText(
      /did not finish\.[\s\S]*while its files were being read\.\s+Nothing of it was kept/,
    );

    // 2. Once some of its 65,536-prediction chunks are in IndexedDB.
    await page.getByTestId('import-open').click();
    await chooseBigFiles(page, files, 'reloaded while saving');
    await reloadWhenStage(page, 'Saving [1-9]');
    await page.getByTestId('import-start').click();
    await expect(notices).toHaveCount(2, { timeout: 90_000 });
    const saving = page.locator('[data-testid="interrupted-import"][data-run-name="reloaded while saving"]');
    const text = await saving.innerText();
    const [, saved] = /after ([\d,]+) of 800,000 predictions were saved\.\s+Nothing of it was kept/.exec(text) ?? [];
    expect(Number(saved.replaceAll(',', ''))).toBeGreaterThanOrEqual(65_536);
    expect(Number(saved.replaceAll(',', ''))).toBeLessThan(800_000);

    // Neither is listed as a run; IndexedDB holds the complete run and the two notices, no chunk of theirs.
    await expect(page.getByTestId('run-row')).toHaveCount(1);
    await expect(row(page, 'demo json')).toBeVisible();
    expect(await page.evaluate(runStatuses)).toEqual(['complete', 'interrupted', 'interrupted']);
    expect(await page.evaluate(chunkOwners)).toEqual([await runId(page, 'demo json')]);

    // The earlier run is whole: it opens in Model quality and is scored.
    await page.goto('./#/demo/model-quality');
    await expect(page.getByTestId('map-value')).not.toHaveAttribute('data-value', '', { timeout: 60_000 });

    // Dismissed, the notices are gone for good; only the complete run is left in IndexedDB.
    await page.goto('./#/demo/predictions');
    await page.getByTestId('interrupted-dismiss').first().click();
    await page.getByTestId('interrupted-dismiss').first().click();
    await expect(page.getByTestId('interrupted-imports')).toHaveCount(0);
    await page.reload();
    await expect(row(page, 'demo json')).toBeVisible();
    await expect(page.getByTestId('interrupted-imports')).toHaveCount(0);
    expect(await page.evaluate(runStatuses)).toEqual(['complete']);
    expect(errors).toEqual([]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a storage quota too small for the save fails that import, says so, and keeps the earlier run', async ({
  page,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const errors = watchErrors(page);
  const { dir, files } = await bigFiles('quota');
  try {
    // This origin's quota lowered to 2 MB before anything is stored (Chromium checks each write against the room
    // left): the demo run (about 0.2 MB) fits, a 65,536-box chunk of the big import (about 3.5 MB) does not.
    const cdp = await page.context().newCDPSession(page);
    const origin = new URL(baseURL!).origin;
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 2 * 1024 * 1024 });
    await importDemoRun(page);

    await startBigImport(page, files, 'too big');
    const failed = page.getByTestId('import-error');
    await expect(failed).toBeVisible({ timeout: 90_000 });
    await expect(failed).toContainText(/the browser's storage for this site is full/);
    await expect(failed).toContainText(
      /run "too big" could not be stored \(QuotaExceededError after [\d,]+ of 800,000/,
    );
    await expect(failed).toContainText('earlier runs are unchanged');

    await cdp.send('Storage.overrideQuotaForOrigin', { origin });
    await page.reload();
    await expect(page.getByTestId('run-row')).toHaveCount(1);
    await expect(row(page, 'demo json')).toBeVisible();
    await expect(page.getByTestId('interrupted-imports')).toHaveCount(0);
    await expect.poll(() => page.evaluate(runStatuses)).toEqual(['complete']);
    await row(page, 'demo json').getByTestId('run-open').click();
    await expect(page.getByTestId('run-detail').getByTestId('report-imported')).not.toHaveText('0');
    expect(errors).toEqual([]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
