// Cancellation as the workers report it: an AbortError DOMException. Kept apart from the pool so state classes
// (and the Node-side tests that import them) can tell a cancel from a failure without loading any worker script.

export function abortError(signal?: AbortSignal): unknown {
  return signal?.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}
