// readProject on files written by real Encord tooling (fixtures/real), wrapped into a project in memory.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MemoryTree } from '../../src/core/file-tree.ts';
import { readProject } from '../../src/core/project/read.ts';
import { parseOntology } from '../../src/core/project/ontology.ts';
import { ProblemLog } from '../../src/core/project/problems.ts';
import { summariseProject } from '../../src/core/project/summary.ts';
import { fixture } from '../fixtures.ts';

const readJson = (name: string) => JSON.parse(readFileSync(fixture('real', name), 'utf8'));
const realOntology = readJson('ontology-encord-sdk.json');
const imgGroupRow = readJson('label-row-img-group-encord-sdk.json');
const videoLabels = readJson('video-frame-labels-encord-sdk.json');

const APPLE = 'b84a4d38-11be-424f-a92b-44f11e14c905';
const TRACKED = '5f2bfe77-5dd7-4bf6-b724-1d47a53e5fd9';
const GROUP_LABEL = imgGroupRow.label_hash as string;
const VIDEO_LABEL = '0b6a1c43-7d0e-4c51-9d7e-1f9c2b6f0a11';
const VIDEO_DU = 'E1C0D1A3-44B4-4A8B-9F7E-52C3F0B1D2A9'; // upper case on purpose: lookups must not care
const STILL_LABEL = '6f2d9e30-1a7c-4d5b-8e90-3c4b5a6d7e8f';
const STILL_DU = '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d';
const png = new Uint8Array([137, 80, 78, 71]);

function realProject() {
  const ontology = structuredClone(realOntology);
  ontology.objects.push(
    { id: '4', name: 'Apple', color: '#FE9200', shape: 'bounding_box', featureNodeHash: APPLE },
    { id: '5', name: 'Tracked', color: '#009CE0', shape: 'polygon', featureNodeHash: TRACKED },
  );
  const groupUnits = Object.keys(imgGroupRow.data_units);
  const files: Record<string, string | Uint8Array> = {
    'project_meta.yaml': 'project_hash: 11111111-2222-3333-4444-555555555555\nproject_title: real files\n',
    'ontology.json': JSON.stringify(ontology, null, 2),
    'label_row_meta.json': JSON.stringify({
      [GROUP_LABEL]: {
        data_hash: 'group-hash',
        dataset_hash: 'd',
        data_title: 'image-group-f5ef4',
        data_type: 'IMG_GROUP',
        label_status: 'LABELLED',
        annotation_task_status: 'COMPLETED',
      },
      [VIDEO_LABEL]: {
        data_hash: VIDEO_DU,
        dataset_hash: 'd',
        data_title: 'clip.mp4',
        data_type: 'VIDEO',
        label_status: 'LABELLED',
        annotation_task_status: 'COMPLETED',
      },
      [STILL_LABEL]: {
        data_hash: STILL_DU,
        dataset_hash: 'd',
        data_title: 'still.jpg',
        data_type: 'IMAGE',
        label_status: 'LABELLED',
        annotation_task_status: 'COMPLETED',
      },
    }),
    [`data/${GROUP_LABEL}/label_row.json`]: JSON.stringify(imgGroupRow),
    [`data/${VIDEO_LABEL}/label_row.json`]: JSON.stringify({
      label_hash: VIDEO_LABEL,
      data_title: 'clip.mp4',
      data_type: 'video',
      data_units: {
        [VIDEO_DU]: {
          data_hash: VIDEO_DU,
          data_title: 'clip.mp4',
          data_type: 'video/mp4',
          data_sequence: 0,
          width: 1280,
          height: 720,
          data_fps: 25,
          labels: videoLabels,
        },
      },
      object_answers: {},
      classification_answers: {},
      object_actions: {},
      label_status: 'LABELLED',
    }),
    [`data/${VIDEO_LABEL}/images/${VIDEO_DU.toLowerCase()}.mp4`]: png,
    // Decoded frames are not zero-padded; frame 10 must sort after 9.
    ...Object.fromEntries(
      [0, 5, 9, 10].map((f) => [`data/${VIDEO_LABEL}/images/${VIDEO_DU.toLowerCase()}_${f}.png`, png]),
    ),
    [`data/${STILL_LABEL}/label_row.json`]: JSON.stringify(stillRow()),
    [`data/${STILL_LABEL}/images/${STILL_DU}.jpeg`]: png,
  };
  // Every image of the group except the last one (apple1.jpg).
  for (const du of groupUnits.slice(0, -1)) files[`data/${GROUP_LABEL}/images/${du}.jpg`] = png;
  return { tree: new MemoryTree('real', files), groupUnits };
}

