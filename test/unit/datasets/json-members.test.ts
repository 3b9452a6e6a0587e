// Reading a COCO file in pieces gives what JSON.parse gives for the whole text, wherever the pieces are cut
// (inside names, strings, escapes, numbers); polygons come back packed but equal; a file that is not JSON is named
// with its line and column, as a whole-text parse names it.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryTree, type FileTree } from '../../../src/core/file-tree.ts';
import { JsonMembers } from '../../../src/core/datasets/json-members.ts';
import { readCocoJson } from '../../../src/core/datasets/coco-json.ts';
import { DATASETS } from './helpers.ts';

/** A tree that hands a file over in pieces of `size` bytes. */
function piecewise(files: Record<string, string>, size: number): FileTree {
  const base = new MemoryTree('pieces', files);
  return Object.assign(base, {
    async *stream(path: string) {
      const bytes = await base.readBytes(path);
      for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
    },
  });
}

const tricky = JSON.stringify({
  'na"me': 'a ] } [ { , string \\ with " quotes',
  images: [{ id: 1, file_name: 'x [1].png', width: 4, height: 4 }],
  annotations: [
    { id: 1, image_id: 1, category_id: 1, bbox: [0, 0, 1, 1], area: 1, iscrowd: 0, segmentation: [[0, 0, 1, 0, 1, 1]] },
    {
      id: 2,
      image_id: 1,
      category_id: 1,
      bbox: [0, 0, 1, 1],
      area: 1,
      iscrowd: 1,
      segmentation: { size: [4, 4], counts: [0, 16] },
    },
    { id: 3, image_id: 1, category_id: 1, bbox: [0, 0, 1, 1], area: 1, iscrowd: 0, note: '}]}"\u00e9\ud83d\ude00' },
  ],
  categories: [{ id: 1, name: 'c' }],
  info: { nested: [[[]]], text: '\\"' },
});

describe('JSON read in pieces', () => {
  it.each([1, 2, 3, 7, 64, 1 << 20])('the fixture file and a tricky one, pieces of %d bytes', async (size) => {
    for (const text of [
      readFileSync(resolve(DATASETS, 'coco-official/annotations/instances_val2017.json'), 'utf8'),
      tricky,
    ]) {
      const got = await readCocoJson(piecewise({ 'a.json': text }, size), 'a.json');
      expect(got).toEqual(JSON.parse(text));
    }
  });

  it('hands over elements in batches and keeps the other members', () => {
    const batches: string[][] = [];
    const m = new JsonMembers(['a'], (_k, e) => batches.push(e), 10);
    m.push('{"a": [ {"x": 1}, {"x": [2, 3]} ,4,"s"], "b": {"c": [1]}, "d": null}');
    const rest = m.end();
    expect(batches.flat()).toEqual(['{"x": 1}', '{"x": [2, 3]}', '4', '"s"']);
    expect(Object.fromEntries(rest)).toEqual({ b: { c: [1] }, d: null });
  });

  it.each([
    ['{"images": [', /a\.json:1:\d+: invalid JSON/],
    ['{"annotations": [{"id": 1,}]}', /a\.json:1:\d+: invalid JSON/],
    ['{"annotations": [], "annotations": [1]}', null],
    ['[1, 2]', null],
  ])('%s', async (text, error) => {
    const read = readCocoJson(piecewise({ 'a.json': text }, 4), 'a.json');
    if (error) await expect(read).rejects.toThrow(error);
    else expect(await read).toEqual(JSON.parse(text));
  });
});
