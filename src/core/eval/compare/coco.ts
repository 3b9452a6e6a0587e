// Two COCO result sets against one ground truth: pycocotools' numbers for each run alone, then, on the images both
// runs cover, the 12 stats and per-category AP of both, their differences with paired-bootstrap intervals
// (bootstrap.ts), and the labels and images that changed (changes.ts).
//
//   const c = compareCoco(kernels, gtJson, resultsA, resultsB, { iouType: 'bbox' });
//   c.stats[0]                 // AP: { a, b, delta, ci: [lo, hi], pBetter, resamples }
//   c.perClass, c.labels, c.images, c.coverage, c.bootstrap
import type { Kernels } from '../../../kernels/wasm.ts';
import {
  cocoEvaluate,
  loadCocoGroundTruth,
  loadCocoResults,
  resultsAreMasks,
  type CocoEvalResult,
  type CocoGroundTruth,
  type CocoId,
  type CocoMatchRecords,
  type IouType,
  type MaskOps,
} from '../coco/index.ts';
import { kernelMaskOps } from '../coco/kernel-masks.ts';
import {
  DEFAULT_RESAMPLES,
  DEFAULT_SEED,
  checkResamples,
  Resampler,
  summariseDifferences,
  type BootstrapInfo,
  type Difference,
} from './bootstrap.ts';
import { labelChanges, type ImageChange } from './changes.ts';
import { CocoWeighted, LANES, type WeightedStats } from './coco-weighted.ts';

/** pycocotools' 12 stats, in summarize() order. */
export const COCO_STAT_NAMES = [
  'AP',
  'AP50',
  'AP75',
  'APs',
  'APm',
  'APl',
  'AR1',
  'AR10',
  'AR100',
  'ARs',
  'ARm',
  'ARl',
] as const;

export interface CocoCompareOptions {
  iouType: IouType;
  /** The IoU of the label and image changes (COCO greedy matching, area all, 100 detections). Default 0.5. */
  iou?: number;
  resamples?: number;
  seed?: number;
  /**
   * Compare on every image even where only one run has predictions (such an image then counts as the other run
   * predicting nothing there). Default: only the images both runs cover, or neither does.
   */
  allImages?: boolean;
  gtSource?: string;
  sourceA?: string;
  sourceB?: string;
  /** A label id per annotation index (default: the annotation's own "id"). */
  labelIds?: readonly (string | number)[];
  masks?: MaskOps;
}

/** What may change between two comparisons of the same pair of evaluations. */
export type CompareSettings = Partial<Pick<CocoCompareOptions, 'iou' | 'resamples' | 'seed' | 'allImages'>>;

export interface ClassComparison extends Difference {
  categoryId: CocoId;
  name: string;
  /** Detections of each run in the category, on the compared images. */
  detectionsA: number;
  detectionsB: number;
  /** 'a' or 'b' when only that run predicts the class (on the compared images). */
  onlyIn?: 'a' | 'b';
}

export interface Coverage {
  /** Images compared (the bootstrap's units) and images evaluated. */
  compared: number;
  total: number;
  /** Images only A / only B has predictions on: left out unless allImages. */
  onlyA: number;
  onlyB: number;
  allImages: boolean;
}

export interface CocoComparison {
  iouType: IouType;
  /** pycocotools' stats of each run alone, on every image of the ground truth. */
  alone: { a: number[]; b: number[] };
  /** On the compared images: one entry per stat, COCO_STAT_NAMES order. */
  stats: Difference[];
  perClass: ClassComparison[];
  /** The IoU threshold of the changes below. */
  iou: number;
  labels: { fixed: (string | number)[]; broken: (string | number)[] };
  images: (Omit<ImageChange, 'image'> & { imageId: CocoId })[];
  coverage: Coverage;
  bootstrap: BootstrapInfo;
  /** Image ids in evaluation order and which are compared (for callers that draw them). */
  imageIds: CocoId[];
  compared: Uint8Array;
  /** The two evaluations (pycocotools' own objects: tags, precision arrays). */
  evaluations: { a: CocoEvalResult; b: CocoEvalResult };
}

