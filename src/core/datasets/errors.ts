// Errors that stop a dataset folder from opening. File-level problems use the project's ProjectFileError (file,
// line or record, reason); these are about the folder as a whole.
import { ProjectFileError } from '../project/errors.ts';

export { ProjectFileError };

/** `--split NAME` (or the split selector) names a split the folder does not have. */
export class UnknownSplitError extends Error {
  constructor(
    readonly folder: string,
    readonly split: string,
    readonly splits: readonly string[],
  ) {
    super(
      splits.length === 0
        ? `${folder} has no splits to choose from; open it without a split`
        : `${folder} has no split "${split}"; its splits: ${splits.join(', ')}`,
    );
    this.name = 'UnknownSplitError';
  }
}

/**
 * The folder fits no layout predlens reads. The message starts as it did when only Encord Active projects were
 * read (`project` is that sentence), then says what each dataset layout would need.
 */
export class UnknownLayoutError extends Error {
  constructor(
    readonly folder: string,
    project: string,
    readonly expected: readonly string[],
  ) {
    super(`${project} Nor is it a dataset predlens reads: ${expected.join(' ')}`);
    this.name = 'UnknownLayoutError';
  }
}

/** A record of an annotation file that cannot be used, with where it is. */
export function recordError(file: string, record: string, reason: string): ProjectFileError {
  return new ProjectFileError(file, `${record}: ${reason}`, undefined, undefined, 'bad_record');
}
