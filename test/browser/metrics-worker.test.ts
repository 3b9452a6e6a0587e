// The metrics worker in real Chromium on the demo project (public/demo, written by `npm run demo`): images decoded
// with createImageBitmap + OffscreenCanvas give the very pixels and metric values the Node path (upng + the same
// kernels) gives; results are cached in IndexedDB per project and run, so a second open computes nothing; a change
// of the metrics version or of a label recomputes; cancelling terminates the worker.
import { afterAll, describe, expect, it } from 'vitest';
import * as Comlink from 'comlink';
import { UrlTree } from '../../src/files/url-prefix.ts';
import { readProject } from '../../src/core/project/read.ts';
import { decodeImageRgba } from '../../src/core/image-decode.ts';
import { imageMetricValues } from '../../src/core/metrics/image.ts';
import { IMAGE_METRICS } from '../../src/core/metrics/catalogue.ts';
import { readNativeText } from '../../src/core/formats/native.ts';
import { imageStats } from '../../src/kernels/image.ts';
import { loadKernels } from '../../src/kernels/browser.ts';
import { MetricsCache } from '../../src/store/metrics-cache.ts';
import { runsProjectKey, runStore } from '../../src/store/runs.ts';
import { createMetricsWorker, MetricsClient, type MetricsProgress } from '../../src/workers/metrics-client.ts';
import type { MetricsApi } from '../../src/workers/metrics.worker.ts';
import { EvalClient } from '../../src/workers/eval-client.ts';
import { isAbortError } from '../../src/workers/pool.ts';

const demo = new UrlTree('/demo/', { name: 'demo' });
const project = await readProject(demo);
const projectKey = `test|${crypto.randomUUID()}`;
const kernels = await loadKernels();
const dbName = `predlens-metrics-test-${crypto.randomUUID()}`;

let workersStarted = 0;
const counting = () => {
  workersStarted++;
  return createMetricsWorker();
};
const clients: MetricsClient[] = [];
const newClient = (version?: number) => {
  const cache = MetricsCache.open(dbName, version);
  const client = new MetricsClient({ create: counting, cache: () => cache });
  clients.push(client);
  return client;
};
afterAll(async () => {
  for (const c of clients) c.terminate();
  indexedDB.deleteDatabase(dbName);
});

describe('metrics worker decoding', () => {
  const worker = createMetricsWorker();
  const api = Comlink.wrap<MetricsApi>(worker);
  afterAll(() => worker.terminate());

  it('decodes every demo PNG to exactly the pixels upng gives (the Node path)', async () => {
    const paths = project.dataUnits.flatMap((u) => u.frameNumbers.map((f) => u.images[f]).filter(Boolean));
    expect(paths.length).toBe(46);
    for (const path of paths) {
      const bytes = await demo.readBytes(path);
      const node = decodeImageRgba(bytes, path);
      const browser = await api.decode(bytes.slice(), path);
      expect([browser.width, browser.height]).toEqual([node.width, node.height]);
      let differing = 0;
      for (let i = 0; i < node.rgba.length; i++) if (node.rgba[i] !== browser.rgba[i]) differing++;
      expect(differing, path).toBe(0);
    }
  });
});

