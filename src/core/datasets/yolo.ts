// The YOLO (Ultralytics) layout: data.yaml / dataset.yaml (or images/ + labels/), its splits (yolo-splits.ts),
// label files found by replacing the last /images/ with /labels/, and the conversion to COCO terms: images 1..N in
// byte-wise order of their path relative to the root with sizes from their headers, categories = the names by
// index, annotations 1..M in image then row order (yolo-rows.ts).
import type { FileTree } from '../file-tree.ts';
import type { CocoDatasetJson, Project } from '../model.ts';
import { parseYaml, ProjectFileError } from '../project/errors.ts';
import { ProblemLog } from '../project/problems.ts';
import { buildProject } from './build.ts';
import { mapInOrder } from './concurrency.ts';
import { UnknownSplitError } from './errors.ts';
import { readImageSize } from './image-size.ts';
import type { DatasetContent, DatasetImage, FolderLayout, ReadFolderOptions } from './layout.ts';
import { compareUtf8 } from './order.ts';
import { joinPath } from './paths.ts';
import { parseYoloLabels, type YoloRow } from './yolo-rows.ts';
import { FolderListing, YAML_FILES, yoloSplits } from './yolo-splits.ts';

export const yoloLayout: FolderLayout = {
  kind: 'yolo',
  label: 'YOLO (Ultralytics)',
  expects:
    'YOLO: data.yaml or dataset.yaml (train/val/test folders or .txt lists, names), or images/<split>/ with ' +
    'labels/<split>/.',
  detect: (paths) =>
    YAML_FILES.some((f) => paths.includes(f)) ||
    (paths.some((p) => p.startsWith('images/')) && paths.some((p) => p.startsWith('labels/'))),
  read: readYolo,
};

/** An image's label file: '/' + its path relative to the root, the last /images/ -> /labels/, extension .txt. */
export function labelPathOf(relative: string): string {
  const p = '/' + relative;
  const cut = p.lastIndexOf('/images/');
  const swapped = cut < 0 ? p : `${p.slice(0, cut)}/labels/${p.slice(cut + '/images/'.length)}`;
  const slash = swapped.lastIndexOf('/');
  const dot = swapped.lastIndexOf('.');
  return (dot > slash ? swapped.slice(0, dot) : swapped).slice(1) + '.txt';
}

async function readYolo(tree: FileTree, paths: readonly string[], options: ReadFolderOptions): Promise<Project> {
  const log = new ProblemLog();
  const listing = new FolderListing(paths);
  const yamlFile = YAML_FILES.find((f) => listing.files.has(f));
  const config = yamlFile === undefined ? undefined : parseYaml(await tree.readText(yamlFile), yamlFile);
  const info = await yoloSplits(tree, listing, yamlFile, config, log);
  const splits = info.splits.map((s) => s.name).filter((n) => n !== '');
  let chosen = info.splits;
  if (options.split !== undefined) {
    chosen = info.splits.filter((s) => s.name === options.split);
    if (chosen.length === 0) throw new UnknownSplitError(tree.name, options.split, splits);
  }

  // Every image once, in the first split that lists it; an image no split lists is not read.
  const splitOf = new Map<string, string>();
  for (const s of chosen) for (const p of s.images) if (!splitOf.has(p)) splitOf.set(p, s.name);
  const root = info.root;
  const relative = (p: string) => (root !== '' && p.startsWith(root + '/') ? p.slice(root.length + 1) : p);
  const ordered = [...splitOf.keys()].map((path) => ({ path, rel: relative(path) }));
  ordered.sort((a, b) => compareUtf8(a.rel, b.rel));
  if (ordered.length === 0) {
    throw new ProjectFileError(
      yamlFile ?? 'images/',
      options.split === undefined ? 'no images found for any split' : `split "${options.split}" holds no images`,
    );
  }

  let done = 0;
  options.onProgress?.(0, ordered.length);
  const read = await mapInOrder(ordered, 16, async ({ path, rel }) => {
    const size = await readImageSize(tree, path).catch(() => undefined);
    const labelFile = joinPath(root, labelPathOf(rel));
    let rows: YoloRow[] = [];
    if (!size) {
      log.add(
        {
          file: path,
          code: 'no_image_size',
          reason: 'the image size could not be read from its header, so its labels cannot be converted; not read',
        },
        'image_without_size',
      );
    } else if (listing.files.has(labelFile)) {
      rows = parseYoloLabels(await tree.readText(labelFile), labelFile, size.width, size.height, log);
    }
    options.onProgress?.(++done, ordered.length);
    return { path, rel, size, rows, labelFile };
  });

  const names = info.names ?? new Map<number, string>();
  if (!info.names) {
    const seen = new Set<number>();
    for (const r of read) for (const row of r.rows) seen.add(row.cls);
    for (const cls of [...seen].sort((a, b) => a - b)) names.set(cls, String(cls));
  }

  const coco: CocoDatasetJson = {
    images: [],
    annotations: [],
    categories: [...names].map(([id, name]) => ({ id, name })),
  };
  const images: DatasetImage[] = [];
  const annotationImage: number[] = [];
  const objectHash: string[] = [];
  for (const r of read) {
    if (!r.size) continue;
    const record = { id: images.length + 1, file_name: r.rel, width: r.size.width, height: r.size.height };
    coco.images.push(record);
    const at = images.length;
    images.push({
      path: r.path,
      present: true,
      split: splitOf.get(r.path) || undefined,
      key: r.path,
      title: r.rel,
      width: r.size.width,
      height: r.size.height,
      record,
    });
    for (const row of r.rows) {
      if (!names.has(row.cls)) {
        log.add(
          {
            file: r.labelFile,
            record: row.line,
            code: 'class_not_in_names',
            reason: `class ${row.cls} is not in the YAML's names; row skipped`,
          },
          'bad_label_row',
        );
        continue;
      }
      const annotation: CocoDatasetJson['annotations'][number] = {
        id: coco.annotations.length + 1,
        image_id: record.id,
        category_id: row.cls,
        bbox: row.bbox,
        area: row.area,
        iscrowd: 0,
      };
      if (row.segmentation) annotation.segmentation = row.segmentation;
      coco.annotations.push(annotation);
      annotationImage.push(at);
      objectHash.push(`row-${row.line}`);
    }
  }

  const content: DatasetContent = {
    kind: 'yolo',
    title: tree.name,
    splits,
    split: options.split,
    coco,
    images,
    annotationImage: Int32Array.from(annotationImage),
    objectHash,
    log,
  };
  return buildProject(tree.name, content);
}
