// COCOeval.Params for detection (bbox and segm), and the normalisation evaluate() applies to them.
// Thresholds come from numpy's linspace formula, never from decimal literals: recThrs[35] is 0.35000000000000003.

export type CocoId = number | string;
export type IouType = 'bbox' | 'segm';

/** The parameters as evaluate() sees them: ids unique and sorted, maxDets sorted. */
export interface CocoParams {
  iouType: IouType;
  imgIds: CocoId[];
  catIds: CocoId[];
  iouThrs: Float64Array;
  recThrs: Float64Array;
  maxDets: number[];
  areaRng: [number, number][];
  areaRngLbl: string[];
  useCats: boolean;
}

/** What a caller may override, the way one assigns COCOeval.params fields before evaluate(). */
export interface CocoParamsInput {
  imgIds?: CocoId[];
  catIds?: CocoId[];
  iouThrs?: ArrayLike<number>;
  recThrs?: ArrayLike<number>;
  maxDets?: number[];
  areaRng?: [number, number][];
  areaRngLbl?: string[];
  useCats?: boolean | 0 | 1;
}

/** numpy.linspace(start, stop, num) with endpoint=True: i*step + start, last element forced to stop. */
export function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  const div = num - 1;
  const delta = stop - start;
  const step = delta / div;
  for (let i = 0; i < num; i++) {
    // numpy divides first when the step underflows to zero; the product form otherwise.
    out[i] = (step === 0 ? (i / div) * delta : i * step) + start;
  }
  if (num > 1) out[num - 1] = stop;
  return out;
}

