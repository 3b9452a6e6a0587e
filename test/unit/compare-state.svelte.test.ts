// The Compare page's state with a fake backend and router: the two runs and settings come from the URL (the newest
// run as B and the one before it as A when the link names none), the workers are asked for exactly that, slider
// moves are coalesced (the intervals follow the last one only), and fewer than two runs says so.
import { flushSync } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import type { Project } from '../../src/core/model.ts';
import { CompareState, parseSelected } from '../../src/ui/pages/compare/compare.svelte.ts';
import type { CompareBackend } from '../../src/workers/compare-client.ts';
import type {
  ActiveCompareResult,
  ActiveIntervals,
  ActiveRequest,
  CompareSummary,
} from '../../src/workers/compare-session.ts';
import { FakeRouter, runInfo } from './model-quality-fakes.svelte.ts';

const project = {
  source: 'demo',
  meta: { project_title: 'Demo', project_hash: 'p-hash' },
  ontology: { objects: [], classifications: [] },
  labelRows: [],
  dataUnits: [],
  byDataHash: new Map(),
  problems: [],
  skipped: {},
} as unknown as Project;

const summary: CompareSummary = {
  classes: [],
  runs: { a: { total: 1, evaluated: 1, excluded: [] }, b: { total: 1, evaluated: 1, excluded: [] } },
  nLabels: 1,
  frameUnit: new Int32Array(1),
  frameNumber: new Int32Array(1),
  coveredA: Uint8Array.of(1),
  coveredB: Uint8Array.of(1),
  hasObjects: false,
  prepareMs: 0,
};

function scoreFor(request: ActiveRequest): ActiveCompareResult & { roundTripMs: number } {
  const run = { mAP: request.iouThreshold, mAR: 0, AP: new Float64Array(0), AR: new Float64Array(0) };
  return {
    ...request,
    a: run,
    b: { ...run, mAP: request.iouThreshold + 0.1 },
    prA: new Float64Array(0),
    prB: new Float64Array(0),
    coverage: { compared: 1, total: 1, onlyA: 0, onlyB: 0, allFrames: request.allFrames },
    compared: Uint8Array.of(1),
    ms: 0,
    roundTripMs: 0,
  };
}

class Backend implements CompareBackend {
  prepared: string[] = [];
  scored: ActiveRequest[] = [];
  intervalsAsked: (ActiveRequest & { resamples: number; seed: number })[] = [];
  held: { request: ActiveRequest; resolve: (r: ActiveCompareResult & { roundTripMs: number }) => void }[] = [];
  hold = false;
  async prepare(_p: Project, a: { kind: string; runId?: string }, b: { kind: string; runId?: string }) {
    this.prepared.push(`${a.runId}|${b.runId}`);
    return summary;
  }
  score(request: ActiveRequest) {
    this.scored.push(request);
    if (!this.hold) return Promise.resolve(scoreFor(request));
    return new Promise<ActiveCompareResult & { roundTripMs: number }>((resolve) =>
      this.held.push({ request, resolve }),
    );
  }
  release() {
    const next = this.held.shift();
    next?.resolve(scoreFor(next.request));
  }
  async intervals(request: ActiveRequest & { resamples: number; seed: number }): Promise<ActiveIntervals> {
    this.intervalsAsked.push(request);
    const d = { a: 0, b: 0, delta: 0, ci: [0, 0] as [number, number], pBetter: 0, resamples: request.resamples };
    return {
      ...request,
      differences: {
        mAP: d,
        mAR: d,
        perClass: [],
        bootstrap: {
          resamples: request.resamples,
          seed: request.seed,
          unit: 'frame',
          units: 1,
          generator: 'xoshiro128** seeded by SplitMix32',
        },
      },
      ms: 0,
    };
  }
  coco = () => new Promise<never>(() => undefined);
  changes = () => new Promise<never>(() => undefined);
  frameDetail = () => new Promise<never>(() => undefined);
  frameVerdicts = () => new Promise<never>(() => undefined);
  confusion = () => new Promise<never>(() => undefined);
  terminate = vi.fn();
}

const settle = async () => {
  for (let i = 0; i < 6; i++) {
    await Promise.resolve();
    flushSync();
  }
};

function setup(runs = [runInfo('new'), runInfo('mid'), runInfo('old')], hash = '#/demo/compare') {
  const router = new FakeRouter(hash);
  const backend = new Backend();
  const cmp = new CompareState(project, router, backend, { listRuns: vi.fn(async () => runs) });
  const stop = cmp.connect();
  return { router, backend, cmp, stop };
}

describe('CompareState', () => {
  it('without a link: the newest run as B, the one before as A, written into the URL, then prepared', async () => {
    const { router, backend, cmp, stop } = setup();
    await settle();
    expect(router.route.params.get('b')).toBe('new');
    expect(router.route.params.get('a')).toBe('mid');
    expect(backend.prepared).toEqual(['mid|new']);
    expect(cmp.phase).toBe('ready');
    expect(backend.scored).toEqual([{ iouThreshold: 0.5, ignoreFramesWithoutPredictions: false, allFrames: false }]);
    expect(backend.intervalsAsked).toMatchObject([{ iouThreshold: 0.5, resamples: 1000, seed: 1 }]);
    expect(cmp.currentIntervals?.resamples).toBe(1000);
    stop();
    expect(backend.terminate).toHaveBeenCalled();
  });

  it('a link names the runs and every setting', async () => {
    const { backend, cmp, stop } = setup(
      undefined,
      '#/demo/compare?a=old&b=mid&iou=0.7&frames=1&all=1&seed=9&img=3:0&show=a',
    );
    await settle();
    expect(backend.prepared).toEqual(['old|mid']);
    expect(backend.scored.at(-1)).toEqual({ iouThreshold: 0.7, ignoreFramesWithoutPredictions: true, allFrames: true });
    expect(backend.intervalsAsked.at(-1)).toMatchObject({ seed: 9 });
    expect(cmp.selected).toEqual({ dataUnitIndex: 3, frameNumber: 0 });
    expect(cmp.show).toBe('a');
    stop();
  });

  it('slider moves are coalesced: while a score is in flight only the newest waits, and its intervals follow', async () => {
    const { backend, cmp, stop } = setup();
    backend.hold = true;
    await settle();
    expect(backend.scored).toHaveLength(1);
    cmp.setIou(0.6);
    await settle();
    cmp.setIou(0.7);
    await settle();
    cmp.setIou(0.8);
    await settle();
    backend.release();
    await settle();
    // 0.6 and 0.7 were dropped: the next request is the newest.
    expect(backend.scored.map((r) => r.iouThreshold)).toEqual([0.5, 0.8]);
    backend.release();
    await settle();
    expect(cmp.active?.iouThreshold).toBe(0.8);
    expect(backend.intervalsAsked.map((r) => r.iouThreshold)).toEqual([0.8]);
    stop();
  });

  it('fewer than two runs: says so, asks no worker', async () => {
    const { backend, cmp, stop } = setup([runInfo('only')]);
    await settle();
    expect(cmp.phase).toBe('need-two');
    expect(backend.prepared).toEqual([]);
    stop();
  });

  it('reads the selected image from the link', () => {
    expect(parseSelected('12:4')).toEqual({ dataUnitIndex: 12, frameNumber: 4 });
    expect(parseSelected('x')).toBeUndefined();
    expect(parseSelected(null)).toBeUndefined();
  });
});
