// A safe pickle decoder: protocols 0-5, allow-listed globals only, nothing from the file is ever run.
export { decodePickle, listGlobals } from './decoder.ts';
export type { DecodeOptions } from './decoder.ts';
export { ALLOWED_GLOBALS, EA_MODULE, FORMAT_MEMBERS } from './globals.ts';
export { DType, NdArray } from './numpy.ts';
export type { NumericArray } from './numpy.ts';
export {
  PickleError,
  PyEnumMember,
  PyGlobal,
  PyInstance,
  PySet,
  PyTuple,
  RefusedGlobalError,
  pyTypeName,
} from './values.ts';
export type { PyDict, PyValue } from './values.ts';
export { opcodeName } from './opcodes.ts';
