// Which images each split of a YOLO (Ultralytics) dataset holds (spec "YOLO"): the YAML's root (`path` when it is
// a relative folder inside the opened folder, else the YAML's folder) and its train/val/test entries, each a
// folder (every image below it), a .txt list or a list of both; `../x` that leaves the root is tried as `x`, as
// Ultralytics does for Roboflow's `train: ../train/images`. Without a YAML: images/<split>/ + labels/<split>/.
import type { ProblemLog } from '../project/problems.ts';
import { ProjectFileError } from '../project/errors.ts';
import type { FileTree } from '../file-tree.ts';
import { dirOf, isAbsolute, isImagePath, resolvePath } from './paths.ts';

export const YAML_FILES = ['data.yaml', 'dataset.yaml'] as const;
export const SPLIT_KEYS = ['train', 'val', 'test'] as const;

export interface YoloSplit {
  name: string;
  /** Image paths in the opened folder, in the order listed. */
  images: string[];
}

export interface YoloLayoutInfo {
  /** The YAML read, or undefined for the images/ + labels/ layout. */
  yaml?: string;
  /** The dataset root in the opened folder ('' = the top). */
  root: string;
  splits: YoloSplit[];
  /** Class index -> name from the YAML; undefined without one (the indices are the names). */
  names?: Map<number, string>;
}

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export class FolderListing {
  readonly files: ReadonlySet<string>;
  readonly #sorted: readonly string[];
  constructor(paths: readonly string[]) {
    this.#sorted = paths;
    this.files = new Set(paths);
  }
  /** Every file below folder `dir` ('' = all), in listing order. */
  under(dir: string): string[] {
    if (dir === '') return [...this.#sorted];
    const prefix = dir + '/';
    return this.#sorted.filter((p) => p.startsWith(prefix));
  }
  isFolder(dir: string): boolean {
    if (dir === '') return true;
    const prefix = dir + '/';
    return this.#sorted.some((p) => p.startsWith(prefix));
  }
}

/** The splits of a YOLO folder: from its YAML (parsed) or from images/<split>/. */
export async function yoloSplits(
  tree: FileTree,
  listing: FolderListing,
  yamlFile: string | undefined,
  config: unknown,
  log: ProblemLog,
): Promise<YoloLayoutInfo> {
  if (yamlFile === undefined) return folderSplits(listing);
  if (!isRecord(config))
    throw new ProjectFileError(yamlFile, 'a dataset YAML is a mapping (train:, val:, names:, ...)');
  const root = datasetRoot(listing, config.path, yamlFile, log);
  const splits: YoloSplit[] = [];
  for (const key of SPLIT_KEYS) {
    const value = config[key];
    if (value === undefined || value === null || value === '') continue;
    const entries = Array.isArray(value) ? value : [value];
    const images: string[] = [];
    for (const entry of entries) {
      if (typeof entry !== 'string' || entry.trim() === '') {
        log.add({
          file: yamlFile,
          record: key,
          code: 'bad_split_entry',
          reason: `${JSON.stringify(entry)} is not a path`,
        });
        continue;
      }
      const found = splitEntry(listing, root, entry.trim(), yamlFile, key, log);
      const listed =
        found.list === undefined ? found.images : listImages(listing, found.list, await tree.readText(found.list), log);
      for (const p of listed) images.push(p);
    }
    // A split whose entries found nothing (reported above) is not offered.
    if (images.length > 0) splits.push({ name: key, images });
  }
  if (splits.length === 0) {
    throw new ProjectFileError(
      yamlFile,
      'no split holds images: train:, val: or test: must name a folder, a .txt list or a list of them in this folder',
    );
  }
  return { yaml: yamlFile, root, splits, names: classNames(config.names, yamlFile) };
}

function datasetRoot(listing: FolderListing, path: unknown, yamlFile: string, log: ProblemLog): string {
  if (typeof path !== 'string' || path.trim() === '') return '';
  const resolved = resolvePath('', path.trim());
  if (resolved !== undefined && listing.isFolder(resolved)) return resolved;
  log.add({
    file: yamlFile,
    record: 'path',
    code: 'yaml_path_outside',
    reason: `path "${path}" is not a folder inside the opened folder; the YAML's folder is the dataset root`,
  });
  return '';
}

const inside = (root: string, p: string) => root === '' || p === root || p.startsWith(root + '/');

/** The images one train/val/test entry names (paths in the opened folder), or the .txt list that names them. */
function splitEntry(
  listing: FolderListing,
  root: string,
  entry: string,
  yamlFile: string,
  key: string,
  log: ProblemLog,
): { images: string[]; list?: string } {
  const problem = (reason: string) => {
    log.add({
      file: yamlFile,
      record: key,
      code: 'missing_split_path',
      reason: `${key}: ${reason}; no images read for it`,
    });
    return { images: [] };
  };
  const exists = (p: string | undefined): p is string =>
    p !== undefined && (listing.files.has(p) || listing.isFolder(p));
  let target = resolvePath(root, entry);
  const tried: string[] = target === undefined ? [] : [target];
  if (entry.startsWith('../') && (target === undefined || !inside(root, target))) {
    const stripped = resolvePath(root, entry.replace(/^(\.\.\/)+/, ''));
    if (stripped !== undefined) tried.push(stripped);
    if (exists(stripped)) target = stripped;
  }
  if (target === undefined && isAbsolute(entry)) target = byTail(listing, entry);
  if (target === undefined) {
    return problem(
      tried.length
        ? `"${entry}" is not here (looked for ${tried.join(' and ')})`
        : `"${entry}" is outside the opened folder`,
    );
  }
  if (!exists(target)) {
    return problem(`"${entry}" is not here (looked for ${tried.length ? tried.join(' and ') : target})`);
  }
  if (target.toLowerCase().endsWith('.txt')) {
    if (!listing.files.has(target)) return problem(`the list ${target} is missing`);
    return { images: [], list: target };
  }
  if (!listing.isFolder(target)) return problem(`"${entry}" (${target}) is not a folder or a .txt list`);
  return { images: listing.under(target).filter(isImagePath) };
}

/** An absolute folder written by someone else's machine: its longest tail that is a folder here. */
function byTail(listing: FolderListing, absolute: string): string | undefined {
  const parts = absolute.replace(/\\/g, '/').split('/').filter(Boolean);
  for (let k = parts.length - 1; k >= 1; k--) {
    const tail = parts.slice(parts.length - k).join('/');
    if (listing.isFolder(tail) || listing.files.has(tail)) return tail;
  }
  return undefined;
}

/** Reads a .txt image list: one path a line relative to the list's folder (optional ./), blank lines skipped. */
export function listImages(listing: FolderListing, listFile: string, text: string, log: ProblemLog): string[] {
  const dir = dirOf(listFile);
  const out: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const path = isAbsolute(line) ? byTail(listing, line) : resolvePath(dir, line);
    if (path === undefined || !listing.files.has(path)) {
      log.add({
        file: listFile,
        record: i + 1,
        code: 'listed_image_missing',
        reason: `"${line}" is not a file in the folder; skipped`,
      });
    } else out.push(path);
  });
  return out;
}

