// KITTI box predictions, as Encord Active documents them (spec §4.1), with the defects of EA v0.1.40 fixed.
//
// Layout: <folder>/labels/<data_hash>__<anything>.txt|.csv and <folder>/ontology_label_map.json. A folder with
// no labels/ sub-folder is read as the labels folder itself. Files are matched to data units by data-unit-match.ts
// (so `<data_hash>__name.txt`, `<data_hash>.txt`, `<data title>.txt` or options.namePattern).
//
// Rows: fields split on runs of whitespace (leading/trailing ignored, blank lines skipped). 15 KITTI columns
//   class truncation occlusion alpha xmin ymin xmax ymax height width length x y z rotation_y
// then the confidence (column 16); further columns are ignored with a notice. A row without a confidence is
// refused (`missing_confidence`): predlens never invents scores.
//
// Classes: the map is read from options.classMap or, failing that, ontology_label_map.json. Its direction is
// detected: {featureNodeHash: kitti name} (the EA docs), {ontology object name: kitti name} (what EA's code
// reads), or {kitti name: featureNodeHash} (predlens' own --class-map direction); which one is reported in the
// warnings. Without any map, KITTI names are matched to ontology object names ignoring case (with a notice).
// A name found nowhere is a rejected row, code `unknown_class`.
//
// Boxes: x = xmin/W, y = ymin/H, w = (xmax-xmin)/W, h = (ymax-ymin)/H with the data unit's W, H. A file whose
// coordinates all lie in [0, 1] is taken as already normalised (notice). xmax < xmin or ymax < ymin: `bad_box`.
// A box reaching beyond the image is clipped to it (counted in the warnings; see clip.ts).
// Confidence (file level): if any confidence in a file is > 1, every confidence of that file is a percentage
// and is divided by 100 (notice); EA v0.1.40 kept them unscaled. A percentage above 100 is `bad_confidence`.

import type { Kernels } from '../../kernels/wasm.ts';
import type { FileTree } from '../file-tree.ts';
import type { ImportResult, Ontology, Prediction, Problem, Project } from '../model.ts';
import { ClassMapError, parseClassMapJson } from './class-map.ts';
import { clipBox } from './clip.ts';
import { DataUnitMatcher } from './data-unit-match.ts';
import type { ImportOptions } from './options.ts';
import { emptyResult, type PredictionReader } from './reader.ts';

export const KITTI_LABEL_MAP = 'ontology_label_map.json';
const LABEL_FILE = /\.(txt|csv)$/i;
const KITTI_COLUMNS = 15;

/** How the user's map was keyed (reported in warnings). */
export type KittiMapKeying = 'featureNodeHash' | 'object name' | 'kitti name -> featureNodeHash' | 'mixed' | 'none';

export interface KittiClassLookup {
  /** kitti class name -> featureNodeHash */
  byName: Map<string, string>;
  keying: KittiMapKeying;
  /** Where the map came from, for messages. */
  source: string;
}

/**
 * Builds the KITTI class lookup from a map in any of the three directions (see the header).
 * Throws ClassMapError when entries resolve to nothing or one KITTI name points at two objects.
 */
export function kittiClassLookup(ontology: Ontology, raw: Record<string, unknown>, source: string): KittiClassLookup {
  const hashes = new Set(ontology.objects.map((o) => o.featureNodeHash));
  const byObjectName = new Map<string, string>();
  for (const o of ontology.objects) if (!byObjectName.has(o.name)) byObjectName.set(o.name, o.featureNodeHash);
  const entries = Object.entries(raw);
  const problems: string[] = [];
  for (const [key, value] of entries) {
    if (typeof value !== 'string') problems.push(`"${key}": the value must be a string, not ${JSON.stringify(value)}`);
  }
  if (problems.length > 0) throw new ClassMapError(source, problems);
  const pairs = entries as [string, string][];

  const byName = new Map<string, string>();
  const add = (kittiName: string, hash: string) => {
    const have = byName.get(kittiName);
    if (have !== undefined && have !== hash) {
      problems.push(`KITTI class "${kittiName}" is mapped to two ontology objects (${have} and ${hash})`);
    }
    byName.set(kittiName, hash);
  };

  const keysAreTargets = pairs.every(([k]) => hashes.has(k) || byObjectName.has(k));
  const valuesAreHashes = pairs.every(([, v]) => hashes.has(v));
  let keying: KittiMapKeying;
  if (pairs.length > 0 && !keysAreTargets && valuesAreHashes) {
    keying = 'kitti name -> featureNodeHash';
    for (const [k, v] of pairs) add(k, v);
  } else {
    let sawHash = false;
    let sawName = false;
    for (const [key, kittiName] of pairs) {
      if (hashes.has(key)) {
        sawHash = true;
        add(kittiName, key);
      } else if (byObjectName.has(key)) {
        sawName = true;
        add(kittiName, byObjectName.get(key)!);
      } else {
        problems.push(`"${key}" is neither a featureNodeHash nor an object name of the ontology`);
      }
    }
    keying = sawHash && sawName ? 'mixed' : sawName ? 'object name' : 'featureNodeHash';
  }
  if (problems.length > 0) throw new ClassMapError(source, problems);
  return { byName, keying, source };
}

