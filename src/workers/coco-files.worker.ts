// A Web Worker of the split COCO evaluation (core/eval/coco/parallel.ts), the page's counterpart of
// src/cli/coco-worker.ts: reads the two files it is given, evaluates its part, and sends the arrays back
// (transferred). It also runs the reference path when a part could not take the fast one.
import * as Comlink from 'comlink';
import { cocoEvaluate, resultsAreMasks } from '../core/eval/coco/index.ts';
import {
  evaluateCocoPart,
  mergeCocoParts,
  summaryOf,
  type CocoEvalSummary,
  type CocoFileJob,
  type CocoPartResult,
} from '../core/eval/coco/parallel.ts';
import { loadKernels } from '../kernels/browser.ts';

/** The job as the page sends it: the files themselves (cloning a File is cheap), not their bytes. */
export type CocoFilesJob = Omit<CocoFileJob, 'gt' | 'results'> & { gtFile: Blob; resultsFile: Blob };

const kernels = loadKernels();

async function bytesOf(job: CocoFilesJob): Promise<CocoFileJob> {
  const { gtFile, resultsFile, ...rest } = job;
  const [gt, results] = await Promise.all([gtFile.arrayBuffer(), resultsFile.arrayBuffer()]);
  return { ...rest, gt: new Uint8Array(gt), results: new Uint8Array(results) };
}

function parseJson(bytes: Uint8Array, source: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    throw new Error(`${source}: not valid JSON (${err instanceof Error ? err.message : err})`, { cause: err });
  }
}

const api = {
  async part(job: CocoFilesJob, part: number, parts: number): Promise<CocoPartResult> {
    let result: CocoPartResult;
    try {
      result = evaluateCocoPart(await kernels, await bytesOf(job), part, parts);
    } catch (err) {
      result = { ok: false, part, reason: err instanceof Error ? err.message : String(err) };
    }
    if (!result.ok) return result;
    return Comlink.transfer(result, [result.precision.buffer, result.recall.buffer, result.scores.buffer]);
  },

  /** The parts' arrays merged and summarized, off the page's main thread. */
  merge(parts: CocoPartResult[], corrected: boolean): CocoEvalSummary {
    const merged = mergeCocoParts(parts, corrected);
    return Comlink.transfer(merged, [merged.precision.buffer, merged.recall.buffer, merged.scores.buffer]);
  },

  /** JSON.parse and one thread: pycocotools' errors for any input the fast path leaves to it. */
  async reference(job: CocoFilesJob): Promise<CocoEvalSummary> {
    const j = await bytesOf(job);
    const gt = parseJson(j.gt, j.gtSource);
    const results = parseJson(j.results, j.resultsSource);
    const k = j.iouType === 'segm' || resultsAreMasks(results) ? await kernels : undefined;
    return summaryOf(
      cocoEvaluate(k, gt, results, {
        iouType: j.iouType,
        params: j.params,
        corrected: j.corrected,
        gtSource: j.gtSource,
        resultsSource: j.resultsSource,
        paramsSource: j.paramsSource,
      }),
    );
  },
};

export type CocoFilesApi = typeof api;
Comlink.expose(api);
