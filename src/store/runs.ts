// Prediction runs: every import becomes a named, immutable run in IndexedDB (runs-db.ts), stored as columnar
// chunks (columnar.ts). Only the name of a run can change; runs are deleted whole.
//
// Atomic writes: a run is first recorded with status 'writing', its chunks are written one transaction each, and
// one final transaction stores its info and report and marks it 'complete'. Lists only ever show complete runs, so
// a failed, cancelled or killed import (a reload, a terminated worker) is never half visible. While it writes, the
// writer holds a Web Lock named after the run; opening the store sweeps every 'writing' run whose lock nobody holds
// (its writer is gone): its chunks go, and a small 'interrupted' record stays so the Predictions page can say which
// import was lost and why (interruptedImports; dismissInterrupted forgets it). Where Web Locks do not exist (Node),
// runs written by this process are spared instead. A full storage quota fails the one import with StorageFullError,
// saying so; what it wrote is removed and every earlier run stays as it was.
//
//   const store = await runStore();
//   const info = await store.saveRun(key, { name, format: 'coco', sources, report }, predictions, { signal, onProgress });
//   const runs = await store.listRuns(key);              // newest first
//   const predictions = await store.loadRun(key, info.id);
import type { ImportReport, Prediction, PredictionRunInfo, Project } from '../core/model.ts';
import { CHUNK_SIZE, ColumnarEncoder, RunColumns, type ColumnChunk } from './columnar.ts';
import { chunkRange, openRunsDb, RUNS_DB_NAME, type RunRecord, type RunsDb } from './runs-db.ts';
import {
  isQuotaError,
  locks,
  RunNameError,
  RunNotFoundError,
  runLockName,
  StorageFullError,
  storageUse,
  writersAlive,
  writingHere,
} from './run-faults.ts';

export { RunNameError, RunNotFoundError, runLockName, StorageFullError } from './run-faults.ts';

/** What a caller says about a new run; the store adds the id, time, counts and rejected count. */
export interface RunDraft {
  name: string;
  model?: string;
  format: PredictionRunInfo['format'];
  sources: string[];
  /** The import's report; kept whole, and its warnings and rejected count go into the info. */
  report?: ImportReport;
  /** Notices to keep beside the report's warnings. */
  warnings?: string[];
  /** For tests and imports that must name their run in advance; default a random UUID. */
  id?: string;
  /** ISO time; default now. */
  createdAt?: string;
  /** How the predictions were made, when predlens made them (a model run: file, layout, thresholds...). */
  settings?: PredictionRunInfo['settings'];
}
// An AsyncIterable producer (a model running) may still fill `report`, `warnings` and `settings` of its draft
// while it runs: they are read once its last prediction has been written, just before the run is made visible.

export interface SaveProgress {
  /** Predictions written so far. */
  written: number;
  total?: number;
}

export interface SaveOptions {
  /** The caller reserved this run (reserveRun, draft.id) and holds its lock (runLockName). */
  reserved?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: SaveProgress) => void;
  /** Predictions per chunk (tests use small chunks). */
  chunkSize?: number;
}

/** An import whose writer died before the run was complete (what a sweep found), to tell the user. */
export interface InterruptedImport {
  id: string;
  name: string;
  format?: PredictionRunInfo['format'];
  sources: string[];
  startedAt: number;
  interruptedAt: number;
  /** Predictions written before the writer died, of how many (when known). */
  written: number;
  total?: number;
}

export const RUN_NAME_MAX = 200;

/** Runs belong to a project as opened from one place: its project_hash plus the source's name. */
export function runsProjectKey(project: Pick<Project, 'meta' | 'source'>): string {
  return `${project.meta.project_hash}|${project.source}`;
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') throw new RunNameError('a run needs a name');
  if (trimmed.length > RUN_NAME_MAX) throw new RunNameError(`a run name has at most ${RUN_NAME_MAX} characters`);
  return trimmed;
}

function newId(): string {
  return globalThis.crypto.randomUUID();
}

export class RunStore {
  readonly db: RunsDb;

  constructor(db: RunsDb) {
    this.db = db;
  }

  /** Opens the runs database and sweeps runs whose writer is gone (keeping a notice of each for the user). */
  static async open(name = RUNS_DB_NAME): Promise<RunStore> {
    const store = new RunStore(await openRunsDb(name));
    await store.sweepStale();
    return store;
  }

  close() {
    this.db.close();
  }

