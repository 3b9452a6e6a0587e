// The open project: reading it in a worker (with progress and cancel), the summary the pages show, the tree the
// images come from, and the labelled-pixel counts computed by the wasm kernel.
import * as Comlink from 'comlink';
import type { FileTree } from '../../core/file-tree.ts';
import { SubTree } from '../../core/file-tree.ts';
import type { Project } from '../../core/model.ts';
import type { ProjectSummary } from '../../core/project/summary.ts';
import { ProjectAssembly } from '../../core/project/parts.ts';
import { evalClient } from '../../workers/eval-client.ts';
import type { ComputePool } from '../../workers/pool.ts';
import { isAbortError } from '../../workers/abort.ts';
import { packLabelledShapes, splitJob, sumPixels } from '../../workers/pixel-job.ts';
import type { ReadFile, TreeSource } from '../../workers/tree-source.ts';
import type { Scope } from './router.svelte.ts';

export type SessionStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface SessionError {
  title: string;
  message: string;
  /** What the user can do about it. */
  hint?: string;
}

export interface OpenRequest {
  scope: Scope;
  /** Where the files come from, for messages ("street-scenes", "the demo"). */
  label: string;
  /** The tree as the worker rebuilds it. */
  source: TreeSource;
  /** For a 'remote' source: how the worker gets a file's bytes from the page. */
  read?: ReadFile;
  /** The same tree on the page, for images. */
  tree: FileTree;
  /** A dataset's split to read; undefined reads every split. */
  split?: string;
}

export type PixelState =
  | { status: 'idle' | 'running' }
  | { status: 'done'; byClass: Map<string, number>; ms: number }
  | { status: 'error'; message: string };

export class ProjectSession {
  status = $state<SessionStatus>('idle');
  scope = $state<Scope | null>(null);
  label = $state('');
  progress = $state({ done: 0, total: 0 });
  project = $state.raw<Project | undefined>(undefined);
  summary = $state.raw<ProjectSummary | undefined>(undefined);
  tree = $state.raw<FileTree | undefined>(undefined);
  error = $state.raw<SessionError | undefined>(undefined);
  pixels = $state.raw<PixelState>({ status: 'idle' });
  /** The sub-folder the project was found in, when the chosen folder only contained it. */
  root = $state<string | undefined>(undefined);
  /**
   * How a worker can rebuild `tree` (root included), for other workers that read the project's files; a
   * 'remote' source also needs `read`, wrapped in Comlink.proxy.
   */
  source = $state.raw<TreeSource | undefined>(undefined);
  read = $state.raw<ReadFile | undefined>(undefined);
  /** The split asked for (undefined: every split), also while it is being read. */
  split = $state<string | undefined>(undefined);
  /** The open dataset's splits (kept while another of its splits is read). */
  splits = $state.raw<string[]>([]);
  /** The last opening asked for, so another split of the same folder can be read. */
  #request?: OpenRequest;

  readonly #pool: ComputePool;
  #abort?: AbortController;

  constructor(pool: ComputePool) {
    this.#pool = pool;
  }

