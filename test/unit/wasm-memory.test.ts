import { describe, expect, it } from 'vitest';
import { loadKernels } from '../../src/kernels/node.ts';

const kernels = await loadKernels();

describe('the .wasm memory contract', () => {
  it('keeps a slot pinned and reuses it for smaller inputs', () => {
    const a = kernels.copyIn('test', new Uint8Array([1, 2, 3]));
    const b = kernels.copyIn('test', new Uint8Array([4, 5]));
    expect(b).toBe(a);
    expect([...kernels.u8(b, 2)]).toEqual([4, 5]);
  });

  it('grows the result arena and keeps what was asked to be kept', () => {
    const reserve = kernels.fn<(bytes: number, keep: number) => number>('arenaReserve');
    const p = reserve(16, 0);
    kernels.u8(p, 4).set([9, 8, 7, 6]);
    const q = reserve(1 << 20, 4);
    expect([...kernels.u8(q, 4)]).toEqual([9, 8, 7, 6]);
    expect(kernels.exports.resultPtr()).toBe(q);
  });
});
