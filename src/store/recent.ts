// Recent folders: the directory handles (and the demo) the user opened, newest first, kept in IndexedDB.
import type { PredlensDb, RecentFolder } from './db.ts';

export type { RecentFolder } from './db.ts';

/** How many folders the list keeps. */
export const RECENT_LIMIT = 12;

export type RecentInput =
  | { kind: 'demo'; name: string; title?: string }
  | { kind: 'handle'; handle: FileSystemDirectoryHandle; title?: string }
  | { kind: 'picked'; name: string; title?: string };

export class RecentFolders {
  readonly #db: PredlensDb;
  constructor(db: PredlensDb) {
    this.#db = db;
  }

  /** Newest first. */
  async list(): Promise<RecentFolder[]> {
    const all = await this.#db.getAllFromIndex('recentFolders', 'by-openedAt');
    return all.reverse();
  }

  /** Records an opening; the same folder (same handle entry, or the demo) moves to the top instead of repeating. */
  async remember(input: RecentInput, now = Date.now()): Promise<RecentFolder> {
    const existing = await this.#find(input);
    const entry: RecentFolder = {
      id: existing?.id ?? (input.kind === 'demo' ? 'demo' : crypto.randomUUID()),
      kind: input.kind,
      name: input.kind === 'handle' ? input.handle.name : input.name,
      title: input.title ?? existing?.title,
      handle: input.kind === 'handle' ? input.handle : undefined,
      openedAt: now,
    };
    await this.#db.put('recentFolders', entry);
    await this.#trim();
    return entry;
  }

  async forget(id: string): Promise<void> {
    await this.#db.delete('recentFolders', id);
  }

  async get(id: string): Promise<RecentFolder | undefined> {
    return this.#db.get('recentFolders', id);
  }

  async #find(input: RecentInput): Promise<RecentFolder | undefined> {
    if (input.kind === 'demo') return this.get('demo');
    const all = await this.#db.getAll('recentFolders');
    for (const entry of all) {
      if (entry.kind !== input.kind) continue;
      if (input.kind === 'picked' && entry.name === input.name) return entry;
      if (input.kind === 'handle' && entry.handle && (await entry.handle.isSameEntry(input.handle))) return entry;
    }
    return undefined;
  }

  async #trim(): Promise<void> {
    const all = await this.list();
    for (const old of all.slice(RECENT_LIMIT)) await this.#db.delete('recentFolders', old.id);
  }
}

/** Asks for read access to a remembered folder again; must run in a user gesture (a click) to show a prompt. */
export async function ensureReadAccess(handle: FileSystemDirectoryHandle): Promise<boolean> {
  const descriptor = { mode: 'read' as const };
  if ((await handle.queryPermission?.(descriptor)) === 'granted') return true;
  if (!handle.requestPermission) return true; // browsers without the permission API keep access for the session
  return (await handle.requestPermission(descriptor)) === 'granted';
}
