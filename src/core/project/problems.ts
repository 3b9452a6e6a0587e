// Collects what was skipped or not understood while reading a project, without letting a huge project with one
// systematic fault bury everything else: counts stay exact, the listing keeps the first few of each kind.
import type { Problem } from '../model.ts';

/** How many problems of one code are listed; the rest are only counted. */
export const LISTED_PER_CODE = 100;

export class ProblemLog {
  readonly problems: Problem[] = [];
  readonly skipped: Record<string, number> = {};
  readonly #byCode = new Map<string, number>();

  /** Records a problem; `skippedKind` also counts it as a skipped item of that kind. */
  add(problem: Problem & { code: string }, skippedKind?: string) {
    if (skippedKind) this.skipped[skippedKind] = (this.skipped[skippedKind] ?? 0) + 1;
    const seen = (this.#byCode.get(problem.code) ?? 0) + 1;
    this.#byCode.set(problem.code, seen);
    if (seen <= LISTED_PER_CODE) this.problems.push(problem);
  }

  /** Adds one closing note per code whose listing was cut. Call once, at the end. */
  finish() {
    for (const [code, seen] of this.#byCode) {
      if (seen > LISTED_PER_CODE) {
        this.problems.push({
          file: '',
          code,
          reason: `${seen - LISTED_PER_CODE} more "${code}" problems not listed (${seen} in all)`,
        });
      }
    }
  }
}
