// The import worker: reads prediction files (any format), validates them against the project, and writes the run
// to IndexedDB as columnar chunks, all off the main thread. The page only sends the files' source (File objects,
// a directory handle or a URL prefix: structured-cloneable) and gets progress and the run's info back.
// Cancelling an import means terminating this worker (WorkerPool does it on abort): the run being written holds a
// Web Lock that dies with the worker, so the next opening of the run store sweeps what it left.
import * as Comlink from 'comlink';
import type { FileTree } from '../core/file-tree.ts';
import type { ImageDataUnits } from '../core/formats/coco-results.ts';
import { detectFormat, importPredictions, type Detection } from '../core/formats/index.ts';
import { formatChoices, type FormatChoice } from '../core/formats/registry.ts';
import type { ImportOptions } from '../core/formats/options.ts';
import type { FormatId, ImportReport, PredictionRunInfo, Problem, Project } from '../core/model.ts';
import { loadKernels } from '../kernels/browser.ts';
import { runLockName, runStore } from '../store/runs.ts';
import { computeMapping, type MappingInfo } from './import-mapping.ts';
import { treeFromSource, type TreeSource } from './tree-source.ts';

export interface InspectResult {
  name: string;
  files: string[];
  detection: Detection;
}

export interface ImportRunRequest {
  projectKey: string;
  source: TreeSource;
  format: FormatId;
  options: Pick<ImportOptions, 'classMap' | 'namePattern' | 'keepHoles' | 'ignoreValue'>;
  name: string;
  model?: string;
  /**
   * The new run's id, chosen by the page so it can watch the run's lock (runLockName), which this worker holds
   * for the whole import, and clean up after a cancel or a dead worker; default random.
   */
  runId?: string;
}

export type ImportStage = 'reading' | 'saving';

export interface ImportProgressEvent {
  stage: ImportStage;
  /** reading: files (or records) done; saving: predictions written. */
  done: number;
  total?: number;
  current?: string;
  /** Predictions read (known once reading is over). */
  predictions?: number;
}

export interface ImportRunOutcome {
  info: PredictionRunInfo;
  /** The report, with at most REJECTED_RETURNED rejected records (the stored run keeps them all). */
  report: ImportReport & { rejectedTotal: number };
  readMs: number;
  saveMs: number;
}

export const REJECTED_RETURNED = 1000;
const PROGRESS_EVERY_MS = 80;

let current: { key: string; project: Project; imageDataUnits?: ImageDataUnits } | undefined;

function project(key: string): NonNullable<typeof current> {
  if (!current || current.key !== key) throw new Error('the import worker has no project: call setProject first');
  return current;
}

/** How a run records where it came from: the files, or the folder and how many. */
function sourcesOf(tree: FileTree, files: string[]): string[] {
  return files.length <= 12 ? files.map((f) => `${tree.name}/${f}`) : [`${tree.name} (${files.length} files)`];
}

function throttled(onProgress: ((e: ImportProgressEvent) => void) | undefined) {
  let last = 0;
  return (e: ImportProgressEvent, force = false) => {
    const now = performance.now();
    if (!onProgress || (!force && now - last < PROGRESS_EVERY_MS)) return;
    last = now;
    onProgress(e);
  };
}

const api = {
  /** True when the worker holds this project already (a new worker after a cancel does not). */
  async hasProject(key: string): Promise<boolean> {
    return current?.key === key;
  },

  async setProject(key: string, value: Project, imageDataUnits?: ImageDataUnits): Promise<void> {
    current = { key, project: value, imageDataUnits };
  },

  /** The files of a source and the format they look like. */
  async inspect(source: TreeSource): Promise<InspectResult> {
    const tree = treeFromSource(source);
    const files = await tree.list();
    return { name: tree.name, files, detection: await detectFormat(tree) };
  },

  /** The class keys and file -> data unit preview for a format (re-run as the user edits the name pattern). */
  async mapping(
    key: string,
    source: TreeSource,
    format: FormatId,
    namePattern?: string,
    ignoreValue?: number,
  ): Promise<MappingInfo> {
    const { project: p, imageDataUnits } = project(key);
    return computeMapping(p, treeFromSource(source), format, { namePattern, imageDataUnits, ignoreValue });
  },

  /** Reads, validates and stores a run; resolves with its info once it is complete and visible. */
  async importRun(request: ImportRunRequest, onProgress?: (e: ImportProgressEvent) => void): Promise<ImportRunOutcome> {
    const id = request.runId ?? crypto.randomUUID();
    // The run's lock is held until the import ends: a lock outlives no worker, so a sweep (after a reload) or the
    // page (no answer after the lock is free) can tell a dead worker from a busy one.
    return navigator.locks
      ? navigator.locks.request(runLockName(id), () => importAndStore(request, id, onProgress, true))
      : importAndStore(request, id, onProgress, false);
  },

  /** The formats a user can pick when detection guesses wrong (the registry, in its order). */
  async formats(): Promise<FormatChoice[]> {
    return formatChoices();
  },
};

async function importAndStore(
  request: ImportRunRequest,
  id: string,
  onProgress: ((e: ImportProgressEvent) => void) | undefined,
  locked: boolean,
): Promise<ImportRunOutcome> {
  const { project: p, imageDataUnits } = project(request.projectKey);
  const progress = throttled(onProgress);
  const tree = treeFromSource(request.source);
  const files = await tree.list();
  const store = await runStore();
  // Recorded before reading (never listed): a reload while reading is told as well as one while saving.
  if (locked) {
    await store.reserveRun(request.projectKey, {
      id,
      name: request.name,
      format: request.format,
      sources: sourcesOf(tree, files),
    });
  }
  const kernels = await loadKernels();
  const started = performance.now();
  progress({ stage: 'reading', done: 0, total: files.length }, true);
  let result: Awaited<ReturnType<typeof importPredictions>>;
  try {
    result = await importPredictions(kernels, p, tree, request.format, {
      ...request.options,
      imageDataUnits,
      onProgress: (e) => progress({ stage: 'reading', done: e.done, total: e.total, current: e.current }),
    } as ImportOptions);
  } catch (error) {
    if (locked) await store.abandonRun(request.projectKey, id).catch(() => undefined);
    throw error;
  }
  const readMs = performance.now() - started;
  const total = result.predictions.length;
  progress({ stage: 'saving', done: 0, total, predictions: total }, true);
  const info = await store.saveRun(
    request.projectKey,
    {
      id,
      name: request.name,
      model: request.model,
      format: result.format,
      sources: sourcesOf(tree, files),
      report: result.report,
    },
    result.predictions,
    {
      reserved: locked,
      onProgress: (e) => progress({ stage: 'saving', done: e.written, total, predictions: total }, e.written === total),
    },
  );
  const rejected: Problem[] = result.report.rejected.slice(0, REJECTED_RETURNED);
  return {
    info,
    report: { ...result.report, rejected, rejectedTotal: result.report.rejected.length },
    readMs,
    saveMs: performance.now() - started - readMs,
  };
}

export type ImportApi = typeof api;

Comlink.expose(api);
