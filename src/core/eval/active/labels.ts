// The ground truth an EA-style evaluation scores against (spec §3.6): box and polygon objects of ontology classes,
// and the first radio option of each classification instance. Objects come first (lidx order), then classifications,
// as in EA's labels.csv. Anything left out is counted by kind so the user can see it.
// A dataset (COCO, YOLO, VOC folder) has no EA shapes: each label is scored by what it is, a box by its pixel bbox
// as written, a polygon by its region, a multi-part polygon or an RLE mask by its bbox; crowd regions are left out
// (EA has no notion of them) and counted.
import { eaLabelBoxXyxy } from '../../../kernels/boxes.ts';
import type { LabelClassification, LabelObject, Points, Project } from '../../model.ts';
import { optionKey, type ClassLookup } from './classes.ts';
import type { FrameIndex } from './frames.ts';
import type { ActiveLabel } from './types.ts';

export interface CollectedLabels {
  labels: ActiveLabel[];
  labelClass: Int32Array;
  labelFrame: Int32Array;
  labelBoxPx: Float64Array;
  /** Polygon labels: their normalised points (undefined for boxes and classifications). */
  polygons: (Points | undefined)[];
  skipped: Record<string, number>;
}

export function collectLabels(project: Project, lookup: ClassLookup, frames: FrameIndex): CollectedLabels {
  const labels: ActiveLabel[] = [];
  const cls: number[] = [];
  const frameIds: number[] = [];
  const boxes: number[] = [];
  const polygons: (Points | undefined)[] = [];
  const skipped: Record<string, number> = {};
  const skip = (kind: string) => (skipped[kind] = (skipped[kind] ?? 0) + 1);
  const units = project.dataUnits;
  const dataset = project.dataset !== undefined;

  if (lookup.objectClass.size > 0) {
    units.forEach((du, unit) => {
      for (const fl of du.frames) {
        for (const object of fl.objects) {
          const c = dataset ? datasetLabelClass(object, lookup, skip) : objectLabelClass(object, lookup, skip);
          if (c < 0) continue;
          labels.push({ kind: 'object', dataHash: du.dataHash, frame: fl.frame, object });
          cls.push(c);
          frameIds.push(frames.frameOf(unit, fl.frame));
          const g = object.geometry;
          if (dataset && object.dataset) {
            const [x, y, w, h] = object.dataset.bbox;
            boxes.push(x, y, x + w, y + h);
            polygons.push(g.kind === 'polygon' && !g.parts?.length ? g.points : undefined);
          } else if (g.kind === 'box') {
            boxes.push(...eaLabelBoxXyxy(g.box, du.width, du.height));
            polygons.push(undefined);
          } else if (g.kind === 'polygon') {
            boxes.push(...pointsBox(g.points, du.width, du.height));
            polygons.push(g.points);
          }
        }
      }
    });
  }
  if (lookup.optionClass.size > 0) {
    units.forEach((du, unit) => {
      for (const fl of du.frames) {
        for (const classification of fl.classifications) {
          const c = classificationLabelClass(classification, lookup, skip);
          if (c < 0) continue;
          labels.push({ kind: 'classification', dataHash: du.dataHash, frame: fl.frame, classification });
          cls.push(c);
          frameIds.push(frames.frameOf(unit, fl.frame));
          boxes.push(NaN, NaN, NaN, NaN);
          polygons.push(undefined);
        }
      }
    });
  }
  return {
    labels,
    labelClass: Int32Array.from(cls),
    labelFrame: Int32Array.from(frameIds),
    labelBoxPx: Float64Array.from(boxes),
    polygons,
    skipped,
  };
}

function objectLabelClass(object: LabelObject, lookup: ClassLookup, skip: (kind: string) => void): number {
  if (!object.objectHash) return (skip('object_without_hash'), -1);
  const c = lookup.objectClass.get(object.featureHash);
  if (c === undefined) return (skip('object_of_unknown_class'), -1);
  const shape = lookup.classes[c].shape;
  const kind = object.geometry.kind;
  if ((shape === 'bounding_box' && kind === 'box') || (shape === 'polygon' && kind === 'polygon')) return c;
  // EA v0.1.40 reads only bounding boxes and polygons; rotatable boxes are stored under another key and skipped.
  skip(
    kind === 'rotatable_box'
      ? 'rotatable_box'
      : shape === 'bounding_box' || shape === 'polygon'
        ? 'geometry_not_of_class_shape'
        : kind,
  );
  return -1;
}

/** A dataset label's class: any geometry of a class of the ontology; crowd regions are not scored. */
function datasetLabelClass(object: LabelObject, lookup: ClassLookup, skip: (kind: string) => void): number {
  const c = lookup.objectClass.get(object.featureHash);
  if (c === undefined) return (skip('object_of_unknown_class'), -1);
  if (object.dataset?.iscrowd) return (skip('crowd_region'), -1);
  return c;
}

function classificationLabelClass(
  classification: LabelClassification,
  lookup: ClassLookup,
  skip: (kind: string) => void,
): number {
  // EA takes the first answer and its first option (it logs an error when there are more).
  const answer = classification.answers[0];
  const option = answer?.options[0];
  if (!answer || !option) return (skip('classification_without_option'), -1);
  const c = lookup.optionClass.get(optionKey(classification.featureHash, answer.attributeHash, option.featureHash));
  if (c === undefined) return (skip('classification_not_radio'), -1);
  return c;
}

/** min/max of a polygon's pixel vertices (unrounded), as EA's labels.csv gives polygon labels. */
export function pointsBox(points: Points, W: number, H: number): [number, number, number, number] {
  let x1 = Infinity,
    y1 = Infinity,
    x2 = -Infinity,
    y2 = -Infinity;
  for (const [x, y] of points) {
    const px = x * W;
    const py = y * H;
    if (px < x1) x1 = px;
    if (px > x2) x2 = px;
    if (py < y1) y1 = py;
    if (py > y2) y2 = py;
  }
  return [x1, y1, x2, y2];
}
