// The contract every prediction format implements: ONE module per format owns everything about it, and the
// registry (registry.ts) lists the modules. The CLI (`import`, `eval --format`, `--help`), the import worker and
// the Import page (format choices, mapping step) read only the registry, so adding a format means one module,
// its tests and one line in registry.ts.
//
// Rules for readers:
// - Never drop input silently: a record that cannot be imported goes into report.rejected with the file, the
//   record (see recordText for the numbering) and the reason; an unusual reading (e.g. confidences rescaled)
//   goes into report.warnings.
// - report.imported === predictions.length, and origins[i] says which file and record predictions[i] came from
//   (the shared validation pass names them when it rejects one).
// - Throw (an Error naming the file) only for fatal problems: nothing of the input can be read at all.
import type { Kernels } from '../../kernels/wasm.ts';
import type { FileTree } from '../file-tree.ts';
import type { FormatId, ImportResult, Problem, Project } from '../model.ts';
import type { MatchPreview } from './data-unit-match.ts';
import type { ImportOptions } from './options.ts';

/** The import options a format honours (the UI shows the controls of these only). */
export type FormatOption = 'classMap' | 'namePattern' | 'keepHoles' | 'ignoreValue';

/** Where one prediction came from. */
export interface Origin {
  file: string;
  record?: string | number;
}

export interface FormatReadResult extends ImportResult {
  /** origins[i]: the file and record of predictions[i]. */
  origins: Origin[];
}

/** One class key the chosen files use, with how often and where the format's default rule sends it. */
export interface ClassRow {
  /** The file's name for the class. */
  key: string;
  /** How many rows / regions / files use it (what was scanned). */
  count: number;
  /** The ontology object (featureNodeHash) the default rule sends it to, if any. */
  target?: string;
}

/** The mapping step's class table: the keys the files use and the default target of each. */
export interface ClassKeys {
  /** False for formats whose records name ontology hashes already (pkl, native, EA folders). */
  mapsClasses: boolean;
  /** What a class key is in this format, for the table heading. */
  keyLabel: string;
  classes: ClassRow[];
  /** The default rule in words. */
  note: string;
}

/** The mapping step's data-unit preview: which data unit (and frame) each file or image id goes to. */
export interface UnitPreview {
  /** True when files are matched to data units by name (a name pattern applies). */
  matchesFiles: boolean;
  matches: MatchPreview[];
  note: string;
  /** Set when the name pattern could not be compiled (matches is then empty). */
  patternError?: string;
}

/** The matches of a preview, or the name pattern's error. */
export function previewOrPatternError(match: () => MatchPreview[]): Pick<UnitPreview, 'matches' | 'patternError'> {
  try {
    return { matches: match() };
  } catch (e) {
    return { matches: [], patternError: e instanceof Error ? e.message : String(e) };
  }
}

/** What the mapping step needs from the page, beyond the files. */
export interface PreviewOptions {
  namePattern?: string;
  ignoreValue?: number;
  /** The project's image_data_unit.json (COCO results). */
  imageDataUnits?: Record<string, { data_hash: string; height?: number; width?: number }>;
}

export interface PredictionFormat {
  id: FormatId;
  /** A human name for the format choice, e.g. "Encord Active predictions pickle (.pkl)". */
  label: string;
  /** A short name for run names ("COCO 2024-05-01 14:03"). */
  short: string;
  /** Why detection picked this format, in the words a user would recognise. */
  detectReason: string;
  /** The format's default rules (classes, files, confidences) in one line, for --help and the docs. */
  defaults: string;
  /** The import options it honours. */
  options: readonly FormatOption[];
  /** True when the tree looks like this format (cheap: list and peek, don't parse everything). */
  detect(tree: FileTree): Promise<boolean>;
  /** The class keys the files use and where the default rule (the same the reader uses) sends each. */
  classKeys(project: Project, tree: FileTree, options: PreviewOptions): Promise<ClassKeys>;
  /** Which data unit each file (or image id) goes to; a bad name pattern is reported in patternError. */
  preview(project: Project, tree: FileTree, options: PreviewOptions): Promise<UnitPreview>;
  read(kernels: Kernels, project: Project, tree: FileTree, options: ImportOptions): Promise<FormatReadResult>;
}

/** An empty result to fill. */
export function emptyResult(): FormatReadResult {
  return { predictions: [], origins: [], report: { imported: 0, rejected: [], warnings: [] } };
}

/** Appends another result (a file's) to `into`. */
export function appendResult(into: FormatReadResult, one: FormatReadResult): void {
  for (let i = 0; i < one.predictions.length; i++) {
    into.predictions.push(one.predictions[i]);
    into.origins.push(one.origins[i]);
  }
  for (const p of one.report.rejected) into.report.rejected.push(p);
  for (const w of one.report.warnings) into.report.warnings.push(w);
}

/** The class table of formats whose records already name ontology hashes. */
export const NO_CLASS_KEYS: ClassKeys = {
  mapsClasses: false,
  keyLabel: 'class',
  classes: [],
  note: 'The records name ontology classes by their featureNodeHash: nothing to map.',
};

/** The preview of formats whose records name their data unit. */
export const BY_DATA_HASH: UnitPreview = {
  matchesFiles: false,
  matches: [],
  note: 'Records name their data unit by data hash.',
};

const LINE_FILES = /\.(txt|csv|ndjson|jsonl)$/i;

/**
 * Where in its file a problem is, with the numbering said: text files (KITTI, YOLO, CSV, NDJSON) count lines
 * from 1 ("line 7"); JSON arrays, pickles and PredictionWriter calls count records from 0 ("record 7 (0-based)");
 * a key or position is shown as it is ("record value 3", "record objects[2]").
 */
export function recordText(p: Pick<Problem, 'file' | 'record'>): string {
  if (p.record === undefined) return '';
  if (typeof p.record === 'string') return `record ${p.record}`;
  return LINE_FILES.test(p.file) ? `line ${p.record}` : `record ${p.record} (0-based)`;
}

/** "predictions.pkl, record 7 (0-based): bounding box x+w = 1.2 > 1" */
export function formatProblem(p: Problem): string {
  const at = recordText(p);
  return `${p.file}${at === '' ? '' : `, ${at}`}: ${p.reason}`;
}