/** A still image answering the real ontology's radio classification, plus checklist and text answers. */
function stillRow() {
  const classification = (hash: string) => ({
    name: 'Is the cat standing?',
    value: 'is_the_cat_standing?',
    createdAt: 'Tue, 07 Mar 2023 10:00:00 GMT',
    createdBy: 'a@b.c',
    confidence: 1,
    featureHash: 'a39d81c0',
    manualAnnotation: true,
    classificationHash: hash,
  });
  return {
    label_hash: STILL_LABEL,
    data_title: 'still.jpg',
    data_type: 'image',
    data_units: {
      [STILL_DU]: {
        data_hash: STILL_DU,
        data_title: 'still.jpg',
        data_type: 'image/jpeg',
        data_sequence: 0,
        width: 640,
        height: 480,
        labels: {
          objects: [
            {
              name: 'Example',
              shape: 'polyline',
              objectHash: 'pl000001',
              featureHash: '6eeba59b',
              polyline: { 0: { x: 0.1, y: 0.2 }, 1: { x: 0.3, y: 0.4 } },
            },
          ],
          classifications: [classification('cls00001')],
        },
      },
    },
    object_answers: {},
    classification_answers: {
      cls00001: {
        classificationHash: 'cls00001',
        classifications: [
          {
            name: 'Is the cat standing?',
            value: 'is_the_cat_standing?',
            featureHash: 'a6136d14',
            manualAnnotation: true,
            answers: [{ name: 'No', value: 'no', featureHash: 'd0a4b373' }],
          },
          { name: 'Notes', value: 'notes', featureHash: 'text0001', manualAnnotation: true, answers: 'tail is up' },
          {
            name: 'Details',
            value: 'details',
            featureHash: '1e3e5cad',
            manualAnnotation: true,
            answers: [
              { name: 'Is it a cute nose?', value: 'is_it_a_cute_nose?', featureHash: '2bc17c88' },
              { name: 'Is it a wet nose? ', value: 'is_it_a_wet_nose?_', featureHash: '86eaa4f2' },
            ],
          },
        ],
      },
    },
    object_actions: {},
    label_status: 'LABELLED',
  };
}

