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
// Boxes and polygon vertices reaching beyond the image are clipped to it (counted in the warnings; see clip.ts).

import type { Kernels } from '../../kernels/wasm.ts';
import { rleToCoco } from '../../kernels/rle.ts';
import { annToRle } from '../../kernels/rle-objects.ts';
import type { FileTree } from '../file-tree.ts';
import type { DataUnit, ImportResult, Ontology, OntologyObject, Prediction, Project } from '../model.ts';
import { validateClassMap } from './class-map.ts';
import { clipBox, clipPoints } from './clip.ts';
import { DataUnitMatcher, defaultFrame } from './data-unit-match.ts';
import type { ImportOptions } from './options.ts';
import { emptyResult, type PredictionReader } from './reader.ts';

export const IMAGE_DATA_UNIT = 'image_data_unit.json';

/** image_data_unit.json: coco image id or data title -> data unit (spec §1.7). */
export type ImageDataUnits = Record<string, { data_hash: string; height?: number; width?: number }>;

export interface CocoResultsOptions extends ImportOptions {
  /** image_id -> data hash or data title. */
  imageMap?: Record<string, string>;
  /** The project's image_data_unit.json, parsed (see readImageDataUnits). */
  imageDataUnits?: ImageDataUnits;
}

/** Reads a project's image_data_unit.json if it has one (for options.imageDataUnits). */
export async function readImageDataUnits(projectTree: FileTree): Promise<ImageDataUnits | undefined> {
  if (!(await projectTree.exists(IMAGE_DATA_UNIT))) return undefined;
  return JSON.parse(await projectTree.readText(IMAGE_DATA_UNIT)) as ImageDataUnits;
}

interface CocoResult {
  image_id?: unknown;
  category_id?: unknown;
  bbox?: unknown;
  score?: unknown;
  segmentation?: unknown;
}

interface Dataset {
  fileNames: Map<string, string>;
  categoryNames: Map<string, string>;
}

type Kind = 'box' | 'polygon' | 'mask';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Resolves category ids to ontology objects by the rules in the header (2 and 3). */
class CategoryResolver {
  readonly #ontology: Ontology;
  readonly #names: Map<string, string>;
  readonly numbering: 'plain' | 'coco-import';

  constructor(ontology: Ontology, names: Map<string, string>, categoryIds: string[]) {
    this.#ontology = ontology;
    this.#names = names;
    const plain = categoryIds.filter((c) => this.#plain(c)).length;
    const coco = categoryIds.filter((c) => this.#cocoImport(c, 'box')).length;
    this.numbering = coco > plain ? 'coco-import' : 'plain';
  }

  #plain(c: string): OntologyObject | undefined {
    return this.#ontology.objects.find((o) => o.id === c);
  }

  #cocoImport(c: string, kind: Kind): OntologyObject | undefined {
    const n = Number(c);
    if (!Number.isInteger(n) || n < 0) return undefined;
    const family = this.#ontology.objects.filter((o) => Math.floor(Number(o.id) / 10) === n && Number(o.id) >= 10);
    return family.find((o) => o.shape === shapeFor(kind)) ?? family[0];
  }

  resolve(c: string, kind: Kind): OntologyObject | undefined {
    const byId = this.numbering === 'plain' ? this.#plain(c) : this.#cocoImport(c, kind);
    if (byId) return byId;
    const name = this.#names.get(c);
    if (name === undefined) return undefined;
    const objects = this.#ontology.objects;
    const exact = objects.filter((o) => o.name === name || o.name === `${name}-${shapeFor(kind)}`);
    if (exact.length > 0) return exact[0];
    const folded = objects.filter((o) => o.name.toLowerCase() === name.toLowerCase());
    return folded.length === 1 ? folded[0] : undefined;
  }
}

function shapeFor(kind: Kind): string {
  return kind === 'box' ? 'bounding_box' : 'polygon';
}

