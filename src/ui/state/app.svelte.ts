// The app: routes, the open project, recent folders and the ways to open a folder. One instance, in context.
import { DirectoryHandleTree } from '../../files/directory-handle.ts';
import { FileListTree, readDrop } from '../../files/file-list.ts';
import { UrlTree } from '../../files/url-prefix.ts';
import { ensureReadAccess, type RecentFolder } from '../../store/recent.ts';
import { computePool, type ComputePool } from '../../workers/pool.ts';
import { ClipboardState } from './clipboard.svelte.ts';
import { RecentList } from './recent.svelte.ts';
import { isDemoScope, Router, type DemoScope, type Scope } from './router.svelte.ts';
import { ProjectSession, type OpenRequest } from './session.svelte.ts';

/** The built-in demo and its two dataset variants (one scene: an EA project, a COCO and a YOLO dataset). */
export const DEMOS: Record<DemoScope, { folder: string; name: string; label: string }> = {
  demo: { folder: 'demo', name: 'Demo project', label: 'the demo project' },
  'demo-coco': { folder: 'demo-coco', name: 'Demo as a COCO dataset', label: 'the COCO demo dataset' },
  'demo-yolo': { folder: 'demo-yolo', name: 'Demo as a YOLO dataset', label: 'the YOLO demo dataset' },
};

/** Where a demo lives, relative to the page: works under any sub-path. */
export function demoBase(scope: DemoScope = 'demo'): string {
  return new URL(`./${DEMOS[scope].folder}/`, document.baseURI).href;
}

export const DEFAULT_PAGE = 'overview';

/** Files held by the page: the worker gets their paths and asks for the bytes of the few it reads. */
function filesRequest(tree: FileListTree): OpenRequest {
  return {
    scope: 'project',
    label: tree.name,
    source: { kind: 'remote', name: tree.name, paths: tree.paths() },
    read: async (path, length) => {
      const bytes = length === undefined ? await tree.readBytes(path) : await tree.readHead(path, length);
      // A File's bytes arrive in a buffer of their own, which can be transferred without a copy.
      return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
    },
    tree,
  };
}

export class AppState {
  readonly router = new Router();
  readonly session: ProjectSession;
  readonly recent = new RecentList();
  readonly clipboard = new ClipboardState();
  /** A message about opening that belongs on the start screen (a refused permission, a bad drop). */
  notice = $state<string | undefined>(undefined);
  /** Set when a #/project link was opened but the folder needs a click before it can be read again. */
  reopen = $state.raw<RecentFolder | undefined>(undefined);

  constructor(pool: ComputePool = computePool()) {
    this.session = new ProjectSession(pool);
    void this.recent.refresh();
  }

  /** Brings the open project in line with the URL (called whenever the route changes). */
  async syncToRoute(): Promise<void> {
    const { scope, page } = this.router.route;
    if (scope && !page) {
      this.router.replace(scope, DEFAULT_PAGE);
      return;
    }
    if (isDemoScope(scope) && this.session.scope !== scope) {
      await this.openDemo(false, scope);
    } else if (scope === 'project' && this.session.scope !== 'project' && this.session.status !== 'loading') {
      await this.#resumeLastFolder();
    } else if (scope && scope === this.session.scope && this.session.status !== 'loading') {
      // The split selector (or an edited URL) asks for another split of the open dataset.
      const split = this.#split();
      if (split !== this.session.split) await this.session.openSplit(split);
    }
  }

