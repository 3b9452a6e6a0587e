// The one owner of the .wasm instance's memory on the TypeScript side.
// The contract itself is written once, in assembly/index.ts; this file implements the caller's half:
// pinned, reusable input buffers per named slot, and views that are re-created after every call.

export interface RuntimeExports {
  memory: WebAssembly.Memory;
  __new(size: number, id: number): number;
  __pin(ptr: number): number;
  __unpin(ptr: number): void;
  __collect(): void;
  resultPtr(): number;
}

/** Every export of the module: the runtime plus the kernels, which each wrapper types for itself. */
export type KernelExports = RuntimeExports & Record<string, unknown>;

const ARRAY_BUFFER_ID = 1;

interface Slot {
  ptr: number;
  bytes: number;
}

export class Kernels {
  readonly exports: KernelExports;
  readonly #slots = new Map<string, Slot>();

  constructor(instance: WebAssembly.Instance) {
    this.exports = instance.exports as unknown as KernelExports;
  }

  /** A kernel function by name, typed by the caller. */
  fn<F extends (...args: never[]) => unknown>(name: string): F {
    const f = this.exports[name];
    if (typeof f !== 'function') throw new Error(`predlens.wasm has no export "${name}"; rebuild with npm run asbuild`);
    return f as F;
  }

  /** A pinned buffer of at least `bytes` bytes for the named slot; grows, never shrinks. */
  slot(name: string, bytes: number): number {
    const have = this.#slots.get(name);
    if (have && have.bytes >= bytes) return have.ptr;
    if (have) this.exports.__unpin(have.ptr);
    const size = Math.max(64, bytes, have ? have.bytes * 2 : 0);
    const ptr = this.exports.__pin(this.exports.__new(size, ARRAY_BUFFER_ID));
    this.#slots.set(name, { ptr, bytes: size });
    return ptr;
  }

  /** Copies `data` into the named slot and returns its pointer (one copy; the slot is reused). */
  copyIn(name: string, data: ArrayBufferView): number {
    const ptr = this.slot(name, data.byteLength);
    new Uint8Array(this.exports.memory.buffer, ptr, data.byteLength).set(
      new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    );
    return ptr;
  }

  u8(ptr: number, length: number): Uint8Array {
    return new Uint8Array(this.exports.memory.buffer, ptr, length);
  }
  u16(ptr: number, length: number): Uint16Array {
    return new Uint16Array(this.exports.memory.buffer, ptr, length);
  }
  i32(ptr: number, length: number): Int32Array {
    return new Int32Array(this.exports.memory.buffer, ptr, length);
  }
  u32(ptr: number, length: number): Uint32Array {
    return new Uint32Array(this.exports.memory.buffer, ptr, length);
  }
  f32(ptr: number, length: number): Float32Array {
    return new Float32Array(this.exports.memory.buffer, ptr, length);
  }
  f64(ptr: number, length: number): Float64Array {
    return new Float64Array(this.exports.memory.buffer, ptr, length);
  }

  /** The arena result of the last call, as a fresh view (copy it before the next kernel call). */
  result<T extends 'i32' | 'u32' | 'f64'>(type: T, length: number) {
    return this[type](this.exports.resultPtr(), length) as T extends 'f64'
      ? Float64Array
      : T extends 'u32'
        ? Uint32Array
        : Int32Array;
  }
}

function imports(): WebAssembly.Imports {
  return {
    env: {
      abort(msg: number, file: number, line: number, col: number) {
        throw new Error(`predlens.wasm aborted at ${line}:${col} (message ptr ${msg}, file ptr ${file})`);
      },
      seed: () => Date.now(),
    },
  };
}

export async function instantiateKernels(module: WebAssembly.Module): Promise<Kernels> {
  const instance = await WebAssembly.instantiate(module, imports());
  return new Kernels(instance);
}
