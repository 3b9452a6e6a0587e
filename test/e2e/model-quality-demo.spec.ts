// The Model quality page on the demo, end to end: the demo's .pkl predictions imported through the Import page,
// then the numbers the page shows compared with the engine's, computed here in Node from the same files
// (readProject + importPredictions + prepareActive / scoreActive, and the COCO evaluation); the slider and the
// toggle move them to the engine's values at the new settings; the COCO table is there; a false positive opens
// on its image with the prediction drawn in red; a copied link shows the same view.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { SubTree } from '../../src/core/file-tree.ts';
import { prepareActive, reasonText, scoreActive } from '../../src/core/eval/active/index.ts';
import { evaluateProjectCoco } from '../../src/core/eval/project-to-coco.ts';
import { importPredictions } from '../../src/core/formats/index.ts';
import { NodeTree } from '../../src/files/node-fs.ts';
import { loadKernels } from '../../src/kernels/node.ts';
import { canvasPixel, DEMO, hexToRgb, readExpected } from './app-helpers.ts';

const kernels = await loadKernels();
const { project } = await readExpected(DEMO);
const pklSet = (
  JSON.parse(await readFile(`${DEMO}/predictions/index.json`, 'utf8')).sets as { id: string; path: string }[]
).find((s) => s.id === 'pkl')!;
const imported = await importPredictions(kernels, project, new SubTree(new NodeTree(DEMO), pklSet.path), 'pkl');
const prepared = prepareActive(kernels, project, imported.predictions);
const engine = (iouThreshold: number, ignoreFramesWithoutPredictions = false) =>
  scoreActive(prepared, { iouThreshold, ignoreFramesWithoutPredictions });

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

async function importDemoPkl(page: Page) {
  await page.goto('./#/demo/predictions');
  await page.getByTestId('import-open').click();
  await page.getByTestId('demo-set-pkl').click();
  await expect(page.getByTestId('import-review')).toBeVisible();
  await page.getByTestId('run-name-input').fill('demo pkl');
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('import-done')).toBeVisible({ timeout: 30_000 });
}

/** The number behind a big number (full precision), once the page shows the one for `iou`. */
async function shown(page: Page, testid: string): Promise<number> {
  const text = await page.getByTestId(testid).getAttribute('data-value');
  return Number(text);
}

async function expectNumbers(page: Page, iou: number, ignore = false) {
  const want = engine(iou, ignore);
  await expect(page.getByTestId('metric-map')).toContainText(`IoU ${iou.toFixed(2)}`);
  await expect(page.getByTestId('map-value')).toHaveAttribute('data-value', String(want.mAP));
  await expect(page.getByTestId('mar-value')).toHaveAttribute('data-value', String(want.mAR));
  await expect(page.getByTestId('map-value')).toHaveText(want.mAP.toFixed(3));
  await expect(page.getByTestId('mar-value')).toHaveText(want.mAR.toFixed(3));
  const tp = want.isTP.reduce((a, b) => a + b, 0);
  await expect(page.getByTestId('count-tp')).toHaveText(String(tp));
  await expect(page.getByTestId('count-fp')).toHaveText(String(want.isTP.length - tp));
  return want;
}

