// Checks a parsed COCO annotation file before anything is built from it: the shapes pycocotools relies on are
// errors that name the file, the record and what is wrong; what pycocotools tolerates or the spec fills in
// (missing iscrowd, missing area) is a warning. Records are kept as written; a record that needs a filled-in field
// gets it (the record is predlens' own parse of the file), so pycocotools and predlens see the same values.
import type { CocoDatasetJson } from '../model.ts';
import type { ProblemLog } from '../project/problems.ts';
import { recordError } from './errors.ts';
import { segmentationKindOf } from './segmentation.ts';

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Validates `json` (the parsed `file`) in place and returns it typed. Throws ProjectFileError. */
export function checkCocoFile(json: unknown, file: string, log: ProblemLog): CocoDatasetJson {
  if (!isRecord(json)) throw recordError(file, 'top level', 'a COCO annotation file is a JSON object');
  const { images, categories } = json;
  const annotations = json.annotations ?? [];
  if (!Array.isArray(images)) throw recordError(file, '"images"', 'missing or not a list');
  if (!Array.isArray(annotations)) throw recordError(file, '"annotations"', 'not a list');
  if (!Array.isArray(categories)) throw recordError(file, '"categories"', 'missing or not a list');

  const imageIds = new Set<number>();
  images.forEach((img, i) => {
    const at = () => `images[${i}]`;
    if (!isRecord(img)) throw recordError(file, at(), 'not an object');
    if (!isNumber(img.id)) throw recordError(file, at(), `"id" is ${describe(img.id)}, not a number`);
    if (imageIds.has(img.id)) {
      log.add({
        file,
        record: at(),
        code: 'duplicate_image_id',
        reason: `image id ${img.id} is repeated; pycocotools keeps the last record's size, predlens shows the first`,
      });
    }
    imageIds.add(img.id);
  });

  const categoryIds = new Set<number>();
  categories.forEach((cat, i) => {
    const at = () => `categories[${i}]`;
    if (!isRecord(cat)) throw recordError(file, at(), 'not an object');
    if (!isNumber(cat.id)) throw recordError(file, at(), `"id" is ${describe(cat.id)}, not a number`);
    if (categoryIds.has(cat.id)) {
      log.add({ file, record: at(), code: 'duplicate_category_id', reason: `category id ${cat.id} is repeated` });
    }
    categoryIds.add(cat.id);
  });

  const annotationIds = new Set<number>();
  const repeated = new Set<number>();
  for (let i = 0; i < annotations.length; i++) {
    const ann = annotations[i];
    if (!isRecord(ann)) throw recordError(file, `annotations[${i}]`, 'not an object');
    // Made only when something is said about the record: 860,000 of them would cost a second of the opening.
    const at = () => `annotations[${i}]${isNumber(ann.id) ? ` (id ${ann.id})` : ''}`;
    if (!isNumber(ann.id) || !isNumber(ann.image_id) || !isNumber(ann.category_id)) {
      const key = ['id', 'image_id', 'category_id'].find((k) => !isNumber(ann[k]))!;
      throw recordError(file, at(), `"${key}" is ${describe(ann[key])}, not a number`);
    }
    const bbox = ann.bbox;
    if (
      !Array.isArray(bbox) ||
      bbox.length !== 4 ||
      !isNumber(bbox[0]) ||
      !isNumber(bbox[1]) ||
      !isNumber(bbox[2]) ||
      !isNumber(bbox[3])
    ) {
      throw recordError(file, at(), `"bbox" is ${describe(bbox)}, not [x, y, width, height] in pixels`);
    }
    const id = ann.id as number;
    if (annotationIds.has(id) && !repeated.has(id)) {
      repeated.add(id);
      log.add({
        file,
        record: at(),
        code: 'duplicate_annotation_id',
        reason: `annotation id ${id} is repeated; pycocotools evaluates the last record with that id for each of them`,
      });
    }
    annotationIds.add(id);
    if (id === 0) {
      log.add({
        file,
        record: at(),
        code: 'annotation_id_zero',
        reason:
          'annotation id 0 can never be a true positive in pycocotools (it stores matches by id and reads 0 as ' +
          '"unmatched"); COCO mode reproduces this, so a detection of it counts as a false positive',
      });
    }
    if (ann.area === undefined) {
      ann.area = (bbox[2] as number) * (bbox[3] as number);
      log.add({ file, record: at(), code: 'missing_area', reason: 'no "area"; the bbox area w·h is used' });
    } else if (!isNumber(ann.area)) {
      throw recordError(file, at(), `"area" is ${describe(ann.area)}, not a number`);
    } else if (
      segmentationKindOf(ann as CocoDatasetJson['annotations'][number]) === 'none' &&
      !nearly(ann.area, (bbox[2] as number) * (bbox[3] as number))
    ) {
      log.add({
        file,
        record: at(),
        code: 'area_not_box_area',
        reason: `"area" ${ann.area} differs from the bbox's w·h ${(bbox[2] as number) * (bbox[3] as number)}; pycocotools uses the area field for the small/medium/large ranges, and so does predlens`,
      });
    }
    if (!('iscrowd' in ann)) {
      ann.iscrowd = 0;
      log.add({
        file,
        record: at(),
        code: 'missing_iscrowd',
        reason: 'no "iscrowd"; read as 0 (pycocotools itself would stop with a KeyError)',
      });
    }
  }
  return { images, annotations, categories } as CocoDatasetJson;
}

/** Equal but for rounding in the writer (areas written with a few decimals): a relative 1e-9. */
function nearly(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
}

function describe(v: unknown): string {
  if (v === undefined) return 'missing';
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
