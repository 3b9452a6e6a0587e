// The Model quality page's state, with a fake worker and router: the run, threshold and toggle come from the URL,
// the worker is asked for exactly what the URL says, slider moves are coalesced, and failures become messages.
import { flushSync } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import type { Project } from '../../src/core/model.ts';
import { ModelQualityState, parseTab } from '../../src/ui/pages/model-quality/model-quality.svelte.ts';
import { parseUnit } from '../../src/ui/state/run-evaluation.svelte.ts';
import { EvalClient } from '../../src/workers/eval-client.ts';
import { fakeEvalWorkers } from './fake-eval-worker.ts';
import { FakeBackend, FakeRouter, runInfo, summaryOf } from './model-quality-fakes.svelte.ts';

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

function setup(runs = [runInfo('new'), runInfo('old')], hash?: string) {
  const router = new FakeRouter(hash);
  const backend = new FakeBackend();
  const lister = { listRuns: vi.fn(async () => runs) };
  const mq = new ModelQualityState(project, router, backend, lister);
  const stop = mq.connect();
  return { router, backend, lister, mq, stop };
}

const settle = async () => {
  for (let i = 0; i < 5; i++) {
    await Promise.resolve();
    flushSync();
  }
};

describe('URL parameters', () => {
  it('reads thresholds on the slider grid and falls back on anything else', () => {
    expect(parseUnit('0.63', 0.5)).toBe(0.63);
    expect(parseUnit('0.634', 0.5)).toBe(0.63);
    expect(parseUnit('7', 0.5)).toBe(1);
    expect(parseUnit('-1', 0.5)).toBe(0);
    expect(parseUnit('abc', 0.5)).toBe(0.5);
    expect(parseUnit(null, 0.5)).toBe(0.5);
    expect(parseTab('coco')).toBe('coco');
    expect(parseTab('nope')).toBe('summary');
  });
});

