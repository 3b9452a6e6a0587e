// The page's side of the import worker: one worker (imports are heavy and one at a time), started on first use,
// terminated when a call is cancelled (the only way to stop a reader mid-file), replaced on the next call.
// Each call makes sure the worker holds the open project first: a fresh worker after a cancel gets it again.
import * as Comlink from 'comlink';
import type { ImageDataUnits } from '../core/formats/coco-results.ts';
import type { FormatChoice } from '../core/formats/registry.ts';
import type { DataUnit, FormatId, Project } from '../core/model.ts';
import { runLockName, runStore } from '../store/runs.ts';
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
import importWorkerUrl from './import.worker.ts?worker&url';
import { spawnWorker } from './spawn.ts';

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
  return spawnWorker(importWorkerUrl, 'predlens-import');
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
   * Imports and stores a run. Aborting terminates the worker; the half-written run is then removed from the store
   * (once its writer's lock is gone), so it never shows. A worker that dies on its own (the browser may stop one
   * that runs out of memory) fails the call with ImportWorkerStoppedError instead of leaving it waiting forever.
   */
  async importRun(
    request: Omit<ImportRunRequest, 'projectKey' | 'runId'>,
    onProgress: (e: ImportProgressEvent) => void,
    signal?: AbortSignal,
  ): Promise<ImportRunOutcome> {
    const runId = globalThis.crypto.randomUUID();
    const stopped = new AbortController();
    const combined = signal ? AbortSignal.any([signal, stopped.signal]) : stopped.signal;
    let last: ImportProgressEvent | undefined;
    let remote: Comlink.Remote<ImportApi> | undefined;
    let settled = false;
    const progress = (e: ImportProgressEvent) => {
      last = e;
      onProgress(e);
    };
    const watch = watchWorker(runLockName(runId), {
      started: () => last !== undefined,
      settled: () => settled,
      ping: () => remote?.hasProject('') ?? Promise.resolve(false),
      dead: () => stopped.abort(new ImportWorkerStoppedError(last)),
    });
    try {
      return await this.#run((api) => {
        remote = api;
        return api.importRun({ ...request, projectKey: this.#projectKey, runId }, Comlink.proxy(progress));
      }, combined);
    } catch (error) {
      if (combined.aborted) void forgetUnfinishedSoon(this.#projectKey, runId);
      throw error;
    } finally {
      settled = true;
      watch.stop();
    }
  }

  terminate(): void {
    this.#pool.terminate();
  }
}

const WATCH_EVERY_MS = 1000;
const PING_TIMEOUT_MS = 4000;

/** The import worker died before it answered: what it was doing, for the user. */
export class ImportWorkerStoppedError extends Error {
  constructor(readonly at: ImportProgressEvent | undefined) {
    const where = !at
      ? 'as it started'
      : at.stage === 'reading'
        ? `while reading${at.total ? ` (${at.done.toLocaleString('en-US')} of ${at.total.toLocaleString('en-US')})` : ''}`
        : `while saving (${at.done.toLocaleString('en-US')} of ${(at.total ?? 0).toLocaleString('en-US')} predictions written)`;
    super(`the import worker stopped unexpectedly ${where}; the browser may have run out of memory for it.`);
    this.name = 'ImportWorkerStoppedError';
  }
}

/**
 * Watches a running import: the worker holds `lock` for the whole import, and a lock dies with its holder. Once the
 * import has started and the lock is free but no answer came, the worker is asked a trivial question; a worker
 * that does not answer within PING_TIMEOUT_MS is dead (a live one answers after the result it already sent).
 */
function watchWorker(
  lock: string,
  hooks: { started(): boolean; settled(): boolean; ping(): Promise<unknown>; dead(): void },
): { stop(): void } {
  const manager = globalThis.navigator?.locks;
  if (!manager) return { stop() {} };
  let seen = false;
  let checking = false;
  const check = async () => {
    if (checking || hooks.settled()) return;
    checking = true;
    try {
      const held = ((await manager.query()).held ?? []).some((l) => l.name === lock);
      seen ||= held;
      if (held || !(seen || hooks.started()) || hooks.settled()) return;
      const answered = await Promise.race([
        hooks.ping().then(
          () => true,
          () => false,
        ),
        new Promise<boolean>((r) => setTimeout(() => r(false), PING_TIMEOUT_MS)),
      ]);
      if (!answered && !hooks.settled()) hooks.dead();
    } finally {
      checking = false;
    }
  };
  const timer = setInterval(() => void check(), WATCH_EVERY_MS);
  return { stop: () => clearInterval(timer) };
}

/** A cancelled or dead import's leftovers go once its writer's lock is released (shortly after termination). */
export async function forgetUnfinishedSoon(projectKey: string, runId: string): Promise<void> {
  const store = await runStore();
  for (const wait of [50, 250, 500, 1000, 2000, 4000]) {
    await new Promise((r) => setTimeout(r, wait));
    if (await store.forgetUnfinished(projectKey, runId).catch(() => false)) return;
  }
}
