// COCO polygon segmentations kept packed in a Float64Array instead of one JS array per polygon, with the record's
// `segmentation` an own enumerable accessor that builds the arrays on first use (a structured clone, JSON and
// pycocotools-exact evaluation see them as values). The page receives a dataset's annotations this way
// (core/project/parts.ts): numbers in a typed array cross threads as one copy. The getter is shared and the state
// sits under a non-enumerable symbol, so a packed record costs two fields more than a plain one.
import type { CocoDatasetJson } from '../model.ts';

type CocoAnnotation = CocoDatasetJson['annotations'][number];

const PACKED = Symbol('packed polygons');

interface Packed {
  coords: Float64Array;
  /** [start, end) of each polygon in `coords`. */
  cuts: Int32Array;
  built?: number[][];
}

type PackedRecord = CocoAnnotation & { [PACKED]?: Packed };

function segmentation(this: PackedRecord): number[][] {
  const p = this[PACKED]!;
  if (!p.built) {
    p.built = [];
    for (let k = 0; k < p.cuts.length; k += 2) p.built.push(Array.from(p.coords.subarray(p.cuts[k], p.cuts[k + 1])));
  }
  return p.built;
}

/** Gives `record` the polygons `cuts` delimit in `coords` as its segmentation (built when first read). */
export function attachPackedPolygons(record: CocoAnnotation, coords: Float64Array, cuts: Int32Array): void {
  Object.defineProperty(record, PACKED, { value: { coords, cuts } satisfies Packed, enumerable: false });
  Object.defineProperty(record, 'segmentation', { get: segmentation, enumerable: true, configurable: true });
}

/** The packed polygons of a record, without building them; undefined for a plain record. */
export function packedPolygons(record: CocoAnnotation): { coords: Float64Array; cuts: Int32Array } | undefined {
  return (record as PackedRecord)[PACKED];
}

/** How many of the packed polygons have 3 or more vertices (drawable). */
export function drawnPolygons(cuts: Int32Array): number {
  let n = 0;
  for (let k = 0; k < cuts.length; k += 2) if (cuts[k + 1] - cuts[k] >= 6) n++;
  return n;
}
