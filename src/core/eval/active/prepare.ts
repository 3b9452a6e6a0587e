// The one-time preparation of an EA-style evaluation: EA v0.1.40's precompute_MAP_features (spec §5.1) over a
// project and a prediction run, stored in typed arrays so that scoring at any IoU threshold is a linear pass.
//
// 1. Predictions sorted by confidence, descending, stable: the position is the pidx.
// 2. Labels: box and polygon objects of ontology classes, then radio classifications (lidx order).
// 3. Per (frame, class): each detection goes to its single best-IoU label (first maximum, only if the IoU > 0);
//    a classification prediction goes to every label of its option on its frame with IoU 1.
// 4. Also per frame, the IoU of every detection with every label of any class (IoU > 0), for the confusion matrix.
import type { Kernels } from '../../../kernels/wasm.ts';
import type { Prediction, Project } from '../../model.ts';
import { buildClasses, optionKey, type ClassLookup } from './classes.ts';
import { FrameIndex } from './frames.ts';
import { eaBoxIouMatrix, eaPredictionBoxXyxy } from '../../../kernels/boxes.ts';
import { RegionGeometry, regionIou, type RegionMask } from './geometry.ts';
import { collectLabels, pointsBox } from './labels.ts';
import type { ActivePrepared, ClassSpace, ExcludedPrediction } from './types.ts';

export interface PrepareOptions {
  /** Which class space to evaluate. Default: 'classifications' when every prediction is one, else 'objects'. */
  classSpace?: ClassSpace;
  /** Compute the cross-class pairs the detection confusion matrix needs (default true). */
  confusionPairs?: boolean;
}

interface Accepted {
  source: number;
  cls: number;
  frame: number;
  confidence: number;
  /** Polygon classes: the mask window (masks) or the polygon, rasterised when its frame has polygon labels. */
  region: RegionMask | { points: [number, number][]; holes?: [number, number][][] } | undefined;
  box: [number, number, number, number];
  classification: boolean;
}

export function defaultClassSpace(predictions: readonly Prediction[]): ClassSpace {
  return predictions.length > 0 && predictions.every((p) => p.shape.kind === 'classification')
    ? 'classifications'
    : 'objects';
}

