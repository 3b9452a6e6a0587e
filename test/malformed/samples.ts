// The projects the malformed corpus imports into, and one valid record of every prediction format. A case is a
// valid file with bad records added (so a case proves the good record survives and the bad one is refused), or a
// whole file broken (so the import must fail with a named error).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fixture, REPO_ROOT } from '../fixtures.ts';
import { NodeTree } from '../../src/files/node-fs.ts';
import { readProject } from '../../src/core/project/read.ts';
import type { Project } from '../../src/core/model.ts';
import { projectFromUnits } from '../../src/core/project/assemble.ts';
import { writePng } from '../unit/png-writer.ts';
import { datasetProject } from '../unit/dataset-project.ts';

export const IMG_A = '668c6d1a-0217-4097-b930-8dfc03db62b4'; // street_a.png, 100 x 80
export const IMG_B = '0d029202-d58b-4dad-a6ba-b80821da6b0a'; // street_b.png, 100 x 80
export const LABEL_A = '404fbdc5-adf3-4f62-9070-35a2495bf559';
export const CAR = 'XO9aOmE8'; // bounding_box, ontology id "1", YOLO index 0
export const CAT = 'd9qhuTio'; // polygon, ontology id "2", YOLO index 1, mask value 1

export type Files = Record<string, string | Uint8Array>;

export const eaMini: Project = await readProject(new NodeTree(fixture('ea-mini')));

/** ea-mini with street_a's size broken (an Infinity width, a zero height): geometry needing it must be refused. */
export const brokenSize: Project = (() => {
  const units = eaMini.dataUnits.map((du, i) =>
    i === 0 ? { ...du, width: Number.POSITIVE_INFINITY } : { ...du, height: 0 },
  );
  return projectFromUnits(eaMini.ontology, units);
})();

export const cocoDataset: Project = datasetProject(
  'coco',
  [
    { id: 3, file_name: 'val/a.jpg', width: 64, height: 48 },
    { id: 7, file_name: 'val/b.jpg', width: 50, height: 40 },
  ],
  [
    { id: 1, name: 'person' },
    { id: 2, name: 'car' },
  ],
);
export const yoloDataset: Project = datasetProject(
  'yolo',
  [
    { id: 1, file_name: 'images/val/a.jpg', width: 64, height: 48 },
    { id: 2, file_name: 'images/val/b.jpg', width: 50, height: 40 },
    { id: 3, file_name: 'images/train/b.jpg', width: 50, height: 40 },
  ],
  [
    { id: 0, name: 'person' },
    { id: 1, name: 'car' },
  ],
);

export const PROJECTS = { eaMini, brokenSize, cocoDataset, yoloDataset } as const;
export type ProjectName = keyof typeof PROJECTS;

// ---------------------------------------------------------------- valid records

export const KITTI_FILE = `labels/${IMG_A}__street_a.txt`;
export const KITTI_ROW = 'Car 0 0 0 10 10 50 40 0 0 0 0 0 0 0 0.9';
export const YOLO_FILE = 'street_a.txt';
export const YOLO_ROW = '0 0.5 0.5 0.2 0.2 0.9';
export const NATIVE_RECORD = {
  dataHash: IMG_A,
  frame: 0,
  confidence: 0.9,
  featureHash: CAR,
  box: { x: 0.1, y: 0.1, w: 0.2, h: 0.2 },
};
export const COCO_RESULT = { image_id: 'street_a.png', category_id: 1, bbox: [10, 10, 20, 20], score: 0.9 };

/** ea-mini's own predictions/ folder (EA wrote it): the header and the first box row. */
const eaCsv = readFileSync(fixture('ea-mini', 'predictions', 'predictions.csv'), 'utf8').split('\n');
export const EA_HEADER = eaCsv[0];
export const EA_BOX_ROW = eaCsv.find((line) => /,,,0\.9,/.test(line)) ?? eaCsv[1];
export const EA_CLASS_IDX = readFileSync(fixture('ea-mini', 'predictions', 'class_idx.json'), 'utf8');
export const EA_COLUMNS = EA_HEADER.split(',');

/** An EA predictions.csv row: the valid box row with some columns replaced (by header name). */
export function eaRow(changes: Record<string, string>): string {
  const fields = splitCsvLine(EA_BOX_ROW);
  for (const [name, value] of Object.entries(changes)) fields[EA_COLUMNS.indexOf(name)] = value;
  return fields.map((f) => (/[",]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',');
}

function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted && c === '"' && line[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) {
      out.push(field);
      field = '';
    } else field += c;
  }
  out.push(field);
  return out;
}

/** A class-index mask for street_a (100 x 80): a 20 x 16 block of `value` (1 = Cat). */
export function maskPng(value = 1, width = 100, height = 80, extra?: { value: number; at: number }): Uint8Array {
  const samples = new Uint8Array(width * height);
  for (let y = 10; y < 26 && y < height; y++) for (let x = 10; x < 30 && x < width; x++) samples[y * width + x] = value;
  if (extra)
    for (let y = 40; y < 50 && y < height; y++)
      for (let x = extra.at; x < extra.at + 12 && x < width; x++) samples[y * width + x] = extra.value;
  return writePng({ width, height, bitDepth: 8, colorType: 0, samples });
}

export const localFixture = (path: string) => readFileSync(resolve(REPO_ROOT, 'test/fixtures', path));
