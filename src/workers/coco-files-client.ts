// COCO evaluation of a ground-truth file and a results file in the page, split over Web Workers (one per core, at
// most 4): the page's host of core/eval/coco/parallel.ts, as src/cli/coco-threads.ts is Node's. The main thread
// only hands the File objects over and merges the parts' arrays; reading, parsing and evaluating happen in the
// workers.
import * as Comlink from 'comlink';
import {
  cocoEvaluateFiles,
  type CocoEvalSummary,
  type CocoFilesTiming,
  type CocoParamsInput,
  type IouType,
} from '../core/eval/coco/parallel.ts';
import type { CocoFilesApi } from './coco-files.worker.ts';
import cocoFilesWorkerUrl from './coco-files.worker.ts?worker&url';
import { spawnWorker } from './spawn.ts';

export interface CocoFilesOptions {
  iouType: IouType;
  params?: CocoParamsInput;
  corrected?: boolean;
  /** Parts (workers); default: the cores, at most 4. */
  parts?: number;
  timing?: CocoFilesTiming;
}

export async function evaluateCocoFiles(
  gtFile: File,
  resultsFile: File,
  options: CocoFilesOptions,
): Promise<CocoEvalSummary> {
  const parts = Math.max(1, options.parts ?? Math.min(4, navigator.hardwareConcurrency || 2));
  const workers = [...Array(parts)].map(() => spawnWorker(cocoFilesWorkerUrl, 'predlens-coco'));
  const apis = workers.map((w) => Comlink.wrap<CocoFilesApi>(w));
  const job = {
    gtFile,
    resultsFile,
    gtSource: gtFile.name,
    resultsSource: resultsFile.name,
    iouType: options.iouType,
    params: options.params,
    corrected: options.corrected,
  };
  try {
    return await cocoEvaluateFiles(
      {
        parts,
        part: (_job, i, n) => apis[i].part(job, i, n),
        reference: () => apis[0].reference(job),
        merge: (results, corrected) => {
          const buffers = results.flatMap((r) => (r.ok ? [r.precision.buffer, r.recall.buffer, r.scores.buffer] : []));
          return apis[0].merge(Comlink.transfer(results, buffers as ArrayBuffer[]), corrected);
        },
      },
      { ...job, gt: new Uint8Array(0), results: new Uint8Array(0) },
      options.timing,
    );
  } finally {
    for (const w of workers) w.terminate();
  }
}
