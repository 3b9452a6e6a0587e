// numpy text scalars (np.str_ / np.bytes_, which pydantic v1 keeps as numpy scalars) and int64 values beyond 2^53
// in real pickles made by CPython + numpy (scripts/fixtures/make_pickles.py): the text decodes to what Python
// holds, and each unusable big integer refuses its own record only, never the file.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, REPO_ROOT } from '../fixtures.ts';
import { loadKernels } from '../../src/kernels/node.ts';
import { readProject } from '../../src/core/project/read.ts';
import { NodeTree } from '../../src/files/node-fs.ts';
import { readPklBytes } from '../../src/core/formats/pkl.ts';
import { decodePickle, PyInstance } from '../../src/core/formats/pickle/index.ts';

const kernels = await loadKernels();
const eaMini = await readProject(new NodeTree(fixture('ea-mini')));
const local = (name: string) => readFileSync(resolve(REPO_ROOT, 'test/fixtures/pkl', name));
const expected = JSON.parse(readFileSync(resolve(REPO_ROOT, 'test/fixtures/pkl/numpy_text.expected.json'), 'utf8'));

describe.each(['numpy_text_p4', 'numpy_text_p2'])('%s.pkl', (name) => {
  const file = `${name}.pkl`;
  const result = readPklBytes(kernels, eaMini, local(file), file);

  it("decodes numpy str and bytes scalars to Python's strings", () => {
    const decoded = decodePickle(local(file)) as PyInstance[];
    expect(decoded.map((p) => p.dict.get('data_hash'))).toEqual([
      expected.predictions[0].data_hash,
      new TextEncoder().encode(expected.predictions[1].data_hash),
      expected.predictions[2].data_hash,
      expected.predictions[3].data_hash,
      expected.predictions[4].data_hash,
      expected.predictions[5].data_hash,
      expected.predictions[6].data_hash,
      expected.predictions[7].data_hash,
    ]);
    expect((decoded[1].dict.get('object') as PyInstance).dict.get('track_id')).toBe('t-7');
    expect(decoded[1].dict.get('confidence')).toBe(0.8);
  });

  it('imports the text-keyed records and refuses each big-integer or text-array record alone', () => {
    expect(result.predictions.map((p) => [p.dataHash, p.confidence, p.trackId])).toEqual([
      [expected.predictions[0].data_hash, 0.9, undefined],
      [expected.predictions[1].data_hash, 0.8, 't-7'],
      [expected.predictions[6].data_hash, 0.4, undefined],
    ]);
    expect(result.report.rejected.map((p) => [p.record, p.code])).toEqual([
      [2, 'bad_record'],
      [3, 'frame_out_of_range'],
      [4, 'frame_out_of_range'],
      [5, 'bad_record'],
      [7, 'out_of_bounds'],
    ]);
    const reasons = result.report.rejected.map((p) => p.reason);
    expect(reasons[0]).toBe('data holds the int64 value 1152921504606846976, beyond 2^53: it cannot be used exactly');
    expect(reasons[1]).toBe(`frame is ${2n ** 60n} (beyond 2^53, not usable exactly), expected an int or None`);
    expect(reasons[2]).toBe(`frame is ${2n ** 62n + 1n} (beyond 2^53, not usable exactly), expected an int or None`);
    expect(reasons[3]).toBe('data is a numpy array of text (dtype <U1)');
    expect(result.report.rejected.every((p) => p.file === file)).toBe(true);
  });
});
