// KITTI and YOLO text files: the strict number grammar, absurd geometry, short rows, unknown and mismatched
// classes, unmatched files, broken class maps, and files cut short.
import { IMG_B, KITTI_FILE, KITTI_ROW, YOLO_FILE, YOLO_ROW } from '../samples.ts';
import { fatal, importCase, records, truncations } from './import-case.ts';
import type { CaseList } from './types.ts';

/** Replaces one whitespace-separated field of a row (0-based column). */
const withField = (row: string, column: number, value: string) =>
  row
    .split(' ')
    .map((f, i) => (i === column ? value : f))
    .join(' ');

const BAD_NUMBERS = ['0x10', 'Infinity', '-Infinity', 'NaN', '1e400', '1_0', '10.5.5', '+-1', '1e', '٣', '0b1', '.'];

function kittiCases(): CaseList {
  const kitti = (id: string, badRows: string[], expect = records(1, badRows.length), extra = {}) =>
    importCase({
      id: `kitti: ${id}`,
      format: 'kitti',
      files: { [KITTI_FILE]: [KITTI_ROW, ...badRows].join('\n'), ...extra },
      expect,
    });
  const cases = [
    ...BAD_NUMBERS.map((n) => kitti(`xmin ${n}`, [withField(KITTI_ROW, 4, n)])),
    ...BAD_NUMBERS.slice(0, 6).map((n) => kitti(`confidence ${n}`, [withField(KITTI_ROW, 15, n)])),
    kitti('alpha (a 3D column) is text', [withField(KITTI_ROW, 3, 'abc')]),
    kitti('a 1e308-wide box', [withField(KITTI_ROW, 6, '1e308')]),
    kitti('a box far left of the image', [withField(withField(KITTI_ROW, 4, '-5000'), 6, '-4000')]),
    kitti('xmax < xmin', [withField(KITTI_ROW, 6, '5')]),
    kitti('negative confidence', [withField(KITTI_ROW, 15, '-0.5')]),
    kitti('a percentage above 100', [withField(KITTI_ROW, 15, '150')]),
    kitti('15 columns, no confidence', [KITTI_ROW.split(' ').slice(0, 15).join(' ')]),
    kitti('3 fields', ['Car 0 0']),
    kitti('a class the ontology lacks', [withField(KITTI_ROW, 0, 'Truck')]),
    kitti('a box for a polygon class', [withField(KITTI_ROW, 0, 'Cat')]),
    kitti('binary garbage lines', ['\u0000\u0001\u0002 \uFFFD\uFFFD', '\u0007'.repeat(40)], records(1, 2)),
    kitti('a file naming no data unit', [], records(1, 1, 'file'), { 'labels/nobody__x.txt': KITTI_ROW }),
    kitti('a file that is not .txt or .csv', [], records(1, 1, 'file'), { 'labels/notes.md': 'hello' }),
    importCase({
      id: 'kitti: ontology_label_map.json is not JSON',
      format: 'kitti',
      files: { [KITTI_FILE]: KITTI_ROW, 'ontology_label_map.json': '{"Car": ' },
      expect: fatal,
    }),
    importCase({
      id: 'kitti: ontology_label_map.json is a list',
      format: 'kitti',
      files: { [KITTI_FILE]: KITTI_ROW, 'ontology_label_map.json': '["Car"]' },
      expect: fatal,
    }),
    importCase({
      id: 'kitti: ontology_label_map.json maps to a number',
      format: 'kitti',
      files: { [KITTI_FILE]: KITTI_ROW, 'ontology_label_map.json': '{"Car": 5}' },
      expect: fatal,
    }),
    importCase({
      id: 'kitti: ontology_label_map.json is null',
      format: 'kitti',
      files: { [KITTI_FILE]: KITTI_ROW, 'ontology_label_map.json': 'null' },
      expect: fatal,
    }),
    importCase({
      id: 'kitti: boxes on an image with an Infinity width',
      format: 'kitti',
      project: 'brokenSize',
      files: { [KITTI_FILE]: KITTI_ROW, [`labels/${IMG_B}__b.txt`]: KITTI_ROW },
      expect: records(0, 2, 'file'),
    }),
    importCase({
      id: 'kitti: ontology_label_map.json names an object the ontology lacks',
      format: 'kitti',
      files: { [KITTI_FILE]: KITTI_ROW, 'ontology_label_map.json': '{"Car": "Car", "Boat": "boat"}' },
      expect: fatal,
    }),
    importCase({
      id: 'kitti: ontology_label_map.json maps one KITTI name to two objects',
      format: 'kitti',
      files: { [KITTI_FILE]: KITTI_ROW, 'ontology_label_map.json': '{"Car": "Car", "Cat": "Car"}' },
      expect: fatal,
    }),
    kitti('a 100000-field line of text', [`Car ${'x '.repeat(100_000)}`], records(1, 1)),
    kitti('a NUL-separated row', [KITTI_ROW.replace(/ /g, '\u0000')]),
    ...truncations('kitti', 'kitti', KITTI_FILE, [KITTI_ROW, KITTI_ROW, KITTI_ROW].join('\n'), 3),
  ];
  return { name: 'KITTI', cases };
}