/** The evaluations and records a comparison (and a re-run at other settings) starts from. */
export class CocoPair {
  readonly gt: CocoGroundTruth;
  readonly a: CocoEvalResult;
  readonly b: CocoEvalResult;
  readonly weightedA: CocoWeighted;
  readonly weightedB: CocoWeighted;
  /** Both runs' match records (what the re-accumulation reads; a helper worker can rebuild it from them). */
  readonly records: { a: CocoMatchRecords; b: CocoMatchRecords };
  readonly imageIds: CocoId[];
  readonly #imageIndex: Map<CocoId, number>;
  readonly #options: CocoCompareOptions;
  readonly #kernels: Kernels | undefined;
  readonly #masks: MaskOps | undefined;

  constructor(
    kernels: Kernels | undefined,
    gt: unknown,
    resultsA: unknown,
    resultsB: unknown,
    options: CocoCompareOptions,
  ) {
    this.#options = options;
    this.#kernels = kernels;
    this.gt = isLoadedGt(gt) ? gt : loadCocoGroundTruth(gt, options.gtSource ?? 'ground truth');
    const needMasks = options.iouType === 'segm' || resultsAreMasks(resultsA) || resultsAreMasks(resultsB);
    this.#masks = options.masks ?? (needMasks && kernels ? kernelMaskOps(kernels) : undefined);
    const evaluate = (results: unknown, source: string) =>
      cocoEvaluate(
        kernels,
        this.gt,
        loadCocoResults(this.gt, results, {
          source,
          masks: resultsAreMasks(results) ? this.#masks : undefined,
          deriveBoxes: options.iouType === 'bbox',
        }),
        { iouType: options.iouType, masks: this.#masks, gtSource: this.gt.source, resultsSource: source },
      );
    this.a = evaluate(resultsA, options.sourceA ?? 'results A');
    this.b = evaluate(resultsB, options.sourceB ?? 'results B');
    this.imageIds = this.a.params.imgIds;
    this.#imageIndex = new Map(this.imageIds.map((id, i) => [id, i]));
    this.records = { a: this.a.records(), b: this.b.records() };
    this.weightedA = new CocoWeighted(this.records.a);
    this.weightedB = new CocoWeighted(this.records.b);
  }

  imageIndex(id: CocoId): number {
    return this.#imageIndex.get(id) ?? -1;
  }

  /** Per image index: 1 where run A (B) has at least one result. */
  covered(which: 'a' | 'b'): Uint8Array {
    const out = new Uint8Array(this.imageIds.length);
    const results = (which === 'a' ? this.a : this.b).results;
    for (let d = 0; d < results.length; d++) {
      const i = this.imageIndex(results.imageId[d]);
      if (i >= 0) out[i] = 1;
    }
    return out;
  }

  /** The images compared: both runs cover them or neither does (or all of them with allImages). */
  comparedImages(allImages = false): Uint8Array {
    const a = this.covered('a');
    const b = this.covered('b');
    return a.map((v, i) => (allImages || v === b[i] ? 1 : 0));
  }

  /** The tags of both runs at an IoU threshold: pycocotools' own at one of its thresholds, else a re-evaluation. */
  tagsAt(iou: number) {
    const t = this.a.params.iouThrs.findIndex((v) => Math.abs(v - iou) < 1e-12);
    if (t >= 0) return { a: this.a.tags(t), b: this.b.tags(t) };
    const again = (ev: CocoEvalResult) =>
      cocoEvaluate(this.#kernels, this.gt, ev.results, {
        iouType: this.#options.iouType,
        masks: this.#masks,
        params: { iouThrs: [iou], areaRng: [[0, 1e10]], areaRngLbl: ['all'] },
      }).tags(0);
    return { a: again(this.a), b: again(this.b) };
  }

  /** The comparison at the constructor's settings, or with some of them changed. */
  compare(settings: CompareSettings = {}): CocoComparison {
    const run = this.compareIn(settings);
    let step = run.next();
    while (!step.done) step = run.next();
    return step.value;
  }

  /**
   * The comparison in steps: yields the number of resamples done after each chunk of `chunk` (so a worker can give
   * way to other calls between them, or stop), and returns the comparison.
   */
  *compareIn(settings: CompareSettings = {}, chunk = 50): Generator<number, CocoComparison> {
    const plan = this.plan(settings);
    const diffs = yield* resampleDifferences(this.weightedA, this.weightedB, plan, 0, plan.resamples, chunk);
    return this.assemble(plan, [diffs]);
  }

