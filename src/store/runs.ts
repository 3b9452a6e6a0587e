// Prediction runs: every import becomes a named, immutable run in IndexedDB (runs-db.ts), stored as columnar
// chunks (columnar.ts). Only the name of a run can change; runs are deleted whole.
//
// Atomic writes: a run is first recorded with status 'writing', its chunks are written one transaction each, and
// one final transaction stores its info and report and marks it 'complete'. Lists only ever show complete runs, so
// a failed, cancelled or killed import (a reload, a terminated worker) is never half visible. While it writes, the
// writer holds a Web Lock named after the run; opening the store sweeps every 'writing' run whose lock nobody holds
// (its writer is gone). Where Web Locks do not exist (Node), runs written by this process are spared instead.
//
//   const store = await runStore();
//   const info = await store.saveRun(key, { name, format: 'coco', sources, report }, predictions, { signal, onProgress });
//   const runs = await store.listRuns(key);              // newest first
//   const predictions = await store.loadRun(key, info.id);
import type { ImportReport, Prediction, PredictionRunInfo, Project } from '../core/model.ts';
import { CHUNK_SIZE, ColumnarEncoder, RunColumns, type ColumnChunk } from './columnar.ts';
import { chunkRange, openRunsDb, RUNS_DB_NAME, type RunRecord, type RunsDb } from './runs-db.ts';

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
}

export interface SaveProgress {
  /** Predictions written so far. */
  written: number;
  total?: number;
}

export interface SaveOptions {
  signal?: AbortSignal;
  onProgress?: (progress: SaveProgress) => void;
  /** Predictions per chunk (tests use small chunks). */
  chunkSize?: number;
}

export class RunNotFoundError extends Error {
  constructor(readonly runId: string) {
    super(`prediction run ${runId} does not exist (it may have been deleted)`);
    this.name = 'RunNotFoundError';
  }
}

export class RunNameError extends Error {}

export const RUN_NAME_MAX = 200;

/** Runs belong to a project as opened from one place: its project_hash plus the source's name. */
export function runsProjectKey(project: Pick<Project, 'meta' | 'source'>): string {
  return `${project.meta.project_hash}|${project.source}`;
}

const LOCK_PREFIX = 'predlens-run-write:';
/** Runs being written by this JavaScript realm (the fallback where Web Locks are missing). */
const writingHere = new Set<string>();

function locks(): LockManager | undefined {
  return (globalThis.navigator as Navigator | undefined)?.locks;
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

  /** Opens the runs database and sweeps runs whose writer is gone. */
  static async open(name = RUNS_DB_NAME): Promise<RunStore> {
    const store = new RunStore(await openRunsDb(name));
    await store.sweepStale();
    return store;
  }

  close() {
    this.db.close();
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
    predictions: Iterable<Prediction>,
    options: SaveOptions = {},
  ): Promise<PredictionRunInfo> {
    const name = checkName(draft.name);
    const id = draft.id ?? newId();
    options.signal?.throwIfAborted();
    const write = () => this.#write(projectKey, id, name, draft, predictions, options);
    const manager = locks();
    if (manager) return manager.request(LOCK_PREFIX + id, write);
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
    predictions: Iterable<Prediction>,
    options: SaveOptions,
  ): Promise<PredictionRunInfo> {
    if (await this.db.get('runs', id)) throw new Error(`a prediction run with id ${id} exists already`);
    const startedAt = Date.now();
    await this.db.put('runs', { id, projectKey, status: 'writing', startedAt, chunkCount: 0 });
    const total = Array.isArray(predictions) ? predictions.length : undefined;
    const encoder = new ColumnarEncoder(options.chunkSize ?? CHUNK_SIZE);
    let index = 0;
    try {
      const put = async (chunk: ColumnChunk) => {
        options.signal?.throwIfAborted();
        await this.db.put('chunks', { runId: id, index: index++, chunk });
        options.onProgress?.({ written: encoder.counts.predictions, total });
      };
      options.onProgress?.({ written: 0, total });
      for (const p of predictions) {
        const full = encoder.add(p);
        if (full) await put(full);
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
      throw error;
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

  /** Deletes 'writing' runs whose writer is gone; returns how many. */
  async sweepStale(): Promise<number> {
    const writing = await this.db.getAllFromIndex('runs', 'by-status', 'writing');
    if (writing.length === 0) return 0;
    const manager = locks();
    let alive: Set<string>;
    if (manager) {
      const snapshot = await manager.query();
      alive = new Set(
        [...(snapshot.held ?? []), ...(snapshot.pending ?? [])]
          .map((l) => l.name ?? '')
          .filter((n) => n.startsWith(LOCK_PREFIX))
          .map((n) => n.slice(LOCK_PREFIX.length)),
      );
    } else {
      alive = writingHere;
    }
    let swept = 0;
    for (const run of writing) {
      if (alive.has(run.id)) continue;
      await this.#discard(run.id);
      swept++;
    }
    return swept;
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
  predictions: Iterable<Prediction>,
  options?: SaveOptions,
) => (await runStore()).saveRun(projectKey, draft, predictions, options);
export const loadRun = async (projectKey: string, id: string) => (await runStore()).loadRun(projectKey, id);
export const loadRunColumns = async (projectKey: string, id: string) =>
  (await runStore()).loadRunColumns(projectKey, id);
export const renameRun = async (projectKey: string, id: string, name: string) =>
  (await runStore()).renameRun(projectKey, id, name);
export const deleteRun = async (projectKey: string, id: string) => (await runStore()).deleteRun(projectKey, id);
