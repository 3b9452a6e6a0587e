// How every overlay tells labels, true positives, false positives and missed labels apart: by colour AND by line
// style, so a class drawn in red next to a false positive is still told apart (the legend, OverlayLegend.svelte,
// shows the same four). Labels: solid, in their class colour. True positives: a double line (white core). False
// positives: dashes. Missed labels: dots. Dashes and dots are laid out per edge, centred on its middle, so every
// edge shows the pattern the same way whatever its length.

export type MarkKind = 'label' | 'tp' | 'fp' | 'fn';

export const TP_COLOUR = '#5658dd';
export const FP_COLOUR = '#FD0A5A';
/** Missed labels: amber, so they are not the true positives' purple (Encord Active drew both purple). */
export const FN_COLOUR = '#E8900C';

export const MARKS: Record<
  MarkKind,
  { title: string; pattern: 'solid' | 'double' | 'dashed' | 'dotted'; color?: string }
> = {
  label: { title: 'Label', pattern: 'solid' },
  tp: { title: 'True positive', pattern: 'double', color: TP_COLOUR },
  fp: { title: 'False positive', pattern: 'dashed', color: FP_COLOUR },
  fn: { title: 'Missed label', pattern: 'dotted', color: FN_COLOUR },
};

/** The dash pattern of a kind at a line width (canvas pixels); empty for solid lines. */
export function dashFor(kind: MarkKind, width: number): number[] {
  switch (MARKS[kind].pattern) {
    case 'dashed':
      return [3.2 * width, 2 * width];
    case 'dotted':
      // A zero-length dash with round caps is a dot of the line's width.
      return [0.001, 2.4 * width];
    default:
      return [];
  }
}

type Ring = readonly (readonly [number, number])[];

/**
 * Strokes rings (closed polygons) or polylines in the kind's style with the context's current colour. Solid and
 * double lines go as one path (clean joins); dashes and dots edge by edge, the pattern centred on each edge.
 */
export function strokeRings(
  ctx: CanvasRenderingContext2D,
  rings: readonly Ring[],
  closed: boolean,
  kind: MarkKind,
  width: number,
): void {
  ctx.save();
  ctx.lineWidth = width;
  ctx.lineJoin = 'round';
  const pattern = MARKS[kind].pattern;
  if (pattern === 'solid' || pattern === 'double') {
    ctx.setLineDash([]);
    ctx.beginPath();
    for (const ring of rings) {
      ring.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
      if (closed) ctx.closePath();
    }
    ctx.stroke();
    if (pattern === 'double') {
      ctx.strokeStyle = '#ffffff';
      ctx.lineWidth = Math.max(1, width / 3);
      ctx.stroke();
    }
    ctx.restore();
    return;
  }
  const dash = dashFor(kind, width);
  const period = dash[0] + dash[1];
  ctx.lineCap = 'round';
  ctx.setLineDash(dash);
  for (const ring of rings) {
    const n = ring.length;
    const edges = closed ? n : n - 1;
    for (let i = 0; i < edges; i++) {
      const [x0, y0] = ring[i];
      const [x1, y1] = ring[(i + 1) % n];
      const length = Math.hypot(x1 - x0, y1 - y0);
      // The middle of a dash at the middle of the edge.
      ctx.lineDashOffset = (((dash[0] / 2 - length / 2) % period) + period) % period;
      ctx.beginPath();
      ctx.moveTo(x0, y0);
      ctx.lineTo(x1, y1);
      ctx.stroke();
    }
  }
  ctx.restore();
}

/** For mask edges drawn pixel by pixel: whether edge pixel (x, y) is drawn in the kind's pattern. */
export function maskEdgeOn(kind: MarkKind, x: number, y: number, width: number): boolean {
  const pattern = MARKS[kind].pattern;
  if (pattern === 'solid' || pattern === 'double') return true;
  const step = Math.max(2, Math.round(pattern === 'dashed' ? 3 * width : 1.6 * width));
  const on = pattern === 'dashed' ? step * 0.6 : step * 0.45;
  return (x + y) % step < on;
}
