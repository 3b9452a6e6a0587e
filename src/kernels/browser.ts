// Loads the .wasm in a page or worker. Vite emits it as an asset with a relative URL, so any sub-path works.
import wasmUrl from '../../build/predlens.wasm?url';
import { instantiateKernels, type Kernels } from './wasm.ts';

let loading: Promise<Kernels> | undefined;

async function compile(): Promise<WebAssembly.Module> {
  const response = await fetch(wasmUrl);
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
