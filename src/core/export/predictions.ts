// A run written out in the formats other tools read: COCO results JSON, a YOLO prediction folder (one .txt per
// image, Ultralytics save_txt with save_conf), or predlens' native NDJSON. Each reads back with predlens' own import
// (`--format coco|yolo|json`); classification predictions have no place in COCO or YOLO and are counted as left out.
//
// COCO: {image_id, category_id, score, bbox [x, y, w, h] px} plus, for polygons, `segmentation` [[x1, y1, ...]] px,
// and for masks (and polygons with holes) a compressed RLE; ids as coco-ids.ts gives them. A box imported from COCO
// keeps the pixel numbers it came with.
// YOLO: `labels/<stem>.txt` with `class cx cy w h conf` (boxes) or `class x1 y1 ... conf` (polygons by their outer
// ring; masks by their largest outer contour, as Ultralytics and Encord Active turn masks into polygons), normalised;
// stems are data hashes (`<dataHash>_<frame>` for video frames) or, for datasets, the image's own path under
// labels/; class indexes are a dataset's category ids (else the ontology order), named by `classes.txt`.
import type { Kernels } from '../../kernels/wasm.ts';
import { eaPolygonRle } from '../../kernels/raster.ts';
import { rleFromCoco, rleToBbox, rleToString } from '../../kernels/rle.ts';
import { toNativeNdjson } from '../formats/native.ts';
import { largestContourPolygon } from '../metrics/kernel-env.ts';
import type { Prediction, Project } from '../model.ts';
import { CocoIds, type ImageDataUnitsJson } from './coco-ids.ts';

export interface WrittenPredictions<T> {
  value: T;
  written: number;
  /** Predictions left out, with why (each reason once, with its count). */
  skipped: { reason: string; count: number }[];
}