async function readTree(tree: FileTree, warnings: string[]) {
  const results: { file: string; records: unknown[] }[] = [];
  const dataset: Dataset = { fileNames: new Map(), categoryNames: new Map() };
  let imageDataUnits: ImageDataUnits | undefined;
  for (const file of (await tree.list()).filter((p) => p.toLowerCase().endsWith('.json'))) {
    let value: unknown;
    try {
      value = JSON.parse(await tree.readText(file));
    } catch (e) {
      throw new Error(`${file}: not valid JSON: ${(e as Error).message}`, { cause: e });
    }
    if (Array.isArray(value)) results.push({ file, records: value });
    else if (file.endsWith(IMAGE_DATA_UNIT) && isRecord(value)) imageDataUnits = value as ImageDataUnits;
    else if (isRecord(value) && (Array.isArray(value.images) || Array.isArray(value.categories))) {
      for (const img of (value.images as unknown[]) ?? []) {
        if (isRecord(img) && img.file_name !== undefined) dataset.fileNames.set(String(img.id), String(img.file_name));
      }
      for (const cat of (value.categories as unknown[]) ?? []) {
        if (isRecord(cat) && cat.name !== undefined) dataset.categoryNames.set(String(cat.id), String(cat.name));
      }
      warnings.push(`${file}: a COCO dataset file; its image file names and category names were used for matching`);
    } else warnings.push(`${file}: not a COCO results list; not read`);
  }
  return { results, dataset, imageDataUnits };
}

