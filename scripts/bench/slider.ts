// Bench part "slider": how fast the EA-style evaluation follows the IoU slider. Builds a deterministic synthetic
// project in memory (5,000 images, 80 box classes, ~35k labels, 100k box predictions), times the one-time
// prepareActive, then scoreActive (and the confusion matrix and confidence explorer the page redraws with it)
// over several thresholds. Standalone: npx tsx scripts/bench/slider.ts
import { pathToFileURL } from 'node:url';
import { prepareActive, scoreActive } from '../../src/core/eval/active/index.ts';
import { confidenceExplorer } from '../../src/core/eval/confidence.ts';
import { detectionConfusion } from '../../src/core/eval/confusion.ts';
import { loadKernels } from '../../src/kernels/node.ts';
import { benchRuns, fmt, medianMs, printTable } from './util.ts';
import { CLASSES, FRAMES, syntheticPolygonProject, syntheticProject } from '../synthetic-project.ts';

const THRESHOLDS = [0.1, 0.3, 0.5, 0.75, 0.9];

/** mulberry32: a small seeded generator, so every run scores the same project. */

export async function run(): Promise<void> {
  const kernels = await loadKernels();
  const { project, predictions } = syntheticProject();
  const nLabels = project.dataUnits.reduce((n, du) => n + du.frames[0].objects.length, 0);
  console.log(
    `synthetic project: ${FRAMES} images, ${CLASSES} box classes, ${nLabels} labels, ${predictions.length} predictions`,
  );

  const prepareRuns = benchRuns(3);
  let prepared = prepareActive(kernels, project, predictions);
  const prepareMs = medianMs(prepareRuns, () => (prepared = prepareActive(kernels, project, predictions)));
  const runs = benchRuns(15);
  const rows: (string | number)[][] = [['IoU threshold', 'scoreActive ms', '+ confusion ms', '+ confidence ms', 'mAP']];
  const scoreTimes: number[] = [];
  for (const t of THRESHOLDS) {
    const scoreMs = medianMs(runs, () => scoreActive(prepared, { iouThreshold: t }));
    const score = scoreActive(prepared, { iouThreshold: t });
    const confusionMs = medianMs(runs, () => detectionConfusion(prepared, { iouThreshold: t }));
    const confidenceMs = medianMs(runs, () => confidenceExplorer(prepared, score));
    scoreTimes.push(scoreMs);
    rows.push([t, fmt(scoreMs), fmt(confusionMs), fmt(confidenceMs), score.mAP.toFixed(4)]);
  }
  printTable(rows);
  scoreTimes.sort((a, b) => a - b);
  console.log(`prepareActive (one-time, median of ${prepareRuns}): ${fmt(prepareMs)} ms`);
  console.log(`scoreActive median over thresholds: ${fmt(scoreTimes[scoreTimes.length >> 1])} ms (${runs} runs each)`);

  const poly = syntheticPolygonProject();
  console.log(
    `\npolygon project: 1000 images of 1280x720, 10 polygon classes, 5000 labels, ${poly.predictions.length} polygon predictions`,
  );
  let polyPrepared = prepareActive(kernels, poly.project, poly.predictions);
  const polyPrepareMs = medianMs(
    prepareRuns,
    () => (polyPrepared = prepareActive(kernels, poly.project, poly.predictions)),
  );
  const polyScoreMs = medianMs(runs, () => scoreActive(polyPrepared, { iouThreshold: 0.5 }));
  console.log(
    `prepareActive (rasterised IoU, median of ${prepareRuns}): ${fmt(polyPrepareMs)} ms; scoreActive at 0.5: ${fmt(polyScoreMs)} ms; mAP ${scoreActive(polyPrepared, { iouThreshold: 0.5 }).mAP.toFixed(4)}`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
