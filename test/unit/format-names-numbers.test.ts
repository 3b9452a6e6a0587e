// The two rules every format shares: ontology name matching (exact, then case-folded when unique) and the strict
// decimal grammar of text formats.
import { describe, expect, it } from 'vitest';
import { findByName, lookupByName, objectByName } from '../../src/core/formats/names.ts';
import { parseDecimal } from '../../src/core/formats/numbers.ts';
import type { Ontology } from '../../src/core/model.ts';

const object = (name: string, featureNodeHash: string, shape = 'bounding_box') => ({
  id: featureNodeHash,
  name,
  color: '#000',
  shape,
  featureNodeHash,
  attributes: [],
});
const ontology: Ontology = {
  objects: [
    object('Car', 'car1'),
    object('car', 'car2'),
    object('Truck', 'truck'),
    object('person-polygon', 'personP', 'polygon'),
    object('person', 'personB'),
    object('Bus', 'bus1'),
    object('BUS', 'bus2'),
  ],
  classifications: [],
};

describe('name matching', () => {
  it('takes an exact name first, the first of several', () => {
    expect(objectByName(ontology, 'Car')?.featureNodeHash).toBe('car1');
    expect(objectByName(ontology, 'car')?.featureNodeHash).toBe('car2');
  });
  it('falls back to the one name equal ignoring case', () => {
    expect(objectByName(ontology, 'TRUCK')?.featureNodeHash).toBe('truck');
  });
  it('never guesses between two names equal ignoring case', () => {
    expect(objectByName(ontology, 'bus')).toBeUndefined();
    expect(objectByName(ontology, 'CAR')).toBeUndefined();
  });
  it('with a shape, "<name>-<shape>" is an exact name (projects EA made from COCO)', () => {
    expect(objectByName(ontology, 'person', 'polygon')?.featureNodeHash).toBe('personP');
    expect(objectByName(ontology, 'person')?.featureNodeHash).toBe('personB');
  });
  it('map keys follow the same rule', () => {
    const map = new Map([
      ['Pedestrian', 'a'],
      ['cyclist', 'b'],
      ['Cyclist', 'c'],
    ]);
    expect(lookupByName(map, 'pedestrian')).toBe('a');
    expect(lookupByName(map, 'Cyclist')).toBe('c');
    expect(lookupByName(map, 'CYCLIST')).toBeUndefined();
    expect(findByName([], 'x', () => [])).toBeUndefined();
  });
});

describe('the decimal grammar', () => {
  it.each(['0', '12', '-3', '+4', '0.5', '.5', '5.', '1e3', '-1.5E-3', '007'])('reads %s', (field) => {
    expect(parseDecimal(field)).toBe(Number(field));
  });
  it.each([
    '',
    ' ',
    '0x10',
    '0b1',
    '0o7',
    'Infinity',
    '-Infinity',
    'NaN',
    '1e400',
    '1_0',
    '1e',
    '.',
    '+-1',
    '1.2.3',
    ' 1',
    '١',
  ])('refuses %j', (field) => {
    expect(parseDecimal(field)).toBeUndefined();
  });
});
