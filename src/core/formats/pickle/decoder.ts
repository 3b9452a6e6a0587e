// A pickle virtual machine that cannot run code. It understands protocols 0-5 and builds only the allow-listed
// globals of globals.ts.
//
// Decoding is done in two passes over the same bytes:
//   1. scan: the whole stack machine runs, but GLOBAL/STACK_GLOBAL/INST only check the allow-list and every call
//      (REDUCE, NEWOBJ, BUILD, ...) yields an inert placeholder. A refused global stops here, before anything is
//      built; the error names it and its byte offset.
//   2. build: the same run with the real (data-only) constructors of globals.ts.
import { OP, opcodeName, HIGHEST_PROTOCOL } from './opcodes.ts';
import { buildObject, callGlobal, isAllowedGlobal, newInstance } from './globals.ts';
import { PickleError, PyGlobal, PySet, PyTuple, RefusedGlobalError, pyTypeName } from './values.ts';
import { pushAll } from '../../array.ts';

export interface DecodeOptions {
  /** Called for every object the build pass constructs or fills (REDUCE, NEWOBJ, BUILD, ...), e.g. for audits. */
  onConstruct?: (what: string, offset: number) => void;
}

/** Decodes a pickle into plain values (see values.ts). Throws PickleError / RefusedGlobalError with an offset. */
export function decodePickle(bytes: Uint8Array, options: DecodeOptions = {}): unknown {
  run(bytes, SCAN_HOST);
  return run(bytes, buildHost(options.onConstruct));
}

/** Every global the pickle names, with its offset, without building anything (the scan pass only). */
export function listGlobals(bytes: Uint8Array): { global: string; offset: number; allowed: boolean }[] {
  const seen: { global: string; offset: number; allowed: boolean }[] = [];
  run(bytes, {
    ...SCAN_HOST,
    global(module, name, offset) {
      seen.push({ global: `${module}.${name}`, offset, allowed: isAllowedGlobal(module, name) });
      return new PyGlobal(module, name);
    },
  });
  return seen;
}

interface Host {
  global(module: string, name: string, offset: number): unknown;
  call(callable: unknown, args: unknown, offset: number): unknown;
  instantiate(cls: unknown, args: unknown, offset: number): unknown;
  build(target: unknown, state: unknown, offset: number): void;
}

/** What a call yields in the scan pass: nothing was built. */
const PLACEHOLDER = Object.freeze({ placeholder: true });

const SCAN_HOST: Host = {
  global(module, name, offset) {
    if (!isAllowedGlobal(module, name)) throw new RefusedGlobalError(`${module}.${name}`, offset);
    return new PyGlobal(module, name);
  },
  call: () => PLACEHOLDER,
  instantiate: () => PLACEHOLDER,
  build: () => {},
};

function buildHost(onConstruct?: (what: string, offset: number) => void): Host {
  const label = (v: unknown) => (v instanceof PyGlobal ? v.qualified : pyTypeName(v));
  // `what` is built only for the audit callback and for errors: this runs for every object of the file.
  const wrap = <T>(offset: number, op: string, subject: unknown, f: () => T): T => {
    onConstruct?.(`${op} ${label(subject)}`, offset);
    try {
      return f();
    } catch (err) {
      if (err instanceof PickleError) throw err;
      const message = err instanceof Error ? err.message : String(err);
      throw new PickleError(`${op} ${label(subject)} at byte ${offset}: ${message}`, offset);
    }
  };
  return {
    global: SCAN_HOST.global,
    call: (c, args, offset) => wrap(offset, 'REDUCE', c, () => callGlobal(c, args)),
    instantiate: (c, args, offset) => wrap(offset, 'NEWOBJ', c, () => newInstance(c, args)),
    build: (t, state, offset) => wrap(offset, 'BUILD', t, () => buildObject(t, state)),
  };
}

const MARK = Symbol('mark');
const utf8 = new TextDecoder('utf-8', { fatal: true });

