// A COCO annotation's segmentation as the label geometry the pages draw: polygons (normalised, several parts
// kept), run-length masks (compressed or uncompressed, in pixels as written), or the bbox when there is none.
import type { CocoDatasetJson, CocoRle, LabelGeometry, Points } from '../model.ts';

type CocoAnnotation = CocoDatasetJson['annotations'][number];

export type SegmentationKind = 'polygons' | 'rle' | 'none';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** RLE `{size: [h, w], counts: "..." | [runs]}`, as pycocotools accepts it. */
export function isRle(v: unknown): v is CocoRle {
  if (!isRecord(v) || !Array.isArray(v.size) || v.size.length !== 2) return false;
  return typeof v.counts === 'string' || Array.isArray(v.counts);
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
 * A polygon geometry whose normalised points are made on first use from `flat()` (the record's pixel polygons, of
 * which `drawn` have 3 or more vertices): own enumerable getters, which a structured clone reads like values, so
 * opening a dataset in the page never builds the points of images nobody looks at.
 */
export function lazyPolygonGeometry(flat: () => unknown[][], drawn: number, W: number, H: number): LabelGeometry {
  let parts: Points[] | undefined;
  const all = () => (parts ??= flat().filter((p) => p.length >= 6).map((p) => normalised(p, W, H)));
  // Object literals with accessors stay fast objects (defineProperty would turn each into a dictionary).
  return drawn > 1
    ? {
        kind: 'polygon',
        get points() {
          return all()[0];
        },
        get parts() {
          return all().slice(1);
        },
      }
    : {
        kind: 'polygon',
        get points() {
          return all()[0];
        },
      };
}

/** A flat pixel polygon [x1, y1, x2, y2, ...] as normalised points; an odd last number is dropped, as COCO does. */
function normalised(flat: unknown[], W: number, H: number): Points {
  const points: Points = new Array(flat.length >> 1);
  for (let j = 0; j < points.length; j++) points[j] = [(flat[2 * j] as number) / W, (flat[2 * j + 1] as number) / H];
  return points;
}

/** The geometry to draw for an annotation on a W x H image. */
export function labelGeometry(record: CocoAnnotation, W: number, H: number): LabelGeometry {
  const seg = record.segmentation;
  const kind = segmentationKind(seg);
  if (kind === 'rle') return { kind: 'mask', mask: (Array.isArray(seg) ? seg[0] : seg) as CocoRle };
  if (kind === 'polygons' && W > 0 && H > 0) {
    let drawn = 0;
    for (const p of seg as unknown[][]) if (p.length >= 6) drawn++;
    return lazyPolygonGeometry(() => seg as unknown[][], drawn, W, H);
  }
  const [x, y, w, h] = record.bbox;
  return { kind: 'box', box: W > 0 && H > 0 ? { x: x / W, y: y / H, w: w / W, h: h / H } : { x: 0, y: 0, w: 0, h: 0 } };
}
