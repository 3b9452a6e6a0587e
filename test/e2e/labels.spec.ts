// Labels drawn over the images: inside a label the canvas holds the image blended with the class colour at the
// fill opacity; outside every label it holds the bare image. Checked on a demo photo (where the image under a
// label is not the class colour) by reading canvas pixels with labels on and off.
import { expect, test } from '@playwright/test';
import type { DataUnit, LabelObject } from '../../src/core/model.ts';
import { LABEL_STYLE } from '../../src/ui/images/draw.ts';
import { canvasPixel, DEMO, hexToRgb, readExpected } from './app-helpers.ts';

type Probe = { x: number; y: number; object?: LabelObject };
const MARGIN = 0.03; // keep probes this far (normalised) from outlines, so only the fill is sampled

function outline(o: LabelObject): [number, number][] | undefined {
  const g = o.geometry;
  if (g.kind === 'box')
    return [
      [g.box.x, g.box.y],
      [g.box.x + g.box.w, g.box.y],
      [g.box.x + g.box.w, g.box.y + g.box.h],
      [g.box.x, g.box.y + g.box.h],
    ];
  if (g.kind === 'polygon') return g.points;
  return undefined;
}

function inside([x, y]: [number, number], poly: [number, number][]): boolean {
  let hit = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i];
    const [xj, yj] = poly[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}

function distanceToEdges([x, y]: [number, number], poly: [number, number][]): number {
  let best = Infinity;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [ax, ay] = poly[j];
    const [bx, by] = poly[i];
    const len = (bx - ax) ** 2 + (by - ay) ** 2;
    const t = len === 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / len));
    best = Math.min(best, Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay))));
  }
  return best;
}

/** Near an outline or a class tag (drawn just above a label's top edge) of any label. */
function nearAnything(p: [number, number], outlines: [number, number][][]): boolean {
  return outlines.some((poly) => {
    const ys = poly.map((q) => q[1]);
    const xs = poly.map((q) => q[0]);
    const tag =
      p[1] > Math.min(...ys) - 0.08 &&
      p[1] < Math.min(...ys) + 0.06 &&
      p[0] > Math.min(...xs) - MARGIN &&
      p[0] < Math.min(...xs) + 0.25;
    return distanceToEdges(p, poly) < MARGIN || tag;
  });
}

/** Points inside exactly one label and far from every edge and tag, plus one point outside every label. */
function probesFor(unit: DataUnit): Probe[] {
  const objects = unit.frames[0].objects;
  const outlines = objects.map(outline).filter((o): o is [number, number][] => o !== undefined);
  const probes: Probe[] = [];
  for (const o of objects) {
    const poly = outline(o);
    if (!poly) continue;
    const xs = poly.map((q) => q[0]);
    const ys = poly.map((q) => q[1]);
    for (let fy = 0.3; fy <= 0.71 && !probes.some((p) => p.object === o); fy += 0.1) {
      for (let fx = 0.3; fx <= 0.71; fx += 0.1) {
        const p: [number, number] = [
          Math.min(...xs) + fx * (Math.max(...xs) - Math.min(...xs)),
          Math.min(...ys) + fy * (Math.max(...ys) - Math.min(...ys)),
        ];
        const containers = outlines.filter((q) => inside(p, q));
        if (containers.length === 1 && inside(p, poly) && !nearAnything(p, outlines)) {
          probes.push({ x: p[0], y: p[1], object: o });
          break;
        }
      }
    }
  }
  for (let y = 0.97; y > 0.5 && !probes.some((p) => !p.object); y -= 0.04) {
    for (let x = 0.03; x < 0.98; x += 0.04) {
      const p: [number, number] = [x, y];
      if (!outlines.some((q) => inside(p, q)) && !nearAnything(p, outlines)) {
        probes.push({ x, y });
        break;
      }
    }
  }
  return probes;
}

test('labels are drawn where they belong, in the class colour, and nowhere else', async ({ page }) => {
  const { project } = await readExpected(DEMO);
  // A demo image with a probe inside a box, inside a polygon, and outside everything.
  const chosen = project.dataUnits
    .filter((u) => u.dataType === 'image')
    .map((unit) => ({ unit, probes: probesFor(unit) }))
    .find(
      ({ probes }) =>
        probes.some((p) => p.object?.geometry.kind === 'box') &&
        probes.some((p) => p.object?.geometry.kind === 'polygon') &&
        probes.some((p) => !p.object),
    );
  expect(chosen).toBeDefined();
  const { unit, probes } = chosen!;

  await page.goto(`./#/demo/images?du=${unit.dataHash}`);
  const canvas = '[data-testid="image-detail"] canvas';
  await expect(page.locator(canvas)).toHaveAttribute('data-drawn', 'labels');
  const withLabels: number[][] = [];
  for (const p of probes) withLabels.push(await canvasPixel(page, canvas, p.x, p.y));

  await page.keyboard.press('l');
  await expect(page.locator(canvas)).toHaveAttribute('data-drawn', 'image');
  let changed = 0;
  for (const [i, p] of probes.entries()) {
    const plain = await canvasPixel(page, canvas, p.x, p.y);
    if (!p.object) {
      expect(withLabels[i], `outside every label at (${p.x.toFixed(3)}, ${p.y.toFixed(3)})`).toEqual(plain);
      continue;
    }
    const colour = hexToRgb(p.object.color);
    const blended = plain
      .slice(0, 3)
      .map((v, c) => v * (1 - LABEL_STYLE.fillAlpha) + colour[c] * LABEL_STYLE.fillAlpha);
    for (let c = 0; c < 3; c++) {
      expect(
        Math.abs(withLabels[i][c] - blended[c]),
        `${p.object.name} at (${p.x.toFixed(3)}, ${p.y.toFixed(3)}) channel ${c}`,
      ).toBeLessThanOrEqual(2);
    }
    if (withLabels[i].slice(0, 3).some((v, c) => v !== plain[c])) changed++;
  }
  expect(changed).toBeGreaterThanOrEqual(2);

  // The toggle is remembered, and L turns the labels back on.
  await page.keyboard.press('l');
  await expect(page.locator(canvas)).toHaveAttribute('data-drawn', 'labels');
});
