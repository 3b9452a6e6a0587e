// The prediction formats predlens reads: detection from the chosen files, and the one entry point that imports
// them (importPredictions). Every format is one module registered in registry.ts (PredictionFormat, format.ts).
//
// importPredictions runs the chosen (or detected) format's reader, then checks every prediction it returned once
// more against the project (validate.ts) so the same rules hold whatever the format; a prediction failing there
// is moved to report.rejected with the reason and the file and record it came from, never dropped.
import type { Kernels } from '../../kernels/wasm.ts';
import type { FileTree } from '../file-tree.ts';
import type { FormatId, ImportResult, Project } from '../model.ts';
import type { ImportOptions } from './options.ts';
import { formatById, PREDICTION_FORMATS, UnknownFormatError } from './registry.ts';
import { PredictionValidator } from './validate.ts';

export type { ImportOptions } from './options.ts';
export type { PredictionFormat, PredictionFormat as PredictionReader } from './format.ts';
export { formatProblem, recordText } from './format.ts';
export { FORMAT_IDS, formatById, PREDICTION_FORMATS, UnknownFormatError } from './registry.ts';

/** The registry, in detection order (an older name for PREDICTION_FORMATS). */
export const FORMATS = PREDICTION_FORMATS;
export const readerFor = formatById;

export interface Detection {
  /** The likely format, or undefined when nothing fits. */
  format?: FormatId;
  reason: string;
}

/** Guesses the format of the chosen files (a single file or a folder): the first registered format that fits. */
export async function detectFormat(tree: FileTree): Promise<Detection> {
  const files = await tree.list();
  if (files.length === 0) return { reason: 'no files were chosen' };
  for (const format of PREDICTION_FORMATS) {
    let hit: boolean;
    try {
      hit = await format.detect(tree);
    } catch {
      hit = false; // a file a detector could not read says nothing about the other formats
    }
    if (hit) return { format: format.id, reason: format.detectReason };
  }
  const extensions = new Map<string, number>();
  for (const f of files) {
    const dot = f.lastIndexOf('.');
    const ext = dot > f.lastIndexOf('/') ? f.slice(dot).toLowerCase() : '(none)';
    extensions.set(ext, (extensions.get(ext) ?? 0) + 1);
  }
  const seen = [...extensions].map(([ext, n]) => `${n} ${ext}`).join(', ');
  return { reason: `no known prediction format fits these files (${seen}); choose one with --format` };
}

/**
 * Imports predictions: runs the reader of `format` (or the detected one when `format` is undefined), then
 * validates its output against the project. Fatal problems (unreadable file, hostile pickle) throw; everything
 * else is in the report.
 */
export async function importPredictions(
  kernels: Kernels,
  project: Project,
  tree: FileTree,
  format: FormatId | undefined,
  options: ImportOptions = {},
): Promise<ImportResult & { format: FormatId }> {
  let id = format;
  const notes: string[] = [];
  if (id === undefined) {
    const detected = await detectFormat(tree);
    if (!detected.format) throw new UnknownFormatError(`${tree.name}: ${detected.reason}`);
    id = detected.format;
    notes.push(`detected format ${id}: ${detected.reason}`);
  }
  const reader = formatById(id);
  const read = await reader.read(kernels, project, tree, options);

  const validator = new PredictionValidator(project);
  const predictions = [];
  const rejected = [...read.report.rejected];
  for (const [i, p] of read.predictions.entries()) {
    const origin = read.origins[i] ?? { file: `${tree.name} (${reader.id} reader output)`, record: i };
    const outcome = validator.check(p, origin.file, origin.record);
    if (outcome.prediction) predictions.push(outcome.prediction);
    else if (outcome.problem) rejected.push(outcome.problem);
  }
  return {
    format: id,
    predictions,
    report: { imported: predictions.length, rejected, warnings: [...notes, ...read.report.warnings] },
  };
}
