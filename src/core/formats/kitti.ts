// KITTI box predictions, as Encord Active documents them (spec §4.1), with the defects of EA v0.1.40 fixed.
//
// Layout: <folder>/labels/<data_hash>__<anything>.txt|.csv and <folder>/ontology_label_map.json. A folder with
// no labels/ sub-folder is read as the labels folder itself. Files are matched to data units by data-unit-match.ts
// (so `<data_hash>__name.txt`, `<data_hash>.txt`, `<data title>.txt` or options.namePattern).
//
// Rows (line numbers in messages count from 1): fields split on runs of whitespace (leading/trailing ignored,
// blank lines skipped); columns 2-16 follow the strict decimal grammar (numbers.ts). 15 KITTI columns
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
// A box reaching beyond the image is clipped to it (counted in the warnings; see clip.ts); one reaching further
// than the image's size again (x/W outside [-1, 2]: a 1e308-wide box) is refused (`absurd_geometry`).
// A box mapped to a class that is not a bounding box is refused (`shape_mismatch`), with its file and line.
// Confidence (file level): if any confidence in a file is > 1, every confidence of that file is a percentage
// and is divided by 100 (notice); EA v0.1.40 kept them unscaled. A percentage above 100 is `bad_confidence`.

import type { Kernels } from '../../kernels/wasm.ts';
import type { FileTree } from '../file-tree.ts';
import type { Ontology, Prediction, Problem, Project } from '../model.ts';
import { ClassMapError, parseClassMapJson } from './class-map.ts';
import { clipBox } from './clip.ts';
import { DataUnitMatcher, previewMatches } from './data-unit-match.ts';
import { emptyResult, type FormatReadResult, type PredictionFormat, previewOrPatternError } from './format.ts';
import { classRows, tally } from './mapping-rows.ts';
import { lookupByName, objectByName } from './names.ts';
import { isAbsurd, notDecimal, parseDecimal, usableSize } from './numbers.ts';
import type { ImportOptions } from './options.ts';

export const KITTI_LABEL_MAP = 'ontology_label_map.json';
const LABEL_FILE = /\.(txt|csv)$/i;
const KITTI_COLUMNS = 15;
/** EA's KITTI file naming, <data_hash>__<name>.txt: enough on its own to say "KITTI". */
const KITTI_NAMED = /(^|\/)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}__[^/]+\.(txt|csv)$/i;
const BOX_SHAPES = ['bounding_box', 'rotatable_bounding_box'];

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

/** The lookup without any map: ontology object names (names.ts: exact, then case-folded unique). */
function nameLookup(): KittiClassLookup {
  return { byName: new Map(), keying: 'none', source: 'ontology object names' };
}

