// An existing Encord Active `predictions/` folder (spec §1.10): what EA's PredictionWriter wrote, read back as
// predictions, so a project that already has EA predictions opens with them.
//
// Where: the chosen folder is a project (predictions/predictions.csv), the predictions/ folder itself, or a later
// EA layout with predictions/object/ and predictions/classification/ — every folder holding both predictions.csv
// and class_idx.json is read (metrics/ folders excepted).
//
// predictions.csv: pandas' unnamed index column first, then named columns (found by name):
//   identifier  <label_hash>_<du_hash>_<frame:05d>_<prediction hash>  -> data unit (by du hash) and frame
//   class_id    -> class_idx.json entry -> featureHash; an entry with optionHash is a radio-classification option
//   x1..y2      pixels -> box {x1/W, y1/H, (x2-x1)/W, (y2-y1)/H} with the data unit's W, H (rows without rle)
//   rle         "{'size': [H, W], 'counts': [...]}" — a Python dict repr of ROW-major runs (not COCO), parsed
//               without eval -> a mask prediction holding the same mask as a COCO (column-major) RLE
//   confidence  as is (EA never rescaled it)
//   iou, url, img_id, theta: EA's derived columns, not needed (theta is always empty at v0.1.40).
// When an RLE row's x1..y2 disagree with its mask (EA v0.1.40 multiplies point polygons by W, H twice, §3.3) the
// RLE wins and the warnings say how many rows were affected.
// labels.csv and ground_truths_matched.json are ground truth and EA's own matching: not read (noted in warnings).
// Numbers (confidence, x1..y2) follow the strict decimal grammar (numbers.ts); record numbers in messages are the
// CSV's 1-based line. class_idx.json must be an object of {featureHash: string, ...} entries (a wrong type is a
// named error with the entry's key).

import type { Kernels } from '../../kernels/wasm.ts';
import type { FileTree } from '../file-tree.ts';
import type { CocoRle, Prediction, Project } from '../model.ts';
import { BY_DATA_HASH, emptyResult, NO_CLASS_KEYS, type FormatReadResult, type PredictionFormat } from './format.ts';
import { isJsonObject, jsonType, parseJsonFile } from './json-file.ts';
import { notDecimal, parseDecimal, usableSize } from './numbers.ts';
import type { ImportOptions } from './options.ts';

/** One class_idx.json entry. */
export interface EaClassEntry {
  featureHash: string;
  name?: string;
  color?: string;
  attributeHash?: string;
  optionHash?: string;
}

/** Splits CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF) into records with their first line. */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
  };
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else field += c;
  }
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}

