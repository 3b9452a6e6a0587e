// EA-style model quality works on a dataset: box predictions score against the labels of polygon and mask classes
// (by box IoU on the labels' own pixel boxes), crowd regions are left out and counted, and a perfect set of box
// predictions (the ground-truth boxes themselves) is found completely.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadKernels } from '../../../src/kernels/node.ts';
import type { Kernels } from '../../../src/kernels/wasm.ts';
import { prepareActive, scoreActive } from '../../../src/core/eval/active/index.ts';
import type { Prediction } from '../../../src/core/model.ts';
import { openFixture } from './helpers.ts';

let kernels: Kernels;
beforeAll(async () => {
  kernels = await loadKernels();
});

describe('EA mode on a COCO dataset', () => {
  it("finds every non-crowd label when the predictions are the labels' boxes", async () => {
    const project = await openFixture('coco-official', 'val2017');
    const predictions: Prediction[] = [];
    let crowd = 0;
    for (const unit of project.dataUnits) {
      for (const o of unit.frames[0].objects) {
        if (o.dataset!.iscrowd) {
          crowd++;
          continue;
        }
        const [x, y, w, h] = o.dataset!.bbox;
        predictions.push({
          dataHash: unit.dataHash,
          frame: 0,
          confidence: 0.9,
          featureHash: o.featureHash,
          shape: { kind: 'box', box: { x: x / unit.width, y: y / unit.height, w: w / unit.width, h: h / unit.height } },
          boxPx: { x, y, w, h },
        });
      }
    }
    expect(crowd).toBe(1);
    const prepared = prepareActive(kernels, project, predictions);
    expect(prepared.excluded).toEqual([]);
    expect(prepared.skippedLabels).toEqual({ crowd_region: 1 });
    const score = scoreActive(prepared, { iouThreshold: 0.5, ignoreFramesWithoutPredictions: false });
    const evaluated = score.perClass.filter((c) => c.evaluated);
    expect(evaluated.map((c) => c.name).sort()).toEqual(['car', 'person', 'train']);
    for (const c of evaluated) {
      expect(c.nTruePositives).toBe(c.nLabels);
      expect(c.AR).toBe(1);
    }
  });
});
