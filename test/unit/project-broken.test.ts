// Broken projects built in memory: what stops the project with a clear error, and what is skipped and reported.
import { describe, expect, it } from 'vitest';
import { MemoryTree } from '../../src/core/file-tree.ts';
import { findJsonErrorOffset, parseJson } from '../../src/core/project/errors.ts';
import { locateProject, NotAProjectError, readProject } from '../../src/core/project/read.ts';
import { LISTED_PER_CODE } from '../../src/core/project/problems.ts';

const ONTOLOGY = {
  objects: [
    { id: '1', name: 'Car', color: '#D33115', shape: 'bounding_box', featureNodeHash: 'carFH001' },
    { id: '3', name: 'Cat', color: '#16406C', shape: 'polygon', featureNodeHash: 'catFH001' },
  ],
  classifications: [],
};

const meta = (labelHashes: string[]) =>
  JSON.stringify(
    Object.fromEntries(
      labelHashes.map((lh) => [
        lh,
        {
          data_hash: `du-${lh}`,
          dataset_hash: 'ds',
          data_title: `${lh}.png`,
          data_type: 'IMAGE',
          label_status: 'LABELLED',
          annotation_task_status: 'COMPLETED',
        },
      ]),
    ),
  );

const row = (lh: string, objects: unknown[]) =>
  JSON.stringify({
    label_hash: lh,
    data_title: `${lh}.png`,
    data_type: 'image',
    data_units: {
      [`du-${lh}`]: {
        data_hash: `du-${lh}`,
        data_title: `${lh}.png`,
        data_type: 'image/png',
        data_sequence: 0,
        width: 10,
        height: 10,
        labels: { objects, classifications: [] },
      },
    },
    object_answers: {},
    classification_answers: {},
  });

const car = (hash: string) => ({
  name: 'Car',
  shape: 'bounding_box',
  objectHash: hash,
  featureHash: 'carFH001',
  boundingBox: { x: 0.1, y: 0.1, w: 0.2, h: 0.2 },
});

function project(overrides: Record<string, string | null> = {}) {
  const files: Record<string, string> = {
    'project_meta.yaml': 'project_hash: p-1\nproject_title: broken\n',
    'ontology.json': JSON.stringify(ONTOLOGY),
    'label_row_meta.json': meta(['good']),
    'data/good/label_row.json': row('good', [car('c0000001')]),
    'data/good/images/du-good.png': 'png',
  };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === null) delete files[k];
    else files[k] = v;
  }
  return new MemoryTree('broken', files);
}

describe('not a project', () => {
  it('names project_meta.yaml and says what a project folder holds', async () => {
    await expect(readProject(project({ 'project_meta.yaml': null }))).rejects.toThrow(
      /broken is not an Encord Active project: project_meta\.yaml is missing\. An Encord Active project folder holds project_meta\.yaml, ontology\.json/,
    );
  });

  it('throws a NotAProjectError listing what is missing', async () => {
    const err = await readProject(project({ 'project_meta.yaml': null })).catch((e) => e);
    expect(err).toBeInstanceOf(NotAProjectError);
    expect(err.missing).toEqual(['project_meta.yaml']);
  });

  it('names ontology.json, and both when both are missing', async () => {
    await expect(readProject(project({ 'ontology.json': null }))).rejects.toThrow(/ontology\.json is missing/);
    await expect(readProject(project({ 'ontology.json': null, 'project_meta.yaml': null }))).rejects.toThrow(
      /project_meta\.yaml and ontology\.json are missing/,
    );
  });

  it('finds a project one folder down, and only when there is exactly one', async () => {
    const files = {
      'my-project/project_meta.yaml': 'project_hash: x\n',
      'my-project/ontology.json': '{"objects": [], "classifications": []}',
    };
    const found = await locateProject(new MemoryTree('parent', files));
    expect(found.name).toBe('parent/my-project');
    expect((await readProject(found)).meta.project_hash).toBe('x');
    const two = new MemoryTree('parent', { ...files, 'other/project_meta.yaml': '' });
    expect((await locateProject(two)).name).toBe('parent');
    const root = project();
    expect(await locateProject(root)).toBe(root);
  });

  it('rejects an ontology without its lists, naming the file', async () => {
    await expect(readProject(project({ 'ontology.json': '{"objects": []}' }))).rejects.toThrow(
      /^ontology\.json: the ontology needs a "classifications" list \(found nothing\)$/,
    );
  });
});

