// Clipping normalised geometry to the image, for readers of formats whose producers routinely overshoot the
// border by a fraction of a pixel (KITTI, YOLO, COCO results). The shared validation (validate.ts) refuses any
// box or vertex outside [0, 1]; a box that sticks out 0.3 px is a real detection, so these readers clip it and
// count it in the warnings instead. Whatever is entirely outside the image is not clipped (it would become an
// empty box) and is left for the validation to refuse.
import type { Box, Points } from '../model.ts';

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);
/** Overshoot below this is float noise (the validation allows it in sums too), not a box sticking out. */
const EPS = 1e-9;

/**
 * The part of a normalised box inside [0, 1]²; `clipped` says whether more than float noise was cut off.
 * Float noise (|overshoot| <= 1e-9) is only cleaned where the validation is strict (x, y, w, h >= 0).
 */
export function clipBox(box: Box): { box: Box; clipped: boolean } {
  const { x, y, w, h } = box;
  const sticksOut = x < -EPS || y < -EPS || x + w > 1 + EPS || y + h > 1 + EPS;
  if (!sticksOut) {
    return x < 0 || y < 0
      ? { box: { ...box, x: Math.max(0, x), y: Math.max(0, y) }, clipped: false }
      : { box, clipped: false };
  }
  const [cx, cw] = clipAxis(x, w);
  const [cy, ch] = clipAxis(y, h);
  if (cw <= 0 || ch <= 0) return { box, clipped: false }; // entirely outside: left for the validation to refuse
  return { box: { ...box, x: cx, y: cy, w: cw, h: ch }, clipped: true };
}

/** One axis of a box: untouched when it stays inside (so its numbers stay exactly as computed), else clamped. */
function clipAxis(start: number, size: number): [number, number] {
  if (start >= -EPS && start + size <= 1 + EPS) return [Math.max(0, start), size];
  const a = clamp01(start);
  return [a, clamp01(start + size) - a];
}

/**
 * Normalised polygon vertices clamped into [0, 1]²; `clipped` says whether any moved by more than float noise.
 * A polygon that clamping would flatten onto the border (it lies outside the image) is returned as it was, for
 * the validation to refuse, as clipBox does with a box entirely outside.
 */
export function clipPoints(points: Points): { points: Points; clipped: boolean } {
  let moved = false;
  let clipped = false;
  const out = points.map(([x, y]): [number, number] => {
    const cx = clamp01(x);
    const cy = clamp01(y);
    if (cx !== x || cy !== y) {
      moved = true;
      if (Math.abs(cx - x) > EPS || Math.abs(cy - y) > EPS) clipped = true;
    }
    return [cx, cy];
  });
  if (clipped && flat(out) && !flat(points)) return { points, clipped: false };
  return { points: moved ? out : points, clipped };
}

/** True when the points span no area (all on one vertical or horizontal line). */
function flat(points: Points): boolean {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  return Math.max(...xs) === Math.min(...xs) || Math.max(...ys) === Math.min(...ys);
}
