// How decoded Python values look in TypeScript. Plain values map to JS ones (None -> null, bool, int -> number or
// bigint beyond 2^53, float -> number, str -> string, bytes/bytearray -> Uint8Array, list -> Array,
// dict -> Map); the rest get small classes so a reader can tell a tuple from a list and an EA model from a dict.
import type { NdArray, DType } from './numpy.ts';

export class PickleError extends Error {
  constructor(
    message: string,
    /** Byte offset of the opcode where decoding stopped. */
    readonly offset: number,
  ) {
    super(message);
    this.name = 'PickleError';
  }
}

/** A global the pickle asked for that is not on the allow-list. Nothing was built or called when this is thrown. */
export class RefusedGlobalError extends PickleError {
  constructor(
    /** "module.name", e.g. "posix.system". */
    readonly global: string,
    offset: number,
  ) {
    super(
      `refused global ${global} at byte ${offset}: only Encord Active prediction classes and numpy arrays may be ` +
        `loaded from a pickle; nothing in the file was run`,
      offset,
    );
    this.name = 'RefusedGlobalError';
  }
}

export class PyTuple {
  constructor(readonly items: readonly unknown[]) {}
}

export class PySet {
  readonly items = new Set<unknown>();
  constructor(readonly frozen: boolean) {}
}

/** A reference to an allow-listed class or function, by its pickled module and name. */
export class PyGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  get qualified() {
    return `${this.module}.${this.name}`;
  }
}

/** An instance of an allow-listed class (the EA pydantic models), built by NEWOBJ and filled by BUILD. */
export class PyInstance {
  /** The instance's attributes (pydantic's __dict__). */
  readonly dict = new Map<string, unknown>();
  /** pydantic's __fields_set__: the fields the user passed explicitly. */
  fieldsSet: string[] | undefined;
  constructor(readonly cls: PyGlobal) {}
  get className() {
    return this.cls.name;
  }
}

/** A member of a Python Enum (EA's Format). */
export class PyEnumMember {
  constructor(
    readonly cls: PyGlobal,
    readonly name: string,
    readonly value: string,
  ) {}
}

export type PyDict = Map<unknown, unknown>;

export type PyValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | unknown[]
  | PyTuple
  | PyDict
  | PySet
  | PyGlobal
  | PyInstance
  | PyEnumMember
  | NdArray
  | DType;

/** A short Python-like type name for messages: "str", "list", "tuple", "Prediction", "ndarray". */
export function pyTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'bigint') return 'int';
  if (typeof value === 'string') return 'str';
  if (value instanceof Uint8Array) return 'bytes';
  if (Array.isArray(value)) return 'list';
  if (value instanceof Map) return 'dict';
  if (value instanceof PyTuple) return 'tuple';
  if (value instanceof PySet) return value.frozen ? 'frozenset' : 'set';
  if (value instanceof PyInstance) return value.className;
  if (value instanceof PyEnumMember) return value.cls.name;
  if (value instanceof PyGlobal) return value.qualified;
  const named = (value as { constructor?: { pyName?: string } }).constructor?.pyName;
  return named ?? 'object';
}
