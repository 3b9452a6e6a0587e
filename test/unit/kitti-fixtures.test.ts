// Every KITTI fixture file, in both map layouts, gives exactly expected.json's predictions and errors.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kittiReader } from '../../src/core/formats/kitti.ts';
import type { Kernels } from '../../src/kernels/wasm.ts';
import { MemoryTree } from '../../src/core/file-tree.ts';
import { NodeTree } from '../../src/files/node-fs.ts';
import { validatePredictions } from '../../src/core/formats/validate.ts';
import { fixture } from '../fixtures.ts';
import { makeProject, readOntology } from './formats-b-project.ts';

const noKernels = undefined as unknown as Kernels; // KITTI needs none

interface ExpectedPrediction {
  line: number;
  data_hash: string;
  frame: number;
  feature_hash: string;
  x: number;
  y: number;
  w: number;
  h: number;
  confidence: number;
}
interface ExpectedFile {
  data_hash: string;
  percent_file: boolean;
  predictions: ExpectedPrediction[];
  errors: { line: number; error: string; class_name: string }[];
}

const expected = JSON.parse(readFileSync(fixture('kitti/expected.json'), 'utf8')) as {
  files: Record<string, ExpectedFile>;
};
const units = JSON.parse(readFileSync(fixture('kitti/data_units.json'), 'utf8')) as Record<
  string,
  { width: number; height: number; data_title: string }
>;
const project = makeProject(
  readOntology(fixture('kitti/ontology.json')),
  Object.entries(units).map(([dataHash, u]) => ({ dataHash, width: u.width, height: u.height, title: u.data_title })),
);

function close(actual: number, wanted: number) {
  expect(Math.abs(actual - wanted)).toBeLessThanOrEqual(1e-12);
}

describe.each(['documented', 'name_keyed'])('KITTI fixtures, %s layout', (layout) => {
  it('reads every file as expected.json says, file by file', async () => {
    for (const [name, want] of Object.entries(expected.files)) {
      // One file per import, so each file's predictions and errors are checked on their own.
      const root = fixture('kitti', layout);
      const tree = new MemoryTree('one', {
        'ontology_label_map.json': readFileSync(`${root}/ontology_label_map.json`),
        [`labels/${name}`]: readFileSync(`${root}/labels/${name}`),
      });
      const { predictions, report } = await kittiReader.read(noKernels, project, tree, {});
      expect(predictions.length, name).toBe(want.predictions.length);
      expect(report.imported).toBe(predictions.length);
      predictions.forEach((p, i) => {
        const e = want.predictions[i];
        expect(p.dataHash).toBe(e.data_hash);
        expect(p.frame).toBe(e.frame);
        expect(p.featureHash).toBe(e.feature_hash);
        expect(p.shape.kind).toBe('box');
        if (p.shape.kind !== 'box') return;
        close(p.shape.box.x, e.x);
        close(p.shape.box.y, e.y);
        close(p.shape.box.w, e.w);
        close(p.shape.box.h, e.h);
        close(p.confidence, e.confidence);
      });
      expect(
        report.rejected.map((r) => ({ file: r.file, line: r.record, code: r.code })),
        name,
      ).toEqual(want.errors.map((e) => ({ file: `labels/${name}`, line: e.line, code: e.error })));
      for (const e of want.errors) {
        expect(report.rejected.find((r) => r.record === e.line)!.reason).toContain(`'${e.class_name}'`);
      }
      expect(
        report.warnings.some((w) => w.startsWith('percent confidences divided by 100')),
        name,
      ).toBe(want.percent_file);
    }
  });

  it('reads the whole folder at once and says how the map is keyed', async () => {
    const { predictions, report } = await kittiReader.read(
      noKernels,
      project,
      new NodeTree(fixture('kitti', layout)),
      {},
    );
    const total = Object.values(expected.files).reduce((n, f) => n + f.predictions.length, 0);
    expect(predictions).toHaveLength(total);
    expect(report.rejected).toHaveLength(1);
    expect(validatePredictions(project, predictions, () => ({ file: 'kitti' })).rejected).toEqual([]);
    expect(report.warnings[0]).toContain(
      layout === 'documented' ? 'keyed by featureNodeHash' : 'keyed by ontology object name',
    );
  });

  it('is detected', async () => {
    expect(await kittiReader.detect(new NodeTree(fixture('kitti', layout)))).toBe(true);
  });
});
