// TIDE and the AP definitions in real Chromium with the real .wasm: the evaluation worker's TIDE of ea-mini equals
// tidecv run on the project's COCO translation (test/fixtures/tide/project_ea_mini.json), per prediction too; and
// the core in the page, mask mode through the browser's RLE kernels, equals tidecv on the shared segm fixture;
// the integrations equal py-faster-rcnn's voc_ap and Ultralytics' compute_ap on the same match lists.
import { afterAll, describe, expect, it } from 'vitest';
import { cocoEvaluate } from '../../src/core/eval/coco/index.ts';
import { apDefinitions } from '../../src/core/eval/definitions/index.ts';
import { errorOfCode, MAIN_ERRORS, tideEvaluate } from '../../src/core/eval/tide/index.ts';
import { loadKernels } from '../../src/kernels/browser.ts';
import { EvalClient } from '../../src/workers/eval-client.ts';
import { eaMini } from './eval-fixtures.ts';

const FILES = import.meta.glob(
  [
    '../fixtures/tide/project_ea_mini.json',
    '../fixtures/tide/coco_segm_masks.json',
    '../fixtures/definitions/integrations.json',
    '../fixtures/shared/coco/segm/gt.json',
    '../fixtures/shared/coco/segm/dt_rle.json',
    '../fixtures/shared/coco/bbox/gt.json',
    '../fixtures/shared/coco/bbox/dt.json',
  ],
  { query: '?url', import: 'default', eager: true },
) as Record<string, string>;
const json = async (path: string) => (await fetch(FILES[`../fixtures/${path}`])).json();

const clients: EvalClient[] = [];
afterAll(() => clients.forEach((c) => c.terminate()));

describe('TIDE in Chromium', () => {
  it("the eval worker's TIDE of ea-mini equals tidecv on its COCO translation", async () => {
    const mini = await eaMini();
    const ref = await json('tide/project_ea_mini.json');
    const client = new EvalClient();
    clients.push(client);
    await client.prepare(mini.project, { kind: 'predictions', predictions: mini.predictions });
    const tide = await client.tide();
    expect(tide.ap).toBe(ref.ap);
    expect(tide.main).toEqual(ref.main);
    expect(tide.special).toEqual(ref.special);
    expect(tide.counts).toEqual(ref.counts);
    // ea-mini's predictions are all boxes, so the COCO results are the predictions in order.
    const types = ref.detections.map((d: { error: string | null }) => d.error);
    expect([...tide.predError].map((c) => errorOfCode(c) ?? null)).toEqual(types);
  });

  it('mask mode with the browser RLE kernels equals tidecv on the segm fixture', async () => {
    const kernels = await loadKernels();
    const ref = await json('tide/coco_segm_masks.json');
    const r = tideEvaluate(
      kernels,
      await json('shared/coco/segm/gt.json'),
      await json('shared/coco/segm/dt_rle.json'),
      {
        mode: 'mask',
      },
    );
    expect(r.ap).toBe(ref.ap);
    for (const t of MAIN_ERRORS) expect(r.main[t], t).toBe(ref.main[t]);
    expect(r.special).toEqual(ref.special);
    expect([...r.detections.error].map((c) => errorOfCode(c) ?? null)).toEqual(
      ref.detections.map((d: { error: string | null }) => d.error),
    );
  });

  it("the AP definitions equal voc_ap and compute_ap's means on the bbox fixture", async () => {
    const kernels = await loadKernels();
    const answers = await json('definitions/integrations.json');
    const r = cocoEvaluate(kernels, await json('shared/coco/bbox/gt.json'), await json('shared/coco/bbox/dt.json'), {
      iouType: 'bbox',
    });
    const defs = new Map(apDefinitions(r).map((d) => [d.id, d.value]));
    const means = answers.cases.find((c: { name: string }) => c.name === 'coco_bbox').means;
    for (const id of ['voc', 'voc07', 'ultralytics50', 'ultralytics'] as const)
      expect(defs.get(id), id).toBe(means[id]);
  });
});
