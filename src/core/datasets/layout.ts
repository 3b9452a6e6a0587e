// What a folder layout module provides (one module per layout: detection, splits, reading), and what the COCO,
// YOLO and VOC readers hand to the shared builder (build.ts): the ground truth in COCO terms exactly as
// pycocotools must see it, plus, per image and per annotation, what the shared model needs beside it.
import type { FileTree } from '../file-tree.ts';
import type { CocoDatasetJson, Project, ProjectKind } from '../model.ts';
import type { ProblemLog } from '../project/problems.ts';

export interface ReadFolderOptions {
  /** Read only this split (a name from the layout's splits); undefined reads every split. */
  split?: string;
  /** Called with items read so far and the total, first with done = 0. */
  onProgress?(done: number, total: number): void;
}

export interface FolderLayout {
  kind: ProjectKind;
  /** A human name: "COCO", "YOLO (Ultralytics)", ... */
  label: string;
  /** What the folder must hold, in a sentence (for "not a dataset" messages). */
  expects: string;
  /** True when the listing (every path in the folder, sorted) looks like this layout. Cheap: no file is read. */
  detect(paths: readonly string[]): boolean;
  read(tree: FileTree, paths: readonly string[], options: ReadFolderOptions): Promise<Project>;
}

type CocoImage = CocoDatasetJson['images'][number];

/** One image of a dataset, parallel to `coco.images`. */
export interface DatasetImage {
  /** The image's path in the opened folder (DataUnit.images[0]), whether or not the file is there. */
  path: string;
  /** False when no file was found at `path`. */
  present: boolean;
  split?: string;
  /** What the data hash is digested from: unique in the folder, independent of the split chosen. */
  key: string;
  title: string;
  /** Pixels: the record's own when it has them, else the header's. */
  width: number;
  height: number;
  /** The record of coco.images this is (COCO: the file's own object). */
  record: CocoImage;
}

/** A layout's reading, before it becomes a Project. */
export interface DatasetContent {
  kind: Exclude<ProjectKind, 'encord-active'>;
  title: string;
  splits: string[];
  split?: string;
  coco: CocoDatasetJson;
  images: DatasetImage[];
  /** Per coco.annotations index: the index into `images` of its image, -1 when it belongs to no image read. */
  annotationImage: Int32Array;
  /** Per coco.annotations index: an objectHash unique within its image, stable across splits. */
  objectHash: string[];
  /** Per coco.annotations index: Pascal VOC's difficult flag. */
  difficult?: Uint8Array;
  log: ProblemLog;
}