describe('ModelQualityState', () => {
  it('shows the empty state when the project has no runs, and never starts a worker', async () => {
    const { mq, backend, stop } = setup([]);
    await settle();
    expect(mq.phase).toBe('no-runs');
    expect(backend.prepared).toEqual([]);
    stop();
    expect(backend.prepared).toEqual([]);
  });

  it('on leaving, aborts its own preparation in flight, and leaves a prepared run alone', async () => {
    const prepared = setup();
    await settle();
    prepared.stop();
    expect(prepared.backend.prepareSignals.map((s) => s?.aborted)).toEqual([false]);

    const router = new FakeRouter();
    const backend = new FakeBackend();
    backend.holdPrepare = true;
    const mq = new ModelQualityState(project, router, backend, { listRuns: async () => [runInfo('new')] });
    const stop = mq.connect();
    await settle();
    expect(mq.phase).toBe('preparing');
    stop();
    expect(backend.prepareSignals.map((s) => s?.aborted)).toEqual([true]);
  });

  it('finds the run prepared when the page comes back to the shared client, and scores at once', async () => {
    const workers = fakeEvalWorkers(() => summaryOf());
    const shared = new EvalClient(workers.create);
    const open = () => {
      const mq = new ModelQualityState(project, new FakeRouter('#/demo/model-quality?iou=0.7'), shared, {
        listRuns: async () => [runInfo('new')],
      });
      return { mq, stop: mq.connect() };
    };
    const first = open();
    await vi.waitFor(() => expect(first.mq.score?.mAP).toBe(0.7));
    first.stop();
    const second = open();
    await vi.waitFor(() => expect(second.mq.score?.mAP).toBe(0.7));
    expect(second.mq.phase).toBe('ready');
    expect(workers.calls.prepare).toHaveLength(1);
    expect(workers.calls.score).toHaveLength(2);
    second.stop();
    workers.close();
  });

  it('prepares the newest run, writes it into the URL, and scores at the default 0.5', async () => {
    const { mq, backend, router, lister, stop } = setup();
    await settle();
    expect(lister.listRuns).toHaveBeenCalledWith('p-hash|demo');
    expect(router.route.params.get('run')).toBe('new');
    expect(backend.prepared).toEqual([{ source: { kind: 'run', projectKey: 'p-hash|demo', runId: 'new' } }]);
    expect(mq.phase).toBe('ready');
    expect(backend.scored).toEqual([{ iouThreshold: 0.5, ignoreFramesWithoutPredictions: false }]);
    expect(mq.score?.mAP).toBe(0.5);
    stop();
  });

  it('follows a deep link: run, threshold and toggle from the hash', async () => {
    const { mq, backend, stop } = setup(undefined, '#/demo/model-quality?run=old&iou=0.75&frames=1');
    await settle();
    expect(backend.prepared[0].source).toMatchObject({ runId: 'old' });
    expect(backend.scored).toEqual([{ iouThreshold: 0.75, ignoreFramesWithoutPredictions: true }]);
    expect([mq.score?.mAP, mq.score?.mAR]).toEqual([0.75, 1]);
    stop();
  });

  it('re-scores when the slider moves, and while a score is running only the latest threshold waits', async () => {
    const { mq, backend, router, stop } = setup();
    await settle();
    backend.autoScore = false;
    mq.setIou(0.6);
    await settle();
    expect(router.route.params.get('iou')).toBe('0.60');
    expect(backend.held).toBe(1);
    // A drag: three more moves while 0.6 is in the worker.
    mq.setIou(0.61);
    await settle();
    mq.setIou(0.62);
    await settle();
    mq.setIou(0.7);
    await settle();
    expect(backend.held).toBe(1);
    backend.release();
    await settle();
    expect(mq.score?.mAP).toBe(0.6);
    backend.release();
    await settle();
    expect(backend.scored.map((r) => r.iouThreshold)).toEqual([0.5, 0.6, 0.7]);
    expect(mq.score?.mAP).toBe(0.7);
    stop();
  });

  it('re-scores when "ignore frames without predictions" is toggled, keeping the threshold', async () => {
    const { mq, backend, stop } = setup(undefined, '#/demo/model-quality?iou=0.4');
    await settle();
    mq.setIgnoreFrames(true);
    await settle();
    expect(backend.scored.at(-1)).toEqual({ iouThreshold: 0.4, ignoreFramesWithoutPredictions: true });
    mq.setIgnoreFrames(false);
    await settle();
    expect(backend.scored.at(-1)).toEqual({ iouThreshold: 0.4, ignoreFramesWithoutPredictions: false });
    stop();
  });

  it("prepares again when another run is chosen, and drops the old run's answers", async () => {
    const { mq, backend, stop } = setup();
    await settle();
    mq.selectRun('old');
    await settle();
    expect(backend.prepared.map((p) => (p.source as { runId: string }).runId)).toEqual(['new', 'old']);
    expect(mq.preparedRun).toBe('old');
    expect(mq.score?.iouThreshold).toBe(0.5);
    stop();
  });

  it('says so when the URL names a run that is gone, and shows the newest run instead', async () => {
    const { mq, router, backend, stop } = setup(undefined, '#/demo/model-quality?run=deleted');
    await settle();
    expect(mq.missingRun).toBe('deleted');
    // The link now names the newest run (replacing the entry: Back does not return to the dead link).
    expect(router.route.params.get('run')).toBe('new');
    expect(router.history.at(-1)).toBe('replace run=new');
    expect(mq.runId).toBe('new');
    expect(mq.run?.id).toBe('new');
    expect(backend.prepared.map((p) => (p.source as { runId?: string }).runId)).toEqual(['new']);
    expect(mq.phase).not.toBe('error');
    // Choosing a run forgets the notice.
    mq.selectRun('old');
    expect(mq.missingRun).toBeUndefined();
    stop();
  });

  it('turns a failed preparation into a message naming the run', async () => {
    const router = new FakeRouter();
    const backend = new FakeBackend();
    backend.prepareResult = new Error('prediction run new is damaged: 1 of 2 chunks are there');
    const mq = new ModelQualityState(project, router, backend, { listRuns: async () => [runInfo('new', 'My run')] });
    const stop = mq.connect();
    await settle();
    expect(mq.phase).toBe('error');
    expect(mq.error).toEqual({
      title: '“My run” could not be evaluated',
      message: 'prediction run new is damaged: 1 of 2 chunks are there',
    });
    backend.prepareResult = summaryOf();
    mq.retry();
    await settle();
    expect(mq.phase).toBe('ready');
    stop();
  });

  it('keeps the tab, the list filter and the open row in the URL', async () => {
    const { mq, router, stop } = setup();
    await settle();
    mq.setTab('fp');
    mq.setClassFilter(0);
    mq.openItem(2);
    await settle();
    expect(mq.tab).toBe('fp');
    expect(mq.classFilter).toBe(0);
    expect(mq.item).toBe(2);
    expect(router.route.params.get('tab')).toBe('fp');
    mq.setTab('fn');
    await settle();
    expect(mq.item).toBeUndefined();
    stop();
  });
});
