// The joins the Performance-by-metric and Explorer pages chart: frame metrics (object_count, frame_object_density)
// come from the image rows, one per frame, for labels "(F)" and for predictions "(F)" (the labels' count of the
// frame) and "(P)" (the predictions' count of the frame). On ea-mini with two predictions on image A, computed by
// the engine the CLI runs, and checked against counts taken straight from the project.
import { describe, expect, it } from 'vitest';
import { prepareActive } from '../../src/core/eval/active/index.ts';
import { decodeImageRgba } from '../../src/core/image-decode.ts';
import { predictionMetricTable, projectMetricTables } from '../../src/core/metrics/columns.ts';
import { kernelMetricsEnvironment } from '../../src/core/metrics/kernel-env.ts';
import { computePredictionMetrics, computeProjectMetrics, withFrameMetrics } from '../../src/core/metrics/run.ts';
import type { Prediction } from '../../src/core/model.ts';
import { readProject } from '../../src/core/project/read.ts';
import { NodeTree } from '../../src/files/node-fs.ts';
import { loadKernels } from '../../src/kernels/node.ts';
import {
  FrameValues,
  labelColumn,
  labelOptions,
  predictionColumn,
  predictionOptions,
  preparedFrameKeys,
} from '../../src/ui/pages/performance/metric-columns.ts';
import { fixture } from '../fixtures.ts';

const kernels = await loadKernels();
const tree = new NodeTree(fixture('ea-mini'));
const project = await readProject(tree);
const env = kernelMetricsEnvironment(kernels, {
  loadImage: async (path) => decodeImageRgba(await tree.readBytes(path), path),
});
const car = project.ontology.objects.find((o) => o.name === 'Car')!;
const a = project.dataUnits.find((u) => u.frames[0].objects.length === 3)!;
const box = (x: number): Prediction['shape'] => ({ kind: 'box', box: { x, y: 0.1, w: 0.2, h: 0.2 } });
const predictions: Prediction[] = [
  { dataHash: a.dataHash, frame: 0, confidence: 0.9, featureHash: car.featureNodeHash, shape: box(0.1) },
  { dataHash: a.dataHash, frame: 0, confidence: 0.8, featureHash: car.featureNodeHash, shape: box(0.6) },
];

const tables = projectMetricTables(await computeProjectMetrics(env, project));
const prepared = prepareActive(kernels, project, predictions, { confusionPairs: false });
const columns = {
  nPredictions: prepared.nPredictions,
  nLabels: prepared.nLabels,
  predFrame: prepared.predFrame,
  labelFrame: prepared.labelFrame,
  labelHash: prepared.labels.map((l) => (l.kind === 'object' ? l.object.objectHash : '')),
  frameUnit: Int32Array.from(prepared.frames, (f) => f.dataUnitIndex),
  frameNumber: Int32Array.from(prepared.frames, (f) => f.frame),
};
const run = predictionMetricTable(
  withFrameMetrics(computePredictionMetrics(env, project, predictions)),
  prepared.predSource,
  prepared.confidence,
);
const frames = new FrameValues(tables);
const keys = preparedFrameKeys(project, columns);

describe('frame metrics in the chart columns', () => {
  it('offers Object Count and Frame object density as (F) for labels and (P)/(F) for predictions, never (O)', () => {
    const labels = labelOptions(tables).map((o) => o.id);
    expect(labels).toContain('F:object_count');
    expect(labels).toContain('F:frame_object_density');
    expect(labels).not.toContain('O:object_count');
    const preds = predictionOptions(tables, run).map((o) => o.id);
    for (const id of ['P:object_count', 'P:frame_object_density', 'F:object_count', 'F:frame_object_density'])
      expect(preds).toContain(id);
  });

  it("gives each label its frame's label count, each prediction its frame's label and prediction counts", () => {
    const labelCounts = labelColumn('F:object_count', project, columns, keys, tables, frames);
    expect(labelCounts).toHaveLength(prepared.nLabels);
    for (let lidx = 0; lidx < prepared.nLabels; lidx++) {
      const unit = project.dataUnits[columns.frameUnit[prepared.labelFrame[lidx]]];
      expect(labelCounts[lidx]).toBe(unit.frames[0].objects.length);
    }
    expect([...labelCounts].sort()).toEqual([1, 3, 3, 3]);
    expect(Array.from(predictionColumn('F:object_count', columns, keys, frames, run))).toEqual([3, 3]);
    expect(Array.from(predictionColumn('P:object_count', columns, keys, frames, run))).toEqual([2, 2]);
    // Two disjoint 0.2 x 0.2 boxes cover 8% of the frame.
    for (const v of predictionColumn('P:frame_object_density', columns, keys, frames, run))
      expect(v).toBeCloseTo(8, 12);
  });
});
