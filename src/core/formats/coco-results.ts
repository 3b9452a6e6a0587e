// COCO results JSON (spec §4.3): [{image_id, category_id, bbox: [x, y, w, h] in pixels, score, segmentation?}].
// EA v0.1.40's importer for this was broken (ids looked up as category*10, width and height swapped, flat
// polygons refused); this follows the fixed semantics, and the warnings say where that differs from v0.1.40.
//
// Files in the chosen tree: every .json whose top level is an array is a results file. Beside them may lie
//   - a COCO dataset file ({images, categories, ...}): its images' file_name and its categories' names are used
//     to find data units and ontology objects;
//   - image_data_unit.json (the project's, spec §1.7) — or pass it as options.imageDataUnits.
//
// image_id -> data unit, first that answers:
//   1. options.imageMap {"<image_id>": "<data hash or data title>"} (an explicit map; a miss is a rejection);
//   2. image_data_unit.json {"<coco image id or data_title>": {"data_hash": ...}} by the image id;
//   3. the dataset file's images[].file_name for the id, matched by data-unit-match.ts (data hash stem, data title,
//      or options.namePattern), and image_data_unit.json by that file name;
//   4. a string image_id itself, matched by data-unit-match.ts.
//
// category_id -> ontology object, first that answers:
//   1. options.classMap {"<category_id>": featureNodeHash};
//   2. the ontology `id`: either the object whose id equals the category id, or (projects EA made from COCO)
//      the object with id category_id*10 + i whose shape fits the prediction (bounding_box for boxes, polygon for
//      polygons and masks). Which numbering is used is decided once per file — the one that explains more of the
//      file's category ids, plain on a tie — and named in the warnings;
//   3. the category's name from a dataset file in the tree: an object named the same, or "<name>-<shape>".
//
// Shapes (coordinates divided by the data unit's (W, H), in that order):
//   segmentation RLE (compressed string or uncompressed counts)  -> mask, kept as it is (its size must be H x W)
//   segmentation with one polygon                              -> polygon
//   segmentation with several polygon parts                    -> ONE mask: the union of the parts, rasterised as
//        pycocotools does (frPyObjects + merge), because COCO scores a multi-part detection as one object. (EA
//        made one prediction per part, which turns one detection into several, all but one false positives.)
//   no segmentation (or an empty one)                           -> box from bbox
// The file's bbox is also kept as pixels (Prediction.boxPx) so COCO-exact evaluation sees the numbers it was given.
// Boxes and polygon vertices reaching beyond the image are clipped to it (counted in the warnings; see clip.ts);
// a bbox or vertex reaching further than the image's size again (x/W outside [-1, 2]: a 1e308-wide box) is
// refused (on a dataset: beyond 1e9 px, so pycocotools' numbers stay unchanged).
//
// A dataset project (COCO, YOLO, VOC folder; spec datasets.md) is read as loadRes reads results: image_id is the
// dataset image id (or, for YOLO and VOC, an image's file stem), category_id the dataset category id; the bbox
// is kept in boxPx (area w·h) and a polygon segmentation (one part or several) becomes the mask frPyObjects
// rasterises, an RLE is kept as it is (without a bbox its area is the mask's). image_data_unit.json and dataset
// files beside the results are not used there. Record numbers in messages are 0-based indices into the list.

import type { Kernels } from '../../kernels/wasm.ts';
import { rleToCoco } from '../../kernels/rle.ts';
import { annToRle } from '../../kernels/rle-objects.ts';
import type { FileTree } from '../file-tree.ts';
import type { Prediction, Project } from '../model.ts';
import { validateClassMap } from './class-map.ts';
import { clipBox, clipPoints } from './clip.ts';
import {
  CategoryResolver,
  checkImageDataUnits,
  IMAGE_DATA_UNIT,
  imageResolver,
  type CocoResult,
  type CocoResultsOptions,
  type Dataset,
  type ImageDataUnits,
  type Kind,
} from './coco-results-match.ts';
import { defaultFrame, type MatchPreview } from './data-unit-match.ts';
import { DatasetIndex, isDatasetProject, polygonsAsMask } from './dataset.ts';
import { emptyResult, type FormatReadResult, type PredictionFormat } from './format.ts';
import { isJsonObject, jsonType, parseJsonFile } from './json-file.ts';
import { classRows, tally } from './mapping-rows.ts';
import { isAbsurd, usableSize } from './numbers.ts';
import type { ImportOptions } from './options.ts';