class Skips {
  readonly #counts = new Map<string, number>();
  add(reason: string) {
    this.#counts.set(reason, (this.#counts.get(reason) ?? 0) + 1);
  }
  list() {
    return [...this.#counts].map(([reason, count]) => ({ reason, count }));
  }
}

export interface CocoResult {
  image_id: number;
  category_id: number;
  score: number;
  bbox: [number, number, number, number];
  segmentation?: number[][] | { size: [number, number]; counts: string };
}

function unitIndexOf(project: Project): Map<string, number> {
  const m = new Map<string, number>();
  project.dataUnits.forEach((u, i) => {
    const k = u.dataHash.toLowerCase();
    if (!m.has(k)) m.set(k, i);
  });
  return m;
}

function pixelBox(xy: number[]): [number, number, number, number] {
  let x1 = Infinity,
    y1 = Infinity,
    x2 = -Infinity,
    y2 = -Infinity;
  for (let i = 0; i + 1 < xy.length; i += 2) {
    x1 = Math.min(x1, xy[i]);
    x2 = Math.max(x2, xy[i]);
    y1 = Math.min(y1, xy[i + 1]);
    y2 = Math.max(y2, xy[i + 1]);
  }
  return [x1, y1, x2 - x1, y2 - y1];
}

/** COCO results of the predictions (those on the `only` image ids when given), in the run's order. */
export function cocoResults(
  kernels: Kernels,
  project: Project,
  predictions: readonly Prediction[],
  options: { imageDataUnits?: ImageDataUnitsJson; ids?: CocoIds; only?: ReadonlySet<number> } = {},
): WrittenPredictions<CocoResult[]> {
  const ids = options.ids ?? new CocoIds(project, options.imageDataUnits);
  const units = unitIndexOf(project);
  const skips = new Skips();
  const out: CocoResult[] = [];
  for (const p of predictions) {
    const unitIndex = units.get(p.dataHash.toLowerCase());
    if (unitIndex === undefined) {
      skips.add('its data hash is not a data unit of the project');
      continue;
    }
    const unit = project.dataUnits[unitIndex];
    const s = p.shape;
    if (s.kind === 'classification') {
      skips.add('a classification prediction (COCO results hold detections)');
      continue;
    }
    const category = ids.categoryId(p.featureHash);
    if (category === undefined) {
      skips.add('its class is not a bounding-box or polygon object of the ontology');
      continue;
    }
    const image = ids.imageId(unitIndex, p.frame, unit.dataType === 'video');
    if (image === undefined) {
      skips.add('its frame is not a frame of the data unit');
      continue;
    }
    if (options.only && !options.only.has(image)) continue;
    const W = unit.width;
    const H = unit.height;
    const base = { image_id: image, category_id: category, score: p.confidence };
    const given = p.boxPx ? ([p.boxPx.x, p.boxPx.y, p.boxPx.w, p.boxPx.h] as CocoResult['bbox']) : undefined;
    if (s.kind === 'box') {
      out.push({ ...base, bbox: given ?? [s.box.x * W, s.box.y * H, s.box.w * W, s.box.h * H] });
    } else if (s.kind === 'polygon') {
      const xy = s.points.flatMap(([x, y]) => [x * W, y * H]);
      if (s.holes?.length) {
        // COCO polygons cannot have holes (several parts are a union): such a polygon goes as its mask.
        const rle = eaPolygonRle(kernels, s.points, s.holes, W, H);
        out.push({
          ...base,
          bbox: given ?? pixelBox(xy),
          segmentation: { size: [rle.h, rle.w], counts: rleToString(rle) },
        });
      } else out.push({ ...base, bbox: given ?? pixelBox(xy), segmentation: [xy] });
    } else {
      const rle = rleFromCoco(s.mask);
      out.push({
        ...base,
        bbox: given ?? rleToBbox(rle),
        segmentation: { size: [rle.h, rle.w], counts: rleToString(rle) },
      });
    }
  }
  return { value: out, written: out.length, skipped: skips.list() };
}

/** Results JSON as pycocotools' loadRes reads it: one result per line. */
export function cocoResultsJson(results: readonly CocoResult[]): string {
  if (results.length === 0) return '[]\n';
  return `[\n${results.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`;
}

// ---------------------------------------------------------------- YOLO

/**
 * The class index of each object and classes.txt: on a dataset its category id (a YOLO dataset's own indexes; on
 * COCO and VOC the category id, which is what `import` reads a YOLO class index as on a dataset, so the folder reads
 * back onto it), else the ontology order (Encord Active's class numbering).
 */
export function yoloClasses(project: Project): { indexOf: Map<string, number>; classesTxt: string } {
  const indexOf = new Map<string, number>();
  const names: string[] = [];
  project.ontology.objects.forEach((o, i) => {
    const index = project.dataset && o.categoryId !== undefined ? o.categoryId : i;
    if (indexOf.has(o.featureNodeHash)) return;
    indexOf.set(o.featureNodeHash, index);
    names[index] = o.name;
  });
  return { indexOf, classesTxt: Array.from(names, (n, i) => n ?? `class${i}`).join('\n') + '\n' };
}

/** Where a YOLO label file for a data unit's frame goes, relative to the folder written. */
export function yoloLabelPath(project: Project, unitIndex: number, frame: number): string {
  const unit = project.dataUnits[unitIndex];
  if (project.dataset) {
    const image = unit.images[0] ?? unit.images[frame] ?? unit.title;
    const stem = image.replace(/\.[^./]+$/, '');
    return `labels/${stem.replace(/^images\//, '')}.txt`;
  }
  return unit.dataType === 'video' ? `labels/${unit.dataHash}_${frame}.txt` : `labels/${unit.dataHash}.txt`;
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

/** One .txt per image that has predictions, plus classes.txt: path -> text. */
export function yoloFiles(
  kernels: Kernels,
  project: Project,
  predictions: readonly Prediction[],
): WrittenPredictions<Map<string, string>> {
  const { indexOf, classesTxt } = yoloClasses(project);
  const units = unitIndexOf(project);
  const skips = new Skips();
  const lines = new Map<string, string[]>();
  let written = 0;
  for (const p of predictions) {
    const unitIndex = units.get(p.dataHash.toLowerCase());
    if (unitIndex === undefined) {
      skips.add('its data hash is not a data unit of the project');
      continue;
    }
    const s = p.shape;
    if (s.kind === 'classification') {
      skips.add('a classification prediction (YOLO files hold detections)');
      continue;
    }
    const cls = indexOf.get(p.featureHash);
    if (cls === undefined) {
      skips.add('its class is not an object of the ontology');
      continue;
    }
    const unit = project.dataUnits[unitIndex];
    let fields: number[];
    if (s.kind === 'box' && p.boxPx) {
      // The pixel box the predictions came with (COCO results, YOLO rows on a dataset), unclipped, as read back.
      const { x, y, w, h } = p.boxPx;
      const [W, H] = [unit.width, unit.height];
      fields = [(x + w / 2) / W, (y + h / 2) / H, w / W, h / H];
    } else if (s.kind === 'box') {
      fields = [clamp01(s.box.x + s.box.w / 2), clamp01(s.box.y + s.box.h / 2), s.box.w, s.box.h];
    } else {
      const points = s.kind === 'polygon' ? s.points : largestContourPolygon(kernels, p);
      if (!points || points.length < 3) {
        skips.add('a mask with no outline of 3 or more points');
        continue;
      }
      fields = points.flatMap(([x, y]) => [x, y]);
    }
    const path = yoloLabelPath(project, unitIndex, unit.dataType === 'video' ? p.frame : unit.sequence);
    let list = lines.get(path);
    if (!list) lines.set(path, (list = []));
    list.push([cls, ...fields, p.confidence].join(' '));
    written++;
  }
  const files = new Map<string, string>();
  files.set('classes.txt', classesTxt);
  for (const [path, list] of lines) files.set(path, list.join('\n') + '\n');
  return { value: files, written, skipped: skips.list() };
}

// ---------------------------------------------------------------- native

export function nativePredictions(predictions: readonly Prediction[]): WrittenPredictions<string> {
  return { value: toNativeNdjson(predictions), written: predictions.length, skipped: [] };
}
