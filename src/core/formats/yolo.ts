// YOLO prediction text files (Ultralytics `save_txt`, Darknet): one .txt per image, anywhere in the chosen folder.
//
// Lines (fields split on whitespace, blank lines skipped), told apart by their field count:
//   5      class cx cy w h              a box, no confidence -> 1.0 (and a warning: AP then depends on order)
//   6      class cx cy w h conf         a box
//   7, 9.. class x1 y1 x2 y2 ... xn yn   a segmentation polygon (n >= 3), no confidence -> 1.0
//   8, 10.. class x1 y1 ... xn yn conf   a segmentation polygon with its confidence (Ultralytics save_conf)
// Coordinates are fractions of the image: box x = cx - w/2, y = cy - h/2. Boxes and vertices a little outside the
// image are clipped to it (counted in a warning; see clip.ts); a value outside [-1, 2] means pixel coordinates and
// the row is refused (`not_normalised`).
// A confidence outside [0, 1] is refused (`bad_confidence`).
//
// File -> data unit: data-unit-match.ts (stem = data hash, data title, or options.namePattern).
// Class index -> ontology object: options.classMap {"0": featureNodeHash, ...}; else a classes.txt at the root
// (one class name per line, as Darknet/Ultralytics export it) matched to ontology object names (exact, then
// ignoring case); else index i = the i-th ontology object (0-based, every shape, the order EA numbers classes in).
// An index without an object is a rejected row (`unknown_class`).

import type { Kernels } from '../../kernels/wasm.ts';
import type { FileTree } from '../file-tree.ts';
import type { ImportResult, Ontology, Prediction, Problem, Project } from '../model.ts';
import { classMapFor, type ClassMap } from './class-map.ts';
import { clipBox, clipPoints } from './clip.ts';
import { DataUnitMatcher } from './data-unit-match.ts';
import type { ImportOptions } from './options.ts';
import { emptyResult, type PredictionReader } from './reader.ts';

export const YOLO_CLASS_NAMES = 'classes.txt';
const PIXEL_LIMIT: [number, number] = [-1, 2];

/** One parsed line: a box (cx, cy, w, h) or a polygon (flat x, y pairs), normalised, with an optional score. */
export interface YoloRow {
  line: number;
  classKey: string;
  kind: 'box' | 'polygon';
  values: number[];
  confidence?: number;
}

/** Parses a YOLO text file; unusable lines go to `rejected` with their line number. */
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
      const numbers = fields.map(Number);
      const bad = numbers.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) return reject('bad_number', `field ${bad + 1} is ${JSON.stringify(fields[bad])}, not a number`);
      const cls = numbers[0];
      if (!Number.isInteger(cls) || cls < 0) {
        return reject('bad_class', `class ${JSON.stringify(fields[0])} is not a class index (0, 1, 2, ...)`);
      }
      const kind = n <= 6 ? 'box' : 'polygon';
      const hasConfidence = kind === 'box' ? n === 6 : n % 2 === 0;
      const values = numbers.slice(1, hasConfidence ? n - 1 : n);
      const confidence = hasConfidence ? numbers[n - 1] : undefined;
      const far = values.find((v) => v < PIXEL_LIMIT[0] || v > PIXEL_LIMIT[1]);
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

/** The class map from classes.txt names, when the folder has one (see the header). */
function classMapFromNames(ontology: Ontology, names: string[], warnings: string[]): ClassMap {
  const map: ClassMap = new Map();
  const missing: string[] = [];
  names.forEach((name, i) => {
    const exact = ontology.objects.find((o) => o.name === name);
    const folded = ontology.objects.filter((o) => o.name.toLowerCase() === name.toLowerCase());
    const object = exact ?? (folded.length === 1 ? folded[0] : undefined);
    if (object) map.set(String(i), object.featureNodeHash);
    else missing.push(`${i} ${name}`);
  });
  warnings.push(
    `class indices mapped through ${YOLO_CLASS_NAMES} to ontology objects of the same name` +
      (missing.length > 0 ? `; no ontology object for ${missing.join(', ')}` : ''),
  );
  return map;
}

async function yoloClassMap(tree: FileTree, project: Project, options: ImportOptions, warnings: string[]) {
  if (!options.classMap && (await tree.exists(YOLO_CLASS_NAMES))) {
    const names = (await tree.readText(YOLO_CLASS_NAMES))
      .split(/\r?\n/)
      .map((s) => s.trim())
      .filter((s) => s !== '');
    return classMapFromNames(project.ontology, names, warnings);
  }
  return classMapFor(project.ontology, 'yolo', options.classMap, warnings);
}

export const yoloReader: PredictionReader = {
  id: 'yolo',
  label: 'YOLO text files (class cx cy w h [confidence])',

  async detect(tree) {
    const txt = (await tree.list()).filter((p) => p.endsWith('.txt') && !p.endsWith(YOLO_CLASS_NAMES));
    for (const path of txt.slice(0, 3)) {
      const first = (await tree.readText(path)).split(/\r?\n/).find((l) => l.trim() !== '');
      if (first === undefined) continue;
      const fields = first.trim().split(/\s+/);
      return fields.length >= 5 && /^\d+$/.test(fields[0]) && fields.every((f) => Number.isFinite(Number(f)));
    }
    return false;
  },

  async read(_kernels: Kernels, project: Project, tree: FileTree, options: ImportOptions): Promise<ImportResult> {
    const result = emptyResult();
    const { predictions, report } = result;
    const classMap = await yoloClassMap(tree, project, options, report.warnings);
    const matcher = new DataUnitMatcher(project, options.namePattern);
    const all = await tree.list();
    const files = all.filter((p) => p.toLowerCase().endsWith('.txt') && p !== YOLO_CLASS_NAMES);
    const other = all.filter((p) => !p.toLowerCase().endsWith('.txt'));
    let withoutConfidence = 0;
    let outside = 0;

    for (const [index, file] of files.entries()) {
      options.signal?.throwIfAborted();
      options.onProgress?.({ done: index, total: files.length, current: file });
      const rows = parseYoloRows(await tree.readText(file), file, report.rejected);
      if (rows.length === 0) continue;
      const match = matcher.match(file);
      if (!match.ok) {
        report.rejected.push({ file, code: match.code, reason: `${match.reason}; ${rows.length} row(s) not imported` });
        continue;
      }
      for (const row of rows) {
        const featureHash = classMap.get(row.classKey);
        if (featureHash === undefined) {
          report.rejected.push({
            file,
            record: row.line,
            code: 'unknown_class',
            reason: `class index ${row.classKey} has no ontology object in the class map`,
          });
          continue;
        }
        if (row.confidence === undefined) withoutConfidence++;
        const base = {
          dataHash: match.dataUnit.dataHash,
          frame: match.frame,
          confidence: row.confidence ?? 1,
          featureHash,
        };
        let prediction: Prediction;
        if (row.kind === 'box') {
          const [cx, cy, w, h] = row.values;
          const { box, clipped } = clipBox({ x: cx - w / 2, y: cy - h / 2, w, h });
          if (clipped) outside++;
          prediction = { ...base, shape: { kind: 'box', box } };
        } else {
          const points: [number, number][] = [];
          for (let i = 0; i + 1 < row.values.length; i += 2) points.push([row.values[i], row.values[i + 1]]);
          const clipped = clipPoints(points);
          if (clipped.clipped) outside++;
          prediction = { ...base, shape: { kind: 'polygon', points: clipped.points } };
        }
        predictions.push(prediction);
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
