// The compare worker: holds two prediction runs of one project (CompareSession) and answers the Compare page. The
// page starts two of them (compare-client.ts): one for the EA-style side (the IoU slider, its intervals, the
// confusion matrices, frame details), one for the COCO side (the 12 stats, the label changes), so seconds of COCO
// work never hold up the slider. Long calls (the bootstraps) run in chunks and give way to newer calls between them:
// a newer call of the same kind makes the older one end with an AbortError.
import * as Comlink from 'comlink';
import type { Prediction, Project } from '../core/model.ts';
import { loadKernels } from '../kernels/browser.ts';
import { loadRun } from '../store/runs.ts';
import type { CompareResampleApi } from './compare-resample.worker.ts';
import resampleWorkerUrl from './compare-resample.worker.ts?worker&url';
import { spawnWorker } from './spawn.ts';
import type { PredictionSource } from './eval.worker.ts';
import {
  CompareSession,
  type ActiveCompareResult,
  type ActiveIntervals,
  type ActiveRequest,
  type ChangesRequest,
  type ChangesResult,
  type CocoCompareResult,
  type CocoRequest,
  type CompareFrameDetail,
  type CompareSummary,
  type ConfusionChangeRequest,
  type ConfusionChangeResult,
  type FrameVerdicts,
  type Which,
} from './compare-session.ts';

let session: CompareSession | undefined;
/** Raised by every new call of a kind; a chunked call still running with an older value stops. */
const latest = { intervals: 0, coco: 0 };

function current(): CompareSession {
  if (!session) throw new Error('no runs are loaded in this worker: call load() first');
  return session;
}

async function readPredictions(source: PredictionSource): Promise<readonly Prediction[]> {
  return source.kind === 'run' ? loadRun(source.projectKey, source.runId) : source.predictions;
}

/**
 * Gives way to the messages waiting for this worker (a newer call), then goes on. A message to itself rather than
 * setTimeout(0), which browsers clamp to 4 ms once timers nest.
 */
const yieldChannel = new MessageChannel();
const yielded: (() => void)[] = [];
yieldChannel.port1.onmessage = () => yielded.shift()?.();
const giveWay = () =>
  new Promise<void>((resolve) => {
    yielded.push(resolve);
    yieldChannel.port2.postMessage(null);
  });

function superseded(): DOMException {
  return new DOMException('A newer request replaced this one.', 'AbortError');
}

/** Runs a chunked computation, giving way between chunks; stops when a newer call of `kind` came in. */
async function chunked<T>(
  kind: keyof typeof latest,
  steps: Generator<number, T>,
  progress?: (done: number) => void,
  mine = ++latest[kind],
): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    progress?.(step.value);
    await giveWay();
    if (latest[kind] !== mine) {
      steps.return(undefined as T);
      throw superseded();
    }
  }
}

/** The helper for the COCO bootstrap's second half (compare-resample.worker.ts), with the records of `holds`. */
let helper: { worker: Worker; api: Comlink.Remote<CompareResampleApi>; holds: CompareSession } | undefined;

function stopHelper() {
  helper?.worker.terminate();
  helper = undefined;
}

/** A helper holding this session's match records, or undefined on one core (or where workers cannot nest). */
async function helperFor(s: CompareSession): Promise<Comlink.Remote<CompareResampleApi> | undefined> {
  if (helper?.holds === s) return helper.api;
  stopHelper();
  if (typeof Worker === 'undefined' || (navigator.hardwareConcurrency ?? 1) < 2) return undefined;
  const worker = spawnWorker(resampleWorkerUrl, 'predlens-compare-resample');
  const api = Comlink.wrap<CompareResampleApi>(worker);
  const records = s.cocoRecords();
  await api.load(records.a, records.b);
  helper = { worker, api, holds: s };
  return api;
}

type Typed = Int32Array | Float64Array | Uint8Array;
const buffers = (...arrays: Typed[]) => arrays.map((a) => a.buffer as ArrayBuffer);

