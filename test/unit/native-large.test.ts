// A large prediction file must import whole: appending 150k records once overflowed the call stack.
import { describe, expect, it } from 'vitest';
import { NodeTree } from '../../src/files/node-fs.ts';
import { readProject } from '../../src/core/project/read.ts';
import { nativeJsonReader, toNativeNdjson } from '../../src/core/formats/native.ts';
import { MemoryTree } from '../../src/core/file-tree.ts';
import { loadKernels } from '../../src/kernels/node.ts';
import type { Prediction } from '../../src/core/model.ts';
import { fixture } from '../fixtures.ts';

describe('native NDJSON at scale', () => {
  it('reads 150,000 box predictions', async () => {
    const project = await readProject(new NodeTree(fixture('ea-mini')));
    const unit = project.dataUnits[0];
    const car = project.ontology.objects.find((o) => o.shape === 'bounding_box')!;
    const predictions: Prediction[] = Array.from({ length: 150_000 }, (_, i) => ({
      dataHash: unit.dataHash,
      frame: unit.frames[0].frame,
      confidence: (i % 1000) / 1000,
      featureHash: car.featureNodeHash,
      shape: { kind: 'box', box: { x: 0.1, y: 0.1, w: 0.2, h: 0.2 } },
    }));
    const files = new MemoryTree('run', { 'big.ndjson': toNativeNdjson(predictions) });
    const result = await nativeJsonReader.read(await loadKernels(), project, files, {});
    expect(result.report.rejected).toEqual([]);
    expect(result.predictions).toHaveLength(150_000);
    expect(result.predictions[149_999].confidence).toBe(0.999);
  });
});