describe('bad JSON and YAML', () => {
  it('gives the file, line and column when V8 reports a position', async () => {
    const text = '{\n  "objects": []\n  "classifications": []\n}';
    await expect(readProject(project({ 'ontology.json': text }))).rejects.toThrow(
      /^ontology\.json:3:3: invalid JSON: Expected ',' or '\}' after property value \(line 3, column 3\)$/,
    );
  });

  it('finds the position itself when V8 reports none', async () => {
    const text = '{\n  "objects": [\n    {},\n  ],\n  "classifications": []\n}';
    await expect(readProject(project({ 'ontology.json': text }))).rejects.toThrow(
      /^ontology\.json:4:3: invalid JSON: Unexpected token '\]' \(line 4, column 3\)$/,
    );
    await expect(readProject(project({ 'label_row_meta.json': '{"a": ' }))).rejects.toThrow(
      /^label_row_meta\.json:1:7: invalid JSON: Unexpected end of JSON input/,
    );
  });

  it('locates errors in strings, numbers and literals', () => {
    expect(findJsonErrorOffset('[1, tru]')).toBe(7);
    expect(findJsonErrorOffset('{"a": -}')).toBe(6);
    expect(findJsonErrorOffset('["a\\q"]')).toBe(4);
    expect(findJsonErrorOffset('[1] x')).toBe(4);
    expect(() => parseJson('{"a": [1, 2,]}', 'x.json')).toThrow(/^x\.json:1:13:/);
  });

  it('gives the line and column of bad YAML', async () => {
    await expect(readProject(project({ 'project_meta.yaml': 'project_hash: p\n  bad: [\n' }))).rejects.toThrow(
      /^project_meta\.yaml:\d+:\d+: invalid YAML: /,
    );
    await expect(readProject(project({ 'project_meta.yaml': '- a list\n' }))).rejects.toThrow(
      /project_meta\.yaml: project_meta\.yaml must be a YAML mapping/,
    );
  });

  it('skips a label row with bad JSON, naming it with line and column', async () => {
    const p = await readProject(
      project({
        'label_row_meta.json': meta(['good', 'bad']),
        'data/bad/label_row.json': '{\n  "data_units": {,\n}',
        'data/bad/images/du-bad.png': 'png',
      }),
    );
    expect(p.labelRows.map((r) => r.labelHash)).toEqual(['good']);
    expect(p.skipped).toEqual({ bad_json: 1 });
    expect(p.problems).toEqual([
      {
        file: 'data/bad/label_row.json',
        record: '2:18',
        code: 'bad_json',
        reason: expect.stringMatching(/^invalid JSON: .*\(line 2, column 18\); label row skipped$/),
      },
    ]);
  });
});

