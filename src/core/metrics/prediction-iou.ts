// The IOU metric of each prediction: EA's iou column (the best IoU with a label of its class on its frame), from the
// same one-time matching the model-quality pages use, re-indexed from confidence order back to input order.
import type { Kernels } from '../../kernels/wasm.ts';
import type { Prediction, Project } from '../model.ts';
import { prepareActive } from '../eval/active/prepare.ts';
import type { ActivePrepared } from '../eval/active/types.ts';

/** Per prediction in input order: its IoU, NaN for predictions the matching left out (unknown class or frame). */
export function iouBySource(
  prepared: Pick<ActivePrepared, 'nPredictions' | 'predSource' | 'iou'>,
  count: number,
): Float64Array {
  const out = new Float64Array(count).fill(NaN);
  for (let pidx = 0; pidx < prepared.nPredictions; pidx++) out[prepared.predSource[pidx]] = prepared.iou[pidx];
  return out;
}

export function predictionIouBySource(
  kernels: Kernels,
  project: Project,
  predictions: readonly Prediction[],
): Float64Array {
  const prepared = prepareActive(kernels, project, predictions, { classSpace: 'objects', confusionPairs: false });
  return iouBySource(prepared, predictions.length);
}
