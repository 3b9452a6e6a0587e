// COCO evaluation of a project: its labels become COCO ground truth and the predictions COCO results, then
// pycocotools' COCOeval runs unchanged (core/eval/coco). The translation:
// - images: every frame of every data unit (a video frame is its own image); ids 1..n in project order;
// - categories: the ontology's bounding-box and polygon objects; id = position in ontology.objects + 1;
// - ground truth: box labels as pixel [x, y, w, h] with area w·h (and their rectangle as segmentation); polygon
//   labels as one pixel polygon, its bounding box, and the area of the polygon rasterised as COCO does;
// - results: boxes as bbox; polygons as a pixel polygon plus its bbox (with holes: their mask); masks as a
//   compressed RLE plus its bbox
//   (every result carries a bbox, so loadRes reads all of them the same way);
// - classification predictions are not part of COCO detection and are left out (reported).
// iouType: 'segm' when every category with labels is a polygon class, else 'bbox' (override with the option).
// A dataset (COCO, YOLO, VOC folder) is evaluated against its own COCO ground truth instead: dataset-to-coco.ts.
import type { Kernels } from '../../kernels/wasm.ts';
import { eaPolygonRle } from '../../kernels/raster.ts';
import { rleArea, rleFromCoco, rleFromPolygon, rleToBbox, rleToString } from '../../kernels/rle.ts';
import type { Points, Prediction, Project } from '../model.ts';
import { FrameIndex } from './active/frames.ts';
import { numpyMean } from './pairwise-sum.ts';
import { cocoEvaluate, type CocoEvalResult, type IouType } from './coco/index.ts';
import {
  datasetOrigin,
  datasetToCoco,
  groundTruthNotes,
  requireOneIdSpace,
  resultCategoryNotes,
} from './dataset-to-coco.ts';

export interface ProjectCocoOptions {
  iouType?: IouType;
  /** Evaluate only the images (frames) that have at least one prediction. */
  ignoreFramesWithoutPredictions?: boolean;
}

export interface ProjectCoco {
  iouType: IouType;
  gt: { images: object[]; categories: object[]; annotations: object[] };
  results: object[];
  /** COCO image ids of the frames with at least one (used) prediction, ascending. */
  imageIdsWithPredictions: number[];
  /** Predictions not turned into results: index into the given list and why. */
  excluded: { source: number; reason: string }[];
  /** Labels not turned into ground truth, by kind. */
  skippedLabels: Record<string, number>;
  notes: string[];
  /** Where each COCO object came from, for views that go back to the project (TIDE types on cards). */
  origin: {
    /** Per GT image, in gt.images order: the data unit (index into project.dataUnits) and frame. */
    images: { dataUnit: number; frame: number }[];
    /** Per GT annotation, in order: the label object's hash. */
    annotations: string[];
    /** Per result: the index into the predictions given. */
    results: number[];
  };
}

type Xywh = [number, number, number, number];

const flatPixels = (points: Points, W: number, H: number) => points.flatMap(([x, y]) => [x * W, y * H]);

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

const rectangle = ([x, y, w, h]: Xywh) => [[x, y, x, y + h, x + w, y + h, x + w, y]];

