// Box IoU: pycocotools bbIou (float64) and Encord Active's float32 torchvision box_iou, against the fixtures.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cocoBoxIouMatrix,
  eaBoxIouMatrix,
  eaLabelBoxXyxy,
  eaPredictionBoxXyxy,
  pyRound,
} from '../../src/kernels/boxes.ts';
import { fixture } from '../fixtures.ts';

const json = (...p: string[]) => JSON.parse(readFileSync(fixture(...p), 'utf8'));

/** predictions.csv / labels.csv rows: the columns this test needs (the rle column holds commas inside quotes). */
function csvRows(file: string): Record<string, string>[] {
  const lines = readFileSync(fixture('ea-mini', 'predictions', file), 'utf8')
    .trim()
    .split('\n');
  const header = lines[0].split(',');
  return lines.slice(1).map((line) => {
    const cells: string[] = [];
    let cur = '';
    let quoted = false;
    for (const ch of line) {
      if (ch === '"') quoted = !quoted;
      else if (ch === ',' && !quoted) {
        cells.push(cur);
        cur = '';
      } else cur += ch;
    }
    cells.push(cur);
    return Object.fromEntries(header.map((h, i) => [h, cells[i]]));
  });
}

describe('Encord Active box IoU (float32 torchvision box_iou)', () => {
  const W = 100;
  const H = 80;
  // The box predictions of ea-mini/predictions.pkl, in pidx order (see fixtures/_build/ea_mini.py).
  const predBoxes = [
    { pidx: 1, box: { x: 0.11, y: 0.1, w: 0.3, h: 0.3 } },
    { pidx: 2, box: { x: 0.12, y: 0.11, w: 0.3, h: 0.3 } },
    { pidx: 3, box: { x: 0.7, y: 0.6, w: 0.2, h: 0.3 } },
    { pidx: 4, box: { x: 0.0, y: 0.7, w: 0.05, h: 0.05 } },
  ];
  const predictionsCsv = csvRows('predictions.csv');
  const labelsCsv = csvRows('labels.csv');
  const labelRow = json('ea-mini', 'data', '404fbdc5-adf3-4f62-9070-35a2495bf559', 'label_row.json');
  const objects = Object.values<any>(labelRow.data_units)[0].labels.objects;
  const carLabels = objects.filter((o: any) => o.boundingBox);

  it('computes x1..y2 of predictions (unrounded) and labels (round 2) exactly as EA wrote them', () => {
    for (const { pidx, box } of predBoxes) {
      const row = predictionsCsv[pidx];
      expect(eaPredictionBoxXyxy(box, W, H)).toEqual([row.x1, row.y1, row.x2, row.y2].map(Number));
    }
    carLabels.forEach((o: any, i: number) => {
      const row = labelsCsv[i];
      expect(eaLabelBoxXyxy(o.boundingBox, W, H)).toEqual([row.x1, row.y1, row.x2, row.y2].map(Number));
    });
  });

  it('gives the float32 IoUs EA stored: 0.9354838728904724, 0.8218624591827393, 0.15789473056793213, 0', () => {
    const preds = Float32Array.from(predBoxes.flatMap(({ box }) => eaPredictionBoxXyxy(box, W, H)));
    const labels = Float32Array.from(carLabels.flatMap((o: any) => eaLabelBoxXyxy(o.boundingBox, W, H)));
    const iou = eaBoxIouMatrix(preds, labels);
    const reference = json('ea-mini', 'reference.json').predictions;
    predBoxes.forEach(({ pidx }, p) => {
      const best = Math.max(iou[p * 2], iou[p * 2 + 1]);
      // predictions.csv holds the float32 value exactly; reference.json went through pandas' CSV parser, which
      // reads 0.15789473056793213 back one double-ulp off, so compare that one at float32 precision.
      expect(best).toBe(Number(predictionsCsv[pidx].iou));
      expect(best).toBe(Math.fround(reference[pidx].iou));
    });
    expect(iou[0]).toBe(0.9354838728904724);
    expect(iou[2]).toBe(0.8218624591827393);
    expect(iou[5]).toBe(0.15789473056793213);
    // the float64 formula would give 0.935483870967742: the float32 steps matter
    expect(iou[0]).not.toBe((30 * 24) / (30 * 24 + 30 * 24 - 29 * 24));
  });

  it('rounds like Python round(x, 2), ties to even on the exact binary value', () => {
    expect(pyRound(0.125, 2)).toBe(0.12);
    expect(pyRound(0.375, 2)).toBe(0.38);
    expect(pyRound(-0.125, 2)).toBe(-0.12);
    expect(pyRound(2.675, 2)).toBe(2.67); // 2.675 is stored just below 2.675
    expect(pyRound(1.005, 2)).toBe(1); // same story
    expect(pyRound(40.00000000000001, 2)).toBe(40);
    expect(pyRound(32.8, 2)).toBe(32.8);
  });
});

