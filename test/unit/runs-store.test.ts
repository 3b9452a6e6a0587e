// The prediction-run store on fake-indexeddb: runs are saved whole or not at all, earlier runs never change, only
// names change, deletes remove everything, and a writer that died leaves nothing behind once the store reopens.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImportReport, Prediction } from '../../src/core/model.ts';
import { RunNameError, RunNotFoundError, RunStore, runsProjectKey, StorageFullError } from '../../src/store/runs.ts';
import { chunkRange } from '../../src/store/runs-db.ts';
import { encodePredictions } from '../../src/store/columnar.ts';

const KEY = runsProjectKey({
  meta: { project_hash: 'c0ffee00-0000-4000-8000-000000000001', project_title: 'p' },
  source: 'demo',
});
const OTHER = runsProjectKey({
  meta: { project_hash: 'c0ffee00-0000-4000-8000-000000000002', project_title: 'q' },
  source: 'demo',
});

let dbCount = 0;
const open: RunStore[] = [];
async function freshStore(name = `runs-test-${++dbCount}`): Promise<{ store: RunStore; name: string }> {
  const store = await RunStore.open(name);
  open.push(store);
  return { store, name };
}
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

function boxes(n: number, seed: number): Prediction[] {
  return Array.from({ length: n }, (_, i) => ({
    dataHash: `du-${(i * 7 + seed) % 13}`,
    frame: i % 3,
    confidence: ((i * 37 + seed) % 1000) / 1000,
    featureHash: i % 2 ? 'car' : 'person',
    shape: { kind: 'box', box: { x: (i % 10) / 20, y: 0.1, w: 0.25, h: 0.5 } },
  }));
}

const mixed: Prediction[] = [
  ...boxes(3, 1),
  {
    dataHash: 'du-1',
    frame: 0,
    confidence: 0.4,
    featureHash: 'dog',
    shape: {
      kind: 'polygon',
      points: [
        [0, 0],
        [0.5, 0],
        [0.5, 0.5],
      ],
    },
  },
  {
    dataHash: 'du-2',
    frame: 0,
    confidence: 0.3,
    featureHash: 'dog',
    shape: { kind: 'mask', mask: { size: [2, 2], counts: [1, 2, 1] } },
  },
  {
    dataHash: 'du-2',
    frame: 0,
    confidence: 0.9,
    featureHash: 'tod',
    shape: { kind: 'classification', attributeHash: 'a', optionHash: 'o' },
  },
];

const report: ImportReport = {
  imported: mixed.length,
  rejected: [{ file: 'results.json', record: 4, reason: 'category 99 is not in the ontology', code: 'unknown_class' }],
  warnings: ['confidences were percentages: divided by 100'],
};