  /** What a comparison at these settings resamples, and its point estimates (the bootstrap comes apart). */
  plan(settings: CompareSettings = {}): ComparePlan {
    const options = { ...this.#options, ...settings };
    const iou = options.iou ?? 0.5;
    if (!(iou >= 0 && iou <= 1)) throw new RangeError(`the IoU threshold must be within 0..1, got ${iou}`);
    const resamples = options.resamples ?? DEFAULT_RESAMPLES;
    checkResamples(resamples);
    const allImages = options.allImages ?? false;
    const I = this.imageIds.length;
    const coveredA = this.covered('a');
    const coveredB = this.covered('b');
    const compared = this.comparedImages(allImages);
    let onlyA = 0;
    let onlyB = 0;
    for (let i = 0; i < I; i++) {
      if (coveredA[i] && !coveredB[i]) onlyA++;
      if (coveredB[i] && !coveredA[i]) onlyB++;
    }
    const units = Int32Array.from([...compared.keys()].filter((i) => compared[i]));
    // Point estimates on the compared images: weight 1 there, 0 elsewhere (exactly pycocotools with those imgIds).
    const weights = new Int32Array(I);
    for (const i of units) weights[i] = 1;
    return {
      iou,
      resamples,
      seed: options.seed ?? DEFAULT_SEED,
      allImages,
      images: I,
      units,
      compared,
      coverage: { compared: units.length, total: I, onlyA, onlyB, allImages },
      pointA: this.weightedA.stats(weights),
      pointB: this.weightedB.stats(weights),
    };
  }

  /** The comparison from its plan and the differences of every resample (in ranges, any order). */
  assemble(plan: ComparePlan, ranges: ResampledDifferences[]): CocoComparison {
    const options = this.#options;
    const { pointA, pointB, compared, resamples, iou } = plan;
    const K = this.weightedA.K;
    const statDiffs = COCO_STAT_NAMES.map(() => new Float64Array(resamples));
    const classDiffs = Array.from({ length: K }, () => new Float64Array(resamples));
    let covered = 0;
    for (const range of ranges) {
      range.stats.forEach((d, s) => statDiffs[s].set(d, range.from));
      range.perClass.forEach((d, k) => classDiffs[k].set(d, range.from));
      covered += range.to - range.from;
    }
    if (covered !== resamples) throw new Error(`the bootstrap ranges cover ${covered} of ${resamples} resamples`);

    const stats = COCO_STAT_NAMES.map((_, s) => {
      const a = pointA.stats[s];
      const b = pointB.stats[s];
      if (a === -1 || b === -1) return { ...summariseDifferences(a, b, new Float64Array(0)), delta: NaN };
      return summariseDifferences(a, b, statDiffs[s]);
    });

    const params = this.a.params;
    const dtA = this.#categoryCounts(this.a, compared);
    const dtB = this.#categoryCounts(this.b, compared);
    const perClass = params.catIds.map((categoryId, k): ClassComparison => {
      const d = summariseDifferences(pointA.perClass[k], pointB.perClass[k], classDiffs[k]);
      const detectionsA = dtA.get(categoryId) ?? 0;
      const detectionsB = dtB.get(categoryId) ?? 0;
      const onlyIn =
        detectionsA > 0 && detectionsB === 0 ? 'a' : detectionsB > 0 && detectionsA === 0 ? 'b' : undefined;
      return {
        ...d,
        categoryId,
        name: this.gt.categoryNames.get(categoryId) ?? String(categoryId),
        detectionsA,
        detectionsB,
        ...(onlyIn ? { onlyIn } : {}),
      };
    });

    const tags = this.tagsAt(iou);
    const changes = labelChanges({
      tagsA: tags.a,
      tagsB: tags.b,
      gtImage: Int32Array.from(this.gt.annImageId, (id) => this.imageIndex(id)),
      dtImageA: Int32Array.from(this.a.results.imageId, (id) => this.imageIndex(id)),
      dtImageB: Int32Array.from(this.b.results.imageId, (id) => this.imageIndex(id)),
      compared,
    });
    const labelId = (g: number) =>
      options.labelIds?.[g] ?? ((this.gt.annotations[g] as { id: string | number }).id as string | number);

    return {
      iouType: options.iouType,
      alone: { a: this.a.stats, b: this.b.stats },
      stats,
      perClass,
      iou,
      labels: { fixed: changes.labels.fixed.map(labelId), broken: changes.labels.broken.map(labelId) },
      images: changes.images.map(({ image, ...rest }) => ({ imageId: this.imageIds[image], ...rest })),
      coverage: plan.coverage,
      bootstrap: {
        resamples,
        seed: plan.seed,
        unit: 'image',
        units: plan.units.length,
        generator: 'xoshiro128** seeded by SplitMix32',
      },
      imageIds: this.imageIds,
      compared,
      evaluations: { a: this.a, b: this.b },
    };
  }

  #categoryCounts(ev: CocoEvalResult, compared: Uint8Array): Map<CocoId, number> {
    const counts = new Map<CocoId, number>();
    const { results } = ev;
    for (let d = 0; d < results.length; d++) {
      const i = this.imageIndex(results.imageId[d]);
      if (i < 0 || !compared[i]) continue;
      counts.set(results.categoryId[d], (counts.get(results.categoryId[d]) ?? 0) + 1);
    }
    return counts;
  }
}