export {
  checkImageDataUnits,
  IMAGE_DATA_UNIT,
  readImageDataUnits,
  type CocoResultsOptions,
  type ImageDataUnits,
} from './coco-results-match.ts';

const PREVIEW_IDS = 500;

const jsonFiles = async (tree: FileTree) => (await tree.list()).filter((p) => p.toLowerCase().endsWith('.json'));

async function readTree(tree: FileTree, warnings: string[]) {
  const results: { file: string; records: unknown[] }[] = [];
  const dataset: Dataset = { fileNames: new Map(), categoryNames: new Map() };
  let imageDataUnits: ImageDataUnits | undefined;
  for (const file of await jsonFiles(tree)) {
    const value = parseJsonFile(await tree.readText(file), file);
    if (Array.isArray(value)) results.push({ file, records: value });
    else if (file.endsWith(IMAGE_DATA_UNIT) && isJsonObject(value)) imageDataUnits = checkImageDataUnits(value, file);
    else if (isJsonObject(value) && (Array.isArray(value.images) || Array.isArray(value.categories))) {
      for (const img of Array.isArray(value.images) ? value.images : []) {
        if (isJsonObject(img) && img.file_name !== undefined)
          dataset.fileNames.set(String(img.id), String(img.file_name));
      }
      for (const cat of Array.isArray(value.categories) ? value.categories : []) {
        if (isJsonObject(cat) && cat.name !== undefined) dataset.categoryNames.set(String(cat.id), String(cat.name));
      }
      warnings.push(`${file}: a COCO dataset file; its image file names and category names were used for matching`);
    } else warnings.push(`${file}: not a COCO results list; not read`);
  }
  return { results, dataset, imageDataUnits };
}

/** A results file's records, for the mapping step (files that are not results lists are skipped). */
async function resultRecords(tree: FileTree): Promise<CocoResult[]> {
  const out: CocoResult[] = [];
  for (const path of await jsonFiles(tree)) {
    let value: unknown;
    try {
      value = JSON.parse(await tree.readText(path));
    } catch {
      continue;
    }
    if (Array.isArray(value)) for (const r of value) if (isJsonObject(r)) out.push(r as CocoResult);
  }
  return out;
}

/**
 * A pixel coordinate no detector means: beyond the image's size again on an EA project (x/W outside [-1, 2]). On a
 * dataset the numbers stay exactly pycocotools' (a box past the edge is a false positive there), so only values
 * beyond DATASET_PIXEL_LIMIT (a 1e308-wide box) are refused.
 */
const DATASET_PIXEL_LIMIT = 1e9;
const farOutside = (v: number, size: number, dataset: boolean) =>
  dataset ? !(Math.abs(v) <= DATASET_PIXEL_LIMIT) : isAbsurd(v / size);

type Geometry =
  { shape: Prediction['shape']; kind: Kind; clipped?: boolean; multiPart?: boolean } | { code: string; reason: string };