  /**
   * Records an import before its files are read, as 'writing' (never listed), so a reload or a dead worker while
   * reading is told too. The caller must hold runLockName(draft.id) until it calls saveRun with `reserved: true`, or
   * abandonRun when the import fails.
   */
  async reserveRun(
    projectKey: string,
    draft: { id: string; name: string; format: PredictionRunInfo['format']; sources: string[] },
  ): Promise<void> {
    const name = checkName(draft.name);
    const tx = this.db.transaction('runs', 'readwrite');
    if (await tx.store.get(draft.id)) {
      abort(tx);
      throw new Error(`a prediction run with id ${draft.id} exists already`);
    }
    await tx.store.put({
      id: draft.id,
      projectKey,
      status: 'writing',
      startedAt: Date.now(),
      chunkCount: 0,
      draft: { name, format: draft.format, sources: [...draft.sources] },
      written: 0,
    });
    await tx.done;
  }

  /** Removes a reserved run whose import failed (its writer says so; nothing is swept or noticed). */
  async abandonRun(projectKey: string, id: string): Promise<void> {
    const record = await this.db.get('runs', id);
    if (record && record.projectKey === projectKey && record.status === 'writing') await this.#discard(id);
  }

  /** The complete runs of a project, newest first. */
  async listRuns(projectKey: string): Promise<PredictionRunInfo[]> {
    const records = await this.db.getAllFromIndex('runs', 'by-project', projectKey);
    return records
      .filter((r) => r.status === 'complete' && r.info)
      .map((r) => r.info!)
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1));
  }

  /** One complete run's info. */
  async getRun(projectKey: string, id: string): Promise<PredictionRunInfo> {
    return (await this.#complete(projectKey, id)).info!;
  }

  /** The full import report kept with the run. */
  async getReport(projectKey: string, id: string): Promise<ImportReport> {
    await this.#complete(projectKey, id);
    const record = await this.db.get('reports', id);
    return record?.report ?? { imported: 0, rejected: [], warnings: [] };
  }

  /**
   * Writes a new run and returns its info once it is complete (visible). Aborting the signal, or any failure,
   * removes what was written and leaves every other run as it was.
   */
  async saveRun(
    projectKey: string,
    draft: RunDraft,
    predictions: Iterable<Prediction> | AsyncIterable<Prediction>,
    options: SaveOptions = {},
  ): Promise<PredictionRunInfo> {
    const name = checkName(draft.name);
    const id = draft.id ?? newId();
    options.signal?.throwIfAborted();
    const write = () => this.#write(projectKey, id, name, draft, predictions, options);
    const manager = locks();
    if (options.reserved) return write();
    if (manager) return manager.request(runLockName(id), write);
    writingHere.add(id);
    try {
      return await write();
    } finally {
      writingHere.delete(id);
    }
  }

  async #write(
    projectKey: string,
    id: string,
    name: string,
    draft: RunDraft,
    predictions: Iterable<Prediction> | AsyncIterable<Prediction>,
    options: SaveOptions,
  ): Promise<PredictionRunInfo> {
    const existing = await this.db.get('runs', id);
    const isReservation =
      options.reserved && existing?.status === 'writing' && existing.projectKey === projectKey && !existing.info;
    if (existing && !isReservation) throw new Error(`a prediction run with id ${id} exists already`);
    if (options.reserved && !existing) throw new Error(`prediction run ${id} was removed while it was being written`);
    const startedAt = existing?.startedAt ?? Date.now();
    const total = Array.isArray(predictions) ? predictions.length : undefined;
    const writing: RunRecord = {
      id,
      projectKey,
      status: 'writing',
      startedAt,
      chunkCount: 0,
      draft: { name, format: draft.format, sources: [...draft.sources] },
      written: 0,
      total,
    };
    const encoder = new ColumnarEncoder(options.chunkSize ?? CHUNK_SIZE);
    let index = 0;
    let written = 0;
    try {
      await this.db.put('runs', writing);
      // Each chunk and the count written so far in one transaction, so a notice of a lost import says how far it got.
      const put = async (chunk: ColumnChunk) => {
        options.signal?.throwIfAborted();
        const tx = this.db.transaction(['chunks', 'runs'], 'readwrite');
        const current = await tx.objectStore('runs').get(id);
        if (!current || current.status !== 'writing') {
          abort(tx);
          throw new Error(`prediction run ${id} was removed while it was being written`);
        }
        await tx.objectStore('chunks').put({ runId: id, index: index++, chunk });
        await tx.objectStore('runs').put({ ...current, chunkCount: index, written: encoder.counts.predictions });
        await tx.done;
        written = encoder.counts.predictions;
        options.onProgress?.({ written, total });
      };
      options.onProgress?.({ written: 0, total });
      // A producer that is still making predictions (a model running) hands them over as they come: each full
      // chunk is written at once, and the run stays 'writing' (invisible) until the end.
      if (Symbol.asyncIterator in predictions) {
        for await (const p of predictions) {
          const full = encoder.add(p);
          if (full) await put(full);
        }
      } else {
        for (const p of predictions) {
          const full = encoder.add(p);
          if (full) await put(full);
        }
      }
      const last = encoder.flush();
      if (last) await put(last);
      options.signal?.throwIfAborted();

      const report = draft.report;
      const info: PredictionRunInfo = {
        id,
        name,
        createdAt: draft.createdAt ?? new Date(startedAt).toISOString(),
        format: draft.format,
        sources: [...draft.sources],
        counts: { ...encoder.counts },
        warnings: [...(report?.warnings ?? []), ...(draft.warnings ?? [])],
        rejected: report?.rejected.length ?? 0,
      };
      if (draft.model !== undefined) info.model = draft.model;
      if (draft.settings !== undefined) info.settings = { ...draft.settings };
      const record: RunRecord = {
        id,
        projectKey,
        status: 'complete',
        startedAt,
        info,
        dictionaries: encoder.dictionaries,
        chunkCount: index,
      };
      // The one transaction that makes the run visible, with its report.
      const tx = this.db.transaction(['runs', 'reports'], 'readwrite');
      const current = await tx.objectStore('runs').get(id);
      if (!current || current.status !== 'writing') {
        abort(tx);
        throw new Error(`prediction run ${id} was removed while it was being written`);
      }
      await tx.objectStore('reports').put({ runId: id, report: report ?? { imported: 0, rejected: [], warnings: [] } });
      await tx.objectStore('runs').put(record);
      await tx.done;
      return info;
    } catch (error) {
      await this.#discard(id).catch(() => undefined); // a leftover is swept on the next open
      if (!isQuotaError(error)) throw error;
      const of = total === undefined ? '' : ` of ${total.toLocaleString('en-US')}`;
      throw new StorageFullError(
        `the browser's storage for this site is full${await storageUse()}: run "${name}" could not be stored ` +
          `(${(error as Error).name} after ${written.toLocaleString('en-US')}${of} predictions were written). ` +
          'What it wrote was removed. Delete runs you no longer need, or free disk space, and import again.',
        { cause: error },
      );
    }
  }

  /** All predictions of a run, in the order they were saved. */
  async loadRun(projectKey: string, id: string): Promise<Prediction[]> {
    return (await this.loadRunColumns(projectKey, id)).toPredictions();
  }

  /** A run as its stored columns (no object per prediction until asked). */
  async loadRunColumns(projectKey: string, id: string): Promise<RunColumns> {
    const record = await this.#complete(projectKey, id);
    const stored = await this.db.getAll('chunks', chunkRange(id));
    if (stored.length !== record.chunkCount) {
      throw new Error(`prediction run ${id} is damaged: ${stored.length} of ${record.chunkCount} chunks are there`);
    }
    stored.sort((a, b) => a.index - b.index);
    return new RunColumns(
      stored.map((s) => s.chunk),
      record.dictionaries!,
    );
  }

  async renameRun(projectKey: string, id: string, name: string): Promise<PredictionRunInfo> {
    const checked = checkName(name);
    const tx = this.db.transaction('runs', 'readwrite');
    const record = await tx.store.get(id);
    if (!record || record.status !== 'complete' || record.projectKey !== projectKey) {
      abort(tx);
      throw new RunNotFoundError(id);
    }
    const info = { ...record.info!, name: checked };
    await tx.store.put({ ...record, info });
    await tx.done;
    return info;
  }

  /** Removes a run, its chunks and its report in one transaction. */
  async deleteRun(projectKey: string, id: string): Promise<void> {
    const record = await this.db.get('runs', id);
    if (!record || record.projectKey !== projectKey || record.status !== 'complete') throw new RunNotFoundError(id);
    await this.#discard(id);
  }

  /**
   * Removes the chunks of 'writing' runs whose writer is gone, keeping a small 'interrupted' record of each so the
   * user can be told (interruptedImports); returns how many.
   */
  async sweepStale(): Promise<number> {
    const writing = await this.db.getAllFromIndex('runs', 'by-status', 'writing');
    if (writing.length === 0) return 0;
    const alive = await writersAlive();
    let swept = 0;
    for (const run of writing) {
      if (alive.has(run.id)) continue;
      await this.#interrupt(run.id);
      swept++;
    }
    return swept;
  }

  /**
   * Removes whatever an unfinished import left (its chunks, and the notice a sweep may have made of it), once its
   * writer is gone: for a cancel, or a dead worker the page reported itself. A run that completed stays.
   * Returns false while the writer still holds its lock.
   */
  async forgetUnfinished(projectKey: string, id: string): Promise<boolean> {
    const record = await this.db.get('runs', id);
    if (!record || record.projectKey !== projectKey || record.status === 'complete') return true;
    if (record.status === 'writing' && (await writersAlive()).has(id)) return false;
    await this.#discard(id);
    return true;
  }

  /** How many runs of a project are being written (here, in another tab, or by a writer not yet swept). */
  async writingRuns(projectKey: string): Promise<number> {
    const writing = await this.db.getAllFromIndex('runs', 'by-status', 'writing');
    return writing.filter((r) => r.projectKey === projectKey).length;
  }

  /** Imports of a project that were lost before they completed (oldest first), until dismissed. */
  async interruptedImports(projectKey: string): Promise<InterruptedImport[]> {
    const records = await this.db.getAllFromIndex('runs', 'by-status', 'interrupted');
    return records
      .filter((r) => r.projectKey === projectKey)
      .sort((a, b) => a.startedAt - b.startedAt)
      .map((r) => {
        const lost: InterruptedImport = {
          id: r.id,
          name: r.draft?.name ?? 'an import',
          sources: r.draft?.sources ?? [],
          startedAt: r.startedAt,
          interruptedAt: r.interruptedAt ?? r.startedAt,
          written: r.written ?? 0,
        };
        if (r.draft?.format) lost.format = r.draft.format;
        if (r.total !== undefined) lost.total = r.total;
        return lost;
      });
  }

  /** Forgets the notice of an interrupted import. */
  async dismissInterrupted(projectKey: string, id: string): Promise<void> {
    const record = await this.db.get('runs', id);
    if (!record || record.projectKey !== projectKey || record.status !== 'interrupted') return;
    await this.#discard(id);
  }

  /** A dead writer's run: its chunks and report go, the record stays as 'interrupted' (one transaction). */
  async #interrupt(id: string): Promise<void> {
    const tx = this.db.transaction(['runs', 'chunks', 'reports'], 'readwrite');
    const record = await tx.objectStore('runs').get(id);
    if (!record || record.status !== 'writing') {
      abort(tx);
      return;
    }
    await Promise.all([
      tx.objectStore('chunks').delete(chunkRange(id)),
      tx.objectStore('reports').delete(id),
      tx.objectStore('runs').put({ ...record, status: 'interrupted', interruptedAt: Date.now(), chunkCount: 0 }),
      tx.done,
    ]);
  }

  async #complete(projectKey: string, id: string): Promise<RunRecord> {
    const record = await this.db.get('runs', id);
    if (!record || record.status !== 'complete' || record.projectKey !== projectKey) throw new RunNotFoundError(id);
    return record;
  }

  async #discard(id: string): Promise<void> {
    const tx = this.db.transaction(['runs', 'chunks', 'reports'], 'readwrite');
    await Promise.all([
      tx.objectStore('chunks').delete(chunkRange(id)),
      tx.objectStore('reports').delete(id),
      tx.objectStore('runs').delete(id),
      tx.done,
    ]);
  }
}

