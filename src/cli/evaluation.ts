// What the export and report commands share: the project folder, the run's predictions read with the import flags,
// and the EA-style evaluation at --iou / --ignore-frames-without-predictions, computed the way the page's
// evaluation worker computes it (same prepareActive defaults, so rows come in the page's order).
import { flagNumber, UsageError, type ParsedArgs } from './args.ts';
import { readFolderArg, SPLIT_FLAG } from './project-dir.ts';
import { importFromArgs } from './prediction-input.ts';
import { loadKernels } from '../kernels/node.ts';
import type { Kernels } from '../kernels/wasm.ts';
import type { FileTree } from '../core/file-tree.ts';
import { readImageDataUnits } from '../core/formats/coco-results.ts';
import { prepareActive, scoreActive, type ActivePrepared, type ActiveScore } from '../core/eval/active/index.ts';
import type { Prediction, Project } from '../core/model.ts';
import type { ImageDataUnitsJson } from '../core/export/coco-ids.ts';
import { tideSummary, type TideSummary } from '../workers/eval-tide.ts';

/** Flags of the scored views (eval's names), and a dataset's split. */
export const SCORE_FLAGS = { boolean: ['ignore-frames-without-predictions'], value: ['iou', SPLIT_FLAG] };

export interface Opened {
  tree: FileTree;
  project: Project;
  kernels: Kernels;
  imageDataUnits: ImageDataUnitsJson | undefined;
}

/** The folder as `eval` opens it: an Encord Active project, or a COCO, YOLO or VOC dataset (`--split`). */
export async function openProject(dir: string, args?: ParsedArgs): Promise<Opened> {
  const { tree, project } = await readFolderArg(dir, args);
  const kernels = await loadKernels();
  return { tree, project, kernels, imageDataUnits: await readImageDataUnits(tree) };
}

export interface Run {
  /** A name for the run: the prediction file's or folder's name. */
  name: string;
  predictions: Prediction[];
  format: string;
  warnings: string[];
  rejected: number;
}

export async function readRun(opened: Opened, input: string, args: ParsedArgs): Promise<Run> {
  const imported = await importFromArgs(opened.kernels, opened.project, opened.tree, input, args);
  return {
    name: input.replace(/\/+$/, '').split('/').pop() ?? input,
    predictions: imported.predictions,
    format: imported.format,
    warnings: imported.report.warnings,
    rejected: imported.report.rejected.length,
  };
}

export interface ScoreSettings {
  iouThreshold: number;
  ignoreFramesWithoutPredictions: boolean;
}

export function scoreSettings(args: ParsedArgs): ScoreSettings {
  const iou = flagNumber(args, 'iou') ?? 0.5;
  if (iou < 0 || iou > 1) throw new UsageError(`--iou must be within 0..1; got ${iou}`);
  return { iouThreshold: iou, ignoreFramesWithoutPredictions: args.flags.has('ignore-frames-without-predictions') };
}

export interface Scored {
  prepared: ActivePrepared;
  score: ActiveScore;
}

/** The evaluation the Model pages show: prepareActive with its defaults, scored at the settings. */
export function scoreRun(opened: Opened, predictions: readonly Prediction[], settings: ScoreSettings): Scored {
  const prepared = prepareActive(opened.kernels, opened.project, predictions);
  return { prepared, score: scoreActive(prepared, settings) };
}

/**
 * TIDE of the run (tidecv's analysis on the project's COCO translation, as the page's COCO worker runs it), or
 * undefined when the run has no object predictions or TIDE cannot run on it (said on stderr).
 */
export function runTide(opened: Opened, predictions: readonly Prediction[], command: string): TideSummary | undefined {
  if (!predictions.some((p) => p.shape.kind !== 'classification')) return undefined;
  try {
    return tideSummary(opened.kernels, opened.project, predictions);
  } catch (error) {
    console.error(`predlens ${command}: no TIDE types: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}
