// The allow-list: the only globals a pickle may name, and what each one builds. Everything here constructs plain
// data; no global ever maps to a JS function taken from the file. A global not listed is refused by name.
import { DType, NdArray, latin1Bytes, toShape } from './numpy.ts';
import { PyEnumMember, PyGlobal, PyInstance, PySet, PyTuple } from './values.ts';

export const EA_MODULE = 'encord_active.lib.db.predictions';

/** EA's Format enum: member name -> value. */
export const FORMAT_MEMBERS: Record<string, string> = {
  BOUNDING_BOX: 'bounding-box',
  MASK: 'mask',
  POLYGON: 'polygon',
};

const EA_CLASSES = new Set(['Prediction', 'ObjectDetection', 'BoundingBox', 'FrameClassification', 'Format']);
const NUMPY_CORE = ['numpy.core', 'numpy._core'];

type Role =
  | 'ea-class'
  | 'ea-format'
  | 'getattr'
  | 'set'
  | 'frozenset'
  | 'bytes'
  | 'bytearray'
  | 'codecs-encode'
  | 'copyreg-reconstructor'
  | 'object'
  | 'np-reconstruct'
  | 'np-ndarray'
  | 'np-dtype'
  | 'np-frombuffer'
  | 'np-scalar';

const ALLOWED = new Map<string, Role>();
for (const cls of EA_CLASSES) ALLOWED.set(`${EA_MODULE}.${cls}`, cls === 'Format' ? 'ea-format' : 'ea-class');
for (const b of ['builtins', '__builtin__']) {
  ALLOWED.set(`${b}.getattr`, 'getattr');
  ALLOWED.set(`${b}.set`, 'set');
  ALLOWED.set(`${b}.frozenset`, 'frozenset');
  ALLOWED.set(`${b}.bytes`, 'bytes');
  ALLOWED.set(`${b}.bytearray`, 'bytearray');
  ALLOWED.set(`${b}.object`, 'object');
}
ALLOWED.set('_codecs.encode', 'codecs-encode');
ALLOWED.set('copyreg._reconstructor', 'copyreg-reconstructor');
ALLOWED.set('copy_reg._reconstructor', 'copyreg-reconstructor');
ALLOWED.set('numpy.ndarray', 'np-ndarray');
ALLOWED.set('numpy.dtype', 'np-dtype');
for (const core of NUMPY_CORE) {
  ALLOWED.set(`${core}.multiarray._reconstruct`, 'np-reconstruct');
  ALLOWED.set(`${core}.multiarray.scalar`, 'np-scalar');
  ALLOWED.set(`${core}.numeric._frombuffer`, 'np-frombuffer');
}

/** Every allowed "module.name", for messages and docs. */
export const ALLOWED_GLOBALS: readonly string[] = [...ALLOWED.keys()].sort();

export function isAllowedGlobal(module: string, name: string): boolean {
  return ALLOWED.has(`${module}.${name}`);
}

function roleOf(value: unknown): Role | undefined {
  return value instanceof PyGlobal ? ALLOWED.get(value.qualified) : undefined;
}

const argsOf = (args: unknown): readonly unknown[] => {
  if (args instanceof PyTuple) return args.items;
  throw new Error(`call arguments must be a tuple, got ${typeof args}`);
};

function iterItems(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value instanceof PyTuple) return [...value.items];
  if (value instanceof PySet) return [...value.items];
  throw new Error('expected a list, tuple or set');
}

