// EA rasterisation = OpenCV fillPoly, pixel for pixel against cv2 4.6 (test/fixtures/fillpoly.json, made by
// scripts/gen-fillpoly-fixture.py), and EA's polygon IoUs on ea-mini.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadKernels } from '../../src/kernels/node.ts';
import {
  countPolygonPixels,
  eaPixelVertices,
  eaPolygonRle,
  eaRasterizePolygon,
  eaRleDecode,
  eaRleEncode,
  eaRleFromPython,
  eaRleIou,
  eaRleToPython,
  fillPolygons,
  maskIou,
  maskPixelCount,
} from '../../src/kernels/raster.ts';
import { rleDecodeRowMajor } from '../../src/kernels/rle.ts';
import { fixture, REPO_ROOT } from '../fixtures.ts';

const k = await loadKernels();

interface Case {
  kind: string;
  width: number;
  height: number;
  contours: number[][];
  pixels: number;
  runs: number[];
}
const cv = JSON.parse(readFileSync(`${REPO_ROOT}/test/fixtures/fillpoly.json`, 'utf8')) as {
  opencv: string;
  cases: Case[];
};

describe('fillPoly against OpenCV', () => {
  it(`reproduces every cv2 ${cv.opencv} mask (concave, self-intersecting, clipped, several contours)`, () => {
    expect(cv.cases.length).toBeGreaterThan(400);
    const kinds = new Set<string>();
    for (const [i, c] of cv.cases.entries()) {
      const mask = fillPolygons(k, c.contours, c.width, c.height);
      expect({ i, kind: c.kind, runs: eaRleEncode(mask, c.height, c.width).counts }).toEqual({
        i,
        kind: c.kind,
        runs: c.runs,
      });
      kinds.add(c.kind);
    }
    expect([...kinds].sort()).toEqual([
      'axis',
      'big',
      'border',
      'dupes',
      'ea-example',
      'ea-normalised',
      'far',
      'inside',
      'loose',
      'outside',
      'star',
    ]);
  });

  it('counts the pixels of every case, one call per image size, drawing each shape only inside its bbox', () => {
    const bySize = new Map<string, Case[]>();
    for (const c of cv.cases) {
      const key = `${c.width}x${c.height}`;
      bySize.set(key, [...(bySize.get(key) ?? []), c]);
    }
    for (const [size, cases] of bySize) {
      const counts = countPolygonPixels(
        k,
        cases.map((c) => ({ kind: 'pixels' as const, contours: c.contours })),
        cases[0].width,
        cases[0].height,
      );
      expect({ size, counts: Array.from(counts) }).toEqual({ size, counts: cases.map((c) => c.pixels) });
    }
  });

  it("fills EA's example: x 0.5-0.9, y 0.1-0.4 on 100x80 -> columns 50..90, rows 8..32 (41 x 25 px)", () => {
    const mask = eaRasterizePolygon(
      k,
      [
        [0.5, 0.1],
        [0.9, 0.1],
        [0.9, 0.4],
        [0.5, 0.4],
      ],
      100,
      80,
    );
    expect(maskPixelCount(k, mask)).toBe(41 * 25);
    expect(mask[8 * 100 + 50]).toBe(1);
    expect(mask[32 * 100 + 90]).toBe(1);
    expect(mask[33 * 100 + 90]).toBe(0);
    expect(mask[32 * 100 + 91]).toBe(0);
    const [box] = countPolygonPixels(k, [{ kind: 'box', box: { x: 0.5, y: 0.1, w: 0.4, h: 0.3 } }], 100, 80);
    expect(box).toBe(41 * 25);
  });

  it('counts one polygon given as float pixel coordinates (truncated like astype(int))', () => {
    expect(countPolygonPixels(k, Float64Array.from([50.9, 8.2, 90.99, 8, 90.5, 32.7, 50, 32]), 100, 80)).toBe(41 * 25);
  });

  it('puts holes in with eaPolygonRle (even-odd), as a COCO RLE of the full image', () => {
    const rle = eaPolygonRle(
      k,
      [
        [0.1, 0.1],
        [0.9, 0.1],
        [0.9, 0.9],
        [0.1, 0.9],
      ],
      [
        [
          [0.4, 0.4],
          [0.6, 0.4],
          [0.6, 0.6],
          [0.4, 0.6],
        ],
      ],
      10,
      10,
    );
    const mask = rleDecodeRowMajor(k, rle);
    expect(mask[1 * 10 + 1]).toBe(1);
    // the hole's outline is drawn (edges are inclusive), its inside is not: 9x9 minus the one pixel at (5, 5)
    expect(mask[4 * 10 + 4]).toBe(1);
    expect(mask[5 * 10 + 5]).toBe(0);
    expect(maskPixelCount(k, mask)).toBe(80);
  });
});