describe('the real Encord SDK ontology', () => {
  const log = new ProblemLog();
  const ontology = parseOntology(realOntology, 'ontology.json', log);

  it('keeps objects with their attributes, options and nested attributes', () => {
    expect(ontology.objects.map((o) => [o.id, o.name, o.shape, o.featureNodeHash])).toEqual([
      ['1', 'Eye', 'bounding_box', 'a55abbeb'],
      ['2', 'Nose', 'polygon', '86648f32'],
      ['3', 'Example', 'polyline', '6eeba59b'],
    ]);
    expect(ontology.objects[0].attributes).toEqual([]);
    const checklist = ontology.objects[1].attributes[0];
    expect(checklist).toMatchObject({
      id: '2.1',
      name: 'Additional details about the nose',
      type: 'checklist',
      required: true,
      dynamic: false,
      featureNodeHash: '1e3e5cad',
    });
    expect(checklist.options.map((o) => [o.id, o.label, o.value, o.featureNodeHash])).toEqual([
      ['2.1.1', 'Is it a cute nose?', 'is_it_a_cute_nose?', '2bc17c88'],
      ['2.1.2', 'Is it a wet nose? ', 'is_it_a_wet_nose?_', '86eaa4f2'],
    ]);
    const radio = ontology.objects[2].attributes[0];
    expect(radio).toMatchObject({ id: '4.1', type: 'radio', required: false });
    expect(radio.options[0]).toMatchObject({
      id: '4.1.1',
      label: 'Nested Option',
      value: 'nested_option',
      featureNodeHash: '5d102ce6',
    });
    expect(radio.options[0].attributes).toEqual([
      {
        id: '4.1.1.1',
        name: 'Leaf',
        type: 'radio',
        featureNodeHash: '59204845',
        required: false,
        dynamic: false,
        options: [],
      },
    ]);
  });

  it('keeps classifications with their radio options, and reports nothing', () => {
    expect(ontology.classifications).toHaveLength(1);
    const c = ontology.classifications[0];
    expect([c.id, c.featureNodeHash, c.attributes[0].name, c.attributes[0].featureNodeHash]).toEqual([
      '1',
      'a39d81c0',
      'Is the cat standing?',
      'a6136d14',
    ]);
    expect(c.attributes[0].options.map((o) => [o.label, o.value, o.featureNodeHash])).toEqual([
      ['Yes', 'yes', 'a3aeb48d'],
      ['No', 'no', 'd0a4b373'],
    ]);
    expect(log.problems).toEqual([]);
  });
});

