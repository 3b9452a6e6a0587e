// Box IoU matrices: pycocotools' bbIou (float64, [x, y, w, h], crowd rule) and Encord Active's
// torchvision.ops.box_iou (float32, [x1, y1, x2, y2]).
//
// Plain TypeScript on purpose: a matrix is at most a few thousand pairs of four numbers, so copying into wasm
// memory would cost more than the arithmetic. Exactness comes from the operation order, which is written out below
// exactly as the references evaluate it. JS never fuses multiply-add, and Math.fround after each float32 operation
// gives float32 results bit for bit (a double holds more than twice float32's precision, so rounding twice is
// harmless for + - * /).
import type { Box } from './geometry-types.ts';

/** C's fmin/fmax: a NaN argument loses. */
function cMin(a: number, b: number): number {
  return Number.isNaN(a) ? b : Number.isNaN(b) ? a : a < b ? a : b;
}
function cMax(a: number, b: number): number {
  return Number.isNaN(a) ? b : Number.isNaN(b) ? a : a > b ? a : b;
}

/**
 * pycocotools bbIou for D detections x G ground truths, boxes as [x, y, w, h] (4 numbers per box).
 * Returns D*G float64 ROW-MAJOR: iou[d*G + g]. Boxes that only touch give 0; a crowd ground truth divides the
 * intersection by the detection's area.
 */
export function cocoBoxIouMatrix(
  dts: ArrayLike<number>,
  gts: ArrayLike<number>,
  iscrowd: ArrayLike<number | boolean>,
): Float64Array {
  const nd = Math.floor(dts.length / 4);
  const ng = Math.floor(gts.length / 4);
  if (iscrowd.length !== ng) {
    throw new RangeError(`iou(iscrowd=) must have the same length as gt (${iscrowd.length} vs ${ng})`);
  }
  const out = new Float64Array(nd * ng);
  for (let g = 0; g < ng; g++) {
    const gx = gts[4 * g],
      gy = gts[4 * g + 1],
      gw = gts[4 * g + 2],
      gh = gts[4 * g + 3];
    const ga = gw * gh;
    const crowd = Boolean(iscrowd[g]);
    for (let d = 0; d < nd; d++) {
      const dx = dts[4 * d],
        dy = dts[4 * d + 1],
        dw = dts[4 * d + 2],
        dh = dts[4 * d + 3];
      const da = dw * dh;
      const w = cMin(dw + dx, gw + gx) - cMax(dx, gx);
      if (w <= 0) continue;
      const h = cMin(dh + dy, gh + gy) - cMax(dy, gy);
      if (h <= 0) continue;
      const i = w * h;
      const u = crowd ? da : da + ga - i;
      out[d * ng + g] = i / u;
    }
  }
  return out;
}

/**
 * torchvision.ops.box_iou in float32, as Encord Active v0.1.40 matches boxes: predictions x labels, boxes as
 * [x1, y1, x2, y2] (4 float32 per box). Returns P*L float32 ROW-MAJOR: iou[p*L + l].
 * area = (x2-x1)*(y2-y1); inter = clamp(min(x2)-max(x1), 0) * clamp(min(y2)-max(y1), 0);
 * iou = inter / ((area1 + area2) - inter); every step rounded to float32. 0/0 (two empty boxes) is NaN as in torch.
 */
export function eaBoxIouMatrix(preds: Float32Array, labels: Float32Array): Float32Array {
  const f = Math.fround;
  const np = Math.floor(preds.length / 4);
  const nl = Math.floor(labels.length / 4);
  const out = new Float32Array(np * nl);
  const areaL = new Float32Array(nl);
  for (let l = 0; l < nl; l++) {
    areaL[l] = f(f(labels[4 * l + 2] - labels[4 * l]) * f(labels[4 * l + 3] - labels[4 * l + 1]));
  }
  for (let p = 0; p < np; p++) {
    const px1 = preds[4 * p],
      py1 = preds[4 * p + 1],
      px2 = preds[4 * p + 2],
      py2 = preds[4 * p + 3];
    const areaP = f(f(px2 - px1) * f(py2 - py1));
    for (let l = 0; l < nl; l++) {
      const w = f(Math.min(px2, labels[4 * l + 2]) - Math.max(px1, labels[4 * l]));
      const h = f(Math.min(py2, labels[4 * l + 3]) - Math.max(py1, labels[4 * l + 1]));
      const inter = f(clampMin0(w) * clampMin0(h));
      out[p * nl + l] = f(inter / f(f(areaP + areaL[l]) - inter));
    }
  }
  return out;
}

