// Checks prediction records against the project they are imported into. Every importer's output goes through
// here (importPredictions runs it last), so the rules below hold for every format:
//
// - data hash: must be a data unit of the project (any case; the unit's own spelling is kept)  -> unknown_data_hash
// - frame: a whole number >= 0. Images and image-group members have one frame, their place in the group
//   (unit.frames[0].frame, else unit.sequence); frame 0 is read as that frame, as EA does. Videos take any frame,
//   except one beyond the last decoded frame image when the video's frames were decoded   -> frame_out_of_range
// - confidence: a finite number (above 1 is allowed: EA keeps 97.85)                        -> bad_confidence
// - class: featureHash must be an ontology object (boxes, polygons, masks) or, for classifications, an ontology
//   classification whose attribute and option hashes exist under it                          -> unknown_class
// - class type: a box needs a bounding_box (or rotatable_bounding_box) object; a polygon or a mask needs a
//   polygon object. Points, polylines and skeletons cannot be predicted (as in EA)            -> shape_mismatch
//   On a dataset project (COCO, YOLO, VOC folder) a class is a COCO category, which takes bbox and segmentation
//   results alike: any object class takes a box, a polygon or a mask.
// - geometry, normalised: every number finite; box x, y, w, h in [0, 1] with x+w <= 1 and y+h <= 1 (1e-9
//   tolerance for float sums), theta in [0, 360]; polygon (and hole) vertices in [0, 1], at least 3 of them;
//   mask size equal to the image's [height, width], counts a valid COCO string or runs summing to h*w -> out_of_bounds
//   / bad_polygon / bad_mask
import { rleFromString } from '../../kernels/rle.ts';
import type { DataUnit, OntologyAttribute, Prediction, Problem, Project } from '../model.ts';

const EPS = 1e-9;

export interface ValidationOutcome {
  /** The prediction with its data hash and frame normalised to the project's, when valid. */
  prediction?: Prediction;
  problem?: Problem;
}

/** The index of a project's ontology for validation; build once per import. */
export class PredictionValidator {
  readonly #project: Project;
  readonly #anyShape: boolean;
  readonly #objects: Map<string, string>;
  readonly #classifications: Map<string, Map<string, Set<string>>>;

  constructor(project: Project) {
    this.#project = project;
    this.#anyShape = project.dataset !== undefined;
    this.#objects = new Map(project.ontology.objects.map((o) => [o.featureNodeHash, o.shape]));
    this.#classifications = new Map(
      project.ontology.classifications.map((c) => [c.featureNodeHash, attributeOptions(c.attributes)]),
    );
  }

  /** Checks one prediction; `file` and `record` say where it came from for the problem. */
  check(p: Prediction, file: string, record?: string | number): ValidationOutcome {
    const reject = (code: string, reason: string): ValidationOutcome => ({
      problem: { file, ...(record === undefined ? {} : { record }), code, reason },
    });
    if (typeof p.dataHash !== 'string') return reject('bad_record', 'dataHash is missing');
    const unit = this.#project.byDataHash.get(p.dataHash.toLowerCase());
    if (!unit) return reject('unknown_data_hash', `data hash ${p.dataHash} is not a data unit of the project`);

    const frame = resolveFrame(unit, p.frame);
    if (typeof frame === 'string') return reject('frame_out_of_range', frame);

    if (typeof p.confidence !== 'number' || !Number.isFinite(p.confidence)) {
      return reject('bad_confidence', `confidence ${String(p.confidence)} is not a finite number`);
    }

    const shape = p.shape;
    if (shape.kind === 'classification') {
      const attributes = this.#classifications.get(p.featureHash);
      if (!attributes) {
        const isObject = this.#objects.has(p.featureHash);
        return reject(
          isObject ? 'shape_mismatch' : 'unknown_class',
          isObject
            ? `${p.featureHash} is an ontology object, not a classification`
            : `classification ${p.featureHash} is not in the ontology`,
        );
      }
      const options = attributes.get(shape.attributeHash);
      if (!options)
        return reject(
          'unknown_class',
          `attribute ${shape.attributeHash} is not an attribute of classification ${p.featureHash}`,
        );
      if (!options.has(shape.optionHash)) {
        return reject(
          'unknown_class',
          `option ${shape.optionHash} is not an option of attribute ${shape.attributeHash}`,
        );
      }
    } else {
      const objectShape = this.#objects.get(p.featureHash);
      if (objectShape === undefined) {
        const isClassification = this.#classifications.has(p.featureHash);
        return reject(
          isClassification ? 'shape_mismatch' : 'unknown_class',
          isClassification
            ? `${p.featureHash} is a classification, but the prediction is a ${shape.kind}`
            : `class ${p.featureHash} is not an object of the ontology`,
        );
      }
      const allowed = shape.kind === 'box' ? ['bounding_box', 'rotatable_bounding_box'] : ['polygon', 'bitmask'];
      if (!this.#anyShape && !allowed.includes(objectShape)) {
        return reject(
          'shape_mismatch',
          `a ${shape.kind} was given for class ${p.featureHash}, which is a ${objectShape}`,
        );
      }
      const geometry = checkGeometry(p, unit);
      if (geometry) return reject(geometry.code, geometry.reason);
    }
    return { prediction: { ...p, dataHash: unit.dataHash, frame } };
  }
}

