// Cancellation as the workers report it: an AbortError DOMException. Kept apart from the pool so state classes
// (and the Node-side tests that import them) can tell a cancel from a failure without loading any worker script.

export function abortError(signal?: AbortSignal): unknown {
  return signal?.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

/** By name: an abort that crossed comlink arrives as a plain Error that kept only its name. */
export function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}
