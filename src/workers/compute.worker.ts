// The compute worker: reads projects and runs the wasm kernels off the main thread. One `api` object, exposed
// with comlink; the page imports only its type. The .wasm is compiled once per worker, on first use.
import * as Comlink from 'comlink';
import { openFolder } from '../core/datasets/index.ts';
import type { Project } from '../core/model.ts';
import { summariseProject, type ProjectSummary } from '../core/project/summary.ts';
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

  /** Labelled pixels per class (EA's polygon rasterisation) for a packed job; the result is transferred. */
  async labelledPixels(job: PixelJob): Promise<Float64Array> {
    const pixels = countLabelledPixels(await loadKernels(), job);
    return Comlink.transfer(pixels, [pixels.buffer]);
  },
};

export type ComputeApi = typeof api;

Comlink.expose(api);
