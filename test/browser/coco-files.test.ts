// COCO evaluation of two files in real Chromium, split over Web Workers (src/workers/coco-files-client.ts): the
// same parts as Node's worker_threads, so the same numbers as pycocotools' stored references, on 1 and 2 workers,
// and the reference path's error for a file the fast path leaves to it.
import { describe, expect, it } from 'vitest';
import { evaluateCocoFiles } from '../../src/workers/coco-files-client.ts';

const FILES = import.meta.glob('../fixtures/shared/coco/{bbox,segm}/*.json', {
  query: '?url',
  import: 'default',
  eager: true,
}) as Record<string, string>;

async function file(path: string): Promise<File> {
  const url = FILES[`../fixtures/shared/coco/${path}`];
  const response = await fetch(url);
  return new File([await response.arrayBuffer()], path.split('/').pop()!, { type: 'application/json' });
}

const json = async (path: string) => JSON.parse(await (await file(path)).text());

describe('evaluateCocoFiles in the page', () => {
  for (const [dir, dt, iouType, ref] of [
    ['bbox', 'dt.json', 'bbox', 'reference_bbox.json'],
    ['segm', 'dt_rle.json', 'segm', 'reference_segm.json'],
    ['segm', 'dt_rle_with_bbox.json', 'segm', 'reference_segm_with_bbox.json'],
  ] as const) {
    it(`${dir}/${dt}: pycocotools' stats and printout on 1 and 2 workers`, async () => {
      const reference = await json(`${dir}/${ref}`);
      for (const parts of [1, 2]) {
        const result = await evaluateCocoFiles(await file(`${dir}/gt.json`), await file(`${dir}/${dt}`), {
          iouType,
          parts,
        });
        expect(result.stats).toEqual(reference.stats);
        expect(result.printout).toEqual(reference.summarize_printout);
      }
    });
  }

  it('gives the reference path error for results the fast reader leaves to it', async () => {
    const gt = await file('bbox/gt.json');
    const bad = new File(['[{"image_id": 7, "category_id": 1, "bbox": [1, 2, 3, 4]}]'], 'bad.json');
    await expect(evaluateCocoFiles(gt, bad, { iouType: 'bbox', parts: 2 })).rejects.toThrow(
      /bad\.json: result 0 \(image_id 7\) has no numeric "score"/,
    );
  });
});
