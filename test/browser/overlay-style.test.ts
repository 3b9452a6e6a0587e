// The four overlay line styles in real Chromium: a label's edge is solid, a true positive's a double line (white
// core), a false positive's dashed and a missed label's dotted, each pattern centred on the edge's middle; so a
// red class label and a magenta false positive differ by more than colour (issue 13, item 7).
import { describe, expect, it } from 'vitest';
import { FP_COLOUR, strokeRings, type MarkKind } from '../../src/ui/images/overlay-style.ts';

/** Strokes one horizontal edge 120 px long in `kind` and reads back whether each pixel of its centre line is drawn. */
function edge(kind: MarkKind, width = 4) {
  const canvas = document.createElement('canvas');
  canvas.width = 140;
  canvas.height = 20;
  const ctx = canvas.getContext('2d')!;
  ctx.strokeStyle = FP_COLOUR;
  strokeRings(
    ctx,
    [
      [
        [10, 10],
        [130, 10],
      ],
    ],
    false,
    kind,
    width,
  );
  const row = ctx.getImageData(10, 10, 120, 1).data;
  const drawn: boolean[] = [];
  const white: boolean[] = [];
  for (let x = 0; x < 120; x++) {
    drawn.push(row[4 * x + 3] > 200);
    white.push(row[4 * x] > 240 && row[4 * x + 1] > 240 && row[4 * x + 2] > 240);
  }
  return { drawn, white, middle: row.slice(4 * 60, 4 * 60 + 4) };
}

const runs = (on: boolean[]) => on.reduce((n, v, i) => n + (v && !on[i - 1] ? 1 : 0), 0);

describe('overlay line styles', () => {
  it('a label is one solid line', () => {
    const { drawn } = edge('label');
    expect(drawn.every(Boolean)).toBe(true);
  });
  it('a true positive is a double line: coloured edges, white core', () => {
    const { drawn, white } = edge('tp', 6);
    expect(drawn.every(Boolean)).toBe(true);
    expect(white.filter(Boolean).length).toBeGreaterThan(100);
  });
  it('a false positive is dashed, a dash centred on the middle of the edge', () => {
    const { drawn, middle } = edge('fp');
    expect(runs(drawn)).toBeGreaterThanOrEqual(5);
    expect(drawn.filter((v) => !v).length).toBeGreaterThan(20);
    expect([...middle.slice(0, 3)]).toEqual([0xfd, 0x0a, 0x5a]);
  });
  it('a missed label is dotted: many short dots, one on the middle', () => {
    const dashed = edge('fp');
    const dotted = edge('fn');
    expect(runs(dotted.drawn)).toBeGreaterThan(runs(dashed.drawn));
    expect(dotted.drawn[60]).toBe(true);
    expect(dotted.drawn.filter(Boolean).length).toBeLessThan(dashed.drawn.filter(Boolean).length);
  });
});
