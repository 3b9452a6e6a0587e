// A FileTree over a folder the user picked (showDirectoryPicker, a dropped folder, or an OPFS directory).
// Directories are listed lazily and each listing is kept, so reading one label row never walks the whole tree.
import { FileMissingError, normalisePath, type FileTree } from '../core/file-tree.ts';

type Entry = FileSystemDirectoryHandle | FileSystemFileHandle;

/** Folders never worth walking: EA's `visualize` turns the project into a git repository. */
const SKIPPED_DIRECTORIES = new Set(['.git']);

export class DirectoryHandleTree implements FileTree {
  readonly name: string;
  readonly #root: FileSystemDirectoryHandle;
  readonly #listings = new Map<string, Promise<Map<string, Entry>>>();

  constructor(root: FileSystemDirectoryHandle) {
    this.#root = root;
    this.name = root.name;
  }

  /** The handle itself: structured-cloneable, so it can go to IndexedDB or a worker. */
  get handle(): FileSystemDirectoryHandle {
    return this.#root;
  }

  async list(prefix = ''): Promise<string[]> {
    const start = normalisePath(prefix);
    const dir = start === '' ? this.#root : await this.#directory(start);
    if (!dir) return [];
    const out: string[] = [];
    await this.#walk(dir, start, out);
    return out.sort();
  }

  async exists(path: string): Promise<boolean> {
    return (await this.#file(normalisePath(path))) !== undefined;
  }

  async readBytes(path: string): Promise<Uint8Array> {
    const file = await this.file(path);
    return new Uint8Array(await file.arrayBuffer());
  }

  async readText(path: string): Promise<string> {
    return (await this.file(path)).text();
  }

  async *stream(path: string): AsyncIterable<Uint8Array> {
    const reader = (await this.file(path)).stream().getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      reader.releaseLock();
    }
  }

  async readHead(path: string, length: number): Promise<Uint8Array> {
    return new Uint8Array(await (await this.file(path)).slice(0, length).arrayBuffer());
  }

  /** An object URL for the file; the caller revokes it. */
  async url(path: string): Promise<string> {
    return URL.createObjectURL(await this.file(path));
  }

  /** The File behind a path (a snapshot of its bytes at the time of the call). */
  async file(path: string): Promise<File> {
    const handle = await this.#file(normalisePath(path));
    if (!handle) throw new FileMissingError(this.name, path);
    return handle.getFile();
  }

  async #walk(dir: FileSystemDirectoryHandle, at: string, out: string[]): Promise<void> {
    const entries = await this.#entries(dir, at);
    const folders: Promise<void>[] = [];
    for (const [name, entry] of entries) {
      const path = at === '' ? name : `${at}/${name}`;
      if (entry.kind === 'file') out.push(path);
      else if (!SKIPPED_DIRECTORIES.has(name)) folders.push(this.#walk(entry, path, out));
    }
    await Promise.all(folders);
  }

  #entries(dir: FileSystemDirectoryHandle, at: string): Promise<Map<string, Entry>> {
    let listing = this.#listings.get(at);
    if (!listing) {
      listing = (async () => {
        const map = new Map<string, Entry>();
        for await (const [name, entry] of dir.entries()) map.set(name, entry);
        return map;
      })();
      this.#listings.set(at, listing);
      // A failed listing (permission revoked, folder moved) must not be remembered.
      listing.catch(() => this.#listings.delete(at));
    }
    return listing;
  }

  async #directory(path: string): Promise<FileSystemDirectoryHandle | undefined> {
    let dir = this.#root;
    let at = '';
    for (const part of path.split('/')) {
      const entry = (await this.#entries(dir, at)).get(part);
      if (!entry || entry.kind !== 'directory') return undefined;
      dir = entry;
      at = at === '' ? part : `${at}/${part}`;
    }
    return dir;
  }

  async #file(path: string): Promise<FileSystemFileHandle | undefined> {
    const cut = path.lastIndexOf('/');
    const dir = cut < 0 ? this.#root : await this.#directory(path.slice(0, cut));
    if (!dir) return undefined;
    const entry = (await this.#entries(dir, cut < 0 ? '' : path.slice(0, cut))).get(path.slice(cut + 1));
    return entry?.kind === 'file' ? entry : undefined;
  }
}
