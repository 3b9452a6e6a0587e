// COCO evaluation of every dataset fixture equals pycocotools 2.0.11 to the last bit: on the source JSON for COCO
// folders, on the JSON converted by the spec's rules (made again, independently, by the reference script) for YOLO
// and VOC. Both the results file evaluated as it is and the same results imported as Predictions must give it.
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadKernels } from '../../../src/kernels/node.ts';
import type { Kernels } from '../../../src/kernels/wasm.ts';
import { evaluateDatasetResults, evaluateProjectCoco } from '../../../src/core/eval/project-to-coco.ts';
import { asPredictions, DATASETS, openFixture, reference, results } from './helpers.ts';

let kernels: Kernels;
beforeAll(async () => {
  kernels = await loadKernels();
});

const answers = readdirSync(resolve(DATASETS, 'references')).map((f) => f.replace(/\.json$/, ''));

/** pycocotools' per-category AP with NaN for "no ground truth", as the reference writes null. */
const perCategory = (ev: { perClass: { categoryId: number; AP: number }[] }) =>
  Object.fromEntries(ev.perClass.map((c) => [String(c.categoryId), Number.isNaN(c.AP) ? null : c.AP]));

describe.each(answers)('%s', (answer) => {
  const ref = reference(answer);
  it('has the ground truth the reference converted (YOLO and VOC) and the counts it made', async () => {
    const project = await openFixture(ref.fixture, ref.split ?? undefined);
    if (ref.converted) expect(project.dataset!.coco).toEqual(ref.converted);
    expect(project.dataUnits.length).toBe(ref.counts.images);
    const labels = project.dataUnits.reduce((n, u) => n + u.frames[0].objects.length, 0);
    expect(labels).toBe(ref.counts.objects);
  });

  it.each(ref.eval.map((e) => [`${e.iouType} ${e.predictions}`, e] as const))('%s', async (_, e) => {
    const project = await openFixture(ref.fixture, ref.split ?? undefined);
    const list = results(e.predictions);
    const direct = evaluateDatasetResults(kernels, project, list, { iouType: e.iouType });
    expect(direct.result.stats).toEqual(e.stats);
    expect(perCategory(direct)).toEqual(e.perCategoryAP);
    const imported = evaluateProjectCoco(kernels, project, asPredictions(project, list), { iouType: e.iouType });
    expect(imported.coco.excluded).toEqual([]);
    expect(imported.result.stats).toEqual(e.stats);
    expect(perCategory(imported)).toEqual(e.perCategoryAP);
  });
});
