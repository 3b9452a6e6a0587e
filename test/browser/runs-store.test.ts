// Prediction runs in real Chromium IndexedDB: a run of one million boxes saves and reopens equal; an import whose
// worker is terminated mid-save leaves every earlier run intact, no half run and a notice of the lost import once
// the store reopens (what a reload does); an import worker that dies on its own (killed from outside, reading or
// saving) fails the import with a clear error within seconds and leaves nothing; a full quota (a stubbed store
// write) fails the save with a clear message and keeps the earlier runs readable.
import * as Comlink from 'comlink';
import { deleteDB } from 'idb';
import { afterAll, describe, expect, it } from 'vitest';
import type { DataUnit, Prediction, Project } from '../../src/core/model.ts';
import { RunStore, StorageFullError } from '../../src/store/runs.ts';
import { RUNS_DB_NAME, chunkRange } from '../../src/store/runs-db.ts';
import { createImportWorker, ImportClient, ImportWorkerStoppedError } from '../../src/workers/import-client.ts';
import type { ImportApi, ImportProgressEvent } from '../../src/workers/import.worker.ts';

const BIG_DB = `runs-big-${crypto.randomUUID()}`;
afterAll(() => deleteDB(BIG_DB));

function box(i: number): Prediction {
  return {
    dataHash: `du-${i % 5000}`,
    frame: i % 7,
    confidence: (i % 9973) / 9973,
    featureHash: i % 3 === 0 ? 'person' : 'car',
    shape: { kind: 'box', box: { x: (i % 100) / 200, y: (i % 37) / 80, w: 0.125, h: 0.25 + (i % 11) / 100 } },
  };
}

describe('prediction runs in Chromium', () => {
  it('saves a run of one million boxes and reads it back equal', async () => {
    const N = 1_000_000;
    const predictions = Array.from({ length: N }, (_, i) => box(i));
    const store = await RunStore.open(BIG_DB);
    let progressCalls = 0;
    const info = await store.saveRun(
      'big|test',
      { name: 'one million', format: 'json', sources: ['generated'] },
      predictions,
      {
        onProgress: () => progressCalls++,
      },
    );
    expect(info.counts).toEqual({ predictions: N, boxes: N, polygons: 0, masks: 0, classifications: 0 });
    expect(progressCalls).toBeGreaterThan(10);
    // Chunks, not a record per prediction.
    expect(await store.db.count('chunks', chunkRange(info.id))).toBe(Math.ceil(N / 65536));
    store.close();

    const reopened = await RunStore.open(BIG_DB);
    expect((await reopened.listRuns('big|test')).map((r) => r.id)).toEqual([info.id]);
    const columns = await reopened.loadRunColumns('big|test', info.id);
    expect(columns.length).toBe(N);
    for (const i of [0, 1, 65535, 65536, 500_000, 777_777, N - 1]) expect(columns.get(i)).toEqual(predictions[i]);
    const all = await reopened.loadRun('big|test', info.id);
    expect(all.length).toBe(N);
    for (let i = 0; i < N; i += 9973) expect(all[i]).toEqual(predictions[i]);
    reopened.close();
  }, 180_000);

  it('an import whose worker is terminated while saving leaves no half run and the earlier runs intact', async () => {
    const key = `kill-test|${crypto.randomUUID()}`;
    const project = tinyProject();
    const store = await RunStore.open();
    const earlier = await store.saveRun(
      key,
      { name: 'earlier', format: 'json', sources: [] },
      [box(1), box(2)].map(onUnit),
    );

    // 300k native records (in files of 50k): enough chunks that the save is caught between two of them.
    const entries = Array.from({ length: 6 }, (_, f) => {
      const lines: string[] = [];
      for (let i = 0; i < 50_000; i++) {
        lines.push(
          JSON.stringify({
            dataHash: UNIT.dataHash,
            frame: 0,
            confidence: (i % 1000) / 1000,
            featureHash: 'carHash',
            box: { x: 0.1, y: 0.1, w: 0.2, h: 0.3 },
          }),
        );
      }
      return { path: `part-${f}.ndjson`, file: new File([lines.join('\n')], `part-${f}.ndjson`) };
    });

    const worker = new Worker(new URL('../../src/workers/import.worker.ts', import.meta.url), { type: 'module' });
    const api = Comlink.wrap<ImportApi>(worker);
    await api.setProject(key, project);
    const caught = new Promise<ImportProgressEvent>((resolve) => {
      void api.importRun(
        {
          projectKey: key,
          source: { kind: 'files', name: 'big', entries },
          format: 'json',
          options: {},
          name: 'killed',
        },
        Comlink.proxy((e: ImportProgressEvent) => {
          if (e.stage === 'saving' && e.done > 0 && e.done < (e.total ?? 0)) {
            worker.terminate();
            resolve(e);
          }
        }),
      );
    });
    const at = await caught;
    expect(at.done).toBeLessThan(300_000);

    // Nothing of the killed run shows, even before it is swept.
    expect(await store.listRuns(key)).toEqual([earlier]);

    // Once the dead worker's lock is gone, opening the store sweeps what it left.
    await waitFor(
      async () => !(await navigator.locks.query()).held?.some((l) => l.name?.startsWith('predlens-run-write:')),
    );
    const reopened = await RunStore.open();
    const leftovers = (await reopened.db.getAllFromIndex('runs', 'by-status', 'writing')).filter(
      (r) => r.projectKey === key,
    );
    expect(leftovers).toEqual([]);
    expect(await reopened.listRuns(key)).toEqual([earlier]);
    // A notice of the lost import stays for the user: its name and how far it got (a whole chunk or more).
    const [lost] = await reopened.interruptedImports(key);
    expect(lost).toMatchObject({ name: 'killed', format: 'json', total: 300_000 });
    expect(lost.written).toBeGreaterThanOrEqual(65_536);
    expect(lost.written).toBeLessThan(300_000);
    expect(await reopened.db.count('chunks', chunkRange(lost.id))).toBe(0);
    expect(await reopened.loadRun(key, earlier.id)).toEqual([box(1), box(2)].map(onUnit));
    const chunks = await reopened.db.getAllKeys('chunks');
    const runIds = new Set((await reopened.db.getAll('runs')).map((r) => r.id));
    expect(chunks.every(([runId]) => runIds.has(runId))).toBe(true);
    store.close();
    reopened.close();
    expect(RUNS_DB_NAME).toBe('predlens-runs');
  }, 120_000);
});

