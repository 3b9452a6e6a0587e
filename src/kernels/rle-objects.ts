// pycocotools' frPyObjects dispatch and COCO.annToRLE, over JSON values instead of Python objects.
// The dispatch looks only at the first element, exactly like _mask.pyx; where Python would raise, this raises a
// PycocotoolsInputError that names the Python error and says what in the input caused it.
import type { Kernels } from './wasm.ts';
import { rleFromPolygon, rleFromString, rleMerge, uncompressedCounts, type Rle } from './rle.ts';

/**
 * Polygons [[x0, y0, ...], ...] packed by a file reader: part j is coords[ends[j-1] .. ends[j]) (from 0 for the
 * first). Only made for the
 * shape frPyObjects rasterises (every part a flat list of numbers, the first with more than 4), so annToRle goes
 * straight to rleFrPoly + merge, as it would for the lists.
 */
export class PolygonParts {
  constructor(
    readonly coords: Float64Array,
    readonly ends: readonly number[],
  ) {}
}

/** A compressed RLE a file reader has already decoded (rleFrString of its "counts"): annToRle returns it as is. */
export class DecodedRle {
  constructor(readonly rle: Rle) {}
}

/** A COCO `segmentation` value: polygons, or an RLE object with uncompressed (list) or compressed counts. */
export type Segmentation = number[][] | { size: [number, number] | number[]; counts: number[] | string } | unknown;

export class PycocotoolsInputError extends Error {
  /** The exception pycocotools 2.0.11 raises for the same input, e.g. "TypeError: Argument 'bb' ...". */
  readonly pythonError: string;
  constructor(reason: string, pythonError: string) {
    super(`${reason} (pycocotools: ${pythonError})`);
    this.name = 'PycocotoolsInputError';
    this.pythonError = pythonError;
  }
}

const BBOX_LIST_ERROR = "TypeError: Argument 'bb' has incorrect type (expected numpy.ndarray, got list)";

function pyTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'str';
  if (Array.isArray(v)) return 'list';
  return 'dict';
}

