// Bench part "compare": two 100k-prediction runs of one synthetic project (5,000 images, 80 box classes; run B is
// run A re-jittered, rescored, thinned and topped up: scripts/synthetic-project.ts), 1,000 bootstrap resamples. Times, in this process (the core
// the compare worker runs): the one-time preparation of the pair (COCO conversion, both COCOeval runs, match
// records), the COCO bootstrap (12 stats + per-class AP of both runs per resample), the EA preparation, and what a
// move of the IoU slider recomputes on the Compare page (both runs' EA numbers on the compared frames) plus the EA
// bootstrap that follows it. Wall and CPU time; a calibration loop shows how loaded the machine was. Then the
// Compare page's slider in Chromium (compare-page.ts; BENCH_PAGE=0 skips it).
// Standalone: npx tsx scripts/bench/compare.ts
import { pathToFileURL } from 'node:url';
import { prepareActive } from '../../src/core/eval/active/index.ts';
import { ActivePair } from '../../src/core/eval/compare/active.ts';
import { projectCocoPair } from '../../src/core/eval/compare/project.ts';
import { loadKernels } from '../../src/kernels/node.ts';
import { syntheticProject, syntheticSecondRun } from '../synthetic-project.ts';
import { benchRuns, fmt, median, printTable } from './util.ts';

/** ns per step of a fixed indirect-add loop: how busy the machine was (about 0.5-1 ns on an idle core). */
function calibrate(): number {
  const values = new Int32Array(1 << 20).map((_, i) => i & 7);
  const index = new Int32Array(1 << 20).map((_, i) => (i * 2654435761) & 4095);
  let s = 0;
  const start = performance.now();
  for (let r = 0; r < 20; r++) for (let i = 0; i < index.length; i++) s += values[index[i]];
  const ns = ((performance.now() - start) * 1e6) / (20 * index.length);
  return s < 0 ? NaN : ns;
}

function timed<T>(fn: () => T): { value: T; wall: number; cpu: number } {
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const value = fn();
  const wall = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  return { value, wall, cpu: (cpu.user + cpu.system) / 1000 };
}

export async function run(): Promise<void> {
  const kernels = await loadKernels();
  const { project, predictions } = syntheticProject();
  const b = syntheticSecondRun(project, predictions);
  console.log(
    `synthetic project: ${project.dataUnits.length} images, ${project.ontology.objects.length} box classes; ` +
      `run A ${predictions.length} predictions, run B ${b.length}`,
  );
  const runs = benchRuns(3);
  const rows: (string | number)[][] = [['step', 'wall ms (median)', 'CPU ms (median)', 'runs']];
  const record = (name: string, samples: { wall: number; cpu: number }[]) =>
    rows.push([name, fmt(median(samples.map((s) => s.wall))), fmt(median(samples.map((s) => s.cpu))), samples.length]);

  const calib: number[] = [calibrate()];
  const prep = timed(() => projectCocoPair(kernels, project, predictions, b));
  record('COCO pair: conversion, 2 x COCOeval, match records (once)', [prep]);
  const pair = prep.value.pair;
  const boot: { wall: number; cpu: number }[] = [];
  let c = pair.compare({ resamples: 1000 });
  for (let i = 0; i < runs; i++) {
    const t = timed(() => pair.compare({ resamples: 1000 }));
    c = t.value;
    boot.push(t);
    calib.push(calibrate());
  }
  record('COCO bootstrap, 1,000 resamples (12 stats + per-class AP, both runs)', boot);

  const ea = timed(
    () => new ActivePair(prepareActive(kernels, project, predictions), prepareActive(kernels, project, b)),
  );
  record('EA pair: prepareActive of both runs (once)', [ea]);
  const activePair = ea.value;
  const slider: { wall: number; cpu: number }[] = [];
  for (const iouThreshold of [0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.9]) {
    slider.push(timed(() => activePair.score({ iouThreshold })));
  }
  record('IoU slider move: both runs EA-scored on the compared frames', slider);
  const scores = activePair.score({ iouThreshold: 0.5 });
  const eaBoot: { wall: number; cpu: number }[] = [];
  for (let i = 0; i < runs; i++) eaBoot.push(timed(() => activePair.differences(scores, { resamples: 1000 })));
  record('EA bootstrap at one threshold, 1,000 resamples (mAP, mAR, per class)', eaBoot);
  calib.push(calibrate());
  printTable(rows);
  const ap = c.stats[0];
  console.log(
    `COCO AP: A ${ap.a.toFixed(4)}, B ${ap.b.toFixed(4)}, B - A ${ap.delta.toFixed(4)} ` +
      `[${ap.ci[0].toFixed(4)}, ${ap.ci[1].toFixed(4)}], P(B > A) ${ap.pBetter.toFixed(3)}; ` +
      `${c.coverage.compared} of ${c.coverage.total} images compared; ${c.labels.fixed.length} labels fixed, ` +
      `${c.labels.broken.length} broken at IoU 0.5`,
  );
  console.log(`calibration loop: ${calib.map((v) => v.toFixed(2)).join(' / ')} ns per step (idle core: ~0.5-1)`);
  if (process.env.BENCH_PAGE !== '0') await (await import('./compare-page.ts')).run();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
