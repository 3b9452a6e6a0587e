// The model worker: runs the user's ONNX detector over the open project with onnxruntime-web and writes the run
// to IndexedDB chunk by chunk as it goes. onnxruntime-web (and its ~28 MB .wasm) is imported only here and only
// when a model is run; its .wasm is a build asset of this app (served from the app's own origin, so it works
// offline and under a same-origin Content-Security-Policy: no CDN).
// Backends: WebGPU when the browser offers an adapter, else wasm, with threads where the page is cross-origin
// isolated (SharedArrayBuffer); a WebGPU session that fails to start falls back to wasm.
// Cancelling = terminating this worker (inference-client.ts): the half-written run loses its Web Lock with it and
// is swept, so it never shows; earlier runs are untouched.
import * as Comlink from 'comlink';
import type * as Ort from 'onnxruntime-web';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.wasm?url';
import { decodeImageRgba, type RgbaImage } from '../core/image-decode.ts';
import type { OutputTensor } from '../core/inference/decode.ts';
import type { LayoutGuess } from '../core/inference/layout.ts';
import type { OnnxModelInfo } from '../core/inference/onnx-model.ts';
import {
  imageJobs,
  inspectModel,
  planRun,
  predictImage,
  runSettings,
  unmappedWarnings,
  type InferenceHost,
  type ModelPlan,
} from '../core/inference/predict.ts';
import type { InferenceSettings } from '../core/inference/settings.ts';
import type { ModelClassRow } from '../core/inference/classes.ts';
import type { Prediction, PredictionRunInfo, Problem, Project } from '../core/model.ts';
import { runStore, type RunDraft } from '../store/runs.ts';
import { treeFromSource, type ReadFile, type TreeSource } from './tree-source.ts';

export interface InspectedModel {
  info: OnnxModelInfo;
  guess: LayoutGuess;
}

export interface ModelRunRequest {
  projectKey: string;
  project: Project;
  source: TreeSource;
  model: File;
  settings: InferenceSettings;
  /** The user's class choices: class key -> featureNodeHash, or '' to leave a class out. */
  classMap?: Record<string, string>;
  name: string;
  /** Named by the page, so a cancelled run's leftovers can be removed by id (never shown as interrupted). */
  runId?: string;
  /** Prefer WebGPU when the browser has it (default true). */
  webgpu?: boolean;
}

export interface ModelRunProgress {
  done: number;
  total: number;
  predictions: number;
  imagesPerSecond?: number;
  backend?: string;
  current?: string;
}

export interface ModelRunOutcome {
  info: PredictionRunInfo;
  images: number;
  seconds: number;
  backend: string;
  warnings: string[];
}

type OrtModule = typeof Ort;
let ort: Promise<OrtModule> | undefined;

/** onnxruntime-web, loaded on first use with its wasm from this app's own assets. */
function loadOrt(): Promise<OrtModule> {
  ort ??= import('onnxruntime-web').then((m) => {
    m.env.wasm.wasmPaths = { wasm: new URL(ortWasmUrl, import.meta.url).href };
    const isolated = (self as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
    m.env.wasm.numThreads = isolated ? Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1)) : 1;
    m.env.logLevel = 'error';
    return m;
  });
  return ort;
}

