// The paired bootstrap: the generator and numpy's percentile against stored answers; a resample's statistic against
// pycocotools on the image list with each image repeated as often as it was drawn; and the properties a user relies
// on (the interval holds the difference, the same seed gives the same answer, a run against itself gives zeros).
import { describe, expect, it } from 'vitest';
import { cocoEvaluate } from '../../src/core/eval/coco/index.ts';
import { forEachResample, summariseDifferences, Xoshiro128 } from '../../src/core/eval/compare/bootstrap.ts';
import { CocoWeighted } from '../../src/core/eval/compare/coco-weighted.ts';
import { compareCoco, CocoPair, resampleDifferences } from '../../src/core/eval/compare/coco.ts';
import { percentile } from '../../src/core/eval/compare/percentile.ts';
import { num, readCompare, readShared, reference } from './compare-helpers.ts';

const gt = readShared('coco', 'bbox', 'gt.json');
const runA = readShared('coco', 'bbox', 'dt.json');
const runB = readCompare('bbox_b.json');

describe('the generator and the percentile', () => {
  it('xoshiro128** seeded by SplitMix32 gives the documented outputs and resample counts', () => {
    for (const [seed, outputs] of Object.entries(reference.generator.outputs as Record<string, number[]>)) {
      const rng = new Xoshiro128(Number(seed));
      expect(outputs.map(() => rng.nextU32())).toEqual(outputs);
    }
    const { n, resamples, seed, counts } = reference.generator.counts;
    const got: number[][] = [];
    forEachResample(n, resamples, seed, (_, c) => got.push([...c]));
    expect(got).toEqual(counts);
    for (const c of got) expect(c.reduce((s, v) => s + v, 0)).toBe(n);
  });

  it("equals numpy.percentile (method 'linear') on stored vectors, value for value", () => {
    for (const { values, p, answers } of reference.percentile as {
      values: number[];
      p: number[];
      answers: number[];
    }[]) {
      expect(p.map((q) => percentile(values, q))).toEqual(answers);
    }
  });

  it('rejects what it cannot do instead of guessing', () => {
    expect(() => new Xoshiro128(-1)).toThrow(/seed/);
    expect(() => new Xoshiro128(1.5)).toThrow(/seed/);
    expect(() => percentile([], 50)).toThrow(/no values/);
    expect(() => percentile([1], 101)).toThrow(/0..100/);
    expect(() => forEachResample(3, 0, 1, () => undefined)).toThrow(/resamples/);
  });
});

describe('a resample is pycocotools on the resampled image list', () => {
  const ua = readCompare('bbox_unique_a.json');
  const ub = readCompare('bbox_unique_b.json');
  const evA = cocoEvaluate(undefined, gt, ua, { iouType: 'bbox' });
  const evB = cocoEvaluate(undefined, gt, ub, { iouType: 'bbox' });
  const wA = new CocoWeighted(evA.records());
  const wB = new CocoWeighted(evB.records());
  const imageIds = evA.params.imgIds;

  it('images repeated 0, 1, 2, 3 times: the 12 stats and per-category AP, bit for bit', () => {
    for (const set of reference.duplicated) {
      const weights = Int32Array.from(imageIds, (id) => set.weights[String(id)]);
      for (const [w, ref] of [
        [wA, set.a],
        [wB, set.b],
      ] as const) {
        const s = w.stats(weights);
        expect([...s.stats]).toEqual(ref.stats);
        evA.params.catIds.forEach((cat, k) => expect(s.perClass[k]).toBe(num(ref.perClass[String(cat)])));
      }
    }
  });

  it('20 resamples drawn with seed 1: the same counts, the stats of each, and the AP interval numpy gives', () => {
    const boot = reference.bootstrap;
    expect(imageIds).toEqual(boot.imageIds);
    const counts: number[][] = [];
    forEachResample(imageIds.length, 20, 1, (r, c) => {
      counts.push([...c]);
      expect([...wA.stats(c).stats]).toEqual(boot.a[r]);
      expect([...wB.stats(c).stats]).toEqual(boot.b[r]);
    });
    expect(counts).toEqual(boot.counts);
    const c = compareCoco(undefined, gt, ua, ub, { iouType: 'bbox', resamples: 20, allImages: true });
    expect(c.stats[0].ci).toEqual(boot.apPercentiles);
    expect(c.stats[0].resamples).toBe(20);
  });
});

