// YOLO and Pascal VOC folders as users have them: splits from data.yaml (folders, .txt lists, Roboflow's ../),
// label files by the /images/ -> /labels/ rule, byte-wise image order, names as list or dict; VOC's splits, float
// coordinates, difficult flags, parts that are not objects, class ids that do not change with the split.
import { describe, expect, it } from 'vitest';
import { MemoryTree } from '../../../src/core/file-tree.ts';
import { openFolder } from '../../../src/core/datasets/index.ts';
import { labelPathOf } from '../../../src/core/datasets/yolo.ts';
import { compareUtf8 } from '../../../src/core/datasets/order.ts';
import { openFixture, reference } from './helpers.ts';

describe('YOLO', () => {
  it('finds label files by replacing the last /images/ with /labels/', () => {
    expect(labelPathOf('images/val/cam2/a.jpg')).toBe('labels/val/cam2/a.txt');
    expect(labelPathOf('train/images/x.jpg')).toBe('train/labels/x.txt');
    expect(labelPathOf('images/a/images/b.png')).toBe('images/a/labels/b.txt');
  });

  it('numbers images in byte-wise order of their path below the root, not locale order', async () => {
    const project = await openFixture('yolo-ultralytics', 'train');
    expect(project.dataUnits.map((u) => u.title)).toEqual([
      'images/train/IMG_2.png',
      'images/train/_a.png',
      'images/train/img_1.png',
    ]);
    expect(project.dataUnits.map((u) => u.imageId)).toEqual([1, 2, 3]);
    expect(compareUtf8('\u{1F600}', '\uFFFD')).toBeGreaterThan(0); // above U+FFFF sorts last, as in UTF-8
  });

  it('reads a folder split and a .txt list split under `path`; unlisted images and .cache files are not read', async () => {
    const project = await openFixture('yolo-ultralytics');
    expect(project.dataset!.splits).toEqual(['train', 'val']);
    const paths = project.dataUnits.map((u) => u.images[0]);
    expect(paths).toContain('shapes/images/val/cam2/x.jpg');
    expect(paths).not.toContain('shapes/images/val/unlisted.png');
    const byTitle = new Map(project.dataUnits.map((u) => [u.title, u]));
    expect(byTitle.get('images/val/c.png')!.frames[0].objects).toEqual([]); // no label file
    expect(byTitle.get('images/val/d.png')!.frames[0].objects).toEqual([]); // empty label file
    expect(byTitle.get('images/train/IMG_2.png')!.frames[0].objects.length).toBe(3); // CRLF rows
    expect(project.ontology.objects.map((o) => [o.categoryId, o.name])).toEqual([
      [0, 'circle'],
      [1, 'square'],
      [2, 'triangle'],
    ]);
    expect(project.problems).toEqual([]);
  });

  it('keeps segment rows as polygons with the shoelace area', async () => {
    const project = await openFixture('yolo-folders');
    const gt = project.dataset!.coco;
    for (const a of gt.annotations) {
      const xy = (a.segmentation as number[][])[0];
      let s = 0;
      for (let i = 0; i < xy.length / 2; i++) {
        const j = (i + 1) % (xy.length / 2);
        s += xy[2 * i] * xy[2 * j + 1] - xy[2 * j] * xy[2 * i + 1];
      }
      expect(a.area).toBe(Math.abs(s) / 2);
    }
    expect(project.ontology.objects.map((o) => o.name)).toEqual(['0', '2']); // no YAML: the indices are the names
  });

  it("Roboflow's ../train/images, an absolute path, names as a dict, a missing test folder", async () => {
    const project = await openFixture('yolo-roboflow');
    expect(project.dataset!.splits).toEqual(['train', 'val']);
    expect(project.ontology.objects.map((o) => o.name)).toEqual(['cat', 'dog']);
    expect(project.problems.map((p) => p.code).sort()).toEqual(['missing_split_path', 'yaml_path_outside']);
    expect(project.problems.find((p) => p.code === 'missing_split_path')!.reason).toMatch(/looked for test\/images/);
  });

  it('reports bad rows with the file and line, and reads the rest', async () => {
    const png = pngHeader(10, 10);
    const project = (
      await openFolder(
        new MemoryTree('rows', {
          'data.yaml': 'train: images\nnames: [a, b]\n',
          'images/x.png': png,
          'labels/x.txt':
            '0 0.5 0.5 0.2 0.2\n1 0.5 0.5 0.2 0.2 0.9\n0 0.1 0.1 0.2\n7 0.5 0.5 0.1 0.1\nq 0.5 0.5 0.1 0.1\n',
        }),
      )
    ).project;
    expect(project.dataset!.coco.annotations).toHaveLength(1);
    expect(project.problems.map((p) => [p.file, p.record, p.code])).toEqual([
      ['labels/x.txt', 2, 'bad_label_row'],
      ['labels/x.txt', 3, 'bad_label_row'],
      ['labels/x.txt', 5, 'bad_label_row'],
      ['labels/x.txt', 4, 'class_not_in_names'],
    ]);
    expect(project.problems[0].reason).toMatch(/a prediction row/);
  });

  it('names a YAML it cannot read', async () => {
    const tree = new MemoryTree('bad', { 'data.yaml': 'train: [images\n', 'images/x.png': pngHeader(4, 4) });
    await expect(openFolder(tree)).rejects.toThrow(/data\.yaml:\d+:\d+: invalid YAML/);
  });
});