  /** The split the URL names (undefined: every split). */
  #split(): string | undefined {
    return this.router.route.params.get('split') || undefined;
  }

  async openDemo(navigate = true, which: DemoScope = 'demo'): Promise<void> {
    this.notice = undefined;
    const base = demoBase(which);
    const demo = DEMOS[which];
    if (navigate) this.#go(which);
    const project = await this.session.open({
      scope: which,
      label: demo.label,
      source: { kind: 'url', base, name: demo.folder },
      tree: new UrlTree(base, { name: demo.folder }),
      split: this.#split(),
    });
    // Only the EA demo is remembered: the recent list's demo entry reopens it.
    if (project && which === 'demo') {
      await this.recent.remember({ kind: 'demo', name: demo.name, title: project.meta.project_title });
    }
  }

  /** "Open project folder…": the directory picker where there is one; otherwise the file input. */
  get canPickDirectory(): boolean {
    return typeof window.showDirectoryPicker === 'function';
  }

  #folderInput?: HTMLInputElement;

  /** The page's one <input webkitdirectory> (App.svelte renders it). */
  setFolderInput(input: HTMLInputElement | undefined): void {
    this.#folderInput = input;
  }

  /** Opens the browser's folder dialog. Call from a click: browsers only show dialogs for a user gesture. */
  chooseFolder(): void {
    if (this.canPickDirectory) void this.pickDirectory();
    else this.chooseFolderWithInput();
  }

  /** The file-input dialog, also where the picker exists (folders it gave cannot be kept, so they are chosen again). */
  chooseFolderWithInput(): void {
    this.#folderInput?.click();
  }

  async pickDirectory(): Promise<void> {
    let handle: FileSystemDirectoryHandle;
    try {
      handle = await window.showDirectoryPicker!({ id: 'predlens-project', mode: 'read' });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') return; // the user closed the picker
      this.notice = `The folder could not be opened: ${error instanceof Error ? error.message : String(error)}`;
      return;
    }
    await this.openHandle(handle);
  }

  /** `keepRoute` stays on the page the URL names (a deep link being resumed) instead of the overview. */
  async openHandle(handle: FileSystemDirectoryHandle, keepRoute = false): Promise<void> {
    keepRoute ||= this.#resuming(handle.name);
    this.notice = undefined;
    this.reopen = undefined;
    this.#go('project', keepRoute);
    const project = await this.session.open({
      scope: 'project',
      label: handle.name,
      source: { kind: 'handle', handle },
      tree: new DirectoryHandleTree(handle),
      split: keepRoute ? this.#split() : undefined,
    });
    if (project) await this.recent.remember({ kind: 'handle', handle, title: project.meta.project_title });
  }

  /** The files of an <input webkitdirectory>. */
  async openFiles(files: FileList | readonly File[]): Promise<void> {
    const resuming = files.length > 0 && this.#resuming(FileListTree.fromInput(files).name);
    this.notice = undefined;
    this.reopen = undefined;
    if (files.length === 0) return;
    const tree = FileListTree.fromInput(files);
    this.#go('project', resuming);
    const project = await this.session.open(filesRequest(tree));
    if (project) await this.recent.remember({ kind: 'picked', name: tree.name, title: project.meta.project_title });
  }

  /** A folder dropped on the window. Call from the drop handler itself (see readDrop). */
  async openDrop(data: DataTransfer): Promise<void> {
    this.notice = undefined;
    let dropped;
    try {
      dropped = await readDrop(data);
    } catch (error) {
      this.notice = error instanceof Error ? error.message : String(error);
      return;
    }
    if (dropped.handle) return this.openHandle(dropped.handle);
    const tree = dropped.tree as FileListTree;
    this.#go('project');
    const project = await this.session.open(filesRequest(tree));
    if (project) await this.recent.remember({ kind: 'picked', name: tree.name, title: project.meta.project_title });
  }

  /**
   * Opens a remembered folder. Handles need read permission again after a reload; this asks for it, so call it
   * from a click. Folders chosen through the file input cannot be kept: the input opens for them again.
   */
  async openRecent(entry: RecentFolder): Promise<void> {
    if (entry.kind === 'demo') return this.openDemo();
    if (entry.kind !== 'handle' || !entry.handle) return this.chooseFolderWithInput();
    let granted: boolean;
    try {
      granted = await ensureReadAccess(entry.handle);
    } catch (error) {
      this.notice = `“${entry.name}” could not be opened: ${error instanceof Error ? error.message : String(error)}`;
      return;
    }
    if (!granted) {
      this.notice = `predlens needs permission to read “${entry.name}”. Open it again and choose “Allow”.`;
      if (this.router.route.scope) this.router.go(null);
      return;
    }
    await this.openHandle(entry.handle);
  }

  closeProject(): void {
    this.session.close();
    this.reopen = undefined;
    this.router.go(null);
  }

  /** A #/project link with nothing open (a reload): reopen the last folder if access is still granted. */
  async #resumeLastFolder(): Promise<void> {
    await this.recent.refresh();
    const last = this.recent.items.find((r) => r.kind !== 'demo');
    if (last?.kind === 'handle' && last.handle) {
      const state = await last.handle.queryPermission?.({ mode: 'read' }).catch(() => 'denied' as const);
      if (state === 'granted') {
        await this.openHandle(last.handle, true);
        return;
      }
    }
    this.reopen = last;
  }

  /**
   * True while a deep link waits for its folder (the "Open … again" view after a reload) and the folder now
   * chosen is that one: the link's page and parameters are kept instead of landing on the overview.
   */
  #resuming(folderName: string): boolean {
    return this.reopen !== undefined && this.reopen.name === folderName && this.router.route.scope === 'project';
  }

  /** A new folder starts on its overview with every split (the sticky split of the last one is dropped). */
  #go(scope: Scope, keepRoute = false) {
    const { route } = this.router;
    if (keepRoute && route.scope === scope && route.page) return;
    this.router.go(scope, DEFAULT_PAGE, undefined, false);
  }
}