/** Splits predictions into valid ones (normalised) and problems. */
export function validatePredictions(
  project: Project,
  predictions: readonly Prediction[],
  where: (index: number) => { file: string; record?: string | number },
): { predictions: Prediction[]; rejected: Problem[] } {
  const validator = new PredictionValidator(project);
  const valid: Prediction[] = [];
  const rejected: Problem[] = [];
  predictions.forEach((p, i) => {
    const { file, record } = where(i);
    const outcome = validator.check(p, file, record);
    if (outcome.prediction) valid.push(outcome.prediction);
    else if (outcome.problem) rejected.push(outcome.problem);
  });
  return { predictions: valid, rejected };
}

/** The frame a prediction lands on, or why it cannot (see the header). */
export function resolveFrame(unit: DataUnit, frame: number | null | undefined): number | string {
  const f = frame ?? 0;
  if (!Number.isInteger(f) || f < 0) return `frame ${String(frame)} is not a whole number >= 0`;
  if (unit.dataType === 'video') {
    const decoded = Object.keys(unit.images).map(Number);
    const last = decoded.length ? Math.max(...decoded) : undefined;
    if (last !== undefined && f > last) {
      return `frame ${f} is beyond the last frame (${last}) of video ${unit.title || unit.dataHash}`;
    }
    return f;
  }
  const own = unit.frames[0]?.frame ?? unit.sequence;
  if (f === 0 || f === own) return own;
  return `frame ${f} is not a frame of image ${unit.title || unit.dataHash} (an image has only frame ${own})`;
}

function checkGeometry(p: Prediction, unit: DataUnit): { code: string; reason: string } | undefined {
  const shape = p.shape;
  const bad = (code: string, reason: string) => ({ code, reason });
  if (shape.kind === 'box') {
    const { x, y, w, h, theta } = shape.box;
    for (const [name, v] of [
      ['x', x],
      ['y', y],
      ['w', w],
      ['h', h],
    ] as const) {
      if (typeof v !== 'number' || !Number.isFinite(v))
        return bad('out_of_bounds', `bounding box ${name} = ${String(v)} is not a number`);
      if (v < 0 || v > 1) return bad('out_of_bounds', `bounding box ${name} = ${v} is outside [0, 1]`);
    }
    if (x + w > 1 + EPS) return bad('out_of_bounds', `bounding box x+w = ${round(x + w)} > 1`);
    if (y + h > 1 + EPS) return bad('out_of_bounds', `bounding box y+h = ${round(y + h)} > 1`);
    if (theta !== undefined && (!Number.isFinite(theta) || theta < 0 || theta > 360)) {
      return bad('out_of_bounds', `bounding box theta = ${theta} is outside [0, 360]`);
    }
    return undefined;
  }
  if (shape.kind === 'polygon') {
    const rings = [shape.points, ...(shape.holes ?? [])];
    for (let r = 0; r < rings.length; r++) {
      const ring = rings[r];
      const what = r === 0 ? 'polygon' : `hole ${r - 1}`;
      if (!Array.isArray(ring) || ring.length < 3) {
        return bad('bad_polygon', `${what} has ${Array.isArray(ring) ? ring.length : 0} points, needs at least 3`);
      }
      for (let i = 0; i < ring.length; i++) {
        const pt = ring[i];
        if (!Array.isArray(pt) || pt.length !== 2 || !pt.every((v) => typeof v === 'number' && Number.isFinite(v))) {
          return bad('bad_polygon', `${what} point ${i} is not a pair of numbers`);
        }
        if (pt[0] < 0 || pt[0] > 1 || pt[1] < 0 || pt[1] > 1) {
          return bad('out_of_bounds', `${what} point ${i} (${round(pt[0])}, ${round(pt[1])}) is outside [0, 1]`);
        }
      }
    }
    return undefined;
  }
  if (shape.kind === 'mask') {
    const { size, counts } = shape.mask;
    if (!Array.isArray(size) || size.length !== 2) return bad('bad_mask', 'mask size must be [height, width]');
    const [h, w] = size;
    if (h !== unit.height || w !== unit.width) {
      return bad('bad_mask', `mask is ${h}x${w} (h x w) but the image is ${unit.height}x${unit.width}`);
    }
    let total = 0;
    try {
      const runs = typeof counts === 'string' ? rleFromString(counts, h, w).counts : counts;
      for (const c of runs) {
        if (!Number.isInteger(c) || c < 0) return bad('bad_mask', `mask run length ${c} is not a whole number >= 0`);
        total += c;
      }
    } catch (err) {
      return bad('bad_mask', `mask counts: ${(err as Error).message}`);
    }
    if (total !== h * w) return bad('bad_mask', `mask runs cover ${total} pixels, the mask has ${h * w}`);
  }
  return undefined;
}

function attributeOptions(attributes: OntologyAttribute[]): Map<string, Set<string>> {
  // Nested attributes (under options) are reachable too: a classification answer can name any of them.
  const out = new Map<string, Set<string>>();
  const walk = (list: OntologyAttribute[]) => {
    for (const a of list) {
      out.set(a.featureNodeHash, new Set(a.options.map((o) => o.featureNodeHash)));
      for (const o of a.options) walk(o.attributes ?? []);
    }
  };
  walk(attributes);
  return out;
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;
