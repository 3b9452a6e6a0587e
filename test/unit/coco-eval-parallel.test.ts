// The split evaluation (core/eval/coco/parallel.ts): files read by the wasm scanner, categories spread over parts,
// arrays merged. Every number must be pycocotools' (the stored references) and bit-identical to one cocoEvaluate.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cocoEvaluate } from '../../src/core/eval/coco/index.ts';
import { evaluateCocoPart, mergeCocoParts, type CocoFileJob } from '../../src/core/eval/coco/parallel.ts';
import { readGroundTruthBytes, readResultsBytes } from '../../src/core/eval/coco/scan.ts';
import { loadKernels } from '../../src/kernels/node.ts';
import { fixture, REPO_ROOT } from '../fixtures.ts';
import { flatten, readJson } from './coco-eval-helpers.ts';

const run = promisify(execFile);
const kernels = await loadKernels();
const bytes = (...parts: string[]) => new Uint8Array(readFileSync(fixture(...parts)));
const text = new TextEncoder();

const cases = [
  ['coco/bbox', 'dt.json', 'bbox', 'reference_bbox.json', 'reference_bbox_arrays.json'],
  ['coco/segm', 'dt_rle.json', 'segm', 'reference_segm.json', 'reference_segm_arrays.json'],
  ['coco/segm', 'dt_rle_with_bbox.json', 'segm', 'reference_segm_with_bbox.json', undefined],
] as const;

function job(dir: string, dt: string, iouType: 'bbox' | 'segm'): CocoFileJob {
  const [a, b] = dir.split('/');
  return { gt: bytes(a, b, 'gt.json'), results: bytes(a, b, dt), gtSource: 'gt', resultsSource: dt, iouType };
}

const same = (a: Float64Array, b: Float64Array) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