test('no runs yet: the page says so and leads to the Import page', async ({ page }) => {
  await page.goto('./#/demo/model-quality');
  await expect(page.getByTestId('model-quality')).toHaveAttribute('data-phase', 'no-runs');
  await page.getByTestId('go-import').click();
  await expect(page).toHaveURL(/#\/demo\/predictions/);
});

test('a run whose data hashes are not in the project: the page explains instead of scoring nothing', async ({
  page,
}) => {
  const dir = await mkdtemp(join(tmpdir(), 'predlens-mq-'));
  try {
    const file = join(dir, 'elsewhere.json');
    const alien = '00000000-1111-2222-3333-444444444444';
    await writeFile(
      file,
      JSON.stringify({
        predictions: [
          {
            dataHash: alien,
            frame: 0,
            confidence: 0.9,
            featureHash: project.ontology.objects[0].featureNodeHash,
            box: { x: 0.1, y: 0.1, w: 0.2, h: 0.2 },
          },
        ],
      }),
    );
    await page.goto('./#/demo/predictions');
    await page.getByTestId('import-open').click();
    await page.getByTestId('files-input').setInputFiles(file);
    await page.getByTestId('run-name-input').fill('made for another project');
    await page.getByTestId('import-start').click();
    await expect(page.getByTestId('import-done')).toBeVisible({ timeout: 30_000 });
    await page.goto('./#/demo/model-quality');
    await expect(page.getByRole('heading', { name: 'None of these predictions belong to this project' })).toBeVisible({
      timeout: 30_000,
    });
    await expect(page.getByTestId('empty-run')).toContainText(`data hash ${alien} is not a data unit`);
    await expect(page.getByTestId('iou-slider')).toBeHidden();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("the demo run: EA numbers equal the engine's, follow the slider and the toggle; COCO beside them; an FP on its image in red", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  expect(imported.report.rejected).toEqual([]);
  await importDemoPkl(page);

  await page.goto('./#/demo/model-quality');
  await expect(page.getByTestId('model-quality')).toHaveAttribute('data-phase', 'ready', { timeout: 30_000 });
  await expect(page).toHaveURL(/[?&]run=/);
  const at50 = await expectNumbers(page, 0.5);
  expect(await shown(page, 'map-value')).toBe(at50.mAP);

  // The slider: a new threshold, the engine's numbers at it, and the threshold in the link.
  await page.getByTestId('iou-slider').fill('0.75');
  await expect(page.getByTestId('iou-value')).toHaveText('0.75');
  const at75 = await expectNumbers(page, 0.75);
  expect(at75.mAP).not.toBe(at50.mAP);
  await expect(page).toHaveURL(/[?&]iou=0\.75/);

  await page.getByTestId('ignore-frames').check();
  await expectNumbers(page, 0.75, true);
  await expect(page).toHaveURL(/[?&]frames=1/);
  await page.getByTestId('ignore-frames').uncheck();
  await expectNumbers(page, 0.75);

  // COCO, from pycocotools' rules in the second worker: its AP next to EA's, and the 12-line table.
  const coco = evaluateProjectCoco(kernels, project, imported.predictions);
  await expect(page.getByTestId('coco-ap-value')).toHaveAttribute('data-value', String(coco.mAP), { timeout: 30_000 });
  await page.getByTestId('tab-coco').click();
  const rows = page.getByTestId('coco-stats').locator('tr');
  await expect(rows).toHaveCount(12);
  // pycocotools pads the printout; the page keeps its padding, so compare with whitespace collapsed.
  const first = (await rows.nth(0).innerText()).replace(/\s+/g, ' ');
  expect(first).toContain('Average Precision (AP) @[ IoU=0.50:0.95 | area= all | maxDets=100 ]');
  expect((await rows.nth(6).innerText()).replace(/\s+/g, ' ')).toContain(
    'Average Recall (AR) @[ IoU=0.50:0.95 | area= all | maxDets= 1 ]',
  );
  for (let i = 0; i < 12; i++) {
    await expect(rows.nth(i).locator('.value')).toHaveAttribute('data-value', String(coco.result.stats[i]));
  }

  // False positives at 0.75: the most confident one opens on its image, drawn in EA's FP red.
  await page.getByTestId('tab-fp').click();
  const fpFirst = [...at75.isTP.keys()].find((p) => at75.isTP[p] === 0)!;
  const firstRow = page.getByTestId('result-row').first();
  await expect(firstRow).toHaveAttribute('data-index', String(fpFirst));
  const className = prepared.classes[prepared.predClass[fpFirst]].name;
  await expect(firstRow).toContainText(reasonText(at75.fpReason[fpFirst], className));
  await firstRow.click();
  const canvas = page.getByTestId('overlay-canvas');
  await expect(canvas).toHaveAttribute('data-drawn', 'overlay', { timeout: 15_000 });
  await expect(page.getByTestId('overlay-reason')).toHaveText(reasonText(at75.fpReason[fpFirst], className));
  const [x1, y1, , y2] = (await canvas.getAttribute('data-focus-box'))!.split(',').map(Number);
  const size = await canvas.evaluate((c: HTMLCanvasElement) => [c.width, c.height]);
  // The middle of the box's left edge: the prediction's outline, drawn last, in #FD0A5A.
  const [r, g, b, a] = await canvasPixel(
    page,
    '[data-testid="overlay-canvas"]',
    (x1 + 0.5) / size[0],
    (y1 + y2) / 2 / size[1],
  );
  expect([r, g, b, a]).toEqual([...hexToRgb('#FD0A5A'), 255]);

  // The link reproduces the view: same run, threshold, tab and open row.
  const link = page.url();
  await page.goto('about:blank');
  await page.goto(link);
  await expect(page.getByTestId('overlay-canvas')).toHaveAttribute('data-drawn', 'overlay', { timeout: 30_000 });
  await expectNumbers(page, 0.75);
  expect(errors).toEqual([]);
});
