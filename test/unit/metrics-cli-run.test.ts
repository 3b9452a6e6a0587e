// `predlens metrics` as a user runs it: on ea-mini with its predictions.pkl, and on a freshly generated demo project
// with predictions written as a native JSON file. Values are checked against the spec's formulas worked by hand.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import UPNG from 'upng-js';
import { describe, expect, it } from 'vitest';
import { fixture, REPO_ROOT } from '../fixtures.ts';
import { makeDemo } from '../../scripts/make-demo.ts';
import { FRAME_METRICS, IMAGE_METRICS } from '../../src/core/metrics/catalogue.ts';
import { toNativeJson } from '../../src/core/formats/native.ts';
import type { Prediction } from '../../src/core/model.ts';

const run = promisify(execFile);
const EA_MINI = fixture('ea-mini');
const IMG_A = '668c6d1a-0217-4097-b930-8dfc03db62b4';

interface Row {
  dataHash: string;
  frame: number;
  source?: 'label' | 'prediction';
  objectHash?: string;
  index?: number;
  featureHash?: string;
  metrics: Record<string, number>;
  predictionMetrics?: Record<string, number>;
}

const FRAME_KEYS = FRAME_METRICS.map((m) => m.key);
const IMAGE_ROW_KEYS = [...IMAGE_METRICS, ...FRAME_METRICS].map((m) => m.key).sort();