const UNIT: DataUnit = {
  dataHash: '3f0c6f0e-1111-4aaa-8bbb-000000000001',
  labelHash: '3f0c6f0e-2222-4aaa-8bbb-000000000002',
  title: 'one.png',
  dataType: 'image',
  mime: 'image/png',
  width: 640,
  height: 480,
  sequence: 0,
  frames: [],
  images: { 0: 'images/one.png' },
  frameNumbers: [0],
};

function onUnit(p: Prediction): Prediction {
  return { ...p, dataHash: UNIT.dataHash, frame: 0, featureHash: 'carHash' };
}

function tinyProject(): Project {
  return {
    source: 'test',
    meta: { project_title: 'tiny', project_hash: '3f0c6f0e-0000-4aaa-8bbb-000000000000' },
    ontology: {
      objects: [
        { id: '1', name: 'Car', color: '#f00', shape: 'bounding_box', featureNodeHash: 'carHash', attributes: [] },
      ],
      classifications: [],
    },
    labelRows: [
      {
        labelHash: UNIT.labelHash,
        dataHash: UNIT.dataHash,
        dataTitle: UNIT.title,
        dataType: 'image',
        dataUnits: [UNIT],
      },
    ],
    dataUnits: [UNIT],
    byDataHash: new Map([[UNIT.dataHash, UNIT]]),
    problems: [],
    skipped: {},
  };
}

async function waitFor(check: () => Promise<boolean>, ms = 10_000) {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('timed out waiting');
}