/** `names` as a list or a dict {index: name}. */
function classNames(names: unknown, yamlFile: string): Map<number, string> | undefined {
  if (names === undefined || names === null) return undefined;
  const out = new Map<number, string>();
  if (Array.isArray(names)) names.forEach((n, i) => out.set(i, String(n)));
  else if (isRecord(names)) {
    for (const [k, v] of Object.entries(names)) {
      const index = Number(k);
      if (!Number.isInteger(index) || index < 0) {
        throw new ProjectFileError(yamlFile, `names: "${k}" is not a class index (0, 1, ...)`);
      }
      out.set(index, String(v));
    }
  } else throw new ProjectFileError(yamlFile, 'names must be a list or a mapping {0: name, ...}');
  return new Map([...out].sort((a, b) => a[0] - b[0]));
}

/** No YAML: every images/<split>/ folder is a split (or images/ itself when it has no sub-folders). */
function folderSplits(listing: FolderListing): YoloLayoutInfo {
  const bySplit = new Map<string, string[]>();
  for (const p of listing.under('images')) {
    if (!isImagePath(p)) continue;
    const rest = p.slice('images/'.length);
    const cut = rest.indexOf('/');
    const name = cut < 0 ? '' : rest.slice(0, cut);
    const list = bySplit.get(name);
    if (list) list.push(p);
    else bySplit.set(name, [p]);
  }
  const splits = [...bySplit].map(([name, images]) => ({ name, images }));
  return { root: '', splits: splits.length === 1 && splits[0].name === '' ? splits : splits.filter((s) => s.name) };
}
