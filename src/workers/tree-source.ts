// A FileTree described as plain, structured-cloneable data, so a worker can rebuild it: a directory handle, a
// URL prefix, File objects, or a list of paths whose bytes the page hands over on request. `root` selects a
// sub-folder.
import { FileMissingError, normalisePath, SubTree, underPrefix, type FileTree } from '../core/file-tree.ts';
import { DirectoryHandleTree } from '../files/directory-handle.ts';
import { FileListTree, type FileEntry } from '../files/file-list.ts';
import { UrlTree } from '../files/url-prefix.ts';

export type TreeSource = (
  | { kind: 'handle'; handle: FileSystemDirectoryHandle }
  | { kind: 'url'; base: string; name: string }
  /** File objects; fine for a few hundred, slow to post for thousands (see RemoteTree). */
  | { kind: 'files'; name: string; entries: FileEntry[] }
  /** Files the page holds (a file input, a drop): the worker gets the paths and asks for bytes it needs. */
  | { kind: 'remote'; name: string; paths: string[] }
) & { root?: string };

/** How a worker asks the page for a file of a 'remote' source (its first `length` bytes, when given). */
export type ReadFile = (path: string, length?: number) => Promise<Uint8Array>;

/**
 * A tree whose listing is known and whose bytes live elsewhere. Posting thousands of File objects to a worker
 * costs ~0.15 ms each on the sending thread (Chromium registers every blob), a second for a 3,000-image
 * project; asking for the few files a reader opens costs nothing up front.
 */
export class RemoteTree implements FileTree {
  readonly name: string;
  readonly #paths: Set<string>;
  readonly #read: ReadFile;

  constructor(name: string, paths: Iterable<string>, read: ReadFile) {
    this.name = name;
    this.#paths = new Set(Array.from(paths, normalisePath));
    this.#read = read;
  }

  async list(prefix = ''): Promise<string[]> {
    return underPrefix(this.#paths, prefix);
  }

  async exists(path: string): Promise<boolean> {
    return this.#paths.has(normalisePath(path));
  }

  async readBytes(path: string): Promise<Uint8Array> {
    const p = normalisePath(path);
    if (!this.#paths.has(p)) throw new FileMissingError(this.name, p);
    return this.#read(p);
  }

  async readText(path: string): Promise<string> {
    return new TextDecoder().decode(await this.readBytes(path));
  }

  async readHead(path: string, length: number): Promise<Uint8Array> {
    const p = normalisePath(path);
    if (!this.#paths.has(p)) throw new FileMissingError(this.name, p);
    return this.#read(p, length);
  }
}

export function treeFromSource(source: TreeSource, read?: ReadFile): FileTree {
  let tree: FileTree;
  if (source.kind === 'handle') tree = new DirectoryHandleTree(source.handle);
  else if (source.kind === 'url') tree = new UrlTree(source.base, { name: source.name });
  else if (source.kind === 'files') tree = new FileListTree(source.name, source.entries);
  else {
    if (!read) throw new Error(`the files of ${source.name} need a reader on the page`);
    tree = new RemoteTree(source.name, source.paths, read);
  }
  return source.root ? new SubTree(tree, source.root) : tree;
}

/** The source a tree was made from, when it can be rebuilt elsewhere (a worker); undefined otherwise. */
export function sourceOfTree(tree: FileTree): TreeSource | undefined {
  if (tree instanceof DirectoryHandleTree) return { kind: 'handle', handle: tree.handle };
  if (tree instanceof FileListTree) return { kind: 'files', name: tree.name, entries: tree.entries() };
  if (tree instanceof UrlTree) return { kind: 'url', base: tree.prefix.href, name: tree.name };
  return undefined;
}