describe('skipped label rows and labels', () => {
  it('skips a label row without images, naming it and counting it', async () => {
    const p = await readProject(
      project({
        'label_row_meta.json': meta(['good', 'noimg', 'gone']),
        'data/noimg/label_row.json': row('noimg', [car('c0000002')]),
      }),
    );
    expect(p.labelRows.map((r) => r.labelHash)).toEqual(['good']);
    expect(p.dataUnits).toHaveLength(1);
    expect(p.skipped).toEqual({ label_row_without_images: 1, missing_label_row: 1 });
    expect(p.problems.map((x) => [x.file, x.code])).toEqual([
      ['data/noimg/images/', 'no_images'],
      ['data/gone/label_row.json', 'missing_label_row'],
    ]);
    expect(p.problems[0].reason).toContain('label row noimg ("noimg.png") has no images folder');
  });

  it('keeps unknown ontology shapes, skips and counts labels it cannot read', async () => {
    const objects = [
      car('c0000001'),
      { name: 'Blob', shape: 'bitmask', objectHash: 'b0000001', featureHash: 'blobFH01', bitmask: { rle: 'x' } },
      { name: 'Blob', shape: 'bitmask', objectHash: 'b0000002', featureHash: 'blobFH01', bitmask: { rle: 'y' } },
      {
        name: 'Cat',
        shape: 'polygon',
        objectHash: 'p0000001',
        featureHash: 'catFH001',
        polygon: { 0: { x: 0, y: 0 }, 1: { x: 1, y: 1 } },
      },
      {
        name: 'Car',
        shape: 'bounding_box',
        objectHash: 'c0000009',
        featureHash: 'carFH001',
        boundingBox: { x: 0.1, y: 'wide' },
      },
      {
        name: 'Ghost',
        shape: 'bounding_box',
        objectHash: 'g0000001',
        featureHash: 'nope',
        boundingBox: { x: 0, y: 0, w: 1, h: 1 },
      },
      { name: 'Car', shape: 'bounding_box', featureHash: 'carFH001', boundingBox: { x: 0, y: 0, w: 1, h: 1 } },
    ];
    const ontology = structuredClone(ONTOLOGY);
    ontology.objects.splice(1, 0, {
      id: '2',
      name: 'Blob',
      color: '#E27300',
      shape: 'bitmask',
      featureNodeHash: 'blobFH01',
    });
    const p = await readProject(
      project({ 'ontology.json': JSON.stringify(ontology), 'data/good/label_row.json': row('good', objects) }),
    );
    expect(p.ontology.objects.map((o) => o.shape)).toEqual(['bounding_box', 'bitmask', 'polygon']);
    expect(p.dataUnits[0].frames[0].objects.map((o) => o.objectHash)).toEqual(['c0000001']);
    expect(p.skipped).toEqual({ unknown_shape: 2, bad_geometry: 2, unknown_feature_hash: 1, missing_object_hash: 1 });
    expect(p.problems.map((x) => [x.file, x.record, x.code])).toEqual([
      ['ontology.json', 'objects[1]', 'unknown_shape'],
      ['data/good/label_row.json', 'data_units.du-good.labels.objects[1]', 'unknown_shape'],
      ['data/good/label_row.json', 'data_units.du-good.labels.objects[2]', 'unknown_shape'],
      ['data/good/label_row.json', 'data_units.du-good.labels.objects[3]', 'bad_geometry'],
      ['data/good/label_row.json', 'data_units.du-good.labels.objects[4]', 'bad_geometry'],
      ['data/good/label_row.json', 'data_units.du-good.labels.objects[5]', 'unknown_feature_hash'],
      ['data/good/label_row.json', 'data_units.du-good.labels.objects[6]', 'missing_object_hash'],
    ]);
    expect(p.problems[0].reason).toContain('shape "bitmask"');
    expect(p.problems[3].reason).toBe('object p0000001: polygon has 2 point(s), needs at least 3; skipped');
  });

  it('skips unsupported data types and label rows not in the meta', async () => {
    const dicom = JSON.stringify({ data_type: 'dicom', data_units: {} });
    const p = await readProject(
      project({
        'label_row_meta.json': meta(['good', 'scan']),
        'data/scan/label_row.json': dicom,
        'data/scan/images/x.dcm': 'x',
        'data/stray/label_row.json': row('stray', []),
        'data/stray/images/du-stray.png': 'png',
      }),
    );
    expect(p.labelRows).toHaveLength(1);
    expect(p.skipped).toEqual({ unsupported_data_type: 1, label_row_not_in_meta: 1 });
  });

  it('reads every label row folder when label_row_meta.json is missing, and says so', async () => {
    const p = await readProject(project({ 'label_row_meta.json': null }));
    expect(p.labelRows.map((r) => r.labelHash)).toEqual(['good']);
    expect(p.problems.map((x) => x.code)).toEqual(['missing_meta']);
  });

  it('counts every problem but lists only the first of each kind', async () => {
    const many = Array.from({ length: LISTED_PER_CODE + 5 }, (_, i) => ({ ...car(`x${i}`), featureHash: 'nope' }));
    const p = await readProject(project({ 'data/good/label_row.json': row('good', many) }));
    expect(p.skipped.unknown_feature_hash).toBe(LISTED_PER_CODE + 5);
    expect(p.problems).toHaveLength(LISTED_PER_CODE + 1);
    expect(p.problems.at(-1)!.reason).toBe(
      `5 more "unknown_feature_hash" problems not listed (${LISTED_PER_CODE + 5} in all)`,
    );
  });
});