/** The prediction shape of one result on unit (W, H); see the header for the EA and the dataset rules. */
function geometryOf(
  kernels: Kernels,
  r: CocoResult,
  bbox: number[] | undefined,
  W: number,
  H: number,
  dataset: boolean,
): Geometry {
  const reject = (code: string, reason: string) => ({ code, reason });
  let seg = r.segmentation;
  if (Array.isArray(seg) && seg.length === 0) seg = undefined;
  if (seg === undefined || seg === null) {
    if (!bbox) return reject('no_geometry', 'neither a bbox nor a segmentation');
    const clip = clipBox({ x: bbox[0] / W, y: bbox[1] / H, w: bbox[2] / W, h: bbox[3] / H });
    return { shape: { kind: 'box', box: clip.box }, kind: 'box', clipped: clip.clipped };
  }
  if (isJsonObject(seg)) {
    const size = seg.size;
    if (!Array.isArray(size) || size[0] !== H || size[1] !== W) {
      return reject(
        'size_mismatch',
        `the RLE size is ${JSON.stringify(size)} ([height, width]) but the image is [${H}, ${W}]`,
      );
    }
    const counts = seg.counts;
    if (typeof counts !== 'string' && !(Array.isArray(counts) && counts.every((c) => typeof c === 'number'))) {
      return reject('bad_segmentation', 'RLE counts must be a string or a list of run lengths');
    }
    return { shape: { kind: 'mask', mask: { size: [H, W], counts: counts as string | number[] } }, kind: 'mask' };
  }
  const parts = Array.isArray(seg) && seg.every((v) => typeof v === 'number') ? [seg as number[]] : seg;
  const bad =
    !Array.isArray(parts) ||
    parts.some(
      (p) =>
        !Array.isArray(p) ||
        p.length < 6 ||
        p.length % 2 === 1 ||
        !p.every((v) => typeof v === 'number' && Number.isFinite(v)),
    );
  if (bad) {
    return reject('bad_segmentation', 'polygons must be lists [x0, y0, x1, y1, ...] of at least 3 points (6 numbers)');
  }
  const polygons = parts as number[][];
  const far = polygons.some((p) => p.some((v, i) => farOutside(v, i % 2 === 0 ? W : H, dataset)));
  if (far) return reject('absurd_geometry', `a polygon vertex lies far outside the ${W}x${H} image`);
  if (dataset) {
    return { shape: { kind: 'mask', mask: polygonsAsMask(kernels, polygons, H, W) }, kind: 'polygon' };
  }
  if (polygons.length === 1) {
    const p = polygons[0];
    const points: [number, number][] = [];
    for (let i = 0; i < p.length; i += 2) points.push([p[i] / W, p[i + 1] / H]);
    const clip = clipPoints(points);
    return { shape: { kind: 'polygon', points: clip.points }, kind: 'polygon', clipped: clip.clipped };
  }
  return { shape: { kind: 'mask', mask: rleToCoco(annToRle(kernels, polygons, H, W)) }, kind: 'mask', multiPart: true };
}