describe('Pascal VOC', () => {
  it('reads VOCdevkit/VOC2012 with its splits; per-class lists are not splits', async () => {
    const project = await openFixture('voc');
    expect(project.kind).toBe('voc');
    expect(project.dataset!.splits).toEqual(['train', 'trainval', 'val']);
  });

  it('keeps float coordinates and difficult flags; parts are not objects; names trimmed, in byte order', async () => {
    const project = await openFixture('voc');
    expect(project.ontology.objects.map((o) => o.name)).toEqual(['Zebra', 'aeroplane', 'dog', 'person']);
    const labels = project.dataUnits.flatMap((u) => u.frames[0].objects);
    expect(labels.some((o) => o.dataset!.difficult)).toBe(true);
    expect(labels.some((o) => o.dataset!.difficult === false)).toBe(true);
    const person = labels.find((o) => o.dataset!.bbox[0] === 10.5 && o.dataset!.bbox[1] === 5)!;
    expect(person.dataset!.bbox).toEqual([10.5, 5, 40, 60]);
    expect(labels.filter((o) => ['head', 'hand'].includes(o.name))).toEqual([]);
    expect(labels).toHaveLength(reference('voc').counts.objects);
  });

  it('gives the same class ids whatever the split, and sizes from the header when <size> is missing or 0', async () => {
    const val = await openFixture('voc', 'val');
    expect(val.ontology.objects.map((o) => [o.categoryId, o.name])).toEqual([
      [1, 'Zebra'],
      [2, 'aeroplane'],
      [3, 'dog'],
      [4, 'person'],
    ]);
    const all = await openFixture('voc');
    const sized = all.problems.filter((p) => p.code === 'missing_image_size');
    expect(sized.map((p) => p.file)).toEqual([
      'VOCdevkit/VOC2012/Annotations/2008_000015.xml',
      'VOCdevkit/VOC2012/Annotations/2008_000023.xml',
    ]);
    const noFilename = all.dataUnits.find((u) => u.images[0].endsWith('2008_000019.jpg'))!;
    expect(noFilename.width).toBe(80);
  });

  it('reports a broken XML file by line and reads the others', async () => {
    const good =
      '<annotation><filename>a.jpg</filename><size><width>4</width><height>4</height></size><object><name>x</name><bndbox><xmin>0</xmin><ymin>0</ymin><xmax>2</xmax><ymax>2</ymax></bndbox></object></annotation>';
    const project = (
      await openFolder(
        new MemoryTree('voc', {
          'Annotations/a.xml': good,
          'Annotations/b.xml': '<annotation>\n<object>\n</annotation>',
          'JPEGImages/a.jpg': new Uint8Array(0),
        }),
      )
    ).project;
    expect(project.dataUnits).toHaveLength(1);
    expect(project.problems.map((p) => [p.file, p.record, p.code])).toEqual([['Annotations/b.xml', 3, 'bad_xml']]);
  });
});

/** Just enough of a PNG for its size to be read. */
function pngHeader(width: number, height: number): Uint8Array {
  const b = new Uint8Array(33);
  b.set([137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82]);
  new DataView(b.buffer).setUint32(16, width);
  new DataView(b.buffer).setUint32(20, height);
  return b;
}
