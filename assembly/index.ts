// predlens kernels: one .wasm, free functions over linear memory.
//
// Memory contract (the only place it is written down):
// - The module uses AssemblyScript's incremental runtime and exports __new/__pin/__unpin/__collect.
// - Inputs: the TypeScript side allocates a buffer with __new(bytes, 1) (class id 1 = ArrayBuffer), pins it,
//   copies its data in, and passes the raw pointer plus a length. Kernels never free or retain caller buffers.
//   src/kernels/wasm.ts keeps one pinned buffer per named slot and grows it only when a larger input arrives.
// - Outputs of a size known in advance are written into a caller buffer passed the same way.
// - Outputs of unknown size (contours, RLE runs) are written into the module's result arena (arena.ts):
//   the kernel returns the number of elements, and resultPtr() gives where they start. The arena is reused,
//   so the caller copies (or reads) the result before the next kernel call.
// - Exported kernels take no optional parameters: those need __setArgumentsLength from the caller.
// - Any allocation may grow memory, which detaches memory.buffer: the TypeScript side re-creates views after
//   every call into the module and never caches them.
export * from './arena';
export * from './contours';
export * from './polygon';
export * from './raster';
export * from './rle';
export * from './boxes';
export * from './image';
export * from './json-scan';
