// predlens native JSON / NDJSON and COCO results: wrong types everywhere a record has a field, broken JSON,
// values JSON cannot spell as numbers (1e999 parses to Infinity), geometry out of the image, and files cut short.
import { CAT, COCO_RESULT, NATIVE_RECORD } from '../samples.ts';
import { fatal, importCase, records, truncations } from './import-case.ts';
import type { CaseList } from './types.ts';

const line = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
/** A JSON value spelled by hand, for numbers JSON.stringify cannot write (1e999 -> Infinity when parsed). */
const raw = (text: string) => ({ __raw: text });
const spell = (v: unknown): string =>
  v && typeof v === 'object' && '__raw' in v
    ? (v as { __raw: string }).__raw
    : Array.isArray(v)
      ? `[${v.map(spell).join(',')}]`
      : v && typeof v === 'object'
        ? `{${Object.entries(v)
            .filter(([, x]) => x !== undefined)
            .map(([k, x]) => `${JSON.stringify(k)}:${spell(x)}`)
            .join(',')}}`
        : JSON.stringify(v);

const BOX = NATIVE_RECORD.box;
const NATIVE_BAD: [string, unknown][] = [
  ['not JSON', '{"dataHash": '],
  ['an array', [1, 2]],
  ['a number', 5],
  ['null', null],
  ['a string', '"x"'],
  ['no dataHash', { ...NATIVE_RECORD, dataHash: undefined }],
  ['dataHash a number', { ...NATIVE_RECORD, dataHash: 7 }],
  ['an unknown dataHash', { ...NATIVE_RECORD, dataHash: '00000000-0000-0000-0000-000000000000' }],
  ['featureHash an object', { ...NATIVE_RECORD, featureHash: { a: 1 } }],
  ['an unknown featureHash', { ...NATIVE_RECORD, featureHash: 'nope' }],
  ['confidence a string', { ...NATIVE_RECORD, confidence: '0.9' }],
  ['confidence null', { ...NATIVE_RECORD, confidence: null }],
  ['confidence 1e999 (Infinity)', { ...NATIVE_RECORD, confidence: raw('1e999') }],
  ['frame -1', { ...NATIVE_RECORD, frame: -1 }],
  ['frame 1.5', { ...NATIVE_RECORD, frame: 1.5 }],
  ['frame 7 on an image', { ...NATIVE_RECORD, frame: 7 }],
  ['trackId an object', { ...NATIVE_RECORD, trackId: {} }],
  [
    'box and polygon',
    {
      ...NATIVE_RECORD,
      polygon: [
        [0, 0],
        [1, 0],
        [1, 1],
      ],
    },
  ],
  ['no geometry', { ...NATIVE_RECORD, box: undefined }],
  ['box a list', { ...NATIVE_RECORD, box: [0.1, 0.1, 0.2, 0.2] }],
  ['box with strings', { ...NATIVE_RECORD, box: { x: '0.1', y: 0.1, w: 0.2, h: 0.2 } }],
  ['box w = 1e999', { ...NATIVE_RECORD, box: { ...BOX, w: raw('1e999') } }],
  ['box x + w > 1', { ...NATIVE_RECORD, box: { ...BOX, x: 0.9 } }],
  ['box theta 400', { ...NATIVE_RECORD, box: { ...BOX, theta: 400 } }],
  ['a box for a polygon class', { ...NATIVE_RECORD, featureHash: CAT }],
  [
    'a polygon of 2 points',
    {
      ...NATIVE_RECORD,
      featureHash: CAT,
      box: undefined,
      polygon: [
        [0, 0],
        [1, 1],
      ],
    },
  ],
  ['a polygon point [1]', { ...NATIVE_RECORD, featureHash: CAT, box: undefined, polygon: [[0, 0], [1], [1, 1]] }],
  ['a polygon a string', { ...NATIVE_RECORD, featureHash: CAT, box: undefined, polygon: 'triangle' }],
  ['holes on a box', { ...NATIVE_RECORD, holes: [] }],
  [
    'a mask of the wrong size',
    { ...NATIVE_RECORD, featureHash: CAT, box: undefined, mask: { size: [8, 10], counts: [80] } },
  ],
  [
    'mask runs not covering the image',
    { ...NATIVE_RECORD, featureHash: CAT, box: undefined, mask: { size: [80, 100], counts: [10] } },
  ],
  [
    'mask counts garbage',
    { ...NATIVE_RECORD, featureHash: CAT, box: undefined, mask: { size: [80, 100], counts: '\u0000\u00ff' } },
  ],
  ['mask size negative', { ...NATIVE_RECORD, featureHash: CAT, box: undefined, mask: { size: [-1, 100], counts: [] } }],
  [
    'a classification of an object class',
    { ...NATIVE_RECORD, box: undefined, classification: { attributeHash: 'a', optionHash: 'b' } },
  ],
];