  /** Opens a project, cancelling whatever was being read. Resolves once it is ready (or failed). */
  async open(request: OpenRequest, sameFolder = false): Promise<Project | undefined> {
    this.cancel();
    if (!sameFolder) this.splits = [];
    // The run the Model pages prepared belongs to the project that goes; its workers are freed with it.
    evalClient().terminate();
    const abort = new AbortController();
    this.#abort = abort;
    this.status = 'loading';
    this.#request = request;
    this.split = request.split;
    this.scope = request.scope;
    this.label = request.label;
    this.progress = { done: 0, total: 0 };
    this.error = undefined;
    this.project = undefined;
    this.summary = undefined;
    this.pixels = { status: 'idle' };
    const onProgress = Comlink.proxy((done: number, total: number) => {
      if (!abort.signal.aborted) this.progress = { done, total };
    });
    const read = request.read
      ? Comlink.proxy(async (path: string, length?: number) => {
          const bytes = await request.read!(path, length);
          return Comlink.transfer(bytes, [bytes.buffer]);
        })
      : undefined;
    try {
      // In parts, each received in a task of its own, so a large project never blocks the page (parts.ts).
      const opened = await this.#pool.run(async (api) => {
        const { head, summary, root, parts } = await api.openProjectInParts(
          request.source,
          onProgress,
          read,
          request.split,
        );
        const assembly = new ProjectAssembly(head);
        for (let i = 0; i < parts; i++) assembly.add(await api.projectPart(i));
        return { project: assembly.project(), summary, root };
      }, abort.signal);
      if (abort.signal.aborted) return undefined;
      this.root = opened.root;
      this.tree = opened.root ? new SubTree(request.tree, opened.root) : request.tree;
      this.source = { ...request.source, root: opened.root };
      this.read = request.read;
      this.project = opened.project;
      this.summary = opened.summary;
      this.splits = opened.summary.splits;
      this.status = 'ready';
      // A dataset's annotations carry their areas (the summary sums them); EA labels are rasterised as EA does.
      if (opened.summary.areaByClass) {
        this.pixels = { status: 'done', byClass: new Map(Object.entries(opened.summary.areaByClass)), ms: 0 };
      } else void this.#countPixels(opened.project, abort.signal);
      return opened.project;
    } catch (error) {
      if (isAbortError(error)) return undefined;
      this.error = describeOpenError(error, request.label);
      this.status = 'error';
      return undefined;
    }
  }

  /** Reads another split of the open dataset (undefined: every split). */
  async openSplit(split: string | undefined): Promise<Project | undefined> {
    if (!this.#request) return undefined;
    return this.open({ ...this.#request, split }, true);
  }

  /** Stops reading or counting; the project that is open stays open. */
  cancel() {
    this.#abort?.abort();
    this.#abort = undefined;
    if (this.status === 'loading') this.status = this.project ? 'ready' : 'idle';
    if (this.pixels.status === 'running') this.pixels = { status: 'idle' };
  }

  /** Closes the project (back to the start screen). */
  close() {
    this.cancel();
    evalClient().terminate();
    this.status = 'idle';
    this.scope = null;
    this.project = undefined;
    this.summary = undefined;
    this.tree = undefined;
    this.source = undefined;
    this.read = undefined;
    this.error = undefined;
    this.split = undefined;
    this.splits = [];
    this.#request = undefined;
  }

  async #countPixels(project: Project, signal: AbortSignal) {
    const started = performance.now();
    this.pixels = { status: 'running' };
    try {
      const { job, classes } = packLabelledShapes(project);
      const parts = splitJob(job, this.#pool.size);
      const results = await Promise.all(
        parts.map((part) =>
          this.#pool.run(
            (api) => api.labelledPixels(Comlink.transfer(part, [part.shapes.buffer, part.points.buffer])),
            signal,
          ),
        ),
      );
      const total = sumPixels(results, job.classCount);
      if (signal.aborted) return;
      this.pixels = {
        status: 'done',
        byClass: new Map(classes.map((hash, i) => [hash, total[i]])),
        ms: performance.now() - started,
      };
    } catch (error) {
      if (isAbortError(error) || signal.aborted) return;
      this.pixels = { status: 'error', message: error instanceof Error ? error.message : String(error) };
    }
  }
}

/** Turns a reading error into words for the user, with what to do next. */
export function describeOpenError(error: unknown, label: string): SessionError {
  const message = error instanceof Error ? error.message : String(error);
  const name = error instanceof Error ? error.name : '';
  if (name === 'UnknownLayoutError') {
    return {
      title: 'This folder is not an Encord Active project, nor a COCO, YOLO or VOC dataset',
      message:
        `“${label}” has no project_meta.yaml — choose the folder that contains it. ` +
        'Nor does it hold a COCO, YOLO or Pascal VOC dataset.',
      hint:
        'Choose the folder that holds project_meta.yaml (Encord Active), annotations/instances_<split>.json, ' +
        '<split>/_annotations.coco.json or labels.json (COCO), data.yaml or images/ + labels/ (YOLO), or ' +
        'Annotations/ + JPEGImages/ (Pascal VOC).',
    };
  }
  if (name === 'UnknownSplitError') {
    return {
      title: 'The dataset has no such split',
      message,
      hint: 'Choose a split from the selector at the top, or “All splits”.',
    };
  }
  if (name === 'NotAProjectError') {
    const missing = /: (.+?) (?:is|are) missing/.exec(message)?.[1] ?? 'project_meta.yaml';
    const noMeta = missing.includes('project_meta.yaml');
    return {
      title: 'This folder is not an Encord Active project',
      message: noMeta
        ? `“${label}” has no project_meta.yaml — choose the folder that contains it.`
        : `“${label}” has a project_meta.yaml but no ontology.json, which every Encord Active project has.`,
      hint: 'A project folder holds project_meta.yaml, ontology.json, label_row_meta.json and a data/ folder. Choose that folder, or drop it onto this window.',
    };
  }
  if (name === 'NotAllowedError' || name === 'SecurityError') {
    return {
      title: 'predlens may not read this folder',
      message: `The browser refused access to “${label}”.`,
      hint: 'Open the folder again and allow access when the browser asks.',
    };
  }
  if (name === 'NotFoundError') {
    return {
      title: 'The folder is gone',
      message: `“${label}” was moved or deleted since it was opened.`,
      hint: 'Open the folder from its new place.',
    };
  }
  if (name === 'ProjectFileError') {
    return {
      title: 'A project or annotation file could not be read',
      message,
      hint: 'Fix the file named above (it may have been cut short or edited by hand), then open the folder again.',
    };
  }
  return {
    title: 'The project could not be opened',
    message,
    hint: 'Check that the folder is an Encord Active project or a COCO, YOLO or Pascal VOC dataset and try again.',
  };
}
