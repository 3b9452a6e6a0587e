// A worker_thread of the split COCO evaluation (coco-threads.ts): reads the two files, evaluates its part and sends
// the arrays back (transferred, not copied).
import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { evaluateCocoPart, type CocoPartResult } from '../core/eval/coco/parallel.ts';
import { loadKernels } from '../kernels/node.ts';
import type { CocoWorkerRequest } from './coco-threads.ts';

const kernels = loadKernels();

parentPort?.once('message', async (request: CocoWorkerRequest) => {
  let result: CocoPartResult;
  try {
    const job = { ...request.job, gt: readFileSync(request.gtPath), results: readFileSync(request.resultsPath) };
    result = evaluateCocoPart(await kernels, job, request.part, request.parts);
  } catch (err) {
    result = { ok: false, part: request.part, reason: err instanceof Error ? err.message : String(err) };
  }
  const transfer = result.ok ? [result.precision.buffer, result.recall.buffer, result.scores.buffer] : [];
  parentPort?.postMessage(result, transfer as ArrayBuffer[]);
});