/** A comparison's settings resolved: what is resampled, and the point estimates. */
export interface ComparePlan {
  iou: number;
  resamples: number;
  seed: number;
  allImages: boolean;
  /** Images evaluated (weights have one value per image). */
  images: number;
  /** The compared images (indexes), the bootstrap's units, and per image 1 when compared. */
  units: Int32Array;
  compared: Uint8Array;
  coverage: Coverage;
  pointA: WeightedStats;
  pointB: WeightedStats;
}

/** B - A of every stat and per-class AP on resamples from..to-1 (NaN where a stat is undefined). */
export interface ResampledDifferences {
  from: number;
  to: number;
  /** One array per stat (COCO_STAT_NAMES order), one value per resample of the range. */
  stats: Float64Array[];
  /** One array per category. */
  perClass: Float64Array[];
}

/**
 * The bootstrap of resamples from..to-1 (the same resamples whichever range computes them: the generator is
 * advanced past the earlier ones), four at a time through the re-accumulation; yields the number of resamples done
 * after each chunk of `chunk`. Ranges can run in parallel (several workers) and be assembled afterwards.
 */
export function* resampleDifferences(
  wa: CocoWeighted,
  wb: CocoWeighted,
  plan: Pick<ComparePlan, 'units' | 'images' | 'seed' | 'resamples'>,
  from: number,
  to: number,
  chunk = 50,
): Generator<number, ResampledDifferences> {
  const { units, images: I } = plan;
  if (!(from >= 0 && to <= plan.resamples && from <= to)) throw new RangeError(`bad resample range ${from}..${to}`);
  const K = wa.K;
  const n = to - from;
  const stats = COCO_STAT_NAMES.map(() => new Float64Array(n));
  const perClass = Array.from({ length: K }, () => new Float64Array(n));
  const resampler = new Resampler(units.length, plan.seed);
  const counts = new Int32Array(units.length);
  resampler.skip(from);
  const batch = Array.from({ length: LANES }, () => new Int32Array(I));
  const outsA = batch.map(() => ({ stats: new Float64Array(12), perClass: new Float64Array(K) }));
  const outsB = batch.map(() => ({ stats: new Float64Array(12), perClass: new Float64Array(K) }));
  for (let r0 = 0; r0 < n; r0 += LANES) {
    const size = Math.min(LANES, n - r0);
    for (let j = 0; j < size; j++) {
      resampler.next(counts);
      for (let u = 0; u < units.length; u++) batch[j][units[u]] = counts[u];
    }
    const used = batch.slice(0, size);
    wa.statsBatch(used, outsA);
    wb.statsBatch(used, outsB);
    for (let j = 0; j < size; j++) {
      const r = r0 + j;
      for (let s = 0; s < stats.length; s++) {
        const x = outsA[j].stats[s];
        const y = outsB[j].stats[s];
        stats[s][r] = x === -1 || y === -1 ? NaN : y - x;
      }
      for (let k = 0; k < K; k++) perClass[k][r] = outsB[j].perClass[k] - outsA[j].perClass[k];
    }
    const done = r0 + size;
    if (Math.floor(done / chunk) > Math.floor(r0 / chunk) && done < n) yield done;
  }
  return { from, to, stats, perClass };
}

function isLoadedGt(v: unknown): v is CocoGroundTruth {
  return typeof v === 'object' && v !== null && 'annResolved' in v;
}

/** Compares two COCO result sets against one ground truth (parsed JSON or loaded). */
export function compareCoco(
  kernels: Kernels | undefined,
  gt: unknown,
  resultsA: unknown,
  resultsB: unknown,
  options: CocoCompareOptions,
): CocoComparison {
  return new CocoPair(kernels, gt, resultsA, resultsB, options).compare();
}