/** torch.clamp(min=0): NaN stays NaN. */
function clampMin0(v: number): number {
  return v < 0 ? 0 : v;
}

// ------------------------------------------------------------------------------------------ EA box pixels

/** Python's round(x, ndigits) for floats: the exact binary value rounded to decimal, ties to even. */
export function pyRound(x: number, ndigits: number): number {
  if (!Number.isFinite(x) || Math.abs(x) >= 1e21) return x;
  // An exact tie needs x = odd / 2^(ndigits+1); every other value is rounded exactly by toFixed.
  const tieScale = 2 ** (ndigits + 1);
  const t = x * tieScale;
  if (Number.isInteger(t) && Math.abs(t % 2) === 1) {
    const scaled = Math.floor(x * 10 ** ndigits);
    const even = scaled % 2 === 0 ? scaled : scaled + 1;
    return even / 10 ** ndigits;
  }
  return Number(x.toFixed(ndigits));
}

/** EA's prediction box in pixels (predictions.csv x1..y2): x*W, y*H, (x+w)*W, (y+h)*H, float64, unrounded. */
export function eaPredictionBoxXyxy(box: Box, width: number, height: number): [number, number, number, number] {
  return [box.x * width, box.y * height, (box.x + box.w) * width, (box.y + box.h) * height];
}

/** EA's ground-truth box in pixels (labels.csv x1..y2): the prediction formula rounded with round(v, 2). */
export function eaLabelBoxXyxy(box: Box, width: number, height: number): [number, number, number, number] {
  return eaPredictionBoxXyxy(box, width, height).map((v) => pyRound(v, 2)) as [number, number, number, number];
}

/**
 * cocoBoxIouMatrix for boxes picked by index, written into `out` without staging copies (COCO evaluation calls it
 * once per image and category): detections dIdx[d0 .. d0+nd) of `db`, ground truths gIdx[g0 .. g0+ng) of `gb` (4
 * numbers per box), crowd flags by ground-truth index. Same operations, same order, same values.
 */
export function cocoBoxIouInto(
  db: Float64Array,
  dIdx: Int32Array,
  d0: number,
  nd: number,
  gb: Float64Array,
  gIdx: Int32Array,
  g0: number,
  ng: number,
  crowdOf: Uint8Array,
  out: Float64Array,
): void {
  for (let g = 0; g < ng; g++) {
    const gi = gIdx[g0 + g];
    const gx = gb[4 * gi],
      gy = gb[4 * gi + 1],
      gw = gb[4 * gi + 2],
      gh = gb[4 * gi + 3];
    const ga = gw * gh;
    const crowd = crowdOf[gi] !== 0;
    for (let d = 0; d < nd; d++) {
      const di = 4 * dIdx[d0 + d];
      const dx = db[di],
        dy = db[di + 1],
        dw = db[di + 2],
        dh = db[di + 3];
      const da = dw * dh;
      let v = 0;
      const w = cMin(dw + dx, gw + gx) - cMax(dx, gx);
      // Written as !(x <= 0), like the matrix's early `continue`: a NaN goes on into the division.
      if (!(w <= 0)) {
        const h = cMin(dh + dy, gh + gy) - cMax(dy, gy);
        if (!(h <= 0)) {
          const i = w * h;
          const u = crowd ? da : da + ga - i;
          v = i / u;
        }
      }
      out[d * ng + g] = v;
    }
  }
}