/** REDUCE: calls an allowed global with its argument tuple. */
export function callGlobal(callable: unknown, rawArgs: unknown): unknown {
  const role = roleOf(callable);
  const g = callable as PyGlobal;
  const args = argsOf(rawArgs);
  switch (role) {
    case 'ea-format': {
      const value = args[0];
      const name = Object.keys(FORMAT_MEMBERS).find((k) => FORMAT_MEMBERS[k] === value);
      if (args.length !== 1 || !name) throw new Error(`${JSON.stringify(value)} is not a valid Format`);
      return new PyEnumMember(g, name, FORMAT_MEMBERS[name]);
    }
    case 'getattr': {
      const [target, name] = args;
      if (roleOf(target) !== 'ea-format' || typeof name !== 'string' || !(name in FORMAT_MEMBERS)) {
        throw new Error(`getattr is allowed only for Format members, not ${String(name)}`);
      }
      return new PyEnumMember(target as PyGlobal, name, FORMAT_MEMBERS[name]);
    }
    case 'set':
    case 'frozenset': {
      const set = new PySet(role === 'frozenset');
      if (args.length > 0) for (const item of iterItems(args[0])) set.items.add(item);
      return set;
    }
    case 'bytes':
    case 'bytearray': {
      if (args.length === 0) return new Uint8Array(0);
      const [source, encoding] = args;
      if (source instanceof Uint8Array) return source.slice();
      if (typeof source === 'string' && isLatin1(encoding)) return latin1Bytes(source);
      if (
        Array.isArray(source) &&
        source.every((b) => Number.isInteger(b) && (b as number) >= 0 && (b as number) < 256)
      ) {
        return Uint8Array.from(source as number[]);
      }
      throw new Error(`${g.qualified} with these arguments is not supported`);
    }
    case 'codecs-encode': {
      const [text, encoding] = args;
      if (typeof text !== 'string' || !isLatin1(encoding)) {
        throw new Error(`_codecs.encode is allowed only as encode(str, 'latin1')`);
      }
      return latin1Bytes(text);
    }
    case 'copyreg-reconstructor': {
      const [cls, base, state] = args;
      if (roleOf(cls) !== 'ea-class' || roleOf(base) !== 'object' || state != null) {
        throw new Error('copyreg._reconstructor is allowed only for EA prediction classes with base object');
      }
      return new PyInstance(cls as PyGlobal);
    }
    case 'np-reconstruct': {
      if (roleOf(args[0]) !== 'np-ndarray') throw new Error('_reconstruct is allowed only for numpy.ndarray');
      return new NdArray();
    }
    case 'np-dtype': {
      if (typeof args[0] !== 'string') throw new Error('numpy.dtype needs a type string');
      return DType.parse(args[0]);
    }
    case 'np-frombuffer': {
      const [buffer, dtype, shape, order] = args;
      if (!(buffer instanceof Uint8Array) || !(dtype instanceof DType)) {
        throw new Error('_frombuffer needs an in-band buffer and a dtype');
      }
      const array = new NdArray();
      array.fill(buffer, dtype, toShape(shape), order === 'F');
      return array;
    }
    case 'np-scalar': {
      const [dtype, raw] = args;
      if (!(dtype instanceof DType)) throw new Error('numpy scalar needs a dtype');
      const bytes = raw instanceof Uint8Array ? raw : typeof raw === 'string' ? latin1Bytes(raw) : undefined;
      if (!bytes) throw new Error('numpy scalar needs its raw bytes');
      const array = new NdArray();
      array.fill(bytes, dtype, [], false);
      if (array.strings) return array.strings[0];
      return array.unsafeInteger ?? array.data[0];
    }
  }
  throw new Error(`${g instanceof PyGlobal ? g.qualified : 'this object'} cannot be called`);
}

/** NEWOBJ / NEWOBJ_EX / INST / OBJ: a new instance of an allowed class. */
export function newInstance(cls: unknown, rawArgs: unknown): unknown {
  const role = roleOf(cls);
  if (role === 'ea-class') return new PyInstance(cls as PyGlobal);
  if (role === 'ea-format' || role === 'np-dtype' || role === 'set' || role === 'frozenset') {
    return callGlobal(cls, rawArgs);
  }
  throw new Error(`${cls instanceof PyGlobal ? cls.qualified : 'this object'} cannot be instantiated`);
}

/** BUILD: sets the state of an object made by NEWOBJ/REDUCE. */
export function buildObject(target: unknown, state: unknown): void {
  if (target instanceof NdArray || target instanceof DType) {
    if (!(state instanceof PyTuple))
      throw new Error(`numpy ${target instanceof DType ? 'dtype' : 'array'} state must be a tuple`);
    target.setState(state.items);
    return;
  }
  if (target instanceof PyInstance) {
    let dict: unknown = state;
    let slots: unknown = undefined;
    if (state instanceof PyTuple && state.items.length === 2) [dict, slots] = state.items;
    for (const source of [dict, slots]) {
      if (source == null) continue;
      if (!(source instanceof Map)) throw new Error(`${target.className} state must be a dict`);
      applyState(target, source);
    }
    return;
  }
  throw new Error(`cannot set the state of a ${target === null ? 'None' : typeof target}`);
}

function applyState(target: PyInstance, state: Map<unknown, unknown>) {
  // pydantic v1: {'__dict__', '__fields_set__', '__private_attribute_values__'}; v2 uses '__pydantic_*' names.
  const modelDict = state.get('__dict__');
  if (modelDict instanceof Map) {
    for (const [k, v] of modelDict) target.dict.set(String(k), v);
    const fields = state.get('__fields_set__') ?? state.get('__pydantic_fields_set__');
    if (fields instanceof PySet) target.fieldsSet = [...fields.items].map(String).sort();
    return;
  }
  for (const [k, v] of state) target.dict.set(String(k), v);
}

function isLatin1(encoding: unknown): boolean {
  return typeof encoding === 'string' && /^(latin-?1|iso-?8859-?1|l1)$/i.test(encoding);
}