function yoloCases(): CaseList {
  const yolo = (
    id: string,
    badRows: string[],
    expect = records(1, badRows.length),
    extra = {},
    project?: 'yoloDataset',
  ) =>
    importCase({
      id: `yolo: ${id}`,
      format: 'yolo',
      project,
      files: { [project ? 'labels/a.txt' : YOLO_FILE]: [YOLO_ROW, ...badRows].join('\n'), ...extra },
      expect,
    });
  const cases = [
    ...BAD_NUMBERS.map((n) => yolo(`cx ${n}`, [withField(YOLO_ROW, 1, n)])),
    ...BAD_NUMBERS.slice(0, 6).map((n) => yolo(`confidence ${n}`, [withField(YOLO_ROW, 5, n)])),
    yolo('class -1', [withField(YOLO_ROW, 0, '-1')]),
    yolo('class 1.5', [withField(YOLO_ROW, 0, '1.5')]),
    yolo('class "car"', [withField(YOLO_ROW, 0, 'car')]),
    yolo('class 1e400', [withField(YOLO_ROW, 0, '1e400')]),
    yolo('class 99 (no such object)', [withField(YOLO_ROW, 0, '99')]),
    yolo('4 fields', ['0 0.5 0.5 0.2']),
    yolo('a 1e308-wide box', [withField(YOLO_ROW, 3, '1e308')]),
    yolo('pixel coordinates', ['0 320 240 50 50 0.9']),
    yolo('negative width', [withField(YOLO_ROW, 3, '-0.2')]),
    yolo('confidence 1.5', [withField(YOLO_ROW, 5, '1.5')]),
    yolo('a box for a polygon class (refused by the shared validation, with its line)', ['1 0.5 0.5 0.2 0.2 0.9']),
    yolo('a polygon for a box class', ['0 0.1 0.1 0.2 0.1 0.2 0.2 0.9']),
    yolo('a polygon vertex at 5.0', ['1 0.1 0.1 5.0 0.1 0.2 0.2 0.9']),
    yolo('a box entirely outside the image', ['0 1.8 1.8 0.1 0.1 0.9']),
    yolo('a file naming no data unit', [], records(1, 1, 'file'), { 'zzz.txt': YOLO_ROW }),
    yolo('binary garbage', ['\u0000\u0000\u0000', '\uFFFD 1 2'], records(1, 2)),
    yolo('dataset: a stem naming two images', [], records(1, 1, 'file'), { 'labels/b.txt': YOLO_ROW }, 'yoloDataset'),
    yolo('dataset: class 5 is no category', ['5 0.5 0.5 0.2 0.2 0.9'], records(1, 1), {}, 'yoloDataset'),
    yolo('dataset: 0x1 class', ['0x1 0.5 0.5 0.2 0.2 0.9'], records(1, 1), {}, 'yoloDataset'),
    yolo('classes.txt names a class the ontology lacks', ['1 0.5 0.5 0.2 0.2 0.9'], records(1, 1), {
      'classes.txt': 'Car\nBoat\n',
    }),
    yolo('a 100000-field polygon of text', [`1 ${'x '.repeat(100_000)}`]),
    yolo('a polygon with an odd vertex count and a confidence of 7', ['1 0.1 0.1 0.2 0.1 0.2 0.2 0.3 7']),
    ...truncations('yolo', 'yolo', YOLO_FILE, [YOLO_ROW, YOLO_ROW, YOLO_ROW].join('\n'), 3),
  ];
  return { name: 'YOLO', cases };
}

export const textFormatCases = (): CaseList[] => [kittiCases(), yoloCases()];
