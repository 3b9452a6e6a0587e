// Deleting a run from the Predictions page also forgets the quality metrics cached for it, and only for it.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { RunStore, runsProjectKey } from '../../src/store/runs.ts';
import { MetricsCache } from '../../src/store/metrics-cache.ts';
import type { PredictionMetricTable } from '../../src/core/metrics/columns.ts';
import { RunsState } from '../../src/ui/pages/runs/runs.svelte.ts';

const KEY = runsProjectKey({
  meta: { project_hash: 'c0ffee00-0000-4000-8000-00000000000d', project_title: 'p' },
  source: 'demo',
});

describe('deleting a run', () => {
  it('removes the run and its cached metrics, keeping the other run and its metrics', async () => {
    const store = await RunStore.open('runs-delete-test');
    const cache = await MetricsCache.open('metrics-delete-test');
    const prediction = {
      dataHash: 'du-1',
      frame: 0,
      confidence: 0.5,
      featureHash: 'car',
      shape: { kind: 'box' as const, box: { x: 0.1, y: 0.1, w: 0.2, h: 0.2 } },
    };
    const a = await store.saveRun(KEY, { name: 'a', format: 'json', sources: ['a.json'] }, [prediction]);
    const b = await store.saveRun(KEY, { name: 'b', format: 'json', sources: ['b.json'] }, [prediction]);
    const table = {} as PredictionMetricTable;
    await cache.putRun(KEY, a.id, 'f', table);
    await cache.putRun(KEY, b.id, 'f', table);

    const runs = new RunsState(
      KEY,
      async () => store,
      async () => cache,
    );
    await runs.refresh();
    await runs.remove(a.id);

    expect((await store.listRuns(KEY)).map((r) => r.name)).toEqual(['b']);
    expect(await cache.getRun(KEY, a.id, 'f')).toBeUndefined();
    expect(await cache.getRun(KEY, b.id, 'f')).toBeDefined();
    expect(runs.runs.map((r) => r.id)).toEqual([b.id]);
  });
});
