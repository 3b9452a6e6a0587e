// Paths inside an opened dataset folder: joining and resolving relative paths, image extensions, which images a
// browser can show, and finding a file named by a path written elsewhere (an absolute path matched by its tail).
import { compareUtf8 } from './order.ts';

/** Image extensions the layouts read (Ultralytics' list, plus gif, which browsers show). Lower case. */
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set([
  'avif',
  'bmp',
  'dng',
  'gif',
  'heic',
  'jp2',
  'jpeg',
  'jpg',
  'mpo',
  'png',
  'tif',
  'tiff',
  'webp',
]);

/** What a browser's decoder shows; avif in most browsers. Everything else is listed, never decoded. */
const VIEWABLE = new Set(['avif', 'bmp', 'gif', 'jpeg', 'jpg', 'png', 'webp']);

const MIME: Record<string, string> = {
  avif: 'image/avif',
  bmp: 'image/bmp',
  dng: 'image/x-adobe-dng',
  gif: 'image/gif',
  heic: 'image/heic',
  jp2: 'image/jp2',
  jpeg: 'image/jpeg',
  jpg: 'image/jpeg',
  mpo: 'image/jpeg',
  png: 'image/png',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  webp: 'image/webp',
};

/** The extension after the last dot of the last segment, lower case ('' when none). */
export function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

export const isImagePath = (path: string) => IMAGE_EXTENSIONS.has(extensionOf(path));

/** The MIME type of an image path ('application/octet-stream' when unknown). */
export const imageMime = (path: string) => MIME[extensionOf(path)] ?? 'application/octet-stream';

/**
 * Why a browser cannot show the image at `path`, or undefined when it can: TIFF, HEIC, DNG and JPEG 2000 are
 * read for their sizes only.
 */
export function notViewableReason(path: string): string | undefined {
  const ext = extensionOf(path);
  if (ext === '' || VIEWABLE.has(ext) || ext === 'mpo') return undefined;
  const name = { tif: 'TIFF', tiff: 'TIFF', heic: 'HEIC', dng: 'DNG', jp2: 'JPEG 2000' }[ext] ?? ext.toUpperCase();
  return `${name} images cannot be shown in a browser; evaluation still works from the annotation sizes`;
}

/** The file name without folders and without its last extension. */
export function stemOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

/** The folder of a path ('' at the top). */
export function dirOf(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut < 0 ? '' : path.slice(0, cut);
}

/** `a/b` + `c` = `a/b/c`, with '' as the top folder. */
export function joinPath(dir: string, rel: string): string {
  return dir === '' ? rel : rel === '' ? dir : `${dir}/${rel}`;
}

/**
 * Resolves `rel` against folder `dir`: '.' and '..' segments applied, backslashes as '/'. Returns undefined when
 * the result leaves the top folder (more '..' than folders) or `rel` is absolute.
 */
export function resolvePath(dir: string, rel: string): string | undefined {
  const text = rel.replace(/\\/g, '/');
  if (isAbsolute(text)) return undefined;
  const out = dir === '' ? [] : dir.split('/');
  for (const part of text.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(part);
  }
  return out.join('/');
}

/** '/x', 'C:/x', 'C:\x', '\\server\x' and URLs are absolute. */
export function isAbsolute(path: string): boolean {
  return /^([/\\]|[A-Za-z]:[/\\]|[a-z][a-z0-9+.-]*:\/\/)/i.test(path);
}

/**
 * Finds files by a path written somewhere else: exactly, or by the longest tail of the written path that names a
 * file under `base` (an absolute `/home/me/coco/val2017/x.jpg` matches `val2017/x.jpg`).
 */
export class TailIndex {
  readonly #paths: ReadonlySet<string>;
  readonly #byName = new Map<string, string[]>();

  constructor(paths: Iterable<string>) {
    const all = new Set(paths);
    this.#paths = all;
    for (const p of all) {
      const name = p.slice(p.lastIndexOf('/') + 1);
      const list = this.#byName.get(name);
      if (list) list.push(p);
      else this.#byName.set(name, [p]);
    }
  }

  has(path: string): boolean {
    return this.#paths.has(path);
  }

  /** The file `written` names under folder `base`: the exact path, else the file whose path ends longest alike. */
  find(base: string, written: string): string | undefined {
    const text = written.replace(/\\/g, '/');
    if (!isAbsolute(text)) {
      const exact = resolvePath(base, text);
      if (exact !== undefined && this.#paths.has(exact)) return exact;
    }
    const parts = text.split('/').filter((s) => s !== '' && s !== '.');
    const name = parts.at(-1);
    const candidates = name === undefined ? undefined : this.#byName.get(name);
    if (!candidates) return undefined;
    const prefix = base === '' ? '' : base + '/';
    let best: string | undefined;
    let bestLength = 0;
    for (const c of candidates) {
      if (!c.startsWith(prefix)) continue;
      const cParts = c.slice(prefix.length).split('/');
      let k = 0;
      while (k < cParts.length && k < parts.length && cParts[cParts.length - 1 - k] === parts[parts.length - 1 - k])
        k++;
      // The whole remainder under base must be matched, or a same-named file elsewhere would be taken.
      if (k === cParts.length && (k > bestLength || (k === bestLength && best && compareUtf8(c, best) < 0))) {
        best = c;
        bestLength = k;
      }
    }
    return best;
  }
}
