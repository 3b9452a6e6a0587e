// Loads the same .wasm the browser uses, from the build folder, for Node (tests, CLI, benches).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { instantiateKernels, type Kernels } from './wasm.ts';

let loading: Promise<Kernels> | undefined;

export function loadKernels(): Promise<Kernels> {
  loading ??= (async () => {
    // From src/kernels/ the wasm is two folders up in build/; the bundled CLI's chunks are in build/cli/.
    const beside = new URL('./predlens.wasm', import.meta.url);
    const up = new URL('../predlens.wasm', import.meta.url);
    const url = existsSync(beside)
      ? beside
      : existsSync(up) && import.meta.url.includes('/build/cli/')
        ? up
        : new URL('../../build/predlens.wasm', import.meta.url);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(url);
    } catch {
      throw new Error(`${url.pathname} is missing: run "npm run asbuild" (npm install does it through "prepare")`);
    }
    return instantiateKernels(await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>));
  })();
  return loading;
}
