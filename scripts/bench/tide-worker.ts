// The bench's worker (node:worker_threads): reads and parses the large case's files, then runs TIDE on them, and
// posts the times of both and the result's numbers. One worker per timed run, so each TIDE is a cold start as the
// page's first request in a fresh evaluation worker is.
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { tideEvaluate, type TideMode } from '../../src/core/eval/tide/index.ts';
import { loadKernels } from '../../src/kernels/node.ts';

const { gtPath, dtPath, mode, repeat } = workerData as {
  gtPath: string;
  dtPath: string;
  mode: TideMode;
  repeat: number;
};
const kernels = await loadKernels();
let started = performance.now();
const gt = JSON.parse(readFileSync(gtPath, 'utf8'));
const dt = JSON.parse(readFileSync(dtPath, 'utf8'));
const parseMs = performance.now() - started;
const tideMs: number[] = [];
// CPU of the whole process while the main thread only waits: this thread's work (plus the GC helpers).
const cpuMs: number[] = [];
let result;
for (let i = 0; i < repeat; i++) {
  const cpu = process.cpuUsage();
  started = performance.now();
  result = tideEvaluate(kernels, gt, dt, { mode });
  tideMs.push(performance.now() - started);
  const used = process.cpuUsage(cpu);
  cpuMs.push((used.user + used.system) / 1000);
}
parentPort!.postMessage({
  parseMs,
  tideMs,
  cpuMs,
  ap: result!.ap,
  main: result!.main,
  special: result!.special,
  counts: result!.counts,
});
