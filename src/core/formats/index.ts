// The prediction formats predlens reads: the registry, detection from the chosen files, and the one entry point
// that imports them (importPredictions). Every reader implements PredictionReader (reader.ts).
//
// importPredictions runs the chosen (or detected) reader, then checks every prediction it returned once more
// against the project (validate.ts) so the same rules hold whatever the format; a prediction failing there is
// moved to report.rejected with the reason, never dropped.
import type { Kernels } from '../../kernels/wasm.ts';
import type { FileTree } from '../file-tree.ts';
import type { FormatId, ImportResult, Project } from '../model.ts';
import { cocoResultsReader } from './coco-results.ts';
import { eaPredictionsReader } from './ea-predictions.ts';
import { kittiReader } from './kitti.ts';
import { masksReader } from './masks.ts';
import { nativeJsonReader, writerReader } from './native.ts';
import type { ImportOptions } from './options.ts';
import { pklReader } from './pkl.ts';
import type { PredictionReader } from './reader.ts';
import { PredictionValidator } from './validate.ts';
import { yoloReader } from './yolo.ts';

export type { ImportOptions } from './options.ts';
export type { PredictionReader } from './reader.ts';
export { formatProblem } from './reader.ts';

/** Every reader, in detection order (the most specific layouts first). */
export const FORMATS: readonly PredictionReader[] = [
  pklReader,
  eaPredictionsReader,
  kittiReader,
  nativeJsonReader,
  cocoResultsReader,
  masksReader,
  yoloReader,
  writerReader,
];

export const FORMAT_IDS: readonly FormatId[] = FORMATS.map((r) => r.id);

/** Why detection picked a format, in the words a user would recognise. */
const DETECT_REASONS: Record<FormatId, string> = {
  pkl: 'a .pkl file: Encord Active pickled Prediction objects',
  'ea-predictions': 'predictions.csv with class_idx.json beside it: an Encord Active predictions/ folder',
  kitti: 'KITTI label files (labels/*.txt or <data_hash>__<name>.txt, or ontology_label_map.json)',
  json: '.json/.ndjson records with dataHash and featureHash: predlens native predictions',
  coco: 'a JSON array of {image_id, category_id, bbox|segmentation, score}: COCO results',
  masks: 'PNG files only: class-index masks',
  yolo: '.txt files whose rows are 5 or more numbers starting with a class index: YOLO',
  writer: 'files written by PredictionWriter',
};

const KITTI_NAMED = /(^|\/)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}__[^/]+\.(txt|csv)$/i;

export class UnknownFormatError extends Error {}

export function readerFor(format: FormatId | string): PredictionReader {
  const reader = FORMATS.find((r) => r.id === format);
  if (!reader) throw new UnknownFormatError(`unknown format "${format}"; known: ${FORMAT_IDS.join(', ')}`);
  return reader;
}

export interface Detection {
  /** The likely format, or undefined when nothing fits. */
  format?: FormatId;
  reason: string;
}

/** Guesses the format of the chosen files (a single file or a folder). */
export async function detectFormat(tree: FileTree): Promise<Detection> {
  const files = await tree.list();
  if (files.length === 0) return { reason: 'no files were chosen' };
  for (const reader of FORMATS) {
    let hit: boolean;
    try {
      hit = await reader.detect(tree);
    } catch {
      hit = false; // a file a detector could not read says nothing about the other formats
    }
    if (!hit && reader.id === 'kitti') hit = files.some((p) => KITTI_NAMED.test(p));
    if (hit) return { format: reader.id, reason: DETECT_REASONS[reader.id] };
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
  const reader = readerFor(id);
  const read = await reader.read(kernels, project, tree, options);

  const validator = new PredictionValidator(project);
  const predictions = [];
  const rejected = [...read.report.rejected];
  for (const [i, p] of read.predictions.entries()) {
    const outcome = validator.check(p, `${tree.name} (${reader.id} reader output)`, i);
    if (outcome.prediction) predictions.push(outcome.prediction);
    else if (outcome.problem) rejected.push(outcome.problem);
  }
  return {
    format: id,
    predictions,
    report: { imported: predictions.length, rejected, warnings: [...notes, ...read.report.warnings] },
  };
}
