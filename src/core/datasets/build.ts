// Turns a layout's reading (DatasetContent: the ground truth in COCO terms plus where each image is) into the
// shared Project model the pages, the CLI and the evaluation use. One ontology object per category in category-id
// order; one label row and one data unit per image; one label object per annotation of an image read, with the
// annotation's own fields in LabelObject.dataset and a normalised geometry for drawing.
import type {
  CocoDatasetJson,
  DataUnit,
  LabelGeometry,
  LabelObject,
  LabelRow,
  OntologyObject,
  Project,
} from '../model.ts';
import { classColor } from './colors.ts';
import { datasetKey } from './keys.ts';
import type { DatasetContent } from './layout.ts';
import { imageMime } from './paths.ts';
import { labelGeometry, segmentationKindOf } from './segmentation.ts';

type CocoAnnotation = CocoDatasetJson['annotations'][number];

/** The featureNodeHash of a dataset class: its category id, readable in URLs and CLI output. */
export const classHash = (categoryId: number) => `category-${categoryId}`;

/** Where each annotation record's label is (its image, objectHash and difficult flag), per project built here. */
export interface LabelPlaces {
  /** Per coco.annotations index: the index of its data unit, -1 when it is not a label. */
  unit: Int32Array;
  objectHash: string[];
  /** Per annotation: 1 difficult, 0 not, 2 no flag (not a VOC dataset). */
  difficult: Uint8Array;
}

const placesOf = new WeakMap<Project, LabelPlaces>();

/** The label places of a project buildProject made (undefined for any other, e.g. one that crossed threads). */
export const labelPlacesOf = (project: Project): LabelPlaces | undefined => placesOf.get(project);

export function buildProject(source: string, content: DatasetContent): Project {
  const { coco, images, log } = content;
  const ontologyObjects = buildOntology(content);
  const classOf = new Map<number, OntologyObject>();
  for (const o of ontologyObjects) classOf.set(o.categoryId!, o);

  const units: DataUnit[] = images.map((image) => {
    const dataHash = datasetKey(`${content.kind}|${image.key}`);
    return {
      dataHash,
      labelHash: datasetKey(`${content.kind}|label|${image.key}`),
      title: image.title,
      dataType: 'image',
      mime: imageMime(image.path),
      width: image.width,
      height: image.height,
      sequence: 0,
      frames: [{ frame: 0, objects: [], classifications: [] }],
      images: { 0: image.path },
      frameNumbers: [0],
      imageId: image.record.id,
      split: image.split,
    };
  });

  const annotations = coco.annotations;
  for (let i = 0; i < annotations.length; i++) {
    const at = content.annotationImage[i];
    if (at < 0) continue;
    const record = annotations[i];
    const klass = classOf.get(record.category_id);
    if (!klass) continue; // reported by the layout (a category the file does not list)
    const unit = units[at];
    const difficult = content.difficult ? content.difficult[i] === 1 : undefined;
    unit.frames[0].objects.push(datasetLabel(record, klass, unit, content.objectHash[i], difficult));
  }

  const labelRows: LabelRow[] = units.map((unit) => ({
    labelHash: unit.labelHash,
    dataHash: unit.dataHash,
    dataTitle: unit.title,
    dataType: 'image',
    dataUnits: [unit],
  }));
  const byDataHash = new Map<string, DataUnit>();
  for (const unit of units) byDataHash.set(unit.dataHash, unit);
  log.finish();
  const project: Project = {
    source,
    kind: content.kind,
    dataset: { kind: content.kind, splits: content.splits, split: content.split, coco },
    meta: {
      project_title: content.split ? `${content.title} (${content.split})` : content.title,
      project_description: `${content.kind.toUpperCase()} dataset`,
      project_hash: datasetKey(`${content.kind}|project|${source}`),
    },
    ontology: { objects: ontologyObjects, classifications: [] },
    labelRows,
    dataUnits: units,
    byDataHash,
    problems: log.problems,
    skipped: log.skipped,
  };
  const difficult = new Uint8Array(annotations.length).fill(2);
  if (content.difficult) difficult.set(content.difficult);
  const unit = Int32Array.from(content.annotationImage);
  // Only annotations that became labels (a known category) have a place.
  for (let i = 0; i < annotations.length; i++)
    if (unit[i] >= 0 && !classOf.has(annotations[i].category_id)) unit[i] = -1;
  placesOf.set(project, { unit, objectHash: content.objectHash, difficult });
  return project;
}

/** The label object of an annotation record of `unit`'s image (also rebuilt on the page from parts.ts). */
export function datasetLabel(
  record: CocoAnnotation,
  klass: OntologyObject,
  unit: DataUnit,
  objectHash: string,
  difficult: boolean | undefined,
  geometry: LabelGeometry = labelGeometry(record, unit.width, unit.height),
): LabelObject {
  return {
    objectHash,
    featureHash: klass.featureNodeHash,
    name: klass.name,
    color: klass.color,
    shape: geometry.kind === 'box' ? 'bounding_box' : geometry.kind === 'mask' ? 'mask' : 'polygon',
    geometry,
    dataset: {
      id: record.id,
      categoryId: record.category_id,
      bbox: record.bbox as [number, number, number, number],
      area: record.area,
      iscrowd: Number(record.iscrowd ?? 0) !== 0,
      difficult,
    },
  };
}

/**
 * One object per category, in category-id order (the first record of a repeated id). A class is a polygon class
 * when any of its annotations of the images read has a segmentation, else a bounding-box class.
 */
function buildOntology(content: DatasetContent): OntologyObject[] {
  const segmented = new Set<number>();
  content.coco.annotations.forEach((a, i) => {
    if (content.annotationImage[i] >= 0 && segmentationKindOf(a) !== 'none') segmented.add(a.category_id);
  });
  const seen = new Set<number>();
  const categories = content.coco.categories
    .filter((c) => !seen.has(c.id) && seen.add(c.id))
    .sort((a, b) => a.id - b.id);
  return categories.map((c, i) => ({
    id: String(c.id),
    name: typeof c.name === 'string' ? c.name : String(c.id),
    color: classColor(i),
    shape: segmented.has(c.id) ? 'polygon' : 'bounding_box',
    featureNodeHash: classHash(c.id),
    attributes: [],
    categoryId: c.id,
  }));
}