describe('split COCO evaluation', () => {
  for (const [dir, dt, iouType, refFile, arraysFile] of cases) {
    it(`${dir}/${dt}: 1, 2 and 3 parts give pycocotools' stats and arrays, bit for bit`, () => {
      const ref = readJson(...dir.split('/'), refFile);
      const j = job(dir, dt, iouType);
      const whole = cocoEvaluate(
        kernels,
        JSON.parse(new TextDecoder().decode(j.gt)),
        JSON.parse(new TextDecoder().decode(j.results)),
        { iouType },
      );
      for (const n of [1, 2, 3]) {
        const parts = [...Array(n).keys()].map((i) => evaluateCocoPart(kernels, j, i, n));
        for (const p of parts) expect(p.ok, p.ok ? '' : p.reason).toBe(true);
        // Parts share the work: every category is evaluated by exactly one of them.
        const owners = parts.map((p) => (p.ok ? Array.from(p.owned) : []));
        expect(owners[0].map((_, k) => owners.reduce((s, o) => s + o[k], 0))).toEqual(owners[0].map(() => 1));
        const merged = mergeCocoParts(parts, false);
        expect(merged.stats).toEqual(ref.stats);
        expect(merged.printout).toEqual(ref.summarize_printout);
        expect(same(merged.precision, whole.precision)).toBe(true);
        expect(same(merged.recall, whole.recall)).toBe(true);
        expect(same(merged.scores, whole.scores)).toBe(true);
        expect(merged.perCategoryAP).toEqual(whole.perCategoryAP);
        expect(merged.warnings).toEqual(whole.warnings);
        if (arraysFile) {
          const arrays = readJson(...dir.split('/'), arraysFile);
          expect(Array.from(merged.precision)).toEqual(flatten(arrays.precision_TRKAM));
        }
      }
    });
  }

  it('reads the files to the same loaded objects as JSON.parse and the loaders', () => {
    const j = job('coco/segm', 'dt_rle.json', 'segm');
    const gt = readGroundTruthBytes(kernels, j.gt, 'gt')!;
    const parsed = cocoEvaluate(kernels, JSON.parse(new TextDecoder().decode(j.gt)), [], { iouType: 'bbox' }).gt;
    expect(gt.imageIds).toEqual(parsed.imageIds);
    expect([...gt.imageSize]).toEqual([...parsed.imageSize]);
    expect([...gt.categoryNames]).toEqual([...parsed.categoryNames]);
    expect(gt.annImageId).toEqual(parsed.annImageId);
    const results = readResultsBytes(kernels, gt, j.results, { deriveBoxes: true })!;
    const reference = cocoEvaluate(kernels, parsed, JSON.parse(new TextDecoder().decode(j.results)), {
      iouType: 'bbox',
    }).results;
    expect(results.branch).toBe(reference.branch);
    expect(same(results.score, reference.score)).toBe(true);
    expect(same(results.area, reference.area)).toBe(true);
    expect(same(results.bbox, reference.bbox)).toBe(true);
    expect(results.masks.map((m) => Array.from(m!.counts))).toEqual(reference.masks.map((m) => Array.from(m!.counts)));
  });

  it('reads numbers as JSON.parse does: beyond 15 digits, exponents, -0, escapes in RLE strings', () => {
    const gt = text.encode(
      JSON.stringify({
        images: [{ id: 1, width: 64, height: 48 }],
        categories: [{ id: 1, name: 'a\u00e9\\"' }],
      }).replace('"annotations"', '"annotations"'),
    );
    const loaded = readGroundTruthBytes(kernels, gt, 'gt')!;
    expect(loaded.categoryNames.get(1)).toBe('a\u00e9\\"');
    const values = ['0.1234567890123456789', '1e-7', '-0', '12345678901234567890', '2.5E+3', '0.30000000000000004'];
    const file = `[${values.map((v) => `{"image_id":1,"category_id":1,"bbox":[${v},${v},2,3],"score":${v}}`).join(',')}]`;
    const results = readResultsBytes(kernels, loaded, text.encode(file))!;
    values.forEach((v, i) => {
      expect(Object.is(results.score[i], JSON.parse(v))).toBe(true);
      expect(Object.is(results.bbox[4 * i], JSON.parse(v))).toBe(true);
    });
    // "\\" in a compressed RLE string is the character 92 ('\'), part of pycocotools' alphabet.
    const rle = { size: [48, 64], counts: 'PP\\1' };
    const seg = readResultsBytes(
      kernels,
      loaded,
      text.encode(JSON.stringify([{ image_id: 1, category_id: 1, score: 1, segmentation: rle }])),
    )!;
    const viaParse = cocoEvaluate(
      kernels,
      { images: [{ id: 1, width: 64, height: 48 }], categories: [{ id: 1 }] },
      [{ image_id: 1, category_id: 1, score: 1, segmentation: rle }],
      { iouType: 'segm' },
    ).results;
    expect(Array.from(seg.masks[0]!.counts)).toEqual(Array.from(viaParse.masks[0]!.counts));
  });

  it('leaves irregular files to the reference path (undefined), never guessing', () => {
    const gt = readGroundTruthBytes(kernels, bytes('coco', 'bbox', 'gt.json'), 'gt')!;
    const irregular = [
      '\ufeff[]', // a byte-order mark: JSON.parse refuses it
      '[{"image_id":"1","category_id":1,"bbox":[1,2,3,4],"score":1}]', // a string id
      '[{"image_id":1,"category_id":1,"bbox":[1,2,3,4],"score":1,"score":2}]', // a repeated key
      '[{"image_id":1,"category_id":1,"bbox":[1,2,3,4],"score":1}', // cut short
      '[{"image_id":1,"category_id":1,"bbox":[1,2,3,4],"score":1}] x', // trailing garbage
      '[{"image_id":1,"category_id":1,"bbox":[1,2,3,4],"score":01}]', // a leading zero
      '[{"image_id":1,"category_id":1,"caption":"x","score":1}]', // caption results
    ];
    for (const file of irregular) expect(readResultsBytes(kernels, gt, text.encode(file)), file).toBeUndefined();
    expect(readGroundTruthBytes(kernels, text.encode('{"images":[],"annotations":[{"id":1}]}'), 'gt')).toBeUndefined();
  });

  it("the CLI on 2 threads (worker_threads) prints the reference stats, and its errors are the reference path's", async () => {
    const env = { ...process.env, PREDLENS_THREADS: '2', PREDLENS_COCO_TIMING: '1' };
    for (const [dir, dt, iouType, refFile] of cases) {
      const [a, b] = dir.split('/');
      const { stdout, stderr } = await run(
        'node',
        ['bin/predlens.js', 'coco-eval', fixture(a, b, 'gt.json'), fixture(a, b, dt), '--iou-type', iouType, '--json'],
        { cwd: REPO_ROOT, env },
      );
      expect(JSON.parse(stdout).stats).toEqual(readJson(a, b, refFile).stats);
      // Both parts took the fast path (a worker that failed would have sent it to the reference path).
      const timing = JSON.parse(
        stderr
          .split('\n')
          .find((l) => l.startsWith('predlens-timing '))!
          .slice(16),
      );
      expect(timing.reference).toBeUndefined();
      expect(timing.parts).toHaveLength(2);
    }
    const bad = await run(
      'node',
      [
        'bin/predlens.js',
        'coco-eval',
        fixture('coco', 'bbox', 'gt.json'),
        fixture('coco', 'bbox', 'gt.json'),
        '--iou-type',
        'bbox',
      ],
      { cwd: REPO_ROOT, env },
    ).catch((err: { code: number; stderr: string }) => err);
    expect((bad as { code: number }).code).toBe(1);
    expect((bad as { stderr: string }).stderr).toMatch(/result 0 \(image_id 7\) has no numeric "score"/);
  });
});
