// "Metric importance" as Encord Active's Metrics page computes its correlations (spec 7.3): the Pearson correlation
// of each prediction metric (NaN taken as 0, as EA fills them) with the score iou x is_true_positive. EA also shows
// scikit-learn's mutual information (a k-nearest-neighbour estimator with random noise); predlens shows only the
// correlation, which is exact and needs no random numbers.
import { pearson } from '../../../core/metrics/binning.ts';

export interface Importance {
  id: string;
  title: string;
  /** -1..1, NaN when the metric is constant over the predictions. */
  correlation: number;
}

/** `columns` per metric option over pidx; `include` applies the class filter. */
export function metricImportance(
  columns: { id: string; title: string; values: Float64Array }[],
  iou: Float64Array,
  isTP: Uint8Array,
  include: (pidx: number) => boolean,
): Importance[] {
  const picked: number[] = [];
  for (let pidx = 0; pidx < isTP.length; pidx++) if (include(pidx)) picked.push(pidx);
  const score = Float64Array.from(picked, (p) => iou[p] * isTP[p]);
  return columns
    .map(({ id, title, values }) => ({
      id,
      title,
      correlation: pearson(
        Float64Array.from(picked, (p) => values[p]),
        score,
      ),
    }))
    .sort(
      (a, b) =>
        (Number.isNaN(a.correlation) ? 1 : 0) - (Number.isNaN(b.correlation) ? 1 : 0) ||
        Math.abs(b.correlation) - Math.abs(a.correlation),
    );
}
