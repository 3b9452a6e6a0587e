// Options every prediction importer accepts. Each reader uses the ones that make sense for its format and ignores
// the rest (a reader that ignores an option the user set should say so in report.warnings).

export interface ImportProgress {
  /** Files (or records, for single-file formats) done so far. */
  done: number;
  /** The total, when known. */
  total?: number;
  /** What is being read now, e.g. a file path. */
  current?: string;
}

export interface ImportOptions {
  /**
   * Maps the names a file uses for classes (a KITTI class name, a COCO category id, a YOLO class index, a mask
   * pixel value, a PredictionWriter class uid) to an ontology featureNodeHash.
   */
  classMap?: Record<string, string>;
  /** A file-name pattern with a named group `data_hash` (or `data_title`) and optionally `frame`; per format. */
  namePattern?: string;
  /** Masks: keep holes of polygons traced from masks (default: fill them, as EA does). */
  keepHoles?: boolean;
  /** Masks: a pixel value to ignore as void (e.g. 255). */
  ignoreValue?: number;
  onProgress?: (progress: ImportProgress) => void;
  /** Aborts a long import; readers check it between files/records and throw the signal's reason. */
  signal?: AbortSignal;
}
