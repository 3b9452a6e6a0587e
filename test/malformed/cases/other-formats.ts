// Encord Active predictions/ folders (CSV + class_idx.json), class-index PNG masks and .pkl pickles.
import { EA_CLASS_IDX, EA_HEADER, EA_BOX_ROW, eaRow, localFixture, maskPng } from '../samples.ts';
import { fatal, importCase, records, truncations } from './import-case.ts';
import type { CaseList } from './types.ts';

const CSV = 'predictions/predictions.csv';
const IDX = 'predictions/class_idx.json';

function eaCases(): CaseList {
  const ea = (id: string, rows: string[], expect = records(1, rows.length), idx = EA_CLASS_IDX) =>
    importCase({
      id: `ea-predictions: ${id}`,
      format: 'ea-predictions',
      files: { [CSV]: [EA_HEADER, EA_BOX_ROW, ...rows].join('\n'), [IDX]: idx },
      expect,
    });
  const cases = [
    ea('confidence 0x1', [eaRow({ confidence: '0x1' })]),
    ea('confidence empty', [eaRow({ confidence: '' })]),
    ea('confidence Infinity', [eaRow({ confidence: 'Infinity' })]),
    ea('confidence text', [eaRow({ confidence: 'high' })]),
    ea('x1 0x10', [eaRow({ x1: '0x10' })]),
    ea('x2 Infinity', [eaRow({ x2: 'Infinity' })]),
    ea('y1 1e400', [eaRow({ y1: '1e400' })]),
    ea('no geometry at all', [eaRow({ x1: '', y1: '', x2: '', y2: '' })]),
    ea('a box past the image', [eaRow({ x2: '500' })]),
    ea('an identifier of garbage', [eaRow({ identifier: 'garbage' })]),
    ea('an unknown data unit', [eaRow({ identifier: `lh_00000000-0000-0000-0000-000000000000_00000_abc` })]),
    ea('a class_id not in class_idx.json', [eaRow({ class_id: '7' })]),
    ea('class_id text', [eaRow({ class_id: 'car' })]),
    ea('an RLE of garbage', [eaRow({ rle: "{'size': [80, 100], 'counts': [x]}" })]),
    ea('an RLE of the wrong size', [eaRow({ rle: "{'size': [8, 10], 'counts': [80]}" })]),
    ea('RLE counts not covering the image', [eaRow({ rle: "{'size': [80, 100], 'counts': [10, 5]}" })]),
    ea('a frame on an image', [
      eaRow({
        identifier: eaRow({})
          .split(',')[1]
          .replace(/_00000_/, '_00007_'),
      }),
    ]),
    ea('class_idx.json is not JSON', [], fatal, '{"0": '),
    ea('class_idx.json is a list', [], fatal, '[]'),
    ea('class_idx.json entries are strings', [], fatal, '{"0": "XO9aOmE8"}'),
    ea('class_idx.json featureHash is a number', [], fatal, '{"0": {"featureHash": 5}}'),
    importCase({
      id: 'ea-predictions: a header without class_id',
      format: 'ea-predictions',
      files: { [CSV]: [EA_HEADER.replace('class_id', 'klass'), EA_BOX_ROW].join('\n'), [IDX]: EA_CLASS_IDX },
      expect: fatal,
    }),
    importCase({
      id: 'ea-predictions: boxes on images with an Infinity width',
      format: 'ea-predictions',
      project: 'brokenSize',
      files: { [CSV]: [EA_HEADER, EA_BOX_ROW].join('\n'), [IDX]: EA_CLASS_IDX },
      expect: records(0, 1),
    }),
    ...truncations(
      'ea-predictions',
      'ea-predictions',
      CSV,
      [EA_HEADER, EA_BOX_ROW, EA_BOX_ROW].join('\n'),
      2,
      undefined,
      {
        [IDX]: EA_CLASS_IDX,
      },
    ),
  ];
  return { name: 'EA predictions/ folder', cases };
}