describe('prediction runs in IndexedDB', () => {
  it('saves a run and lists and loads it back exactly, with counts, warnings and the full report', async () => {
    const { store } = await freshStore();
    const progress: number[] = [];
    const info = await store.saveRun(
      KEY,
      { name: 'COCO 2024-05-01', format: 'coco', sources: ['results.json'], report, model: 'yolov8n' },
      mixed,
      { chunkSize: 2, onProgress: (p) => progress.push(p.written) },
    );
    expect(info).toMatchObject({
      name: 'COCO 2024-05-01',
      model: 'yolov8n',
      format: 'coco',
      sources: ['results.json'],
      counts: { predictions: 6, boxes: 3, polygons: 1, masks: 1, classifications: 1 },
      warnings: report.warnings,
      rejected: 1,
    });
    expect(progress).toEqual([0, 2, 4, 6]);
    expect(await store.listRuns(KEY)).toEqual([info]);
    expect(await store.listRuns(OTHER)).toEqual([]);
    expect(await store.loadRun(KEY, info.id)).toEqual(mixed);
    expect(await store.getReport(KEY, info.id)).toEqual(report);
    await expect(store.loadRun(OTHER, info.id)).rejects.toBeInstanceOf(RunNotFoundError);
  });

  it('keeps earlier runs unchanged while later runs are saved, renamed and deleted', async () => {
    const { store, name } = await freshStore();
    const first = await store.saveRun(KEY, { name: 'first', format: 'kitti', sources: ['labels/'] }, boxes(50, 1), {
      chunkSize: 8,
    });
    const second = await store.saveRun(
      KEY,
      { name: 'second', format: 'yolo', sources: ['yolo/'], createdAt: '2099-01-01T00:00:00.000Z' },
      boxes(20, 2),
    );
    const third = await store.saveRun(
      KEY,
      { name: 'third', format: 'json', sources: ['p.json'], createdAt: '2099-01-02T00:00:00.000Z' },
      mixed,
    );
    expect((await store.listRuns(KEY)).map((r) => r.name)).toEqual(['third', 'second', 'first']);

    const renamed = await store.renameRun(KEY, second.id, '  yolo after fine-tuning ');
    expect(renamed).toEqual({ ...second, name: 'yolo after fine-tuning' });
    await store.deleteRun(KEY, third.id);

    // A second connection (a reload) sees the same.
    const again = await RunStore.open(name);
    open.push(again);
    expect(await again.listRuns(KEY)).toEqual([renamed, first]);
    expect(await again.loadRun(KEY, first.id)).toEqual(boxes(50, 1));
    expect(await again.loadRun(KEY, second.id)).toEqual(boxes(20, 2));
    await expect(again.loadRun(KEY, third.id)).rejects.toBeInstanceOf(RunNotFoundError);
    expect(await again.db.count('chunks', chunkRange(third.id))).toBe(0);
    expect(await again.db.get('reports', third.id)).toBeUndefined();
  });

  it('refuses empty names, and renaming or deleting a run that is not there', async () => {
    const { store } = await freshStore();
    await expect(store.saveRun(KEY, { name: '   ', format: 'json', sources: [] }, mixed)).rejects.toBeInstanceOf(
      RunNameError,
    );
    const info = await store.saveRun(KEY, { name: 'ok', format: 'json', sources: [] }, mixed);
    await expect(store.renameRun(KEY, info.id, '')).rejects.toBeInstanceOf(RunNameError);
    await expect(store.renameRun(OTHER, info.id, 'x')).rejects.toBeInstanceOf(RunNotFoundError);
    await expect(store.deleteRun(KEY, 'nope')).rejects.toBeInstanceOf(RunNotFoundError);
    expect((await store.listRuns(KEY)).map((r) => r.name)).toEqual(['ok']);
  });

  it('shows nothing of a run while it is being written', async () => {
    const { store, name } = await freshStore();
    const reader = await RunStore.open(name);
    open.push(reader);
    const seen: number[] = [];
    await store.saveRun(KEY, { name: 'slow', format: 'pkl', sources: [] }, boxes(30, 3), {
      chunkSize: 10,
      onProgress: () => void reader.listRuns(KEY).then((runs) => seen.push(runs.length)),
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(seen.length).toBeGreaterThan(0);
    // Progress calls before the final transaction saw no run.
    expect(seen.slice(0, -1).every((n) => n === 0)).toBe(true);
    expect(await reader.listRuns(KEY)).toHaveLength(1);
  });

  it('leaves nothing visible and the earlier runs intact when a save fails or is cancelled midway', async () => {
    const { store } = await freshStore();
    const earlier = await store.saveRun(KEY, { name: 'earlier', format: 'kitti', sources: [] }, boxes(12, 4));

    function* failing(): Generator<Prediction> {
      yield* boxes(25, 5);
      throw new Error('results.json: unexpected end of JSON');
    }
    await expect(
      store.saveRun(KEY, { name: 'broken', format: 'coco', sources: [] }, failing(), { chunkSize: 10 }),
    ).rejects.toThrow(/unexpected end/);

    const abort = new AbortController();
    await expect(
      store.saveRun(KEY, { name: 'cancelled', format: 'coco', sources: [] }, boxes(40, 6), {
        chunkSize: 10,
        signal: abort.signal,
        onProgress: (p) => p.written >= 20 && abort.abort(new DOMException('cancelled by the user', 'AbortError')),
      }),
    ).rejects.toMatchObject({ name: 'AbortError' });

    expect(await store.listRuns(KEY)).toEqual([earlier]);
    expect(await store.loadRun(KEY, earlier.id)).toEqual(boxes(12, 4));
    expect(await store.db.count('runs')).toBe(1);
    expect(await store.db.count('chunks')).toBe(1);
  });

  it('sweeps a run whose writer died (status still "writing") when the store is opened again', async () => {
    const { store, name } = await freshStore();
    const kept = await store.saveRun(KEY, { name: 'kept', format: 'yolo', sources: [] }, boxes(5, 7));
    // What a terminated worker leaves: the 'writing' record and some chunks, never the final transaction.
    const { chunks } = encodePredictions(boxes(30, 8), 10);
    await store.db.put('runs', {
      id: 'dead-run',
      projectKey: KEY,
      status: 'writing',
      startedAt: Date.now(),
      chunkCount: 0,
    });
    for (const [index, chunk] of chunks.entries()) await store.db.put('chunks', { runId: 'dead-run', index, chunk });
    expect(await store.listRuns(KEY)).toEqual([kept]);

    const reopened = await RunStore.open(name);
    open.push(reopened);
    expect((await reopened.db.get('runs', 'dead-run'))?.status).toBe('interrupted');
    expect(await reopened.db.count('chunks', chunkRange('dead-run'))).toBe(0);
    expect(await reopened.listRuns(KEY)).toEqual([kept]);
    expect(await reopened.loadRun(KEY, kept.id)).toEqual(boxes(5, 7));
    // What is left is a notice for the user, until dismissed.
    expect(await reopened.interruptedImports(KEY)).toMatchObject([{ id: 'dead-run', written: 0 }]);
    expect(await reopened.interruptedImports(OTHER)).toEqual([]);
    await reopened.dismissInterrupted(KEY, 'dead-run');
    expect(await reopened.db.get('runs', 'dead-run')).toBeUndefined();
    expect(await reopened.interruptedImports(KEY)).toEqual([]);
  });

  it('a notice of an import that died says its name, format and how far it got', async () => {
    const { store, name } = await freshStore();
    // Lock-free here (Node): a second connection does not see this process's writers after the process "dies",
    // so the save is stopped by failing its fourth chunk and the record is put back as the dead writer left it.
    const draft = { name: 'big import', format: 'coco' as const, sources: ['results.json'] };
    await store.saveRun(KEY, { ...draft, id: 'died' }, boxes(50, 3), { chunkSize: 10 }).catch(() => undefined);
    await store.db.put('runs', {
      id: 'died',
      projectKey: KEY,
      status: 'writing',
      startedAt: 1000,
      chunkCount: 3,
      draft,
      written: 30,
      total: 50,
    });
    const reopened = await RunStore.open(name);
    open.push(reopened);
    expect(await reopened.interruptedImports(KEY)).toEqual([
      {
        id: 'died',
        name: 'big import',
        format: 'coco',
        sources: ['results.json'],
        startedAt: 1000,
        interruptedAt: expect.any(Number),
        written: 30,
        total: 50,
      },
    ]);
    // forgetUnfinished removes the notice (after a cancel the page reported itself); a complete run is kept.
    const kept = await reopened.saveRun(KEY, { name: 'kept', format: 'yolo', sources: [] }, boxes(3, 1));
    expect(await reopened.forgetUnfinished(KEY, 'died')).toBe(true);
    expect(await reopened.forgetUnfinished(KEY, kept.id)).toBe(true);
    expect(await reopened.interruptedImports(KEY)).toEqual([]);
    expect(await reopened.listRuns(KEY)).toEqual([kept]);
  });

  it('records how many predictions each chunk transaction wrote', async () => {
    const { store } = await freshStore();
    const seen: number[] = [];
    await store.saveRun(KEY, { name: 'counted', format: 'yolo', sources: [], id: 'counted' }, boxes(25, 2), {
      chunkSize: 10,
      onProgress: async () => {
        const r = await store.db.get('runs', 'counted');
        if (r?.status === 'writing') seen.push(r.written!);
      },
    });
    expect(seen).toEqual([0, 10, 20, 25]);
  });

  it('a full storage quota fails the one import with a clear message; what it wrote goes, earlier runs stay', async () => {
    const { store } = await freshStore();
    const earlier = await store.saveRun(KEY, { name: 'earlier', format: 'yolo', sources: [] }, boxes(12, 4));
    // A stubbed store write: the third chunk of the new run is refused as a full quota is.
    const put = IDBObjectStore.prototype.put;
    let chunkPuts = 0;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<typeof put>) {
      if (this.name === 'chunks' && ++chunkPuts === 3) throw new DOMException('Quota exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    };
    const error = await store
      .saveRun(KEY, { name: 'too big', format: 'coco', sources: [] }, boxes(45, 5), { chunkSize: 10 })
      .catch((e: unknown) => e)
      .finally(() => (IDBObjectStore.prototype.put = put));
    expect(error).toBeInstanceOf(StorageFullError);
    expect((error as Error).message).toMatch(
      /^the browser's storage for this site is full.*: run "too big" could not be stored \(QuotaExceededError after 20 of 45 predictions were written\)\. What it wrote was removed\./,
    );
    expect(await store.listRuns(KEY)).toEqual([earlier]);
    expect(await store.loadRun(KEY, earlier.id)).toEqual(boxes(12, 4));
    expect(await store.db.count('runs')).toBe(1);
    expect(await store.db.count('chunks')).toBe(1);
    expect(await store.interruptedImports(KEY)).toEqual([]);
  });

  it('does not sweep a run this process is still writing', async () => {
    const { store, name } = await freshStore();
    let swept = -1;
    let sweptWhileWriting = false;
    let done = false;
    await store.saveRun(KEY, { name: 'busy', format: 'yolo', sources: [] }, boxes(200, 9), {
      chunkSize: 5,
      onProgress: async (p) => {
        if (p.written === 10) {
          const other = await RunStore.open(name);
          swept = await other.sweepStale();
          sweptWhileWriting = !done;
          other.close();
        }
      },
    });
    done = true;
    await new Promise((r) => setTimeout(r, 20));
    expect(sweptWhileWriting).toBe(true);
    expect(swept).toBe(0);
    expect((await store.listRuns(KEY)).map((r) => r.name)).toEqual(['busy']);
  });
});
