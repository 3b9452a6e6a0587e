// Subsets of the images, for relabelling and retraining: a COCO dataset (the chosen images, their labels and every
// category; optionally the run's predictions on them as COCO results), a YOLO image list (`./<path>` per line, as
// Ultralytics reads a train.txt beside the folder), or a plain list of the image paths.
//
// A dataset's subset is its own COCO ground truth filtered to the chosen images (every field as the file had it).
// An Encord Active project's labels become COCO ground truth the way predlens' COCO evaluation converts them
// (project-to-coco.ts), with the image ids of coco-ids.ts and the image paths as file_name.
import type { Kernels } from '../../kernels/wasm.ts';
import { FrameIndex } from '../eval/active/frames.ts';
import { projectToCoco } from '../eval/project-to-coco.ts';
import type { CocoDatasetJson, Prediction, Project } from '../model.ts';
import { imagePathFor } from '../project/images.ts';
import { CocoIds, type ImageDataUnitsJson } from './coco-ids.ts';
import { cocoResults, type CocoResult } from './predictions.ts';

/** An image of the project: a data unit and its frame (an image's own frame, or a video frame). */
export interface ImageRef {
  unitIndex: number;
  frame: number;
}

export const SUBSET_FORMATS = ['coco', 'yolo-list', 'paths'] as const;
export type SubsetFormat = (typeof SUBSET_FORMATS)[number];

const refKey = (project: Project, r: ImageRef) =>
  project.dataUnits[r.unitIndex]?.dataType === 'video' ? `${r.unitIndex}:${r.frame}` : `${r.unitIndex}`;

/** The refs once each, in project order (the order a subset lists its images). */
export function distinctImages(project: Project, refs: Iterable<ImageRef>): ImageRef[] {
  const seen = new Map<string, ImageRef>();
  for (const r of refs) {
    const unit = project.dataUnits[r.unitIndex];
    if (!unit) continue;
    const ref =
      unit.dataType === 'video' ? r : { unitIndex: r.unitIndex, frame: unit.frames[0]?.frame ?? unit.sequence };
    const k = refKey(project, ref);
    if (!seen.has(k)) seen.set(k, ref);
  }
  return [...seen.values()].sort((a, b) => a.unitIndex - b.unitIndex || a.frame - b.frame);
}

/** The paths of the images, one per line (images without pixels in the folder are left out and counted). */
export function pathList(project: Project, refs: readonly ImageRef[], prefix = ''): { text: string; missing: number } {
  const lines: string[] = [];
  let missing = 0;
  for (const r of refs) {
    const path = imagePathFor(project.dataUnits[r.unitIndex], r.frame);
    if (path) lines.push(prefix + path);
    else missing++;
  }
  return { text: lines.length > 0 ? lines.join('\n') + '\n' : '', missing };
}

export const yoloImageList = (project: Project, refs: readonly ImageRef[]) => pathList(project, refs, './');

export interface CocoSubset {
  dataset: CocoDatasetJson;
  /** The run's predictions on the same images, when predictions were given. */
  results?: CocoResult[];
}

/** The chosen images as a COCO dataset (and the predictions on them as COCO results). */
export function cocoSubset(
  kernels: Kernels,
  project: Project,
  refs: readonly ImageRef[],
  options: { predictions?: readonly Prediction[]; imageDataUnits?: ImageDataUnitsJson } = {},
): CocoSubset {
  const ids = new CocoIds(project, options.imageDataUnits);
  const wanted = new Map<number, ImageRef>();
  for (const r of refs) {
    const unit = project.dataUnits[r.unitIndex];
    const id = unit && ids.imageId(r.unitIndex, r.frame, unit.dataType === 'video');
    if (id !== undefined) wanted.set(id, r);
  }
  const dataset = project.dataset
    ? datasetSubset(project.dataset.coco, wanted)
    : projectSubset(kernels, project, ids, wanted);
  const results = options.predictions
    ? cocoResults(kernels, project, options.predictions, { ids, only: new Set(wanted.keys()) }).value
    : undefined;
  return { dataset, results };
}

function datasetSubset(coco: CocoDatasetJson, wanted: Map<number, ImageRef>): CocoDatasetJson {
  return {
    ...coco,
    images: coco.images.filter((i) => wanted.has(i.id)),
    annotations: coco.annotations.filter((a) => wanted.has(a.image_id)),
    categories: coco.categories,
  };
}

type Annotation = CocoDatasetJson['annotations'][number];

function projectSubset(
  kernels: Kernels,
  project: Project,
  ids: CocoIds,
  wanted: Map<number, ImageRef>,
): CocoDatasetJson {
  // projectToCoco numbers the labelled frames in this order when it is given no predictions (a FrameIndex walked over
  // every unit's labelled frames); replaying it maps its image ids back to frames.
  const converted = projectToCoco(kernels, project, []);
  const frames = new FrameIndex(project);
  project.dataUnits.forEach((du, unit) => {
    for (const fl of du.frames) frames.frameOf(unit, fl.frame);
  });
  if (frames.frames.length !== converted.gt.images.length)
    throw new Error('internal: the COCO conversion of the labels numbered its images differently than expected');
  const imageIdOfConverted = frames.frames.map((f) => {
    const unit = project.dataUnits[f.dataUnitIndex];
    return ids.imageId(f.dataUnitIndex, f.frame, unit.dataType === 'video');
  });

  const images = [...wanted.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([id, r]) => {
      const unit = project.dataUnits[r.unitIndex];
      return {
        id,
        file_name: imagePathFor(unit, r.frame) ?? unit.title,
        width: unit.width,
        height: unit.height,
        ...(unit.dataType === 'video' ? { frame: r.frame } : {}),
        data_hash: unit.dataHash,
      };
    });
  const annotations = (converted.gt.annotations as Annotation[]).flatMap((a) => {
    const id = imageIdOfConverted[a.image_id - 1];
    return id !== undefined && wanted.has(id) ? [{ ...a, image_id: id }] : [];
  });
  const categories = converted.gt.categories as CocoDatasetJson['categories'];
  return { images, annotations, categories };
}

export function cocoJson(value: unknown): string {
  return JSON.stringify(value) + '\n';
}