/** Python's len() of a JSON value, or the TypeError Python raises. */
function pyLen(v: unknown, where: string): number {
  if (Array.isArray(v) || typeof v === 'string') return v.length;
  if (v !== null && typeof v === 'object') return Object.keys(v).length;
  throw new PycocotoolsInputError(
    `${where} is a ${pyTypeName(v)}, not a list of polygons`,
    `TypeError: object of type '${pyTypeName(v)}' has no len()`,
  );
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function polygonCoordinates(p: unknown, index: number): number[] {
  if (!Array.isArray(p)) {
    throw new PycocotoolsInputError(
      `polygon ${index} is a ${pyTypeName(p)}, not a list of numbers`,
      'ValueError: could not convert the polygon to a 1-D float64 array',
    );
  }
  for (let i = 0; i < p.length; i++) {
    if (Array.isArray(p[i])) {
      throw new PycocotoolsInputError(
        `polygon ${index} holds nested lists (e.g. [[x, y], ...]); COCO polygons are flat [x0, y0, x1, y1, ...]`,
        'ValueError: Buffer has wrong number of dimensions (expected 1, got 2)',
      );
    }
    if (typeof p[i] !== 'number') {
      throw new PycocotoolsInputError(
        `polygon ${index} coordinate ${i} is ${JSON.stringify(p[i])}, not a number`,
        'ValueError: could not convert to float',
      );
    }
  }
  return p as number[];
}

function fromUncompressed(obj: Record<string, unknown>, where: string): Rle {
  const size = obj.size;
  if (!Array.isArray(size) || size.length < 2 || !size.every((s) => Number.isInteger(s) && (s as number) >= 0)) {
    throw new PycocotoolsInputError(`${where}: "size" must be [height, width]`, 'TypeError: an integer is required');
  }
  if (!Array.isArray(obj.counts)) {
    throw new PycocotoolsInputError(
      `${where}: uncompressed RLE needs "counts" as a list of run lengths`,
      'ValueError: invalid literal for int()',
    );
  }
  return { h: size[0] as number, w: size[1] as number, counts: uncompressedCounts(obj.counts) };
}

/**
 * frPyObjects(pyobj, h, w) for JSON input. Returns a list of RLEs for list input and one RLE for a single
 * uncompressed-RLE object, like pycocotools. The first element decides: 4 entries -> the bbox path, which fails
 * for lists (cocoapi#369: a 2-point polygon collides with it); more than 4 -> polygons; an object with "counts"
 * and "size" -> uncompressed RLE. There is no ndarray here: use rleFromBbox for boxes.
 */
export function frPyObjects(k: Kernels, pyobj: unknown, h: number, w: number): Rle[] | Rle {
  if (Array.isArray(pyobj)) {
    if (pyobj.length === 0) {
      throw new PycocotoolsInputError('segmentation is an empty list', 'IndexError: list index out of range');
    }
    const first = pyobj[0];
    const firstLen = pyLen(first, 'segmentation[0]');
    if (firstLen === 4) {
      throw new PycocotoolsInputError(
        'the first polygon has 4 numbers (2 points), which pycocotools reads as a bounding box and rejects',
        BBOX_LIST_ERROR,
      );
    }
    if (firstLen > 4) {
      return pyobj.map((p, i) => {
        const xy = polygonCoordinates(p, i);
        return rleFromPolygon(k, xy, h, w);
      });
    }
    if (isRecord(first) && 'counts' in first && 'size' in first) {
      return pyobj.map((o, i) => {
        if (!isRecord(o)) {
          throw new PycocotoolsInputError(`segmentation[${i}] is not an RLE object`, "TypeError: 'counts' lookup");
        }
        return fromUncompressed(o, `segmentation[${i}]`);
      });
    }
    if (pyobj.length === 4) {
      throw new PycocotoolsInputError(
        'segmentation is a list of 4 short entries, which pycocotools reads as one bounding box and rejects',
        BBOX_LIST_ERROR,
      );
    }
    if (pyobj.length > 4) {
      throw new PycocotoolsInputError(
        'segmentation is a list of short lists; COCO polygons are flat [x0, y0, x1, y1, ...] with at least 3 points',
        'ValueError: Buffer has wrong number of dimensions (expected 1, got 2)',
      );
    }
    throw new PycocotoolsInputError(
      'segmentation is a list whose first entry has fewer than 4 numbers',
      'Exception: input type is not supported.',
    );
  }
  if (isRecord(pyobj) && 'counts' in pyobj && 'size' in pyobj) return fromUncompressed(pyobj, 'segmentation');
  throw new PycocotoolsInputError(
    `segmentation is a ${pyTypeName(pyobj)}, neither polygons nor an RLE object`,
    'Exception: input type is not supported.',
  );
}

/**
 * COCO.annToRLE: polygons (one or several parts) -> frPyObjects + merge (union); an RLE object with list counts ->
 * frUncompressedRLE (its own "size" wins over h, w); an RLE object with string counts -> used as is.
 */
export function annToRle(k: Kernels, segmentation: Segmentation, h: number, w: number): Rle {
  if (segmentation instanceof DecodedRle) return segmentation.rle;
  if (segmentation instanceof PolygonParts) {
    const { coords, ends } = segmentation;
    const rles: Rle[] = new Array(ends.length);
    for (let j = 0; j < ends.length; j++)
      rles[j] = rleFromPolygon(k, coords.subarray(j ? ends[j - 1] : 0, ends[j]), h, w);
    return rleMerge(k, rles, false);
  }
  if (Array.isArray(segmentation)) {
    const rles = frPyObjects(k, segmentation, h, w) as Rle[];
    return rleMerge(k, rles, false);
  }
  if (!isRecord(segmentation)) {
    throw new PycocotoolsInputError(
      `segmentation is a ${pyTypeName(segmentation)}, neither polygons nor an RLE object`,
      'TypeError: list indices must be integers or slices, not str',
    );
  }
  if (!('counts' in segmentation)) {
    throw new PycocotoolsInputError('segmentation object has no "counts"', "KeyError: 'counts'");
  }
  if (Array.isArray(segmentation.counts)) return frPyObjects(k, segmentation, h, w) as Rle;
  const size = segmentation.size;
  if (typeof segmentation.counts !== 'string') {
    throw new PycocotoolsInputError(
      'segmentation "counts" is neither a list nor a string',
      'TypeError: expected bytes',
    );
  }
  if (!Array.isArray(size) || size.length < 2 || !size.every((s) => Number.isInteger(s) && (s as number) >= 0)) {
    throw new PycocotoolsInputError('segmentation "size" must be [height, width]', "KeyError: 'size'");
  }
  return rleFromString(segmentation.counts, size[0] as number, size[1] as number);
}
