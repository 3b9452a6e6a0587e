// YOLO prediction text files (Ultralytics `save_txt`, Darknet): one .txt per image, anywhere in the chosen folder.
//
// Lines (fields split on whitespace, blank lines skipped; line numbers in messages count from 1), told apart by
// their field count:
//   5      class cx cy w h              a box, no confidence -> 1.0 (and a warning: AP then depends on order)
//   6      class cx cy w h conf         a box
//   7, 9.. class x1 y1 x2 y2 ... xn yn   a segmentation polygon (n >= 3), no confidence -> 1.0
//   8, 10.. class x1 y1 ... xn yn conf   a segmentation polygon with its confidence (Ultralytics save_conf)
// Numbers follow the strict decimal grammar (numbers.ts): no hex, no empty fields, no Infinity or NaN.
// Coordinates are fractions of the image: box x = cx - w/2, y = cy - h/2. Boxes and vertices a little outside the
// image are clipped to it (counted in a warning; see clip.ts); a value outside [-1, 2] means pixel coordinates (or
// garbage) and the row is refused (`not_normalised`). A confidence outside [0, 1] is refused (`bad_confidence`).
//
// Encord Active project:
//   file -> data unit: data-unit-match.ts (stem = data hash, data title, or options.namePattern);
//   class index -> ontology object: options.classMap {"0": featureNodeHash, ...}; else a classes.txt at the root
//   (one class name per line, as Darknet/Ultralytics export it) matched by names.ts; else index i = the i-th
//   ontology object (0-based, every shape, the order EA numbers classes in).
// Dataset project (spec datasets.md): file stem -> the image read with that stem (a stem naming two images is
// refused); class index = the dataset category id; the pixel bbox [(cx - w/2)·W, (cy - h/2)·H, w·W, h·H] is kept
// in boxPx, a polygon becomes the mask frPyObjects rasterises with bbox = the points' bounds. Rows become results
// in file order.
// An index without an object is a rejected row (`unknown_class`).

import type { Kernels } from '../../kernels/wasm.ts';
import type { FileTree } from '../file-tree.ts';
import type { DataUnit, Ontology, Prediction, Problem, Project } from '../model.ts';
import { defaultClassMap, validateClassMap } from './class-map.ts';
import { clipBox, clipPoints } from './clip.ts';
import {
  DataUnitMatcher,
  defaultFrame,
  previewMatches,
  type MatchOutcome,
  type MatchPreview,
} from './data-unit-match.ts';
import { DatasetIndex, isDatasetProject, pointBounds, polygonsAsMask } from './dataset.ts';
import {
  emptyResult,
  previewOrPatternError,
  type ClassKeys,
  type PredictionFormat,
  type UnitPreview,
} from './format.ts';
import { classRows, tally } from './mapping-rows.ts';
import { objectByName } from './names.ts';
import { isAbsurd, notDecimal, parseDecimal } from './numbers.ts';
import type { ImportOptions } from './options.ts';

export const YOLO_CLASS_NAMES = 'classes.txt';

/** One parsed line: a box (cx, cy, w, h) or a polygon (flat x, y pairs), normalised, with an optional score. */
export interface YoloRow {
  line: number;
  classKey: string;
  kind: 'box' | 'polygon';
  values: number[];
  confidence?: number;
}

/** Parses a YOLO text file; unusable lines go to `rejected` with their (1-based) line number. */
export function parseYoloRows(text: string, file: string, rejected: Problem[]): YoloRow[] {
  const rows: YoloRow[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, i) => {
      const line = i + 1;
      const fields = raw.trim().split(/\s+/);
      if (fields.length === 1 && fields[0] === '') return;
      const reject = (code: string, reason: string) => rejected.push({ file, record: line, code, reason });
      const n = fields.length;
      if (n < 5) return reject('bad_row', `${n} fields; a YOLO line is "class cx cy w h [confidence]"`);
      const numbers: number[] = [];
      for (let f = 0; f < n; f++) {
        const v = parseDecimal(fields[f]);
        if (v === undefined) return reject('bad_number', `field ${f + 1} is ${notDecimal(fields[f])}`);
        numbers.push(v);
      }
      const cls = numbers[0];
      if (!Number.isSafeInteger(cls) || cls < 0) {
        return reject('bad_class', `class ${JSON.stringify(fields[0])} is not a class index (0, 1, 2, ...)`);
      }
      const kind = n <= 6 ? 'box' : 'polygon';
      const hasConfidence = kind === 'box' ? n === 6 : n % 2 === 0;
      const values = numbers.slice(1, hasConfidence ? n - 1 : n);
      const confidence = hasConfidence ? numbers[n - 1] : undefined;
      const far = values.find(isAbsurd);
      if (far !== undefined) {
        return reject(
          'not_normalised',
          `coordinate ${far} is not a fraction of the image size (YOLO coordinates are normalised)`,
        );
      }
      if (kind === 'box' && (values[2] < 0 || values[3] < 0)) {
        return reject('bad_box', `negative width or height (${values[2]}, ${values[3]})`);
      }
      if (confidence !== undefined && (confidence < 0 || confidence > 1)) {
        return reject('bad_confidence', `confidence ${confidence} is outside [0, 1]`);
      }
      rows.push({ line, classKey: String(cls), kind, values, confidence });
    });
  return rows;
}