async function hasWebGpu(): Promise<boolean> {
  const gpu = (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return false;
  try {
    return (await gpu.requestAdapter()) !== null;
  } catch {
    return false;
  }
}

async function createSession(
  bytes: Uint8Array,
  file: string,
  preferGpu: boolean,
): Promise<{ session: Ort.InferenceSession; backend: string; ort: OrtModule }> {
  const m = await loadOrt();
  const threads = m.env.wasm.numThreads ?? 1;
  const wasm = `wasm (${threads} thread${threads === 1 ? '' : 's'})`;
  const errors: string[] = [];
  if (preferGpu && (await hasWebGpu())) {
    try {
      return {
        session: await m.InferenceSession.create(bytes, { executionProviders: ['webgpu'] }),
        backend: 'webgpu',
        ort: m,
      };
    } catch (error) {
      errors.push(`WebGPU: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  try {
    return { session: await m.InferenceSession.create(bytes, { executionProviders: ['wasm'] }), backend: wasm, ort: m };
  } catch (error) {
    errors.push(error instanceof Error ? error.message : String(error));
    throw new Error(`${file}: onnxruntime-web could not load the model (${errors.join('; ')})`, { cause: error });
  }
}

function hostFor(session: Ort.InferenceSession, m: OrtModule): InferenceHost {
  return {
    async run(input) {
      const results = await session.run({ [input.name]: new m.Tensor(input.type, input.data, input.dims) });
      const out: Record<string, OutputTensor> = {};
      for (const [name, t] of Object.entries(results)) {
        const data = t.location === 'cpu' ? t.data : await t.getData(true);
        out[name] = { dims: t.dims, data: data as OutputTensor['data'], type: t.type };
      }
      return out;
    },
  };
}

const isPng = (b: Uint8Array) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
const isJpeg = (b: Uint8Array) => b[0] === 0xff && b[1] === 0xd8;

/**
 * PNG and JPEG go through the same decoders as the CLI (src/core/image-decode.ts), so the page and `predlens
 * predict` feed the model identical pixels; other formats (webp, bmp, gif) through the browser's decoder.
 */
async function decodeImage(bytes: Uint8Array, path: string): Promise<RgbaImage> {
  if (isPng(bytes) || isJpeg(bytes)) return decodeImageRgba(bytes, path);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]), {
      colorSpaceConversion: 'none',
      premultiplyAlpha: 'none',
      imageOrientation: 'from-image',
    });
  } catch (error) {
    throw new Error(
      `${path}: the image could not be decoded (${error instanceof Error ? error.message : String(error)})`,
      { cause: error },
    );
  }
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.drawImage(bitmap, 0, 0);
  const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
  bitmap.close();
  return { width: canvas.width, height: canvas.height, rgba: new Uint8Array(data.buffer) };
}

const PROGRESS_EVERY_MS = 100;

const api = {
  /** What the model is and what predlens would do with it (reads the file's header only; no runtime). */
  async inspect(model: File): Promise<InspectedModel> {
    return inspectModel(new Uint8Array(await model.arrayBuffer()), model.name);
  },

  /** The class rows a run would use with these choices (the default rule, then the user's). */
  async classes(
    project: Project,
    model: File,
    classMap?: Record<string, string>,
  ): Promise<{ rows: ModelClassRow[]; rule: string }> {
    const { info, guess } = inspectModel(new Uint8Array(await model.arrayBuffer()), model.name);
    const plan = planRun(project, info, { ...guess, error: undefined }, undefined, classMap);
    return { rows: plan.classes.rows, rule: plan.classes.rule };
  },

  /** Runs the model over every image and stores the run; resolves once it is complete and visible. */
  async run(
    request: ModelRunRequest,
    read: ReadFile | undefined,
    onProgress: (p: ModelRunProgress) => void,
  ): Promise<ModelRunOutcome> {
    const bytes = new Uint8Array(await request.model.arrayBuffer());
    const file = request.model.name;
    const { info, guess } = inspectModel(bytes, file);
    const plan: ModelPlan = planRun(
      request.project,
      info,
      { ...guess, error: guess.error },
      request.settings,
      request.classMap,
    );
    const tree = treeFromSource(request.source, read);
    const jobs = imageJobs(request.project);
    const { session, backend, ort: m } = await createSession(bytes, file, request.webgpu ?? true);
    const host = hostFor(session, m);
    const started = performance.now();
    const unmapped = new Map<number, number>();
    const failed: string[] = [];
    let predictions = 0;
    let done = 0;
    let modelMs = 0;
    const rejected: Problem[] = [];
    let last = 0;
    const report = (force = false) => {
      const now = performance.now();
      if (!force && now - last < PROGRESS_EVERY_MS) return;
      last = now;
      const seconds = (now - started) / 1000;
      onProgress({
        done,
        total: jobs.length,
        predictions,
        backend,
        imagesPerSecond: done > 0 ? done / seconds : undefined,
        current: jobs[done]?.title,
      });
    };
    report(true);
    const outcome: Omit<ModelRunOutcome, 'info'> = { images: 0, seconds: 0, backend, warnings: [] };
    // The run's draft: what only the end of the run knows (settings with the speed, what was left out) is filled
    // in by the producer before it finishes; the store reads it once the last prediction is written.
    const draft: RunDraft = { id: request.runId, name: request.name, model: file, format: 'onnx', sources: [file] };
    async function* produce(): AsyncGenerator<Prediction> {
      for (const job of jobs) {
        let image: RgbaImage | undefined;
        try {
          image = await decodeImage(await tree.readBytes(job.path), job.path);
        } catch (error) {
          failed.push(error instanceof Error ? error.message : String(error));
        }
        if (image) {
          const result = await predictImage(plan, host, job, image);
          modelMs += result.ms.model;
          rejected.push(...result.rejected);
          for (const [k, n] of result.unmapped) unmapped.set(k, (unmapped.get(k) ?? 0) + n);
          predictions += result.predictions.length;
          yield* result.predictions;
        }
        done++;
        report();
      }
      const seconds = (performance.now() - started) / 1000;
      const images = done - failed.length;
      const warnings = [
        ...guess.warnings,
        ...unmappedWarnings(plan, unmapped),
        ...failed.map((f) => `image skipped: ${f}`),
      ];
      draft.settings = runSettings(plan, {
        backend,
        runtime: `onnxruntime-web ${m.env.versions.web ?? ''}`.trim(),
        images,
        seconds: Math.round(seconds * 100) / 100,
        imagesPerSecond: Math.round((images / seconds) * 100) / 100,
        modelImagesPerSecond: Math.round((images / (modelMs / 1000)) * 100) / 100,
      });
      draft.report = { imported: predictions, rejected, warnings };
      Object.assign(outcome, { images, seconds, warnings });
    }
    const store = await runStore();
    let info2: PredictionRunInfo;
    try {
      info2 = await store.saveRun(request.projectKey, draft, { [Symbol.asyncIterator]: () => produce() });
    } finally {
      await session.release().catch(() => undefined);
    }
    report(true);
    return { info: info2, ...outcome };
  },
};

export type InferenceApi = typeof api;

Comlink.expose(api);
