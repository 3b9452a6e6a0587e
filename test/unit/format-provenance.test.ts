// Rejections raised by the final shared validation pass name the source file and its line or record (they used
// to name "<tree> (<reader> reader output)" and an index into the reader's output), and every message says how
// it counts: lines from 1, list records from 0.
import { describe, expect, it } from 'vitest';
import { loadKernels } from '../../src/kernels/node.ts';
import { MemoryTree } from '../../src/core/file-tree.ts';
import { formatProblem, importPredictions } from '../../src/core/formats/index.ts';
import { CAT, COCO_RESULT, eaMini, IMG_A, KITTI_FILE, KITTI_ROW, YOLO_ROW } from '../malformed/samples.ts';

const kernels = await loadKernels();

describe('provenance of rejections from the shared validation', () => {
  it('YOLO: a box for a polygon class names the file and its 1-based line', async () => {
    const tree = new MemoryTree('run', { 'street_a.txt': `${YOLO_ROW}\n\n1 0.5 0.5 0.2 0.2 0.9\n` });
    const { predictions, report } = await importPredictions(kernels, eaMini, tree, 'yolo');
    expect(predictions).toHaveLength(1);
    expect(report.rejected).toEqual([
      {
        file: 'street_a.txt',
        record: 3,
        code: 'shape_mismatch',
        reason: `a box was given for class ${CAT}, which is a polygon`,
      },
    ]);
    expect(formatProblem(report.rejected[0])).toBe(
      `street_a.txt, line 3: a box was given for class ${CAT}, which is a polygon`,
    );
  });

  it('COCO results: a box entirely outside the image names the file and its 0-based record', async () => {
    const results = [COCO_RESULT, { ...COCO_RESULT, bbox: [150, 10, 20, 20] }];
    const tree = new MemoryTree('run', { 'results.json': JSON.stringify(results) });
    const { report } = await importPredictions(kernels, eaMini, tree, 'coco');
    expect(report.rejected.map((p) => [p.file, p.record, p.code])).toEqual([['results.json', 1, 'out_of_bounds']]);
    expect(formatProblem(report.rejected[0])).toMatch(/^results\.json, record 1 \(0-based\): bounding box x = 1\.5/);
  });

  it('KITTI: a box mapped to a polygon class is refused with its file and line, not only warned about', async () => {
    const tree = new MemoryTree('run', { [KITTI_FILE]: `${KITTI_ROW}\n${KITTI_ROW.replace('Car', 'Cat')}\n` });
    const { predictions, report } = await importPredictions(kernels, eaMini, tree, 'kitti');
    expect(predictions.map((p) => p.dataHash)).toEqual([IMG_A]);
    expect(report.rejected).toEqual([
      {
        file: KITTI_FILE,
        record: 2,
        code: 'shape_mismatch',
        reason: "KITTI class 'Cat' is mapped to Cat, a polygon object; a KITTI box needs a bounding-box class",
      },
    ]);
    expect(report.warnings.join('\n')).toContain(
      'KITTI boxes were mapped to objects that are not bounding boxes (rows rejected): Cat',
    );
  });
});