const api = {
  /** Reads both runs (from IndexedDB here, so their predictions never cross threads); matches nothing yet. */
  async load(project: Project, a: PredictionSource, b: PredictionSource): Promise<{ a: number; b: number }> {
    session = undefined;
    stopHelper();
    latest.intervals++;
    latest.coco++;
    const kernels = await loadKernels();
    const [pa, pb] = await Promise.all([readPredictions(a), readPredictions(b)]);
    session = new CompareSession(kernels, project, pa, pb);
    return { a: pa.length, b: pb.length };
  },

  /** The EA-style preparation of both runs (each prediction matched once), and what the page needs to know. */
  summary(): CompareSummary {
    const s = current().summary();
    return Comlink.transfer(s, buffers(s.frameUnit, s.frameNumber, s.coveredA, s.coveredB));
  },

  /** Both runs' EA numbers at the slider's setting; a newer score also stops intervals still running. */
  score(request: ActiveRequest): ActiveCompareResult {
    latest.intervals++;
    const r = current().score(request);
    return Comlink.transfer(r, buffers(r.a.AP, r.a.AR, r.b.AP, r.b.AR, r.prA, r.prB, r.compared));
  },

  /** The EA-mode bootstrap at a setting (seconds on big runs; ends with AbortError when superseded). */
  intervals(request: ActiveRequest & { resamples?: number; seed?: number }): Promise<ActiveIntervals> {
    return chunked('intervals', current().intervals(request));
  },

  /**
   * COCO mode: both runs in COCO terms (once), then the 12 stats and per-class AP with their intervals. The
   * bootstrap's second half runs in a helper worker on another core when there is one.
   */
  async coco(request: CocoRequest, progress?: (done: number) => void): Promise<CocoCompareResult> {
    const started = performance.now();
    const mine = ++latest.coco;
    const s = current();
    const plan = s.cocoPlan(request);
    await giveWay();
    if (latest.coco !== mine) throw superseded();
    // Halves on a multiple of four (the re-accumulation's batch); small bootstraps are not worth a second worker.
    const helper = plan.resamples >= 200 ? await helperFor(s) : undefined;
    const mid = helper ? Math.floor(plan.resamples / 8) * 4 : plan.resamples;
    const remote = helper?.range(
      { units: plan.units, images: plan.images, seed: plan.seed, resamples: plan.resamples },
      mid,
      plan.resamples,
    );
    remote?.catch(() => undefined);
    const scale = plan.resamples / Math.max(1, mid);
    try {
      const local = await chunked(
        'coco',
        s.cocoRange(plan, 0, mid),
        progress && ((done) => progress(Math.min(plan.resamples, Math.round(done * scale)))),
        mine,
      );
      const ranges = remote ? [local, await remote] : [local];
      if (latest.coco !== mine) throw superseded();
      const r = s.cocoResult(request, plan, ranges, started);
      return Comlink.transfer(r, buffers(r.curvesA, r.curvesB));
    } catch (error) {
      // A superseded bootstrap stops its helper too (the next call starts a fresh one).
      if (helper && latest.coco !== mine) stopHelper();
      throw error;
    }
  },

  changes(request: ChangesRequest): ChangesResult {
    return current().changes(request);
  },

  frameDetail(dataUnitIndex: number, frameNumber: number, which: Which): CompareFrameDetail {
    const r = current().frameDetail(dataUnitIndex, frameNumber, which);
    const masks = r.predictions.flatMap((p) => (p.shape.kind === 'mask' ? [p.shape.mask] : []));
    return Comlink.transfer(r, [...buffers(r.source), ...buffers(...masks)]);
  },

  frameVerdicts(dataUnitIndex: number, frameNumber: number, changes: ChangesRequest): FrameVerdicts {
    return current().frameVerdicts(dataUnitIndex, frameNumber, changes);
  },

  confusion(request: ConfusionChangeRequest): ConfusionChangeResult {
    const r = current().confusion(request);
    return Comlink.transfer(r, buffers(r.countsA, r.countsB));
  },
};

export type CompareApi = typeof api;

Comlink.expose(api);
