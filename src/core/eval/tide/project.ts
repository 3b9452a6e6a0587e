// TIDE of a prediction run against a project's labels: the same COCO translation the COCO evaluation uses
// (core/eval/project-to-coco.ts), then tidecv's analysis on it. Mask mode when that translation is segm (every
// labelled class a polygon), box mode otherwise. coco.origin leads every COCO image, annotation and result back to
// its frame, label object and prediction.
import type { Kernels } from '../../../kernels/wasm.ts';
import type { Prediction, Project } from '../../model.ts';
import { projectToCoco, type ProjectCoco, type ProjectCocoOptions } from '../project-to-coco.ts';
import { tideEvaluate } from './index.ts';
import type { TideMode, TideOptions, TideResult } from './types.ts';

export interface ProjectTide {
  coco: ProjectCoco;
  result: TideResult;
}

/** Every labelled frame takes part, as in tidecv (the COCO page's "ignore frames without predictions" does not apply). */
export interface ProjectTideOptions extends Omit<TideOptions, 'mode'>, Pick<ProjectCocoOptions, 'iouType'> {
  mode?: TideMode;
  /** A COCO translation already made for these predictions (the COCO evaluation's), to reuse. */
  coco?: ProjectCoco;
}

export function tideOfProject(
  kernels: Kernels,
  project: Project,
  predictions: readonly Prediction[],
  options: ProjectTideOptions = {},
): ProjectTide {
  const coco = options.coco ?? projectToCoco(kernels, project, predictions, { iouType: options.iouType });
  const mode = options.mode ?? (coco.iouType === 'segm' ? 'mask' : 'bbox');
  const result = tideEvaluate(kernels, coco.gt, coco.results, {
    ...options,
    mode,
    gtSource: 'project labels',
    resultsSource: 'predictions',
  });
  return { coco, result };
}