async function predlens(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', ['bin/predlens.js', 'metrics', ...args], {
      cwd: REPO_ROOT,
      maxBuffer: 64 << 20,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** shapely's area of a box: the shoelace sum over its 4 corners (summed in another order: equal to ~1e-15). */
function boxArea(x: number, y: number, w: number, h: number): number {
  const pts = [
    [x, y],
    [x + w, y],
    [x + w, y + h],
    [x, y + h],
  ];
  let s = 0;
  for (let i = 0; i < 4; i++) {
    const [x1, y1] = pts[i];
    const [x2, y2] = pts[(i + 1) % 4];
    s += x1 * y2 - x2 * y1;
  }
  return Math.abs(s) / 2;
}

/** Relative area = 100 x area; absolute = the area in pixels, truncated. */
function expectArea(m: Record<string, number>, area: number, pixels: number) {
  expect(Math.abs(m['object_area_-_relative'] - 100 * area)).toBeLessThan(1e-12 * Math.max(1, 100 * area));
  expect(Number.isInteger(m['object_area_-_absolute'])).toBe(true);
  expect(pixels * area - m['object_area_-_absolute']).toBeGreaterThan(-1e-9);
  // A product within an ulp of an integer may truncate either way.
  expect(pixels * area - m['object_area_-_absolute']).toBeLessThan(1 + 1e-9);
}

/** Mean of every R, G and B value / 255, straight from the PNG's pixels. */
function brightnessOf(file: string): number {
  const png = UPNG.decode(new Uint8Array(readFileSync(file)).buffer);
  const rgba = new Uint8Array(UPNG.toRGBA8(png)[0]);
  let sum = 0;
  for (let i = 0; i < rgba.length; i += 4) sum += rgba[i] + rgba[i + 1] + rgba[i + 2];
  return sum / (png.width * png.height * 3) / 255;
}

describe('predlens metrics on ea-mini with predictions.pkl', async () => {
  const { code, stdout, stderr } = await predlens(
    EA_MINI,
    join(EA_MINI, 'predictions.pkl'),
    '--format',
    'pkl',
    '--json',
  );
  const out = JSON.parse(stdout) as { images: Row[]; objects: Row[]; problems: unknown[] };
  const reference = JSON.parse(readFileSync(join(EA_MINI, 'reference.json'), 'utf8'));

  it('prints only the JSON document and exits 0', () => {
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(Object.keys(out)).toEqual(['images', 'objects', 'problems']);
    expect(out.problems).toEqual([]);
  });

  it('has one row per image with every image metric and the frame metrics of its labels and predictions', () => {
    expect(out.images).toHaveLength(2);
    for (const row of out.images) {
      expect(Object.keys(row)).toEqual(['dataHash', 'frame', 'metrics', 'predictionMetrics']);
      expect(Object.keys(row.metrics).sort()).toEqual(IMAGE_ROW_KEYS);
      expect(Object.keys(row.predictionMetrics!).sort()).toEqual([...FRAME_KEYS].sort());
      expect(row.metrics.area).toBe(8000);
      expect(row.metrics.aspect_ratio).toBe(1.25);
    }
    const a = out.images.find((r) => r.dataHash === IMG_A)!;
    expect(Math.abs(a.metrics.brightness - brightnessOf(join(EA_MINI, 'data', findImage(IMG_A))))).toBeLessThan(1e-15);
  });

  it('lists the 4 labels by objectHash and the 6 predictions by index, in input order', () => {
    const labels = out.objects.filter((o) => o.source === 'label');
    const preds = out.objects.filter((o) => o.source === 'prediction');
    expect(labels).toHaveLength(4);
    for (const l of labels) {
      expect(Object.keys(l)).toEqual(['dataHash', 'frame', 'source', 'objectHash', 'featureHash', 'metrics']);
      expect(l.objectHash).toMatch(/^[\w-]{8}$/);
    }
    expect(preds.map((p) => p.index)).toEqual([0, 1, 2, 3, 4, 5]);
    for (const p of preds)
      expect(Object.keys(p)).toEqual(['dataHash', 'frame', 'source', 'index', 'featureHash', 'metrics']);
    // predictions.pkl holds them in descending confidence, as reference.json lists them.
    expect(preds.map((p) => p.metrics.model_confidence)).toEqual([0.95, 0.9, 0.8, 0.7, 0.6, 0.5]);
  });

  it('gives each prediction the IoU EA stored for it', () => {
    const preds = out.objects.filter((o) => o.source === 'prediction');
    for (const ref of reference.predictions as { input_index_in_pkl: number; iou: number; confidence: number }[]) {
      const p = preds.find((q) => q.index === ref.input_index_in_pkl)!;
      expect(p.metrics.model_confidence).toBe(ref.confidence);
      // EA's value went through predictions.csv and pandas' float parser: at most one unit in the last place off.
      expect(Math.abs(p.metrics.iou - ref.iou)).toBeLessThanOrEqual(Number.EPSILON * ref.iou);
    }
  });

  it('computes the metrics of prediction 1, Car (0.11, 0.1, 0.3, 0.3), by the spec 6.2 formulas', () => {
    const m = out.objects.find((o) => o.source === 'prediction' && o.index === 1)!.metrics;
    expect(m['annotation_closeness_to_image_borders']).toBe(Math.max(1 - 0.11, 1 - 0.1, 0.11 + 0.3, 0.1 + 0.3));
    expectArea(m, boxArea(0.11, 0.1, 0.3, 0.3), 8000);
    // Truncated pixel vertices x 11..41, y 8..32: inclusive widths 31 and 25.
    expect(m['object_aspect_ratio']).toBe(31 / 25);
    // Frame metrics are on the image rows, not on each object.
    for (const key of FRAME_KEYS) expect(m).not.toHaveProperty(key);
    // Prediction 2, Car (0.12, 0.11, 0.3, 0.3), overlaps it: intersection 0.29 x 0.29.
    const inter = 0.29 * 0.29;
    expect(m['annotation_duplicates']).toBeCloseTo(inter / (2 * 0.09 - inter), 12);
    expect(m['model_confidence']).toBe(0.9);
  });

  it("computes the label Car (0.6, 0.5, 0.2, 0.25) and image B's single Car", () => {
    const labels = out.objects.filter((o) => o.source === 'label');
    const small = labels.find(
      (l) => l.dataHash === IMG_A && l.metrics['annotation_closeness_to_image_borders'] === 0.8,
    )!;
    expectArea(small.metrics, boxArea(0.6, 0.5, 0.2, 0.25), 8000);
    expect(small.metrics['object_aspect_ratio']).toBe(21 / 21);
    for (const key of FRAME_KEYS) expect(small.metrics).not.toHaveProperty(key);
    const b = labels.find((l) => l.dataHash !== IMG_A)!;
    expectArea(b.metrics, boxArea(0.2, 0.2, 0.5, 0.5), 8000);
  });

  it('puts object count and frame object density on the image rows, 0 on a frame without predictions', () => {
    const a = out.images.find((r) => r.dataHash === IMG_A)!;
    const b = out.images.find((r) => r.dataHash !== IMG_A)!;
    // Image A: 2 Car boxes and the Cat polygon; all 6 predictions.
    expect(a.metrics.object_count).toBe(3);
    expect(a.predictionMetrics!.object_count).toBe(6);
    // Image B: its one Car (0.2, 0.2, 0.5, 0.5) covers a quarter of the frame; no prediction is on it.
    expect(b.metrics.object_count).toBe(1);
    expect(b.metrics.frame_object_density).toBeCloseTo(25, 12);
    expect(b.predictionMetrics).toEqual({ object_count: 0, frame_object_density: 0 });
  });

  it('prints a table of ranges without --json', async () => {
    const table = await predlens(EA_MINI, join(EA_MINI, 'predictions.pkl'));
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('2 image(s), 4 label(s), 6 prediction(s)');
    expect(table.stdout).toMatch(/Model Confidence\s+predictions\s+6\s+0\.5\s+0\.741667\s+0\.95/);
  });

  it('refuses import options without a prediction file', async () => {
    const r = await predlens(EA_MINI, '--format', 'pkl');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--format applies to a prediction file');
  });
});

function findImage(dataHash: string): string {
  const rows = JSON.parse(readFileSync(join(EA_MINI, 'label_row_meta.json'), 'utf8')) as Record<
    string,
    { data_hash: string }
  >;
  const labelHash = Object.entries(rows).find(([, r]) => r.data_hash === dataHash)![0];
  return join(labelHash, 'images', `${dataHash}.png`);
}

describe('predlens metrics on the demo project', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'predlens-metrics-demo-'));
  const { scene } = await makeDemo(dir);
  // One box prediction per box label: exact copies for even labels, shifted by half a width for odd ones; the
  // order deliberately interleaves units so input order differs from project order.
  const predictions: Prediction[] = [];
  const expected: { dataHash: string; exact: boolean; confidence: number; w: number; h: number }[] = [];
  const units = scene.labelRows.flatMap((r) => r.units);
  for (const unit of [...units].reverse()) {
    for (const frame of unit.frames) {
      for (const [k, label] of frame.labels.entries()) {
        if (!label.box) continue;
        const exact = k % 2 === 0;
        const box = exact ? label.box : { ...label.box, x: Math.min(label.box.x + label.box.w / 2, 1 - label.box.w) };
        const confidence = Math.round(((predictions.length * 37) % 100) + 1) / 101;
        predictions.push({
          dataHash: unit.dataHash,
          frame: frame.frame,
          featureHash: label.featureHash,
          confidence,
          shape: { kind: 'box', box },
        });
        expected.push({ dataHash: unit.dataHash, exact, confidence, w: unit.width, h: unit.height });
      }
    }
  }
  const file = join(dir, 'predictions.json');
  writeFileSync(file, toNativeJson(predictions));
  const { code, stdout } = await predlens(dir, file, '--format', 'json', '--json');
  const out = JSON.parse(stdout) as { images: Row[]; objects: Row[] };

  it('has an image row for every frame with pixels', () => {
    expect(code).toBe(0);
    const frames = units.reduce((n, u) => n + u.frames.length, 0);
    expect(out.images).toHaveLength(frames);
    for (const row of out.images) {
      expect(Object.keys(row.metrics).sort()).toEqual(IMAGE_ROW_KEYS);
      const unit = units.find((u) => u.dataHash === row.dataHash)!;
      expect(row.metrics.area).toBe(unit.width * unit.height);
      expect(row.metrics.brightness).toBeGreaterThan(0);
    }
  });

  it('indexes the predictions in input order, each with its confidence and IoU; frame counts on the image rows', () => {
    const preds = out.objects.filter((o) => o.source === 'prediction');
    expect(preds.map((p) => p.index)).toEqual(predictions.map((_, i) => i));
    preds.forEach((p, i) => {
      expect(p.dataHash).toBe(predictions[i].dataHash);
      expect(p.featureHash).toBe(predictions[i].featureHash);
      expect(p.metrics.model_confidence).toBe(expected[i].confidence);
      if (expected[i].exact) expect(p.metrics.iou).toBe(1);
      else expect(p.metrics.iou).toBeLessThan(1);
    });
    for (const row of out.images) {
      const unit = units.find((u) => u.dataHash === row.dataHash)!;
      const labelled = unit.frames.find((f) => f.frame === row.frame)?.labels ?? [];
      expect(row.metrics.object_count).toBe(labelled.length);
      expect(row.predictionMetrics!.object_count).toBe(
        predictions.filter((q) => q.dataHash === row.dataHash && q.frame === row.frame).length,
      );
    }
  });

  it('gives every label row its objectHash and the label metrics', () => {
    const labels = out.objects.filter((o) => o.source === 'label');
    // A video object keeps its objectHash from frame to frame: a label is (data unit, frame, objectHash).
    const all = units.flatMap((u) =>
      u.frames.flatMap((f) => f.labels.map((l) => ({ ...l, key: `${u.dataHash}/${f.frame}/${l.objectHash}` }))),
    );
    expect(labels.map((l) => `${l.dataHash}/${l.frame}/${l.objectHash}`).sort()).toEqual(all.map((l) => l.key).sort());
    for (const l of labels) {
      const label = all.find((a) => a.key === `${l.dataHash}/${l.frame}/${l.objectHash}`)!;
      if (!label.box) continue;
      const unit = units.find((u) => u.dataHash === l.dataHash)!;
      const { x, y, w, h } = label.box;
      expectArea(l.metrics, boxArea(x, y, w, h), unit.width * unit.height);
    }
  });
});
