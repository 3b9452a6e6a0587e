// Polygon utilities: shoelace area against the coco/segm GT area field, orientation, bounds, validation reasons,
// coordinate conversion and Douglas-Peucker simplification.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Points } from '../../src/core/model.ts';
import {
  orientation,
  polygonArea,
  polygonBounds,
  signedArea,
  simplifyPolygon,
  toPixels,
  toRelative,
  validatePolygon,
} from '../../src/kernels/polygon.ts';
import { fixture } from '../fixtures.ts';

const pairs = (flat: number[]): Points =>
  Array.from({ length: flat.length / 2 }, (_, i) => [flat[2 * i], flat[2 * i + 1]]);

describe('area, orientation, bounds', () => {
  it('reproduces the shoelace area of every coco/segm GT polygon (multi-part summed) exactly', () => {
    const gt = JSON.parse(readFileSync(fixture('coco', 'segm', 'gt.json'), 'utf8'));
    const polys = gt.annotations.filter((a: any) => !a.iscrowd);
    expect(polys).toHaveLength(89);
    for (const a of polys) {
      const area = a.segmentation.reduce((s: number, p: number[]) => s + polygonArea(pairs(p)), 0);
      expect({ id: a.id, area }).toEqual({ id: a.id, area: a.area });
    }
  });

  it('tells the winding as seen on screen (y down)', () => {
    const square: Points = [
      [0, 0],
      [2, 0],
      [2, 2],
      [0, 2],
    ]; // right, then down: clockwise on screen
    expect(orientation(square)).toBe('clockwise');
    expect(signedArea(square)).toBe(4);
    expect(orientation([...square].reverse())).toBe('counterclockwise');
    expect(
      orientation([
        [0, 0],
        [1, 1],
        [2, 2],
      ]),
    ).toBe('degenerate');
    expect(
      polygonBounds([
        [3, -1],
        [0, 5],
        [2, 2],
      ]),
    ).toEqual({ minX: 0, minY: -1, maxX: 3, maxY: 5 });
    expect(polygonBounds([])).toBeUndefined();
  });

  it('converts between pixels and relative coordinates', () => {
    const px = toPixels(
      [
        [0.5, 0.1],
        [0.9, 0.4],
      ],
      100,
      80,
    );
    expect(px).toEqual([
      [50, 8],
      [90, 32],
    ]);
    expect(toRelative(px, 100, 80)).toEqual([
      [0.5, 0.1],
      [0.9, 0.4],
    ]);
  });
});

describe('validation', () => {
  it('names every reason with the point at fault', () => {
    expect(
      validatePolygon([
        [0.1, 0.1],
        [0.9, 0.1],
        [0.5, 0.8],
      ]),
    ).toEqual([]);
    const kinds = (p: Points, o = {}) => validatePolygon(p, o).map((x) => x.kind);
    expect(
      kinds([
        [0, 0],
        [1, 0],
      ]),
    ).toEqual(['too_few_points']);
    expect(
      kinds([
        [0, 0],
        [1, 0],
        [0, 0],
      ]),
    ).toEqual(['too_few_points']);
    expect(
      kinds([
        [0, 0],
        [0.5, 0.5],
        [1, 1],
      ]),
    ).toEqual(['zero_area']);
    expect(
      kinds([
        [0, 0],
        [NaN, 0.5],
        [1, 1],
        [1, 0],
      ]),
    ).toEqual(['not_finite']);
    const outside = validatePolygon([
      [0, 0],
      [1.2, 0],
      [1, 1],
    ]);
    expect(outside).toHaveLength(1);
    expect(outside[0]).toMatchObject({ kind: 'outside_image', index: 1 });
    expect(outside[0].message).toMatch(/point 1 \(1\.2, 0\)/);
    expect(
      kinds(
        [
          [0, 0],
          [1.2, 0],
          [1, 1],
        ],
        { tolerance: 0.25 },
      ),
    ).toEqual([]);
    expect(
      kinds(
        [
          [0, 0],
          [640, 0],
          [640, 481],
        ],
        { width: 640, height: 480 },
      ),
    ).toEqual(['outside_image']);
  });
});

describe('Douglas-Peucker', () => {
  it('drops collinear and near-collinear points and keeps corners', () => {
    const ring: Points = [
      [0, 0],
      [5, 0.2],
      [10, 0],
      [10, 10],
      [5, 10],
      [0, 10],
    ];
    expect(simplifyPolygon(ring, 0.5)).toEqual([
      [0, 0],
      [10, 0],
      [10, 10],
      [0, 10],
    ]);
    expect(simplifyPolygon(ring, 0.1)).toEqual([
      [0, 0],
      [5, 0.2],
      [10, 0],
      [10, 10],
      [0, 10],
    ]);
    // normalised points with the tolerance in pixels of a 100 x 100 image
    expect(simplifyPolygon(toRelative(ring, 100, 100), 0.5, 100, 100)).toHaveLength(4);
  });

  it('keeps a subset in order, never below 3 points, with every dropped point within the tolerance', () => {
    const ringArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 })), {
      minLength: 3,
      maxLength: 40,
    });
    fc.assert(
      fc.property(ringArb, fc.double({ min: 0, max: 10, noNaN: true }), (ring, tol) => {
        const pts = ring as Points;
        const out = simplifyPolygon(pts, tol);
        expect(out.length).toBeGreaterThanOrEqual(3);
        // subset in order
        let j = 0;
        for (const p of pts) if (j < out.length && p === out[j]) j++;
        expect(j).toBe(out.length);
        // each dropped point lies within tol of the simplified edge that replaced it
        const kept = new Set(out);
        let last = 0;
        const idx = pts.map((p) => (kept.has(p) ? 1 : 0));
        for (let i = 1; i <= pts.length; i++) {
          if (i < pts.length && !idx[i]) continue;
          const a = pts[last];
          const b = pts[i % pts.length];
          for (let m = last + 1; m < i; m++) expect(distanceToSegment(pts[m], a, b)).toBeLessThanOrEqual(tol + 1e-9);
          last = i;
        }
      }),
    );
  });
});

function distanceToSegment(p: [number, number], a: [number, number], b: [number, number]): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
}