export const cocoResultsReader: PredictionReader = {
  id: 'coco',
  label: 'COCO results JSON ([{image_id, category_id, bbox, score, segmentation}])',

  async detect(tree) {
    const json = (await tree.list()).filter((p) => p.toLowerCase().endsWith('.json'));
    for (const file of json.slice(0, 4)) {
      const head = (await tree.readText(file)).slice(0, 2000).trimStart();
      if (head.startsWith('[') && /"image_id"/.test(head) && /"category_id"/.test(head)) return true;
    }
    return false;
  },

  async read(kernels: Kernels, project: Project, tree: FileTree, opts: ImportOptions): Promise<ImportResult> {
    const options = opts as CocoResultsOptions;
    const result = emptyResult();
    const { predictions, report } = result;
    const { results, dataset, imageDataUnits: found } = await readTree(tree, report.warnings);
    if (results.length === 0) throw new Error(`${tree.name}: no COCO results file (a JSON list of detections)`);
    const imageDataUnits = options.imageDataUnits ?? found;
    const classMap = options.classMap
      ? validateClassMap(project.ontology, options.classMap, 'the class map')
      : undefined;
    const matcher = new DataUnitMatcher(project, options.namePattern);
    const units = new Map<string, DataUnit | string>(); // image id -> unit, or why none
    let multiPart = 0;
    let droppedEmptySegmentation = 0;
    let clipped = 0;

    const unitFor = (imageId: unknown): DataUnit | string => {
      const key = String(imageId);
      const cached = units.get(key);
      if (cached !== undefined) return cached;
      let answer: DataUnit | string = `image_id ${JSON.stringify(imageId)} matches no data unit`;
      const byHashOrTitle = (v: string) => matcher.byHash(v) ?? matcher.byTitle(v).unit;
      if (options.imageMap) {
        const target = options.imageMap[key];
        answer =
          target === undefined
            ? `image_id ${key} is not in the image map`
            : (byHashOrTitle(target) ?? `image map: ${JSON.stringify(target)} is neither a data hash nor a data title`);
      } else {
        const fileName = dataset.fileNames.get(key);
        const viaIdu = (k: string | undefined) =>
          k !== undefined && imageDataUnits?.[k] ? matcher.byHash(imageDataUnits[k].data_hash) : undefined;
        const viaName = (name: string | undefined) => {
          if (name === undefined) return undefined;
          const m = matcher.match(name);
          return m.ok ? m.dataUnit : undefined;
        };
        const hit =
          viaIdu(key) ??
          viaIdu(fileName) ??
          viaName(fileName) ??
          (typeof imageId === 'string' ? viaName(imageId) : undefined);
        if (hit) answer = hit;
      }
      units.set(key, answer);
      return answer;
    };

    for (const { file, records } of results) {
      const categoryIds = [...new Set(records.map((r) => String(isRecord(r) ? r.category_id : '')))];
      const categories = new CategoryResolver(project.ontology, dataset.categoryNames, categoryIds);
      if (!classMap) {
        report.warnings.push(
          categories.numbering === 'coco-import'
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
        if (!isRecord(raw)) {
          reject('bad_record', 'not an object');
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
          reject('bad_score', `score ${JSON.stringify(score)} is not a number`);
          continue;
        }
        const [W, H] = [du.width, du.height];
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
        }
        let seg = r.segmentation;
        if (seg !== undefined && seg !== null && Array.isArray(seg) && seg.length === 0) seg = undefined;
        if ((seg === null || seg === undefined) && r.segmentation !== undefined) droppedEmptySegmentation++;

        let shape: Prediction['shape'];
        let kind: Kind;
        if (seg === undefined || seg === null) {
          if (!bbox) {
            reject('no_geometry', 'neither a bbox nor a segmentation');
            continue;
          }
          kind = 'box';
          const clip = clipBox({ x: bbox[0] / W, y: bbox[1] / H, w: bbox[2] / W, h: bbox[3] / H });
          if (clip.clipped) clipped++;
          shape = { kind: 'box', box: clip.box };
        } else if (isRecord(seg)) {
          const size = seg.size;
          if (!Array.isArray(size) || size[0] !== H || size[1] !== W) {
            reject(
              'size_mismatch',
              `the RLE size is ${JSON.stringify(size)} ([height, width]) but data unit ${du.dataHash} is [${H}, ${W}]`,
            );
            continue;
          }
          if (typeof seg.counts !== 'string' && !Array.isArray(seg.counts)) {
            reject('bad_segmentation', 'RLE counts must be a string or a list of run lengths');
            continue;
          }
          kind = 'mask';
          shape = { kind: 'mask', mask: { size: [H, W], counts: seg.counts as string | number[] } };
        } else {
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
            reject('bad_segmentation', 'polygons must be lists [x0, y0, x1, y1, ...] of at least 3 points (6 numbers)');
            continue;
          }
          const polygons = parts as number[][];
          if (polygons.length === 1) {
            kind = 'polygon';
            const p = polygons[0];
            const points: [number, number][] = [];
            for (let i = 0; i < p.length; i += 2) points.push([p[i] / W, p[i + 1] / H]);
            const clip = clipPoints(points);
            if (clip.clipped) clipped++;
            shape = { kind: 'polygon', points: clip.points };
          } else {
            kind = 'mask';
            multiPart++;
            shape = { kind: 'mask', mask: rleToCoco(annToRle(kernels, polygons, H, W)) };
          }
        }

        const categoryKey = String(r.category_id);
        const featureHash = classMap
          ? classMap.get(categoryKey)
          : categories.resolve(categoryKey, kind)?.featureNodeHash;
        if (featureHash === undefined) {
          reject(
            'unknown_class',
            `category_id ${categoryKey} matches no ontology object${classMap ? ' in the class map' : ''}`,
          );
          continue;
        }
        const prediction: Prediction = {
          dataHash: du.dataHash,
          frame: defaultFrame(du),
          confidence: score,
          featureHash,
          shape,
        };
        if (bbox) prediction.boxPx = { x: bbox[0], y: bbox[1], w: bbox[2], h: bbox[3] };
        predictions.push(prediction);
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
    if (predictions.some((p) => p.shape.kind !== 'mask')) {
      report.warnings.push('pixel coordinates divided by (width, height) in that order (EA v0.1.40 swapped them)');
    }
    report.imported = predictions.length;
    return result;
  },
};
