// COCO evaluation of a dataset (COCO, YOLO, VOC folder): the ground truth is Project.dataset.coco exactly as read
// (the user's own JSON for COCO, the spec's conversion for YOLO and VOC), and each prediction becomes a COCO result
// on its image's own id (DataUnit.imageId) and its class's own category id (OntologyObject.categoryId), keeping the
// pixel box and the segmentation as given (Prediction.boxPx; masks as written). So the numbers are pycocotools' on
// the source JSON. `evaluateDatasetResults` evaluates a COCO results JSON against the dataset unchanged.
import type { Kernels } from '../../kernels/wasm.ts';
import { eaPolygonRle } from '../../kernels/raster.ts';
import { rleToString } from '../../kernels/rle.ts';
import type { CocoDatasetJson, Points, Prediction, Project } from '../model.ts';
import type { IouType } from './coco/index.ts';
import { segmentationKindOf } from '../datasets/segmentation.ts';

/** The dataset cannot be evaluated as asked (several COCO annotation files and no split). */
export class DatasetEvalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatasetEvalError';
  }
}

export interface DatasetCoco {
  iouType: IouType;
  gt: CocoDatasetJson;
  results: object[];
  imageIdsWithPredictions: number[];
  excluded: { source: number; reason: string }[];
  skippedLabels: Record<string, number>;
  notes: string[];
  /** As ProjectCoco.origin: images and annotations in gt order, results by the prediction they came from. */
  origin: { images: { dataUnit: number; frame: number }[]; annotations: string[]; results: number[] };
}

/**
 * Where a dataset's COCO images and annotations are in the project: per gt image its data unit (index into
 * project.dataUnits) and frame, per gt annotation the objectHash of its label ('' for one that is not a label,
 * e.g. of an unknown category). Annotation ids may repeat, so labels are taken in order per image and id.
 */
export function datasetOrigin(project: Project, gt: CocoDatasetJson): Omit<DatasetCoco['origin'], 'results'> {
  const unitOfImage = new Map<number, { dataUnit: number; frame: number }>();
  const hashes = new Map<string, string[]>();
  project.dataUnits.forEach((unit, dataUnit) => {
    if (unit.imageId === undefined) return;
    unitOfImage.set(unit.imageId, { dataUnit, frame: unit.frameNumbers[0] ?? unit.sequence });
    for (const frame of unit.frames)
      for (const o of frame.objects) {
        if (!o.dataset) continue;
        const key = `${unit.imageId}|${o.dataset.id}`;
        const list = hashes.get(key);
        if (list) list.push(o.objectHash);
        else hashes.set(key, [o.objectHash]);
      }
  });
  const taken = new Map<string, number>();
  const annotations = gt.annotations.map((a) => {
    const key = `${a.image_id}|${a.id}`;
    const n = taken.get(key) ?? 0;
    taken.set(key, n + 1);
    return hashes.get(key)?.[n] ?? '';
  });
  const images = gt.images.map((img) => unitOfImage.get(img.id) ?? { dataUnit: -1, frame: -1 });
  return { images, annotations };
}

type Xywh = [number, number, number, number];

const flatPixels = (points: Points, W: number, H: number) => {
  const out = new Array<number>(2 * points.length);
  for (let i = 0; i < points.length; i++) {
    out[2 * i] = points[i][0] * W;
    out[2 * i + 1] = points[i][1] * H;
  }
  return out;
};

function pixelBox(xy: number[]): Xywh {
  let x1 = Infinity,
    y1 = Infinity,
    x2 = -Infinity,
    y2 = -Infinity;
  for (let i = 0; i + 1 < xy.length; i += 2) {
    x1 = Math.min(x1, xy[i]);
    x2 = Math.max(x2, xy[i]);
    y1 = Math.min(y1, xy[i + 1]);
    y2 = Math.max(y2, xy[i + 1]);
  }
  return [x1, y1, x2 - x1, y2 - y1];
}

/** Throws DatasetEvalError when the dataset's ids are not one COCO id space (several annotation files read). */
export function requireOneIdSpace(project: Project): CocoDatasetJson {
  const dataset = project.dataset;
  if (!dataset) throw new DatasetEvalError(`${project.source} is not a dataset folder`);
  if (dataset.kind === 'coco' && dataset.split === undefined && dataset.splits.length > 1) {
    throw new DatasetEvalError(
      `${project.source} has ${dataset.splits.length} COCO annotation files (splits ${dataset.splits.join(', ')}) ` +
        'whose image and annotation ids repeat across files; COCO evaluation needs one: choose a split ' +
        '(--split NAME on the command line, the split selector in the page)',
    );
  }
  return dataset.coco;
}

/** The notes a COCO evaluation of this ground truth deserves (pycocotools quirks the dataset triggers). */
export function groundTruthNotes(gt: CocoDatasetJson): string[] {
  const notes: string[] = [];
  let zero = 0;
  for (const a of gt.annotations) if (a.id === 0) zero++;
  if (zero > 0) {
    notes.push(
      `${zero} ground-truth annotation(s) have id 0, which pycocotools can never match (it stores matches by id and ` +
        'reads 0 as "unmatched"): a detection of one counts as a false positive, as in pycocotools.',
    );
  }
  return notes;
}

