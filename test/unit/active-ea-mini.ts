// ea-mini, the EA v0.1.40 model-quality worked example: its reference answers, and an ActivePrepared built by hand
// from EA's own import output (predictions.csv, labels.csv, ground_truths_matched.json, class_idx.json), so that
// scoring can be checked apart from matching.
import { readFileSync } from 'node:fs';
import { fixture } from '../fixtures.ts';
import type { ActivePrepared } from '../../src/core/eval/active/index.ts';

export const EA_MINI = fixture('ea-mini');

export interface ReferenceResult {
  iou_threshold: number;
  extra_probe: boolean;
  ignore_frames_without_predictions: boolean;
  mAP: number;
  mAR: number;
  per_class: Record<string, { AP: number; AR: number }>;
  metrics_rows: [string, number, string][];
  predictions: { pidx: number; iou: number; is_true_positive: boolean; false_positive_reason: string }[];
  labels_is_false_negative: Record<string, boolean>;
  precision_recall_curve: Record<string, { recall: number[]; precision: number[] }>;
}

export interface Reference {
  project: { data_hashes: string[]; feature_hashes: Record<string, string>; image_size: [number, number] };
  predictions: {
    pidx: number;
    input_index_in_pkl: number;
    class_id: number;
    confidence: number;
    iou: number;
    x1y1x2y2: number[];
  }[];
  labels: { lidx: number; class_id: number; x1y1x2y2: number[]; has_rle: boolean }[];
  results: ReferenceResult[];
}

export const reference: Reference = JSON.parse(readFileSync(fixture('ea-mini', 'reference.json'), 'utf8'));

/** Rows of a pandas to_csv file (first column = the index), splitting on commas outside double quotes. */
export function readEaCsv(name: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(fixture('ea-mini', 'predictions', name), 'utf8')
    .trimEnd()
    .split('\n');
  const split = (line: string) => {
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    for (const ch of line) {
      if (ch === '"') quoted = !quoted;
      else if (ch === ',' && !quoted) {
        cells.push(cell);
        cell = '';
      } else cell += ch;
    }
    cells.push(cell);
    return cells;
  };
  const columns = split(header);
  return lines.map((line) => Object.fromEntries(split(line).map((v, i) => [columns[i] || 'index', v])));
}

const json = (name: string) => JSON.parse(readFileSync(fixture('ea-mini', 'predictions', name), 'utf8'));

/**
 * The prepared state EA itself computed at import: classes from class_idx.json, IoUs as EA's scorer read them
 * (reference.json, i.e. predictions.csv through pandas), and the label → pidxs lists of ground_truths_matched.json.
 */
export function preparedFromEaOutput(): ActivePrepared {
  const classIdx: Record<string, { featureHash: string; name: string; color: string }> = json('class_idx.json');
  const gtm: Record<string, Record<string, { lidx: number; pidxs: number[] }[]>> = json('ground_truths_matched.json');
  const predRows = readEaCsv('predictions.csv');
  const labelRows = readEaCsv('labels.csv');
  const imgIds = [...new Set([...labelRows, ...predRows].map((r) => r.img_id))];
  const frameOf = (imgId: string) => imgIds.indexOf(imgId);

  const classes = Object.entries(classIdx).map(([id, c], index) => ({
    index,
    space: 'object' as const,
    eaClassId: Number(id),
    featureHash: c.featureHash,
    name: c.name,
    color: c.color,
    shape: labelRows.some((l) => l.class_id === id && l.rle) ? 'polygon' : 'bounding_box',
  }));
  const N = predRows.length;
  const L = labelRows.length;
  const lists: number[][] = Array.from({ length: L }, () => []);
  for (const byImg of Object.values(gtm))
    for (const entries of Object.values(byImg)) for (const e of entries) lists[e.lidx] = e.pidxs;
  const labelMatchStart = new Int32Array(L + 1);
  lists.forEach((l, i) => (labelMatchStart[i + 1] = labelMatchStart[i] + l.length));
  const csr = (keys: number[], n: number) => {
    const start = new Int32Array(n + 1);
    const items: number[] = [];
    for (let k = 0; k < n; k++) {
      keys.forEach((key, i) => key === k && items.push(i));
      start[k + 1] = items.length;
    }
    return { start, items: Int32Array.from(items) };
  };
  const predClass = predRows.map((r) => Number(r.class_id));
  const labelClass = labelRows.map((r) => Number(r.class_id));
  const byClassP = csr(predClass, classes.length);
  const byClassL = csr(labelClass, classes.length);
  const frameHasPrediction = new Uint8Array(imgIds.length);
  for (const r of predRows) frameHasPrediction[frameOf(r.img_id)] = 1;

  return {
    space: 'objects',
    classes,
    frames: imgIds.map((id) => ({ dataHash: id, frame: 0, dataUnitIndex: -1 })),
    nPredictions: N,
    predSource: Int32Array.from(reference.predictions.map((p) => p.input_index_in_pkl)),
    predClass: Int32Array.from(predClass),
    predFrame: Int32Array.from(predRows.map((r) => frameOf(r.img_id))),
    confidence: Float64Array.from(predRows.map((r) => Number(r.confidence))),
    iou: Float64Array.from(reference.predictions.map((p) => p.iou)),
    bestLabel: new Int32Array(N).fill(-1),
    predBoxPx: new Float64Array(4 * N),
    nLabels: L,
    labels: [],
    labelClass: Int32Array.from(labelClass),
    labelFrame: Int32Array.from(labelRows.map((r) => frameOf(r.img_id))),
    labelBoxPx: new Float64Array(4 * L),
    labelMatchStart,
    labelMatchPidx: Int32Array.from(lists.flat()),
    classPredStart: byClassP.start,
    classPredPidx: byClassP.items,
    classLabelStart: byClassL.start,
    classLabelLidx: byClassL.items,
    frameHasPrediction,
    pairStart: new Int32Array(N + 1),
    pairLidx: new Int32Array(0),
    pairIou: new Float64Array(0),
    excluded: [],
    skippedLabels: {},
    notes: [],
  };
}

export const resultName = (r: ReferenceResult) =>
  `IoU ${r.iou_threshold}${r.ignore_frames_without_predictions ? ', ignoring frames without predictions' : ''}`;
