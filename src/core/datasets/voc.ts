// The Pascal VOC layout: Annotations/*.xml, JPEGImages/ and ImageSets/Main/<split>.txt, in the opened folder, in
// VOC*/ or in VOCdevkit/VOC*/; and the conversion to COCO terms (spec "Pascal VOC"): images 1..N in byte-wise order
// of the annotation file names, categories 1..K in byte-wise order of the class names over every annotation file
// (so ids do not change with the split), annotations 1..M in image then object order, bbox without +1,
// area = w·h, iscrowd 0, difficult kept as a flag. <part> boxes are not objects.
import type { FileTree } from '../file-tree.ts';
import type { CocoDatasetJson, Project } from '../model.ts';
import { ProjectFileError } from '../project/errors.ts';
import { ProblemLog } from '../project/problems.ts';
import { buildProject } from './build.ts';
import { mapInOrder } from './concurrency.ts';
import { UnknownSplitError } from './errors.ts';
import { readImageSize } from './image-size.ts';
import type { DatasetContent, DatasetImage, FolderLayout, ReadFolderOptions } from './layout.ts';
import { compareUtf8, sortUtf8 } from './order.ts';
import { joinPath, stemOf } from './paths.ts';
import { child, childText, parseXml, XmlError, type XmlElement } from './xml.ts';

const ANNOTATION = /^((?:VOCdevkit\/)?VOC[^/]*\/|)Annotations\/[^/]+\.xml$/;

export const vocLayout: FolderLayout = {
  kind: 'voc',
  label: 'Pascal VOC',
  expects:
    'Pascal VOC: Annotations/*.xml with JPEGImages/ and ImageSets/Main/<split>.txt, in the folder, in a VOC* folder or ' +
    'in VOCdevkit/VOC*/.',
  detect: (paths) => paths.some((p) => ANNOTATION.test(p)),
  read: readVoc,
};

/** The folder holding Annotations/: '' first, else the only VOC* or VOCdevkit/VOC* folder. */
function vocBase(tree: FileTree, paths: readonly string[]): string {
  const bases = new Set<string>();
  for (const p of paths) {
    const m = ANNOTATION.exec(p);
    if (m) bases.add(m[1].replace(/\/$/, ''));
  }
  if (bases.has('')) return '';
  if (bases.size > 1) {
    throw new ProjectFileError(
      tree.name,
      `holds several VOC datasets (${sortUtf8(bases, (b) => b).join(', ')}); open one of them`,
    );
  }
  return [...bases][0];
}

interface VocObject {
  name: string;
  bbox: [number, number, number, number];
  difficult: boolean;
  index: number;
}

interface VocFile {
  xml: string;
  filename: string;
  width: number;
  height: number;
  objects: VocObject[];
}