function describeKeying(lookup: KittiClassLookup): string {
  switch (lookup.keying) {
    case 'featureNodeHash':
      return `${lookup.source} is keyed by featureNodeHash (as the EA docs describe)`;
    case 'object name':
      return `${lookup.source} is keyed by ontology object name (as EA v0.1.40's code reads it)`;
    case 'mixed':
      return `${lookup.source} mixes featureNodeHash and object-name keys; each key was resolved on its own`;
    case 'kitti name -> featureNodeHash':
      return `${lookup.source} maps KITTI class names to featureNodeHashes`;
    case 'none':
      return `no class map (${KITTI_LABEL_MAP} or --class-map): KITTI classes are matched to ontology object names ignoring case`;
  }
}

/** The lookup without any map: ontology object names, case-folded. */
function nameLookup(ontology: Ontology): KittiClassLookup {
  const byName = new Map<string, string>();
  for (const o of ontology.objects) {
    const key = o.name.toLowerCase();
    if (!byName.has(key)) byName.set(key, o.featureNodeHash);
  }
  return { byName, keying: 'none', source: 'ontology object names' };
}

function findClass(lookup: KittiClassLookup, name: string): string | undefined {
  if (lookup.keying === 'none') return lookup.byName.get(name.toLowerCase());
  const exact = lookup.byName.get(name);
  if (exact !== undefined) return exact;
  const folded = [...lookup.byName].filter(([k]) => k.toLowerCase() === name.toLowerCase());
  return folded.length === 1 ? folded[0][1] : undefined;
}

interface Row {
  line: number;
  className: string;
  box: [number, number, number, number];
  confidence: number;
}

/** Parses one KITTI file into rows; unusable rows go to `rejected`. */
export function parseKittiRows(
  text: string,
  file: string,
  rejected: Problem[],
): { rows: Row[]; extraColumns: boolean } {
  const rows: Row[] = [];
  let extraColumns = false;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    const fields = raw.trim().split(/\s+/);
    if (fields.length === 1 && fields[0] === '') return;
    if (fields.length < KITTI_COLUMNS) {
      rejected.push({
        file,
        record: line,
        code: 'bad_row',
        reason: `${fields.length} fields; a KITTI row has 15 columns plus a confidence`,
      });
      return;
    }
    if (fields.length === KITTI_COLUMNS) {
      rejected.push({
        file,
        record: line,
        code: 'missing_confidence',
        reason: '15 fields: the confidence (column 16) is missing; predictions need a score',
      });
      return;
    }
    if (fields.length > KITTI_COLUMNS + 1) extraColumns = true;
    const numbers = [4, 5, 6, 7, 15].map((c) => Number(fields[c]));
    const badAt = numbers.findIndex((n) => !Number.isFinite(n));
    if (badAt >= 0) {
      const column = [5, 6, 7, 8, 16][badAt];
      const name = ['xmin', 'ymin', 'xmax', 'ymax', 'confidence'][badAt];
      rejected.push({
        file,
        record: line,
        code: 'bad_number',
        reason: `column ${column} (${name}) is ${JSON.stringify(fields[column - 1])}, not a number`,
      });
      return;
    }
    const [xmin, ymin, xmax, ymax, confidence] = numbers;
    if (xmax < xmin || ymax < ymin) {
      rejected.push({
        file,
        record: line,
        code: 'bad_box',
        reason: `xmax < xmin or ymax < ymin (${xmin} ${ymin} ${xmax} ${ymax})`,
      });
      return;
    }
    if (confidence < 0) {
      rejected.push({ file, record: line, code: 'bad_confidence', reason: `confidence ${confidence} is negative` });
      return;
    }
    rows.push({ line, className: fields[0], box: [xmin, ymin, xmax, ymax], confidence });
  });
  return { rows, extraColumns };
}

async function labelFiles(tree: FileTree): Promise<string[]> {
  const all = await tree.list();
  const under = all.filter((p) => p.startsWith('labels/'));
  return (under.length > 0 ? under : all.filter((p) => !p.includes('/'))).filter((p) => p !== KITTI_LABEL_MAP);
}

async function classLookup(tree: FileTree, project: Project, options: ImportOptions): Promise<KittiClassLookup> {
  if (options.classMap) return kittiClassLookup(project.ontology, options.classMap, 'the class map');
  if (await tree.exists(KITTI_LABEL_MAP)) {
    const raw = parseClassMapJson(await tree.readText(KITTI_LABEL_MAP), KITTI_LABEL_MAP);
    return kittiClassLookup(project.ontology, raw, KITTI_LABEL_MAP);
  }
  return nameLookup(project.ontology);
}