function maskCases(): CaseList {
  const png = maskPng(1);
  const mask = (id: string, files: Record<string, string | Uint8Array>, expect = records(1, 1, 'file')) =>
    importCase({ id: `masks: ${id}`, format: 'masks', files: { 'street_a.png': png, ...files }, expect });
  const cases = [
    mask('a pixel value without a class', { 'street_b.png': maskPng(7) }, records(1, 1)),
    mask('a mask of the wrong size', { 'street_b.png': maskPng(1, 40, 30) }),
    mask('not a PNG at all', { 'street_b.png': new TextEncoder().encode('this is not a png') }),
    mask('a PNG cut in half', { 'street_b.png': png.slice(0, png.length >> 1) }),
    mask('a PNG of only its signature', { 'street_b.png': png.slice(0, 8) }),
    mask('an empty file', { 'street_b.png': new Uint8Array(0) }),
    mask('a mask naming no data unit', { 'nobody.png': png }),
    mask('a sidecar that is not JSON', { 'street_b.png': png, 'street_b.json': '{"confidence": ' }),
    mask('a sidecar confidence of 2', { 'street_b.png': png, 'street_b.json': '{"confidence": 2}' }),
    mask('a sidecar that is a list', { 'street_b.png': png, 'street_b.json': '[0.5]' }),
    mask('a sidecar of strings', { 'street_b.png': png, 'street_b.json': '{"classes": {"1": "high"}}' }),
    mask(
      'sidecar regions that do not fit',
      { 'street_b.png': png, 'street_b.json': '{"regions": {"1": [0.5, 0.4]}}' },
      records(1, 1),
    ),
    importCase({
      id: 'masks: on images with a zero height',
      format: 'masks',
      project: 'brokenSize',
      files: { 'street_b.png': png },
      expect: records(0, 1, 'file'),
    }),
  ];
  return { name: 'PNG masks', cases };
}

function pklCases(): CaseList {
  const good = localFixture('pkl/ea_mini_p4.pkl');
  const pkl = (id: string, bytes: Uint8Array, expect = fatal) =>
    importCase({ id: `pkl: ${id}`, format: 'pkl', files: { 'predictions.pkl': bytes }, expect });
  const hostile = new TextEncoder().encode(
    '\x80\x04\x95\x1a\x00\x00\x00\x00\x00\x00\x00\x8c\x02os\x8c\x06system\x93\x8c\x02id\x85R.',
  );
  const cases = [
    pkl('not a pickle', new TextEncoder().encode('hello, world')),
    pkl('an empty file', new Uint8Array(0)),
    pkl('os.system (refused by the allow list)', hostile),
    pkl('a dict, not a list', Uint8Array.from([0x80, 4, 0x7d, 0x2e])),
    pkl(
      'a list of ints (each refused)',
      Uint8Array.from([0x80, 4, 0x5d, 0x28, 0x4b, 1, 0x4b, 2, 0x65, 0x2e]),
      records(0, 2),
    ),
    pkl('the variety set (every kind of bad record)', localFixture('pkl/variety_p4.pkl'), records(5, 15)),
    pkl('numpy text and int64 beyond 2^53', localFixture('pkl/numpy_text_p4.pkl'), records(3, 5)),
    pkl('the same, protocol 2', localFixture('pkl/numpy_text_p2.pkl'), records(3, 5)),
    pkl('a STOP missing', good.slice(0, good.length - 1)),
    pkl('BINUNICODE announcing 4 GB', Uint8Array.from([0x80, 4, 0x58, 0xff, 0xff, 0xff, 0xff, 0x41, 0x2e])),
    pkl('LONG4 announcing 2 GB', Uint8Array.from([0x80, 4, 0x8b, 0xff, 0xff, 0xff, 0x7f, 0x2e])),
    pkl(
      'a record of lists nested 100000 deep',
      Uint8Array.from([0x80, 4, 0x5d, ...Array(100_000).fill(0x5d), ...Array(100_000).fill(0x61), 0x2e]),
      records(0, 1),
    ),
    pkl('a memo read before it was written', Uint8Array.from([0x80, 4, 0x68, 0x07, 0x2e])),
    pkl('STOP on an empty stack', Uint8Array.from([0x80, 4, 0x2e])),
    pkl('an unknown opcode', Uint8Array.from([0x80, 4, 0xfe, 0x2e])),
    pkl('builtins.eval', new TextEncoder().encode('\x80\x04\x8c\x08builtins\x8c\x04eval\x93\x8c\x011\x85R.')),
    ...truncations('pkl', 'pkl', 'predictions.pkl', good, 6),
  ];
  return { name: 'EA pickles', cases };
}

export const otherFormatCases = (): CaseList[] => [eaCases(), maskCases(), pklCases()];
