// COCO masks against pycocotools' own outputs in the shared fixtures (exact equality everywhere).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadKernels } from '../../src/kernels/node.ts';
import {
  rleArea,
  rleDecodeRowMajor,
  rleEncode,
  rleFromBbox,
  rleFromCoco,
  rleFromString,
  rleToBbox,
  rleToString,
  type Rle,
} from '../../src/kernels/rle.ts';
import { annToRle, frPyObjects, PycocotoolsInputError } from '../../src/kernels/rle-objects.ts';
import { fixture } from '../fixtures.ts';

const k = await loadKernels();
const json = (...p: string[]) => JSON.parse(readFileSync(fixture(...p), 'utf8'));
const micro = (name: string, file: string) => json('coco', 'micro', name, file);

function rows(rle: Rle): number[][] {
  const m = rleDecodeRowMajor(k, rle);
  return Array.from({ length: rle.h }, (_, y) => Array.from(m.subarray(y * rle.w, (y + 1) * rle.w)));
}

describe('pycocotools micro-cases', () => {
  it('05: a 4-number polygon list takes the bbox path and fails with the same TypeError', () => {
    const input = micro('05_frPyObjects_bbox_list', 'input.json').args;
    const expected = micro('05_frPyObjects_bbox_list', 'expected.json');
    const call = () => frPyObjects(k, input.pyobj, input.h, input.w);
    expect(call).toThrow(PycocotoolsInputError);
    try {
      call();
    } catch (e) {
      expect((e as PycocotoolsInputError).pythonError).toBe(`${expected.raises.type}: ${expected.raises.message}`);
      expect((e as Error).message).toMatch(/bounding box/);
    }
    expect(() => annToRle(k, input.pyobj, input.h, input.w)).toThrow(PycocotoolsInputError);
  });

  it('05: the same box as a float64 array rasterises through frBbox', () => {
    const input = micro('05_frPyObjects_bbox_list', 'input.json').args;
    const expected = micro('05_frPyObjects_bbox_list', 'expected.json').same_box_as_float64_ndarray;
    const rle = rleFromBbox(k, input.pyobj[0], input.h, input.w);
    expect(rleToString(rle)).toBe(expected.rles[0].counts);
    expect(Array.from(rle.counts)).toEqual(expected.uncompressed_counts_colmajor[0]);
    expect(rleArea(rle)).toBe(expected.area[0]);
  });

  for (const name of ['06_frPoly_square', '06b_frPoly_square_shifted']) {
    it(`${name}: frPyObjects gives pycocotools' runs, string, area, bbox and pixels`, () => {
      const input = micro(name, 'input.json').args;
      const expected = micro(name, 'expected.json');
      const rles = frPyObjects(k, input.pyobj, input.h, input.w) as Rle[];
      expect(rles).toHaveLength(1);
      expect(rleToString(rles[0])).toBe(expected.rles[0].counts);
      expect(rles[0].h).toBe(expected.rles[0].size[0]);
      expect(rles[0].w).toBe(expected.rles[0].size[1]);
      expect(Array.from(rles[0].counts)).toEqual(expected.uncompressed_counts_colmajor);
      expect(rleArea(rles[0])).toBe(expected.area[0]);
      expect(rleToBbox(rles[0])).toEqual(expected.toBbox[0]);
      expect(rows(rles[0])).toEqual(expected.decoded_mask_rows);
    });
  }

  it('06c: encode of a 3x4 Fortran mask gives "326O"', () => {
    const input = micro('06c_encode_3x4', 'input.json');
    const expected = micro('06c_encode_3x4', 'expected.json');
    const [h, w] = input.shape_hw;
    const colMajor = new Uint8Array(h * w);
    input.mask_rows.forEach((r: number[], y: number) => r.forEach((v, x) => (colMajor[x * h + y] = v)));
    const rle = rleEncode(k, colMajor, h, w);
    expect(Array.from(rle.counts)).toEqual(expected.uncompressed_counts_colmajor);
    expect(rleToString(rle)).toBe(expected.rle.counts);
    expect(rleArea(rle)).toBe(expected.area);
    expect(rleFromString(expected.rle.counts, h, w).counts).toEqual(rle.counts);
  });
});