function findClass(ontology: Ontology, lookup: KittiClassLookup, name: string): string | undefined {
  if (lookup.keying === 'none') return objectByName(ontology, name)?.featureNodeHash;
  return lookupByName(lookup.byName, name);
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
    for (let c = 1; c <= KITTI_COLUMNS; c++) {
      if (parseDecimal(fields[c]) !== undefined) continue;
      const names = ['class', 'truncation', 'occlusion', 'alpha', 'xmin', 'ymin', 'xmax', 'ymax', 'height', 'width'];
      const name = c === KITTI_COLUMNS ? 'confidence' : (names[c] ?? 'a 3D column');
      rejected.push({
        file,
        record: line,
        code: 'bad_number',
        reason: `column ${c + 1} (${name}) is ${notDecimal(fields[c])}`,
      });
      return;
    }
    const numbers = [4, 5, 6, 7, 15].map((c) => Number(fields[c]));
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

async function classLookup(
  tree: FileTree,
  project: Project,
  classMap: Record<string, string> | undefined,
): Promise<KittiClassLookup> {
  if (classMap) return kittiClassLookup(project.ontology, classMap, 'the class map');
  if (await tree.exists(KITTI_LABEL_MAP)) {
    const raw = parseClassMapJson(await tree.readText(KITTI_LABEL_MAP), KITTI_LABEL_MAP);
    return kittiClassLookup(project.ontology, raw, KITTI_LABEL_MAP);
  }
  return nameLookup();
}

export const kittiReader: PredictionFormat = {
  id: 'kitti',
  label: 'KITTI boxes (labels/<data_hash>__<name>.txt)',
  short: 'KITTI',
  detectReason: 'KITTI label files (labels/*.txt or <data_hash>__<name>.txt, or ontology_label_map.json)',
  defaults: `labels/<data_hash>__<name>.txt; classes by ${KITTI_LABEL_MAP} (any direction) or ontology names; confidence = column 16`,
  options: ['classMap', 'namePattern'],

  async detect(tree) {
    const files = await tree.list();
    if (files.includes(KITTI_LABEL_MAP) || files.some((p) => KITTI_NAMED.test(p))) return true;
    // A KITTI row starts with a class name and has 15+ fields (YOLO's labels/*.txt start with a class index).
    for (const path of (await labelFiles(tree)).filter((p) => LABEL_FILE.test(p)).slice(0, 3)) {
      const first = (await tree.readText(path)).split(/\r?\n/).find((l) => l.trim() !== '');
      if (first === undefined) continue;
      const fields = first.trim().split(/\s+/);
      return fields.length >= KITTI_COLUMNS && !Number.isFinite(Number(fields[0]));
    }
    return false;
  },

  async classKeys(project, tree) {
    const ignored: Problem[] = [];
    const keys: string[] = [];
    for (const path of (await tree.list()).filter((p) => LABEL_FILE.test(p)))
      for (const row of parseKittiRows(await tree.readText(path), path, ignored).rows) keys.push(row.className);
    let note = 'No ontology_label_map.json: KITTI class names are matched to ontology object names (ignoring case).';
    let lookup = nameLookup();
    try {
      lookup = await classLookup(tree, project, undefined);
      if (lookup.keying !== 'none') note = `Default: ${KITTI_LABEL_MAP} in the folder (keyed by ${lookup.keying}).`;
    } catch (e) {
      note = `${KITTI_LABEL_MAP} cannot be used: ${e instanceof Error ? e.message : String(e)}`;
    }
    const target = (k: string) => findClass(project.ontology, lookup, k);
    return { mapsClasses: true, keyLabel: 'KITTI class', classes: classRows(tally(keys), target), note };
  },

  async preview(project, tree, options) {
    const files = (await tree.list()).filter((p) => LABEL_FILE.test(p));
    return {
      matchesFiles: true,
      ...previewOrPatternError(() => previewMatches(project, files, options.namePattern)),
      note: 'Each label file is one image: <data hash>__<name>.txt, <data hash>.txt or <data title>.txt.',
    };
  },

  async read(_kernels: Kernels, project: Project, tree: FileTree, options: ImportOptions): Promise<FormatReadResult> {
    const result = emptyResult();
    const { predictions, origins, report } = result;
    const lookup = await classLookup(tree, project, options.classMap);
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
      if (!usableSize(du.width, du.height)) {
        report.rejected.push({
          file,
          code: 'bad_image_size',
          reason: `data unit ${du.dataHash} has no usable size (${du.width}x${du.height}); ${rows.length} row(s) not imported`,
        });
        continue;
      }
      const percent = rows.some((r) => r.confidence > 1);
      if (percent) percentFiles.push(file);
      const normalised = rows.every((r) => r.box.every((v) => v >= 0 && v <= 1));
      if (normalised) normalisedFiles.push(file);
      const [W, H] = normalised ? [1, 1] : [du.width, du.height];

      for (const row of rows) {
        const featureHash = findClass(project.ontology, lookup, row.className);
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
        const raw = { x: xmin / W, y: ymin / H, w: (xmax - xmin) / W, h: (ymax - ymin) / H };
        if (isAbsurd(raw.x) || isAbsurd(raw.y) || isAbsurd(raw.x + raw.w) || isAbsurd(raw.y + raw.h)) {
          report.rejected.push({
            file,
            record: row.line,
            code: 'absurd_geometry',
            reason: `box ${row.box.join(' ')} lies far outside the ${du.width}x${du.height} image`,
          });
          continue;
        }
        const object = shapeOf.get(featureHash);
        if (object && !BOX_SHAPES.includes(object.shape)) {
          nonBoxClasses.add(object.name);
          report.rejected.push({
            file,
            record: row.line,
            code: 'shape_mismatch',
            reason: `KITTI class '${row.className}' is mapped to ${object.name}, a ${object.shape} object; a KITTI box needs a bounding-box class`,
          });
          continue;
        }
        const { box, clipped } = clipBox(raw);
        if (clipped) outside++;
        const prediction: Prediction = {
          dataHash: du.dataHash,
          frame: match.frame,
          confidence,
          featureHash,
          shape: { kind: 'box', box },
        };
        predictions.push(prediction);
        origins.push({ file, record: row.line });
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
        `KITTI boxes were mapped to objects that are not bounding boxes (rows rejected): ${[...nonBoxClasses].join(', ')}`,
      );
    }
    report.imported = predictions.length;
    return result;
  },
};

function short(files: string[]): string {
  return files.slice(0, 3).join(', ') + (files.length > 3 ? ` and ${files.length - 3} more` : '');
}
