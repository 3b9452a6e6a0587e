// Running a detector over a project, the same in the page's worker (onnxruntime-web) and the CLI (onnxruntime-node):
// the host gives the session and the decoded images; this letterboxes, runs, decodes, suppresses, maps boxes back
// to image pixels and turns them into ordinary predictions (normalised boxes on ontology or dataset classes).
import { PredictionValidator } from '../formats/validate.ts';
import type { Prediction, Problem, Project } from '../model.ts';
import { modelClassMap, type ModelClassMap } from './classes.ts';
import { decodeOutputs, type OutputTensor } from './decode.ts';
import { guessLayout, type DetectorLayout, type LayoutGuess } from './layout.ts';
import { boxToImage, letterboxGeometry, letterboxTensor, type RgbImage } from './letterbox.ts';
import { suppress } from './nms.ts';
import { readOnnxModel, type OnnxModelInfo } from './onnx-model.ts';
import { checkSettings, defaultSettings, describeSettings, type InferenceSettings } from './settings.ts';

/** What a host runs: one input tensor in, the outputs by name out. */
export interface InferenceHost {
  run(input: {
    name: string;
    data: Float32Array | Uint16Array;
    dims: number[];
    type: 'float32' | 'float16';
  }): Promise<Record<string, OutputTensor>>;
}

/** One image of the project to run on: a data unit's frame and its file in the project folder. */
export interface ImageJob {
  dataHash: string;
  frame: number;
  path: string;
  title: string;
}

/** Every frame of every data unit that has an image file, in project order. */
export function imageJobs(project: Project): ImageJob[] {
  const jobs: ImageJob[] = [];
  for (const du of project.dataUnits) {
    const frames = Object.keys(du.images)
      .map(Number)
      .sort((a, b) => a - b);
    for (const frame of frames) {
      jobs.push({ dataHash: du.dataHash, frame, path: du.images[frame], title: du.title });
    }
  }
  return jobs;
}

export interface ModelPlan {
  info: OnnxModelInfo;
  guess: LayoutGuess;
  settings: InferenceSettings;
  layout: DetectorLayout;
  classes: ModelClassMap;
  /** The rules every import's predictions pass (validate.ts): frames resolved, shapes and bounds checked. */
  validator: PredictionValidator;
}

/** Reads a model file and what predlens would do with it by default (throws when it cannot be run at all). */
export function inspectModel(bytes: Uint8Array, file: string): { info: OnnxModelInfo; guess: LayoutGuess } {
  const info = readOnnxModel(bytes, file);
  return { info, guess: guessLayout(info) };
}

/** Settings checked against the model and the project's classes: everything a run needs but the images. */
export function planRun(
  project: Project,
  info: OnnxModelInfo,
  guess: LayoutGuess,
  settings: InferenceSettings = defaultSettings(guess),
  userClassMap?: Record<string, unknown>,
  classMapFile?: string,
): ModelPlan {
  const layout = checkSettings(info, guess, settings);
  const classes = modelClassMap(project, guess.names, guess.classes, userClassMap, classMapFile);
  return { info, guess, settings, layout, classes, validator: new PredictionValidator(project) };
}