function nativeCases(): CaseList {
  const ndjson = NATIVE_BAD.map(([id, bad]) =>
    importCase({
      id: `ndjson: ${id}`,
      format: 'json',
      files: { 'run.ndjson': [line(NATIVE_RECORD), typeof bad === 'string' ? bad : spell(bad)].join('\n') },
      expect: records(1, 1),
    }),
  );
  const array = NATIVE_BAD.filter(([id]) => id !== 'not JSON' && id !== 'a string').map(([id, bad]) =>
    importCase({
      id: `json list: ${id}`,
      format: 'json',
      files: { 'run.json': `{"predictions": [${line(NATIVE_RECORD)}, ${spell(bad)}]}` },
      expect: records(1, 1),
    }),
  );
  // What PredictionWriter wrote, read back with --format writer: the same reader and the same refusals.
  const writer = NATIVE_BAD.slice(5, 15).map(([id, bad]) =>
    importCase({
      id: `writer output: ${id}`,
      format: 'writer',
      files: { 'writer.json': `{"predictions": [${line(NATIVE_RECORD)}, ${spell(bad)}]}` },
      expect: records(1, 1),
    }),
  );
  const whole = [
    ['not JSON', '{"predictions": [' + line(NATIVE_RECORD)],
    ['predictions is a number', '{"predictions": 5}'],
    ['an empty object', '{}'],
    ['a bare string', '"predictions"'],
    ['binary garbage', '\u0000\u0001\u0002\u0003'],
  ].map(([id, text]) =>
    importCase({ id: `json file: ${id}`, format: 'json', files: { 'run.json': text }, expect: fatal }),
  );
  const deep = importCase({
    id: 'json file: a record nested 100000 deep',
    format: 'json',
    files: { 'run.json': `{"predictions": [${line(NATIVE_RECORD)}, ${'['.repeat(100_000)}${']'.repeat(100_000)}]}` },
    expect: records(1, 1),
  });
  return {
    name: 'native JSON / NDJSON',
    cases: [
      ...ndjson,
      ...array,
      ...writer,
      ...whole,
      deep,
      ...truncations(
        'ndjson',
        'json',
        'run.ndjson',
        [NATIVE_RECORD, NATIVE_RECORD, NATIVE_RECORD].map(line).join('\n'),
        3,
      ),
    ],
  };
}

const COCO_BAD: [string, unknown][] = [
  ['a number', 5],
  ['null', null],
  ['a list', [1, 2, 3]],
  ['a string', 'result'],
  ['an unknown image', { ...COCO_RESULT, image_id: 'nobody.png' }],
  ['image_id an object', { ...COCO_RESULT, image_id: { id: 1 } }],
  ['image_id null', { ...COCO_RESULT, image_id: null }],
  ['no score', { ...COCO_RESULT, score: undefined }],
  ['score a string', { ...COCO_RESULT, score: '0.9' }],
  ['score 1e999', { ...COCO_RESULT, score: raw('1e999') }],
  ['bbox of 3 numbers', { ...COCO_RESULT, bbox: [1, 2, 3] }],
  ['bbox of strings', { ...COCO_RESULT, bbox: ['1', '2', '3', '4'] }],
  ['bbox a string', { ...COCO_RESULT, bbox: '1 2 3 4' }],
  ['bbox negative width', { ...COCO_RESULT, bbox: [10, 10, -5, 5] }],
  ['bbox 1e308 wide', { ...COCO_RESULT, bbox: [10, 10, 1e308, 5] }],
  ['bbox 1e999 wide', { ...COCO_RESULT, bbox: [10, 10, raw('1e999'), 5] }],
  ['bbox null entries', { ...COCO_RESULT, bbox: [null, null, null, null] }],
  ['a bbox far outside the image', { ...COCO_RESULT, bbox: [5000, 5000, 10, 10] }],
  ['no bbox and no segmentation', { ...COCO_RESULT, bbox: undefined }],
  ['an unknown category', { ...COCO_RESULT, category_id: 99 }],
  ['category an object', { ...COCO_RESULT, category_id: { id: 1 } }],
  ['an RLE of the wrong size', { ...COCO_RESULT, category_id: 2, segmentation: { size: [8, 10], counts: [80] } }],
  ['RLE counts a number', { ...COCO_RESULT, category_id: 2, segmentation: { size: [80, 100], counts: 5 } }],
  [
    'RLE counts garbage',
    { ...COCO_RESULT, category_id: 2, segmentation: { size: [80, 100], counts: '\u0000garbage' } },
  ],
  ['RLE counts too short', { ...COCO_RESULT, category_id: 2, segmentation: { size: [80, 100], counts: [10, 5] } }],
  ['a polygon of odd length', { ...COCO_RESULT, category_id: 2, segmentation: [[1, 2, 3, 4, 5]] }],
  ['a polygon of 2 points', { ...COCO_RESULT, category_id: 2, segmentation: [[1, 2, 3, 4]] }],
  ['a polygon of strings', { ...COCO_RESULT, category_id: 2, segmentation: [['1', '2', '3', '4', '5', '6']] }],
  ['segmentation a string', { ...COCO_RESULT, category_id: 2, segmentation: 'mask' }],
  ['segmentation nested too deep', { ...COCO_RESULT, category_id: 2, segmentation: [[[1, 2, 3, 4, 5, 6]]] }],
  ['a polygon outside the image', { ...COCO_RESULT, category_id: 2, segmentation: [[500, 500, 600, 500, 600, 600]] }],
];

