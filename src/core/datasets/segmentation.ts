// A COCO annotation's segmentation as the label geometry the pages draw: polygons (normalised, several parts
// kept), run-length masks (compressed or uncompressed, in pixels as written), or the bbox when there is none.
import type { CocoDatasetJson, CocoRle, LabelGeometry, Points } from '../model.ts';
import { drawnPolygons, packedPolygons } from './packed-polygons.ts';

type CocoAnnotation = CocoDatasetJson['annotations'][number];

export type SegmentationKind = 'polygons' | 'rle' | 'none';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** RLE `{size: [h, w], counts: "..." | [runs]}`, as pycocotools accepts it. */
export function isRle(v: unknown): v is CocoRle {
  if (!isRecord(v) || !Array.isArray(v.size) || v.size.length !== 2) return false;
  return typeof v.counts === 'string' || Array.isArray(v.counts);
}

/** A record's segmentation kind, without building packed polygons (packed-polygons.ts). */
export function segmentationKindOf(record: CocoAnnotation): SegmentationKind {
  const packed = packedPolygons(record);
  if (packed) return drawnPolygons(packed.cuts) > 0 ? 'polygons' : 'none';
  return segmentationKind(record.segmentation);
}

export function segmentationKind(seg: unknown): SegmentationKind {
  if (isRle(seg)) return 'rle';
  if (Array.isArray(seg) && seg.length > 0) {
    if (seg.every((p) => Array.isArray(p))) return seg.some((p) => (p as unknown[]).length >= 6) ? 'polygons' : 'none';
    if (seg.length === 1 && isRle(seg[0])) return 'rle';
  }
  return 'none';
}

/**
 * A polygon geometry whose normalised points are made on first use from its record's pixel polygons (`drawn` of
 * them have 3 or more vertices), so opening a dataset never builds the points of images nobody looks at. `points`
 * (and `parts`) are own enumerable accessors, which a structured clone and JSON read like values; the getters are
 * shared by every instance and the state is private, so an instance costs a few fields (860,000 of them open with
 * train2017).
 */
class LazyPolygon {
  readonly kind = 'polygon' as const;
  readonly #record: CocoAnnotation;
  readonly #w: number;
  readonly #h: number;
  #parts: Points[] | undefined;

  static readonly #points = function (this: LazyPolygon) {
    return this.#all()[0];
  };
  static readonly #more = function (this: LazyPolygon) {
    return this.#all().slice(1);
  };

  constructor(record: CocoAnnotation, drawn: number, W: number, H: number) {
    this.#record = record;
    this.#w = W;
    this.#h = H;
    Object.defineProperty(this, 'points', { get: LazyPolygon.#points, enumerable: true });
    if (drawn > 1) Object.defineProperty(this, 'parts', { get: LazyPolygon.#more, enumerable: true });
  }

  #all(): Points[] {
    this.#parts ??= (this.#record.segmentation as unknown[][])
      .filter((p) => p.length >= 6)
      .map((p) => normalised(p, this.#w, this.#h));
    return this.#parts;
  }
}

/** A flat pixel polygon [x1, y1, x2, y2, ...] as normalised points; an odd last number is dropped, as COCO does. */
function normalised(flat: unknown[], W: number, H: number): Points {
  const points: Points = new Array(flat.length >> 1);
  for (let j = 0; j < points.length; j++) points[j] = [(flat[2 * j] as number) / W, (flat[2 * j + 1] as number) / H];
  return points;
}

/**
 * The geometry to draw for an annotation on a W x H image. `drawn` (the polygons with 3 or more vertices) can be
 * given when it is known without reading the record's segmentation (a packed record, see packed-polygons.ts).
 */
export function labelGeometry(record: CocoAnnotation, W: number, H: number, drawn?: number): LabelGeometry {
  const packed = packedPolygons(record);
  if (packed && drawn === undefined) drawn = drawnPolygons(packed.cuts);
  if (drawn !== undefined && W > 0 && H > 0 && drawn > 0)
    return new LazyPolygon(record, drawn, W, H) as unknown as LabelGeometry;
  const seg = record.segmentation;
  const kind = segmentationKind(seg);
  if (kind === 'rle') return { kind: 'mask', mask: (Array.isArray(seg) ? seg[0] : seg) as CocoRle };
  if (kind === 'polygons' && W > 0 && H > 0) {
    let drawn = 0;
    for (const p of seg as unknown[][]) if (p.length >= 6) drawn++;
    return new LazyPolygon(record, drawn, W, H) as unknown as LabelGeometry;
  }
  const [x, y, w, h] = record.bbox;
  return { kind: 'box', box: W > 0 && H > 0 ? { x: x / W, y: y / H, w: w / W, h: h / H } : { x: 0, y: 0, w: 0, h: 0 } };
}