describe('Encord Active polygon IoU on ea-mini', () => {
  const W = 100;
  const H = 80;
  const csv = (file: string) =>
    readFileSync(fixture('ea-mini', 'predictions', file), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => /"(\{[^"]*\})"/.exec(line)?.[1]);
  const labelRle = eaRleFromPython(csv('labels.csv')[2]!);
  const predRles = csv('predictions.csv');
  const reference = JSON.parse(readFileSync(fixture('ea-mini', 'reference.json'), 'utf8')).predictions;
  const labelRow = JSON.parse(
    readFileSync(fixture('ea-mini', 'data', '404fbdc5-adf3-4f62-9070-35a2495bf559', 'label_row.json'), 'utf8'),
  );
  const cat = Object.values<any>(labelRow.data_units)[0].labels.objects.find((o: any) => o.polygon);
  const catPoints = Object.values<any>(cat.polygon).map((p: any) => [p.x, p.y] as [number, number]);

  it('rasterises the Cat label and the point-polygon prediction to the exact RLEs EA wrote', () => {
    const label = eaRasterizePolygon(k, catPoints, W, H);
    expect(eaRleEncode(label, H, W)).toEqual(labelRle);
    expect(eaRleToPython(eaRleEncode(label, H, W))).toBe(csv('labels.csv')[2]);
    const pred0 = eaRasterizePolygon(
      k,
      [
        [0.5, 0.1],
        [0.88, 0.1],
        [0.88, 0.4],
        [0.5, 0.4],
      ],
      W,
      H,
    );
    expect(eaRleToPython(eaRleEncode(pred0, H, W))).toBe(predRles[0]);
  });

  it('gives the IoUs EA wrote: 975/1025 = 0.9512195121951219 (points) and 960/1025 = 0.9365853658536586 (mask)', () => {
    const label = eaRasterizePolygon(k, catPoints, W, H);
    const pred0 = eaRleDecode(eaRleFromPython(predRles[0]!));
    const pred5 = eaRleDecode(eaRleFromPython(predRles[5]!));
    const written = readFileSync(fixture('ea-mini', 'predictions', 'predictions.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => Number(line.slice(line.lastIndexOf(',') + 1)));
    expect(maskIou(k, pred0, label)).toBe(written[0]);
    expect(maskIou(k, pred5, label)).toBe(written[5]);
    expect(eaRleIou(eaRleFromPython(predRles[0]!), labelRle)).toBe(written[0]);
    expect(eaRleIou(eaRleFromPython(predRles[5]!), labelRle)).toBe(written[5]);
    // reference.json read predictions.csv back through pandas, whose default float parser is not correctly
    // rounded: it turned 0.9512195121951219 into 0.951219512195122 (one ulp up). The mask value is unaffected.
    expect(written[0]).toBe(0.9512195121951219);
    expect(reference[0].iou).toBe(0.951219512195122);
    expect(Math.abs(written[0] - reference[0].iou)).toBe(2 ** -53);
    expect(written[5]).toBe(reference[5].iou);
  });

  it('truncates pixel vertices toward zero (x*W in float64, or float32 when asked)', () => {
    expect(
      Array.from(
        eaPixelVertices(
          [
            [0.88, 0.1],
            [-0.001, 0.4],
          ],
          W,
          H,
        ),
      ),
    ).toEqual([88, 8, 0, 32]);
    // 0.29 * 100 = 28.999999999999996 in float64 but 29 once rounded to float32
    expect(Array.from(eaPixelVertices([0.29, 0], W, H))).toEqual([28, 0]);
    expect(Array.from(eaPixelVertices([0.29, 0], W, H, true))).toEqual([29, 0]);
  });
});

describe('mask IoU and EA RLE', () => {
  const maskArb = fc
    .record({ h: fc.integer({ min: 1, max: 9 }), w: fc.integer({ min: 1, max: 40 }) })
    .chain(({ h, w }) => {
      const m = fc.uint8Array({ minLength: h * w, maxLength: h * w }).map((b) => b.map((v) => (v > 150 ? 1 : 0)));
      return fc.record({ h: fc.constant(h), w: fc.constant(w), a: m, b: m });
    });

  it('maskIou and eaRleIou equal the pixel count ratio; 0 for two empty masks', () => {
    fc.assert(
      fc.property(maskArb, ({ h, w, a, b }) => {
        let i = 0;
        let u = 0;
        a.forEach((v, p) => {
          if (v && b[p]) i++;
          if (v || b[p]) u++;
        });
        const expected = u === 0 ? 0 : i / u;
        expect(maskIou(k, a, b)).toBe(expected);
        expect(eaRleIou(eaRleEncode(a, h, w), eaRleEncode(b, h, w))).toBe(expected);
      }),
    );
    expect(maskIou(k, new Uint8Array(5), new Uint8Array(5))).toBe(0);
  });

  it('EA RLE round-trips through encode, the Python repr and decode', () => {
    fc.assert(
      fc.property(maskArb, ({ h, w, a }) => {
        const rle = eaRleEncode(a, h, w);
        expect(rle.counts.reduce((s, c) => s + c, 0)).toBe(h * w);
        expect(eaRleDecode(eaRleFromPython(eaRleToPython(rle)))).toEqual(a);
      }),
    );
    expect(eaRleEncode(Uint8Array.from([1, 1, 0]), 1, 3).counts).toEqual([0, 2, 1]);
  });
});
