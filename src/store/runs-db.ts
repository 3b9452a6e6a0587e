// The prediction-run database: its own IndexedDB database ('predlens-runs'), apart from the app's ('predlens',
// db.ts), so runs can grow to millions of predictions without touching the app's schema or upgrade path.
//
// runs     one record per run: its info, dictionaries and status. Only status 'complete' is ever shown.
// chunks   [runId, index] -> ColumnChunk (columnar.ts); a run of 1M predictions is ~16 records.
// reports  runId -> the full ImportReport (every rejected record can be many; kept out of the list's way).
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { ImportReport, PredictionRunInfo } from '../core/model.ts';
import type { ColumnChunk, RunDictionaries } from './columnar.ts';

/**
 * writing: chunks are being written (its writer holds a Web Lock); complete: visible; interrupted: the writer died
 * (a reload, a closed tab, a killed worker) and its chunks were removed, only kept so the user can be told.
 */
export type RunStatus = 'writing' | 'complete' | 'interrupted';

export interface RunRecord {
  id: string;
  projectKey: string;
  status: RunStatus;
  /** ms since the epoch when writing began (for messages; sweeping uses locks, see runs.ts). */
  startedAt: number;
  /** Set when complete. */
  info?: PredictionRunInfo;
  dictionaries?: RunDictionaries;
  chunkCount: number;
  /** While writing (and once interrupted): what the run was to be, to tell the user what was lost. */
  draft?: { name: string; format: PredictionRunInfo['format']; sources: string[] };
  /** Predictions written so far, and how many there were to write (when known). */
  written?: number;
  total?: number;
  /** When a sweep found the writer gone (status 'interrupted'). */
  interruptedAt?: number;
}

export interface ChunkRecord {
  runId: string;
  index: number;
  chunk: ColumnChunk;
}

export interface ReportRecord {
  runId: string;
  report: ImportReport;
}

export interface RunsSchema extends DBSchema {
  runs: {
    key: string;
    value: RunRecord;
    indexes: { 'by-project': string; 'by-status': RunStatus };
  };
  chunks: {
    key: [string, number];
    value: ChunkRecord;
  };
  reports: {
    key: string;
    value: ReportRecord;
  };
}

export const RUNS_DB_NAME = 'predlens-runs';
export const RUNS_DB_VERSION = 1;

export type RunsDb = IDBPDatabase<RunsSchema>;

export function openRunsDb(name = RUNS_DB_NAME): Promise<RunsDb> {
  return openDB<RunsSchema>(name, RUNS_DB_VERSION, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        const runs = db.createObjectStore('runs', { keyPath: 'id' });
        runs.createIndex('by-project', 'projectKey');
        runs.createIndex('by-status', 'status');
        db.createObjectStore('chunks', { keyPath: ['runId', 'index'] });
        db.createObjectStore('reports', { keyPath: 'runId' });
      }
    },
    blocking(_current, _blocked, event) {
      (event.target as IDBDatabase).close();
    },
  });
}

/** Every chunk key of one run: [id, 0] .. [id, +inf]. */
export function chunkRange(runId: string): IDBKeyRange {
  return IDBKeyRange.bound([runId, 0], [runId, Infinity]);
}
