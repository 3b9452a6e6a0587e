// The malformed corpus: every case of cases/index.ts through the real code (importPredictions with the real wasm
// kernels, readProject, the side-file readers). For each case: no crash (no TypeError / RangeError /
// ReferenceError escaping, no "Cannot read properties"), no hang (5 s per case), no silent acceptance (every bad
// record is refused or the whole run fails with a named error), and every message names its file and, for
// record-level problems, the record or line.
import { describe, expect, it } from 'vitest';
import { caseLists } from './cases/index.ts';
import type { CaseOutcome, MalformedCase } from './cases/types.ts';

const CASE_TIMEOUT_MS = 5_000;
const CRASH = /Cannot (read|set) propert|is not a function|is not iterable|of undefined|of null|Maximum call stack/;
const lists = caseLists();

function checkMessage(text: string) {
  expect(text, 'an internal error leaked into the message').not.toMatch(CRASH);
  expect(text.trim(), 'an empty message').not.toBe('');
}

async function runCase(c: MalformedCase) {
  let outcome: CaseOutcome | undefined;
  let error: unknown;
  try {
    outcome = await c.run();
  } catch (e) {
    error = e;
  }
  if (error !== undefined) {
    expect(error, `${String(error)}`).toBeInstanceOf(Error);
    const e = error as Error;
    expect(
      e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError || e instanceof SyntaxError,
      `a crash escaped: ${e.name}: ${e.message}`,
    ).toBe(false);
    checkMessage(e.message);
    const names = [...c.files, ...(c.source ? [c.source] : [])];
    expect(
      names.some((f) => e.message.includes(f)),
      `the error names none of ${names.join(', ')}: ${e.message}`,
    ).toBe(true);
    expect(['fatal', 'either', 'problem'], `failed where records were expected: ${e.message}`).toContain(c.expect.kind);
    return;
  }
  const { accepted, rejected } = outcome!;
  for (const p of rejected) checkMessage(p.reason);
  switch (c.expect.kind) {
    case 'fatal':
      throw new Error(`accepted ${accepted} record(s) and rejected ${rejected.length} where the whole run had to fail`);
    case 'problem': {
      const named = rejected.filter((p) => c.files.includes(p.file));
      expect(named.length, `opened without a problem naming ${c.files.join(', ')}`).toBeGreaterThan(0);
      break;
    }
    case 'either':
      expect(accepted).toBeLessThanOrEqual(c.expect.good);
      for (const p of rejected) expect(c.files).toContain(p.file);
      break;
    case 'records': {
      expect(accepted, 'records accepted (a bad one slipped through, or a good one was lost)').toBe(c.expect.good);
      expect(rejected.length, 'bad records refused').toBeGreaterThanOrEqual(c.expect.bad);
      for (const p of rejected) {
        expect(c.files, `a rejection names an unknown file: ${p.file}`).toContain(p.file);
        if (c.expect.level !== 'file') expect(p.record, `no record or line: ${p.reason}`).toBeDefined();
      }
    }
  }
}

describe('the malformed corpus', () => {
  it('holds at least 200 cases with unique names', () => {
    const ids = lists.flatMap((l) => l.cases.map((c) => c.id));
    expect(ids.length).toBeGreaterThanOrEqual(200);
    expect(new Set(ids).size).toBe(ids.length);
  });

  for (const list of lists) {
    describe(list.name, () => {
      for (const c of list.cases) it(c.id, () => runCase(c), CASE_TIMEOUT_MS);
    });
  }
});
