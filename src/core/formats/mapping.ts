// What the Import page's mapping step shows, from the chosen files: the class keys the files use (YOLO indices,
// mask pixel values, COCO category ids, KITTI names) with the ontology object each goes to by the format's default
// rule, and which data unit (and frame) each file goes to. Both halves come from the format's own module
// (classKeys, preview), which use the same rules as its reader; the reader stays the authority: a map is only
// passed to it when the user changed a row.
import type { FileTree } from '../file-tree.ts';
import type { FormatId, Project } from '../model.ts';
import type { ClassRow, PreviewOptions } from './format.ts';
import type { MatchPreview } from './data-unit-match.ts';
import { formatById } from './registry.ts';

export type { ClassRow } from './format.ts';

export interface MappingInfo {
  format: FormatId;
  /** False for formats whose records name ontology hashes already (pkl, native, EA folders). */
  mapsClasses: boolean;
  /** What a class key is in this format, for the table heading. */
  keyLabel: string;
  classes: ClassRow[];
  /** The default rule in words. */
  classesNote: string;
  /** True when files are matched to data units by name (a name pattern applies). */
  matchesFiles: boolean;
  matches: MatchPreview[];
  matchesNote: string;
  /** Set when the name pattern could not be compiled. */
  patternError?: string;
}

const PREVIEW_ROWS = 500;

export async function computeMapping(
  project: Project,
  tree: FileTree,
  format: FormatId,
  options: PreviewOptions = {},
): Promise<MappingInfo> {
  const module = formatById(format);
  const keys = await module.classKeys(project, tree, options);
  const info: MappingInfo = {
    format,
    mapsClasses: keys.mapsClasses,
    keyLabel: keys.keyLabel,
    classes: keys.classes,
    classesNote: keys.note,
    matchesFiles: false,
    matches: [],
    matchesNote: '',
  };
  const preview = await module.preview(project, tree, options);
  info.matchesFiles = preview.matchesFiles;
  info.matches = preview.matches.slice(0, PREVIEW_ROWS);
  info.matchesNote = preview.note;
  if (preview.patternError !== undefined) info.patternError = preview.patternError;
  return info;
}