/** Whether every annotation pycocotools would rasterise for segm has a segmentation. */
function segmentable(gt: CocoDatasetJson): boolean {
  return gt.annotations.every((a) => segmentationKindOf(a) !== 'none');
}

export function datasetToCoco(
  kernels: Kernels,
  project: Project,
  predictions: readonly Prediction[],
  options: { iouType?: IouType } = {},
): DatasetCoco {
  const gt = requireOneIdSpace(project);
  const categoryOf = new Map<string, number>();
  for (const o of project.ontology.objects)
    if (o.categoryId !== undefined) categoryOf.set(o.featureNodeHash, o.categoryId);
  const notes = groundTruthNotes(gt);
  const excluded: DatasetCoco['excluded'] = [];
  const results: object[] = [];
  const resultSource: number[] = [];
  const withPredictions = new Set<number>();
  let areaShapes = 0;
  let holes = 0;
  predictions.forEach((p, source) => {
    const unit = project.byDataHash.get(p.dataHash.toLowerCase());
    if (!unit || unit.imageId === undefined) {
      return void excluded.push({ source, reason: `data hash ${p.dataHash} is not an image of the dataset` });
    }
    if (p.shape.kind === 'classification') {
      return void excluded.push({ source, reason: 'a classification prediction (not part of COCO detection)' });
    }
    const category = categoryOf.get(p.featureHash);
    if (category === undefined) {
      return void excluded.push({ source, reason: `featureHash ${p.featureHash} is not a class of the dataset` });
    }
    const W = unit.width;
    const H = unit.height;
    const base = { image_id: unit.imageId, category_id: category, score: p.confidence };
    const given: Xywh | undefined = p.boxPx ? [p.boxPx.x, p.boxPx.y, p.boxPx.w, p.boxPx.h] : undefined;
    const shape = p.shape;
    if (shape.kind === 'box') {
      const { x, y, w, h } = shape.box;
      results.push({ ...base, bbox: given ?? [x * W, y * H, w * W, h * H] });
    } else if (shape.kind === 'polygon') {
      areaShapes++;
      const xy = flatPixels(shape.points, W, H);
      if (shape.holes?.length) {
        // COCO polygons have no holes (several parts are a union): such a polygon goes as its mask.
        holes++;
        const rle = eaPolygonRle(kernels, shape.points, shape.holes, W, H);
        results.push({
          ...base,
          bbox: given ?? pixelBox(xy),
          segmentation: { size: [rle.h, rle.w], counts: rleToString(rle) },
        });
      } else results.push({ ...base, bbox: given ?? pixelBox(xy), segmentation: [xy] });
    } else {
      areaShapes++;
      // As written; without a given box the result has none, so loadRes gives it the mask's area.
      const segmentation = shape.mask;
      results.push(given ? { ...base, bbox: given, segmentation } : { ...base, segmentation });
    }
    withPredictions.add(unit.imageId);
    resultSource.push(source);
  });
  if (holes > 0) notes.push(`${holes} polygon(s) with holes were sent to COCO as masks.`);
  const allShapes = areaShapes > 0 && areaShapes === results.length;
  const iouType: IouType = options.iouType ?? (allShapes && segmentable(gt) ? 'segm' : 'bbox');
  if (iouType === 'segm' && !segmentable(gt)) {
    throw new DatasetEvalError(
      `${project.source}: some ground-truth annotations have no segmentation (box-only rows or records), so ` +
        'pycocotools cannot evaluate segm on them; use --iou-type bbox',
    );
  }
  return {
    iouType,
    gt,
    results,
    imageIdsWithPredictions: [...withPredictions].sort((a, b) => a - b),
    excluded,
    skippedLabels: {},
    notes,
    origin: { ...datasetOrigin(project, gt), results: resultSource },
  };
}

/**
 * Notes on a COCO results list against the dataset: category ids the dataset does not have (pycocotools drops
 * them silently), with the likely reason (0-based class indices, or COCO's 80 contiguous classes).
 */
export function resultCategoryNotes(gt: CocoDatasetJson, results: unknown): string[] {
  if (!Array.isArray(results)) return [];
  const known = new Set(gt.categories.map((c) => c.id));
  const unknown = new Map<unknown, number>();
  for (const r of results) {
    const id = (r as { category_id?: unknown })?.category_id;
    if (!known.has(id as number)) unknown.set(id, (unknown.get(id) ?? 0) + 1);
  }
  if (unknown.size === 0) return [];
  const ids = [...unknown.keys()].filter((v): v is number => typeof v === 'number').sort((a, b) => a - b);
  const total = [...unknown.values()].reduce((a, b) => a + b, 0);
  const gtIds = [...known].sort((a, b) => a - b);
  let why = '';
  if (ids[0] === 0 && !known.has(0)) why = ' They look 0-based (class indices), while the dataset numbers from 1.';
  else if (gtIds.at(-1) === 90 && ids.length > 0 && ids.at(-1)! < 80) {
    why = " They look like COCO's 80 contiguous class indices, while the dataset uses COCO's ids 1-90.";
  }
  return [
    `${total} result(s) have category ids the dataset does not have (${ids.slice(0, 10).join(', ')}` +
      `${ids.length > 10 ? ', ...' : ''}); pycocotools ignores them, and so does this evaluation.${why}`,
  ];
}
