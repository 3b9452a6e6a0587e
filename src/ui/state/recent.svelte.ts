// The recent-folders list as the start screen shows it, backed by the IndexedDB store.
import { appDb } from '../../store/db.ts';
import { RecentFolders, type RecentFolder, type RecentInput } from '../../store/recent.ts';

export class RecentList {
  items = $state.raw<RecentFolder[]>([]);
  loaded = $state(false);
  /** IndexedDB can be unavailable (private windows of some browsers); the app still works without the list. */
  unavailable = $state(false);

  #store?: Promise<RecentFolders>;

  #open(): Promise<RecentFolders> {
    this.#store ??= appDb().then((db) => new RecentFolders(db));
    return this.#store;
  }

  async refresh(): Promise<void> {
    try {
      this.items = await (await this.#open()).list();
    } catch {
      this.unavailable = true;
    } finally {
      this.loaded = true;
    }
  }

  async remember(input: RecentInput): Promise<void> {
    try {
      await (await this.#open()).remember(input);
      await this.refresh();
    } catch {
      this.unavailable = true;
    }
  }

  async forget(id: string): Promise<void> {
    try {
      await (await this.#open()).forget(id);
      await this.refresh();
    } catch {
      this.unavailable = true;
    }
  }
}
