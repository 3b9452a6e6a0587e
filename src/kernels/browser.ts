// Loads the .wasm in a page or worker. Vite emits it as an asset with a relative URL, so any sub-path works.
import wasmUrl from '../../build/predlens.wasm?url';
import { instantiateKernels, type Kernels } from './wasm.ts';

let loading: Promise<Kernels> | undefined;

async function compile(): Promise<WebAssembly.Module> {
  // Against this module's URL, not the worker's location: workers start from blob: modules (workers/spawn.ts),
  // and the dev server gives a root-relative URL.
  const response = await fetch(new URL(wasmUrl, import.meta.url));
  if (!response.ok) throw new Error(`could not load ${wasmUrl}: HTTP ${response.status}`);
  // compileStreaming needs Content-Type: application/wasm; some static hosts send something else.
  if (response.headers.get('content-type')?.startsWith('application/wasm')) {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

export function loadKernels(): Promise<Kernels> {
  loading ??= compile().then(instantiateKernels);
  return loading;
}