function floatToHalf(v: number): number {
  const f = new Float32Array([v]);
  const x = new Uint32Array(f.buffer)[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = ((x >>> 23) & 0xff) - 127 + 15;
  const mant = x & 0x7fffff;
  if (exp >= 31) return sign | 0x7c00 | (((x >>> 23) & 0xff) === 0xff && mant ? 0x200 : 0);
  if (exp <= 0) {
    if (exp < -10) return sign;
    const m = (mant | 0x800000) >> (1 - exp);
    return sign | ((m + 0x1000) >> 13);
  }
  return sign | (exp << 10) | ((mant + 0x1000) >> 13);
}

export interface ImageResult {
  job: ImageJob;
  predictions: Prediction[];
  /** Detections kept after NMS (mapped or not). */
  detections: number;
  /** Detections of classes with no target class, by class key. */
  unmapped: Map<number, number>;
  /** Predictions the project's rules refused (none are expected: a model's boxes are inside its image). */
  rejected: Problem[];
  /** Milliseconds in letterboxing, in the model, and in decoding + NMS + mapping. */
  ms: { prepare: number; model: number; post: number };
}

/** Runs the model on one decoded image and returns its predictions. */
export async function predictImage(
  plan: ModelPlan,
  host: InferenceHost,
  job: ImageJob,
  image: RgbImage,
): Promise<ImageResult> {
  const t0 = performance.now();
  const s = plan.settings;
  const input = plan.guess.input!;
  const width = input.width ?? s.imgsz.width;
  const height = input.height ?? s.imgsz.height;
  const g = letterboxGeometry(image.width, image.height, width, height, { mode: s.resize });
  const tensor = letterboxTensor(image, g, s.preprocessing);
  const dims = input.rank === 4 ? [1, 3, height, width] : [3, height, width];
  const data = input.type === 'float16' ? Uint16Array.from(tensor, floatToHalf) : tensor;
  const t1 = performance.now();
  const outputs = await host.run({ name: input.name, data, dims, type: input.type });
  const t2 = performance.now();
  const names = plan.guess.names;
  const candidates = decodeOutputs(plan.layout, outputs, {
    conf: s.conf,
    multiLabel: s.multiLabel,
    classes: plan.layout.kind === 'yolo' && names ? names.size : undefined,
    inputWidth: width,
    inputHeight: height,
  });
  const kept = suppress(candidates, { iou: s.iou, maxDet: s.maxDet, nms: s.nms });
  const predictions: Prediction[] = [];
  const rejected: Problem[] = [];
  const unmapped = new Map<number, number>();
  for (const [k, i] of kept.entries()) {
    const cls = candidates.cls[i];
    const featureHash = plan.classes.targetOf(cls);
    if (!featureHash) {
      unmapped.set(cls, (unmapped.get(cls) ?? 0) + 1);
      continue;
    }
    const [x1, y1, x2, y2] = boxToImage(g, [candidates.x1[i], candidates.y1[i], candidates.x2[i], candidates.y2[i]]);
    const outcome = plan.validator.check(
      {
        dataHash: job.dataHash,
        frame: job.frame,
        confidence: candidates.score[i],
        featureHash,
        shape: {
          kind: 'box',
          box: { x: x1 / image.width, y: y1 / image.height, w: (x2 - x1) / image.width, h: (y2 - y1) / image.height },
        },
      },
      plan.info.file,
      `${job.path}, detection ${k}`,
    );
    if (outcome.prediction) predictions.push(outcome.prediction);
    else if (outcome.problem) rejected.push(outcome.problem);
  }
  const ms = { prepare: t1 - t0, model: t2 - t1, post: performance.now() - t2 };
  return { job, predictions, detections: kept.length, unmapped, rejected, ms };
}

/** What a run records about how it was made. */
export function runSettings(plan: ModelPlan, extra: Record<string, string | number | boolean> = {}) {
  return {
    model: plan.info.file,
    ...describeSettings(plan.settings),
    classMap: plan.classes.rule,
    ...extra,
  };
}

/** Report lines for classes the model predicted that went nowhere. */
export function unmappedWarnings(plan: ModelPlan, unmapped: Map<number, number>): string[] {
  if (unmapped.size === 0) return [];
  const names = plan.guess.names;
  const parts = [...unmapped]
    .sort((a, b) => a[0] - b[0])
    .map(([k, n]) => `${k}${names?.get(k) ? ` (${names.get(k)})` : ''}: ${n}`);
  const total = [...unmapped.values()].reduce((a, b) => a + b, 0);
  return [
    `${total} detection(s) of classes not mapped to a ${plan.classes.targetWord} were left out: ${parts.join(', ')}`,
  ];
}
