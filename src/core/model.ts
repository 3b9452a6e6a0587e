// The data model every part of predlens shares: the project (ontology, data units, labels) as read from an
// Encord Active folder, the predictions imported into it, and the errors met on the way.
// Coordinates are normalised to [0, 1] of the data unit's width and height unless a name says "px".

// The geometric primitives live with the kernels that compute on them (the ground floor of the data flow).
import type { Box, CocoRle, Points } from '../kernels/geometry-types.ts';
export type { Box, CocoRle, Points };

// ---------------------------------------------------------------- ontology (ontology.json)

export type ObjectShape =
  'bounding_box' | 'rotatable_bounding_box' | 'polygon' | 'polyline' | 'point' | 'skeleton' | (string & {});

export interface OntologyOption {
  id: string;
  label: string;
  value: string;
  featureNodeHash: string;
  /** Nested attributes under this option (Encord allows them). */
  attributes: OntologyAttribute[];
}

export interface OntologyAttribute {
  id: string;
  name: string;
  type: 'radio' | 'checklist' | 'text' | (string & {});
  featureNodeHash: string;
  required: boolean;
  dynamic: boolean;
  options: OntologyOption[];
}

export interface OntologyObject {
  id: string;
  name: string;
  color: string;
  shape: ObjectShape;
  featureNodeHash: string;
  attributes: OntologyAttribute[];
  /** Datasets: the class's COCO category id (COCO's own; the class index for YOLO; 1..K by name for VOC). */
  categoryId?: number;
}

export interface OntologyClassification {
  id: string;
  featureNodeHash: string;
  attributes: OntologyAttribute[];
}

export interface Ontology {
  objects: OntologyObject[];
  classifications: OntologyClassification[];
}

// ---------------------------------------------------------------- labels (label_row.json)

export type LabelGeometry =
  | { kind: 'box'; box: Box }
  | { kind: 'rotatable_box'; box: Box }
  | {
      kind: 'polygon';
      points: Points;
      /**
       * Datasets: the further parts of a COCO polygon with several (the object is the union of `points` and these),
       * as COCO writes an object split by an occluder.
       */
      parts?: Points[];
    }
  /** Datasets: a COCO run-length mask (crowd regions, RLE annotations), in pixels of the image, kept as written. */
  | { kind: 'mask'; mask: CocoRle }
  | { kind: 'polyline'; points: Points }
  | { kind: 'point'; points: Points }
  | { kind: 'skeleton'; points: Points };

export interface LabelObject {
  objectHash: string;
  featureHash: string;
  name: string;
  color: string;
  shape: ObjectShape;
  geometry: LabelGeometry;
  createdBy?: string;
  lastEditedBy?: string;
  confidence?: number;
  /** Datasets: the annotation as the file gave it (COCO terms; see DatasetAnnotation). */
  dataset?: DatasetAnnotation;
}

/** A dataset label's own fields, kept exactly as written so COCO evaluation uses the user's numbers. */
export interface DatasetAnnotation {
  /** COCO annotation id (COCO's own; 1..M by the spec's order for YOLO and VOC). */
  id: number;
  categoryId: number;
  /** Pixels, [x, y, w, h] as written. */
  bbox: [number, number, number, number];
  /** COCO's `area` field as written (pycocotools uses it for the area ranges). */
  area: number;
  iscrowd: boolean;
  /** Pascal VOC's `difficult` flag (shown, filterable; evaluated as an ordinary label in COCO mode). */
  difficult?: boolean;
}

export interface ClassificationAnswer {
  attributeHash: string;
  attributeName: string;
  /** Radio and checklist: the chosen options. Text: empty. */
  options: { featureHash: string; name: string; value: string }[];
  /** Text answers. */
  text?: string;
}

export interface LabelClassification {
  classificationHash: string;
  /** The ontology classification's featureNodeHash. */
  featureHash: string;
  name: string;
  answers: ClassificationAnswer[];
}

export interface FrameLabels {
  frame: number;
  objects: LabelObject[];
  classifications: LabelClassification[];
}

// ---------------------------------------------------------------- data units and label rows

export type DataType = 'image' | 'img_group' | 'video';

export interface DataUnit {
  dataHash: string;
  labelHash: string;
  title: string;
  /** The label row's data type: a member of an image group has 'img_group'. */
  dataType: DataType;
  /** The data unit's MIME type (image/jpeg, video/mp4, ...). */
  mime: string;
  width: number;
  height: number;
  /** Order inside an image group; the frame of an image. */
  sequence: number;
  fps?: number;
  /** Labelled frames in ascending order. Images have one entry, at frame = sequence. */
  frames: FrameLabels[];
  /** Project-relative image paths by frame ('0' for images); see the spec, section 1.6. */
  images: Record<number, string>;
  /** The frame numbers this unit has pixels or labels for, ascending. */
  frameNumbers: number[];
  /** Datasets: the image's COCO id and its split (`images[0]` is the image's path in the opened folder). */
  imageId?: number;
  split?: string;
}

