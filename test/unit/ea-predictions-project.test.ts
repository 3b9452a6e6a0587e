// The EA predictions/ folder read against the real ea-mini project (readProject), and every prediction passes
// the shared validation every import ends with.
import { describe, expect, it } from 'vitest';
import { eaPredictionsReader } from '../../src/core/formats/ea-predictions.ts';
import { validatePredictions } from '../../src/core/formats/validate.ts';
import { readProject } from '../../src/core/project/read.ts';
import { SubTree } from '../../src/core/file-tree.ts';
import { NodeTree } from '../../src/files/node-fs.ts';
import type { Kernels } from '../../src/kernels/wasm.ts';
import { fixture } from '../fixtures.ts';

const noKernels = undefined as unknown as Kernels;

describe('EA predictions/ on the ea-mini project', () => {
  it('reads the 6 predictions from the predictions/ folder alone, all valid for the project', async () => {
    const root = new NodeTree(fixture('ea-mini'));
    const project = await readProject(root);
    const { predictions, report } = await eaPredictionsReader.read(
      noKernels,
      project,
      new SubTree(root, 'predictions'),
      {},
    );
    expect(report.rejected).toEqual([]);
    expect(predictions.map((p) => [p.confidence, p.shape.kind])).toEqual([
      [0.95, 'mask'],
      [0.9, 'box'],
      [0.8, 'box'],
      [0.7, 'box'],
      [0.6, 'box'],
      [0.5, 'mask'],
    ]);
    const checked = validatePredictions(project, predictions, (i) => ({ file: 'predictions.csv', record: i }));
    expect(checked.rejected).toEqual([]);
    expect(checked.predictions).toHaveLength(6);
  });
});