describe('COCO bbIou (float64)', () => {
  const iouThrs: number[] = json('coco', 'micro', '10_param_thresholds', 'expected.json').iouThrs;

  it('micro-cases 11 and 12: IoU exactly 0.5; a crowd divides by the detection area', () => {
    expect(Array.from(cocoBoxIouMatrix([0, 0, 10, 5], [0, 0, 10, 10], [0]))).toEqual([0.5]);
    const iou = cocoBoxIouMatrix([0, 0, 10, 10, 50, 50, 5, 5], [0, 0, 100, 100, 0, 0, 10, 10], [1, 0]);
    // row-major [d*G + g]
    expect(Array.from(iou)).toEqual([1, 1, 1, 0]);
  });

  it('finds the coco/bbox detections whose IoU is exactly each np.linspace threshold (0.8999999999999999 too)', () => {
    const gt = json('coco', 'bbox', 'gt.json').annotations;
    const dt = json('coco', 'bbox', 'dt.json');
    const hits = new Set<number>();
    const cells = new Map<string, { g: any[]; d: any[] }>();
    for (const g of gt) {
      const key = `${g.image_id}/${g.category_id}`;
      if (!cells.has(key)) cells.set(key, { g: [], d: [] });
      cells.get(key)!.g.push(g);
    }
    for (const d of dt) cells.get(`${d.image_id}/${d.category_id}`)?.d.push(d);
    for (const { g, d } of cells.values()) {
      if (!d.length) continue;
      const iou = cocoBoxIouMatrix(
        d.flatMap((x) => x.bbox),
        g.flatMap((x) => x.bbox),
        g.map((x) => x.iscrowd),
      );
      for (const v of iou) hits.add(v);
    }
    for (const t of iouThrs) expect(hits.has(t), `IoU ${t}`).toBe(true);
    expect(hits.has(0.9)).toBe(true);
  });

  const boxArb = fc.tuple(
    fc.integer({ min: 0, max: 50 }),
    fc.integer({ min: 0, max: 50 }),
    fc.integer({ min: 0, max: 30 }),
    fc.integer({ min: 0, max: 30 }),
  );

  it('is symmetric without crowds, in [0, 1], and 0 for boxes that only touch', () => {
    fc.assert(
      fc.property(boxArb, boxArb, (a, b) => {
        const ab = cocoBoxIouMatrix(a, b, [0])[0];
        expect(cocoBoxIouMatrix(b, a, [0])[0]).toBe(ab);
        expect(ab >= 0 && ab <= 1).toBe(true);
      }),
    );
    expect(cocoBoxIouMatrix([0, 0, 10, 10], [10, 0, 10, 10], [0])[0]).toBe(0);
  });

  it('lays out D x G row-major', () => {
    const iou = cocoBoxIouMatrix([0, 0, 10, 10, 100, 100, 1, 1, 0, 0, 10, 5], [0, 0, 10, 10, 0, 0, 10, 20], [0, 0]);
    expect(Array.from(iou)).toEqual([1, 0.5, 0, 0, 0.5, 0.25]);
  });
});
