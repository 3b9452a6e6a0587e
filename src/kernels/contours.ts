// Contours of every class of a class-index mask, as OpenCV 4.6 findContours(mask == v, RETR_EXTERNAL,
// CHAIN_APPROX_SIMPLE) returns them for each value v (same points, same order), in one pass of the wasm kernel.
// With `holes`, each outer contour also carries its holes as RETR_CCOMP returns them.
import type { Kernels } from './wasm.ts';

export type Box = [x: number, y: number, w: number, h: number];

export interface Contour {
  /** x,y pairs in OpenCV's order: top-most then left-most pixel first, counter-clockwise on screen. */
  points: Int32Array;
  /** cv2.contourArea: the polygon through the pixel centres, absolute value. */
  area: number;
  /** cv2.boundingRect of the points. */
  bbox: Box;
  /** Hole contours (hole mode only), in RETR_CCOMP order. */
  holes?: Contour[];
}

export interface TraceOptions {
  /** A value that gets no contours (e.g. VOC's 255 "void"); it still counts as background for other values. */
  ignore?: number;
  /**
   * Drop what Encord Active v0.1.40 drops on import: contours with fewer than 3 points or area below 4. With
   * `holes`, the filter applies to outer contours; the holes of a kept contour are all kept.
   */
  eaFilter?: boolean;
  /** Keep holes: outer contours (islands in holes included, as RETR_CCOMP) each with their hole contours. */
  holes?: boolean;
}

export interface ClassContours {
  /** Every non-zero, non-ignored value present, ascending, with its contours in OpenCV's order. */
  classes: Map<number, Contour[]>;
}

type TraceFn = (
  values: number,
  width: number,
  height: number,
  ignore: number,
  holes: number,
  marks: number,
  classState: number,
  owner: number,
) => number;

const HEADER_WORDS = 10;
/** Bytes the kernel may read past the framed values (SIMD loads). */
const VALUES_SLACK = 32;
const MARKS_SLACK = 16;

/** Encord Active's import filter: skip a contour with fewer than 3 points or contourArea below 4. */
export function keptByEa(contour: Contour): boolean {
  return contour.points.length >= 6 && contour.area >= 4;
}

/** Copies the mask into the kernel's value slot inside a one-pixel frame of zeros. */
function copyFramed(kernels: Kernels, values: Uint8Array | Uint16Array, width: number, height: number): number {
  const stride = width + 2;
  const framed = stride * (height + 2);
  const wide = values instanceof Uint16Array;
  const ptr = kernels.slot('contours.values', framed * (wide ? 2 : 1) + VALUES_SLACK);
  const view = wide ? kernels.u16(ptr, framed + VALUES_SLACK / 2) : kernels.u8(ptr, framed + VALUES_SLACK);
  view.fill(0, 0, stride + 1);
  for (let y = 0; y < height; y++) {
    const at = (y + 1) * stride + 1;
    view.set(values.subarray(y * width, y * width + width), at);
    view[at + width] = 0;
    view[at + width + 1] = 0;
  }
  view.fill(0, (height + 1) * stride);
  return ptr;
}

/** Reads the kernel's records (see assembly/contours.ts) into contours grouped by class, in OpenCV's order. */
function readRecords(kernels: Kernels, words: number, options: TraceOptions): Map<number, Contour[]> {
  const ints = kernels.result('i32', words).slice();
  const floats = new Float64Array(ints.buffer);
  const records: { cls: number; parent: number; contour: Contour }[] = [];
  for (let at = 0; at < words;) {
    const n = ints[at + 2];
    records.push({
      cls: ints[at],
      parent: ints[at + 1],
      contour: {
        points: ints.subarray(at + HEADER_WORDS, at + HEADER_WORDS + 2 * n),
        area: floats[(at + 8) / 2],
        bbox: [ints[at + 3], ints[at + 4], ints[at + 5], ints[at + 6]],
      },
    });
    at += HEADER_WORDS + 2 * n;
  }
  if (options.holes) for (const r of records) if (r.parent < 0) r.contour.holes = [];
  const byClass = new Map<number, Contour[]>();
  // OpenCV links each new contour in front of its siblings, so both levels come out in reverse tracing order.
  for (let i = records.length - 1; i >= 0; i--) {
    const { cls, parent, contour } = records[i];
    if (parent >= 0) {
      records[parent].contour.holes!.push(contour);
      continue;
    }
    let list = byClass.get(cls);
    if (!list) byClass.set(cls, (list = []));
    if (!options.eaFilter || keptByEa(contour)) list.push(contour);
  }
  return new Map([...byClass].sort((a, b) => a[0] - b[0]));
}

/**
 * Traces every class of a class-index mask (row-major `width*height` values) in one pass. 0 is background;
 * each value v is traced as the binary mask `mask == v`.
 */
export function traceContours(
  kernels: Kernels,
  values: Uint8Array | Uint16Array,
  width: number,
  height: number,
  options: TraceOptions = {},
): ClassContours {
  if (values.length !== width * height) {
    throw new Error(`traceContours: ${values.length} values do not fill a ${width}x${height} mask`);
  }
  const wide = values instanceof Uint16Array;
  const framed = (width + 2) * (height + 2);
  const valuesPtr = copyFramed(kernels, values, width, height);
  const marks = kernels.slot('contours.marks', framed + MARKS_SLACK);
  const classState = kernels.slot('contours.classes', (wide ? 65536 : 256) * 8);
  const owner = options.holes ? kernels.slot('contours.owner', framed * 4) : 0;
  const trace = kernels.fn<TraceFn>(wide ? 'traceClassContoursU16' : 'traceClassContoursU8');
  const words = trace(valuesPtr, width, height, options.ignore ?? -1, options.holes ? 1 : 0, marks, classState, owner);
  return { classes: readRecords(kernels, words, options) };
}
