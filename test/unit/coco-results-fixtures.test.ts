// COCO results JSON on the shared COCO fixtures: every detection lands on the right data unit and ontology
// object, RLEs are kept as they are, multi-part polygons become the union mask pycocotools scores.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { cocoResultsReader } from '../../src/core/formats/coco-results.ts';
import { MemoryTree } from '../../src/core/file-tree.ts';
import { loadKernels } from '../../src/kernels/node.ts';
import type { Kernels } from '../../src/kernels/wasm.ts';
import type { Ontology } from '../../src/core/model.ts';
import { validatePredictions } from '../../src/core/formats/validate.ts';
import { fixture } from '../fixtures.ts';
import { makeProject } from './formats-b-project.ts';

interface Gt {
  images: { id: number; width: number; height: number; file_name: string }[];
  categories: { id: number; name: string }[];
}
const hashOf = (imageId: number) => `00000000-0000-4000-8000-${String(imageId).padStart(12, '0')}`;
const json = (path: string) => JSON.parse(readFileSync(fixture(path), 'utf8'));

function projectFor(gt: Gt, shape: string) {
  const ontology: Ontology = {
    objects: gt.categories.map((c) => ({
      id: String(c.id),
      name: c.name,
      color: '#000000',
      shape,
      featureNodeHash: `fh-${c.name}`,
      attributes: [],
    })),
    classifications: [],
  };
  return makeProject(
    ontology,
    gt.images.map((im) => ({ dataHash: hashOf(im.id), width: im.width, height: im.height, title: im.file_name })),
  );
}

let kernels: Kernels;
beforeAll(async () => {
  kernels = await loadKernels();
});

describe('COCO results, segm fixture (polygons and RLE)', () => {
  const gt = json('coco/segm/gt.json') as Gt;
  const dt = json('coco/segm/dt.json') as {
    image_id: number;
    category_id: number;
    score: number;
    segmentation: unknown;
  }[];
  const dtRle = json('coco/segm/dt_rle.json') as { segmentation: { counts: string } }[];
  const project = projectFor(gt, 'polygon');
  const size = new Map(gt.images.map((im) => [im.id, im]));
  const catName = new Map(gt.categories.map((c) => [c.id, c.name]));

  it('reads every detection of a declared category, with file names from the dataset file beside it', async () => {
    const tree = new MemoryTree('segm', {
      'dt.json': readFileSync(fixture('coco/segm/dt.json')),
      'gt.json': readFileSync(fixture('coco/segm/gt.json')),
    });
    expect(await cocoResultsReader.detect(tree)).toBe(true);
    const { predictions, report } = await cocoResultsReader.read(kernels, project, tree, {});
    const kept = dt.map((d, i) => ({ d, i })).filter(({ d }) => d.category_id !== 77);
    expect(predictions).toHaveLength(kept.length);
    expect(report.rejected.map((r) => [r.record, r.code])).toEqual(
      dt.flatMap((d, i) => (d.category_id === 77 ? [[i, 'unknown_class']] : [])),
    );
    let multi = 0;
    kept.forEach(({ d, i }, k) => {
      const p = predictions[k];
      const im = size.get(d.image_id)!;
      expect(p.dataHash).toBe(hashOf(d.image_id));
      expect(p.confidence).toBe(d.score);
      expect(p.featureHash).toBe(`fh-${catName.get(d.category_id)}`);
      const seg = d.segmentation;
      if (!Array.isArray(seg)) {
        expect(p.shape).toEqual({ kind: 'mask', mask: seg });
      } else if (seg.length === 1) {
        const xy = seg[0] as number[];
        expect(p.shape).toEqual({
          kind: 'polygon',
          points: Array.from({ length: xy.length / 2 }, (_, j) => [xy[2 * j] / im.width, xy[2 * j + 1] / im.height]),
        });
      } else {
        multi++;
        // the union pycocotools evaluates: dt_rle.json is dt.json converted by COCO.annToRLE
        expect(p.shape).toEqual({
          kind: 'mask',
          mask: { size: [im.height, im.width], counts: dtRle[i].segmentation.counts },
        });
      }
    });
    expect(multi).toBe(10);
    expect(validatePredictions(project, predictions, (i) => ({ file: 'dt.json', record: i })).rejected).toEqual([]);
    expect(report.warnings.join('\n')).toContain('10 multi-part polygon detection(s) became one mask each');
  });
});

describe('COCO results, bbox fixture', () => {
  it('normalises boxes by (W, H) and keeps the given pixel box', async () => {
    const gt = json('coco/bbox/gt.json') as Gt;
    const dt = json('coco/bbox/dt.json') as { image_id: number; category_id: number; bbox: number[]; score: number }[];
    const project = projectFor(gt, 'bounding_box');
    const size = new Map(gt.images.map((im) => [im.id, im]));
    const tree = new MemoryTree('bbox', {
      'results.json': readFileSync(fixture('coco/bbox/dt.json')),
      'instances.json': readFileSync(fixture('coco/bbox/gt.json')),
    });
    const { predictions, report } = await cocoResultsReader.read(kernels, project, tree, {});
    const declared = new Set(gt.categories.map((c) => c.id));
    const kept = dt.filter((d) => declared.has(d.category_id));
    expect(predictions).toHaveLength(kept.length);
    expect(report.rejected).toHaveLength(dt.length - kept.length);
    kept.forEach((d, k) => {
      const im = size.get(d.image_id)!;
      const [x, y, w, h] = d.bbox;
      expect(predictions[k].shape).toEqual({
        kind: 'box',
        box: { x: x / im.width, y: y / im.height, w: w / im.width, h: h / im.height },
      });
      expect(predictions[k].boxPx).toEqual({ x, y, w, h });
    });
    expect(validatePredictions(project, predictions, (i) => ({ file: 'results.json', record: i })).rejected).toEqual(
      [],
    );
    expect(report.warnings.join('\n')).toContain('(width, height) in that order (EA v0.1.40 swapped them)');
  });
});
