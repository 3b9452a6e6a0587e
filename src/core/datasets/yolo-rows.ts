// YOLO label rows in COCO terms (spec "YOLO", "Rows" and "Conversion to COCO terms"): `cls cx cy w h` boxes and
// `cls x1 y1 ... xn yn` segments, normalised, used as written (no clipping, no de-duplication), turned into pixel
// bbox, area and segmentation with float64 arithmetic in the spec's order.
import type { ProblemLog } from '../project/problems.ts';

export interface YoloRow {
  /** 1-based line in the label file. */
  line: number;
  cls: number;
  bbox: [number, number, number, number];
  area: number;
  /** Segment rows: one pixel polygon. */
  segmentation?: number[][];
}

/** The ground-truth rows of one label file of a W x H image; bad rows are reported and skipped. */
export function parseYoloLabels(text: string, file: string, W: number, H: number, log: ProblemLog): YoloRow[] {
  const rows: YoloRow[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const fields = lines[i].trim().split(/\s+/);
    if (fields.length === 1 && fields[0] === '') continue;
    const bad = (reason: string) =>
      log.add({ file, record: i + 1, code: 'bad_label_row', reason: `${reason}; row skipped` }, 'bad_label_row');
    const values = fields.map(Number);
    const nan = values.findIndex((v) => !Number.isFinite(v));
    if (nan >= 0) {
      bad(`field ${nan + 1} "${fields[nan]}" is not a number`);
      continue;
    }
    const cls = values[0];
    if (!Number.isInteger(cls) || cls < 0) {
      bad(`the class "${fields[0]}" is not a class index (0, 1, ...)`);
      continue;
    }
    const n = values.length;
    if (n === 5) {
      const [, cx, cy, w, h] = values;
      const bbox: YoloRow['bbox'] = [(cx - w / 2) * W, (cy - h / 2) * H, w * W, h * H];
      rows.push({ line: i + 1, cls, bbox, area: bbox[2] * bbox[3] });
    } else if (n >= 7 && n % 2 === 1) {
      const xy = new Array<number>(n - 1);
      for (let k = 1; k < n; k += 2) {
        xy[k - 1] = values[k] * W;
        xy[k] = values[k + 1] * H;
      }
      rows.push({ line: i + 1, cls, bbox: bounds(xy), area: shoelace(xy), segmentation: [xy] });
    } else if (n === 6 || (n >= 8 && n % 2 === 0)) {
      bad(`${n} fields: a prediction row (with a trailing confidence), not a label`);
    } else {
      bad(`${n} fields: a box has 5 (cls cx cy w h), a segment an odd number of at least 7 (cls x1 y1 ... xn yn)`);
    }
  }
  return rows;
}

/** [min x, min y, max x - min x, max y - min y] of a flat pixel polygon. */
function bounds(xy: number[]): [number, number, number, number] {
  let x1 = Infinity,
    y1 = Infinity,
    x2 = -Infinity,
    y2 = -Infinity;
  for (let k = 0; k < xy.length; k += 2) {
    if (xy[k] < x1) x1 = xy[k];
    if (xy[k] > x2) x2 = xy[k];
    if (xy[k + 1] < y1) y1 = xy[k + 1];
    if (xy[k + 1] > y2) y2 = xy[k + 1];
  }
  return [x1, y1, x2 - x1, y2 - y1];
}

/** |s| / 2 with s accumulating x_i·y_(i+1) − x_(i+1)·y_i for i = 1..n in order (n+1 = 1). */
export function shoelace(xy: number[]): number {
  const n = xy.length >> 1;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const j = i + 1 === n ? 0 : i + 1;
    s += xy[2 * i] * xy[2 * j + 1] - xy[2 * j] * xy[2 * i + 1];
  }
  return Math.abs(s) / 2;
}
