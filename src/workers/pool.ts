// A small pool of comlink workers: started on first use, cancelled by terminating the worker (the only way to
// stop wasm mid-loop), replaced on the next call, and stopped after a while without work to free wasm memory.
import * as Comlink from 'comlink';
import type { ComputeApi } from './compute.worker.ts';
import computeWorkerUrl from './compute.worker.ts?worker&url';
import { spawnWorker } from './spawn.ts';
import { abortError, isAbortError } from './abort.ts';

export { abortError, isAbortError };

export interface PoolOptions {
  /** Number of workers; default min(2, hardwareConcurrency). */
  size?: number;
  /** A worker with no work for this long is terminated; default 30 s. */
  idleMs?: number;
}

export interface PoolStats {
  /** Workers alive now. */
  live: number;
  busy: number;
  queued: number;
  /** Workers started since the pool was made (a cancelled or idle worker is replaced by a new one). */
  started: number;
}

interface Slot<Api> {
  worker?: Worker;
  api?: Comlink.Remote<Api>;
  busy: boolean;
  idleTimer?: ReturnType<typeof setTimeout>;
  /** Rejects the running task when the worker itself fails (script error, out of memory). */
  fail?: (error: Error) => void;
}

interface Waiter<Api> {
  take(slot: Slot<Api>): void;
}

export class WorkerPool<Api> {
  readonly #create: () => Worker;
  readonly #slots: Slot<Api>[];
  readonly #queue: Waiter<Api>[] = [];
  readonly #idleMs: number;
  #started = 0;

  constructor(create: () => Worker, options: PoolOptions = {}) {
    this.#create = create;
    const size = Math.max(1, options.size ?? Math.min(2, globalThis.navigator?.hardwareConcurrency || 1));
    this.#slots = Array.from({ length: size }, () => ({ busy: false }));
    this.#idleMs = options.idleMs ?? 30_000;
  }

  get size(): number {
    return this.#slots.length;
  }

  get stats(): PoolStats {
    return {
      live: this.#slots.filter((s) => s.worker).length,
      busy: this.#slots.filter((s) => s.busy).length,
      queued: this.#queue.length,
      started: this.#started,
    };
  }

  /**
   * Runs `task` with a worker's api once one is free. Aborting the signal rejects at once with an AbortError
   * and terminates the worker if the task had started; a queued task just leaves the queue.
   */
  async run<T>(task: (api: Comlink.Remote<Api>) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) throw abortError(signal);
    const slot = await this.#acquire(signal);
    try {
      return await new Promise<T>((resolve, reject) => {
        const onAbort = () => {
          this.#stop(slot);
          reject(abortError(signal));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        slot.fail = (error) => {
          this.#stop(slot);
          reject(error);
        };
        task(slot.api!)
          .then(resolve, reject)
          .finally(() => signal?.removeEventListener('abort', onAbort));
      });
    } finally {
      slot.fail = undefined;
      this.#release(slot);
    }
  }

  /** Stops every worker; queued tasks stay queued and start new workers. */
  terminate(): void {
    for (const slot of this.#slots) {
      slot.fail?.(new Error('the worker pool was shut down'));
      this.#stop(slot);
    }
  }

  #acquire(signal?: AbortSignal): Promise<Slot<Api>> {
    const free = this.#slots.find((s) => !s.busy && s.worker) ?? this.#slots.find((s) => !s.busy);
    if (free) return Promise.resolve(this.#take(free));
    return new Promise((resolve, reject) => {
      const waiter: Waiter<Api> = {
        take: (slot) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.#take(slot));
        },
      };
      const onAbort = () => {
        this.#queue.splice(this.#queue.indexOf(waiter), 1);
        reject(abortError(signal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.push(waiter);
    });
  }

  #take(slot: Slot<Api>): Slot<Api> {
    clearTimeout(slot.idleTimer);
    slot.busy = true;
    if (!slot.worker) this.#start(slot);
    return slot;
  }

  #start(slot: Slot<Api>): void {
    const worker = this.#create();
    this.#started++;
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      if (slot.worker !== worker) return;
      slot.fail?.(new Error(`the compute worker failed: ${event.message || 'it could not be loaded'}`));
      this.#stop(slot);
    });
    slot.worker = worker;
    slot.api = Comlink.wrap<Api>(worker);
  }

  #stop(slot: Slot<Api>): void {
    clearTimeout(slot.idleTimer);
    slot.worker?.terminate();
    slot.worker = undefined;
    slot.api = undefined;
  }

  #release(slot: Slot<Api>): void {
    slot.busy = false;
    const next = this.#queue.shift();
    if (next) {
      next.take(slot);
      return;
    }
    if (slot.worker) slot.idleTimer = setTimeout(() => this.#stop(slot), this.#idleMs);
  }
}

export type ComputePool = WorkerPool<ComputeApi>;

/** A pool of compute workers (compute.worker.ts: the wasm kernels and project reading). */
export function createComputePool(options?: PoolOptions): ComputePool {
  return new WorkerPool<ComputeApi>(() => spawnWorker(computeWorkerUrl, 'predlens-compute'), options);
}

let shared: ComputePool | undefined;

/** The page's compute pool. */
export function computePool(): ComputePool {
  shared ??= createComputePool();
  return shared;
}

export { Comlink };
