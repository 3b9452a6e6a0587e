// The COCO layouts as a user has them: which files are read, file names found (sub-folders, absolute paths by
// their tail), records kept exactly as written, label geometry for drawing, and the warnings the spec asks for.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryTree } from '../../../src/core/file-tree.ts';
import { openFolder, UnknownSplitError } from '../../../src/core/datasets/index.ts';
import { ProjectFileError } from '../../../src/core/project/errors.ts';
import { DATASETS, openFixture } from './helpers.ts';

const sourceJson = (file: string) => JSON.parse(readFileSync(resolve(DATASETS, file), 'utf8'));

describe('official COCO layout', () => {
  it('reads instances_<split>.json only, with images in <split>/ and images/<split>/', async () => {
    const all = await openFixture('coco-official');
    expect(all.kind).toBe('coco');
    expect(all.dataset!.splits).toEqual(['train2017', 'val2017']);
    expect(all.dataset!.split).toBeUndefined();
    const paths = all.dataUnits.map((u) => u.images[0]);
    expect(paths.filter((p) => p.startsWith('images/train2017/'))).toHaveLength(3);
    expect(paths.filter((p) => p.startsWith('val2017/'))).toHaveLength(7);
    expect(all.problems.filter((p) => p.code === 'missing_image')).toEqual([]);
  });

  it('keeps the split file exactly as pycocotools sees it, and finds every file name', async () => {
    const project = await openFixture('coco-official', 'val2017');
    const source = sourceJson('coco-official/annotations/instances_val2017.json');
    const gt = project.dataset!.coco;
    expect(gt.images).toEqual(source.images);
    expect(gt.categories).toEqual(source.categories);
    // File order, every field as written; the one record without iscrowd reads as iscrowd 0.
    expect(gt.annotations).toEqual(source.annotations.map((a: object) => ({ iscrowd: 0, ...a })));
    const byId = new Map(project.dataUnits.map((u) => [u.imageId, u]));
    expect(byId.get(632)!.images[0]).toBe('val2017/sub/000000000632.png');
    expect(byId.get(724)!.images[0]).toBe('val2017/000000000724.png'); // "/data/coco/val2017/..." by its tail
    expect(byId.get(776)!.frames[0].objects).toEqual([]);
    expect(byId.get(999)!.mime).toBe('image/tiff');
  });

  it('gives each annotation its own fields and a drawable geometry', async () => {
    const project = await openFixture('coco-official', 'val2017');
    const labels = project.dataUnits.flatMap((u) => u.frames[0].objects);
    const crowd = labels.find((o) => o.dataset!.iscrowd)!;
    expect(crowd.geometry.kind).toBe('mask');
    expect(crowd.geometry.kind === 'mask' && Array.isArray(crowd.geometry.mask.counts)).toBe(true);
    const compressed = labels.find((o) => o.geometry.kind === 'mask' && typeof o.geometry.mask.counts === 'string')!;
    expect(compressed.dataset!.iscrowd).toBe(false);
    const multi = labels.find((o) => o.geometry.kind === 'polygon' && o.geometry.parts?.length)!;
    expect(multi.name).toBe('car');
    const odd = labels.find((o) => o.dataset!.area === 500)!;
    expect(odd.dataset!.bbox).toEqual([40, 30, 50, 40]);
    // Non-contiguous category ids, in id order, the one without labels included.
    expect(project.ontology.objects.map((o) => [o.categoryId, o.name])).toEqual([
      [1, 'person'],
      [3, 'car'],
      [7, 'train'],
      [90, 'toothbrush'],
    ]);
  });

  it('warns on a missing iscrowd', async () => {
    const project = await openFixture('coco-official', 'val2017');
    expect(project.problems.map((p) => p.code)).toContain('missing_iscrowd');
  });

  it('names the split it does not have', async () => {
    await expect(openFixture('coco-official', 'test2017')).rejects.toThrow(UnknownSplitError);
    await expect(openFixture('coco-official', 'test2017')).rejects.toThrow(
      /no split "test2017"; its splits: train2017, val2017/,
    );
  });
});

