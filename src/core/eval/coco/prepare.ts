// COCOeval._prepare: which annotations and detections take part, their per-object fields as typed arrays, and
// the (image, category) cells they fall into, in exactly the order pycocotools walks them.
import type { CocoGroundTruth, CocoResults } from './load.ts';
import { CocoFormatError } from './load.ts';
import type { CocoId, CocoParams } from './params.ts';

type Json = Record<string, unknown>;

/** Python truthiness of a JSON value. */
function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object' && v !== null) return Object.keys(v).length > 0;
  return Boolean(v);
}

/**
 * Everything evaluation needs, indexed by annotation index (gt) and result index (dt).
 * A cell is (category k, image i) with index k*I + i (k = 0 for every object when useCats is off).
 */
export interface Prepared {
  params: CocoParams;
  I: number;
  K: number;
  corrected: boolean;
  // ground truth, per annotation index (values of the record loadAnns returns for it)
  gtCount: number;
  gtArea: Float64Array;
  /** int(iscrowd) != 0: crowd IoU and "may match many". */
  gtCrowd: Uint8Array;
  /** The ignore flag after _prepare: iscrowd (strict) or ignore || iscrowd (corrected). */
  gtIgnore: Uint8Array;
  /** 1 when a match to this GT is recorded as a match; 0 for GT id 0 in strict mode (Q8). */
  gtMatchable: Uint8Array;
  /** The index whose record supplies the fields (differs only for duplicate ids in strict mode). */
  gtRecord: Int32Array;
  gtCellStart: Int32Array;
  gtCellList: Int32Array;
  // detections
  dtCount: number;
  dtCellStart: Int32Array;
  /** Per cell: detections sorted by -score (stable), cut to maxDets[-1]. */
  dtCellList: Int32Array;
  /** 0-based rank of a detection in its cell; -1 when it does not take part. */
  dtRank: Int32Array;
  /** Detections taking part, per category in accumulate's order (-score, image, then cell order). */
  dtOrder: Int32Array;
  dtCatStart: Int32Array;
  /** Corrected mode: what was done differently from pycocotools (each with a count). */
  notes: string[];
  /** Strict mode: pycocotools quirks that affected this evaluation (what --corrected would change). */
  warnings: string[];
  /** Index of each detection in dtCellList (-1 when not taking part): where its evaluation flags are. */
  dtSlot: Int32Array;
}

/** A stable counting sort of `items` by `key[item]` in [0, nKeys); returns the sorted items and bucket starts. */
function countingSort(items: Int32Array, key: Int32Array, nKeys: number): { sorted: Int32Array; start: Int32Array } {
  const start = new Int32Array(nKeys + 1);
  for (let j = 0; j < items.length; j++) start[key[items[j]] + 1]++;
  for (let c = 0; c < nKeys; c++) start[c + 1] += start[c];
  const fill = start.slice(0, nKeys);
  const sorted = new Int32Array(items.length);
  for (let j = 0; j < items.length; j++) sorted[fill[key[items[j]]]++] = items[j];
  return { sorted, start };
}

/**
 * Detections (given in file order) sorted by (category k, -score, image, category position, file order), the order
 * both computeIoU's and accumulate's stable mergesorts give. Stable counting sorts from the last key to the first,
 * with scores replaced by their rank among the distinct scores (=== ties, so -0 and 0 are one); a comparison sort
 * when a score is NaN (no JSON number is, but an in-memory caller may pass one).
 */