describe('coco/segm detections', () => {
  const gt = json('coco', 'segm', 'gt.json');
  const dt = json('coco', 'segm', 'dt.json');
  const dtRle = json('coco', 'segm', 'dt_rle.json');
  const dtWithBbox = json('coco', 'segm', 'dt_rle_with_bbox.json');
  const sizeOf = new Map<number, [number, number]>(gt.images.map((i: any) => [i.id, [i.height, i.width]]));

  it('every polygon detection converted by annToRle equals the string pycocotools wrote', () => {
    let polygons = 0;
    dt.forEach((d: any, i: number) => {
      if (!Array.isArray(d.segmentation)) return;
      polygons++;
      const [h, w] = sizeOf.get(d.image_id)!;
      const rle = annToRle(k, d.segmentation, h, w);
      expect({ i, counts: rleToString(rle), size: [rle.h, rle.w] }).toEqual({
        i,
        counts: dtRle[i].segmentation.counts,
        size: dtRle[i].segmentation.size,
      });
    });
    expect(polygons).toBe(36);
  });

  it('every compressed string survives decode + encode unchanged', () => {
    for (const d of dtRle) {
      const rle = rleFromCoco(d.segmentation);
      expect(rleToString(rle)).toBe(d.segmentation.counts);
    }
  });

  it('toBbox of every detection equals the bbox pycocotools added in dt_rle_with_bbox.json', () => {
    dtWithBbox.forEach((d: any, i: number) => {
      expect({ i, bbox: rleToBbox(rleFromCoco(d.segmentation)) }).toEqual({ i, bbox: d.bbox });
    });
  });
});

describe('coco/segm ground truth', () => {
  const gt = json('coco', 'segm', 'gt.json');
  const sizeOf = new Map<number, [number, number]>(gt.images.map((i: any) => [i.id, [i.height, i.width]]));

  it('uncompressed crowd regions: area equals the GT area field and toBbox its bbox', () => {
    const crowds = gt.annotations.filter((a: any) => a.iscrowd);
    expect(crowds).toHaveLength(5);
    for (const a of crowds) {
      const [h, w] = sizeOf.get(a.image_id)!;
      const rle = annToRle(k, a.segmentation, h, w);
      expect([rle.h, rle.w]).toEqual(a.segmentation.size);
      expect({ id: a.id, area: rleArea(rle), bbox: rleToBbox(rle) }).toEqual({ id: a.id, area: a.area, bbox: a.bbox });
    }
  });

  it('polygon GT (multi-part included) rasterise inside their bbox with an area close to the shoelace area', () => {
    const polys = gt.annotations.filter((a: any) => !a.iscrowd);
    expect(polys.some((a: any) => a.segmentation.length > 1)).toBe(true);
    for (const a of polys) {
      const [h, w] = sizeOf.get(a.image_id)!;
      const rle = annToRle(k, a.segmentation, h, w);
      const [x, y, bw, bh] = rleToBbox(rle);
      if (rleArea(rle) === 0) {
        // slivers thinner than a pixel rasterise to nothing, and an RLE without foreground has a zero bbox
        expect({ id: a.id, counts: rle.counts.length, bbox: [x, y, bw, bh], tiny: a.area < 2 }).toEqual({
          id: a.id,
          counts: 1,
          bbox: [0, 0, 0, 0],
          tiny: true,
        });
        continue;
      }
      // pycocotools' pixel grid: a pixel is kept when its centre region falls inside; never outside the float bbox.
      expect(x).toBeGreaterThanOrEqual(Math.floor(a.bbox[0]) - 1);
      expect(y).toBeGreaterThanOrEqual(Math.floor(a.bbox[1]) - 1);
      expect(x + bw).toBeLessThanOrEqual(Math.ceil(a.bbox[0] + a.bbox[2]) + 1);
      expect(y + bh).toBeLessThanOrEqual(Math.ceil(a.bbox[1] + a.bbox[3]) + 1);
      const perimeterSlack = 2 * (a.bbox[2] + a.bbox[3]) * a.segmentation.length + 4;
      expect(Math.abs(rleArea(rle) - a.area)).toBeLessThanOrEqual(perimeterSlack);
    }
  });
});