export const cocoResultsReader: PredictionFormat = {
  id: 'coco',
  label: 'COCO results JSON ([{image_id, category_id, bbox, score, segmentation}])',
  short: 'COCO',
  detectReason: 'a JSON array of {image_id, category_id, bbox|segmentation, score}: COCO results',
  defaults:
    'image_id through image_data_unit.json or a dataset file (the image id on a dataset); category_id = ontology id (the category id on a dataset)',
  options: ['classMap', 'namePattern'],

  async detect(tree) {
    for (const file of (await jsonFiles(tree)).slice(0, 4)) {
      const head = (await tree.readText(file)).slice(0, 2000).trimStart();
      if (head.startsWith('[') && /"image_id"/.test(head) && /"category_id"/.test(head)) return true;
    }
    return false;
  },

  async classKeys(project, tree) {
    const keys = (await resultRecords(tree))
      .filter((r) => r.category_id !== undefined)
      .map((r) => String(r.category_id));
    const dataset = isDatasetProject(project) ? new DatasetIndex(project) : undefined;
    const target = (k: string) =>
      dataset
        ? dataset.category(k)?.featureNodeHash
        : project.ontology.objects.find((o) => o.id === k)?.featureNodeHash;
    return {
      mapsClasses: true,
      keyLabel: 'COCO category id',
      classes: classRows(tally(keys), target),
      note: dataset
        ? "Default: category_id = the dataset's category id."
        : 'Default: the ontology object whose id is the category id (or, for projects made from COCO, id = category x 10 + shape; decided by the reader).',
    };
  },

  async preview(project, tree, options) {
    const ids = new Map<string, unknown>();
    for (const r of await resultRecords(tree)) {
      if (r.image_id !== undefined && ids.size < PREVIEW_IDS)
        ids.set(`${typeof r.image_id}:${String(r.image_id)}`, r.image_id);
    }
    const idu = options.imageDataUnits;
    const dataset = isDatasetProject(project);
    const resolve = imageResolver(
      project,
      { imageDataUnits: idu, namePattern: options.namePattern },
      { fileNames: new Map(), categoryNames: new Map() },
      idu,
    );
    const matches = [...ids.values()].map((id): MatchPreview => {
      const du = resolve(id);
      return typeof du === 'string'
        ? {
            path: `image_id ${String(id)}`,
            code: 'no_match',
            reason: dataset ? du : idu ? `not in image_data_unit.json` : du,
          }
        : {
            path: `image_id ${String(id)}`,
            dataHash: du.dataHash,
            title: du.title,
            frame: du.sequence,
            rule: 'data_hash',
          };
    });
    return {
      matchesFiles: false,
      matches,
      note: dataset
        ? "Image ids are the dataset's image ids (or, for YOLO and VOC, an image's file stem)."
        : idu
          ? `Image ids are looked up in the project's image_data_unit.json (${Object.keys(idu).length} entries).`
          : 'The project has no image_data_unit.json: image ids are matched through a COCO dataset file beside the results, or as data titles.',
    };
  },

  async read(kernels: Kernels, project: Project, tree: FileTree, opts: ImportOptions): Promise<FormatReadResult> {
    const options = opts as CocoResultsOptions;
    const result = emptyResult();
    const { predictions, origins, report } = result;
    const onDataset = isDatasetProject(project);
    const { results, dataset, imageDataUnits: found } = await readTree(tree, report.warnings);
    if (results.length === 0) throw new Error(`${tree.name}: no COCO results file (a JSON list of detections)`);
    const imageDataUnits = options.imageDataUnits ?? found;
    const classMap = options.classMap
      ? validateClassMap(project.ontology, options.classMap, 'the class map')
      : undefined;
    const unitFor = imageResolver(project, options, dataset, imageDataUnits);
    const datasetClasses = onDataset ? new DatasetIndex(project) : undefined;
    let multiPart = 0;
    let droppedEmptySegmentation = 0;
    let clipped = 0;

    for (const { file, records } of results) {
      const categoryIds = [...new Set(records.map((r) => String(isJsonObject(r) ? r.category_id : '')))];
      const categories = new CategoryResolver(project.ontology, dataset.categoryNames, categoryIds);
      if (!classMap) {
        report.warnings.push(
          onDataset
            ? `${file}: category ids matched to the dataset's category ids`
            : categories.numbering === 'coco-import'
              ? `${file}: category ids matched to ontology ids category_id*10 + shape index (the numbering of projects EA made from COCO; EA v0.1.40 itself looked the plain id up and failed)`
              : `${file}: category ids matched to ontology object ids`,
        );
      }
      for (const [index, raw] of records.entries()) {
        if (index % 5000 === 0) {
          options.signal?.throwIfAborted();
          options.onProgress?.({ done: index, total: records.length, current: file });
        }
        const reject = (code: string, reason: string) => report.rejected.push({ file, record: index, code, reason });
        if (!isJsonObject(raw)) {
          reject('bad_record', `not an object but ${jsonType(raw)}`);
          continue;
        }
        const r = raw as CocoResult;
        const du = unitFor(r.image_id);
        if (typeof du === 'string') {
          reject('unknown_image', du);
          continue;
        }
        const score = r.score;
        if (typeof score !== 'number' || !Number.isFinite(score)) {
          reject('bad_score', `score ${JSON.stringify(score) ?? 'missing'} is not a number`);
          continue;
        }
        const [W, H] = [du.width, du.height];
        if (!usableSize(W, H)) {
          reject('bad_image_size', `image ${du.title || du.dataHash} has no usable size (${W}x${H})`);
          continue;
        }
        let bbox: number[] | undefined;
        if (r.bbox !== undefined) {
          if (
            !Array.isArray(r.bbox) ||
            r.bbox.length !== 4 ||
            !r.bbox.every((v) => typeof v === 'number' && Number.isFinite(v)) ||
            r.bbox[2] < 0 ||
            r.bbox[3] < 0
          ) {
            reject('bad_box', `bbox ${JSON.stringify(r.bbox)} is not [x, y, width, height] with width, height >= 0`);
            continue;
          }
          bbox = r.bbox as number[];
          const [x, y, w, h] = bbox;
          const far = (v: number, size: number) => farOutside(v, size, onDataset);
          if (far(x, W) || far(y, H) || far(x + w, W) || far(y + h, H)) {
            reject('absurd_geometry', `bbox ${JSON.stringify(bbox)} lies far outside the ${W}x${H} image`);
            continue;
          }
        }
        if ((r.segmentation === null || (Array.isArray(r.segmentation) && r.segmentation.length === 0)) && bbox) {
          droppedEmptySegmentation++;
        }
        const geometry = geometryOf(kernels, r, bbox, W, H, onDataset);
        if ('code' in geometry) {
          reject(
            geometry.code,
            geometry.code === 'size_mismatch'
              ? geometry.reason.replace('the image', `data unit ${du.dataHash}`)
              : geometry.reason,
          );
          continue;
        }
        const categoryKey = String(r.category_id);
        const featureHash = classMap
          ? classMap.get(categoryKey)
          : onDataset
            ? datasetClasses!.category(r.category_id)?.featureNodeHash
            : categories.resolve(categoryKey, geometry.kind)?.featureNodeHash;
        if (featureHash === undefined) {
          reject(
            'unknown_class',
            onDataset && !classMap
              ? `category_id ${categoryKey} is not a category of the dataset`
              : `category_id ${categoryKey} matches no ontology object${classMap ? ' in the class map' : ''}`,
          );
          continue;
        }
        if (geometry.clipped) clipped++;
        if (geometry.multiPart) multiPart++;
        const prediction: Prediction = {
          dataHash: du.dataHash,
          frame: defaultFrame(du),
          confidence: score,
          featureHash,
          shape: geometry.shape,
        };
        if (bbox) prediction.boxPx = { x: bbox[0], y: bbox[1], w: bbox[2], h: bbox[3] };
        predictions.push(prediction);
        origins.push({ file, record: index });
      }
    }
    options.onProgress?.({ done: 1, total: 1 });
    if (multiPart > 0) {
      report.warnings.push(
        `${multiPart} multi-part polygon detection(s) became one mask each (the union of the parts, as COCO scores them); EA made one prediction per part`,
      );
    }
    if (clipped > 0)
      report.warnings.push(
        `${clipped} box(es) or polygon(s) reaching beyond their image were clipped to it (boxPx keeps the file's box)`,
      );
    if (droppedEmptySegmentation > 0) {
      report.warnings.push(
        `${droppedEmptySegmentation} detection(s) with an empty segmentation were read from their bbox`,
      );
    }
    if (onDataset && predictions.some((p) => p.shape.kind === 'mask' && p.boxPx === undefined)) {
      report.warnings.push('segmentation results without a bbox: their area is the mask area, as loadRes gives it');
    }
    if (!onDataset && predictions.some((p) => p.shape.kind !== 'mask')) {
      report.warnings.push('pixel coordinates divided by (width, height) in that order (EA v0.1.40 swapped them)');
    }
    report.imported = predictions.length;
    return result;
  },
};
