// Computed quality metrics kept in IndexedDB (a database of their own, 'predlens-metrics'), so opening a project or a
// run a second time shows its charts without decoding an image again. Two kinds of entries:
//   project:<projectKey>            image + label metrics, valid for one project fingerprint
//   run:<projectKey>:<runId>        prediction metrics of one run, valid for one project fingerprint
// Every entry carries METRICS_VERSION: bump it when a metric's code changes and every old entry is recomputed.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { PredictionMetricTable, ProjectMetrics } from '../core/metrics/columns.ts';

/** Bump when any metric's computation changes: cached values from older code are then ignored and replaced. */
// 2: frame metrics (object_count, frame_object_density) moved from the label rows to the image rows, for every
//    frame; project metrics carry the images that could not be read.
export const METRICS_VERSION = 2;

export const METRICS_DB_NAME = 'predlens-metrics';
const DB_VERSION = 1;

interface Entry<T> {
  key: string;
  projectKey: string;
  version: number;
  fingerprint: string;
  savedAt: number;
  value: T;
}

interface MetricsSchema extends DBSchema {
  entries: {
    key: string;
    value: Entry<ProjectMetrics> | Entry<PredictionMetricTable>;
    indexes: { 'by-project': string };
  };
}

export type MetricsDb = IDBPDatabase<MetricsSchema>;

export function openMetricsDb(name = METRICS_DB_NAME): Promise<MetricsDb> {
  return openDB<MetricsSchema>(name, DB_VERSION, {
    upgrade(db) {
      const entries = db.createObjectStore('entries', { keyPath: 'key' });
      entries.createIndex('by-project', 'projectKey');
    },
    blocking(_current, _blocked, event) {
      (event.target as IDBDatabase).close();
    },
  });
}

const projectEntryKey = (projectKey: string) => `project:${projectKey}`;
const runEntryKey = (projectKey: string, runId: string) => `run:${projectKey}:${runId}`;

export class MetricsCache {
  readonly db: MetricsDb;
  readonly version: number;

  constructor(db: MetricsDb, version = METRICS_VERSION) {
    this.db = db;
    this.version = version;
  }

  static async open(name?: string, version?: number): Promise<MetricsCache> {
    return new MetricsCache(await openMetricsDb(name), version);
  }

  close() {
    this.db.close();
  }

  async getProject(projectKey: string, fingerprint: string): Promise<ProjectMetrics | undefined> {
    return this.#get<ProjectMetrics>(projectEntryKey(projectKey), fingerprint);
  }

  async putProject(projectKey: string, fingerprint: string, value: ProjectMetrics): Promise<void> {
    await this.#put(projectEntryKey(projectKey), projectKey, fingerprint, value);
  }

  async getRun(projectKey: string, runId: string, fingerprint: string): Promise<PredictionMetricTable | undefined> {
    return this.#get<PredictionMetricTable>(runEntryKey(projectKey, runId), fingerprint);
  }

  async putRun(projectKey: string, runId: string, fingerprint: string, value: PredictionMetricTable): Promise<void> {
    await this.#put(runEntryKey(projectKey, runId), projectKey, fingerprint, value);
  }

  /** Forgets a deleted run's metrics. */
  async deleteRun(projectKey: string, runId: string): Promise<void> {
    await this.db.delete('entries', runEntryKey(projectKey, runId));
  }

  /** Forgets everything cached for a project (all its runs too). */
  async clearProject(projectKey: string): Promise<void> {
    const tx = this.db.transaction('entries', 'readwrite');
    for (const key of await tx.store.index('by-project').getAllKeys(projectKey)) await tx.store.delete(key);
    await tx.done;
  }

  async #get<T>(key: string, fingerprint: string): Promise<T | undefined> {
    const entry = (await this.db.get('entries', key)) as Entry<T> | undefined;
    if (!entry || entry.version !== this.version || entry.fingerprint !== fingerprint) return undefined;
    return entry.value;
  }

  async #put<T extends ProjectMetrics | PredictionMetricTable>(
    key: string,
    projectKey: string,
    fingerprint: string,
    value: T,
  ) {
    const entry = { key, projectKey, version: this.version, fingerprint, savedAt: Date.now(), value } as Entry<T>;
    await this.db.put('entries', entry as MetricsSchema['entries']['value']);
  }
}

let shared: Promise<MetricsCache> | undefined;

/** The page's one connection to the metrics cache, opened on first use. */
export function metricsCache(): Promise<MetricsCache> {
  shared ??= MetricsCache.open().catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return shared;
}
