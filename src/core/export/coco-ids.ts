// The COCO ids an export gives images and classes, one rule for the results, the dataset subsets and the report:
// - datasets keep their own: the image's id and the class's category id;
// - an Encord Active project uses the COCO image ids of its image_data_unit.json where it has one (projects made
//   from COCO), else 1..n over every image (every frame of a video) in project order; categories are the bounding-box
//   and polygon objects numbered by their place in the ontology + 1, as predlens' COCO evaluation numbers them.
import type { FormatId, OntologyObject, Project } from '../model.ts';
import { unitFrames } from './images.ts';

/** image_data_unit.json, as core/formats/coco-results.ts reads it: coco image id or title -> data unit. */
export type ImageDataUnitsJson = Record<string, { data_hash: string }>;

export interface CocoImageRef {
  id: number;
  unitIndex: number;
  frame: number;
}

export class CocoIds {
  readonly images: CocoImageRef[] = [];
  readonly #imageId = new Map<string, number>();
  readonly #categoryId = new Map<string, number>();
  readonly categories: { id: number; object: OntologyObject }[] = [];

  constructor(project: Project, imageDataUnits?: ImageDataUnitsJson) {
    const fromFile = new Map<string, number>();
    for (const [key, value] of Object.entries(imageDataUnits ?? {})) {
      const id = Number(key);
      if (Number.isInteger(id) && value?.data_hash) fromFile.set(value.data_hash.toLowerCase(), id);
    }
    const taken = new Set(fromFile.values());
    let next = 1;
    project.dataUnits.forEach((unit, unitIndex) => {
      for (const frame of unitFrames(unit)) {
        let id: number | undefined = project.dataset ? unit.imageId : undefined;
        if (id === undefined && unit.dataType !== 'video') id = fromFile.get(unit.dataHash.toLowerCase());
        if (id === undefined) {
          while (taken.has(next)) next++;
          id = next++;
        }
        taken.add(id);
        this.images.push({ id, unitIndex, frame });
        this.#imageId.set(unit.dataType === 'video' ? `${unitIndex}:${frame}` : `${unitIndex}`, id);
      }
    });
    project.ontology.objects.forEach((object, i) => {
      if (object.shape !== 'bounding_box' && object.shape !== 'polygon' && !project.dataset) return;
      if (this.#categoryId.has(object.featureNodeHash)) return;
      const id = project.dataset ? (object.categoryId ?? i + 1) : i + 1;
      this.#categoryId.set(object.featureNodeHash, id);
      this.categories.push({ id, object });
    });
  }

  /** The image id of a data unit's frame (images: any frame gives the image). */
  imageId(unitIndex: number, frame: number, video: boolean): number | undefined {
    return this.#imageId.get(video ? `${unitIndex}:${frame}` : `${unitIndex}`);
  }

  categoryId(featureHash: string): number | undefined {
    return this.#categoryId.get(featureHash);
  }
}

/** The formats a run can be written in (`export --predictions`). */
export const PREDICTION_OUT_FORMATS = ['coco', 'yolo', 'native'] as const;
export type PredictionOutFormat = (typeof PREDICTION_OUT_FORMATS)[number];

/** The import format that reads each written format back. */
export const READS_BACK_AS: Record<PredictionOutFormat, FormatId> = { coco: 'coco', yolo: 'yolo', native: 'json' };