export function prepareActive(
  kernels: Kernels,
  project: Project,
  predictions: readonly Prediction[],
  options: PrepareOptions = {},
): ActivePrepared {
  const space = options.classSpace ?? defaultClassSpace(predictions);
  const lookup = buildClasses(project.ontology, space);
  const frames = new FrameIndex(project);
  const collected = collectLabels(project, lookup, frames);
  const geometry = new RegionGeometry(kernels);
  const notes: string[] = [];
  const excluded: ExcludedPrediction[] = [];

  let frameIgnored = 0;
  const accepted: Accepted[] = [];
  predictions.forEach((p, source) => {
    const result = accept(p, source, project, lookup, frames, space);
    if ('code' in result) excluded.push(result);
    else {
      if (result.frameIgnored) frameIgnored++;
      accepted.push(result.accepted);
    }
  });
  if (frameIgnored > 0) {
    notes.push(
      `${frameIgnored} prediction(s) on images carry a frame number other than the image's; they were matched to the image.`,
    );
  }
  // Equal confidences keep input order, as the stable sort in EA.
  accepted.sort((a, b) => b.confidence - a.confidence || a.source - b.source);

  const N = accepted.length;
  const L = collected.labels.length;
  const F = frames.frames.length;
  const predSource = new Int32Array(N);
  const predClass = new Int32Array(N);
  const predFrame = new Int32Array(N);
  const confidence = new Float64Array(N);
  const predBoxPx = new Float64Array(4 * N);
  accepted.forEach((a, pidx) => {
    predSource[pidx] = a.source;
    predClass[pidx] = a.cls;
    predFrame[pidx] = a.frame;
    confidence[pidx] = a.confidence;
    predBoxPx[4 * pidx] = a.box[0];
    predBoxPx[4 * pidx + 1] = a.box[1];
    predBoxPx[4 * pidx + 2] = a.box[2];
    predBoxPx[4 * pidx + 3] = a.box[3];
  });

  const framePreds = groupBy(predFrame, F);
  const frameLabels = groupBy(collected.labelFrame, F);
  const frameHasPrediction = new Uint8Array(F);
  for (let p = 0; p < N; p++) frameHasPrediction[predFrame[p]] = 1;

  const iou = new Float64Array(N);
  const bestLabel = new Int32Array(N).fill(-1);
  const matches: number[][] = Array.from({ length: L }, () => []);
  const pairP: number[] = [];
  const pairL: number[] = [];
  const pairV: number[] = [];
  const wantPairs = options.confusionPairs ?? true;
  const { labelClass, labelBoxPx, polygons } = collected;

  for (let f = 0; f < F; f++) {
    const ps = framePreds.items.subarray(framePreds.start[f], framePreds.start[f + 1]);
    const ls = frameLabels.items.subarray(frameLabels.start[f], frameLabels.start[f + 1]);
    if (ps.length === 0 || ls.length === 0) continue;
    const unit = project.dataUnits[frames.frames[f].dataUnitIndex];

    // Region masks (bounding windows) of the frame's polygon-class predictions and polygon labels.
    const predRegion = new Map<number, RegionMask>();
    const labelRegion = new Map<number, RegionMask>();
    if (ls.some((l) => polygons[l]) && ps.some((p) => accepted[p].region)) {
      for (const p of ps) {
        const region = accepted[p].region;
        if (region)
          predRegion.set(
            p,
            'spans' in region ? region : geometry.polygon(region.points, region.holes, unit.width, unit.height),
          );
      }
      for (const l of ls)
        if (polygons[l]) labelRegion.set(l, geometry.polygon(polygons[l]!, undefined, unit.width, unit.height));
    }

    // Box IoUs (EA's float32 torchvision box_iou) of every prediction with every object label of the frame.
    const objectLabels = ls.filter((l) => !Number.isNaN(labelBoxPx[4 * l]));
    const predBoxes = new Float32Array(4 * ps.length);
    ps.forEach((p, i) => predBoxes.set(predBoxPx.subarray(4 * p, 4 * p + 4), 4 * i));
    const labelBoxes = new Float32Array(4 * objectLabels.length);
    objectLabels.forEach((l, j) => labelBoxes.set(labelBoxPx.subarray(4 * l, 4 * l + 4), 4 * j));
    const boxIou = eaBoxIouMatrix(predBoxes, labelBoxes);
    const nObj = objectLabels.length;

    ps.forEach((p, i) => {
      const c = predClass[p];
      if (accepted[p].classification) {
        for (const l of ls) {
          if (labelClass[l] !== c) continue;
          if (bestLabel[p] < 0) {
            bestLabel[p] = l;
            iou[p] = 1;
          }
          matches[l].push(p);
        }
        return;
      }
      const pr = predRegion.get(p);
      let best = -1;
      let bestIou = -Infinity;
      let sawNaN = false;
      for (let j = 0; j < nObj; j++) {
        const l = objectLabels[j];
        const lr = pr && labelRegion.get(l);
        const v = pr && lr ? regionIou(pr, lr) : boxIou[i * nObj + j];
        if (labelClass[l] === c) {
          // torch.argmax: the first maximum, and a NaN wins (then best_iou > 0 is false: no match).
          if (Number.isNaN(v)) sawNaN = true;
          else if (!sawNaN && v > bestIou) {
            bestIou = v;
            best = l;
          }
        }
        if (wantPairs && v > 0) {
          pairP.push(p);
          pairL.push(l);
          pairV.push(v);
        }
      }
      if (!sawNaN && best >= 0 && bestIou > 0) {
        bestLabel[p] = best;
        iou[p] = bestIou;
        matches[best].push(p);
      }
    });
  }

  const labelMatch = flatten(matches);
  const classPreds = groupBy(predClass, lookup.classes.length);
  const classLabels = groupBy(labelClass, lookup.classes.length);
  const pairs = pairsByPrediction(pairP, pairL, pairV, N);
  const skipped = Object.entries(collected.skipped);
  if (skipped.length > 0) {
    notes.push(`Labels not evaluated: ${skipped.map(([k, n]) => `${n} ${k.replace(/_/g, ' ')}`).join(', ')}.`);
  }

  return {
    space,
    classes: lookup.classes,
    frames: frames.frames,
    nPredictions: N,
    predSource,
    predClass,
    predFrame,
    confidence,
    iou,
    bestLabel,
    predBoxPx,
    nLabels: L,
    labels: collected.labels,
    labelClass,
    labelFrame: collected.labelFrame,
    labelBoxPx,
    labelMatchStart: labelMatch.start,
    labelMatchPidx: labelMatch.items,
    classPredStart: classPreds.start,
    classPredPidx: classPreds.items,
    classLabelStart: classLabels.start,
    classLabelLidx: classLabels.items,
    frameHasPrediction,
    pairStart: pairs.start,
    pairLidx: pairs.lidx,
    pairIou: pairs.iou,
    excluded,
    skippedLabels: collected.skipped,
    notes,
  };
}

type AcceptResult = { accepted: Accepted; frameIgnored: boolean } | ExcludedPrediction;

