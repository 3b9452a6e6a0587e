// Predictions onto a dataset project (COCO, YOLO, Pascal VOC folders; spec datasets.md, "Predictions onto a
// dataset"): which image a prediction names and which class, in the dataset's own terms, and the geometry kept
// exactly as pycocotools' loadRes would read it.
//
// Images: a number is the dataset image id (DataUnit.imageId: COCO's own, 1..N for YOLO and VOC); a string is
// the file stem (name without folders and extension) of an image read, or the image's path as the folder has it
// (DataUnit.images[0]). A stem that names two images is refused, naming both. COCO datasets take numbers only:
// their ids are the file's own, and a string image_id is not one (pycocotools would not match it either).
// Classes: the dataset category id (OntologyObject.categoryId: COCO's own, the class index for YOLO, 1..K for VOC).
// Geometry: the pixel bbox as given is kept in Prediction.boxPx; a polygon segmentation becomes the mask
// pycocotools' frPyObjects rasterises (several parts merged), an RLE is kept as it is; the normalised shape beside
// it is for drawing and EA-style scoring.
import type { Kernels } from '../../kernels/wasm.ts';
import { rleToCoco } from '../../kernels/rle.ts';
import { annToRle } from '../../kernels/rle-objects.ts';
import type { CocoRle, DataUnit, OntologyObject, Project } from '../model.ts';
import { fileStem } from './data-unit-match.ts';

export const isDatasetProject = (project: Project): boolean => project.dataset !== undefined;

/** The dataset kind in words, for messages ("COCO", "YOLO", "VOC"). */
export function datasetName(project: Project): string {
  const kind = project.dataset?.kind ?? project.kind;
  return kind === 'coco' ? 'COCO' : kind === 'yolo' ? 'YOLO' : kind === 'voc' ? 'VOC' : 'dataset';
}

/** A dataset's images by id, stem and path, and its classes by category id; build once per import. */
export class DatasetIndex {
  readonly #project: Project;
  readonly #byId = new Map<number, DataUnit>();
  readonly #byStem = new Map<string, DataUnit[]>();
  readonly #byPath = new Map<string, DataUnit>();
  readonly #byCategory = new Map<number, OntologyObject>();

  constructor(project: Project) {
    this.#project = project;
    for (const du of project.dataUnits) {
      if (du.imageId !== undefined) this.#byId.set(du.imageId, du);
      const path = du.images[0] ?? du.title;
      this.#byPath.set(path, du);
      const stem = fileStem(path);
      const list = this.#byStem.get(stem);
      if (list) list.push(du);
      else this.#byStem.set(stem, [du]);
    }
    for (const o of project.ontology.objects) {
      if (o.categoryId !== undefined && !this.#byCategory.has(o.categoryId)) this.#byCategory.set(o.categoryId, o);
    }
  }

  isDataHash(hash: string): boolean {
    return this.#project.byDataHash.has(hash.toLowerCase());
  }

  get takesStems(): boolean {
    return this.#project.dataset?.kind !== 'coco';
  }

  /** The image a results image_id names, or why none (see the header). */
  image(imageId: unknown): DataUnit | string {
    if (typeof imageId === 'number') {
      return (
        this.#byId.get(imageId) ??
        `image_id ${imageId} is not an image id of the ${datasetName(this.#project)} dataset${this.#project.dataset?.split ? ` (split ${this.#project.dataset.split})` : ''}`
      );
    }
    if (typeof imageId === 'string') {
      if (!this.takesStems) {
        return `image_id ${JSON.stringify(imageId)} is a string; a COCO dataset's image ids are its numbers`;
      }
      return this.imageByName(imageId);
    }
    return `image_id ${JSON.stringify(imageId) ?? 'missing'} is neither an image id nor a file stem`;
  }

  /** True when `name`'s stem names several images (and no path matches exactly). */
  isAmbiguous(name: string): boolean {
    return !this.#byPath.has(name) && (this.#byStem.get(fileStem(name))?.length ?? 0) > 1;
  }

  /** The image a stem or a path names, or why none. */
  imageByName(name: string): DataUnit | string {
    const byPath = this.#byPath.get(name);
    if (byPath) return byPath;
    const units = this.#byStem.get(fileStem(name)) ?? [];
    if (units.length === 1) return units[0];
    if (units.length > 1) {
      const paths = units.map((du) => du.images[0] ?? du.title);
      return `file stem ${JSON.stringify(fileStem(name))} names ${units.length} images (${paths.slice(0, 4).join(', ')}${paths.length > 4 ? ', ...' : ''}); name the image by its id`;
    }
    return `${JSON.stringify(name)} is not the file stem of an image of the dataset`;
  }

  /** The ontology object of a category id. */
  category(categoryId: unknown): OntologyObject | undefined {
    const n = typeof categoryId === 'string' && /^\d+$/.test(categoryId) ? Number(categoryId) : categoryId;
    return typeof n === 'number' ? this.#byCategory.get(n) : undefined;
  }
}

/** Pixel polygons (one or several parts) as the mask pycocotools' frPyObjects + merge gives them. */
export function polygonsAsMask(kernels: Kernels, polygons: number[][], height: number, width: number): CocoRle {
  return rleToCoco(annToRle(kernels, polygons, height, width));
}

/** The bounds [x, y, w, h] of flat pixel points. */
export function pointBounds(xy: readonly number[]): { x: number; y: number; w: number; h: number } {
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  for (let i = 0; i + 1 < xy.length; i += 2) {
    if (xy[i] < x1) x1 = xy[i];
    if (xy[i] > x2) x2 = xy[i];
    if (xy[i + 1] < y1) y1 = xy[i + 1];
    if (xy[i + 1] > y2) y2 = xy[i + 1];
  }
  return { x: x1, y: y1, w: x2 - x1, h: y2 - y1 };
}