export function projectToCoco(
  kernels: Kernels,
  project: Project,
  predictions: readonly Prediction[],
  options: ProjectCocoOptions = {},
): ProjectCoco {
  if (project.dataset) return datasetToCoco(kernels, project, predictions, options);
  const frames = new FrameIndex(project);
  const categoryOf = new Map<string, { id: number; shape: string }>();
  const categories: object[] = [];
  project.ontology.objects.forEach((o, i) => {
    if ((o.shape !== 'bounding_box' && o.shape !== 'polygon') || categoryOf.has(o.featureNodeHash)) return;
    categoryOf.set(o.featureNodeHash, { id: i + 1, shape: o.shape });
    categories.push({ id: i + 1, name: o.name, supercategory: o.shape });
  });

  // Labelled frames first, in project order.
  const skippedLabels: Record<string, number> = {};
  const skip = (kind: string) => (skippedLabels[kind] = (skippedLabels[kind] ?? 0) + 1);
  const labelled: {
    frame: number;
    category: number;
    kind: 'box' | 'polygon';
    xy: number[];
    W: number;
    H: number;
    objectHash: string;
  }[] = [];
  project.dataUnits.forEach((du, unit) => {
    for (const fl of du.frames) {
      const frame = frames.frameOf(unit, fl.frame);
      for (const o of fl.objects) {
        const cat = categoryOf.get(o.featureHash);
        const g = o.geometry;
        if (!cat) skip('object_of_unknown_or_unsupported_class');
        else if (g.kind === 'box' && cat.shape === 'bounding_box') {
          const { x, y, w, h } = g.box;
          labelled.push({
            frame,
            category: cat.id,
            kind: 'box',
            xy: [x * du.width, y * du.height, w * du.width, h * du.height],
            W: du.width,
            H: du.height,
            objectHash: o.objectHash,
          });
        } else if (g.kind === 'polygon' && cat.shape === 'polygon') {
          labelled.push({
            frame,
            category: cat.id,
            kind: 'polygon',
            xy: flatPixels(g.points, du.width, du.height),
            W: du.width,
            H: du.height,
            objectHash: o.objectHash,
          });
        } else skip(g.kind === 'rotatable_box' ? 'rotatable_box' : `${g.kind}_label`);
      }
    }
  });

  const labelledShapes = new Set(labelled.map((l) => (l.kind === 'polygon' ? 'polygon' : 'box')));
  const iouType: IouType =
    options.iouType ?? (labelledShapes.size === 1 && labelledShapes.has('polygon') ? 'segm' : 'bbox');
  const notes: string[] = [];
  if (!options.iouType && labelledShapes.size > 1) {
    notes.push('The project has box and polygon classes: evaluated as COCO bbox (polygons by their bounding boxes).');
  }

  const annotations = labelled.map((l, i) => {
    if (l.kind === 'box') {
      const bbox = l.xy as Xywh;
      return {
        id: i + 1,
        image_id: l.frame + 1,
        category_id: l.category,
        bbox,
        area: bbox[2] * bbox[3],
        iscrowd: 0,
        segmentation: rectangle(bbox),
      };
    }
    const area = rleArea(rleFromPolygon(kernels, l.xy, l.H, l.W));
    return {
      id: i + 1,
      image_id: l.frame + 1,
      category_id: l.category,
      bbox: pixelBox(l.xy),
      area,
      iscrowd: 0,
      segmentation: [l.xy],
    };
  });

  const excluded: ProjectCoco['excluded'] = [];
  const results: object[] = [];
  const resultSource: number[] = [];
  const withPredictions = new Set<number>();
  predictions.forEach((p, source) => {
    const unit = frames.unitOf(p.dataHash);
    if (unit < 0) return void excluded.push({ source, reason: `data hash ${p.dataHash} is not in the project` });
    if (p.shape.kind === 'classification')
      return void excluded.push({ source, reason: 'a classification prediction (not part of COCO detection)' });
    const cat = categoryOf.get(p.featureHash);
    if (!cat)
      return void excluded.push({
        source,
        reason: `featureHash ${p.featureHash} is not a bounding-box or polygon object of the ontology`,
      });
    const du = project.dataUnits[unit];
    const W = du.width;
    const H = du.height;
    const imageId = frames.frameOf(unit, p.frame) + 1;
    const base = { image_id: imageId, category_id: cat.id, score: p.confidence };
    const shape = p.shape;
    if (shape.kind === 'box') {
      const { x, y, w, h } = shape.box;
      results.push({ ...base, bbox: [x * W, y * H, w * W, h * H] });
    } else if (shape.kind === 'polygon') {
      const xy = flatPixels(shape.points, W, H);
      if (shape.holes?.length) {
        // COCO polygons have no holes (several parts are a union): such a polygon goes as its EA fillPoly mask.
        const rle = eaPolygonRle(kernels, shape.points, shape.holes, W, H);
        results.push({ ...base, bbox: pixelBox(xy), segmentation: { size: [rle.h, rle.w], counts: rleToString(rle) } });
        notes.push('Polygons with holes were sent to COCO as masks (rasterised as Encord Active does).');
      } else results.push({ ...base, bbox: pixelBox(xy), segmentation: [xy] });
    } else {
      const rle = rleFromCoco(shape.mask);
      results.push({ ...base, bbox: rleToBbox(rle), segmentation: { size: [rle.h, rle.w], counts: rleToString(rle) } });
    }
    resultSource.push(source);
    withPredictions.add(imageId);
  });

  const images = frames.frames.map((f, i) => {
    const du = project.dataUnits[f.dataUnitIndex];
    return {
      id: i + 1,
      width: du.width,
      height: du.height,
      file_name: du.dataType === 'video' ? `${du.title}#${f.frame}` : du.title,
    };
  });
  return {
    iouType,
    gt: { images, categories, annotations },
    results,
    imageIdsWithPredictions: [...withPredictions].sort((a, b) => a - b),
    excluded,
    skippedLabels,
    notes: [...new Set(notes)],
    origin: {
      images: frames.frames.map((f) => ({ dataUnit: f.dataUnitIndex, frame: f.frame })),
      annotations: labelled.map((l) => l.objectHash),
      results: resultSource,
    },
  };
}