function accept(
  p: Prediction,
  source: number,
  project: Project,
  lookup: ClassLookup,
  frames: FrameIndex,
  space: ClassSpace,
): AcceptResult {
  const out = (code: ExcludedPrediction['code'], reason: string): ExcludedPrediction => ({ source, code, reason });
  const unit = frames.unitOf(p.dataHash);
  if (unit < 0) return out('unknown_data_hash', `data hash ${p.dataHash} is not a data unit of this project`);
  if (!Number.isFinite(p.confidence)) return out('bad_confidence', `confidence ${p.confidence} is not a number`);
  const du = project.dataUnits[unit];
  const frame = frames.frameOf(unit, p.frame);
  const frameIgnored = du.dataType !== 'video' && p.frame !== du.sequence;
  const shape = p.shape;
  // Every accepted record gets the same literal shape: spreads and optional fields made V8 fall back to slow
  // objects, which cost seconds in the sort and the frame loop at 100k predictions.
  const make = (
    cls: number,
    box: Accepted['box'],
    region: Accepted['region'],
    classification: boolean,
  ): AcceptResult => ({
    accepted: { source, cls, frame, confidence: p.confidence, region, box, classification },
    frameIgnored,
  });

  if (shape.kind === 'classification') {
    if (space === 'objects')
      return out('outside_class_space', 'a classification prediction; classifications are scored separately');
    const cls = lookup.optionClass.get(optionKey(p.featureHash, shape.attributeHash, shape.optionHash));
    if (cls === undefined) {
      return out(
        'unknown_class',
        `classification ${p.featureHash} / attribute ${shape.attributeHash} / option ${shape.optionHash} is not a radio option of the ontology`,
      );
    }
    const box: [number, number, number, number] = [NaN, NaN, NaN, NaN];
    return make(cls, box, undefined, true);
  }

  if (space === 'classifications')
    return out('outside_class_space', 'an object prediction; objects are scored separately');
  const cls = lookup.objectClass.get(p.featureHash);
  if (cls === undefined) return out('unknown_class', `featureHash ${p.featureHash} is not an object of the ontology`);
  const klass = lookup.classes[cls];
  const W = du.width;
  const H = du.height;
  if (project.dataset) {
    // A dataset's classes have no EA shape: a box is scored by box IoU, a polygon or mask by region IoU against
    // polygon labels and by its box against the others (prepare's per-pair rule).
    if (shape.kind === 'box') {
      const b = p.boxPx;
      const box: Accepted['box'] = b ? [b.x, b.y, b.x + b.w, b.y + b.h] : eaPredictionBoxXyxy(shape.box, W, H);
      return make(cls, box, undefined, false);
    }
    if (shape.kind === 'polygon') {
      return make(cls, pointsBox(shape.points, W, H), { points: shape.points, holes: shape.holes }, false);
    }
    try {
      const mask = RegionGeometry.mask(shape.mask, W, H);
      return make(cls, RegionGeometry.rleBoxPx(mask.rle), mask.region, false);
    } catch (err) {
      return out('shape_mismatch', `mask prediction: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (klass.shape === 'bounding_box') {
    if (shape.kind !== 'box')
      return out('shape_mismatch', `a ${shape.kind} prediction for the bounding-box class "${klass.name}"`);
    const box = eaPredictionBoxXyxy(shape.box, W, H);
    return make(cls, box, undefined, false);
  }
  if (klass.shape === 'polygon') {
    if (shape.kind === 'polygon') {
      const region = { points: shape.points, holes: shape.holes };
      return make(cls, pointsBox(shape.points, W, H), region, false);
    }
    if (shape.kind === 'mask') {
      let mask: ReturnType<typeof RegionGeometry.mask>;
      try {
        mask = RegionGeometry.mask(shape.mask, W, H);
      } catch (err) {
        return out('shape_mismatch', `mask prediction: ${err instanceof Error ? err.message : String(err)}`);
      }
      return make(cls, RegionGeometry.rleBoxPx(mask.rle), mask.region, false);
    }
    return out('shape_mismatch', `a ${shape.kind} prediction for the polygon class "${klass.name}"`);
  }
  return out(
    'unsupported_class_shape',
    `class "${klass.name}" has shape ${klass.shape}; only bounding boxes and polygons are evaluated`,
  );
}

/** Counting sort of indices 0..n-1 by key (0..nKeys-1), stable: CSR start (nKeys+1) and items. */
function groupBy(keys: Int32Array, nKeys: number): { start: Int32Array; items: Int32Array } {
  const start = new Int32Array(nKeys + 1);
  for (let i = 0; i < keys.length; i++) start[keys[i] + 1]++;
  for (let k = 0; k < nKeys; k++) start[k + 1] += start[k];
  const fill = start.slice(0, nKeys);
  const items = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) items[fill[keys[i]]++] = i;
  return { start, items };
}

function flatten(lists: number[][]): { start: Int32Array; items: Int32Array } {
  const start = new Int32Array(lists.length + 1);
  for (let i = 0; i < lists.length; i++) start[i + 1] = start[i] + lists[i].length;
  const items = new Int32Array(start[lists.length]);
  for (let i = 0; i < lists.length; i++) items.set(lists[i], start[i]);
  return { start, items };
}

function pairsByPrediction(p: number[], l: number[], v: number[], n: number) {
  const keys = Int32Array.from(p);
  const { start, items } = groupBy(keys, n);
  const lidx = new Int32Array(items.length);
  const iou = new Float64Array(items.length);
  for (let i = 0; i < items.length; i++) {
    lidx[i] = l[items[i]];
    iou[i] = v[items[i]];
  }
  return { start, lidx, iou };
}