/** Aborts a transaction whose `done` nobody awaits any more (its rejection is expected). */
function abort(tx: { abort(): void; done: Promise<void> }) {
  tx.done.catch(() => undefined);
  tx.abort();
}

let shared: Promise<RunStore> | undefined;

/** This page's (or worker's) one connection to the runs database, opened (and swept) on first use. */
export function runStore(): Promise<RunStore> {
  shared ??= RunStore.open().catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return shared;
}

// The same operations on the shared store, for callers that do not keep one.
export const listRuns = async (projectKey: string) => (await runStore()).listRuns(projectKey);
export const saveRun = async (
  projectKey: string,
  draft: RunDraft,
  predictions: Iterable<Prediction> | AsyncIterable<Prediction>,
  options?: SaveOptions,
) => (await runStore()).saveRun(projectKey, draft, predictions, options);
export const loadRun = async (projectKey: string, id: string) => (await runStore()).loadRun(projectKey, id);
export const loadRunColumns = async (projectKey: string, id: string) =>
  (await runStore()).loadRunColumns(projectKey, id);
export const renameRun = async (projectKey: string, id: string, name: string) =>
  (await runStore()).renameRun(projectKey, id, name);
export const deleteRun = async (projectKey: string, id: string) => (await runStore()).deleteRun(projectKey, id);
export const interruptedImports = async (projectKey: string) => (await runStore()).interruptedImports(projectKey);
