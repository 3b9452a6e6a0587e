// Shared by the Performance-by-metric and Explorer end-to-end tests: the demo's JSON predictions imported through
// the Import page, and what the pages must show, computed here in Node from the same files with the engine the
// CLI uses (importPredictions, prepareActive / scoreActive, computeMetrics), joined by hand: each label by
// (data hash, frame, objectHash), each prediction by its input index.
import { readFile } from 'node:fs/promises';
import { expect, type Page } from '@playwright/test';
import { SubTree } from '../../src/core/file-tree.ts';
import { prepareActive, scoreActive } from '../../src/core/eval/active/index.ts';
import { importPredictions } from '../../src/core/formats/index.ts';
import { decodeImageRgba } from '../../src/core/image-decode.ts';
import { computeMetrics } from '../../src/core/metrics/run.ts';
import { kernelMetricsEnvironment } from '../../src/core/metrics/kernel-env.ts';
import { NodeTree } from '../../src/files/node-fs.ts';
import { loadKernels } from '../../src/kernels/node.ts';
import { DEMO, readExpected } from './app-helpers.ts';

export async function demoExpectations() {
  const kernels = await loadKernels();
  const { project } = await readExpected(DEMO);
  const sets = JSON.parse(await readFile(`${DEMO}/predictions/index.json`, 'utf8')).sets as {
    id: string;
    path: string;
  }[];
  const jsonSet = sets.find((s) => s.id === 'json')!;
  const { predictions } = await importPredictions(
    kernels,
    project,
    new SubTree(new NodeTree(DEMO), jsonSet.path),
    'json',
  );
  const prepared = prepareActive(kernels, project, predictions);
  const score = (iouThreshold = 0.5, ignoreFramesWithoutPredictions = false) =>
    scoreActive(prepared, { iouThreshold, ignoreFramesWithoutPredictions });
  const tree = new NodeTree(DEMO);
  const iou = new Float64Array(predictions.length).fill(NaN);
  for (let pidx = 0; pidx < prepared.nPredictions; pidx++) iou[prepared.predSource[pidx]] = prepared.iou[pidx];
  const env = kernelMetricsEnvironment(kernels, {
    loadImage: async (path) => decodeImageRgba(await tree.readBytes(path), path),
  });
  const report = await computeMetrics(env, project, predictions, { iou });

  const labelRows = new Map<string, Record<string, number>>();
  for (const o of report.objects)
    if (o.source === 'label') labelRows.set(`${o.dataHash}|${o.frame}|${o.objectHash}`, o.metrics);
  const predictionRows = new Map<number, Record<string, number>>();
  // A prediction's (P) frame metrics (object_count, ...) are its frame's, on the image rows.
  const predictionFrames = new Map(report.images.map((r) => [`${r.dataHash}|${r.frame}`, r.predictionMetrics]));
  for (const o of report.objects)
    if (o.source === 'prediction')
      predictionRows.set(o.index!, { ...predictionFrames.get(`${o.dataHash}|${o.frame}`), ...o.metrics });

  /** A label metric by lidx. */
  const labelMetric = (key: string) =>
    Float64Array.from(prepared.labels, (l) => {
      if (l.kind !== 'object') return NaN;
      return labelRows.get(`${l.dataHash}|${l.frame}|${l.object.objectHash}`)?.[key] ?? NaN;
    });
  /** A prediction metric by pidx. */
  const predictionMetric = (key: string) =>
    Float64Array.from(prepared.predSource, (source) => predictionRows.get(source)?.[key] ?? NaN);

  const imageRows = new Map<string, Record<string, number>>();
  for (const r of report.images) imageRows.set(`${r.dataHash}|${r.frame}`, r.metrics);
  /** An image metric of each prediction's frame, by pidx. */
  const predictionFrameMetric = (key: string) =>
    Float64Array.from(
      prepared.predFrame,
      (f) => imageRows.get(`${prepared.frames[f].dataHash}|${prepared.frames[f].frame}`)?.[key] ?? NaN,
    );

  return { kernels, project, predictions, prepared, score, labelMetric, predictionMetric, predictionFrameMetric };
}

export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/** Imports one of the demo's prediction sets through the Import page (a fresh browser context has no runs). */
export async function importDemoRun(page: Page, set = 'json') {
  await page.goto('./#/demo/predictions');
  await page.getByTestId('import-open').click();
  await page.getByTestId(`demo-set-${set}`).click();
  await expect(page.getByTestId('import-review')).toBeVisible();
  await page.getByTestId('run-name-input').fill(`demo ${set}`);
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('import-done')).toBeVisible({ timeout: 30_000 });
}

/** Clicks bin `bin` of a Performance chart on its canvas (Chart.js draws there; the page tells where the plot is). */
export async function clickBin(page: Page, testid: string, bin: number) {
  const chart = page.getByTestId(testid);
  const [left, top, right, bottom] = (await chart.getAttribute('data-chart-area'))!.split(',').map(Number);
  const bins = Number(await chart.getAttribute('data-bins'));
  const box = (await page.getByTestId(`${testid}-canvas`).boundingBox())!;
  await page.mouse.click(box.x + left + ((right - left) * (bin + 0.5)) / bins, box.y + (top + bottom) / 2);
}