describe('Roboflow and FiftyOne', () => {
  it('Roboflow: one split per folder, ids from 0, warnings for annotation id 0 and area != w*h', async () => {
    const all = await openFixture('coco-roboflow');
    expect(all.dataset!.splits).toEqual(['train', 'valid']);
    const valid = await openFixture('coco-roboflow', 'valid');
    expect(valid.dataUnits.map((u) => u.imageId)).toEqual([0, 1, 2, 3]);
    const codes = valid.problems.map((p) => p.code);
    expect(codes).toContain('annotation_id_zero');
    expect(codes.filter((c) => c === 'area_not_box_area')).toHaveLength(1);
    // Category 0 (the project's super-category) is a class without labels; empty segmentations are boxes.
    expect(valid.ontology.objects[0]).toMatchObject({ categoryId: 0, name: 'animals', shape: 'bounding_box' });
    expect(valid.dataUnits.flatMap((u) => u.frames[0].objects).every((o) => o.geometry.kind === 'box')).toBe(true);
  });

  it('data units keep their keys whichever split is read, and repeated ids stay apart', async () => {
    const all = await openFixture('coco-roboflow');
    const valid = await openFixture('coco-roboflow', 'valid');
    const hashes = new Set(all.dataUnits.map((u) => u.dataHash));
    expect(hashes.size).toBe(all.dataUnits.length); // image id 0 is in both splits
    for (const u of valid.dataUnits) expect(hashes.has(u.dataHash)).toBe(true);
  });

  it('FiftyOne: labels.json with data/, no splits', async () => {
    const project = await openFixture('coco-fiftyone');
    expect(project.dataset!.splits).toEqual([]);
    expect(project.dataUnits.map((u) => u.images[0])).toEqual([
      'data/frame_0001.png',
      'data/frame_0002.png',
      'data/frame_0003.png',
    ]);
    await expect(openFixture('coco-fiftyone', 'val')).rejects.toThrow(/has no splits/);
  });
});

describe('bad COCO files get a named error', () => {
  const open = (json: string) =>
    openFolder(new MemoryTree('broken', { 'annotations/instances_val.json': json, 'val/a.png': new Uint8Array(0) }));
  it.each([
    ['{"images": [', /annotations\/instances_val\.json:1:\d+: invalid JSON/],
    ['[]', /top level: a COCO annotation file is a JSON object/],
    ['{"images": [{"id": "a"}], "categories": []}', /images\[0\]: "id" is "a", not a number/],
    [
      '{"images": [{"id": 1, "file_name": "a.png", "width": 4, "height": 4}], "categories": [{"id": 1, "name": "x"}], "annotations": [{"id": 7, "image_id": 1, "category_id": 1, "bbox": [1, 2, 3], "area": 1}]}',
      /annotations\[0\] \(id 7\): "bbox" is \[1,2,3\], not \[x, y, width, height\]/,
    ],
  ])('%s', async (json, message) => {
    const error = await open(json).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProjectFileError);
    expect((error as Error).message).toMatch(message);
  });

  it('reports an image whose file is not there, and still evaluates it', async () => {
    const project = (
      await openFolder(
        new MemoryTree('gone', {
          'annotations/instances_val.json': JSON.stringify({
            images: [{ id: 3, file_name: 'missing.png', width: 10, height: 10 }],
            categories: [{ id: 1, name: 'x' }],
            annotations: [{ id: 1, image_id: 3, category_id: 1, bbox: [1, 1, 2, 2], area: 4, iscrowd: 0 }],
          }),
          'val/other.png': new Uint8Array(0),
        }),
      )
    ).project;
    expect(project.problems.map((p) => [p.code, p.record])).toEqual([['missing_image', 'image id 3']]);
    expect(project.dataset!.coco.images).toHaveLength(1);
  });
});