export const kittiReader: PredictionReader = {
  id: 'kitti',
  label: 'KITTI boxes (labels/<data_hash>__<name>.txt)',

  async detect(tree) {
    const files = await tree.list();
    if (files.includes(KITTI_LABEL_MAP)) return true;
    // A KITTI row starts with a class name and has 15+ fields (YOLO's labels/*.txt start with a class index).
    for (const path of (await labelFiles(tree)).filter((p) => LABEL_FILE.test(p)).slice(0, 3)) {
      const first = (await tree.readText(path)).split(/\r?\n/).find((l) => l.trim() !== '');
      if (first === undefined) continue;
      const fields = first.trim().split(/\s+/);
      return fields.length >= KITTI_COLUMNS && !Number.isFinite(Number(fields[0]));
    }
    return false;
  },

  async read(_kernels: Kernels, project: Project, tree: FileTree, options: ImportOptions): Promise<ImportResult> {
    const result = emptyResult();
    const { predictions, report } = result;
    const lookup = await classLookup(tree, project, options);
    report.warnings.push(describeKeying(lookup));
    const matcher = new DataUnitMatcher(project, options.namePattern);
    const shapeOf = new Map(project.ontology.objects.map((o) => [o.featureNodeHash, o]));
    const files = await labelFiles(tree);
    const percentFiles: string[] = [];
    const normalisedFiles: string[] = [];
    const extraColumnFiles: string[] = [];
    const nonBoxClasses = new Set<string>();
    let outside = 0;

    for (const [index, file] of files.entries()) {
      options.signal?.throwIfAborted();
      options.onProgress?.({ done: index, total: files.length, current: file });
      if (!LABEL_FILE.test(file)) {
        report.rejected.push({ file, code: 'not_kitti_file', reason: 'not a .txt or .csv file; not read' });
        continue;
      }
      const text = await tree.readText(file);
      const { rows, extraColumns } = parseKittiRows(text, file, report.rejected);
      if (rows.length === 0) continue;
      const match = matcher.match(file);
      if (!match.ok) {
        report.rejected.push({
          file,
          code: match.code,
          reason: `${match.reason}; ${rows.length} row(s) not imported`,
        });
        continue;
      }
      if (extraColumns) extraColumnFiles.push(file);
      const du = match.dataUnit;
      const percent = rows.some((r) => r.confidence > 1);
      if (percent) percentFiles.push(file);
      const normalised = rows.every((r) => r.box.every((v) => v >= 0 && v <= 1));
      if (normalised) normalisedFiles.push(file);
      const [W, H] = normalised ? [1, 1] : [du.width, du.height];

      for (const row of rows) {
        const featureHash = findClass(lookup, row.className);
        if (featureHash === undefined) {
          report.rejected.push({
            file,
            record: row.line,
            code: 'unknown_class',
            reason: `class '${row.className}' is not in ${lookup.source}`,
          });
          continue;
        }
        const confidence = percent ? row.confidence / 100 : row.confidence;
        if (confidence > 1) {
          report.rejected.push({
            file,
            record: row.line,
            code: 'bad_confidence',
            reason: `confidence ${row.confidence} is above 100 in a file read as percentages`,
          });
          continue;
        }
        const [xmin, ymin, xmax, ymax] = row.box;
        const { box, clipped } = clipBox({ x: xmin / W, y: ymin / H, w: (xmax - xmin) / W, h: (ymax - ymin) / H });
        if (clipped) outside++;
        if (shapeOf.get(featureHash)?.shape !== 'bounding_box') nonBoxClasses.add(shapeOf.get(featureHash)!.name);
        const prediction: Prediction = {
          dataHash: du.dataHash,
          frame: match.frame,
          confidence,
          featureHash,
          shape: { kind: 'box', box },
        };
        predictions.push(prediction);
      }
    }
    options.onProgress?.({ done: files.length, total: files.length });

    if (percentFiles.length > 0) {
      report.warnings.push(
        `percent confidences divided by 100 in ${percentFiles.length} file(s) with a confidence above 1: ${short(percentFiles)} (EA v0.1.40 kept them unscaled)`,
      );
    }
    if (normalisedFiles.length > 0) {
      report.warnings.push(
        `coordinates taken as already normalised in ${normalisedFiles.length} file(s) whose values all lie in [0, 1]: ${short(normalisedFiles)}`,
      );
    }
    if (extraColumnFiles.length > 0) {
      report.warnings.push(`columns after the 16th (confidence) ignored in ${short(extraColumnFiles)}`);
    }
    if (outside > 0) report.warnings.push(`${outside} box(es) reaching beyond their image were clipped to it`);
    if (nonBoxClasses.size > 0) {
      report.warnings.push(
        `KITTI boxes were mapped to objects that are not bounding boxes: ${[...nonBoxClasses].join(', ')}`,
      );
    }
    report.imported = predictions.length;
    return result;
  },
};

function short(files: string[]): string {
  return files.slice(0, 3).join(', ') + (files.length > 3 ? ` and ${files.length - 3} more` : '');
}