function sortDetections(
  items: Int32Array,
  score: Float64Array,
  dtK: Int32Array,
  dtImg: Int32Array,
  dtCatPos: Int32Array,
  K: number,
  I: number,
  C: number,
): Int32Array {
  const n = items.length;
  const values = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    values[j] = score[items[j]];
    if (values[j] !== values[j]) {
      return items.sort((a, b) => {
        if (dtK[a] !== dtK[b]) return dtK[a] - dtK[b];
        if (score[a] !== score[b]) return score[a] > score[b] ? -1 : 1;
        if (dtImg[a] !== dtImg[b]) return dtImg[a] - dtImg[b];
        if (dtCatPos[a] !== dtCatPos[b]) return dtCatPos[a] - dtCatPos[b];
        return a - b;
      });
    }
  }
  values.sort();
  let u = 0;
  for (let j = 0; j < n; j++) if (u === 0 || values[j] !== values[u - 1]) values[u++] = values[j];
  // rank 0 = the highest score
  const rank = new Int32Array(score.length);
  for (let j = 0; j < n; j++) {
    const d = items[j];
    const x = score[d];
    let lo = 0;
    let hi = u - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (values[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    rank[d] = u - 1 - lo;
  }
  let order = items;
  if (K === 1 && C > 1) order = countingSort(order, dtCatPos, C).sorted;
  order = countingSort(order, dtImg, I).sorted;
  order = countingSort(order, rank, u).sorted;
  if (K > 1) order = countingSort(order, dtK, K).sorted;
  return order;
}

/** Position of each id (the first when repeated): a dense table when the ids are small integers, else a Map. */
class IdIndex {
  readonly #map = new Map<CocoId, number>();
  readonly #dense: Int32Array | undefined;

  constructor(ids: CocoId[]) {
    let max = -1;
    let dense = true;
    for (const id of ids) {
      if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) dense = false;
      else if (id > max) max = id;
    }
    if (dense && max < 4 * ids.length + 1024) {
      this.#dense = new Int32Array(max + 1).fill(-1);
      for (let i = ids.length - 1; i >= 0; i--) this.#dense[ids[i] as number] = i;
    } else {
      ids.forEach((id, i) => {
        if (!this.#map.has(id)) this.#map.set(id, i);
      });
    }
  }

  get(id: CocoId): number | undefined {
    const dense = this.#dense;
    if (dense) {
      // Only whole numbers are keys (-0 reads as 0, as in a Map).
      const at = typeof id === 'number' && id >= 0 && id < dense.length && id === Math.floor(id) ? dense[id] : -1;
      return at < 0 ? undefined : at;
    }
    return this.#map.get(id);
  }
}

function indexOf(ids: CocoId[]): IdIndex {
  return new IdIndex(ids);
}

/**
 * `owns` (per category position, 1 = evaluate) restricts the cells to some categories: the others stay empty, so
 * their accumulate() cells keep -1 and another part of a split evaluation fills them (parallel.ts). The warnings and
 * the input checks still cover every annotation, as in the whole evaluation.
 */
export function prepare(
  gt: CocoGroundTruth,
  dt: CocoResults,
  params: CocoParams,
  corrected: boolean,
  owns?: Uint8Array,
): Prepared {
  const I = params.imgIds.length;
  const K = params.useCats ? params.catIds.length : 1;
  const imgIndex = indexOf(params.imgIds);
  const catIndex = indexOf(params.catIds);
  const notes: string[] = [];
  const warnings: string[] = [];

  // ---- ground truth
  const nGt = gt.annotations.length;
  const gtArea = new Float64Array(nGt);
  const gtCrowd = new Uint8Array(nGt);
  const gtIgnore = new Uint8Array(nGt);
  const gtMatchable = new Uint8Array(nGt);
  const gtRecord = new Int32Array(nGt);
  const gtImg = new Int32Array(nGt).fill(-1); // image index of the annotation's own image_id
  const gtCell = new Int32Array(nGt);
  const gtCatPos = new Int32Array(nGt);
  const included: number[] = [];
  let idZero = 0;
  let ignoreField = 0; // GT whose own "ignore" is set while iscrowd is not
  let crowdMissing = 0;
  for (let i = 0; i < nGt; i++) {
    const ownImg = imgIndex.get(gt.annImageId[i]);
    const ownCat = catIndex.get(gt.annCategoryId[i]);
    if (ownImg === undefined || ownCat === undefined) continue;
    const r = corrected ? i : gt.annResolved[i];
    gtRecord[i] = r;
    const rec = gt.annotations[r] as Json;
    const img = imgIndex.get(gt.annImageId[r]);
    const cat = catIndex.get(gt.annCategoryId[r]);
    if (img === undefined || cat === undefined) continue; // loadAnns gave a record of another cell: never walked
    const where = () => `${gt.source}: annotations[${r}] (id ${JSON.stringify(rec.id)})`;
    if (typeof rec.area !== 'number') throw new CocoFormatError(`${where()} has no numeric "area"`);
    gtArea[i] = rec.area;
    if (!('iscrowd' in rec)) {
      if (!corrected) throw new CocoFormatError(`${where()} has no "iscrowd" (pycocotools raises KeyError)`);
      crowdMissing++;
    }
    const crowd = rec.iscrowd ?? 0;
    gtCrowd[i] = Math.trunc(Number(crowd)) !== 0 ? 1 : 0;
    if (truthy(rec.ignore) && !truthy(crowd)) ignoreField++;
    gtIgnore[i] = truthy(crowd) || (corrected && truthy(rec.ignore)) ? 1 : 0;
    const zeroId = rec.id === 0;
    if (zeroId) idZero++;
    gtMatchable[i] = zeroId && !corrected ? 0 : 1;
    gtImg[i] = ownImg;
    gtCell[i] = params.useCats ? cat * I + img : img;
    gtCatPos[i] = cat;
    if (owns && params.useCats && !owns[cat]) continue;
    included.push(i);
  }
  const repeated = gt.duplicateIds.length;
  if (corrected) {
    if (idZero) notes.push(`${idZero} GT with id 0 matched by index (pycocotools counts their matches as FP)`);
    if (ignoreField) notes.push(`${ignoreField} GT with "ignore" set and iscrowd 0 ignored (pycocotools scores them)`);
    if (crowdMissing) notes.push(`${crowdMissing} GT without "iscrowd" read as iscrowd 0 (pycocotools raises)`);
    if (repeated) notes.push(`${repeated} repeated GT ids kept apart (pycocotools evaluates the last record twice)`);
  } else {
    if (idZero) warnings.push(`${idZero} GT have id 0: as in pycocotools, a match to them counts as a false positive`);
    if (ignoreField) {
      warnings.push(
        `${ignoreField} GT have "ignore" set but iscrowd 0: as in pycocotools, they are scored, not ignored`,
      );
    }
    if (repeated) {
      warnings.push(
        `${repeated} GT ids repeat: as in pycocotools, the last record with such an id is evaluated for each`,
      );
    }
  }
  // Cell order: walked image by image in params order, file order inside (getAnnIds), by category position first
  // when categories are pooled (useCats=0), then grouped into cells.
  let gtItems = countingSort(Int32Array.from(included), gtImg, I).sorted;
  if (!params.useCats) gtItems = countingSort(gtItems, gtCatPos, params.catIds.length).sorted;
  const gtCells = countingSort(gtItems, gtCell, K * I);

  // ---- detections
  const nDt = dt.length;
  const dtK = new Int32Array(nDt);
  const dtImg = new Int32Array(nDt);
  const dtCatPos = new Int32Array(nDt);
  const dtCell = new Int32Array(nDt);
  const dtIn: number[] = [];
  for (let d = 0; d < nDt; d++) {
    const img = imgIndex.get(dt.imageId[d]);
    const cat = catIndex.get(dt.categoryId[d]);
    if (img === undefined || cat === undefined) continue;
    if (owns && params.useCats && !owns[cat]) continue;
    dtImg[d] = img;
    dtCatPos[d] = cat;
    dtK[d] = params.useCats ? cat : 0;
    dtCell[d] = dtK[d] * I + img;
    dtIn.push(d);
  }
  // One sort gives both orders: accumulate's (category, -score, image, ...) and, after a stable regrouping by
  // cell, computeIoU's (-score, category position, file order) inside each cell.
  const sortedIn = sortDetections(Int32Array.from(dtIn), dt.score, dtK, dtImg, dtCatPos, K, I, params.catIds.length);
  const byCell = countingSort(sortedIn, dtCell, K * I);
  const maxDet = params.maxDets[params.maxDets.length - 1];
  const dtRank = new Int32Array(nDt).fill(-1);
  const dtCellStart = new Int32Array(K * I + 1);
  const kept: number[] = [];
  for (let c = 0; c < K * I; c++) {
    dtCellStart[c] = kept.length;
    const s = byCell.start[c];
    const e = Math.min(byCell.start[c + 1], s + maxDet);
    for (let j = s; j < e; j++) {
      dtRank[byCell.sorted[j]] = j - s;
      kept.push(byCell.sorted[j]);
    }
  }
  dtCellStart[K * I] = kept.length;
  const dtOrder = new Int32Array(kept.length);
  const dtCatStart = new Int32Array(K + 1);
  const dtSlot = new Int32Array(nDt).fill(-1);
  for (let j = 0; j < kept.length; j++) dtSlot[kept[j]] = j;
  let p = 0;
  for (let j = 0; j < sortedIn.length; j++) {
    const d = sortedIn[j];
    if (dtRank[d] < 0) continue;
    dtOrder[p++] = d;
    dtCatStart[dtK[d] + 1] = p;
  }
  for (let k = 0; k < K; k++) dtCatStart[k + 1] = Math.max(dtCatStart[k + 1], dtCatStart[k]);

  return {
    params,
    I,
    K,
    corrected,
    gtCount: nGt,
    gtArea,
    gtCrowd,
    gtIgnore,
    gtMatchable,
    gtRecord,
    gtCellStart: gtCells.start,
    gtCellList: gtCells.sorted,
    dtCount: nDt,
    dtCellStart,
    dtCellList: Int32Array.from(kept),
    dtRank,
    dtOrder,
    dtCatStart,
    dtSlot,
    notes,
    warnings,
  };
}
