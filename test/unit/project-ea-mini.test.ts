// readProject on ea-mini, a project written by EA v0.1.40's own tooling: counts, exact geometry, image paths.
import { describe, expect, it } from 'vitest';
import { NodeTree } from '../../src/files/node-fs.ts';
import { readProject } from '../../src/core/project/read.ts';
import { summariseProject } from '../../src/core/project/summary.ts';
import { imagePathFor } from '../../src/core/project/images.ts';
import { fixture } from '../fixtures.ts';

const A_LABEL = '404fbdc5-adf3-4f62-9070-35a2495bf559';
const A_DATA = '668c6d1a-0217-4097-b930-8dfc03db62b4';
const B_LABEL = 'abefab78-d91e-436b-aec0-803ef87aa43b';
const B_DATA = '0d029202-d58b-4dad-a6ba-b80821da6b0a';

describe('readProject on ea-mini', async () => {
  const progress: [number, number][] = [];
  const project = await readProject(new NodeTree(fixture('ea-mini')), { onProgress: (d, t) => progress.push([d, t]) });

  it('reads the meta and the ontology', () => {
    expect(project.meta.project_hash).toBe('7aa18dd3-4732-4008-9b41-c6c043a93166');
    expect(project.meta.project_title).toBe('ea-mini');
    expect(project.meta.has_remote).toBe(false);
    expect(project.ontology.objects.map((o) => [o.id, o.name, o.shape, o.featureNodeHash, o.color])).toEqual([
      ['1', 'Car', 'bounding_box', 'XO9aOmE8', '#D33115'],
      ['2', 'Cat', 'polygon', 'd9qhuTio', '#E27300'],
    ]);
    expect(project.ontology.classifications).toEqual([]);
  });

  it('finds both label rows with one image each, and no problems', () => {
    expect(project.labelRows.map((r) => [r.labelHash, r.dataHash, r.dataType, r.dataTitle])).toEqual([
      [A_LABEL, A_DATA, 'image', 'street_a.png'],
      [B_LABEL, B_DATA, 'image', 'street_b.png'],
    ]);
    expect(project.dataUnits).toHaveLength(2);
    expect(project.problems).toEqual([]);
    expect(project.skipped).toEqual({});
    expect(progress).toEqual([
      [0, 2],
      [1, 2],
      [2, 2],
    ]);
  });

  it('keeps box and polygon coordinates exactly as written', () => {
    const a = project.byDataHash.get(A_DATA)!;
    expect([a.width, a.height, a.mime, a.sequence]).toEqual([100, 80, 'image/png', 0]);
    expect(a.frames).toHaveLength(1);
    const [car1, car2, cat] = a.frames[0].objects;
    expect(car1).toMatchObject({ objectHash: 'EQFfYWmt', featureHash: 'XO9aOmE8', name: 'Car', shape: 'bounding_box' });
    expect(car1.geometry).toEqual({ kind: 'box', box: { x: 0.1, y: 0.1, w: 0.3, h: 0.3 } });
    expect(car2.geometry).toEqual({ kind: 'box', box: { x: 0.6, y: 0.5, w: 0.2, h: 0.25 } });
    expect(cat).toMatchObject({ objectHash: '2KF2mVmt', name: 'Cat', createdBy: 'annotator@example.com' });
    expect(cat.geometry).toEqual({
      kind: 'polygon',
      points: [
        [0.5, 0.1],
        [0.9, 0.1],
        [0.9, 0.4],
        [0.5, 0.4],
      ],
    });
    const b = project.byDataHash.get(B_DATA)!;
    expect(b.frames[0].objects.map((o) => o.geometry)).toEqual([
      { kind: 'box', box: { x: 0.2, y: 0.2, w: 0.5, h: 0.5 } },
    ]);
  });

  it('locates each image and indexes data hashes in lower case', () => {
    const a = project.byDataHash.get(A_DATA)!;
    expect(a.images).toEqual({ 0: `data/${A_LABEL}/images/${A_DATA}.png` });
    expect(a.frameNumbers).toEqual([0]);
    expect(imagePathFor(a, 0)).toBe(`data/${A_LABEL}/images/${A_DATA}.png`);
    expect(project.byDataHash.get(B_DATA)!.images[0]).toBe(`data/${B_LABEL}/images/${B_DATA}.png`);
    expect([...project.byDataHash.keys()].every((k) => k === k.toLowerCase())).toBe(true);
  });

  it('summarises counts per class and per shape', () => {
    const s = summariseProject(project);
    expect(s).toMatchObject({
      labelRows: 2,
      dataUnits: 2,
      frames: 2,
      images: 2,
      videoFrames: 0,
      labelledFrames: 2,
      objects: 4,
      classifications: 0,
      objectsByShape: { bounding_box: 3, polygon: 1 },
      dataUnitsByType: { image: 2, img_group: 0, video: 0 },
    });
    expect(s.objectsByClass.map((c) => [c.name, c.featureHash, c.color, c.shape, c.count])).toEqual([
      ['Car', 'XO9aOmE8', '#D33115', 'bounding_box', 3],
      ['Cat', 'd9qhuTio', '#E27300', 'polygon', 1],
    ]);
  });
});