/** np.round(x): round half to even. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function defaultIouThrs(): Float64Array {
  return linspace(0.5, 0.95, roundHalfEven((0.95 - 0.5) / 0.05) + 1);
}

export function defaultRecThrs(): Float64Array {
  return linspace(0.0, 1.0, roundHalfEven((1.0 - 0.0) / 0.01) + 1);
}

export const DEFAULT_MAX_DETS = [1, 10, 100];
export const DEFAULT_AREA_RNG: [number, number][] = [
  [0 ** 2, 1e5 ** 2],
  [0 ** 2, 32 ** 2],
  [32 ** 2, 96 ** 2],
  [96 ** 2, 1e5 ** 2],
];
export const DEFAULT_AREA_LBL = ['all', 'small', 'medium', 'large'];

/** Python's sort order for ids of one kind; mixing numbers and strings fails there too. */
export function compareIds(a: CocoId, b: CocoId): number {
  if (typeof a !== typeof b) {
    throw new Error(
      `ids mix numbers and strings (${JSON.stringify(a)} and ${JSON.stringify(b)}); they cannot be sorted`,
    );
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** np.unique: sorted, duplicates removed. */
export function uniqueSorted(ids: CocoId[]): CocoId[] {
  const sorted = [...ids].sort(compareIds);
  return sorted.filter((v, i) => i === 0 || v !== sorted[i - 1]);
}

function describe(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/**
 * The types COCOeval.Params fields must have. pycocotools fails on most wrong types somewhere inside evaluate() or
 * accumulate() (TypeError, IndexError) and silently gives -1 or 0 on others (a number for imgIds, strings in
 * recThrs, a string useCats); here each is an error naming the field and the value.
 */
function checkParamTypes(p: CocoParamsInput, source: string): void {
  if (typeof p !== 'object' || p === null || Array.isArray(p)) {
    throw new Error(`${source}: COCOeval params are a JSON object of fields, got ${describe(p)}`);
  }
  const known = ['imgIds', 'catIds', 'iouThrs', 'recThrs', 'maxDets', 'areaRng', 'areaRngLbl', 'useCats'];
  for (const key of Object.keys(p)) {
    if (!known.includes(key)) throw new Error(`${source}: unknown params field "${key}" (known: ${known.join(', ')})`);
  }
  const list = (name: string, v: unknown, ok: (x: unknown) => boolean, what: string) => {
    if (v === undefined) return;
    const bad =
      Array.isArray(v) || ArrayBuffer.isView(v) ? Array.from(v as ArrayLike<unknown>).findIndex((x) => !ok(x)) : -2;
    if (bad === -2) throw new Error(`${source}: "${name}" must be a list of ${what}, got ${describe(v)}`);
    if (bad >= 0) {
      const item = (v as ArrayLike<unknown>)[bad];
      throw new Error(`${source}: "${name}"[${bad}] is ${describe(item)}, not ${what.replace(/s$/, '')}`);
    }
  };
  const isId = (x: unknown) => (typeof x === 'number' && Number.isFinite(x)) || typeof x === 'string';
  const isNumber = (x: unknown) => typeof x === 'number' && Number.isFinite(x);
  list('imgIds', p.imgIds, isId, 'ids (numbers or strings)');
  list('catIds', p.catIds, isId, 'ids (numbers or strings)');
  list('iouThrs', p.iouThrs, isNumber, 'numbers');
  list('recThrs', p.recThrs, isNumber, 'numbers');
  list('maxDets', p.maxDets, (x) => Number.isInteger(x) && (x as number) >= 0, 'non-negative integers');
  list('areaRng', p.areaRng, (x) => Array.isArray(x) && x.length === 2 && x.every(isNumber), '[min, max] pairs');
  list('areaRngLbl', p.areaRngLbl, (x) => typeof x === 'string', 'strings');
  const u = p.useCats as unknown;
  if (u !== undefined && u !== true && u !== false && u !== 0 && u !== 1) {
    throw new Error(`${source}: "useCats" must be true, false, 0 or 1, got ${describe(u)}`);
  }
}

/**
 * Params('bbox'|'segm') defaults from the ground truth's image and category ids, with overrides applied, then
 * normalised as COCOeval.evaluate() does (np.unique on ids, sorted maxDets).
 */
export function resolveParams(
  iouType: IouType,
  gtImgIds: CocoId[],
  gtCatIds: CocoId[],
  overrides: CocoParamsInput = {},
  source = 'params',
): CocoParams {
  checkParamTypes(overrides, source);
  const useCats = overrides.useCats === undefined ? true : Boolean(overrides.useCats);
  const catIds = overrides.catIds ?? gtCatIds;
  const areaRng = overrides.areaRng ?? DEFAULT_AREA_RNG;
  const areaRngLbl = overrides.areaRngLbl ?? DEFAULT_AREA_LBL;
  if (areaRng.length !== areaRngLbl.length) {
    throw new Error(`${source}: areaRng has ${areaRng.length} ranges but areaRngLbl has ${areaRngLbl.length} labels`);
  }
  const maxDets = [...(overrides.maxDets ?? DEFAULT_MAX_DETS)].sort((a, b) => a - b);
  for (const m of maxDets) {
    if (!Number.isInteger(m) || m < 0) throw new Error(`${source}: maxDets must be non-negative integers, got ${m}`);
  }
  if (maxDets.length === 0) throw new Error(`${source}: maxDets is empty`);
  return {
    iouType,
    imgIds: uniqueSorted(overrides.imgIds ?? gtImgIds),
    // With useCats=0 evaluate() leaves catIds as given: their order is the order an image's GTs are concatenated in.
    // (Duplicates, which would count a GT twice there, are dropped here.)
    catIds: useCats ? uniqueSorted(catIds) : catIds.filter((c, i) => catIds.indexOf(c) === i),
    iouThrs: Float64Array.from(overrides.iouThrs ?? defaultIouThrs()),
    recThrs: Float64Array.from(overrides.recThrs ?? defaultRecThrs()),
    maxDets,
    areaRng: areaRng.map(([lo, hi]) => [lo, hi]),
    areaRngLbl: [...areaRngLbl],
    useCats,
  };
}
