// Non-maximum suppression with the conventions of Ultralytics' non_max_suppression and torchvision.ops.nms:
// candidates beyond MAX_NMS_CANDIDATES are cut by score first; then, highest score first, a candidate is kept unless
// it overlaps a kept one of the same class with IoU > threshold (strictly; areas (x2 - x1) * (y2 - y1), no +1);
// the kept list is in descending score and cut at maxDet. Ties in score keep the candidates' own order (torch's
// sort is not stable, so Ultralytics may order exact ties either way).
// Ultralytics separates classes by shifting boxes by class * 7680 px in float32 before one class-agnostic NMS;
// comparing within a class here gives the same sets without the float32 rounding of shifted coordinates.
import type { Candidates } from './decode.ts';
import { MAX_NMS_CANDIDATES } from './settings.ts';

export interface NmsOptions {
  iou: number;
  maxDet: number;
  /** false: no suppression, only the order and the maxDet cut (set-prediction models). */
  nms: boolean;
  /** One class for all (class-agnostic NMS). */
  agnostic?: boolean;
}

/** Indices into `c` of the detections kept, highest score first. */
export function suppress(c: Candidates, o: NmsOptions): number[] {
  const n = c.score.length;
  let order = Array.from({ length: n }, (_, i) => i).sort((a, b) => c.score[b] - c.score[a] || a - b);
  if (order.length > MAX_NMS_CANDIDATES) order = order.slice(0, MAX_NMS_CANDIDATES);
  if (!o.nms) return order.slice(0, o.maxDet);
  const keptByClass = new Map<number, number[]>();
  const kept: number[] = [];
  for (const i of order) {
    const key = o.agnostic ? 0 : c.cls[i];
    let same = keptByClass.get(key);
    if (!same) keptByClass.set(key, (same = []));
    const area = (c.x2[i] - c.x1[i]) * (c.y2[i] - c.y1[i]);
    let overlaps = false;
    for (const k of same) {
      const w = Math.min(c.x2[i], c.x2[k]) - Math.max(c.x1[i], c.x1[k]);
      const h = Math.min(c.y2[i], c.y2[k]) - Math.max(c.y1[i], c.y1[k]);
      if (w <= 0 || h <= 0) continue;
      const inter = w * h;
      const iou = inter / (area + (c.x2[k] - c.x1[k]) * (c.y2[k] - c.y1[k]) - inter);
      if (iou > o.iou) {
        overlaps = true;
        break;
      }
    }
    if (overlaps) continue;
    same.push(i);
    kept.push(i);
    if (kept.length === o.maxDet) break;
  }
  return kept;
}
