// The app's IndexedDB database: one typed schema (idb's DBSchema), one upgrade path.
// To add a store: add it to PredlensSchema, bump DB_VERSION and add an `if (oldVersion < N)` block in upgrade().
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

/** A folder the user opened before. The handle is kept (IndexedDB can store directory handles, not paths). */
export interface RecentFolder {
  /** 'demo' for the built-in demo; a random id for a folder. */
  id: string;
  kind: 'demo' | 'handle' | 'picked';
  /** The folder's name. */
  name: string;
  /** The project title read from project_meta.yaml, when the project opened. */
  title?: string;
  /** kind 'handle' only. Access must be asked for again after a reload (requestPermission). */
  handle?: FileSystemDirectoryHandle;
  /** ms since the epoch. */
  openedAt: number;
}

export interface PredlensSchema extends DBSchema {
  recentFolders: {
    key: string;
    value: RecentFolder;
    indexes: { 'by-openedAt': number };
  };
}

export const DB_NAME = 'predlens';
export const DB_VERSION = 1;

export type PredlensDb = IDBPDatabase<PredlensSchema>;

/** Opens (and creates or upgrades) the database. Tests pass their own name to stay apart from the app's data. */
export function openAppDb(name = DB_NAME): Promise<PredlensDb> {
  return openDB<PredlensSchema>(name, DB_VERSION, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        const recent = db.createObjectStore('recentFolders', { keyPath: 'id' });
        recent.createIndex('by-openedAt', 'openedAt');
      }
    },
    blocking(_current, _blocked, event) {
      // Another tab runs a newer version of the app: let its upgrade through.
      (event.target as IDBDatabase).close();
    },
  });
}

let shared: Promise<PredlensDb> | undefined;

/** The page's one connection, opened on first use. */
export function appDb(): Promise<PredlensDb> {
  shared ??= openAppDb().catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return shared;
}