export interface ProjectCocoEvaluation {
  coco: ProjectCoco;
  result: CocoEvalResult;
  /** stats[0]: AP @[IoU=.50:.95, area all, maxDets 100]. */
  mAP: number;
  /** stats[8]: AR @[IoU=.50:.95, area all, maxDets 100]. */
  mAR: number;
  /**
   * Per category with ground truth: AP as detectron2 reports it (mean of precision[:, :, k, all, 100] above -1) and
   * AR as the mean of recall[:, k, all, 100] above -1 (the per-category part of stats[8]).
   */
  perClass: { categoryId: number; name: string; AP: number; AR: number }[];
}

export function evaluateProjectCoco(
  kernels: Kernels,
  project: Project,
  predictions: readonly Prediction[],
  options: ProjectCocoOptions = {},
): ProjectCocoEvaluation {
  const coco = projectToCoco(kernels, project, predictions, options);
  const params = options.ignoreFramesWithoutPredictions ? { imgIds: coco.imageIdsWithPredictions } : undefined;
  const result = cocoEvaluate(kernels, coco.gt, coco.results, {
    iouType: coco.iouType,
    params,
    gtSource: project.dataset ? `${project.source} ground truth` : 'project labels',
    resultsSource: 'predictions',
  });
  return { coco, result, ...summaries(result) };
}

/**
 * A COCO results JSON (as parsed) evaluated against a dataset's ground truth, unchanged: pycocotools' COCO(gt) ->
 * loadRes(results) -> COCOeval on exactly the user's two files. `coco.results` is the given list.
 */
export function evaluateDatasetResults(
  kernels: Kernels,
  project: Project,
  results: unknown,
  options: { iouType: IouType; resultsSource?: string; ignoreFramesWithoutPredictions?: boolean },
): ProjectCocoEvaluation {
  const gt = requireOneIdSpace(project);
  const withResults = Array.isArray(results)
    ? [...new Set(results.map((r) => (r as { image_id?: unknown })?.image_id).filter((v) => typeof v === 'number'))]
    : [];
  const result = cocoEvaluate(kernels, gt, results, {
    iouType: options.iouType,
    params: options.ignoreFramesWithoutPredictions ? { imgIds: withResults as number[] } : undefined,
    gtSource: `${project.source} ground truth`,
    resultsSource: options.resultsSource ?? 'results',
  });
  const list = Array.isArray(results) ? (results as object[]) : [];
  const coco: ProjectCoco = {
    iouType: options.iouType,
    gt,
    results: list,
    imageIdsWithPredictions: (withResults as number[]).sort((a, b) => a - b),
    excluded: [],
    skippedLabels: {},
    notes: [...groundTruthNotes(gt), ...resultCategoryNotes(gt, results)],
    // The results are the file's, not imported predictions: none has a prediction behind it.
    origin: { ...datasetOrigin(project, gt), results: list.map(() => -1) },
  };
  return { coco, result, ...summaries(result) };
}

function summaries(result: CocoEvalResult) {
  const { T, K, A, M } = result.shape;
  const all = Math.max(0, result.params.areaRngLbl.indexOf('all'));
  const last = M - 1;
  const values = new Float64Array(T);
  const perClass = result.perCategoryAP.map((c, k) => {
    let n = 0;
    for (let t = 0; t < T; t++) {
      const r = result.recall[((t * K + k) * A + all) * M + last];
      if (r > -1) values[n++] = r;
    }
    return { categoryId: Number(c.categoryId), name: c.name, AP: c.ap, AR: n === 0 ? NaN : numpyMean(values, n) };
  });
  return { mAP: result.stats[0], mAR: result.stats[8], perClass };
}