describe('metrics client', () => {
  it('computes image and label metrics in a worker, equal to the Node computation of the same files', async () => {
    const client = newClient();
    const progress: MetricsProgress[] = [];
    const loaded = await client.projectMetrics(
      project,
      projectKey,
      { tree: demo },
      { onProgress: (p) => progress.push(p) },
    );
    expect(loaded.cached).toBe(false);
    expect(client.stats.projectComputations).toBe(1);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)!.phase).toBe('labels');
    expect(progress.some((p) => p.phase === 'images' && p.done === 46 && p.total === 46)).toBe(true);

    const { images, labels } = loaded.value;
    expect(images.length).toBe(46);
    expect(images.values.brightness).toBeInstanceOf(Float64Array);
    // Every image, every metric, exactly as decodeImageRgba + imageStats (what `predlens metrics` runs) give it.
    for (let i = 0; i < images.length; i++) {
      const unit = project.byDataHash.get(images.dataHash[i].toLowerCase())!;
      const path = unit.images[images.frame[i]];
      const img = decodeImageRgba(await demo.readBytes(path), path);
      const expected = imageMetricValues(imageStats(kernels, img.rgba, img.width, img.height), unit.width, unit.height);
      for (const { key } of IMAGE_METRICS) expect(images.values[key][i], `${path} ${key}`).toBe(expected[key]);
    }
    const objects = project.dataUnits.reduce((n, u) => n + u.frames.reduce((m, f) => m + f.objects.length, 0), 0);
    expect(labels.length).toBe(objects);
    expect(labels.objectHash.every((h) => h.length > 0)).toBe(true);
    expect(labels.values['object_area_-_relative'].every((v) => v > 0)).toBe(true);
  });

  it('serves a second open from IndexedDB: no worker, no progress', async () => {
    const before = workersStarted;
    const client = newClient(); // a fresh page: only the database is shared
    const progress: MetricsProgress[] = [];
    const loaded = await client.projectMetrics(
      project,
      projectKey,
      { tree: demo },
      { onProgress: (p) => progress.push(p) },
    );
    expect(loaded.cached).toBe(true);
    expect(client.stats).toEqual({ projectComputations: 0, runComputations: 0, cacheHits: 1 });
    expect(progress).toEqual([]);
    expect(workersStarted).toBe(before);
    expect(loaded.value.images.values.brightness).toBeInstanceOf(Float64Array);
    expect(loaded.value.images.length).toBe(46);
  });

  it('recomputes when the metrics version changes or a label moves', async () => {
    const bumped = newClient(999);
    expect((await bumped.projectMetrics(project, projectKey, { tree: demo })).cached).toBe(false);
    expect(bumped.stats.projectComputations).toBe(1);

    const moved = structuredClone(project);
    const unit = moved.dataUnits.find((u) => u.frames.some((f) => f.objects.some((o) => o.geometry.kind === 'box')))!;
    const box = unit.frames.flatMap((f) => f.objects).find((o) => o.geometry.kind === 'box')!;
    if (box.geometry.kind === 'box') box.geometry.box.x += 0.01;
    const client = newClient();
    expect(client.fingerprint(moved)).not.toBe(client.fingerprint(project));
    const loaded = await client.projectMetrics(moved, projectKey, { tree: demo });
    expect(loaded.cached).toBe(false);
  });

  it('stops on cancel by terminating the worker; the next call starts a new one', async () => {
    const client = newClient(1234);
    const controller = new AbortController();
    const started = workersStarted;
    const call = client.projectMetrics(
      project,
      `${projectKey}-cancel`,
      { tree: demo },
      {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === 'images' && p.done >= 3) controller.abort();
        },
      },
    );
    const error = await call.catch((e: unknown) => e);
    expect(isAbortError(error)).toBe(true);
    expect(workersStarted).toBe(started + 1);
    const again = await client.projectMetrics(project, `${projectKey}-cancel`, { tree: demo });
    expect(again.cached).toBe(false);
    expect(workersStarted).toBe(started + 2);
  });

  it('makes a broken and an absurd image a problem each and computes every other image (not cached)', async () => {
    const paths = project.dataUnits.flatMap((u) => u.frameNumbers.map((f) => u.images[f]).filter(Boolean));
    const [absurdPath, cutPath] = [paths[3], paths[17]];
    const absurd = (await demo.readBytes(absurdPath)).slice();
    // IHDR width and height 100,000 (the CRC is not what the size check reads).
    new DataView(absurd.buffer).setUint32(16, 100_000);
    new DataView(absurd.buffer).setUint32(20, 100_000);
    const cut = (await demo.readBytes(cutPath)).slice(0, 200);
    const tree = {
      name: 'demo with two bad images',
      list: (prefix?: string) => demo.list(prefix),
      exists: (path: string) => demo.exists(path),
      readText: (path: string) => demo.readText(path),
      readBytes: async (path: string) => (path === absurdPath ? absurd : path === cutPath ? cut : demo.readBytes(path)),
    };
    const client = newClient(4321);
    const loaded = await client.projectMetrics(project, `${projectKey}-broken`, { tree });
    const { images, problems } = loaded.value;
    expect(problems.map((p) => p.file)).toEqual([absurdPath, cutPath]);
    expect(problems[0].reason).toMatch(/100000 x 100000 pixels, more than/);
    expect(problems[1].reason).toMatch(/cut short/);
    const good = await newClient().projectMetrics(project, projectKey, { tree: demo });
    for (let i = 0; i < images.length; i++) {
      const unit = project.byDataHash.get(images.dataHash[i].toLowerCase())!;
      const path = unit.images[images.frame[i]];
      const broken = path === absurdPath || path === cutPath;
      for (const { key } of IMAGE_METRICS) {
        if (broken && key !== 'area' && key !== 'aspect_ratio') expect(images.values[key][i]).toBeNaN();
        else expect(images.values[key][i], `${path} ${key}`).toBe(good.value.images.values[key][i]);
      }
    }
    // Not kept: the next open computes again (the file may be readable then).
    const again = await newClient(4321).projectMetrics(project, `${projectKey}-broken`, { tree });
    expect(again.cached).toBe(false);
  });

  it('puts object count and frame density on every frame row, 0 where a frame has no labels', async () => {
    // Two frames lose their labels (structuredClone keeps the Map of data units pointing at the cloned units).
    const cleared = structuredClone(project);
    for (const unit of cleared.dataUnits.filter((u) => u.frames[0]?.objects.length).slice(0, 2))
      unit.frames[0].objects = [];
    const loaded = await newClient().projectMetrics(cleared, `${projectKey}-cleared`, { tree: demo });
    const { images, labels } = loaded.value;
    expect(labels.values).not.toHaveProperty('object_count');
    let empty = 0;
    for (let i = 0; i < images.length; i++) {
      const unit = cleared.byDataHash.get(images.dataHash[i].toLowerCase())!;
      const objects = unit.frames.find((f) => f.frame === images.frame[i])?.objects.length ?? 0;
      expect(images.values.object_count[i]).toBe(objects);
      if (objects === 0) {
        empty++;
        expect(images.values.frame_object_density[i]).toBe(0);
      } else expect(images.values.frame_object_density[i]).toBeGreaterThan(0);
    }
    expect(images.length).toBe(46);
    expect(empty).toBe(2);
  });

  it("computes a run's prediction metrics in the evaluation's pidx order, with confidence and IoU, and caches them", async () => {
    const text = await demo.readText('predictions/json/predictions.json');
    const { predictions } = readNativeText(project, text, 'predictions.json');
    const store = await runStore();
    const key = runsProjectKey(project);
    const info = await store.saveRun(
      key,
      { name: 'demo json', format: 'json', sources: ['predictions.json'] },
      predictions,
    );
    const evals = new EvalClient();
    try {
      const client = newClient();
      const loaded = await client.runMetrics(project, key, info.id);
      expect(loaded.cached).toBe(false);
      const table = loaded.value;
      const summary = await evals.prepare(project, { kind: 'run', projectKey: key, runId: info.id });
      expect(table.length).toBe(summary.nPredictions);
      expect(Array.from(table.confidence)).toEqual(Array.from(summary.confidence));
      table.values.model_confidence.forEach((v, pidx) => expect(v).toBe(summary.confidence[pidx]));
      // IoU of every object prediction is the evaluation's.
      table.values.iou.forEach((v, pidx) => {
        if (!Number.isNaN(v)) expect(v).toBe(summary.iou[pidx]);
      });
      const objectPredictions = predictions.filter((p) => p.shape.kind !== 'classification').length;
      expect(Array.from(table.values.iou).filter((v) => !Number.isNaN(v))).toHaveLength(objectPredictions);
      for (const pidx of [0, 10, table.length - 1])
        expect(predictions[table.source[pidx]].confidence).toBe(table.confidence[pidx]);

      const again = await newClient().runMetrics(project, key, info.id);
      expect(again.cached).toBe(true);
      expect(Array.from(again.value.values.iou)).toEqual(Array.from(table.values.iou));
    } finally {
      evals.terminate();
      await store.deleteRun(key, info.id);
    }
  });
});
