// The geometry keys of an Encord label object (spec 1.5): normalised boxes and indexed point dicts.
import type { Box, LabelGeometry, Points } from '../model.ts';

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The geometry key each shape stores its coordinates under. */
export const GEOMETRY_KEY: Record<string, string> = {
  bounding_box: 'boundingBox',
  rotatable_bounding_box: 'rotatableBoundingBox',
  polygon: 'polygon',
  polyline: 'polyline',
  point: 'point',
  skeleton: 'skeleton',
};

/** Guesses the shape of an object that does not say it (older rows, SDK test blobs) from its geometry key. */
export function shapeFromKeys(obj: Json): string | undefined {
  for (const [shape, key] of Object.entries(GEOMETRY_KEY)) if (key in obj) return shape;
  return undefined;
}

export type GeometryResult = { geometry: LabelGeometry } | { error: string; code: 'unknown_shape' | 'bad_geometry' };

export function parseGeometry(obj: Json, shape: string): GeometryResult {
  switch (shape) {
    case 'bounding_box': {
      const box = parseBox(obj.boundingBox, false);
      return box ? { geometry: { kind: 'box', box } } : bad('boundingBox', obj.boundingBox);
    }
    case 'rotatable_bounding_box': {
      const raw = obj.rotatableBoundingBox ?? obj.boundingBox;
      const box = parseBox(raw, true);
      return box ? { geometry: { kind: 'rotatable_box', box } } : bad('rotatableBoundingBox', raw);
    }
    case 'polygon':
    case 'polyline':
    case 'point':
    case 'skeleton': {
      const points = parsePoints(obj[shape]);
      const min = shape === 'polygon' ? 3 : shape === 'polyline' ? 2 : 1;
      if (!points || points.length < min) {
        return points
          ? { error: `${shape} has ${points.length} point(s), needs at least ${min}`, code: 'bad_geometry' }
          : bad(shape, obj[shape]);
      }
      return { geometry: { kind: shape, points } };
    }
    default:
      return { error: `shape "${shape}" is not one Encord Active v0.1.40 knows`, code: 'unknown_shape' };
  }
}

function bad(key: string, value: unknown): GeometryResult {
  const found = value === undefined ? 'missing' : JSON.stringify(value).slice(0, 80);
  return { error: `${key} is not valid geometry (${found})`, code: 'bad_geometry' };
}

const num = (v: unknown): number =>
  typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;

function parseBox(raw: unknown, rotatable: boolean): Box | undefined {
  if (!isRecord(raw)) return undefined;
  const box: Box = { x: num(raw.x), y: num(raw.y), w: num(raw.w), h: num(raw.h) };
  if (![box.x, box.y, box.w, box.h].every(Number.isFinite)) return undefined;
  if (rotatable) {
    const theta = raw.theta === undefined ? 0 : num(raw.theta);
    if (!Number.isFinite(theta)) return undefined;
    box.theta = theta;
  }
  return box;
}

/** `{"0": {x, y}, "1": ...}` in key order; a plain list of {x, y} is accepted too. */
function parsePoints(raw: unknown): Points | undefined {
  let items: unknown[];
  if (Array.isArray(raw)) items = raw;
  else if (isRecord(raw)) {
    const keys = Object.keys(raw);
    if (!keys.every((k) => /^\d+$/.test(k))) return undefined;
    items = keys.sort((a, b) => Number(a) - Number(b)).map((k) => raw[k]);
  } else return undefined;
  const points: Points = [];
  for (const p of items) {
    if (!isRecord(p)) return undefined;
    const x = num(p.x);
    const y = num(p.y);
    if (!Number.isFinite(x) || !Number.isFinite(y)) return undefined;
    points.push([x, y]);
  }
  return points;
}
