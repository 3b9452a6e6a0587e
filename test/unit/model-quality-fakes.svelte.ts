// Test doubles for the Model quality state: a router whose route is reactive (like the app's, without `location`)
// and an evaluation backend whose answers the test releases one by one.
import type { PredictionRunInfo } from '../../src/core/model.ts';
import type { EvalBackend, PredictionSource, Timed } from '../../src/workers/eval-client.ts';
import type { PreparedSummary, ScoreRequest, ScoreResult } from '../../src/workers/eval-session.ts';
import { parseHash, type Route } from '../../src/ui/state/router.svelte.ts';

export class FakeRouter {
  route = $state.raw<Route>(parseHash('#/demo/model-quality'));
  readonly history: string[] = [];

  constructor(hash = '#/demo/model-quality') {
    this.route = parseHash(hash);
  }

  setParams(params: Record<string, string | number | undefined>, replace = false) {
    const next = new URLSearchParams(this.route.params);
    for (const [key, value] of Object.entries(params)) {
      if (value === undefined || value === '') next.delete(key);
      else next.set(key, String(value));
    }
    this.route = { ...this.route, params: next };
    this.history.push(`${replace ? 'replace' : 'push'} ${next.toString()}`);
  }
}

export function runInfo(id: string, name = id): PredictionRunInfo {
  return {
    id,
    name,
    createdAt: '2026-11-25T12:00:00.000Z',
    format: 'pkl',
    sources: ['predictions.pkl'],
    counts: { predictions: 3, boxes: 3, polygons: 0, masks: 0, classifications: 0 },
    warnings: [],
    rejected: 0,
  };
}

export function summaryOf(overrides: Partial<PreparedSummary> = {}): PreparedSummary {
  return {
    space: 'objects',
    classes: [{ index: 0, name: 'Car', color: '#D33115', space: 'object', shape: 'bounding_box', featureHash: 'car' }],
    totalPredictions: 3,
    nPredictions: 3,
    nLabels: 2,
    unitsWithPredictions: 1,
    excluded: [],
    skippedLabels: {},
    notes: [],
    deviations: [],
    hasClassifications: false,
    hasObjects: true,
    predSource: Int32Array.of(0, 1, 2),
    predClass: new Int32Array(3),
    predFrame: new Int32Array(3),
    confidence: Float64Array.of(0.9, 0.8, 0.7),
    iou: Float64Array.of(0.9, 0.6, 0.2),
    bestLabel: Int32Array.of(0, 1, -1),
    labelClass: new Int32Array(2),
    labelFrame: new Int32Array(2),
    labelHash: ['a', 'b'],
    frameUnit: new Int32Array(1),
    frameNumber: new Int32Array(1),
    loadMs: 0,
    prepareMs: 0,
    ...overrides,
  };
}

/** A score whose mAP is the threshold itself, so a test can tell which request an answer belongs to. */
export function scoreFor(request: ScoreRequest): Timed<ScoreResult> {
  return {
    ...request,
    mAP: request.iouThreshold,
    mAR: request.ignoreFramesWithoutPredictions ? 1 : 0,
    perClass: [],
    pr: new Float64Array(101),
    isTP: new Uint8Array(3),
    fpReason: new Uint8Array(3),
    isFN: new Uint8Array(2),
    labelCounted: new Uint8Array(2),
    truePositives: 0,
    falsePositives: 3,
    falseNegatives: 2,
    ms: 0,
    roundTripMs: 0,
  };
}

interface Deferred<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
}

export class FakeBackend implements EvalBackend {
  readonly prepared: { source: PredictionSource }[] = [];
  /** The signal of each prepare call, in order. */
  readonly prepareSignals: (AbortSignal | undefined)[] = [];
  readonly scored: ScoreRequest[] = [];
  readonly #pendingScores: (Deferred<Timed<ScoreResult>> & { request: ScoreRequest })[] = [];
  prepareResult: PreparedSummary | Error = summaryOf();
  /** Answer prepare at once (false) or only when its signal aborts, with an AbortError (true). */
  holdPrepare = false;
  /** Answer scores at once (true) or hold them until release() (false). */
  autoScore = true;

  async prepare(_project: unknown, source: PredictionSource, signal?: AbortSignal): Promise<PreparedSummary> {
    this.prepared.push({ source });
    this.prepareSignals.push(signal);
    if (this.holdPrepare) {
      await new Promise((_, reject) =>
        signal?.addEventListener('abort', () => reject(new DOMException('Aborted.', 'AbortError')), { once: true }),
      );
    }
    if (this.prepareResult instanceof Error) throw this.prepareResult;
    return this.prepareResult;
  }

  score(request: ScoreRequest): Promise<Timed<ScoreResult>> {
    this.scored.push(request);
    if (this.autoScore) return Promise.resolve(scoreFor(request));
    return new Promise((resolve, reject) => this.#pendingScores.push({ resolve, reject, request }));
  }

  /** Answers the oldest held score. */
  release() {
    const next = this.#pendingScores.shift();
    next?.resolve(scoreFor(next.request));
  }

  get held() {
    return this.#pendingScores.length;
  }

  coco(): Promise<never> {
    return new Promise(() => undefined);
  }
  confusion(): Promise<never> {
    return new Promise(() => undefined);
  }
  confidenceCurves(): Promise<never> {
    return new Promise(() => undefined);
  }
  async classification() {
    return undefined;
  }
  frameDetail(): Promise<never> {
    return new Promise(() => undefined);
  }
  tide(): Promise<never> {
    return new Promise(() => undefined);
  }
  perImage(): Promise<never> {
    return new Promise(() => undefined);
  }
}
