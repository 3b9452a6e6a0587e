// The COCO layout: detection (coco-files.ts), splits, and reading the annotation files into the shared model with
// every record kept as written (image ids, category ids, iscrowd, area, bbox, segmentation, annotation order), so
// COCO evaluation of the dataset is pycocotools on the user's own JSON.
import type { FileTree } from '../file-tree.ts';
import type { CocoDatasetJson, Project } from '../model.ts';
import { readCocoJson } from './coco-json.ts';
import { ProblemLog } from '../project/problems.ts';
import { buildProject } from './build.ts';
import { checkCocoFile } from './coco-records.ts';
import { cocoFiles, type CocoSplitFile } from './coco-files.ts';
import { UnknownSplitError } from './errors.ts';
import { readImageSize } from './image-size.ts';
import type { DatasetContent, DatasetImage, FolderLayout, ReadFolderOptions } from './layout.ts';
import { isAbsolute, joinPath, TailIndex } from './paths.ts';
import { mapInOrder } from './concurrency.ts';

export const cocoLayout: FolderLayout = {
  kind: 'coco',
  label: 'COCO',
  expects:
    'COCO: annotations/instances_<split>.json with images in <split>/ or images/<split>/; Roboflow ' +
    '<split>/_annotations.coco.json beside the images; or FiftyOne labels.json with images in data/.',
  detect: (paths) => cocoFiles(paths) !== undefined,
  read: readCoco,
};

/** The split names of a COCO folder, in listing order (FiftyOne: none). */
export function cocoSplits(paths: readonly string[], name = ''): string[] {
  return (cocoFiles(paths, name)?.files ?? []).flatMap((f) => (f.split === undefined ? [] : [f.split]));
}

async function readCoco(tree: FileTree, paths: readonly string[], options: ReadFolderOptions): Promise<Project> {
  const layout = cocoFiles(paths, tree.name)!;
  const splits = layout.files.flatMap((f) => (f.split === undefined ? [] : [f.split]));
  let chosen = layout.files;
  if (options.split !== undefined) {
    chosen = layout.files.filter((f) => f.split === options.split);
    if (chosen.length === 0) throw new UnknownSplitError(tree.name, options.split, splits);
  }
  const log = new ProblemLog();
  const index = new TailIndex(paths);
  options.onProgress?.(0, chosen.length);
  const parts: { file: CocoSplitFile; json: CocoDatasetJson }[] = [];
  for (const file of chosen) {
    const json = checkCocoFile(await readCocoJson(tree, file.file), file.file, log);
    parts.push({ file, json });
    options.onProgress?.(parts.length, chosen.length);
  }

  const coco: CocoDatasetJson =
    parts.length === 1
      ? parts[0].json
      : { images: parts.flatMap((p) => p.json.images), annotations: [], categories: mergeCategories(parts, log) };
  if (parts.length > 1) for (const p of parts) for (const a of p.json.annotations) coco.annotations.push(a);

  const images: DatasetImage[] = [];
  const annotationImage = new Int32Array(coco.annotations.length).fill(-1);
  const objectHash: string[] = new Array(coco.annotations.length);
  const categoryIds = new Set(coco.categories.map((c) => c.id));
  const needSize: DatasetImage[] = [];
  let offset = 0;
  for (const { file, json } of parts) {
    const byId = new Map<number, number>();
    for (const record of json.images) {
      if (byId.has(record.id)) continue; // reported by checkCocoFile; the first record is the data unit
      const image = imageEntry(record, file, index, log);
      byId.set(record.id, images.length);
      images.push(image);
      if (!(image.width > 0 && image.height > 0)) needSize.push(image);
    }
    const seenIds = new Set<number>();
    const repeats = new Map<string, number>();
    json.annotations.forEach((a, i) => {
      const at = byId.get(a.image_id);
      const where = () => `annotations[${i}] (id ${a.id})`;
      if (at === undefined) {
        log.add({
          file: file.file,
          record: where(),
          code: 'annotation_of_unknown_image',
          reason: `image_id ${a.image_id} is not an image of the file; pycocotools never evaluates it`,
        });
      } else if (!categoryIds.has(a.category_id)) {
        log.add({
          file: file.file,
          record: where(),
          code: 'annotation_of_unknown_category',
          reason: `category_id ${a.category_id} is not a category of the file; pycocotools never evaluates it`,
        });
      } else annotationImage[offset + i] = at;
      // Unique within the image even when an id repeats (pycocotools' quirk keeps both records).
      let n = 1;
      if (seenIds.has(a.id)) {
        const key = `${at}:${a.id}`;
        n = (repeats.get(key) ?? 1) + 1;
        repeats.set(key, n);
      }
      seenIds.add(a.id);
      objectHash[offset + i] = n === 1 ? `ann-${a.id}` : `ann-${a.id}-${n}`;
    });
    offset += json.annotations.length;
  }

  await mapInOrder(needSize, 16, async (image) => {
    const size = image.present ? await readImageSize(tree, image.path).catch(() => undefined) : undefined;
    if (size) {
      image.width = size.width;
      image.height = size.height;
    }
    log.add({
      file: image.split ? chosen.find((f) => f.split === image.split)!.file : chosen[0].file,
      record: `image id ${image.record.id}`,
      code: 'missing_image_size',
      reason: size
        ? `no width/height in the record; ${size.width}×${size.height} read from ${image.path}`
        : `no width/height in the record and none could be read from ${image.path}; its labels cannot be drawn`,
    });
  });

  const content: DatasetContent = {
    kind: 'coco',
    title: tree.name,
    splits,
    split: options.split,
    coco,
    images,
    annotationImage,
    objectHash,
    log,
  };
  return buildProject(tree.name, content);
}

function imageEntry(
  record: CocoDatasetJson['images'][number],
  file: CocoSplitFile,
  index: TailIndex,
  log: ProblemLog,
): DatasetImage {
  const written = typeof record.file_name === 'string' ? record.file_name : '';
  const found = written === '' ? undefined : index.find(file.imageDir, written);
  const path = found ?? joinPath(file.imageDir, isAbsolute(written) ? written.replace(/^.*[/\\]/, '') : written);
  if (!found) {
    log.add({
      file: file.file,
      record: `image id ${record.id}`,
      code: 'missing_image',
      reason:
        written === ''
          ? 'the image record has no file_name'
          : `no file for "${written}" under ${file.imageDir || 'the folder'}; it is evaluated but cannot be shown`,
    });
  }
  const width = Number(record.width);
  const height = Number(record.height);
  return {
    path,
    present: found !== undefined,
    split: file.split,
    key: `${file.file}#${record.id}`,
    title: written === '' ? `image ${record.id}` : (found ?? path).slice(file.imageDir ? file.imageDir.length + 1 : 0),
    width: Number.isFinite(width) && width > 0 ? width : 0,
    height: Number.isFinite(height) && height > 0 ? height : 0,
    record,
  };
}

/** The categories of several files by id, first-seen; a name that differs between files is reported. */
function mergeCategories(parts: { file: CocoSplitFile; json: CocoDatasetJson }[], log: ProblemLog) {
  const byId = new Map<number, CocoDatasetJson['categories'][number]>();
  for (const { file, json } of parts) {
    for (const c of json.categories) {
      const known = byId.get(c.id);
      if (!known) byId.set(c.id, c);
      else if (known.name !== c.name) {
        log.add({
          file: file.file,
          record: `category id ${c.id}`,
          code: 'category_name_differs',
          reason: `category ${c.id} is "${c.name}" here and "${known.name}" in another split; "${known.name}" is shown`,
        });
      }
    }
  }
  return [...byId.values()];
}