/** Parses EA's "{'size': [H, W], 'counts': [...]}" (single or double quotes; numpy 2 scalar reprs tolerated). */
export function parseEaRle(text: string): { height: number; width: number; counts: number[] } {
  const clean = text.replace(/np\.\w+\(\s*(-?\d+)\s*\)/g, '$1');
  const size = /['"]size['"]\s*:\s*\[\s*(\d+)\s*,\s*(\d+)\s*\]/.exec(clean);
  const counts = /['"]counts['"]\s*:\s*\[([^\]]*)\]/.exec(clean);
  if (!size || !counts) throw new Error("not an EA RLE dict {'size': [H, W], 'counts': [...]}");
  const height = Number(size[1]);
  const width = Number(size[2]);
  const runs = counts[1].trim() === '' ? [] : counts[1].split(',').map((s) => Number(s.trim()));
  if (runs.some((n) => !Number.isInteger(n) || n < 0)) throw new Error('counts must be non-negative whole numbers');
  const total = runs.reduce((a, b) => a + b, 0);
  if (total !== height * width) throw new Error(`counts add up to ${total}, not H*W = ${height * width}`);
  return { height, width, counts: runs };
}

/**
 * Row-major runs (EA) -> COCO column-major runs (uncompressed counts), and the mask's pixel bounding box
 * [x1, y1, x2, y2] with exclusive x2, y2 (as cv2.boundingRect gives it), or undefined for an empty mask.
 * Only the columns of the bounding box are scanned; the columns around it are one long 0-run.
 */
export function eaRowMajorToCoco(
  height: number,
  width: number,
  counts: number[],
): { rle: CocoRle; bbox?: [number, number, number, number] } {
  const mask = new Uint8Array(height * width);
  let x1 = width;
  let y1 = height;
  let x2 = -1;
  let y2 = -1;
  let at = 0;
  for (let k = 0; k < counts.length; k++) {
    const run = counts[k];
    if (k % 2 === 1 && run > 0) {
      mask.fill(1, at, at + run);
      const firstRow = Math.floor(at / width);
      const lastRow = Math.floor((at + run - 1) / width);
      y1 = Math.min(y1, firstRow);
      y2 = Math.max(y2, lastRow);
      if (lastRow > firstRow) {
        x1 = 0;
        x2 = width - 1;
      } else {
        x1 = Math.min(x1, at % width);
        x2 = Math.max(x2, (at + run - 1) % width);
      }
    }
    at += run;
  }
  if (x2 < 0) return { rle: { size: [height, width], counts: [height * width] } };
  const out: number[] = [];
  let current = 0;
  let run = x1 * height; // the all-zero columns before the box
  for (let x = x1; x <= x2; x++) {
    for (let y = 0; y < height; y++) {
      const v = mask[y * width + x];
      if (v === current) run++;
      else {
        out.push(run);
        current = v;
        run = 1;
      }
    }
  }
  const after = (width - 1 - x2) * height; // the all-zero columns after the box
  if (current === 1) {
    out.push(run);
    if (after > 0) out.push(after); // COCO runs end with the last run: no trailing empty 0-run
  } else out.push(run + after);
  return { rle: { size: [height, width], counts: out }, bbox: [x1, y1, x2 + 1, y2 + 1] };
}

/** The folders holding an EA predictions set (predictions.csv + class_idx.json), '' for the root. */
async function predictionFolders(tree: FileTree): Promise<string[]> {
  const paths = new Set(await tree.list());
  const folders: string[] = [];
  for (const path of paths) {
    if (!/(^|\/)predictions\.csv$/.test(path) || /(^|\/)metrics\//.test(path)) continue;
    const folder = path.slice(0, -'predictions.csv'.length);
    if (paths.has(`${folder}class_idx.json`)) folders.push(folder);
  }
  return folders.sort();
}

const IDENTIFIER = /^([^_]+)_([^_]+)_(\d+)(?:_(.*))?$/;

/** class_idx.json, checked: an object of entries whose featureHash is a string. */
function parseClassIdx(text: string, file: string): Record<string, EaClassEntry> {
  const value = parseJsonFile(text, file);
  if (!isJsonObject(value)) {
    throw new Error(`${file}: must be a JSON object {"<class_id>": {"featureHash": ...}}, not ${jsonType(value)}`);
  }
  for (const [key, entry] of Object.entries(value)) {
    if (!isJsonObject(entry)) throw new Error(`${file}: entry "${key}" must be an object, not ${jsonType(entry)}`);
    for (const field of ['featureHash', 'name', 'attributeHash', 'optionHash']) {
      if (entry[field] !== undefined && typeof entry[field] !== 'string') {
        throw new Error(`${file}: entry "${key}": ${field} must be a string, not ${jsonType(entry[field])}`);
      }
    }
  }
  return value as Record<string, EaClassEntry>;
}

export const eaPredictionsReader: PredictionFormat = {
  id: 'ea-predictions',
  label: 'Encord Active predictions/ folder (predictions.csv, class_idx.json)',
  short: 'EA predictions',
  detectReason: 'predictions.csv with class_idx.json beside it: an Encord Active predictions/ folder',
  defaults: 'predictions.csv rows; class_id through class_idx.json; data unit and frame from the identifier',
  options: [],

  async detect(tree) {
    return (await predictionFolders(tree)).length > 0;
  },
  async classKeys() {
    return NO_CLASS_KEYS;
  },
  async preview() {
    return BY_DATA_HASH;
  },

  async read(_kernels: Kernels, project: Project, tree: FileTree, options: ImportOptions): Promise<FormatReadResult> {
    const result = emptyResult();
    const { predictions, origins, report } = result;
    const folders = await predictionFolders(tree);
    if (folders.length === 0) {
      throw new Error(`${tree.name}: no predictions.csv with a class_idx.json beside it`);
    }
    const objectHashes = new Set(project.ontology.objects.map((o) => o.featureNodeHash));
    const classificationHashes = new Set(project.ontology.classifications.map((c) => c.featureNodeHash));
    let bboxDisagrees = 0;
    const ignored: string[] = [];

    for (const folder of folders) {
      const csvFile = `${folder}predictions.csv`;
      const idxFile = `${folder}class_idx.json`;
      const classIdx = parseClassIdx(await tree.readText(idxFile), idxFile);
      for (const extra of ['labels.csv', 'ground_truths_matched.json']) {
        if (await tree.exists(folder + extra)) ignored.push(folder + extra);
      }
      const records = parseCsv(await tree.readText(csvFile));
      if (records.length === 0) continue;
      const header = records[0].fields;
      const col = (name: string) => header.indexOf(name);
      const columns = { id: col('identifier'), cls: col('class_id'), conf: col('confidence'), rle: col('rle') };
      const xy = ['x1', 'y1', 'x2', 'y2'].map(col);
      const missing = Object.entries({ identifier: columns.id, class_id: columns.cls, confidence: columns.conf })
        .filter(([, i]) => i < 0)
        .map(([n]) => n);
      if (missing.length > 0) throw new Error(`${csvFile}: no ${missing.join(', ')} column in the header`);

      for (const [n, { line, fields }] of records.slice(1).entries()) {
        if (n % 1000 === 0) {
          options.signal?.throwIfAborted();
          options.onProgress?.({ done: n, total: records.length - 1, current: csvFile });
        }
        const reject = (code: string, reason: string) =>
          report.rejected.push({ file: csvFile, record: line, code, reason });
        const identifier = fields[columns.id] ?? '';
        const id = IDENTIFIER.exec(identifier);
        if (!id) {
          reject(
            'bad_identifier',
            `identifier ${JSON.stringify(identifier)} is not <label_hash>_<du_hash>_<frame>_<hash>`,
          );
          continue;
        }
        const du = project.byDataHash.get(id[2].toLowerCase());
        if (!du) {
          reject('unknown_data_hash', `data hash ${id[2]} is not a data unit of the project`);
          continue;
        }
        const frame = Number(id[3]);
        const confidence = parseDecimal(fields[columns.conf]);
        if (confidence === undefined) {
          reject('bad_confidence', `confidence is ${notDecimal(fields[columns.conf])}`);
          continue;
        }
        const classId = fields[columns.cls] ?? '';
        const entry = Object.hasOwn(classIdx, classId)
          ? classIdx[classId]
          : /^\d+(\.0*)?$/.test(classId) && Object.hasOwn(classIdx, String(Number(classId)))
            ? classIdx[String(Number(classId))]
            : undefined;
        if (!entry || typeof entry.featureHash !== 'string') {
          reject('unknown_class', `class_id ${JSON.stringify(classId)} is not in ${idxFile}`);
          continue;
        }
        const base = { dataHash: du.dataHash, frame, confidence, featureHash: entry.featureHash };
        if (entry.optionHash !== undefined) {
          if (!classificationHashes.has(entry.featureHash)) {
            reject(
              'unknown_class',
              `classification ${entry.featureHash} (${entry.name ?? classId}) is not in the ontology`,
            );
            continue;
          }
          predictions.push({
            ...base,
            shape: { kind: 'classification', attributeHash: entry.attributeHash ?? '', optionHash: entry.optionHash },
          });
          origins.push({ file: csvFile, record: line });
          continue;
        }
        if (!objectHashes.has(entry.featureHash)) {
          reject('unknown_class', `object ${entry.featureHash} (${entry.name ?? classId}) is not in the ontology`);
          continue;
        }
        const rleText = columns.rle >= 0 ? (fields[columns.rle] ?? '').trim() : '';
        const pixels = xy.map((i) => (i >= 0 ? (parseDecimal(fields[i]) ?? NaN) : NaN));
        const badPixel = xy.findIndex((col, k) => col >= 0 && (fields[col] ?? '') !== '' && Number.isNaN(pixels[k]));
        if (rleText === '' && badPixel >= 0) {
          reject('bad_number', `${['x1', 'y1', 'x2', 'y2'][badPixel]} is ${notDecimal(fields[xy[badPixel]])}`);
          continue;
        }
        if (!usableSize(du.width, du.height)) {
          reject('bad_image_size', `data unit ${du.dataHash} has no usable size (${du.width}x${du.height})`);
          continue;
        }
        let prediction: Prediction;
        if (rleText !== '') {
          let parsed;
          try {
            parsed = parseEaRle(rleText);
          } catch (e) {
            reject('bad_rle', (e as Error).message);
            continue;
          }
          if (parsed.width !== du.width || parsed.height !== du.height) {
            reject(
              'size_mismatch',
              `the mask is ${parsed.width}x${parsed.height} but data unit ${du.dataHash} is ${du.width}x${du.height}`,
            );
            continue;
          }
          const { rle, bbox } = eaRowMajorToCoco(parsed.height, parsed.width, parsed.counts);
          if (bbox && pixels.some((v, i) => !(Math.abs(v - bbox[i]) <= 1))) bboxDisagrees++;
          prediction = { ...base, shape: { kind: 'mask', mask: rle } };
        } else if (pixels.every(Number.isFinite)) {
          const [x1, y1, x2, y2] = pixels;
          const [W, H] = [du.width, du.height];
          prediction = {
            ...base,
            shape: { kind: 'box', box: { x: x1 / W, y: y1 / H, w: (x2 - x1) / W, h: (y2 - y1) / H } },
          };
        } else {
          reject('no_geometry', 'an object prediction with neither an rle nor x1, y1, x2, y2');
          continue;
        }
        predictions.push(prediction);
        origins.push({ file: csvFile, record: line });
      }
    }
    options.onProgress?.({ done: 1, total: 1 });
    if (bboxDisagrees > 0) {
      report.warnings.push(
        `${bboxDisagrees} mask row(s) have x1..y2 that disagree with their RLE (EA v0.1.40 scales point polygons twice); the RLE was used`,
      );
    }
    if (ignored.length > 0) {
      report.warnings.push(`not read (ground truth and EA's own matching, not predictions): ${ignored.join(', ')}`);
    }
    report.imported = predictions.length;
    return result;
  },
};
