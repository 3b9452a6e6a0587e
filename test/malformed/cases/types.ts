// The contract of a malformed case. A list of cases (one per format or side file) is a CaseList; the corpus test
// runs every list of cases/index.ts through the same checks, so a new kind of input (PNG images, coco-eval
// inputs) is one more list there.
import type { Problem } from '../../../src/core/model.ts';

/** What running a case gave: how many records were accepted and every rejection. It may also throw. */
export interface CaseOutcome {
  accepted: number;
  rejected: Problem[];
}

export type Expectation =
  /** The import runs: exactly `good` records are accepted and at least `bad` rejected, each with file and record. */
  | { kind: 'records'; good: number; bad: number; level?: 'record' | 'file' }
  /** Nothing can be read: the run throws an error whose message names one of the case's files. */
  | { kind: 'fatal' }
  /** Either of the above (a truncated file may lose a record or the whole file); never more than `good`. */
  | { kind: 'either'; good: number }
  /** A project side file: opening fails with an error naming the file, or reports a problem naming it. */
  | { kind: 'problem' };

export interface MalformedCase {
  id: string;
  /** The file names a message may name (a rejection's file must be one of them; a fatal error names one). */
  files: string[];
  /** The name of the chosen folder, which a fatal error may name instead of a file. */
  source?: string;
  expect: Expectation;
  run(): Promise<CaseOutcome>;
}

export interface CaseList {
  name: string;
  cases: MalformedCase[];
}