function run(input: Uint8Array, host: Host): unknown {
  // A plain Uint8Array view, so subarray/slice behave the same for Node Buffers.
  const bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stack: unknown[] = [];
  const marks: number[] = [];
  const memo = new Map<number, unknown>();
  let pos = 0;
  let at = 0; // offset of the opcode being run

  const fail = (message: string): never => {
    throw new PickleError(`${message} (at byte ${at})`, at);
  };
  const need = (n: number) => {
    if (n < 0 || pos + n > bytes.length) {
      fail(`truncated pickle: ${opcodeName(bytes[at])} needs ${n} more bytes, only ${bytes.length - pos} left`);
    }
  };
  const take = (n: number): Uint8Array => {
    need(n);
    const out = bytes.subarray(pos, pos + n);
    pos += n;
    return out;
  };
  const u8 = () => (need(1), bytes[pos++]);
  const u16 = () => (need(2), (pos += 2), view.getUint16(pos - 2, true));
  const u32 = () => (need(4), (pos += 4), view.getUint32(pos - 4, true));
  const i32 = () => (need(4), (pos += 4), view.getInt32(pos - 4, true));
  const u64 = () => {
    need(8);
    const v = view.getBigUint64(pos, true);
    pos += 8;
    if (v > BigInt(bytes.length)) fail(`truncated pickle: ${opcodeName(bytes[at])} announces ${v} bytes`);
    return Number(v);
  };
  const line = (): string => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) fail(`truncated pickle: ${opcodeName(bytes[at])} has no end of line`);
    const text = latin1(bytes.subarray(pos, end));
    pos = end + 1;
    return text;
  };
  const text = (raw: Uint8Array): string => {
    try {
      return utf8.decode(raw);
    } catch {
      return fail('string is not valid UTF-8');
    }
  };

  const floor = () => (marks.length ? marks[marks.length - 1] : 0);
  const pop = (): unknown => {
    if (stack.length <= floor()) fail(`${opcodeName(bytes[at])} found the stack empty`);
    return stack.pop();
  };
  const top = (): unknown => {
    if (stack.length <= floor()) fail(`${opcodeName(bytes[at])} found the stack empty`);
    return stack[stack.length - 1];
  };
  const popMark = (): unknown[] => {
    const m = marks.pop();
    if (m === undefined) return fail(`${opcodeName(bytes[at])} without a MARK`);
    return stack.splice(m);
  };
  const memoGet = (index: number) => {
    if (!memo.has(index)) fail(`memo entry ${index} was never stored`);
    return memo.get(index);
  };
  const appendTo = (target: unknown, items: unknown[]) => {
    if (Array.isArray(target)) pushAll(target, items);
    else if (target !== PLACEHOLDER) fail(`cannot append to a ${pyTypeName(target)}`);
  };
  const setItems = (target: unknown, items: unknown[]) => {
    if (items.length % 2) fail('odd number of items for a dict');
    if (target instanceof Map) for (let i = 0; i < items.length; i += 2) target.set(items[i], items[i + 1]);
    else if (target !== PLACEHOLDER) fail(`cannot set items on a ${pyTypeName(target)}`);
  };
  const addTo = (target: unknown, items: unknown[]) => {
    if (target instanceof PySet && !target.frozen) for (const item of items) target.items.add(item);
    else if (target !== PLACEHOLDER) fail(`cannot add items to a ${pyTypeName(target)}`);
  };
  const pushGlobal = (module: string, name: string) => stack.push(host.global(module, name, at));

  for (;;) {
    if (pos >= bytes.length) fail('truncated pickle: the data ends before the STOP opcode');
    at = pos;
    const op = bytes[pos++];
    switch (op) {
      case OP.PROTO: {
        const v = u8();
        if (v > HIGHEST_PROTOCOL) fail(`pickle protocol ${v} is not supported (highest is ${HIGHEST_PROTOCOL})`);
        break;
      }
      case OP.FRAME:
        need(u64());
        break;
      case OP.STOP: {
        const result = pop();
        return result === MARK ? fail('STOP found a MARK') : result;
      }
      // ---- stack and memo
      case OP.MARK:
        marks.push(stack.length);
        break;
      case OP.POP:
        if (stack.length > floor()) stack.pop();
        else popMark();
        break;
      case OP.POP_MARK:
        popMark();
        break;
      case OP.DUP:
        stack.push(top());
        break;
      case OP.MEMOIZE:
        memo.set(memo.size, top());
        break;
      case OP.PUT:
        memo.set(parseIntLine(line(), fail), top());
        break;
      case OP.BINPUT:
        memo.set(u8(), top());
        break;
      case OP.LONG_BINPUT:
        memo.set(u32(), top());
        break;
      case OP.GET:
        stack.push(memoGet(parseIntLine(line(), fail)));
        break;
      case OP.BINGET:
        stack.push(memoGet(u8()));
        break;
      case OP.LONG_BINGET:
        stack.push(memoGet(u32()));
        break;
      // ---- constants and numbers
      case OP.NONE:
        stack.push(null);
        break;
      case OP.NEWTRUE:
        stack.push(true);
        break;
      case OP.NEWFALSE:
        stack.push(false);
        break;
      case OP.BININT:
        stack.push(i32());
        break;
      case OP.BININT1:
        stack.push(u8());
        break;
      case OP.BININT2:
        stack.push(u16());
        break;
      case OP.LONG1:
        stack.push(littleEndianInt(take(u8())));
        break;
      case OP.LONG4: {
        const n = i32();
        if (n < 0) fail('LONG4 with a negative length');
        stack.push(littleEndianInt(take(n)));
        break;
      }
      case OP.INT: {
        const s = line().trim();
        stack.push(s === '00' ? false : s === '01' ? true : parseBigInteger(s, fail));
        break;
      }
      case OP.LONG:
        stack.push(parseBigInteger(line().trim().replace(/L$/, ''), fail));
        break;
      case OP.BINFLOAT:
        need(8);
        stack.push(view.getFloat64(pos, false));
        pos += 8;
        break;
      case OP.FLOAT: {
        const s = line().trim();
        const v = /^[-+]?(inf|infinity)$/i.test(s) ? (s.startsWith('-') ? -Infinity : Infinity) : Number(s);
        if (Number.isNaN(v) && !/^[-+]?nan$/i.test(s)) fail(`FLOAT ${JSON.stringify(s)} is not a number`);
        stack.push(v);
        break;
      }
      // ---- strings and bytes
      case OP.SHORT_BINUNICODE:
        stack.push(text(take(u8())));
        break;
      case OP.BINUNICODE:
        stack.push(text(take(u32())));
        break;
      case OP.BINUNICODE8:
        stack.push(text(take(u64())));
        break;
      case OP.UNICODE:
        stack.push(rawUnicodeEscape(line()));
        break;
      // Python 2 str: read as latin-1 text (what pickle.load(encoding='latin1') gives for numpy data).
      case OP.SHORT_BINSTRING:
        stack.push(latin1(take(u8())));
        break;
      case OP.BINSTRING: {
        const n = i32();
        if (n < 0) fail('BINSTRING with a negative length');
        stack.push(latin1(take(n)));
        break;
      }
      case OP.STRING:
        stack.push(pythonStringLiteral(line(), fail));
        break;
      // bytes are views into the input: nothing here mutates them, and numpy data is copied when decoded.
      case OP.SHORT_BINBYTES:
        stack.push(take(u8()));
        break;
      case OP.BINBYTES:
        stack.push(take(u32()));
        break;
      case OP.BINBYTES8:
      case OP.BYTEARRAY8:
        stack.push(take(u64()));
        break;
      case OP.NEXT_BUFFER:
      case OP.READONLY_BUFFER:
        fail(
          `${opcodeName(op)}: out-of-band buffers (pickle protocol 5 with buffer_callback) are not supported; ` +
            'pickle without buffer_callback so the array data is in the file',
        );
        break;
      // ---- containers
      case OP.EMPTY_LIST:
        stack.push([]);
        break;
      case OP.LIST:
        stack.push(popMark());
        break;
      case OP.APPEND: {
        const item = pop();
        appendTo(top(), [item]);
        break;
      }
      case OP.APPENDS: {
        const items = popMark();
        appendTo(top(), items);
        break;
      }
      case OP.EMPTY_TUPLE:
        stack.push(new PyTuple([]));
        break;
      case OP.TUPLE:
        stack.push(new PyTuple(popMark()));
        break;
      case OP.TUPLE1:
        stack.push(new PyTuple([pop()]));
        break;
      case OP.TUPLE2: {
        const b = pop();
        stack.push(new PyTuple([pop(), b]));
        break;
      }
      case OP.TUPLE3: {
        const c = pop();
        const b = pop();
        stack.push(new PyTuple([pop(), b, c]));
        break;
      }
      case OP.EMPTY_DICT:
        stack.push(new Map());
        break;
      case OP.DICT: {
        const dict = new Map();
        setItems(dict, popMark());
        stack.push(dict);
        break;
      }
      case OP.SETITEM: {
        const value = pop();
        const key = pop();
        setItems(top(), [key, value]);
        break;
      }
      case OP.SETITEMS: {
        const items = popMark();
        setItems(top(), items);
        break;
      }
      case OP.EMPTY_SET:
        stack.push(new PySet(false));
        break;
      case OP.ADDITEMS: {
        const items = popMark();
        addTo(top(), items);
        break;
      }
      case OP.FROZENSET: {
        const set = new PySet(true);
        for (const item of popMark()) set.items.add(item);
        stack.push(set);
        break;
      }
      // ---- globals and objects
      case OP.GLOBAL: {
        const module = line();
        pushGlobal(module, line());
        break;
      }
      case OP.STACK_GLOBAL: {
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') fail('STACK_GLOBAL needs two strings');
        pushGlobal(module as string, name as string);
        break;
      }
      case OP.REDUCE: {
        const args = pop();
        const callable = pop();
        stack.push(host.call(callable, args, at));
        break;
      }
      case OP.NEWOBJ: {
        const args = pop();
        const cls = pop();
        stack.push(host.instantiate(cls, args, at));
        break;
      }
      case OP.NEWOBJ_EX: {
        pop(); // kwargs: the allow-listed classes take none
        const args = pop();
        const cls = pop();
        stack.push(host.instantiate(cls, args, at));
        break;
      }
      case OP.INST: {
        const module = line();
        const cls = host.global(module, line(), at);
        stack.push(host.instantiate(cls, new PyTuple(popMark()), at));
        break;
      }
      case OP.OBJ: {
        const [cls, ...args] = popMark();
        stack.push(host.instantiate(cls, new PyTuple(args), at));
        break;
      }
      case OP.BUILD: {
        const state = pop();
        host.build(top(), state, at);
        break;
      }
      case OP.PERSID:
      case OP.BINPERSID:
        fail(`${opcodeName(op)}: persistent ids are not supported`);
        break;
      case OP.EXT1:
      case OP.EXT2:
      case OP.EXT4:
        fail(`${opcodeName(op)}: copyreg extension codes are not supported`);
        break;
      default:
        fail(`unknown pickle opcode ${opcodeName(op)}`);
    }
  }
}

