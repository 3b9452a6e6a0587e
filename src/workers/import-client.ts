// The page's side of the import worker: one worker (imports are heavy and one at a time), started on first use,
// terminated when a call is cancelled (the only way to stop a reader mid-file), replaced on the next call.
// Each call makes sure the worker holds the open project first: a fresh worker after a cancel gets it again.
import * as Comlink from 'comlink';
import type { ImageDataUnits } from '../core/formats/coco-results.ts';
import type { FormatChoice } from '../core/formats/registry.ts';
import type { DataUnit, FormatId, Project } from '../core/model.ts';
import { runStore } from '../store/runs.ts';
import type { MappingInfo } from './import-mapping.ts';
import type {
  ImportApi,
  ImportProgressEvent,
  ImportRunOutcome,
  ImportRunRequest,
  InspectResult,
} from './import.worker.ts';
import { WorkerPool } from './pool.ts';
import type { TreeSource } from './tree-source.ts';

export type { ImportProgressEvent, ImportRunOutcome, ImportRunRequest, InspectResult } from './import.worker.ts';
export type { ClassRow, MappingInfo } from './import-mapping.ts';
export type { FormatChoice } from '../core/formats/registry.ts';

/**
 * The project as the import worker needs it: ontology, data units (sizes, titles, frame numbers) and the lookups,
 * without the labels and problems. Readers and validation never look at labels, and sending a project to a worker
 * is a structured clone on the page's thread: labels are most of a large project (20,000 images with 10 labels
 * each clone in about 1.4 s; without labels in a few tens of ms).
 */
export function projectForImport(project: Project): Project {
  const units = new Map<DataUnit, DataUnit>();
  const slim = (du: DataUnit): DataUnit => {
    let copy = units.get(du);
    if (!copy) {
      copy = { ...du, frames: du.frames.map((f) => ({ frame: f.frame, objects: [], classifications: [] })) };
      units.set(du, copy);
    }
    return copy;
  };
  return {
    ...project,
    labelRows: project.labelRows.map((row) => ({ ...row, dataUnits: row.dataUnits.map(slim) })),
    dataUnits: project.dataUnits.map(slim),
    byDataHash: new Map([...project.byDataHash].map(([hash, du]) => [hash, slim(du)])),
    problems: [],
  };
}

export function createImportWorker(): Worker {
  return new Worker(new URL('./import.worker.ts', import.meta.url), { type: 'module', name: 'predlens-import' });
}

export class ImportClient {
  readonly #pool: WorkerPool<ImportApi>;
  readonly #projectKey: string;
  readonly #project: Project;
  readonly #imageDataUnits: ImageDataUnits | undefined;

  constructor(
    projectKey: string,
    project: Project,
    imageDataUnits?: ImageDataUnits,
    create: () => Worker = createImportWorker,
  ) {
    this.#pool = new WorkerPool<ImportApi>(create, { size: 1, idleMs: 60_000 });
    this.#projectKey = projectKey;
    this.#project = projectForImport(project);
    this.#imageDataUnits = imageDataUnits;
  }

  get projectKey(): string {
    return this.#projectKey;
  }

  #run<T>(task: (api: Comlink.Remote<ImportApi>) => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.#pool.run(async (api) => {
      if (!(await api.hasProject(this.#projectKey))) {
        await api.setProject(this.#projectKey, this.#project, this.#imageDataUnits);
      }
      return task(api);
    }, signal);
  }

  formats(): Promise<FormatChoice[]> {
    return this.#run((api) => api.formats());
  }

  inspect(source: TreeSource, signal?: AbortSignal): Promise<InspectResult> {
    return this.#run((api) => api.inspect(source), signal);
  }

  mapping(
    source: TreeSource,
    format: FormatId,
    namePattern?: string,
    ignoreValue?: number,
    signal?: AbortSignal,
  ): Promise<MappingInfo> {
    return this.#run((api) => api.mapping(this.#projectKey, source, format, namePattern, ignoreValue), signal);
  }

  /**
   * Imports and stores a run. Aborting terminates the worker; the half-written run is then swept from the store
   * (its writer's lock is gone), so it never shows.
   */
  async importRun(
    request: Omit<ImportRunRequest, 'projectKey'>,
    onProgress: (e: ImportProgressEvent) => void,
    signal?: AbortSignal,
  ): Promise<ImportRunOutcome> {
    try {
      return await this.#run(
        (api) => api.importRun({ ...request, projectKey: this.#projectKey }, Comlink.proxy(onProgress)),
        signal,
      );
    } catch (error) {
      if (signal?.aborted) void sweepSoon();
      throw error;
    }
  }

  terminate(): void {
    this.#pool.terminate();
  }
}

/** A terminated worker's lock is released shortly after; sweep a few times so its leftovers go at once. */
async function sweepSoon(): Promise<void> {
  const store = await runStore();
  for (const wait of [50, 500, 2000]) {
    await new Promise((r) => setTimeout(r, wait));
    await store.sweepStale().catch(() => 0);
  }
}
