// One way to read a folder, whatever holds it: a directory handle, a File list, a URL prefix or Node's fs.
// Backings live in src/files/. Paths are project-relative, '/'-separated, with no leading './' or '/'.

export interface FileTree {
  /** A human name for where the files come from (a folder name, a URL). */
  readonly name: string;
  /** Every file path under `prefix` (a folder path, '' for all), recursively, sorted. */
  list(prefix?: string): Promise<string[]>;
  exists(path: string): Promise<boolean>;
  readBytes(path: string): Promise<Uint8Array>;
  readText(path: string): Promise<string>;
  /**
   * At least the first `length` bytes of a file (fewer only when the file is shorter), for backings that can read
   * part of a file; callers fall back to readBytes (see readHead).
   */
  readHead?(path: string, length: number): Promise<Uint8Array>;
  /** The file's bytes in pieces, for backings that can stream (a file of hundreds of megabytes); see readChunks. */
  stream?(path: string): AsyncIterable<Uint8Array>;
  /** A URL an <img> can show, where the backing can give one (object URLs must be revoked by the caller). */
  url?(path: string): Promise<string>;
}

export class FileMissingError extends Error {
  constructor(
    readonly tree: string,
    readonly path: string,
  ) {
    super(`${path} not found in ${tree}`);
  }
}

/** A path that names a folder where a file is expected. */
export class NotAFileError extends Error {
  constructor(
    readonly tree: string,
    readonly path: string,
  ) {
    super(`${path}: a folder, not a file (in ${tree})`);
  }
}

/** The first `length` bytes of a file (or more: a backing without partial reads gives the whole file). */
export function readHead(tree: FileTree, path: string, length: number): Promise<Uint8Array> {
  return tree.readHead ? tree.readHead(path, length) : tree.readBytes(path);
}

/** A file's bytes in pieces: streamed where the backing can, else the whole file as one piece. */
export async function* readChunks(tree: FileTree, path: string): AsyncIterable<Uint8Array> {
  if (tree.stream) yield* tree.stream(path);
  else yield await tree.readBytes(path);
}

/** Normalises a relative path: backslashes to '/', no leading './' or '/', no empty segments. */
export function normalisePath(path: string): string {
  return path
    .replace(/\\/g, '/')
    .split('/')
    .filter((s) => s !== '' && s !== '.')
    .join('/');
}

/** Keeps the paths under `prefix` (a folder), sorted. */
export function underPrefix(paths: Iterable<string>, prefix = ''): string[] {
  const p = normalisePath(prefix);
  const out: string[] = [];
  for (const path of paths) if (p === '' || path.startsWith(p + '/')) out.push(path);
  return out.sort();
}

/** A FileTree over an in-memory map, for tests and for files built in the page. */
export class MemoryTree implements FileTree {
  readonly #files: Map<string, Uint8Array>;
  constructor(
    readonly name: string,
    files: Record<string, Uint8Array | string>,
  ) {
    const enc = new TextEncoder();
    this.#files = new Map(
      Object.entries(files).map(([k, v]) => [normalisePath(k), typeof v === 'string' ? enc.encode(v) : v]),
    );
  }
  async list(prefix = '') {
    return underPrefix(this.#files.keys(), prefix);
  }
  async exists(path: string) {
    return this.#files.has(normalisePath(path));
  }
  async readBytes(path: string) {
    const bytes = this.#files.get(normalisePath(path));
    if (!bytes) throw new FileMissingError(this.name, path);
    return bytes;
  }
  async readText(path: string) {
    return new TextDecoder().decode(await this.readBytes(path));
  }
  async readHead(path: string, length: number) {
    return (await this.readBytes(path)).subarray(0, length);
  }
}

/** A view of a sub-folder of another tree. */
export class SubTree implements FileTree {
  readonly #base: FileTree;
  readonly #prefix: string;
  /** Present when the base tree gives URLs. */
  readonly url?: (path: string) => Promise<string>;
  constructor(base: FileTree, prefix: string) {
    this.#base = base;
    this.#prefix = normalisePath(prefix);
    const url = base.url?.bind(base);
    if (url) this.url = (path) => url(this.#full(path));
  }
  get name() {
    return `${this.#base.name}/${this.#prefix}`;
  }
  #full(path: string) {
    return this.#prefix === '' ? normalisePath(path) : `${this.#prefix}/${normalisePath(path)}`;
  }
  async list(prefix = '') {
    const cut = this.#prefix === '' ? 0 : this.#prefix.length + 1;
    return (await this.#base.list(this.#full(prefix))).map((p) => p.slice(cut));
  }
  exists(path: string) {
    return this.#base.exists(this.#full(path));
  }
  readBytes(path: string) {
    return this.#base.readBytes(this.#full(path));
  }
  readText(path: string) {
    return this.#base.readText(this.#full(path));
  }
  readHead(path: string, length: number) {
    return readHead(this.#base, this.#full(path), length);
  }
  stream(path: string) {
    return readChunks(this.#base, this.#full(path));
  }
}