function latin1(raw: Uint8Array): string {
  let s = '';
  for (let i = 0; i < raw.length; i += 8192) s += String.fromCharCode(...raw.subarray(i, i + 8192));
  return s;
}

/** Two's-complement little-endian integer (LONG1/LONG4): a number when safe, else a bigint. */
function littleEndianInt(raw: Uint8Array): number | bigint {
  if (raw.length === 0) return 0;
  let v = 0n;
  for (let i = raw.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(raw[i]);
  if (raw[raw.length - 1] & 0x80) v -= 1n << BigInt(raw.length * 8);
  return toNumberIfSafe(v);
}

function toNumberIfSafe(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

function parseBigInteger(s: string, fail: (m: string) => never): number | bigint {
  if (!/^[-+]?\d+$/.test(s)) fail(`${JSON.stringify(s)} is not an integer`);
  return toNumberIfSafe(BigInt(s));
}

function parseIntLine(s: string, fail: (m: string) => never): number {
  const v = parseBigInteger(s.trim(), fail);
  if (typeof v !== 'number' || v < 0) fail(`memo index ${s} is out of range`);
  return v as number;
}

/** Protocol 0 UNICODE: raw-unicode-escape (only \uXXXX and \UXXXXXXXX are escapes). */
function rawUnicodeEscape(s: string): string {
  return s.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_, u4: string, u8: string) =>
    String.fromCodePoint(parseInt(u4 ?? u8, 16)),
  );
}

/** Protocol 0 STRING: a quoted Python 2 str literal with backslash escapes; the result is latin-1 text. */
function pythonStringLiteral(raw: string, fail: (m: string) => never): string {
  const q = raw[0];
  if (raw.length < 2 || (q !== "'" && q !== '"') || raw[raw.length - 1] !== q) fail('STRING is not a quoted string');
  const body = raw.slice(1, -1);
  const simple: Record<string, string> = {
    n: '\n',
    t: '\t',
    r: '\r',
    '\\': '\\',
    "'": "'",
    '"': '"',
    a: '\x07',
    b: '\b',
    f: '\f',
    v: '\v',
    '\n': '',
  };
  return body.replace(/\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|[\s\S])/g, (_, e: string) => {
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8) & 0xff);
    return simple[e] ?? '\\' + e;
  });
}