describe('faults during an import, in Chromium', () => {
  /** 300k native records in files of 50k, enough that the import is caught in the middle. */
  function bigEntries() {
    return Array.from({ length: 6 }, (_, f) => {
      const lines: string[] = [];
      for (let i = 0; i < 50_000; i++) {
        lines.push(
          JSON.stringify({
            dataHash: UNIT.dataHash,
            frame: 0,
            confidence: (i % 1000) / 1000,
            featureHash: 'carHash',
            box: { x: 0.1, y: 0.1, w: 0.2, h: 0.3 },
          }),
        );
      }
      return { path: `part-${f}.ndjson`, file: new File([lines.join('\n')], `part-${f}.ndjson`) };
    });
  }

  for (const stage of ['reading', 'saving'] as const) {
    it(`a worker that dies while ${stage} fails the import with a clear error and leaves nothing behind`, async () => {
      const project = tinyProject();
      const store = await RunStore.open();
      const key = `died-${stage}|${crypto.randomUUID()}`;
      const earlier = await store.saveRun(key, { name: 'earlier', format: 'json', sources: [] }, [box(3)].map(onUnit));
      const workers: Worker[] = [];
      const client = new ImportClient(key, project, undefined, () => {
        const w = createImportWorker();
        workers.push(w);
        return w;
      });
      let killedAt: ImportProgressEvent | undefined;
      const started = performance.now();
      const error = await client
        .importRun(
          { source: { kind: 'files', name: 'big', entries: bigEntries() }, format: 'json', options: {}, name: 'dies' },
          (e) => {
            // Killed from outside, as the browser kills a worker that runs out of memory: nobody aborted the call.
            if (!killedAt && e.stage === stage && (stage === 'reading' || e.done > 0)) {
              killedAt = e;
              workers[0].terminate();
            }
          },
        )
        .catch((e: unknown) => e);
      expect(killedAt).toBeDefined();
      expect(error).toBeInstanceOf(ImportWorkerStoppedError);
      expect((error as Error).message).toMatch(
        new RegExp(`^the import worker stopped unexpectedly while ${stage}.*; the browser may have run out of memory`),
      );
      // The watchdog noticed within seconds, not never.
      expect(performance.now() - started).toBeLessThan(30_000);

      // Nothing of the dead import is left, not even a notice (the page told the user itself); earlier runs intact.
      await waitFor(async () => (await store.db.getAllFromIndex('runs', 'by-project', key)).length === 1);
      expect(await store.listRuns(key)).toEqual([earlier]);
      expect(await store.interruptedImports(key)).toEqual([]);
      expect(await store.loadRun(key, earlier.id)).toEqual([box(3)].map(onUnit));

      // The client replaces the dead worker: the next import works.
      const small = [{ path: 'one.ndjson', file: new File([smallLine()], 'one.ndjson') }];
      const next = await client.importRun(
        { source: { kind: 'files', name: 'small', entries: small }, format: 'json', options: {}, name: 'after' },
        () => undefined,
      );
      expect(workers).toHaveLength(2);
      expect((await store.listRuns(key)).map((r) => r.name)).toEqual(['after', 'earlier']);
      expect(next.info.counts.predictions).toBe(1);
      client.terminate();
      store.close();
    }, 120_000);
  }

  it('a full quota (a stubbed store write) fails the save with a clear message and keeps earlier runs readable', async () => {
    const store = await RunStore.open();
    const key = `quota|${crypto.randomUUID()}`;
    const earlier = await store.saveRun(key, { name: 'earlier', format: 'json', sources: [] }, [box(1)].map(onUnit));
    const put = IDBObjectStore.prototype.put;
    let chunkPuts = 0;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<typeof put>) {
      if (this.name === 'chunks' && ++chunkPuts === 2) throw new DOMException('Quota exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    };
    const many = Array.from({ length: 200_000 }, (_, i) => onUnit(box(i)));
    const error = await store
      .saveRun(key, { name: 'too big', format: 'json', sources: [] }, many)
      .catch((e: unknown) => e)
      .finally(() => (IDBObjectStore.prototype.put = put));
    expect(error).toBeInstanceOf(StorageFullError);
    expect((error as Error).message).toMatch(
      /^the browser's storage for this site is full \(this site uses [\d,]+ MB of the [\d,]+ MB the browser allows it\): run "too big" could not be stored \(QuotaExceededError after 65,536 of 200,000 predictions were written\)/,
    );
    const records = await store.db.getAllFromIndex('runs', 'by-project', key);
    expect(records.map((r) => r.status)).toEqual(['complete']);
    expect(await store.listRuns(key)).toEqual([earlier]);
    expect(await store.loadRun(key, earlier.id)).toEqual([box(1)].map(onUnit));
    const chunks = await store.db.getAllKeys('chunks');
    const runIds = new Set((await store.db.getAll('runs')).map((r) => r.id));
    expect(chunks.every(([runId]) => runIds.has(runId))).toBe(true);
    store.close();
  });
});

function smallLine(): string {
  return JSON.stringify({
    dataHash: UNIT.dataHash,
    frame: 0,
    confidence: 0.5,
    featureHash: 'carHash',
    box: { x: 0.1, y: 0.1, w: 0.2, h: 0.3 },
  });
}
