// Encord Active's dict RLE (spec §1.10): {'size': [H, W], 'counts': [...]} over the ROW-MAJOR flattening of the
// mask, runs alternating background/foreground and starting with a background run (0 when the first pixel is
// set); the counts add up to H*W. This is not COCO RLE (column-major). Plain TypeScript: one pass over the runs.

export interface EaRle {
  size: [height: number, width: number];
  counts: number[];
}

/** Encodes a row-major mask (non-zero = foreground). */
export function eaRleEncode(mask: Uint8Array, height: number, width: number): EaRle {
  if (mask.length !== height * width) {
    throw new RangeError(`eaRleEncode: mask has ${mask.length} bytes, expected ${height}x${width}`);
  }
  const counts: number[] = [];
  let fg = false;
  let start = 0;
  for (let i = 0; i < mask.length; i++) {
    if ((mask[i] !== 0) !== fg) {
      counts.push(i - start);
      start = i;
      fg = !fg;
    }
  }
  counts.push(mask.length - start);
  return { size: [height, width], counts };
}

/** Decodes to a row-major 0/1 mask; the counts must add up to H*W exactly. */
export function eaRleDecode(rle: EaRle): Uint8Array {
  const [height, width] = rle.size;
  const mask = new Uint8Array(height * width);
  let at = 0;
  rle.counts.forEach((run, i) => {
    if (!Number.isInteger(run) || run < 0) throw new RangeError(`EA RLE counts[${i}] = ${run} is not a run length`);
    if (i % 2 === 1) mask.fill(1, at, at + run);
    at += run;
  });
  if (at !== mask.length) throw new RangeError(`EA RLE counts add up to ${at}, not H*W = ${mask.length}`);
  return mask;
}

/** The text EA writes into predictions.csv / labels.csv: Python's repr of the dict. */
export function eaRleToPython(rle: EaRle): string {
  return `{'size': [${rle.size[0]}, ${rle.size[1]}], 'counts': [${rle.counts.join(', ')}]}`;
}

/** Parses EA's repr back (single or double quotes, any spacing); never evaluates it. */
export function eaRleFromPython(text: string): EaRle {
  const size = /['"]size['"]\s*:\s*\[\s*(\d+)\s*,\s*(\d+)\s*\]/.exec(text);
  const counts = /['"]counts['"]\s*:\s*\[([^\]]*)\]/.exec(text);
  if (!size || !counts)
    throw new SyntaxError(`not an EA RLE dict {'size': [H, W], 'counts': [...]}: ${text.slice(0, 60)}`);
  const runs = counts[1].trim() === '' ? [] : counts[1].split(',').map((s) => Number(s.trim()));
  const rle: EaRle = { size: [Number(size[1]), Number(size[2])], counts: runs };
  const total = runs.reduce((a, b) => a + b, 0);
  if (runs.some((n) => !Number.isInteger(n) || n < 0) || total !== rle.size[0] * rle.size[1]) {
    throw new RangeError(`EA RLE counts must be whole numbers adding up to H*W = ${rle.size[0] * rle.size[1]}`);
  }
  return rle;
}

/**
 * EA's polygon-class IoU, |A and B| / |A or B| in float64 (0 when the union is empty), walked on the runs.
 * The same number EA gets from decoding both masks. Masks of different sizes are an error.
 */
export function eaRleIou(a: EaRle, b: EaRle): number {
  if (a.size[0] !== b.size[0] || a.size[1] !== b.size[1]) {
    throw new RangeError(`EA masks differ in size: ${a.size.join('x')} vs ${b.size.join('x')}`);
  }
  let ia = 0,
    ib = 0;
  let ra = a.counts[0] ?? 0,
    rb = b.counts[0] ?? 0;
  let inter = 0,
    union = 0;
  while (ia < a.counts.length && ib < b.counts.length) {
    const step = Math.min(ra, rb);
    const fa = ia % 2 === 1,
      fb = ib % 2 === 1;
    if (fa || fb) union += step;
    if (fa && fb) inter += step;
    ra -= step;
    rb -= step;
    if (ra === 0) ra = a.counts[++ia] ?? 0;
    if (rb === 0) rb = b.counts[++ib] ?? 0;
  }
  return union === 0 ? 0 : inter / union;
}
