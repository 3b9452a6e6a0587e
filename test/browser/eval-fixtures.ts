// Inputs for the eval worker's browser tests: the ea-mini project (read from the shared fixtures over the test
// server) with its predictions.pkl read by the .pkl reader, and a deterministic synthetic project of 100,000 box
// predictions for the slider's round trip.
import { MemoryTree } from '../../src/core/file-tree.ts';
import { readPklBytes } from '../../src/core/formats/pkl.ts';
import type { Prediction, Project } from '../../src/core/model.ts';
import { readProject } from '../../src/core/project/read.ts';
import { loadKernels } from '../../src/kernels/browser.ts';

const EA_MINI_FILES = import.meta.glob('../fixtures/shared/ea-mini/**/*', {
  query: '?url',
  import: 'default',
  eager: true,
}) as Record<string, string>;

const PREFIX = '../fixtures/shared/ea-mini/';

export async function eaMini(): Promise<{ project: Project; predictions: Prediction[]; reference: EaMiniReference }> {
  const files: Record<string, Uint8Array> = {};
  await Promise.all(
    Object.entries(EA_MINI_FILES).map(async ([path, url]) => {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
      files[path.slice(PREFIX.length)] = new Uint8Array(await response.arrayBuffer());
    }),
  );
  const tree = new MemoryTree('ea-mini', files);
  const project = await readProject(tree);
  const imported = readPklBytes(await loadKernels(), project, files['predictions.pkl'], 'predictions.pkl');
  if (imported.report.rejected.length > 0)
    throw new Error(`ea-mini predictions.pkl: ${JSON.stringify(imported.report.rejected)}`);
  const reference = JSON.parse(new TextDecoder().decode(files['reference.json'])) as EaMiniReference;
  return { project, predictions: imported.predictions, reference };
}

export interface EaMiniReference {
  results: {
    iou_threshold: number;
    ignore_frames_without_predictions: boolean;
    mAP: number;
    mAR: number;
    per_class: Record<string, { AP: number; AR: number }>;
    predictions: { pidx: number; is_true_positive: boolean; false_positive_reason: string }[];
    labels_is_false_negative: Record<string, boolean>;
  }[];
}

/** mulberry32, so every run builds the same project. */
export { syntheticProject } from '../../scripts/synthetic-project.ts';
