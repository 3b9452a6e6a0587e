// A view of some files of a tree: what the user picked (one prediction file out of a folder, or a few).
import { FileMissingError, normalisePath, underPrefix, type FileTree } from '../file-tree.ts';

export class FileSubset implements FileTree {
  readonly #base: FileTree;
  readonly #paths: Set<string>;
  constructor(
    base: FileTree,
    paths: readonly string[],
    readonly name: string = base.name,
  ) {
    this.#base = base;
    this.#paths = new Set(paths.map(normalisePath));
  }
  async list(prefix = '') {
    return underPrefix(this.#paths, prefix);
  }
  async exists(path: string) {
    return this.#paths.has(normalisePath(path));
  }
  readBytes(path: string) {
    if (!this.#paths.has(normalisePath(path))) return Promise.reject(new FileMissingError(this.name, path));
    return this.#base.readBytes(path);
  }
  readText(path: string) {
    if (!this.#paths.has(normalisePath(path))) return Promise.reject(new FileMissingError(this.name, path));
    return this.#base.readText(path);
  }
}
