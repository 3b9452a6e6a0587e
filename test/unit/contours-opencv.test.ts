// Hole mode against OpenCV RETR_CCOMP on every shared mask, and both modes on seeded random masks (noise with
// diagonal touches, rings and discs of touching classes, 275 holes in one component, 16-bit values).
// Expectations: test/fixtures/contours/*.json, written by scripts/contours_reference.py with cv2 4.6.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeClassMask } from '../../src/core/png.ts';
import { traceContours, type Contour } from '../../src/kernels/contours.ts';
import { loadKernels } from '../../src/kernels/node.ts';
import { REPO_ROOT, fixture } from '../fixtures.ts';

interface Expected {
  points: [number, number][];
  area: number;
  bbox: [number, number, number, number];
  holes?: Expected[];
}
interface ExpectedFile {
  mask: string;
  classes: Record<string, { ccomp: Expected[]; external?: Expected[] }>;
}

const kernels = await loadKernels();
const here = (...p: string[]) => `${REPO_ROOT}/test/fixtures/contours/${p.join('/')}`;
const index = JSON.parse(readFileSync(here('index.json'), 'utf8')) as { mask: string; expected: string }[];

function plain(c: Contour): Expected {
  const out: Expected = {
    points: Array.from(
      { length: c.points.length / 2 },
      (_, i) => [c.points[2 * i], c.points[2 * i + 1]] as [number, number],
    ),
    area: c.area,
    bbox: c.bbox,
  };
  if (c.holes) out.holes = c.holes.map(plain);
  return out;
}

describe('contours equal OpenCV on more masks', () => {
  it('has expectations for the 12 shared masks and 4 random ones', () => {
    expect(index.length).toBe(16);
  });

  for (const entry of index) {
    const path = entry.mask.startsWith('shared:') ? fixture(entry.mask.slice('shared:'.length)) : here(entry.mask);
    const expected = JSON.parse(readFileSync(here(entry.expected), 'utf8')) as ExpectedFile;
    const values = Object.keys(expected.classes).map(Number);

    it(`${entry.mask}: hole mode equals RETR_CCOMP (outer contours, each with its holes)`, () => {
      const mask = decodeClassMask(readFileSync(path), entry.mask);
      const { classes } = traceContours(kernels, mask.values, mask.width, mask.height, { holes: true });
      expect([...classes.keys()]).toEqual(values);
      for (const v of values) expect(classes.get(v)!.map(plain), `value ${v}`).toEqual(expected.classes[v].ccomp);
    });

    if (!entry.mask.startsWith('shared:')) {
      it(`${entry.mask}: external mode equals RETR_EXTERNAL`, () => {
        const mask = decodeClassMask(readFileSync(path), entry.mask);
        const { classes } = traceContours(kernels, mask.values, mask.width, mask.height);
        for (const v of values) expect(classes.get(v)!.map(plain), `value ${v}`).toEqual(expected.classes[v].external);
      });
    }
  }
});