export interface LabelRow {
  labelHash: string;
  dataHash: string;
  dataTitle: string;
  dataType: DataType;
  datasetHash?: string;
  labelStatus?: string;
  dataUnits: DataUnit[];
}

export interface ProjectMeta {
  project_title: string;
  project_description?: string;
  project_hash: string;
  has_remote?: boolean;
  ssh_key_path?: string;
  [key: string]: unknown;
}

/** A problem met while reading a project or an import: which file, where in it, and what is wrong. */
export interface Problem {
  file: string;
  /** A line number (1-based), a record index or key, or a JSON position. */
  record?: string | number;
  reason: string;
  /** A short machine-readable kind, e.g. 'unknown_shape', 'no_images', 'bad_json'. */
  code?: string;
}

/** Which layout a folder was read as. */
export type ProjectKind = 'encord-active' | 'coco' | 'yolo' | 'voc';

/** COCO ground truth as pycocotools loads it: the file's own for COCO, the spec's conversion for YOLO and VOC. */
export interface CocoDatasetJson {
  images: { id: number; file_name: string; width: number; height: number; [key: string]: unknown }[];
  annotations: {
    id: number;
    image_id: number;
    category_id: number;
    bbox: number[];
    area: number;
    iscrowd?: number;
    segmentation?: unknown;
    [key: string]: unknown;
  }[];
  categories: { id: number; name: string; supercategory?: string; [key: string]: unknown }[];
}

/** What a dataset folder (COCO, YOLO, Pascal VOC) keeps beside the shared model. */
export interface DatasetInfo {
  kind: Exclude<ProjectKind, 'encord-active'>;
  /** Every split the folder names, in the folder's order, and the one read (undefined: all of them). */
  splits: string[];
  split?: string;
  /** The ground truth of the images read, in COCO terms, exactly as the evaluation must see it. */
  coco: CocoDatasetJson;
}

export interface Project {
  /** A name for the folder the project was opened from. */
  source: string;
  /** The folder's layout; absent means an Encord Active project. */
  kind?: ProjectKind;
  /** Set for COCO, YOLO and VOC folders. */
  dataset?: DatasetInfo;
  meta: ProjectMeta;
  ontology: Ontology;
  labelRows: LabelRow[];
  /** Every data unit of every loaded label row, in label-row then sequence order. */
  dataUnits: DataUnit[];
  /** data hash (lower case) -> data unit. */
  byDataHash: Map<string, DataUnit>;
  /** Things skipped or not understood while reading; the project still opened. */
  problems: Problem[];
  /** Counts of skipped items by kind, e.g. { unknown_shape: 3, label_row_without_images: 1 }. */
  skipped: Record<string, number>;
}

// ---------------------------------------------------------------- predictions

export type PredictionShape =
  | { kind: 'box'; box: Box }
  | {
      kind: 'polygon';
      /** Outer ring, normalised. */
      points: Points;
      /** Holes, normalised, only when an import was asked to keep them. */
      holes?: Points[];
    }
  | { kind: 'mask'; mask: CocoRle }
  | { kind: 'classification'; attributeHash: string; optionHash: string };

export interface Prediction {
  dataHash: string;
  frame: number;
  confidence: number;
  /** An ontology object's featureNodeHash, or a classification's featureNodeHash for classifications. */
  featureHash: string;
  shape: PredictionShape;
  trackId?: string | number;
  /**
   * The detection's box in PIXELS exactly as the file gave it (COCO results' bbox), kept beside any shape so a
   * COCO-exact evaluation uses the given numbers (x / W * W is not always x) and, for segm results that carry a
   * bbox, the bbox area pycocotools uses.
   */
  boxPx?: Box;
}

/**
 * A prediction format's id: one of the registry's (src/core/formats/registry.ts, FORMAT_IDS: pkl, writer, json,
 * kitti, masks, coco, yolo, ea-predictions). A plain string so that a new format is one module and one registry
 * line; formatById refuses an id the registry does not hold.
 */
export type FormatId = string;

/** What one import did: counts, every rejected record, and notices that changed how the input was read. */
export interface ImportReport {
  imported: number;
  rejected: Problem[];
  warnings: string[];
}

export interface ImportResult {
  predictions: Prediction[];
  report: ImportReport;
}

/** A stored, named set of predictions. Runs are immutable once written; only the name can change. */
export interface PredictionRunInfo {
  id: string;
  name: string;
  model?: string;
  createdAt: string;
  /** How the predictions came in: an import format's id, or 'onnx' for a model run inside predlens. */
  format: FormatId;
  sources: string[];
  counts: { predictions: number; boxes: number; polygons: number; masks: number; classifications: number };
  warnings: string[];
  rejected: number;
  /** A model run's settings (model file, layout, input size, pre-processing, thresholds, backend, speed). */
  settings?: Record<string, string | number | boolean>;
}
