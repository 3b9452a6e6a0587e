// Predictions imported through the page onto a COCO dataset are evaluated as the CLI evaluates them: the page's
// COCO AP (pycocotools' stats[0] on the dataset's own ground truth) and Encord Active's mAP equal `predlens eval`
// on the same folder, split and predictions, to the last bit.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { NodeTree } from '../../src/files/node-fs.ts';
import { openFolder } from '../../src/core/datasets/index.ts';
import { REPO_ROOT } from '../fixtures.ts';

const run = promisify(execFile);
const DATASETS = resolve(REPO_ROOT, 'test/fixtures/datasets');

/** The fixture's COCO results as predlens native records (keyed by data hash, boxes normalised). */
async function nativeFile(dir: string, split: string, results: string): Promise<string> {
  const { project } = await openFolder(new NodeTree(dir), { split });
  const units = new Map(project.dataUnits.map((u) => [u.imageId, u]));
  const classes = new Map(project.ontology.objects.map((o) => [o.categoryId, o.featureNodeHash]));
  const list: { image_id: number; category_id: number; bbox: number[]; score: number }[] = JSON.parse(
    await readFile(results, 'utf8'),
  );
  const predictions = list.map((r) => {
    const u = units.get(r.image_id)!;
    const x = Math.min(1, Math.max(0, r.bbox[0] / u.width));
    const y = Math.min(1, Math.max(0, r.bbox[1] / u.height));
    const w = Math.min(1 - x, r.bbox[2] / u.width);
    const h = Math.min(1 - y, r.bbox[3] / u.height);
    return {
      dataHash: u.dataHash,
      frame: 0,
      confidence: r.score,
      featureHash: classes.get(r.category_id),
      box: { x, y, w, h },
    };
  });
  const file = join(await mkdtemp(join(tmpdir(), 'predlens-e2e-')), 'predictions.json');
  await writeFile(file, JSON.stringify({ predictions }));
  return file;
}

async function cli(...args: string[]) {
  const { stdout } = await run('node', ['bin/predlens.js', ...args], { cwd: REPO_ROOT });
  return JSON.parse(stdout);
}

test('predictions imported through the page score on a COCO split as the CLI scores them', async ({ page }) => {
  test.setTimeout(120_000);
  const dir = resolve(DATASETS, 'coco-official');
  const file = await nativeFile(dir, 'val2017', resolve(DATASETS, 'predictions/coco-official-val2017.bbox.json'));
  const common = [dir, file, '--format', 'json', '--split', 'val2017', '--json'];
  const coco = await cli('eval', ...common, '--mode', 'coco', '--iou-type', 'bbox');
  const active = await cli('eval', ...common, '--mode', 'active');

  await page.goto('./');
  await page.getByTestId('folder-input').setInputFiles(dir);
  await page.getByTestId('split-select').selectOption('val2017');
  await expect(page).toHaveURL(/split=val2017/);
  await page.locator('[data-page="predictions"]').click();
  await page.getByTestId('import-open').click();
  await page.getByTestId('files-input').setInputFiles(file);
  await expect(page.getByTestId('import-review')).toBeVisible();
  await page.getByTestId('run-name-input').fill('detector');
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('import-done')).toBeVisible({ timeout: 30_000 });

  await page.locator('[data-page="model-quality"]').click();
  await expect(page).toHaveURL(/model-quality.*split=val2017/);
  // COCO data: the COCO tab is the one shown, COCO's AP the headline.
  await expect(page.getByTestId('tab-coco')).toHaveAttribute('aria-selected', 'true');
  const ap = page.getByTestId('coco-ap-value');
  await expect(ap).toHaveAttribute('data-value', String(coco.stats[0]), { timeout: 30_000 });
  await expect(page.getByTestId('map-value')).toHaveAttribute('data-value', String(active.mAP));
  expect(coco.predictions.imported).toBeGreaterThan(0);
});
