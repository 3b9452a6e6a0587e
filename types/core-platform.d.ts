// The web-platform globals that core/ and kernels/ use, which every host they run on (pages, workers, Node 20)
// provides. Declared here so those folders are type-checked with neither the DOM library nor Node's types
// (tsconfig.core.json); the page and Node builds see the full declarations instead.

declare class TextEncoder {
  encode(input?: string): Uint8Array;
}

declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string;
}

interface AbortSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  throwIfAborted(): void;
}

declare class DOMException extends Error {
  constructor(message?: string, name?: string);
}

declare namespace WebAssembly {
  class Memory {
    readonly buffer: ArrayBuffer;
    grow(delta: number): number;
  }
  class Module {}
  class Instance {
    readonly exports: Record<string, unknown>;
  }
  type ImportValue = unknown;
  type Imports = Record<string, Record<string, ImportValue>>;
  function instantiate(module: Module, imports?: Imports): Promise<Instance>;
}

/** High-resolution time, for the timings a split COCO evaluation reports (pages, workers and Node have it). */
declare const performance: { now(): number };
