// Opening a folder, whatever it holds: the one list of layouts the CLI, the page's opening and the tests read,
// detection from the folder's contents (first match wins, spec "Opening a folder"), and reading it into the shared
// Project model. A folder that fits no layout but holds exactly one sub-folder that does is opened there (a zip
// often unpacks into a folder of its own; Encord Active's CLI also looks one level down).
import { SubTree, type FileTree } from '../file-tree.ts';
import type { Project, ProjectKind } from '../model.ts';
import { NotAProjectError, PROJECT_META } from '../project/read.ts';
import { cocoLayout } from './coco.ts';
import { encordActiveLayout } from './encord-active.ts';
import { UnknownLayoutError } from './errors.ts';
import type { FolderLayout, ReadFolderOptions } from './layout.ts';
import { vocLayout } from './voc.ts';
import { yoloLayout } from './yolo.ts';

export type { FolderLayout, ReadFolderOptions } from './layout.ts';
export { UnknownLayoutError, UnknownSplitError } from './errors.ts';

/** Every layout, in detection order. Adding a layout = one module and one line here. */
export const LAYOUTS: readonly FolderLayout[] = [encordActiveLayout, cocoLayout, yoloLayout, vocLayout];

export function layoutOf(kind: ProjectKind): FolderLayout {
  return LAYOUTS.find((l) => l.kind === kind)!;
}

/** A FileTree whose listing is read once: layouts list, test and filter paths many times. */
class ListedTree implements FileTree {
  readonly name: string;
  readonly url?: (path: string) => Promise<string>;
  readonly readHead?: (path: string, length: number) => Promise<Uint8Array>;
  readonly stream?: (path: string) => AsyncIterable<Uint8Array>;
  readonly #base: FileTree;
  readonly #paths: readonly string[];
  readonly #set: ReadonlySet<string>;
  constructor(base: FileTree, paths: readonly string[]) {
    this.#base = base;
    this.name = base.name;
    this.#paths = paths;
    this.#set = new Set(paths);
    if (base.url) this.url = base.url.bind(base);
    if (base.readHead) this.readHead = base.readHead.bind(base);
    if (base.stream) this.stream = base.stream.bind(base);
  }
  async list(prefix = '') {
    if (prefix === '') return [...this.#paths];
    const p = prefix.replace(/\/+$/, '') + '/';
    return this.#paths.filter((path) => path.startsWith(p));
  }
  async exists(path: string) {
    return this.#set.has(path) || this.#base.exists(path);
  }
  readBytes(path: string) {
    return this.#base.readBytes(path);
  }
  readText(path: string) {
    return this.#base.readText(path);
  }
}

export interface DetectedFolder {
  layout: FolderLayout;
  /** The tree the layout was found in (the folder itself, or its one sub-folder that holds it). */
  tree: FileTree;
  /** That sub-folder, when the layout was found one level down. */
  root?: string;
  paths: readonly string[];
}

/** Which layout a folder holds, looking one level down when the folder itself fits none. */
export async function detectFolder(tree: FileTree): Promise<DetectedFolder | undefined> {
  const paths = await tree.list('');
  const direct = LAYOUTS.find((l) => l.detect(paths));
  if (direct) return { layout: direct, tree: new ListedTree(tree, paths), paths };
  const byFolder = new Map<string, string[]>();
  for (const p of paths) {
    const cut = p.indexOf('/');
    if (cut < 0) continue;
    const folder = p.slice(0, cut);
    const list = byFolder.get(folder);
    if (list) list.push(p.slice(cut + 1));
    else byFolder.set(folder, [p.slice(cut + 1)]);
  }
  const found: DetectedFolder[] = [];
  for (const [folder, inner] of byFolder) {
    const layout = LAYOUTS.find((l) => l.detect(inner));
    if (layout)
      found.push({ layout, tree: new ListedTree(new SubTree(tree, folder), inner), root: folder, paths: inner });
  }
  return found.length === 1 ? found[0] : undefined;
}

export interface OpenedFolder {
  project: Project;
  layout: FolderLayout;
  /** The sub-folder the project or dataset was found in, when the chosen folder only contained it. */
  root?: string;
}

/** Detects the folder's layout and reads it. Throws UnknownLayoutError, UnknownSplitError or ProjectFileError. */
export async function openFolder(tree: FileTree, options: ReadFolderOptions = {}): Promise<OpenedFolder> {
  const detected = await detectFolder(tree);
  if (!detected) {
    const project = new NotAProjectError(tree.name, [PROJECT_META]).message;
    throw new UnknownLayoutError(
      tree.name,
      project,
      LAYOUTS.filter((l) => l.kind !== 'encord-active').map((l) => l.expects),
    );
  }
  const project = await detected.layout.read(detected.tree, detected.paths, options);
  return { project, layout: detected.layout, root: detected.root };
}