describe('readProject on real label rows', async () => {
  const { tree, groupUnits } = realProject();
  const project = await readProject(tree);

  it('reads the img_group row: string data_sequence orders the members, boxes kept', () => {
    const row = project.labelRows.find((r) => r.labelHash === GROUP_LABEL)!;
    expect(row.dataType).toBe('img_group');
    expect(row.dataHash).toBe('group-hash');
    expect(row.dataUnits.map((u) => u.sequence)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(row.dataUnits.map((u) => u.title)).toEqual([
      'apple10.jpg',
      'apple9.jpg',
      'apple8.jpg',
      'apple7.jpg',
      'apple6.jpg',
      'apple5.jpg',
      'apple4.jpg',
      'apple3.jpg',
      'apple2.jpg',
      'apple1.jpg',
    ]);
    const third = project.byDataHash.get('1dbc6787-3547-4764-b697-0c5a27e575b9')!;
    expect([third.dataType, third.mime, third.sequence]).toEqual(['img_group', 'image/jpg', 2]);
    expect(third.frames.map((f) => f.frame)).toEqual([2]);
    expect(third.frames[0].objects[0].geometry).toEqual({
      kind: 'box',
      box: { x: 0.3522742678958785, y: 0.23933540973919604, w: 0.2472885032537961, h: 0.4817658349328214 },
    });
    expect(third.images).toEqual({ 2: `data/${GROUP_LABEL}/images/1dbc6787-3547-4764-b697-0c5a27e575b9.jpg` });
  });

  it('names the group member whose image is missing, and the members without a size', () => {
    const last = groupUnits[groupUnits.length - 1];
    const missing = project.problems.filter((p) => p.code === 'missing_image');
    expect(missing).toHaveLength(1);
    expect(missing[0].record).toBe(last);
    expect(missing[0].reason).toContain('apple1.jpg');
    expect(project.byDataHash.get(last)!.images).toEqual({});
    expect(project.problems.filter((p) => p.code === 'missing_size')).toHaveLength(10);
  });

  it('reads video labels keyed by frame, with frames from decoded PNGs', () => {
    const video = project.byDataHash.get(VIDEO_DU.toLowerCase())!;
    expect(video).toBeDefined();
    expect([video.dataType, video.mime, video.width, video.height, video.fps]).toEqual([
      'video',
      'video/mp4',
      1280,
      720,
      25,
    ]);
    expect(video.frames.map((f) => f.frame)).toEqual([0, 9]);
    expect(video.frameNumbers).toEqual([0, 5, 9, 10]);
    const lower = VIDEO_DU.toLowerCase();
    expect(video.images).toEqual({
      0: `data/${VIDEO_LABEL}/images/${lower}_0.png`,
      5: `data/${VIDEO_LABEL}/images/${lower}_5.png`,
      9: `data/${VIDEO_LABEL}/images/${lower}_9.png`,
      10: `data/${VIDEO_LABEL}/images/${lower}_10.png`,
    });
    const [frame0, frame9] = video.frames;
    expect(frame0.objects[0]).toMatchObject({
      objectHash: '60f75ddb-aa68-4654-8c85-f6959dbb62eb',
      shape: 'polygon',
      name: 'Tracked',
    });
    const points0 = frame0.objects[0].geometry.kind === 'polygon' ? frame0.objects[0].geometry.points : [];
    expect(points0).toHaveLength(16);
    expect(points0[0]).toEqual([0.4250204026115343, 0.5259157398452611]);
    expect(points0[15]).toEqual([0.4554883025027203, 0.5897455270793037]);
    const points9 = frame9.objects[0].geometry.kind === 'polygon' ? frame9.objects[0].geometry.points : [];
    expect(points9).toHaveLength(19);
    expect(points9[18]).toEqual([0.5392750272034821, 0.8856836315280464]);
  });

  it('reads radio, checklist and text classification answers and polylines', () => {
    const still = project.byDataHash.get(STILL_DU)!;
    expect(still.images).toEqual({ 0: `data/${STILL_LABEL}/images/${STILL_DU}.jpeg` });
    const [c] = still.frames[0].classifications;
    expect(c).toMatchObject({ classificationHash: 'cls00001', featureHash: 'a39d81c0', name: 'Is the cat standing?' });
    expect(c.answers).toEqual([
      {
        attributeHash: 'a6136d14',
        attributeName: 'Is the cat standing?',
        options: [{ featureHash: 'd0a4b373', name: 'No', value: 'no' }],
      },
      { attributeHash: 'text0001', attributeName: 'Notes', options: [], text: 'tail is up' },
      {
        attributeHash: '1e3e5cad',
        attributeName: 'Details',
        options: [
          { featureHash: '2bc17c88', name: 'Is it a cute nose?', value: 'is_it_a_cute_nose?' },
          { featureHash: '86eaa4f2', name: 'Is it a wet nose? ', value: 'is_it_a_wet_nose?_' },
        ],
      },
    ]);
    expect(still.frames[0].objects[0].geometry).toEqual({
      kind: 'polyline',
      points: [
        [0.1, 0.2],
        [0.3, 0.4],
      ],
    });
  });

  it('summarises the three data types and the answered options', () => {
    const s = summariseProject(project);
    expect(s.dataUnitsByType).toEqual({ image: 1, img_group: 10, video: 1 });
    expect([s.labelRows, s.dataUnits, s.images, s.videoFrames, s.frames]).toEqual([3, 12, 11, 4, 15]);
    expect(s.objectsByClass.find((c) => c.name === 'Apple')!.count).toBe(10);
    expect(s.objectsByClass.find((c) => c.name === 'Tracked')!.count).toBe(2);
    // The checklist answers sit under an attribute this classification does not have: counted after the ontology's.
    expect(s.classificationsByOption.map((o) => [o.label, o.count])).toEqual([
      ['Yes', 0],
      ['No', 1],
      ['Is it a cute nose?', 1],
      ['Is it a wet nose? ', 1],
    ]);
    expect(s.textAnswers).toBe(1);
    expect(s.objectsByShape).toEqual({ bounding_box: 10, polygon: 2, polyline: 1 });
  });
});
