// The compute worker: reads projects and runs the wasm kernels off the main thread. One `api` object, exposed
// with comlink; the page imports only its type. The .wasm is compiled once per worker, on first use.
import * as Comlink from 'comlink';
import { openFolder } from '../core/datasets/index.ts';
import type { Project } from '../core/model.ts';
import { summariseProject, type ProjectSummary } from '../core/project/summary.ts';
import { partBuffers, splitProject, type ProjectHead, type ProjectPart } from '../core/project/parts.ts';
import { loadKernels } from '../kernels/browser.ts';
import { countLabelledPixels, type PixelJob } from './pixel-job.ts';
import { treeFromSource, type ReadFile, type TreeSource } from './tree-source.ts';

export interface OpenedProject {
  project: Project;
  /** The overview's counts, computed here so the page never loops over every label. */
  summary: ProjectSummary;
  /** The sub-folder the project was found in, when the chosen folder only contained it. */
  root?: string;
}

export interface OpenedProjectHead {
  head: ProjectHead;
  summary: ProjectSummary;
  root?: string;
  /** How many parts projectPart() gives, in order. */
  parts: number;
}

/** The project being handed to the page in parts (openProjectInParts, then projectPart for each). */
let handing: { parts: ReturnType<typeof splitProject>; sent: number } | undefined;

const api = {
  /** Compiles the kernels (once) and reports the module's memory, so callers can warm a worker up. */
  async ready(): Promise<{ memoryBytes: number }> {
    const kernels = await loadKernels();
    return { memoryBytes: kernels.exports.memory.buffer.byteLength };
  },

  /**
   * Reads the project or dataset at `source` (or in its only sub-folder holding one), whatever its layout
   * (core/datasets), reporting progress; `split` reads one split of a dataset. A 'remote' source reads its files
   * through `read`, a function on the page (pass it with Comlink.proxy).
   */
  async openProject(
    source: TreeSource,
    onProgress?: (done: number, total: number) => void,
    read?: ReadFile,
    split?: string,
  ): Promise<OpenedProject> {
    const tree = treeFromSource(source, read);
    let last = 0;
    const { project, root } = await openFolder(tree, {
      split,
      onProgress(done, total) {
        // Progress crosses threads as a message: a few dozen updates are plenty for a progress bar.
        const now = performance.now();
        if (done === 0 || done === total || now - last > 50) {
          last = now;
          onProgress?.(done, total);
        }
      },
    });
    return { project, summary: summariseProject(project), root };
  },

  /**
   * openProject, answered in parts (core/project/parts.ts): the head and the summary now, then projectPart(i) for
   * i = 0 .. parts - 1. Each part is one short task for the page to receive, where the whole project at once is one
   * long one. The worker forgets the project once the last part is taken.
   */
  async openProjectInParts(
    source: TreeSource,
    onProgress?: (done: number, total: number) => void,
    read?: ReadFile,
    split?: string,
  ): Promise<OpenedProjectHead> {
    handing = undefined;
    const { project, summary, root } = await api.openProject(source, onProgress, read, split);
    // Released as it is sent: the worker's copy shrinks while the page's grows.
    const parts = splitProject(project, undefined, true);
    handing = { parts, sent: 0 };
    return { head: parts.head, summary, root, parts: parts.count };
  },

  /** Part `i` of the project openProjectInParts read. */
  async projectPart(i: number): Promise<ProjectPart> {
    if (!handing || i < 0 || i >= handing.parts.count) throw new Error(`no project part ${i} to give`);
    const part = handing.parts.part(i);
    if (++handing.sent === handing.parts.count) handing = undefined;
    return Comlink.transfer(part, partBuffers(part));
  },

  /** Labelled pixels per class (EA's polygon rasterisation) for a packed job; the result is transferred. */
  async labelledPixels(job: PixelJob): Promise<Float64Array> {
    const pixels = countLabelledPixels(await loadKernels(), job);
    return Comlink.transfer(pixels, [pixels.buffer]);
  },
};

export type ComputeApi = typeof api;

Comlink.expose(api);
