// frPyObjects / annToRLE dispatch on JSON input: the same branches, results and errors as pycocotools 2.0.11.
import { describe, expect, it } from 'vitest';
import { loadKernels } from '../../src/kernels/node.ts';
import { rleFromPolygon, rleMerge, rleToString, type Rle } from '../../src/kernels/rle.ts';
import { annToRle, frPyObjects, PycocotoolsInputError } from '../../src/kernels/rle-objects.ts';

const k = await loadKernels();
const square = [0, 0, 0, 2, 2, 2, 2, 0];

function pythonError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(PycocotoolsInputError);
    return (e as PycocotoolsInputError).pythonError;
  }
  throw new Error('expected an error');
}

describe('frPyObjects branches', () => {
  it('polygons: one RLE per part; an odd coordinate count drops the last number', () => {
    const rles = frPyObjects(k, [square, [...square, 3]], 4, 4) as Rle[];
    expect(rles.map(rleToString)).toEqual(['02208', '02208']);
  });

  it('later parts may be short: only the first part decides the branch', () => {
    const rles = frPyObjects(k, [square, [0, 0, 3, 3]], 4, 4) as Rle[];
    expect(rles).toHaveLength(2);
    expect(rleToString(rles[1])).toBe(rleToString(rleFromPolygon(k, [0, 0, 3, 3], 4, 4)));
  });

  it('uncompressed RLE objects keep their own size, singly or in a list', () => {
    const one = frPyObjects(k, { size: [2, 3], counts: [1, 2, 3] }, 99, 99) as Rle;
    expect([one.h, one.w, Array.from(one.counts)]).toEqual([2, 3, [1, 2, 3]]);
    const list = frPyObjects(k, [{ size: [2, 3], counts: [6] }], 99, 99) as Rle[];
    expect(list).toHaveLength(1);
  });

  it('raises where pycocotools raises, naming the Python error', () => {
    expect(pythonError(() => frPyObjects(k, [], 4, 4))).toBe('IndexError: list index out of range');
    expect(pythonError(() => frPyObjects(k, square, 4, 4))).toBe("TypeError: object of type 'int' has no len()");
    expect(
      pythonError(() =>
        frPyObjects(
          k,
          [
            [0.5, 1],
            [1, 2],
            [2, 2],
            [3, 1],
          ],
          4,
          4,
        ),
      ),
    ).toMatch(/Argument 'bb'/);
    expect(
      pythonError(() =>
        frPyObjects(
          k,
          [
            [0, 0],
            [1, 2],
            [2, 2],
            [3, 1],
            [0, 1],
          ],
          4,
          4,
        ),
      ),
    ).toMatch(/wrong number of dimensions/);
    expect(pythonError(() => frPyObjects(k, [[1, 2]], 4, 4))).toBe('Exception: input type is not supported.');
    expect(pythonError(() => frPyObjects(k, 'abc', 4, 4))).toBe('Exception: input type is not supported.');
    expect(pythonError(() => frPyObjects(k, [square, ['a', 1, 2, 3, 4, 5]], 4, 4))).toMatch(/ValueError/);
  });
});

describe('annToRle', () => {
  it('merges polygon parts, converts list counts, and reads compressed strings with their own size', () => {
    const two = annToRle(k, [square, [2, 2, 2, 4, 4, 4, 4, 2]], 4, 4);
    const parts = [rleFromPolygon(k, square, 4, 4), rleFromPolygon(k, [2, 2, 2, 4, 4, 4, 4, 2], 4, 4)];
    expect(two).toEqual(rleMerge(k, parts));
    expect(annToRle(k, { size: [3, 4], counts: [3, 2, 6, 1] }, 99, 99)).toEqual({
      h: 3,
      w: 4,
      counts: Uint32Array.from([3, 2, 6, 1]),
    });
    expect(annToRle(k, { size: [3, 4], counts: '326O' }, 99, 99)).toEqual({
      h: 3,
      w: 4,
      counts: Uint32Array.from([3, 2, 6, 1]),
    });
    // a list of RLE objects of different sizes merges to the empty 0x0 mask, silently
    expect(
      annToRle(
        k,
        [
          { size: [2, 2], counts: [4] },
          { size: [2, 3], counts: [6] },
        ],
        9,
        9,
      ),
    ).toEqual({
      h: 0,
      w: 0,
      counts: new Uint32Array(0),
    });
  });

  it('rejects what annToRLE cannot read, with the reason', () => {
    expect(pythonError(() => annToRle(k, { size: [2, 2] }, 2, 2))).toBe("KeyError: 'counts'");
    expect(() => annToRle(k, { size: [2, 2], counts: [1, -3] }, 2, 2)).toThrow(/counts\[1\] = -3/);
    expect(pythonError(() => annToRle(k, 7, 2, 2))).toMatch(/TypeError/);
    expect(() => annToRle(k, [[0, 0, 1e9, 0, 1e9, 1e9]], 4, 4)).toThrow(/below 4e8/);
    expect(() => annToRle(k, [[0, 0, NaN, 0, 1, 1]], 4, 4)).toThrow(/finite/);
  });
});
