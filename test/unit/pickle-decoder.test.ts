import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, REPO_ROOT } from '../fixtures.ts';
import {
  decodePickle,
  listGlobals,
  NdArray,
  PickleError,
  PyInstance,
  RefusedGlobalError,
} from '../../src/core/formats/pickle/index.ts';
import { pickleBytes, toIntended } from './pickle-helpers.ts';

const shared = (name: string) => readFileSync(fixture('pkl', name));
const local = (name: string) => readFileSync(resolve(REPO_ROOT, 'test/fixtures/pkl', name));
const json = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

describe('benign EA pickles (shared fixtures)', () => {
  for (const name of ['predictions_py310_p4', 'predictions_py311_p4', 'predictions_py311_p2']) {
    it(`${name}.pkl decodes to exactly ${name}.intended.json`, () => {
      const intended = json(fixture('pkl', `${name}.intended.json`));
      const decoded = decodePickle(shared(`${name}.pkl`));
      expect(Array.isArray(decoded)).toBe(true);
      expect(toIntended(decoded)).toEqual(intended.predictions);
      expect((decoded as unknown[]).length).toBe(intended.n_predictions);
    });

    it(`${name}.pkl names exactly the globals pickletools found`, () => {
      const expected = json(fixture('pkl', 'opcodes_and_globals.json')).files[`${name}.pkl`].globals;
      const found = listGlobals(shared(`${name}.pkl`));
      expect([...new Set(found.map((g) => g.global))].sort()).toEqual(expected);
      expect(found.every((g) => g.allowed)).toBe(true);
    });
  }

  it('reads the ea-mini predictions.pkl: 6 Predictions', () => {
    const decoded = decodePickle(readFileSync(fixture('ea-mini', 'predictions.pkl'))) as PyInstance[];
    expect(decoded).toHaveLength(6);
    expect(decoded.every((p) => p instanceof PyInstance && p.className === 'Prediction')).toBe(true);
  });
});

describe('pickles written by scripts/fixtures/make_pickles.py', () => {
  const eaMini = json(resolve(REPO_ROOT, 'test/fixtures/pkl/ea_mini.expected.json'));
  for (const name of eaMini.files as string[]) {
    it(`${name}.pkl decodes to what Python pickled`, () => {
      expect(toIntended(decodePickle(local(`${name}.pkl`)))).toEqual(eaMini.predictions);
    });
  }

  it('protocol 5 arrays come through _frombuffer with in-band BYTEARRAY8, Fortran order kept', () => {
    const decoded = decodePickle(local('ea_mini_p5.pkl')) as PyInstance[];
    const fortranMask = (decoded[3].dict.get('object') as PyInstance).dict.get('data') as NdArray;
    expect(fortranMask.fortranOrder).toBe(true);
    expect(fortranMask.shape).toEqual([80, 100]);
    // row 8, column 50 is inside the mask, row 15 column 60 is in its hole
    expect([fortranMask.get(8, 50), fortranMask.get(15, 60), fortranMask.get(7, 50)]).toEqual([1, 0, 0]);
  });

  it('numpy 2 module paths (numpy._core.*) are accepted', () => {
    const globals = listGlobals(local('ea_mini_numpy2_p5.pkl')).map((g) => g.global);
    expect(globals).toContain('numpy._core.numeric._frombuffer');
    expect(listGlobals(local('ea_mini_numpy2_p4.pkl')).map((g) => g.global)).toContain(
      'numpy._core.multiarray._reconstruct',
    );
  });

  it('shared references come back as the same object through the memo', () => {
    const decoded = decodePickle(local('memo_shared_p4.pkl')) as unknown[];
    expect(decoded).toHaveLength(360);
    expect(decoded[6]).toBe(decoded[0]);
    expect(toIntended(decoded.slice(0, 6))).toEqual(eaMini.predictions);
  });

  it('the variety pickle (LONG_BINGET, big-endian, bool, NaN, strings) decodes to what Python pickled', () => {
    const expected = json(resolve(REPO_ROOT, 'test/fixtures/pkl/variety.expected.json'));
    const decoded = decodePickle(local('variety_p4.pkl'));
    expect(toIntended(decoded)).toEqual(expected.predictions);
    const bigEndian = ((decoded as PyInstance[])[11].dict.get('object') as PyInstance).dict.get('data') as NdArray;
    expect(bigEndian.dtype.str).toBe('>f8');
  });

  it('a pickle spanning several FRAMEs decodes completely', () => {
    const expected = json(resolve(REPO_ROOT, 'test/fixtures/pkl/many_boxes.expected.json')) as unknown[][];
    const decoded = decodePickle(local('many_boxes_p4.pkl')) as PyInstance[];
    const rows = decoded.map((p) => {
      const o = p.dict.get('object') as PyInstance;
      const b = o.dict.get('data') as PyInstance;
      return [
        p.dict.get('data_hash'),
        p.dict.get('confidence'),
        o.dict.get('track_id'),
        b.dict.get('x'),
        b.dict.get('y'),
      ];
    });
    expect(rows).toEqual(expected);
  });
});

