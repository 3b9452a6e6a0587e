// What can go wrong around a run's writing, and how the store tells: the errors a caller can meet, the storage
// quota message, and the Web Locks a writer holds while it writes (a lock dies with its holder: that is how a
// sweep, or the page watching an import, knows a writer is gone).

export class RunNotFoundError extends Error {
  constructor(readonly runId: string) {
    super(`prediction run ${runId} does not exist (it may have been deleted)`);
    this.name = 'RunNotFoundError';
  }
}

export class RunNameError extends Error {}

/** The browser refused to store more (QuotaExceededError): the import failed and nothing of it was kept. */
export class StorageFullError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StorageFullError';
  }
}

export function isQuotaError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'QuotaExceededError';
}

const MB = 1024 * 1024;

/** "1,234 MB of 1,300 MB": what the browser says this site uses, when it says. */
export async function storageUse(): Promise<string> {
  const estimate = await globalThis.navigator?.storage?.estimate?.().catch(() => undefined);
  if (!estimate?.quota) return '';
  const mb = (n: number) => `${Math.round(n / MB).toLocaleString('en-US')} MB`;
  return ` (this site uses ${mb(estimate.usage ?? 0)} of the ${mb(estimate.quota)} the browser allows it)`;
}

const LOCK_PREFIX = 'predlens-run-write:';

/**
 * The Web Lock a run's writer holds. A writer that reserves its run early (reserveRun, before reading its files)
 * holds it for the whole import and saves with `reserved: true`; a lock dies with its holder, which is how a sweep
 * (and the page watching an import) knows the writer is gone.
 */
export function runLockName(id: string): string {
  return LOCK_PREFIX + id;
}

/** Runs being written by this JavaScript realm (the fallback where Web Locks are missing). */
export const writingHere = new Set<string>();

export function locks(): LockManager | undefined {
  return (globalThis.navigator as Navigator | undefined)?.locks;
}

/** The ids of the runs whose writer holds (or waits for) its lock. */
export async function writersAlive(): Promise<Set<string>> {
  const manager = locks();
  if (!manager) return writingHere;
  const snapshot = await manager.query();
  return new Set(
    [...(snapshot.held ?? []), ...(snapshot.pending ?? [])]
      .map((l) => l.name ?? '')
      .filter((n) => n.startsWith(LOCK_PREFIX))
      .map((n) => n.slice(LOCK_PREFIX.length)),
  );
}
