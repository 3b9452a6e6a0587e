// A project's side files: project_meta.yaml (YAML limits, wrong types), ontology.json, label_row_meta.json,
// label_row.json, image_data_unit.json and class maps. Opening must either fail with an error naming the file
// (and its line:column for syntax errors) or open with a problem naming the file; never a TypeError.
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fixture } from '../../fixtures.ts';
import { MemoryTree } from '../../../src/core/file-tree.ts';
import { readImageDataUnits } from '../../../src/core/formats/coco-results.ts';
import { parseClassMapJson, validateClassMap } from '../../../src/core/formats/class-map.ts';
import { readProject } from '../../../src/core/project/read.ts';
import { NodeTree } from '../../../src/files/node-fs.ts';
import { eaMini, IMG_A, LABEL_A } from '../samples.ts';
import type { CaseList, MalformedCase } from './types.ts';

const ROOT = fixture('ea-mini');
const original: Record<string, Uint8Array> = {};
(function walk(dir: string) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else original[relative(ROOT, path).split('\\').join('/')] = readFileSync(path);
  }
})(ROOT);

const text = (path: string) => new TextDecoder().decode(original[path]);
const ROW = `data/${LABEL_A}/label_row.json`;

/** Opens ea-mini with `file` replaced by `content`; the problems it reports are the outcome. */
function projectCase(id: string, file: string, content: string | ((old: string) => string)): MalformedCase {
  return {
    id,
    files: [file],
    expect: { kind: 'problem' },
    async run() {
      const files = { ...original, [file]: typeof content === 'string' ? content : content(text(file)) };
      const project = await readProject(new MemoryTree('ea-mini', files));
      return { accepted: 0, rejected: project.problems };
    },
  };
}

/** A label_row.json edit: the first data unit's fields. */
const editUnit = (edit: (du: Record<string, unknown>) => void) => (old: string) => {
  const row = JSON.parse(old);
  edit(row.data_units[IMG_A]);
  return JSON.stringify(row);
};
const aliasBomb =
  'a: &a [x, x, x, x, x, x, x, x, x, x]\n' +
  Array.from(
    { length: 9 },
    (_, i) =>
      `b${i}: &b${i} [${Array(10)
        .fill(i === 0 ? '*a' : `*b${i - 1}`)
        .join(', ')}]`,
  ).join('\n');

function yamlCases(): MalformedCase[] {
  const meta = 'project_meta.yaml';
  return [
    projectCase('yaml: not YAML', meta, 'project_title: [unclosed\n'),
    projectCase('yaml: tab indentation', meta, 'project_title: x\n\tproject_hash: y\n'),
    projectCase('yaml: a list instead of a mapping', meta, '- project_title\n- project_hash\n'),
    projectCase('yaml: a scalar', meta, 'just words'),
    projectCase('yaml: empty', meta, ''),
    projectCase('yaml: an alias bomb', meta, aliasBomb),
    projectCase('yaml: nested 20000 deep (flow)', meta, `project_title: ${'['.repeat(20000)}${']'.repeat(20000)}\n`),
    projectCase(
      'yaml: nested 3000 deep (block)',
      meta,
      Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' 1\n',
    ),
    projectCase('yaml: duplicate keys', meta, 'project_title: a\nproject_title: b\nproject_hash: c\n'),
    projectCase('yaml: project_hash a number', meta, 'project_title: x\nproject_hash: 5\n'),
    projectCase('yaml: binary garbage', meta, '\u0000\u0001\u0002\u00ff'),
  ];
}

