// The Node host of the split COCO evaluation (core/eval/coco/parallel.ts): part 0 on the main thread, the others in
// worker_threads (coco-worker.ts), each reading the two files itself. The page's host is src/workers/coco-eval-pool.ts;
// both run the same parts.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  evaluateCocoPart,
  type CocoEvalSummary,
  type CocoFileJob,
  type CocoPartResult,
  type CocoPartRunner,
} from '../core/eval/coco/parallel.ts';
import { loadKernels } from '../kernels/node.ts';

/** What the main thread sends a worker: the job without the bytes, and where the files are. */
export interface CocoWorkerRequest {
  job: Omit<CocoFileJob, 'gt' | 'results'>;
  gtPath: string;
  resultsPath: string;
  part: number;
  parts: number;
}

/** Below this many bytes of input, starting a thread costs more than it saves. */
const MIN_BYTES_FOR_THREADS = 4 << 20;

/**
 * Each part reads both files itself: it holds about 12 bytes per input byte at its peak (the file, the scanner's
 * copy and tables in wasm memory, the columns; measured on 1.5 million box detections: 1.5 GB for 127 MB of
 * input). Parts are added only while the whole stays within this budget.
 */
const BYTES_PER_INPUT_BYTE = 12;
const MEMORY_BUDGET_BYTES = 2 * 1024 ** 3;

/**
 * How many parts to split into: PREDLENS_THREADS, else the cores (at most 4), fewer when the parts' memory would
 * pass about 2 GB, and 1 for small inputs.
 */
export function cocoThreadCount(inputBytes: number): number {
  const asked = Number(process.env.PREDLENS_THREADS);
  if (Number.isInteger(asked) && asked > 0) return Math.min(asked, 16);
  if (inputBytes < MIN_BYTES_FOR_THREADS) return 1;
  const byMemory = Math.floor(MEMORY_BUDGET_BYTES / (BYTES_PER_INPUT_BYTE * inputBytes));
  return Math.max(1, Math.min(4, availableParallelism(), byMemory));
}

function workerUrl(): URL {
  // From the sources (tsx) this module is a .ts file; in the bundle (build/cli/) every chunk sits beside the worker.
  const fromSource = import.meta.url.endsWith('.ts');
  return new URL(fromSource ? './coco-worker.ts' : './coco-worker.js', import.meta.url);
}

function startWorker(): Worker {
  const url = workerUrl();
  if (!url.pathname.endsWith('.ts')) return new Worker(url);
  // From the sources: the worker registers tsx itself (a loader given by execArgv does not reach worker threads).
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(boot, { eval: true });
}

/**
 * A runner over files on disk. The workers start at once, so their start overlaps the main thread's reading;
 * `reference` is the caller's one-thread path (JSON.parse and cocoEvaluate), used when a part gives up.
 */
export function nodeCocoRunner(
  gtPath: string,
  resultsPath: string,
  parts: number,
  reference: () => Promise<CocoEvalSummary>,
): CocoPartRunner {
  const workers = [...Array(Math.max(0, parts - 1))].map(() => startWorker());
  const stop = () => workers.forEach((w) => void w.terminate());
  return {
    parts,
    async part(job, part, n): Promise<CocoPartResult> {
      if (part === 0) {
        try {
          const kernels = await loadKernels();
          const bytes = { gt: readFileSync(gtPath), results: readFileSync(resultsPath) };
          return evaluateCocoPart(kernels, { ...job, ...bytes }, part, n);
        } catch (err) {
          return { ok: false, part, reason: err instanceof Error ? err.message : String(err) };
        }
      }
      const worker = workers[part - 1];
      const { gt: _gt, results: _results, ...rest } = job;
      const request: CocoWorkerRequest = { job: rest, gtPath, resultsPath, part, parts: n };
      return new Promise<CocoPartResult>((resolve) => {
        worker.once('message', (r: CocoPartResult) => resolve(r));
        worker.once('error', (err) => resolve({ ok: false, part, reason: String(err) }));
        worker.postMessage(request);
      }).finally(() => void worker.terminate());
    },
    async reference() {
      stop();
      return reference();
    },
  };
}
