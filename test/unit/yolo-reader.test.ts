// YOLO text predictions: boxes, segmentation polygons, confidences, class maps, file matching.
import { describe, expect, it } from 'vitest';
import { yoloReader } from '../../src/core/formats/yolo.ts';
import { ClassMapError } from '../../src/core/formats/class-map.ts';
import { MemoryTree } from '../../src/core/file-tree.ts';
import type { Kernels } from '../../src/kernels/wasm.ts';
import { fixture } from '../fixtures.ts';
import { makeProject, readOntology } from './formats-b-project.ts';

const noKernels = undefined as unknown as Kernels;
// Car, Van, Pedestrian, Cyclist (boxes), Road marking (polygon)
const ontology = readOntology(fixture('kitti/ontology.json'));
const A = 'ae0ee924-98e3-4b1d-8c62-48a33cd6e76a';
const B = 'f8c9d327-b6e8-4d80-b964-744bd0f472b8';
const project = makeProject(ontology, [
  { dataHash: A, width: 640, height: 480, title: 'img_001.jpg' },
  { dataHash: B, width: 640, height: 480, title: 'img_002.jpg' },
]);
const read = (files: Record<string, string>, options = {}) =>
  yoloReader.read(noKernels, project, new MemoryTree('run', files), options);

describe('YOLO reader', () => {
  it('reads boxes with confidences, files matched by data title or hash, classes 0..N-1 in ontology order', async () => {
    const { predictions, report } = await read({
      'labels/img_001.txt': '0 0.5 0.5 0.25 0.5 0.9\n3 0.125 0.25 0.25 0.5 0.25\n',
      [`labels/${A.toUpperCase()}.txt`]: '1 0.5 0.5 0.5 0.5 0.5',
    });
    expect(predictions).toEqual([
      {
        dataHash: A,
        frame: 0,
        confidence: 0.5,
        featureHash: 'DP6gK92R',
        shape: { kind: 'box', box: { x: 0.25, y: 0.25, w: 0.5, h: 0.5 } },
      },
      {
        dataHash: A,
        frame: 0,
        confidence: 0.9,
        featureHash: 'fYdelGPK',
        shape: { kind: 'box', box: { x: 0.375, y: 0.25, w: 0.25, h: 0.5 } },
      },
      {
        dataHash: A,
        frame: 0,
        confidence: 0.25,
        featureHash: 'ytmNk36L',
        shape: { kind: 'box', box: { x: 0, y: 0, w: 0.25, h: 0.5 } },
      },
    ]);
    expect(report.warnings[0]).toContain(
      'class index i = ontology object i (0 Car, 1 Van, 2 Pedestrian, 3 Cyclist, 4 Road marking)',
    );
    expect(report.rejected).toEqual([]);
  });

  it('gives 1.0 to lines without a confidence and warns that AP then depends on order', async () => {
    const { predictions, report } = await read({ 'img_002.txt': '0 0.5 0.5 0.2 0.2\n0 0.4 0.5 0.2 0.2 0.3' });
    expect(predictions.map((p) => [p.dataHash, p.confidence])).toEqual([
      [B, 1],
      [B, 0.3],
    ]);
    expect(report.warnings.join('\n')).toMatch(/1 prediction\(s\) had no confidence and were given 1\.0/);
  });

  it('reads segmentation lines as polygons, with or without a trailing confidence', async () => {
    const { predictions } = await read({
      'img_001.txt': '4 0.1 0.1 0.9 0.1 0.5 0.8\n4 0.1 0.1 0.9 0.1 0.9 0.9 0.1 0.9 0.75',
    });
    expect(predictions.map((p) => [p.confidence, p.shape])).toEqual([
      [
        1,
        {
          kind: 'polygon',
          points: [
            [0.1, 0.1],
            [0.9, 0.1],
            [0.5, 0.8],
          ],
        },
      ],
      [
        0.75,
        {
          kind: 'polygon',
          points: [
            [0.1, 0.1],
            [0.9, 0.1],
            [0.9, 0.9],
            [0.1, 0.9],
          ],
        },
      ],
    ]);
  });

  it('rejects bad lines with their line numbers instead of dropping them', async () => {
    const { predictions, report } = await read({
      'img_001.txt': [
        '7 0.5 0.5 0.1 0.1 0.9',
        '0 320 240 64 48 0.9',
        '0 0.5 0.5',
        'car 0.5 0.5 0.1 0.1',
        '0 0.5 0.5 0.1 0.1 87',
        '',
        '0 0.5 0.5 0.1 0.1 0.5',
      ].join('\n'),
      'nothing_like_this.txt': '0 0.5 0.5 0.1 0.1 0.9',
    });
    expect(predictions).toHaveLength(1);
    expect(report.rejected.map((r) => [r.file, r.record, r.code])).toEqual([
      ['img_001.txt', 2, 'not_normalised'],
      ['img_001.txt', 3, 'bad_row'],
      ['img_001.txt', 4, 'bad_number'],
      ['img_001.txt', 5, 'bad_confidence'],
      ['img_001.txt', 1, 'unknown_class'],
      ['nothing_like_this.txt', undefined, 'no_match'],
    ]);
  });

  it('uses a --class-map and refuses one that points outside the ontology', async () => {
    const { predictions } = await read({ 'img_001.txt': '0 0.5 0.5 0.1 0.1 0.9' }, { classMap: { '0': 'm62YLDpK' } });
    expect(predictions[0].featureHash).toBe('m62YLDpK');
    await expect(read({ 'img_001.txt': '0 0.5 0.5 0.1 0.1 0.9' }, { classMap: { '0': 'Car' } })).rejects.toThrow(
      ClassMapError,
    );
    await expect(read({ 'img_001.txt': '' }, { classMap: { '0': 'Car' } })).rejects.toThrow(/name of object fYdelGPK/);
  });

  it('maps indices through classes.txt names when the folder has one', async () => {
    const { predictions, report } = await read({
      'classes.txt': 'pedestrian\ntruck\n',
      'img_001.txt': '0 0.5 0.5 0.1 0.1 0.9\n1 0.5 0.5 0.1 0.1 0.9',
    });
    expect(predictions.map((p) => p.featureHash)).toEqual(['m62YLDpK']);
    expect(report.rejected).toEqual([expect.objectContaining({ record: 2, code: 'unknown_class' })]);
    expect(report.warnings[0]).toContain('no ontology object for 1 truck');
  });

  it('is detected from numeric lines, not from KITTI files', async () => {
    expect(await yoloReader.detect(new MemoryTree('y', { 'a.txt': '0 0.5 0.5 0.1 0.1 0.9' }))).toBe(true);
    expect(await yoloReader.detect(new MemoryTree('k', { 'a.txt': 'Car 0 0 0 1 2 3 4 0 0 0 0 0 0 0 0.9' }))).toBe(
      false,
    );
  });

  it('clips boxes and vertices that reach a little beyond the image, and says how many', async () => {
    const { predictions, report } = await read({
      'img_001.txt': '0 0.95 0.5 0.2 0.2 0.9\n4 -0.1 0.1 0.9 0.1 0.5 0.8 0.7\n0 0.5 0.5 0.2 0.2 0.8',
    });
    expect(predictions.map((p) => p.shape)).toEqual([
      { kind: 'box', box: { x: 0.85, y: 0.4, w: 0.15000000000000002, h: 0.2 } },
      {
        kind: 'polygon',
        points: [
          [0, 0.1],
          [0.9, 0.1],
          [0.5, 0.8],
        ],
      },
      { kind: 'box', box: { x: 0.4, y: 0.4, w: 0.2, h: 0.2 } },
    ]);
    expect(report.warnings.join('\n')).toContain('2 prediction(s) reaching beyond their image were clipped to it');
  });
});
