// The whole path a user takes: COCO results imported onto a dataset by the prediction readers (image ids and
// category ids of the dataset, bbox kept in pixels, segmentations as pycocotools rasterises them), then COCO
// evaluation of the Predictions, equals pycocotools 2.0.11 on the same files, to the last bit.
import { readdirSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadKernels } from '../../../src/kernels/node.ts';
import type { Kernels } from '../../../src/kernels/wasm.ts';
import { NodeTree } from '../../../src/files/node-fs.ts';
import { FileSubset } from '../../../src/core/formats/file-subset.ts';
import { importPredictions } from '../../../src/core/formats/index.ts';
import { evaluateProjectCoco } from '../../../src/core/eval/project-to-coco.ts';
import { DATASETS, openFixture, reference } from './helpers.ts';

let kernels: Kernels;
beforeAll(async () => {
  kernels = await loadKernels();
});

const answers = readdirSync(resolve(DATASETS, 'references')).map((f) => f.replace(/\.json$/, ''));
const cases = answers.flatMap((answer) =>
  reference(answer).eval.map((e) => [`${answer}: ${e.iouType} ${e.predictions}`, answer, e] as const),
);

describe('imported through the COCO results reader', () => {
  it.each(cases)('%s', async (_, answer, e) => {
    const ref = reference(answer);
    const project = await openFixture(ref.fixture, ref.split ?? undefined);
    const file = resolve(DATASETS, 'predictions', e.predictions);
    const tree = new FileSubset(new NodeTree(dirname(file)), [basename(file)], basename(file));
    const imported = await importPredictions(kernels, project, tree, 'coco');
    expect(imported.report.rejected).toEqual([]);
    const ev = evaluateProjectCoco(kernels, project, imported.predictions, { iouType: e.iouType });
    expect(ev.coco.excluded).toEqual([]);
    expect(ev.result.stats).toEqual(e.stats);
  });
});