function jsonCases(): MalformedCase[] {
  const onto = 'ontology.json';
  const rowMeta = 'label_row_meta.json';
  return [
    projectCase('ontology: not JSON', onto, (t) => t.slice(0, t.length >> 1)),
    projectCase('ontology: a list', onto, '[]'),
    projectCase('ontology: objects a number', onto, '{"objects": 5, "classifications": []}'),
    projectCase('ontology: objects of strings', onto, '{"objects": ["Car"], "classifications": []}'),
    projectCase('ontology: attributes a string', onto, (t) =>
      t.replace('"featureNodeHash": "XO9aOmE8"', '"featureNodeHash": "XO9aOmE8", "attributes": "x"'),
    ),
    projectCase('ontology: an unknown shape', onto, (t) => t.replace('"bounding_box"', '"hexagon"')),
    projectCase('ontology: classifications null', onto, '{"objects": [], "classifications": null}'),
    projectCase('label_row_meta: not JSON', rowMeta, '{"a": '),
    projectCase('label_row_meta: a list', rowMeta, '[1, 2]'),
    projectCase('label_row_meta: entries are numbers', rowMeta, (t) =>
      t.replace(/"404fbdc5-adf3-4f62-9070-35a2495bf559": \{/, '"x": 5, "404fbdc5-adf3-4f62-9070-35a2495bf559": {'),
    ),
    projectCase('label_row_meta: entries miss keys', rowMeta, `{"${LABEL_A}": {}}`),
    projectCase('label_row: not JSON', ROW, (t) => t.slice(0, 200)),
    projectCase('label_row: a list', ROW, '[]'),
    projectCase('label_row: data_units a string', ROW, (t) => JSON.stringify({ ...JSON.parse(t), data_units: 'x' })),
    projectCase('label_row: width 1e999 (Infinity)', ROW, (t) => t.replace('"width": 100', '"width": 1e999')),
    projectCase(
      'label_row: width a string',
      ROW,
      editUnit((du) => (du.width = 'wide')),
    ),
    projectCase(
      'label_row: height 0',
      ROW,
      editUnit((du) => (du.height = 0)),
    ),
    projectCase(
      'label_row: width 1e12',
      ROW,
      editUnit((du) => (du.width = 1e12)),
    ),
    projectCase(
      'label_row: labels a number',
      ROW,
      editUnit((du) => (du.labels = 5)),
    ),
    projectCase(
      'label_row: objects a string',
      ROW,
      editUnit((du) => (du.labels = { objects: 'x', classifications: [] })),
    ),
    projectCase(
      'label_row: a bounding box of strings',
      ROW,
      editUnit((du) => {
        const objects = (du.labels as { objects: Record<string, unknown>[] }).objects;
        objects[0].boundingBox = { x: 'a', y: 0, w: 0.1, h: 0.1 };
      }),
    ),
    projectCase(
      'label_row: an object without a featureHash',
      ROW,
      editUnit((du) => {
        const objects = (du.labels as { objects: Record<string, unknown>[] }).objects;
        delete objects[0].featureHash;
      }),
    ),
    projectCase(
      'label_row: data_sequence text',
      ROW,
      editUnit((du) => (du.data_sequence = 'first')),
    ),
  ];
}

/** A side file the import reads beside the project, checked by its own reader. */
function sideFileCase(id: string, file: string, read: () => Promise<unknown>): MalformedCase {
  return {
    id,
    files: [file],
    expect: { kind: 'fatal' },
    async run() {
      await read();
      return { accepted: 1, rejected: [] };
    },
  };
}

function sideFileCases(): MalformedCase[] {
  const idu = (content: string) => () => readImageDataUnits(new MemoryTree('p', { 'image_data_unit.json': content }));
  const classMap = (content: string) => async () =>
    validateClassMap(eaMini.ontology, parseClassMapJson(content, 'map.json'), 'map.json');
  return [
    sideFileCase('image_data_unit.json: not JSON', 'image_data_unit.json', idu('{"1": {"data_hash": ')),
    sideFileCase('image_data_unit.json: a list', 'image_data_unit.json', idu('[1]')),
    sideFileCase('image_data_unit.json: an entry a string', 'image_data_unit.json', idu('{"1": "abc"}')),
    sideFileCase('image_data_unit.json: data_hash null', 'image_data_unit.json', idu('{"1": {"data_hash": null}}')),
    sideFileCase('class map: not JSON', 'map.json', classMap('{"0": ')),
    sideFileCase('class map: a list', 'map.json', classMap('["XO9aOmE8"]')),
    sideFileCase('class map: a number value', 'map.json', classMap('{"0": 5}')),
    sideFileCase('class map: an object name instead of a hash', 'map.json', classMap('{"0": "Car"}')),
  ];
}

/** A folder where the project expects a file (on disk: a browser never lists folders as files). */
function folderCases(): MalformedCase[] {
  return ['project_meta.yaml', 'ontology.json', 'label_row_meta.json'].map((file) => ({
    id: `a folder named ${file}`,
    files: [file],
    expect: { kind: 'problem' },
    async run() {
      const dir = mkdtempSync(join(tmpdir(), 'predlens-malformed-'));
      for (const [path, bytes] of Object.entries(original)) {
        if (path === file) continue;
        mkdirSync(join(dir, path, '..'), { recursive: true });
        writeFileSync(join(dir, path), bytes);
      }
      mkdirSync(join(dir, file));
      writeFileSync(join(dir, file, 'inside.txt'), 'x');
      const project = await readProject(new NodeTree(dir));
      return { accepted: 0, rejected: project.problems };
    },
  }));
}

export const projectFileCases = (): CaseList[] => [
  { name: 'project_meta.yaml', cases: yamlCases() },
  { name: 'project JSON files', cases: jsonCases() },
  { name: 'side files', cases: [...sideFileCases(), ...folderCases()] },
];