/** The class rule of an import (see the header): key -> featureNodeHash, and the warning that says which. */
interface YoloClasses {
  resolve(key: string): string | undefined;
  note: string;
  warning: string;
}

async function classNames(tree: FileTree): Promise<string[] | undefined> {
  if (!(await tree.exists(YOLO_CLASS_NAMES))) return undefined;
  return (await tree.readText(YOLO_CLASS_NAMES))
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function fromNames(ontology: Ontology, names: string[]): YoloClasses {
  const map = new Map<string, string>();
  const missing: string[] = [];
  names.forEach((name, i) => {
    const object = objectByName(ontology, name);
    if (object) map.set(String(i), object.featureNodeHash);
    else missing.push(`${i} ${name}`);
  });
  return {
    resolve: (k) => map.get(k),
    note: `${YOLO_CLASS_NAMES} names each index; names are matched to ontology objects.`,
    warning:
      `class indices mapped through ${YOLO_CLASS_NAMES} to ontology objects of the same name` +
      (missing.length > 0 ? `; no ontology object for ${missing.join(', ')}` : ''),
  };
}

async function yoloClasses(tree: FileTree, project: Project, classMap?: Record<string, string>): Promise<YoloClasses> {
  if (classMap) {
    const map = validateClassMap(project.ontology, classMap, 'the class map');
    return { resolve: (k) => map.get(k), note: 'The class map given.', warning: '' };
  }
  if (isDatasetProject(project)) {
    const index = new DatasetIndex(project);
    return {
      resolve: (k) => index.category(k)?.featureNodeHash,
      note: "Default: class index = the dataset's category id.",
      warning: "class index = the dataset's category id",
    };
  }
  const names = await classNames(tree);
  if (names) return fromNames(project.ontology, names);
  const { map, describe } = defaultClassMap(project.ontology, 'yolo');
  return { resolve: (k) => map.get(k), note: `Default: ${describe}.`, warning: `no class map given: ${describe}` };
}

const labelFiles = (all: string[]) =>
  all.filter((p) => p.toLowerCase().endsWith('.txt') && p !== YOLO_CLASS_NAMES && !p.endsWith(`/${YOLO_CLASS_NAMES}`));

/** File -> image: the dataset's stems, or the EA data-unit matcher. */
function fileMatcher(project: Project, namePattern: string | undefined): (file: string) => MatchOutcome {
  if (!isDatasetProject(project)) {
    const matcher = new DataUnitMatcher(project, namePattern);
    return (file) => matcher.match(file);
  }
  const index = new DatasetIndex(project);
  return (file) => {
    const name = file.slice(file.lastIndexOf('/') + 1);
    const du = index.imageByName(name);
    return typeof du === 'string'
      ? { ok: false, code: index.isAmbiguous(name) ? 'ambiguous_stem' : 'no_match', reason: du }
      : { ok: true, dataUnit: du, frame: defaultFrame(du), rule: 'title' };
  };
}

export const yoloReader: PredictionFormat = {
  id: 'yolo',
  label: 'YOLO text files (class cx cy w h [confidence])',
  short: 'YOLO',
  detectReason: '.txt files whose rows are 5 or more numbers starting with a class index: YOLO',
  defaults:
    'one <image>.txt per image; class index i = ontology object i (or classes.txt names; the category id on a dataset); no confidence = 1.0',
  options: ['classMap', 'namePattern'],

  async detect(tree) {
    for (const path of labelFiles(await tree.list()).slice(0, 3)) {
      const first = (await tree.readText(path)).split(/\r?\n/).find((l) => l.trim() !== '');
      if (first === undefined) continue;
      const fields = first.trim().split(/\s+/);
      return fields.length >= 5 && /^\d+$/.test(fields[0]) && fields.every((f) => Number.isFinite(Number(f)));
    }
    return false;
  },

  async classKeys(project, tree): Promise<ClassKeys> {
    const ignored: Problem[] = [];
    const keys: string[] = [];
    for (const path of labelFiles(await tree.list()))
      for (const row of parseYoloRows(await tree.readText(path), path, ignored)) keys.push(row.classKey);
    const classes = await yoloClasses(tree, project);
    return {
      mapsClasses: true,
      keyLabel: 'YOLO class index',
      classes: classRows(tally(keys), classes.resolve),
      note: classes.note,
    };
  },

  async preview(project, tree, options): Promise<UnitPreview> {
    const files = labelFiles(await tree.list());
    const dataset = isDatasetProject(project);
    const byStem = (): MatchPreview[] => {
      const match = fileMatcher(project, undefined);
      return files.map((path) => {
        const m = match(path);
        return m.ok
          ? { path, dataHash: m.dataUnit.dataHash, title: m.dataUnit.title, frame: m.frame, rule: m.rule }
          : { path, code: m.code, reason: m.reason };
      });
    };
    return {
      matchesFiles: !dataset,
      ...previewOrPatternError(dataset ? byStem : () => previewMatches(project, files, options.namePattern)),
      note: dataset
        ? "Each .txt file is one image: its stem is the file stem of one of the dataset's images."
        : 'Each .txt file is one image: its name is a data hash, a data title, or <data hash>_<frame> for video frames.',
    };
  },

  async read(kernels: Kernels, project: Project, tree: FileTree, options: ImportOptions) {
    const result = emptyResult();
    const { predictions, origins, report } = result;
    const classes = await yoloClasses(tree, project, options.classMap);
    if (classes.warning !== '') report.warnings.push(classes.warning);
    const match = fileMatcher(project, options.namePattern);
    const dataset = isDatasetProject(project);
    if (dataset && options.namePattern) {
      report.warnings.push('the name pattern is not used on a dataset: files are matched to images by file stem');
    }
    const all = await tree.list();
    const files = labelFiles(all);
    const other = all.filter((p) => !p.toLowerCase().endsWith('.txt'));
    let withoutConfidence = 0;
    let outside = 0;

    for (const [index, file] of files.entries()) {
      options.signal?.throwIfAborted();
      options.onProgress?.({ done: index, total: files.length, current: file });
      const rows = parseYoloRows(await tree.readText(file), file, report.rejected);
      if (rows.length === 0) continue;
      const m = match(file);
      if (!m.ok) {
        report.rejected.push({ file, code: m.code, reason: `${m.reason}; ${rows.length} row(s) not imported` });
        continue;
      }
      for (const row of rows) {
        const featureHash = classes.resolve(row.classKey);
        if (featureHash === undefined) {
          report.rejected.push({
            file,
            record: row.line,
            code: 'unknown_class',
            reason: dataset
              ? `class index ${row.classKey} is not a category of the dataset`
              : `class index ${row.classKey} has no ontology object in the class map`,
          });
          continue;
        }
        if (row.confidence === undefined) withoutConfidence++;
        const prediction = toPrediction(kernels, row, m.dataUnit, m.frame, featureHash, dataset);
        if (prediction.clipped) outside++;
        predictions.push(prediction.prediction);
        origins.push({ file, record: row.line });
      }
    }
    options.onProgress?.({ done: files.length, total: files.length });

    if (withoutConfidence > 0) {
      report.warnings.push(
        `${withoutConfidence} prediction(s) had no confidence and were given 1.0: ties make AP depend on the order of the files`,
      );
    }
    if (outside > 0) report.warnings.push(`${outside} prediction(s) reaching beyond their image were clipped to it`);
    if (other.length > 0) {
      report.warnings.push(
        `${other.length} file(s) that are not .txt were not read (e.g. ${other.slice(0, 3).join(', ')})`,
      );
    }
    report.imported = predictions.length;
    return result;
  },
};

function toPrediction(
  kernels: Kernels,
  row: YoloRow,
  du: DataUnit,
  frame: number,
  featureHash: string,
  dataset: boolean,
): { prediction: Prediction; clipped: boolean } {
  const base = { dataHash: du.dataHash, frame, confidence: row.confidence ?? 1, featureHash };
  const [W, H] = [du.width, du.height];
  if (row.kind === 'box') {
    const [cx, cy, w, h] = row.values;
    const { box, clipped } = clipBox({ x: cx - w / 2, y: cy - h / 2, w, h });
    const prediction: Prediction = { ...base, shape: { kind: 'box', box } };
    if (dataset) prediction.boxPx = { x: (cx - w / 2) * W, y: (cy - h / 2) * H, w: w * W, h: h * H };
    return { prediction, clipped };
  }
  const points: [number, number][] = [];
  for (let i = 0; i + 1 < row.values.length; i += 2) points.push([row.values[i], row.values[i + 1]]);
  if (dataset) {
    const xy = points.flatMap(([x, y]) => [x * W, y * H]);
    const mask = polygonsAsMask(kernels, [xy], H, W);
    return { prediction: { ...base, shape: { kind: 'mask', mask }, boxPx: pointBounds(xy) }, clipped: false };
  }
  const clipped = clipPoints(points);
  return { prediction: { ...base, shape: { kind: 'polygon', points: clipped.points } }, clipped: clipped.clipped };
}
