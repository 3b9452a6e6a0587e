// The report's A/B section: a second run compared with the report's run, as plain data, from the comparison
// engine's answers (core/eval/compare). `predlens report --compare` passes what `predlens compare` computes; the
// Compare page passes its workers' answers, which are the same engine's. Nothing is recomputed here: rows are taken
// as given and the per-class tables sorted by B − A.
import type { ActiveCoverage, ActiveDifferences } from '../eval/compare/active.ts';
import type { BootstrapInfo, Difference } from '../eval/compare/bootstrap.ts';
import { COCO_STAT_NAMES, type Coverage } from '../eval/compare/coco.ts';

/** What was compared: units both runs cover (or neither), of all, and those left out (or kept with `all`). */
export interface ReportCoverage {
  unit: 'image' | 'frame';
  compared: number;
  total: number;
  onlyA: number;
  onlyB: number;
  /** Compared on every unit, even those only one run has predictions on. */
  all: boolean;
}

/** One statistic of both runs on the compared units: B − A, its 95% interval, P(B > A). */
export interface ReportDifference {
  a: number;
  b: number;
  delta: number;
  ci: [number, number];
  pBetter: number;
  /** Resamples on which the statistic was defined for both runs. */
  resamples: number;
}

export interface ReportCompareStat extends ReportDifference {
  statistic: string;
}

export interface ReportCompareClass extends ReportDifference {
  name: string;
  /** The COCO category id, or the ontology featureNodeHash (Encord Active's side). */
  id: string;
  /** Only this run predicts the class on the compared units. */
  onlyIn?: 'a' | 'b';
}

export interface ReportCompareSide {
  coverage: ReportCoverage;
  bootstrap: BootstrapInfo;
  stats: ReportCompareStat[];
  /** Sorted by B − A, largest gain first; undefined differences last. */
  perClass: ReportCompareClass[];
}

export interface ReportCompare {
  nameA: string;
  nameB: string;
  /** Encord Active's mAP and mAR (and per-class AP) at one IoU threshold. */
  active?: ReportCompareSide & { iouThreshold: number; ignoreFramesWithoutPredictions: boolean };
  /** pycocotools' 12 stats (and per-class AP @[.50:.95]); `alone`: each run on every image. */
  coco?: ReportCompareSide & { iouType: string; alone: { a: number[]; b: number[] } };
  /** Labels B fixed and broke under COCO's greedy matching at `iou`, and the images that changed. */
  changes?: { iou: number; fixed: number; broken: number; images: number; coverage: ReportCoverage };
}

/** What the engine answered, as `predlens compare` and the Compare page's workers both hold it. */
export interface CompareReportInput {
  nameA: string;
  nameB: string;
  /** What Encord Active's units are called: 'frame' when the project has videos, else 'image' (default 'frame'). */
  frameWord?: 'image' | 'frame';
  active?: {
    iouThreshold: number;
    ignoreFramesWithoutPredictions: boolean;
    coverage: ActiveCoverage;
    differences: ActiveDifferences;
  };
  coco?: {
    iouType: string;
    alone: { a: readonly number[]; b: readonly number[] };
    stats: readonly Difference[];
    perClass: readonly (Difference & { categoryId: string | number; name: string; onlyIn?: 'a' | 'b' })[];
    coverage: Coverage;
    bootstrap: BootstrapInfo;
  };
  changes?: {
    iou: number;
    fixed: readonly unknown[];
    broken: readonly unknown[];
    images: readonly unknown[];
    coverage: Coverage;
  };
}

const difference = (d: Difference): ReportDifference => ({
  a: d.a,
  b: d.b,
  delta: d.delta,
  ci: [d.ci[0], d.ci[1]],
  pBetter: d.pBetter,
  resamples: d.resamples,
});

/** Largest B − A first; classes without a difference last, in their own order. */
export function byDifference<T extends { delta: number }>(rows: readonly T[]): T[] {
  const key = (r: T) => (Number.isNaN(r.delta) ? -Infinity : r.delta);
  return rows
    .map((row, i) => ({ row, i }))
    .sort((x, y) => key(y.row) - key(x.row) || x.i - y.i)
    .map((e) => e.row);
}

const imageCoverage = (c: Coverage): ReportCoverage => ({
  unit: 'image',
  compared: c.compared,
  total: c.total,
  onlyA: c.onlyA,
  onlyB: c.onlyB,
  all: c.allImages,
});

export function compareReportPart(input: CompareReportInput): ReportCompare {
  const out: ReportCompare = { nameA: input.nameA, nameB: input.nameB };
  const { active, coco, changes } = input;
  if (active) {
    const d = active.differences;
    const c = active.coverage;
    out.active = {
      iouThreshold: active.iouThreshold,
      ignoreFramesWithoutPredictions: active.ignoreFramesWithoutPredictions,
      coverage: {
        unit: input.frameWord ?? 'frame',
        compared: c.compared,
        total: c.total,
        onlyA: c.onlyA,
        onlyB: c.onlyB,
        all: c.allFrames,
      },
      bootstrap: { ...d.bootstrap },
      stats: [
        { statistic: 'mAP', ...difference(d.mAP) },
        { statistic: 'mAR', ...difference(d.mAR) },
      ],
      perClass: byDifference(
        d.perClass
          .filter((k) => !Number.isNaN(k.AP.a) || !Number.isNaN(k.AP.b) || k.predictionsA + k.predictionsB > 0)
          .map((k) => ({
            name: k.name,
            id: k.featureHash,
            ...difference(k.AP),
            ...(k.onlyIn ? { onlyIn: k.onlyIn } : {}),
          })),
      ),
    };
  }
  if (coco) {
    out.coco = {
      iouType: coco.iouType,
      alone: { a: [...coco.alone.a], b: [...coco.alone.b] },
      coverage: imageCoverage(coco.coverage),
      bootstrap: { ...coco.bootstrap },
      stats: coco.stats.map((d, i) => ({ statistic: COCO_STAT_NAMES[i] ?? String(i), ...difference(d) })),
      perClass: byDifference(
        coco.perClass.map((k) => ({
          name: k.name,
          id: String(k.categoryId),
          ...difference(k),
          ...(k.onlyIn ? { onlyIn: k.onlyIn } : {}),
        })),
      ),
    };
  }
  if (changes) {
    out.changes = {
      iou: changes.iou,
      fixed: changes.fixed.length,
      broken: changes.broken.length,
      images: changes.images.length,
      coverage: imageCoverage(changes.coverage),
    };
  }
  return out;
}
