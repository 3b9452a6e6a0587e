// Helpers for the pickle tests: turn decoded values into the JSON layout of the fixtures' *.intended.json.
import { NdArray, PyEnumMember, PyInstance, PyTuple } from '../../src/core/formats/pickle/index.ts';

export function toIntended(value: unknown): unknown {
  if (value instanceof PyInstance) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value.dict) out[k] = toIntended(v);
    if (value.className !== 'FrameClassification') out.fields_set = value.fieldsSet;
    return out;
  }
  if (value instanceof PyEnumMember) return value.value;
  if (value instanceof NdArray) {
    return {
      __ndarray__: true,
      dtype: value.dtype.str,
      shape: value.shape,
      fortran_order: value.fortranOrder,
      values: value.toNested(),
    };
  }
  if (value instanceof PyTuple) return value.items.map(toIntended);
  if (Array.isArray(value)) return value.map(toIntended);
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN';
  return value;
}

/** A pickle written by hand: opcodes as bytes, strings as latin-1. */
export function pickleBytes(...parts: (number | string | number[])[]): Uint8Array {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === 'number') out.push(p);
    else if (typeof p === 'string') for (const c of p) out.push(c.charCodeAt(0));
    else out.push(...p);
  }
  return Uint8Array.from(out);
}