describe('bootstrap properties', () => {
  const c = compareCoco(undefined, gt, runA, runB, { iouType: 'bbox' });

  it('1,000 resamples by default, seed 1, over the compared images', () => {
    expect(c.bootstrap).toMatchObject({ resamples: 1000, seed: 1, unit: 'image', units: c.coverage.compared });
  });

  it('every 95% interval holds its difference, and P(B > A) is a share of the resamples', () => {
    const checked = [...c.stats, ...c.perClass].filter((d) => !Number.isNaN(d.delta));
    expect(checked.length).toBeGreaterThan(12);
    for (const d of checked) {
      expect(d.ci[0]).toBeLessThanOrEqual(d.delta);
      expect(d.ci[1]).toBeGreaterThanOrEqual(d.delta);
      expect(d.ci[0]).toBeLessThan(d.ci[1]);
      expect(d.pBetter * d.resamples).toBeCloseTo(Math.round(d.pBetter * d.resamples), 9);
    }
    // B wins some classes and loses others here: the directions differ.
    expect(c.perClass.some((k) => k.pBetter > 0.9) || c.perClass.some((k) => k.pBetter < 0.1)).toBe(true);
  });

  it('the same seed gives the same answer; another seed moves the intervals, not the estimates', () => {
    const again = compareCoco(undefined, gt, runA, runB, { iouType: 'bbox' });
    expect(again.stats).toEqual(c.stats);
    expect(again.perClass).toEqual(c.perClass);
    const other = compareCoco(undefined, gt, runA, runB, { iouType: 'bbox', seed: 7 });
    expect(other.stats.map((d) => d.delta)).toEqual(c.stats.map((d) => d.delta));
    expect(other.stats.map((d) => d.ci)).not.toEqual(c.stats.map((d) => d.ci));
  });

  it('a run against itself: zero differences, [0, 0] intervals, P(B > A) 0, no changed labels or images', () => {
    const same = compareCoco(undefined, gt, runA, structuredClone(runA), { iouType: 'bbox' });
    for (const d of [...same.stats, ...same.perClass]) {
      if (Number.isNaN(d.a)) continue;
      expect(d.delta).toBe(0);
      expect(d.ci).toEqual([0, 0]);
      expect(d.pBetter).toBe(0);
    }
    expect(same.labels).toEqual({ fixed: [], broken: [] });
    expect(same.images).toEqual([]);
  });

  it('resamples computed in ranges (as two workers do) assemble into the same answer', () => {
    const pair = new CocoPair(undefined, gt, runA, runB, { iouType: 'bbox' });
    const plan = pair.plan({ resamples: 90 });
    const whole = pair.compare({ resamples: 90 });
    const run = (from: number, to: number) => {
      const steps = resampleDifferences(pair.weightedA, pair.weightedB, plan, from, to);
      for (let step = steps.next(); ; step = steps.next()) if (step.done) return step.value;
    };
    const assembled = pair.assemble(plan, [run(36, 90), run(0, 12), run(12, 36)]);
    expect(assembled.stats).toEqual(whole.stats);
    expect(assembled.perClass).toEqual(whole.perClass);
    expect(() => pair.assemble(plan, [run(0, 12)])).toThrow(/cover 12 of 90/);
  });

  it('resamples where a statistic is undefined are left out of its interval', () => {
    const d = summariseDifferences(0.5, 0.6, Float64Array.from([0.1, NaN, 0.2, -0.1, NaN]));
    expect(d.resamples).toBe(3);
    expect(d.pBetter).toBe(2 / 3);
    expect(d.ci).toEqual([percentile([0.1, 0.2, -0.1], 2.5), percentile([0.1, 0.2, -0.1], 97.5)]);
    expect(summariseDifferences(NaN, NaN, Float64Array.from([NaN])).ci).toEqual([NaN, NaN]);
  });
});
