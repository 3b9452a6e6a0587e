// Metrics over a whole project (ea-mini), checked against the spec's formulas worked by hand.
import { describe, expect, it } from 'vitest';
import { loadKernels } from '../../src/kernels/node.ts';
import { NodeTree } from '../../src/files/node-fs.ts';
import { readProject } from '../../src/core/project/read.ts';
import { decodeImageRgba } from '../../src/core/image-decode.ts';
import { computeMetrics } from '../../src/core/metrics/run.ts';
import { kernelMetricsEnvironment } from '../../src/core/metrics/kernel-env.ts';
import type { DataUnit, Prediction } from '../../src/core/model.ts';
import { projectFromUnits } from '../../src/core/project/assemble.ts';
import { fixture } from '../fixtures.ts';

const kernels = await loadKernels();
const tree = new NodeTree(fixture('ea-mini'));
const project = await readProject(tree);
const env = kernelMetricsEnvironment(kernels, {
  loadImage: async (path) => decodeImageRgba(await tree.readBytes(path), path),
});

describe('metrics of the ea-mini project', async () => {
  const car = project.ontology.objects.find((o) => o.name === 'Car')!;
  const first = project.dataUnits.find((u) => u.frames.some((f) => f.objects.length === 3))!;
  const predictions: Prediction[] = [
    {
      dataHash: first.dataHash,
      frame: 0,
      confidence: 0.9,
      featureHash: car.featureNodeHash,
      shape: { kind: 'box', box: { x: 0.1, y: 0.1, w: 0.3, h: 0.3 } },
    },
    {
      dataHash: first.dataHash,
      frame: 0,
      confidence: 0.8,
      featureHash: car.featureNodeHash,
      shape: { kind: 'box', box: { x: 0.1, y: 0.1, w: 0.3, h: 0.15 } },
    },
  ];
  const report = await computeMetrics(env, project, predictions, { iou: [1, 0.5] });

  it('has one image row per image with its size', () => {
    expect(report.images).toHaveLength(2);
    for (const row of report.images) {
      expect(row.metrics.area).toBe(100 * 80);
      expect(row.metrics.aspect_ratio).toBe(1.25);
      expect(row.metrics.brightness).toBeGreaterThan(0);
    }
  });

  it('computes the box label metrics of spec 6.2', () => {
    const row = report.objects.find(
      (o) =>
        o.source === 'label' &&
        o.dataHash === first.dataHash &&
        o.metrics['annotation_closeness_to_image_borders'] === 0.9,
    );
    expect(row).toBeDefined();
    const m = row!.metrics;
    // shapely's area is the shoelace sum over the 4 corners, a few ulps away from 0.3 * 0.3.
    expect(m['object_area_-_relative']).toBeCloseTo(9, 12);
    expect(m['object_area_-_absolute']).toBe(Math.trunc((100 * 80 * m['object_area_-_relative']) / 100));
    // Pixel vertices trunc(10, 40) x trunc(8, 32): inclusive widths 31 and 25.
    expect(m['object_aspect_ratio']).toBe(31 / 25);
    expect(m).not.toHaveProperty('object_count');
    expect(m['annotation_duplicates']).toBe(0);
    // The frame's count is on its image row.
    expect(report.images.find((r) => r.dataHash === first.dataHash)!.metrics['object_count']).toBe(3);
  });

  it('scores predictions with confidence, IoU and duplicates among themselves', () => {
    const preds = report.objects.filter((o) => o.source === 'prediction');
    expect(preds.map((p) => p.index)).toEqual([0, 1]);
    expect(preds[0].metrics['model_confidence']).toBe(0.9);
    expect(preds[1].metrics['iou']).toBe(0.5);
    // The second box is the top half of the first: IoU 0.5 with it.
    expect(preds[0].metrics['annotation_duplicates']).toBeCloseTo(0.5, 12);
    expect(preds[0].metrics).not.toHaveProperty('object_count');
    const frames = report.images.map((r) => [r.dataHash, r.predictionMetrics?.object_count]);
    expect(frames).toEqual(project.dataUnits.map((u) => [u.dataHash, u === first ? 2 : 0]));
  });

  it('gives the Cat polygon a shape similarity of 1 at first sight and a shape outlier score', () => {
    const cat = report.objects.find((o) => o.source === 'label' && o.metrics['polygon_shape_similarity'] !== undefined);
    expect(cat?.metrics['polygon_shape_similarity']).toBe(1);
    expect(Number.isFinite(cat?.metrics['shape_outlier_detection'])).toBe(true);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(computeMetrics({ ...env, signal: controller.signal }, project)).rejects.toThrow();
  });
});

describe('frame metrics on every frame', () => {
  const car = project.ontology.objects.find((o) => o.name === 'Car')!;
  const base = project.dataUnits[0];
  // A 5-frame video with labels on frame 1 only, no pixels anywhere, and a prediction on frame 7 (beyond them).
  const video: DataUnit = {
    ...base,
    dataHash: 'video-0000',
    labelHash: 'video-label',
    dataType: 'video',
    images: {},
    frames: [
      {
        frame: 1,
        classifications: [],
        objects: [
          {
            objectHash: 'obj1',
            featureHash: car.featureNodeHash,
            name: 'Car',
            color: car.color,
            shape: 'bounding_box',
            geometry: { kind: 'box', box: { x: 0, y: 0, w: 0.5, h: 0.5 } },
          },
        ],
      },
    ],
    frameNumbers: [0, 1, 2, 3, 4],
  };
  const withVideo = projectFromUnits(project.ontology, [video]);
  const box = { kind: 'box' as const, box: { x: 0.5, y: 0.5, w: 0.5, h: 0.5 } };
  const predictions: Prediction[] = [
    { dataHash: video.dataHash, frame: 3, confidence: 0.5, featureHash: car.featureNodeHash, shape: box },
    { dataHash: video.dataHash, frame: 7, confidence: 0.5, featureHash: car.featureNodeHash, shape: box },
  ];

  it('gives frames without labels or predictions 0 objects, in frame order', async () => {
    const report = await computeMetrics(env, withVideo, predictions);
    expect(report.images.map((r) => r.frame)).toEqual([0, 1, 2, 3, 4, 7]);
    expect(report.images.map((r) => r.metrics.object_count)).toEqual([0, 1, 0, 0, 0, 0]);
    expect(report.images.map((r) => r.metrics.frame_object_density)).toEqual([0, 25, 0, 0, 0, 0]);
    expect(report.images.map((r) => r.predictionMetrics!.object_count)).toEqual([0, 0, 0, 1, 0, 1]);
    // No pixels: size only, and no problem (nothing was there to read).
    expect(report.images[0].metrics.area).toBe(video.width * video.height);
    expect(report.images[0].metrics).not.toHaveProperty('brightness');
    expect(report.problems).toEqual([]);
  });
});
