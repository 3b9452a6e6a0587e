// PredictionWriter: build a prediction set in code, in the page or in Node, and save it in predlens' native
// format (native.ts). It takes the place of Encord Active's PredictionWriter (spec §3) for people who produce
// predictions from a script.
//
//   const writer = new PredictionWriter(project, { classMap: { car: 'XO9aOmE8' } });
//   writer.add({ dataHash, frame: 0, confidence: 0.9, featureHash: 'XO9aOmE8', shape: { kind: 'box', box } });
//   writer.addPrediction({ dataHash, classUid: 'car', confidence: 0.8, bbox: [0.1, 0.1, 0.3, 0.3] });
//   const { predictions, report } = writer.result();
//   const text = writer.toNdjson(); // or toJson(); in Node: writeNative(path, writer) from src/cli/native-file.ts
//
// Every prediction is validated at once against the project (validate.ts: data hash, frame, class and its
// type, coordinates in [0, 1], finite confidence). By default an invalid prediction is NOT thrown: it is recorded
// in result().report.rejected (file "PredictionWriter", record = the call's 0-based index) and add() returns
// false, so a long loop keeps going and the user sees every problem at the end. `strict: true` throws a
// PredictionRejectedError at the first invalid prediction instead.
//
// Unlike EA v0.1.40: `frame` is honoured for every data type; an unknown data hash is rejected, not silently
// dropped; boxes, polygons and masks are checked against the image size.
import type { Box, Points, Prediction, Problem, Project } from '../model.ts';
import { toNativeJson, toNativeNdjson } from './native.ts';
import { formatProblem } from './format.ts';
import { PredictionValidator } from './validate.ts';

export const WRITER_FILE = 'PredictionWriter';

export interface PredictionWriterOptions {
  /** Your class names or ids -> ontology featureNodeHash, for addPrediction's classUid. */
  classMap?: Record<string, string>;
  /** Throw at the first invalid prediction instead of recording it. */
  strict?: boolean;
}

/** The older documented call (EA docs' add_prediction(data_hash=, class_uid=, confidence_score=, bbox=, polygon=, frame=)). */
export interface LegacyPrediction {
  dataHash: string;
  /** An ontology featureNodeHash, or a key of the writer's classMap. */
  classUid: string;
  confidence?: number;
  /** The docs' name for confidence. */
  confidenceScore?: number;
  /** Normalised: {x, y, w, h} or [x, y, w, h], (x, y) the top-left corner. */
  bbox?: Box | [number, number, number, number];
  /** Normalised [[x, y], ...]. */
  polygon?: Points;
  frame?: number;
  trackId?: string | number;
}

export class PredictionRejectedError extends Error {
  constructor(readonly problem: Problem) {
    super(formatProblem(problem));
    this.name = 'PredictionRejectedError';
  }
}

export class PredictionWriter {
  readonly #validator: PredictionValidator;
  readonly #classMap: Map<string, string>;
  readonly #hashes: Set<string>;
  readonly #strict: boolean;
  readonly #predictions: Prediction[] = [];
  readonly #rejected: Problem[] = [];
  #calls = 0;

  constructor(project: Project, options: PredictionWriterOptions = {}) {
    this.#validator = new PredictionValidator(project);
    this.#hashes = new Set([
      ...project.ontology.objects.map((o) => o.featureNodeHash),
      ...project.ontology.classifications.map((c) => c.featureNodeHash),
    ]);
    this.#classMap = new Map(Object.entries(options.classMap ?? {}));
    const bad = [...this.#classMap].filter(([, hash]) => !this.#hashes.has(hash));
    if (bad.length > 0) {
      throw new Error(
        `PredictionWriter classMap: ${bad.map(([k, v]) => `"${k}" -> "${v}"`).join(', ')} ` +
          `${bad.length === 1 ? 'is not a featureNodeHash' : 'are not featureNodeHashes'} of the ontology`,
      );
    }
    this.#strict = options.strict ?? false;
  }

  /** Validates and keeps one prediction; false (and a report entry) when it is invalid. */
  add(prediction: Prediction): boolean {
    const record = this.#calls++;
    const outcome = this.#validator.check({ ...prediction, frame: prediction.frame ?? 0 }, WRITER_FILE, record);
    if (outcome.prediction) {
      this.#predictions.push(outcome.prediction);
      return true;
    }
    return this.#reject(outcome.problem!);
  }

  /** The older documented call: a box or a polygon for a class uid. */
  addPrediction(legacy: LegacyPrediction): boolean {
    const converted = this.#fromLegacy(legacy);
    if (typeof converted === 'string') {
      return this.#reject({ file: WRITER_FILE, record: this.#calls++, code: 'bad_record', reason: converted });
    }
    return this.add(converted);
  }

  /** The predictions kept so far and the report (rejected calls with reasons). */
  result() {
    return {
      predictions: [...this.#predictions],
      report: { imported: this.#predictions.length, rejected: [...this.#rejected], warnings: [] as string[] },
    };
  }

  toJson(): string {
    return toNativeJson(this.#predictions);
  }

  toNdjson(): string {
    return toNativeNdjson(this.#predictions);
  }

  #reject(problem: Problem): false {
    if (this.#strict) throw new PredictionRejectedError(problem);
    this.#rejected.push(problem);
    return false;
  }

  #fromLegacy(p: LegacyPrediction): Prediction | string {
    if (!p || typeof p !== 'object')
      return 'addPrediction needs an object {dataHash, classUid, confidence, bbox | polygon}';
    const featureHash = this.#classMap.get(p.classUid) ?? (this.#hashes.has(p.classUid) ? p.classUid : undefined);
    if (featureHash === undefined) {
      return `classUid ${JSON.stringify(p.classUid)} is neither a key of the class map nor a featureNodeHash of the ontology`;
    }
    const confidence = p.confidence ?? p.confidenceScore;
    if (typeof confidence !== 'number') return 'confidence (or confidenceScore) must be a number';
    if ((p.bbox === undefined) === (p.polygon === undefined)) return 'give exactly one of bbox and polygon';
    const base = {
      dataHash: p.dataHash,
      frame: p.frame ?? 0,
      confidence,
      featureHash,
      ...(p.trackId === undefined ? {} : { trackId: p.trackId }),
    };
    if (p.bbox !== undefined) {
      const b = p.bbox;
      const box = Array.isArray(b) ? { x: b[0], y: b[1], w: b[2], h: b[3] } : { x: b.x, y: b.y, w: b.w, h: b.h };
      if (Array.isArray(b) && b.length !== 4) return 'bbox as a list must be [x, y, w, h]';
      return { ...base, shape: { kind: 'box', box } };
    }
    if (!Array.isArray(p.polygon)) return 'polygon must be a list of [x, y] points';
    return { ...base, shape: { kind: 'polygon', points: p.polygon.map((pt) => [pt[0], pt[1]] as [number, number]) } };
  }
}
