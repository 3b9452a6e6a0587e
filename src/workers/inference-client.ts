// The page's side of the model worker: one worker, started when a model is chosen, terminated to cancel a run
// (the only way to stop wasm mid-inference) and replaced on the next call.
import * as Comlink from 'comlink';
import type { FileTree } from '../core/file-tree.ts';
import type { Project } from '../core/model.ts';
import { forgetUnfinishedSoon, projectForImport } from './import-client.ts';
import type {
  InferenceApi,
  InspectedModel,
  ModelRunOutcome,
  ModelRunProgress,
  ModelRunRequest,
} from './inference.worker.ts';
import inferenceWorkerUrl from './inference.worker.ts?worker&url';
import { WorkerPool } from './pool.ts';
import { spawnWorker } from './spawn.ts';
import type { ReadFile, TreeSource } from './tree-source.ts';

export type { InspectedModel, ModelRunOutcome, ModelRunProgress } from './inference.worker.ts';
export type { ModelClassRow } from '../core/inference/classes.ts';

export function createInferenceWorker(): Worker {
  return spawnWorker(inferenceWorkerUrl, 'predlens-model');
}

/** Where the worker reads the project's images: a source it rebuilds, with the page's reader for 'remote' ones. */
export interface ImageSource {
  source: TreeSource;
  read?: ReadFile;
}

/** A page-side reader for trees the worker cannot rebuild; the bytes are transferred. */
export function readOnPage(tree: FileTree): ReadFile {
  return Comlink.proxy(async (path: string) => {
    const own = (await tree.readBytes(path)).slice();
    return Comlink.transfer(own, [own.buffer as ArrayBuffer]);
  });
}

export class InferenceClient {
  readonly #pool = new WorkerPool<InferenceApi>(createInferenceWorker, { size: 1, idleMs: 120_000 });
  readonly #project: Project;
  readonly #projectKey: string;

  constructor(projectKey: string, project: Project) {
    this.#projectKey = projectKey;
    this.#project = projectForImport(project);
  }

  inspect(model: File, signal?: AbortSignal): Promise<InspectedModel> {
    return this.#pool.run((api) => api.inspect(model), signal);
  }

  classes(model: File, classMap?: Record<string, string>) {
    return this.#pool.run((api) => api.classes(this.#project, model, classMap));
  }

  /** Runs and stores a model run. Aborting terminates the worker; what it had written is swept, never shown. */
  async run(
    request: Omit<ModelRunRequest, 'projectKey' | 'project' | 'source' | 'runId'>,
    images: ImageSource,
    onProgress: (p: ModelRunProgress) => void,
    signal?: AbortSignal,
  ): Promise<ModelRunOutcome> {
    const runId = globalThis.crypto.randomUUID();
    try {
      return await this.#pool.run(
        (api) =>
          api.run(
            { ...request, runId, projectKey: this.#projectKey, project: this.#project, source: images.source },
            images.read,
            Comlink.proxy(onProgress),
          ),
        signal,
      );
    } catch (error) {
      if (signal?.aborted) void forgetUnfinishedSoon(this.#projectKey, runId);
      throw error;
    }
  }

  terminate() {
    this.#pool.terminate();
  }
}
