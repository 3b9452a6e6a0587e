// A producer that makes predictions as it goes (a model running) writes its run chunk by chunk: the run is
// 'writing' and invisible while it runs, a producer that fails part way leaves nothing and earlier runs as they
// were, and what the producer fills into its draft before it ends (settings, report) is what the run records.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { Prediction } from '../../src/core/model.ts';
import { RunStore, runsProjectKey, type RunDraft } from '../../src/store/runs.ts';

const KEY = runsProjectKey({ meta: { project_hash: 'stream-0001', project_title: 'p' }, source: 'demo' });

const box = (i: number): Prediction => ({
  dataHash: `du-${i % 5}`,
  frame: 0,
  confidence: (i % 100) / 100,
  featureHash: 'car',
  shape: { kind: 'box', box: { x: 0.1, y: 0.1, w: 0.2, h: 0.2 } },
});

describe('saveRun with an async producer', () => {
  it('writes chunks while the producer runs; the run shows only when complete, with what the producer recorded', async () => {
    const store = await RunStore.open('runs-stream-1');
    const seen: string[][] = [];
    const draft: RunDraft = { name: 'model run', format: 'onnx', sources: ['m.onnx'] };
    async function* produce() {
      for (let i = 0; i < 25; i++) {
        yield box(i);
        if (i === 20) {
          const runs = await store.db.getAll('runs');
          seen.push(runs.map((r) => r.status));
          seen.push([String((await store.db.getAll('chunks')).length)]);
          expect(await store.listRuns(KEY)).toEqual([]);
        }
      }
      draft.settings = { model: 'm.onnx', imagesPerSecond: 12.5 };
      draft.report = { imported: 25, rejected: [], warnings: ['1 detection left out'] };
    }
    const info = await store.saveRun(KEY, draft, { [Symbol.asyncIterator]: produce }, { chunkSize: 10 });
    expect(seen).toEqual([['writing'], ['2']]);
    expect(info).toMatchObject({
      format: 'onnx',
      settings: { model: 'm.onnx', imagesPerSecond: 12.5 },
      warnings: ['1 detection left out'],
    });
    expect((await store.listRuns(KEY)).map((r) => r.name)).toEqual(['model run']);
    expect(await store.loadRun(KEY, info.id)).toEqual(Array.from({ length: 25 }, (_, i) => box(i)));
    store.close();
  });

  it('a producer that fails part way leaves no trace, and the earlier run is untouched', async () => {
    const store = await RunStore.open('runs-stream-2');
    const earlier = await store.saveRun(KEY, { name: 'earlier', format: 'writer', sources: [] }, [box(1), box(2)]);
    async function* failing() {
      for (let i = 0; i < 30; i++) {
        if (i === 17) throw new Error('image 17: cannot decode');
        yield box(i);
      }
    }
    await expect(
      store.saveRun(
        KEY,
        { name: 'broken', format: 'onnx', sources: [] },
        { [Symbol.asyncIterator]: failing },
        { chunkSize: 5 },
      ),
    ).rejects.toThrow('image 17: cannot decode');
    expect((await store.listRuns(KEY)).map((r) => r.id)).toEqual([earlier.id]);
    expect(await store.db.getAll('runs')).toHaveLength(1);
    expect((await store.db.getAll('chunks')).map((c) => c.runId)).toEqual([earlier.id]);
    expect(await store.loadRun(KEY, earlier.id)).toEqual([box(1), box(2)]);
    store.close();
  });
});