function cocoCases(): CaseList {
  const list = COCO_BAD.map(([id, bad]) =>
    importCase({
      id: `coco: ${id}`,
      format: 'coco',
      files: { 'results.json': `[${spell(COCO_RESULT)}, ${spell(bad)}]` },
      expect: records(1, 1),
    }),
  );
  const dataset = (
    [
      ['a string image_id', { image_id: 'a', category_id: 1, bbox: [1, 1, 5, 5], score: 0.5 }],
      ['an image id of no image', { image_id: 4, category_id: 1, bbox: [1, 1, 5, 5], score: 0.5 }],
      ['category 0 (not in the dataset)', { image_id: 3, category_id: 0, bbox: [1, 1, 5, 5], score: 0.5 }],
      [
        'an RLE of the wrong size',
        { image_id: 3, category_id: 1, score: 0.5, segmentation: { size: [2, 2], counts: [4] } },
      ],
      ['a polygon of garbage', { image_id: 3, category_id: 1, score: 0.5, segmentation: [[1, 'x', 3]] }],
      ['a 1e308-wide bbox', { image_id: 3, category_id: 1, score: 0.5, bbox: [0, 0, 1e308, 5] }],
      ['image_id 3.5', { image_id: 3.5, category_id: 1, score: 0.5, bbox: [0, 0, 5, 5] }],
      ['category_id "1"', { image_id: 3, category_id: { id: 1 }, score: 0.5, bbox: [0, 0, 5, 5] }],
    ] as [string, unknown][]
  ).map(([id, bad]) =>
    importCase({
      id: `coco on a COCO dataset: ${id}`,
      format: 'coco',
      project: 'cocoDataset',
      files: { 'results.json': JSON.stringify([{ image_id: 7, category_id: 2, bbox: [1, 1, 5, 5], score: 0.9 }, bad]) },
      expect: records(1, 1),
    }),
  );
  const whole = [
    ['results.json is not JSON', { 'results.json': `[${spell(COCO_RESULT)}` }],
    [
      'image_data_unit.json beside it is not JSON',
      { 'results.json': `[${spell(COCO_RESULT)}]`, 'image_data_unit.json': '{"1": ' },
    ],
    [
      'image_data_unit.json entries are numbers',
      { 'results.json': `[${spell(COCO_RESULT)}]`, 'image_data_unit.json': '{"1": 5}' },
    ],
    [
      'image_data_unit.json data_hash is a number',
      { 'results.json': `[${spell(COCO_RESULT)}]`, 'image_data_unit.json': '{"1": {"data_hash": 5}}' },
    ],
    ['no results list at all', { 'results.json': '{"info": 1}' }],
  ].map(([id, files]) =>
    importCase({ id: `coco file: ${id}`, format: 'coco', files: files as Record<string, string>, expect: fatal }),
  );
  const idu = importCase({
    id: 'coco: a dataset file with images as a number (ignored, results still read)',
    format: 'coco',
    files: {
      'results.json': `[${spell(COCO_RESULT)}, ${spell({ ...COCO_RESULT, image_id: 42 })}]`,
      'instances.json': '{"images": 5, "categories": "x"}',
    },
    expect: records(1, 1),
  });
  return {
    name: 'COCO results',
    cases: [
      ...list,
      ...dataset,
      ...whole,
      idu,
      ...truncations('coco', 'coco', 'results.json', JSON.stringify([COCO_RESULT, COCO_RESULT]), 2),
    ],
  };
}

export const jsonFormatCases = (): CaseList[] => [nativeCases(), cocoCases()];
