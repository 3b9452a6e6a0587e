// printOntology / formatOntologyPrintout: what `encord-active print ontology` prints (spec 7.1).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseOntology } from '../../src/core/project/ontology.ts';
import { formatOntologyPrintout, printOntology } from '../../src/core/project/print-ontology.ts';
import { ProblemLog } from '../../src/core/project/problems.ts';
import { fixture } from '../fixtures.ts';

const load = (...path: string[]) =>
  parseOntology(JSON.parse(readFileSync(fixture(...path), 'utf8')), 'ontology.json', new ProblemLog());

describe('printOntology', () => {
  it('maps lower-cased object names to hashes and top-level radio options to their three hashes', () => {
    expect(printOntology(load('real', 'ontology-encord-sdk.json'))).toEqual({
      objects: { eye: 'a55abbeb', nose: '86648f32', example: '6eeba59b' },
      classifications: {
        yes: { feature_hash: 'a39d81c0', attribute_hash: 'a6136d14', option_hash: 'a3aeb48d' },
        no: { feature_hash: 'a39d81c0', attribute_hash: 'a6136d14', option_hash: 'd0a4b373' },
      },
    });
  });

  it('prints ea-mini exactly as json.dumps(indent=2) does', () => {
    expect(formatOntologyPrintout(load('ea-mini', 'ontology.json'))).toBe(
      '{\n  "objects": {\n    "car": "XO9aOmE8",\n    "cat": "d9qhuTio"\n  },\n  "classifications": {}\n}',
    );
  });

  it('prints the KITTI ontology with every object', () => {
    const text = formatOntologyPrintout(load('kitti', 'ontology.json'));
    expect(JSON.parse(text).objects).toEqual({
      car: 'fYdelGPK',
      van: 'DP6gK92R',
      pedestrian: 'm62YLDpK',
      cyclist: expect.any(String),
      'road marking': expect.any(String),
    });
  });

  it('keeps Python dict order and overwrite rules, skips checklists, escapes non-ASCII', () => {
    const ontology = {
      objects: [
        { id: '1', name: 'Zebra', color: '#000000', shape: 'polygon', featureNodeHash: 'z1', attributes: [] },
        { id: '2', name: 'Café', color: '#000000', shape: 'point', featureNodeHash: 'c1', attributes: [] },
        { id: '3', name: 'zebra', color: '#000000', shape: 'polygon', featureNodeHash: 'z2', attributes: [] },
      ],
      classifications: [
        {
          id: '4',
          featureNodeHash: 'k1',
          attributes: [
            {
              id: '4.1',
              name: 'Count',
              type: 'radio',
              featureNodeHash: 'a1',
              required: false,
              dynamic: false,
              options: [
                { id: '4.1.1', label: 'Many', value: 'many', featureNodeHash: 'o1', attributes: [] },
                { id: '4.1.2', label: 'One', value: '1', featureNodeHash: 'o2', attributes: [] },
              ],
            },
            {
              id: '4.2',
              name: 'Tags',
              type: 'checklist',
              featureNodeHash: 'a2',
              required: false,
              dynamic: false,
              options: [{ id: '4.2.1', label: 'Wet', value: 'wet', featureNodeHash: 'o3', attributes: [] }],
            },
          ],
        },
      ],
    };
    expect(formatOntologyPrintout(ontology)).toBe(
      [
        '{',
        '  "objects": {',
        '    "zebra": "z2",',
        '    "caf\\u00e9": "c1"',
        '  },',
        '  "classifications": {',
        '    "many": {',
        '      "feature_hash": "k1",',
        '      "attribute_hash": "a1",',
        '      "option_hash": "o1"',
        '    },',
        '    "1": {',
        '      "feature_hash": "k1",',
        '      "attribute_hash": "a1",',
        '      "option_hash": "o2"',
        '    }',
        '  }',
        '}',
      ].join('\n'),
    );
  });
});
