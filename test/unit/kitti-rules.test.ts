// KITTI reading rules beyond the fixtures: normalised input, missing confidence, class-map directions, matching.
import { describe, expect, it } from 'vitest';
import { kittiReader, kittiClassLookup } from '../../src/core/formats/kitti.ts';
import { ClassMapError } from '../../src/core/formats/class-map.ts';
import { MemoryTree } from '../../src/core/file-tree.ts';
import type { Kernels } from '../../src/kernels/wasm.ts';
import { fixture } from '../fixtures.ts';
import { makeProject, readOntology } from './formats-b-project.ts';

const noKernels = undefined as unknown as Kernels;
const ontology = readOntology(fixture('kitti/ontology.json'));
const HASH = 'ae0ee924-98e3-4b1d-8c62-48a33cd6e76a';
const project = makeProject(ontology, [{ dataHash: HASH, width: 200, height: 100, title: 'img_7.png' }]);
const row = (cls: string, box: string, conf = '') => `${cls} 0 0 0 ${box} 0 0 0 0 0 0 0 ${conf}`.trim();

async function read(files: Record<string, string>, options = {}) {
  return kittiReader.read(noKernels, project, new MemoryTree('t', files), options);
}

describe('KITTI rules', () => {
  it('takes a file whose coordinates all lie in [0, 1] as normalised, with a notice', async () => {
    const { predictions, report } = await read({ [`labels/${HASH}__a.txt`]: row('Car', '0.1 0.2 0.5 0.6', '0.5') });
    expect(predictions[0].shape).toEqual({ kind: 'box', box: { x: 0.1, y: 0.2, w: 0.4, h: 0.39999999999999997 } });
    expect(report.warnings.join('\n')).toContain('already normalised');
  });

  it('refuses rows without a confidence, naming the line', async () => {
    const { predictions, report } = await read({
      [`labels/${HASH}__a.txt`]: `${row('Car', '1 2 3 4', '0.5')}\n${row('Car', '1 2 3 4')}\n`,
    });
    expect(predictions).toHaveLength(1);
    expect(report.rejected).toEqual([
      expect.objectContaining({ file: `labels/${HASH}__a.txt`, record: 2, code: 'missing_confidence' }),
    ]);
  });

  it('matches data hashes whatever their case, and refuses unknown hashes per file', async () => {
    const { predictions, report } = await read({
      [`labels/${HASH.toUpperCase()}__a.txt`]: row('Car', '10 10 20 20', '0.5'),
      'labels/00000000-0000-0000-0000-000000000000__b.txt': row('Car', '10 10 20 20', '0.5'),
    });
    expect(predictions.map((p) => p.dataHash)).toEqual([HASH]);
    expect(predictions[0].shape).toEqual({ kind: 'box', box: { x: 0.05, y: 0.1, w: 0.05, h: 0.1 } });
    expect(report.rejected).toEqual([expect.objectContaining({ code: 'unknown_data_hash' })]);
  });

  it('matches a file named after the data title', async () => {
    const { predictions } = await read({ 'labels/img_7.txt': row('Car', '10 10 20 20', '0.5') });
    expect(predictions).toHaveLength(1);
  });

  it('without any map, matches KITTI names to object names ignoring case, and says so', async () => {
    const { predictions, report } = await read({ [`labels/${HASH}__a.txt`]: row('pedestrian', '1 2 3 4', '0.5') });
    expect(predictions[0].featureHash).toBe('m62YLDpK');
    expect(report.warnings[0]).toContain('ignoring case');
  });

  it('accepts a --class-map in the kitti-name -> featureNodeHash direction', async () => {
    const { predictions, report } = await read(
      { [`labels/${HASH}__a.txt`]: row('bus', '1 2 3 4', '0.5') },
      { classMap: { bus: 'DP6gK92R' } },
    );
    expect(predictions[0].featureHash).toBe('DP6gK92R');
    expect(report.warnings[0]).toContain('maps KITTI class names to featureNodeHashes');
  });

  it('refuses a map whose keys resolve to nothing, naming them', () => {
    expect(() => kittiClassLookup(ontology, { Lorry: 'truck', Car: 'car' }, 'm.json')).toThrow(ClassMapError);
    expect(() => kittiClassLookup(ontology, { Lorry: 'truck' }, 'm.json')).toThrow(/"Lorry" is neither/);
  });

  it('reports non-numeric fields and inverted boxes per line', async () => {
    const { report } = await read({
      [`labels/${HASH}__a.txt`]: `${row('Car', '1 x 3 4', '0.5')}\n${row('Car', '5 2 3 4', '0.5')}`,
    });
    expect(report.rejected.map((r) => [r.record, r.code])).toEqual([
      [1, 'bad_number'],
      [2, 'bad_box'],
    ]);
  });

  it('clips a box reaching beyond the image to it, and counts it', async () => {
    const { predictions, report } = await read({ [`labels/${HASH}__a.txt`]: row('Car', '150 50 210 100.5', '0.5') });
    expect(predictions[0].shape).toEqual({ kind: 'box', box: { x: 0.75, y: 0.5, w: 0.25, h: 0.5 } });
    expect(report.warnings.join('\n')).toContain('1 box(es) reaching beyond their image were clipped to it');
  });

  it('is told apart from YOLO label folders', async () => {
    expect(await kittiReader.detect(new MemoryTree('k', { 'labels/a.txt': row('Car', '1 2 3 4', '0.5') }))).toBe(true);
    expect(await kittiReader.detect(new MemoryTree('y', { 'labels/a.txt': '0 0.5 0.5 0.1 0.1 0.9' }))).toBe(false);
  });
});