describe('hostile pickles', () => {
  for (const [name, global] of [
    ['hostile_os_system', 'posix.system'],
    ['hostile_builtins_eval', 'builtins.eval'],
  ] as const) {
    it(`${name}.pkl is refused at ${global}, before anything is built`, () => {
      const note = json(fixture('pkl', `${name}.note.json`));
      const constructed: string[] = [];
      let error: unknown;
      try {
        decodePickle(shared(`${name}.pkl`), { onConstruct: (what) => constructed.push(what) });
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(RefusedGlobalError);
      const refused = error as RefusedGlobalError;
      expect(refused.global).toBe(note.refuse_with_global);
      expect(refused.offset).toBe(note.global_opcode_byte_offset);
      expect(refused.message).toContain(global);
      expect(refused.message).toContain(`byte ${note.global_opcode_byte_offset}`);
      // Not even the valid Prediction that comes first in the file was built.
      expect(constructed).toEqual([]);
    });
  }

  it('the same file minus the hostile global would have been built (the spy does see construction)', () => {
    const constructed: string[] = [];
    decodePickle(shared('predictions_py311_p4.pkl'), { onConstruct: (what) => constructed.push(what) });
    expect(constructed.length).toBeGreaterThan(0);
    expect(constructed).toContain('NEWOBJ encord_active.lib.db.predictions.Prediction');
  });

  it('GLOBAL (protocol 0-3) is checked the same way', () => {
    const p = pickleBytes(0x80, 2, 'c', 'os\nsystem\n', 'X', [4, 0, 0, 0], 'echo', 0x85, 'R', '.');
    expect(() => decodePickle(p)).toThrowError(/refused global os\.system at byte 2/);
  });

  it('getattr only reaches Format members', () => {
    const p = pickleBytes(
      0x80,
      4,
      0x8c,
      8,
      'builtins',
      0x8c,
      7,
      'getattr',
      0x93,
      0x8c,
      32,
      'encord_active.lib.db.predictions',
      0x8c,
      6,
      'Format',
      0x93,
      0x8c,
      9,
      '__class__',
      0x86,
      'R',
      '.',
    );
    expect(() => decodePickle(p)).toThrowError(/getattr is allowed only for Format members/);
  });

  it('an allowed class cannot be called with REDUCE', () => {
    const p = pickleBytes(
      0x80,
      4,
      0x8c,
      32,
      'encord_active.lib.db.predictions',
      0x8c,
      10,
      'Prediction',
      0x93,
      ')',
      'R',
      '.',
    );
    expect(() => decodePickle(p)).toThrowError(/Prediction cannot be called/);
  });
});

describe('malformed pickles', () => {
  const good = () => shared('predictions_py311_p4.pkl');

  it('a truncated pickle says so, with the offset', () => {
    for (const cut of [1, 5, 20, 300, 1500, good().length - 1]) {
      expect(() => decodePickle(good().subarray(0, cut)), `cut at ${cut}`).toThrowError(/truncated pickle/);
    }
  });

  it('an unknown opcode is named with its byte and offset', () => {
    const p = pickleBytes(0x80, 4, 0x95, [1, 0, 0, 0, 0, 0, 0, 0], 0xff, '.');
    expect(() => decodePickle(p)).toThrowError('unknown pickle opcode 0xff (at byte 11)');
  });

  it('out-of-band buffers are refused with a clear message', () => {
    const p = pickleBytes(0x80, 5, 0x97, '.');
    expect(() => decodePickle(p)).toThrowError(/NEXT_BUFFER \(0x97\): out-of-band buffers/);
  });

  it('a protocol newer than 5 is refused', () => {
    expect(() => decodePickle(pickleBytes(0x80, 6, 'N', '.'))).toThrowError(/protocol 6 is not supported/);
  });

  it('a memo entry that was never stored is an error, not undefined', () => {
    expect(() => decodePickle(pickleBytes(0x80, 4, 'h', 3, '.'))).toThrowError(/memo entry 3 was never stored/);
  });

  it('stack underflow is an error', () => {
    expect(() => decodePickle(pickleBytes(0x80, 4, 'a', '.'))).toThrowError(/APPEND \(0x61\) found the stack empty/);
  });

  it('decodes the usual protocol 0-2 scalars', () => {
    const p = pickleBytes(
      '(',
      'I01\n',
      'I00\n',
      'I-42\n',
      'L123456789012345678901234567890L\n',
      'F2.5\n',
      "S'a\\'b\\x41'\n",
      'Vcaf\\u00e9\n',
      'U',
      2,
      'hi',
      'K',
      7,
      'M',
      [1, 2],
      'J',
      [0xff, 0xff, 0xff, 0xff],
      0x8a,
      2,
      [0x00, 0x80],
      0x88,
      0x89,
      'N',
      'l',
      '.',
    );
    expect(decodePickle(p)).toEqual([
      true,
      false,
      -42,
      123456789012345678901234567890n,
      2.5,
      "a'bA",
      'café',
      'hi',
      7,
      0x201,
      -1,
      -32768,
      true,
      false,
      null,
    ]);
  });

  it('random corruption never escapes as anything but a PickleError', () => {
    let seed = 12345;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const base = good();
    for (let trial = 0; trial < 300; trial++) {
      const bytes = base.slice();
      for (let k = 0; k < 3; k++) bytes[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256);
      try {
        decodePickle(bytes);
      } catch (err) {
        expect(err, `trial ${trial}`).toBeInstanceOf(PickleError);
      }
    }
  });
});
