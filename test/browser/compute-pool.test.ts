// The compute path in real Chromium: a module worker reached through comlink, the .wasm loaded once in it, a
// real kernel (EA's polygon rasterisation) answering, buffers transferred both ways, and cancel by terminate.
import { afterEach, describe, expect, it } from 'vitest';
import * as Comlink from 'comlink';
import labelRowA from '../fixtures/shared/ea-mini/data/404fbdc5-adf3-4f62-9070-35a2495bf559/label_row.json';
import ontology from '../fixtures/shared/ea-mini/ontology.json';
import labelsCsv from '../fixtures/shared/ea-mini/predictions/labels.csv?raw';
import { createComputePool, isAbortError, type ComputePool } from '../../src/workers/pool.ts';
import type { TreeSource } from '../../src/workers/tree-source.ts';
import { SHAPE_STRIDE, splitJob, sumPixels, type PixelJob } from '../../src/workers/pixel-job.ts';

let pool: ComputePool | undefined;
afterEach(() => pool?.terminate());

/** The one data unit of ea-mini's image A, its objects as a PixelJob (class = position in the ontology). */
function imageAJob() {
  const unit = Object.values(labelRowA.data_units)[0];
  const classes = ontology.objects.map((o) => o.featureNodeHash);
  const shapes: number[] = [];
  const points: number[] = [];
  for (const o of unit.labels.objects) {
    const xy =
      'boundingBox' in o && o.boundingBox
        ? (({ x, y, w, h }) => [x, y, x + w, y, x + w, y + h, x, y + h])(o.boundingBox)
        : Object.values((o as { polygon: Record<string, { x: number; y: number }> }).polygon).flatMap((p) => [
            p.x,
            p.y,
          ]);
    shapes.push(0, classes.indexOf(o.featureHash), unit.width, unit.height, points.length / 2, xy.length / 2);
    points.push(...xy);
  }
  const job: PixelJob = {
    classCount: classes.length,
    shapes: Int32Array.from(shapes),
    points: Float64Array.from(points),
  };
  return { job, unit };
}

/** Pixels EA's own rasteriser set for the Cat polygon: the 1-runs of its row-major RLE in labels.csv. */
function eaCatPixels(): number {
  const row = labelsCsv.split('\n').find((line) => line.includes('{'))!;
  const counts = /'counts': \[([^\]]+)\]/.exec(row)![1].split(',').map(Number);
  return counts.filter((_, i) => i % 2 === 1).reduce((a, b) => a + b, 0);
}

