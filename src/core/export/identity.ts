// How exported rows name an image and a label, one rule for every table and subset: an Encord Active project names
// an image by its data hash (and frame), a dataset (COCO, YOLO, VOC folder) by its image id; both give the image's
// path in the opened folder. A label is its objectHash in an Encord Active project, its annotation id in a dataset.
import type { DataUnit, LabelObject, Project } from '../model.ts';
import { imagePathFor } from '../project/images.ts';

export interface ImageIdentity {
  /** The data unit's hash (Encord Active projects; empty for datasets, whose units are named by image id). */
  dataHash: string;
  /** The image's id (datasets; undefined for Encord Active projects). */
  imageId: number | undefined;
  /** The image's path in the opened folder ('' when the project has no pixels for it). */
  file: string;
  frame: number;
}

export const isDataset = (project: Project) => project.dataset !== undefined;

export function imageIdentity(project: Project, unit: DataUnit, frame: number): ImageIdentity {
  const dataset = isDataset(project);
  return {
    dataHash: dataset ? '' : unit.dataHash,
    imageId: dataset ? unit.imageId : undefined,
    file: imagePathFor(unit, frame) ?? '',
    frame,
  };
}

/** The id a label is exported under: its dataset annotation id, else its objectHash. */
export function labelIdOf(object: LabelObject): string | number {
  return object.dataset ? object.dataset.id : object.objectHash;
}

/** objectHash -> label object, per data unit, built on first use (labels are named by hash in the evaluation). */
export class LabelLookup {
  readonly #project: Project;
  readonly #byUnit = new Map<number, Map<string, LabelObject>>();

  constructor(project: Project) {
    this.#project = project;
  }

  find(unitIndex: number, objectHash: string): LabelObject | undefined {
    let map = this.#byUnit.get(unitIndex);
    if (!map) {
      map = new Map();
      const unit = this.#project.dataUnits[unitIndex];
      for (const fl of unit?.frames ?? [])
        for (const o of fl.objects) if (!map.has(o.objectHash)) map.set(o.objectHash, o);
      this.#byUnit.set(unitIndex, map);
    }
    return map.get(objectHash);
  }

  /** The exported id of the label with this hash on this unit (the hash itself when it is not an object). */
  id(unitIndex: number, hash: string): string | number {
    const object = this.find(unitIndex, hash);
    return object ? labelIdOf(object) : hash;
  }
}