async function readVoc(tree: FileTree, paths: readonly string[], options: ReadFolderOptions): Promise<Project> {
  const log = new ProblemLog();
  const base = vocBase(tree, paths);
  const at = (rel: string) => joinPath(base, rel);
  const xmlFiles = paths.filter((p) => p.startsWith(at('Annotations/')) && p.endsWith('.xml') && ANNOTATION.test(p));
  const setDir = at('ImageSets/Main/');
  const splitFiles = paths.filter((p) => {
    if (!p.startsWith(setDir) || !p.endsWith('.txt')) return false;
    const name = p.slice(setDir.length, -4);
    return !name.includes('/') && !name.includes('_');
  });
  const splits = splitFiles.map((p) => p.slice(setDir.length, -4));

  let wanted: Set<string> | undefined;
  if (options.split !== undefined) {
    const file = splitFiles[splits.indexOf(options.split)];
    if (file === undefined) throw new UnknownSplitError(tree.name, options.split, splits);
    wanted = new Set();
    const known = new Set(xmlFiles);
    (await tree.readText(file)).split(/\r?\n/).forEach((line, i) => {
      const id = line.trim().split(/\s+/)[0];
      if (!id) return;
      const xml = at(`Annotations/${id}.xml`);
      if (known.has(xml)) wanted!.add(xml);
      else {
        log.add({ file, record: i + 1, code: 'listed_image_missing', reason: `no ${xml} for image id "${id}"` });
      }
    });
  }

  // Every annotation file is parsed: the class ids come from all of them, whatever the split.
  let done = 0;
  options.onProgress?.(0, xmlFiles.length);
  const parsed = await mapInOrder(xmlFiles, 16, async (xml) => {
    const file = await parseVocFile(xml, await tree.readText(xml), log);
    options.onProgress?.(++done, xmlFiles.length);
    return file;
  });
  const classNames = new Set<string>();
  for (const f of parsed) for (const o of f?.objects ?? []) classNames.add(o.name);
  const categories = sortUtf8(classNames, (n) => n).map((name, i) => ({ id: i + 1, name }));
  const categoryId = new Map(categories.map((c) => [c.name, c.id]));

  const read = parsed
    .filter((f): f is VocFile => f !== undefined && (wanted === undefined || wanted.has(f.xml)))
    .sort((a, b) => compareUtf8(a.xml.slice(a.xml.lastIndexOf('/') + 1), b.xml.slice(b.xml.lastIndexOf('/') + 1)));
  const listed = new Set(paths);
  await mapInOrder(read, 16, async (f) => {
    if (f.width > 0 && f.height > 0) return;
    const image = at(`JPEGImages/${f.filename}`);
    const size = listed.has(image) ? await readImageSize(tree, image).catch(() => undefined) : undefined;
    if (size) {
      f.width = size.width;
      f.height = size.height;
    }
    log.add({
      file: f.xml,
      record: 'size',
      code: 'missing_image_size',
      reason: size
        ? `no width/height; ${size.width}×${size.height} read from ${image}`
        : `no width/height, and none could be read from ${image}; its labels cannot be drawn`,
    });
  });

  const coco: CocoDatasetJson = { images: [], annotations: [], categories };
  const images: DatasetImage[] = [];
  const annotationImage: number[] = [];
  const objectHash: string[] = [];
  const difficult: number[] = [];
  for (const f of read) {
    const record = { id: images.length + 1, file_name: f.filename, width: f.width, height: f.height };
    coco.images.push(record);
    const path = at(`JPEGImages/${f.filename}`);
    if (!listed.has(path)) {
      log.add({ file: f.xml, record: 'filename', code: 'missing_image', reason: `${path} is not in the folder` });
    }
    images.push({
      path,
      present: listed.has(path),
      key: f.xml,
      title: f.filename,
      width: f.width,
      height: f.height,
      record,
    });
    for (const o of f.objects) {
      coco.annotations.push({
        id: coco.annotations.length + 1,
        image_id: record.id,
        category_id: categoryId.get(o.name)!,
        bbox: o.bbox,
        area: o.bbox[2] * o.bbox[3],
        iscrowd: 0,
      });
      annotationImage.push(images.length - 1);
      objectHash.push(`object-${o.index}`);
      difficult.push(o.difficult ? 1 : 0);
    }
  }
  if (images.length === 0) {
    throw new ProjectFileError(
      at('Annotations/'),
      options.split === undefined ? 'no readable annotation file' : `split "${options.split}" lists no image here`,
    );
  }

  const content: DatasetContent = {
    kind: 'voc',
    title: tree.name,
    splits,
    split: options.split,
    coco,
    images,
    annotationImage: Int32Array.from(annotationImage),
    objectHash,
    difficult: Uint8Array.from(difficult),
    log,
  };
  return buildProject(tree.name, content);
}

/** One annotation file; undefined (reported) when it cannot be read. */
function parseVocFile(xml: string, text: string, log: ProblemLog): VocFile | undefined {
  let root: XmlElement;
  try {
    root = parseXml(text);
  } catch (err) {
    if (!(err instanceof XmlError)) throw err;
    log.add(
      { file: xml, record: err.line, code: 'bad_xml', reason: `${err.reason}; file skipped` },
      'bad_annotation_file',
    );
    return undefined;
  }
  const size = child(root, 'size');
  const number = (v: string | undefined) => (v === undefined || v === '' ? NaN : Number(v));
  const width = size ? number(childText(size, 'width')) : NaN;
  const height = size ? number(childText(size, 'height')) : NaN;
  const objects: VocObject[] = [];
  let index = 0;
  for (const o of root.children) {
    if (o.name !== 'object') continue;
    index++;
    const name = childText(o, 'name') ?? '';
    const box = child(o, 'bndbox');
    const where = `object ${index}${name ? ` ("${name}")` : ''} (line ${o.line})`;
    const skip = (reason: string) =>
      log.add({ file: xml, record: where, code: 'bad_object', reason: `${reason}; object skipped` }, 'bad_object');
    if (name === '') {
      skip('no <name>');
      continue;
    }
    if (!box) {
      skip('no <bndbox>');
      continue;
    }
    const c = ['xmin', 'ymin', 'xmax', 'ymax'].map((k) => number(childText(box, k)));
    if (c.some((v) => !Number.isFinite(v))) {
      skip('<bndbox> needs numeric xmin, ymin, xmax and ymax');
      continue;
    }
    const difficultText = childText(o, 'difficult');
    objects.push({
      name,
      bbox: [c[0], c[1], c[2] - c[0], c[3] - c[1]],
      difficult: difficultText !== undefined && difficultText !== '' && Number(difficultText) !== 0,
      index,
    });
  }
  const filename = childText(root, 'filename') || `${stemOf(xml)}.jpg`;
  return {
    xml,
    filename,
    width: Number.isFinite(width) && width > 0 ? width : 0,
    height: Number.isFinite(height) && height > 0 ? height : 0,
    objects,
  };
}
