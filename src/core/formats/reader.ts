// The contract every prediction importer implements. A reader turns the files a user chose (a FileTree holding a
// single file or a folder) into predictions for an already opened project.
//
// Rules for readers:
// - Never drop input silently: a record that cannot be imported goes into report.rejected with the file, the
//   record (line number or index) and the reason; an unusual reading (e.g. confidences rescaled) goes into
//   report.warnings.
// - report.imported === predictions.length.
// - Throw (an Error naming the file) only for fatal problems: nothing of the input can be read at all.
import type { Kernels } from '../../kernels/wasm.ts';
import type { FileTree } from '../file-tree.ts';
import type { FormatId, ImportResult, Problem, Project } from '../model.ts';
import type { ImportOptions } from './options.ts';

export interface PredictionReader {
  id: FormatId;
  /** A human name for the format, e.g. "Encord Active pickle (.pkl)". */
  label: string;
  /** True when the tree looks like this format (cheap: list and peek, don't parse everything). */
  detect(tree: FileTree): Promise<boolean>;
  read(kernels: Kernels, project: Project, tree: FileTree, options: ImportOptions): Promise<ImportResult>;
}

/** An empty result to fill. */
export function emptyResult(): ImportResult {
  return { predictions: [], report: { imported: 0, rejected: [], warnings: [] } };
}

/** "predictions.pkl, record 7: bounding box x+w = 1.2 > 1" */
export function formatProblem(p: Problem): string {
  return `${p.file}${p.record === undefined ? '' : `, record ${p.record}`}: ${p.reason}`;
}
