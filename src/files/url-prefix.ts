// A FileTree over files served under a URL prefix (the built-in demo, or any static copy of a project).
// HTTP has no directory listing, so the tree reads `manifest.json` at the prefix: {"files": [relative paths]}.
// `npm run demo` writes it; scripts/demo/project-files.ts (writeManifest) can write one for any folder.
import { FileMissingError, normalisePath, underPrefix, type FileTree } from '../core/file-tree.ts';

export const MANIFEST_FILE = 'manifest.json';

export interface UrlTreeOptions {
  /** A name for messages; defaults to the prefix URL. */
  name?: string;
  /** Resolves a relative prefix; defaults to the page's or worker's location. */
  base?: string | URL;
  /** The fetch to use (tests, or a fetch with credentials). */
  fetch?: typeof fetch;
}

export class UrlTree implements FileTree {
  readonly name: string;
  /** The prefix as an absolute URL ending in '/'. */
  readonly prefix: URL;
  readonly #fetch: typeof fetch;
  #files: Promise<Set<string>> | undefined;

  constructor(prefix: string | URL, opts: UrlTreeOptions = {}) {
    const base = opts.base ?? (globalThis as { location?: { href: string } }).location?.href;
    let url: URL;
    try {
      url = base === undefined ? new URL(prefix) : new URL(prefix, base);
    } catch {
      throw new Error(
        `"${String(prefix)}" is not a URL${base === undefined ? ' (a relative prefix needs a base URL)' : ''}`,
      );
    }
    url.search = '';
    url.hash = '';
    if (!url.pathname.endsWith('/')) url.pathname += '/';
    this.prefix = url;
    this.name = opts.name ?? url.href;
    this.#fetch = opts.fetch ?? ((input, init) => fetch(input, init));
  }

  /** The absolute URL of a project-relative path; each segment is percent-encoded. */
  href(path: string): string {
    const encoded = normalisePath(path).split('/').map(encodeURIComponent).join('/');
    return new URL(encoded, this.prefix).href;
  }

  async url(path: string): Promise<string> {
    return this.href(path);
  }

  /** The manifest's paths, fetched once (again after a failure). */
  #manifest(): Promise<Set<string>> {
    this.#files ??= this.#loadManifest().catch((err) => {
      this.#files = undefined;
      throw err;
    });
    return this.#files;
  }

  async #loadManifest(): Promise<Set<string>> {
    const href = this.href(MANIFEST_FILE);
    const response = await this.#fetch(href);
    if (!response.ok) {
      throw new Error(
        `${href}: HTTP ${response.status}. A project served from a URL needs a ${MANIFEST_FILE} listing its files ` +
          `({"files": ["project_meta.yaml", ...]}); "npm run demo" writes one for the demo.`,
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(await response.text());
    } catch (err) {
      throw new Error(`${href}: not JSON (${err instanceof Error ? err.message : String(err)})`, { cause: err });
    }
    const files = (parsed as { files?: unknown })?.files;
    if (!Array.isArray(files) || !files.every((f) => typeof f === 'string')) {
      throw new Error(`${href}: expected {"files": [relative paths as strings]}`);
    }
    return new Set(files.map(normalisePath));
  }

  async list(prefix = ''): Promise<string[]> {
    return underPrefix(await this.#manifest(), prefix);
  }

  /** True for a listed file, or a folder some listed file is in. */
  async exists(path: string): Promise<boolean> {
    const files = await this.#manifest();
    const p = normalisePath(path);
    if (p === '' || files.has(p)) return true;
    for (const f of files) if (f.startsWith(p + '/')) return true;
    return false;
  }

  async readBytes(path: string): Promise<Uint8Array> {
    const response = await this.#get(path);
    return new Uint8Array(await response.arrayBuffer());
  }

  async readText(path: string): Promise<string> {
    const response = await this.#get(path);
    return response.text();
  }

  /** The first bytes through a Range request; a server that ignores ranges sends the whole file, which is fine. */
  async readHead(path: string, length: number): Promise<Uint8Array> {
    const response = await this.#get(path, { headers: { Range: `bytes=0-${Math.max(0, length - 1)}` } });
    return new Uint8Array(await response.arrayBuffer());
  }

  async #get(path: string, init?: RequestInit): Promise<Response> {
    const href = this.href(path);
    let response: Response;
    try {
      response = await this.#fetch(href, init);
    } catch (err) {
      throw new Error(`${href}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    if (response.status === 404) throw new FileMissingError(this.name, normalisePath(path));
    if (!response.ok) throw new Error(`${href}: HTTP ${response.status} ${response.statusText}`.trim());
    return response;
  }
}