describe('compute worker pool', () => {
  it('counts labelled pixels with the wasm kernel in a worker, transferring the input buffers', async () => {
    pool = createComputePool({ size: 1 });
    const { job, unit } = imageAJob();
    const points = job.points;
    const result = await pool.run((api) =>
      api.labelledPixels(Comlink.transfer(job, [job.shapes.buffer, job.points.buffer])),
    );

    // The sender's buffers moved to the worker.
    expect(points.byteLength).toBe(0);
    expect(job.shapes.byteLength).toBe(0);
    expect(result).toBeInstanceOf(Float64Array);

    // Cat: exactly the pixels Encord Active's fillPoly set (from the fixture's labels.csv).
    expect(result[1]).toBe(eaCatPixels());
    // Cars: two boxes, corners truncated to pixels, edges inclusive (EA's rule): (x2 - x1 + 1) * (y2 - y1 + 1).
    const boxes = unit.labels.objects
      .filter((o) => o.featureHash === ontology.objects[0].featureNodeHash)
      .map((o) => (o as { boundingBox: { x: number; y: number; w: number; h: number } }).boundingBox);
    const inclusive = boxes.reduce((sum, { x, y, w, h }) => {
      const x1 = Math.trunc(x * unit.width),
        x2 = Math.trunc((x + w) * unit.width);
      const y1 = Math.trunc(y * unit.height),
        y2 = Math.trunc((y + h) * unit.height);
      return sum + (x2 - x1 + 1) * (y2 - y1 + 1);
    }, 0);
    expect(result[0]).toBe(inclusive);
  });

  it('cancels a running kernel by terminating its worker, and the next call gets a fresh worker', async () => {
    pool = createComputePool({ size: 1 });
    await pool.run((api) => api.ready());
    expect(pool.stats).toMatchObject({ live: 1, started: 1 });

    // 2000 full-frame polygons on a 6000 x 6000 image: ~9 ms each here, so many seconds of rasterising.
    const n = 2000;
    const shapes = new Int32Array(n * SHAPE_STRIDE);
    const points = new Float64Array(n * 8);
    for (let i = 0; i < n; i++) {
      shapes.set([i, 0, 6000, 6000, i * 4, 4], i * SHAPE_STRIDE);
      points.set([0, 0, 1, 0, 1, 1, 0, 1], i * 8);
    }
    const abort = new AbortController();
    const started = performance.now();
    const running = pool.run(
      (api) => api.labelledPixels(Comlink.transfer({ classCount: 1, shapes, points }, [shapes.buffer, points.buffer])),
      abort.signal,
    );
    setTimeout(() => abort.abort(), 150);
    const error = await running.then(
      () => undefined,
      (e: unknown) => e,
    );
    const waited = performance.now() - started;

    expect(isAbortError(error)).toBe(true);
    expect(waited).toBeLessThan(1500);
    expect(pool.stats.live).toBe(0);

    // The pool is usable again, with a new worker that gives the right answer.
    const { job } = imageAJob();
    const again = await pool.run((api) => api.labelledPixels(job));
    expect(again[1]).toBe(eaCatPixels());
    expect(pool.stats.started).toBe(2);
  });

  it('rejects a queued task whose signal aborts without starting it', async () => {
    pool = createComputePool({ size: 1 });
    const first = pool.run((api) => api.ready());
    const abort = new AbortController();
    const queued = pool.run((api) => api.ready(), abort.signal);
    expect(pool.stats.queued).toBe(1);
    abort.abort();
    await expect(queued).rejects.toMatchObject({ name: 'AbortError' });
    await first;
    expect(pool.stats).toMatchObject({ queued: 0, started: 1, live: 1 });
  });

  it('stops a worker after its idle time and starts a new one when work comes', async () => {
    pool = createComputePool({ size: 1, idleMs: 50 });
    await pool.run((api) => api.ready());
    expect(pool.stats.live).toBe(1);
    await new Promise((r) => setTimeout(r, 150));
    expect(pool.stats.live).toBe(0);
    await pool.run((api) => api.ready());
    expect(pool.stats).toMatchObject({ live: 1, started: 2 });
  });

  it('gives the same per-class pixels when a job is split across two workers', async () => {
    pool = createComputePool({ size: 2 });
    // 60 frames of 3 random triangles each, over 3 classes.
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const shapes: number[] = [];
    const points: number[] = [];
    for (let frame = 0; frame < 60; frame++) {
      for (let k = 0; k < 3; k++) {
        shapes.push(frame, (frame + k) % 3, 320, 240, points.length / 2, 3);
        for (let v = 0; v < 3; v++) points.push(random(), random());
      }
    }
    const job = (): PixelJob => ({ classCount: 3, shapes: Int32Array.from(shapes), points: Float64Array.from(points) });
    const whole = await pool.run((api) => api.labelledPixels(job()));
    const parts = splitJob(job(), 2);
    expect(parts).toHaveLength(2);
    expect(parts.reduce((n, p) => n + p.shapes.length, 0)).toBe(shapes.length);
    const results = await Promise.all(parts.map((part) => pool!.run((api) => api.labelledPixels(part))));
    expect(pool.stats.started).toBe(2);
    expect(Array.from(sumPixels(results, 3))).toEqual(Array.from(whole));
    expect(whole.every((n) => n > 0)).toBe(true);
  });

  it('opens a project in the worker from paths alone, fetching from the page only the files it reads', async () => {
    pool = createComputePool({ size: 1 });
    const texts = import.meta.glob('../fixtures/shared/ea-mini/{*.yaml,*.json,data/*/label_row.json}', {
      query: '?raw',
      import: 'default',
      eager: true,
    }) as Record<string, string>;
    const images = import.meta.glob('../fixtures/shared/ea-mini/data/*/images/*.png', {
      query: '?url',
      import: 'default',
      eager: true,
    });
    const cut = '../fixtures/shared/ea-mini/';
    const files = new Map(Object.entries(texts).map(([k, v]) => [k.slice(cut.length), v]));
    const paths = [...files.keys(), ...Object.keys(images).map((k) => k.slice(cut.length))];
    const asked: string[] = [];
    const read = Comlink.proxy(async (path: string) => {
      asked.push(path);
      return new TextEncoder().encode(files.get(path));
    });
    const source: TreeSource = { kind: 'remote', name: 'ea-mini', paths };
    const progress: number[] = [];
    const opened = await pool.run((api) =>
      api.openProject(
        source,
        Comlink.proxy((done: number) => void progress.push(done)),
        read,
      ),
    );

    expect(opened.summary).toMatchObject({ title: 'ea-mini', labelRows: 2, dataUnits: 2, objects: 4 });
    expect(opened.project.dataUnits.every((u) => Object.keys(u.images).length === 1)).toBe(true);
    expect(asked.some((p) => p.endsWith('.png'))).toBe(false);
    expect(asked).toContain('project_meta.yaml');
    expect(asked.filter((p) => p.endsWith('label_row.json'))).toHaveLength(2);
    expect(progress.at(-1)).toBe(2);
  });
});
