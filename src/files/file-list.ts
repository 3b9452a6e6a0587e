// A FileTree over File objects: what <input webkitdirectory> gives, and what a folder drop gives where
// directory handles are not available. Files are structured-cloneable, so the tree's entries can go to a worker.
import { FileMissingError, normalisePath, underPrefix, type FileTree } from '../core/file-tree.ts';
import { DirectoryHandleTree } from './directory-handle.ts';
import { pushAll } from '../core/array.ts';

export interface FileEntry {
  /** Project-relative path. */
  path: string;
  file: File;
}

export class FileListTree implements FileTree {
  readonly name: string;
  readonly #files: Map<string, File>;

  constructor(name: string, entries: Iterable<FileEntry>) {
    this.name = name;
    this.#files = new Map();
    for (const { path, file } of entries) this.#files.set(normalisePath(path), file);
  }

  /**
   * The files of an `<input type="file" webkitdirectory>`: every `webkitRelativePath` starts with the picked
   * folder's name, which becomes the tree's name and is cut off the paths.
   */
  static fromInput(files: FileList | readonly File[]): FileListTree {
    const list = Array.from(files);
    const first = list[0]?.webkitRelativePath ?? '';
    const name = first.includes('/') ? first.slice(0, first.indexOf('/')) : 'selected files';
    return new FileListTree(
      name,
      list.map((file) => ({ path: stripFirstSegment(file.webkitRelativePath || file.name), file })),
    );
  }

  get size(): number {
    return this.#files.size;
  }

  /** The entries (File objects are structured-cloneable). */
  entries(): FileEntry[] {
    return Array.from(this.#files, ([path, file]) => ({ path, file }));
  }

  /** Every path, unsorted. */
  paths(): string[] {
    return [...this.#files.keys()];
  }

  async list(prefix = ''): Promise<string[]> {
    return underPrefix(this.#files.keys(), prefix);
  }

  async exists(path: string): Promise<boolean> {
    return this.#files.has(normalisePath(path));
  }

  file(path: string): File {
    const file = this.#files.get(normalisePath(path));
    if (!file) throw new FileMissingError(this.name, path);
    return file;
  }

  async readBytes(path: string): Promise<Uint8Array> {
    return new Uint8Array(await this.file(path).arrayBuffer());
  }

  async readText(path: string): Promise<string> {
    return this.file(path).text();
  }

  async *stream(path: string): AsyncIterable<Uint8Array> {
    const reader = this.file(path).stream().getReader();
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
    return new Uint8Array(await this.file(path).slice(0, length).arrayBuffer());
  }

  /** An object URL for the file; the caller revokes it. */
  async url(path: string): Promise<string> {
    return URL.createObjectURL(this.file(path));
  }
}

function stripFirstSegment(path: string): string {
  const p = normalisePath(path);
  const cut = p.indexOf('/');
  return cut < 0 ? p : p.slice(cut + 1);
}

// ---------------------------------------------------------------- drag and drop

/** What a drop gave: a tree, and the directory handle when the browser offers one (it can be remembered). */
export interface DroppedFolder {
  tree: FileTree;
  handle?: FileSystemDirectoryHandle;
}

export class DropError extends Error {}

/**
 * Reads a drop of one folder (the tree is rooted at it) or of several items (they become the root, as when
 * the contents of a project folder are dragged). Must be called inside the drop handler: the DataTransfer's
 * items stop working once the event returns, so every handle and entry is requested before the first await.
 */
export function readDrop(data: DataTransfer): Promise<DroppedFolder> {
  const items = Array.from(data.items).filter((item) => item.kind === 'file');
  const handles = items.map((item) => item.getAsFileSystemHandle?.() ?? Promise.resolve(null));
  const entries = items.map((item) => item.webkitGetAsEntry());
  return (async () => {
    if (items.length === 0) throw new DropError('Nothing to open in that drop: drag a project folder from your files.');
    const resolved = await Promise.all(handles.map((p) => p.catch(() => null)));
    if (resolved.length === 1 && resolved[0]?.kind === 'directory') {
      const handle = resolved[0] as FileSystemDirectoryHandle;
      return { tree: new DirectoryHandleTree(handle), handle };
    }
    const usable = entries.filter((e): e is FileSystemEntry => e !== null);
    if (usable.length === 0) {
      throw new DropError('This browser did not hand over the dropped folder: use “Open project folder…” instead.');
    }
    if (usable.length === 1 && usable[0].isDirectory) {
      const root = usable[0] as FileSystemDirectoryEntry;
      return { tree: new FileListTree(root.name, await walkEntry(root, '')) };
    }
    if (usable.length === 1) {
      throw new DropError(`${usable[0].name} is a file: drop the project or dataset folder (the one holding it all).`);
    }
    const all: FileEntry[] = [];
    for (const entry of usable) {
      if (entry.isDirectory) pushAll(all, await walkEntry(entry as FileSystemDirectoryEntry, entry.name));
      else all.push({ path: entry.name, file: await entryFile(entry as FileSystemFileEntry) });
    }
    return { tree: new FileListTree('dropped files', all) };
  })();
}

async function walkEntry(dir: FileSystemDirectoryEntry, at: string): Promise<FileEntry[]> {
  const out: FileEntry[] = [];
  for (const entry of await readAllEntries(dir)) {
    const path = at === '' ? entry.name : `${at}/${entry.name}`;
    if (entry.isDirectory) {
      if (entry.name !== '.git') pushAll(out, await walkEntry(entry as FileSystemDirectoryEntry, path));
    } else {
      out.push({ path, file: await entryFile(entry as FileSystemFileEntry) });
    }
  }
  return out;
}

/** readEntries returns at most 100 entries a call; it signals the end with an empty batch. */
async function readAllEntries(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    pushAll(all, batch);
  }
}

function entryFile(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}
