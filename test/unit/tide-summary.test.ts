// The failure summary and the likely-label-error gallery, built on TIDE and checked against tidecv's own answers:
// the costliest (class, type) pairs are those whose class AP tidecv's oracle raises most, and the gallery's
// missing labels and wrong classes are exactly the detections tidecv types Bkg (as FPs) and Cls.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tideCases } from '../../scripts/fixtures/tide/cases.ts';
import { MAIN_ERRORS, tideEvaluate } from '../../src/core/eval/tide/index.ts';
import { likelyLabelErrors } from '../../src/core/eval/tide/label-errors.ts';
import { costliestErrors } from '../../src/core/eval/tide/summary.ts';
import { loadKernels } from '../../src/kernels/node.ts';
import { REPO_ROOT } from '../fixtures.ts';

const kernels = await loadKernels();
const c = tideCases(kernels).find((x) => x.name === 'random_boxes_a')!;
const ref = JSON.parse(readFileSync(resolve(REPO_ROOT, 'test/fixtures/tide/case_random_boxes_a.json'), 'utf8'));
const r = tideEvaluate(kernels, c.gt, c.dt, { mode: 'bbox' });

describe('failure summary', () => {
  it("names the three (class, type) pairs tidecv's oracle says cost the most AP, with their counts", () => {
    const gains = ref.classes.flatMap((k: any) =>
      MAIN_ERRORS.map((t) => ({ id: k.id, t, gain: Math.max(0, (k.fixed[t] ?? 0) - k.ap) })),
    );
    gains.sort((a: any, b: any) => b.gain - a.gain);
    const worst = costliestErrors(r.classes, 3);
    expect(worst).toHaveLength(3);
    expect(worst.map((w) => [w.categoryId, w.type])).toEqual(gains.slice(0, 3).map((g: any) => [g.id, g.t]));
    for (const w of worst) {
      expect(w.dAP).toBeCloseTo(gains.find((g: any) => g.id === w.categoryId && g.t === w.type).gain, 9);
      expect(w.text).toMatch(new RegExp(`^class ${w.categoryId}: \\d+ .+, ${w.dAP.toFixed(1)} AP$`));
      const det = ref.detections.filter(
        (d: any, i: number) =>
          d.error === w.type &&
          (w.type === 'Cls' ? c.gt.annotations[d.target].category_id : c.dt[i].category_id) === w.categoryId,
      ).length;
      const miss = ref.groundTruth.filter(
        (g: any, i: number) => g.miss && c.gt.annotations[i].category_id === w.categoryId,
      ).length;
      expect(w.count).toBe(w.type === 'Miss' ? miss : det);
    }
  });
});

describe('likely label errors', () => {
  it("lists tidecv's Bkg false positives and Cls errors above the floor, most confident first, and loose labels", () => {
    const items = likelyLabelErrors(
      {
        outcome: r.detections.outcome,
        error: r.detections.error,
        confidence: Float64Array.from(c.dt, (d) => d.score),
        bestIou: r.detections.bestIou,
        otherIou: r.detections.otherIou,
        otherLabel: r.detections.otherLabel,
        className: (d) => String(c.dt[d].category_id),
        labelFalseNegative: r.groundTruth.falseNegative,
        labelBestIou: r.groundTruth.bestIou,
        labelBestSameIou: r.groundTruth.bestSameClassIou,
        labelOverlapBy: r.groundTruth.overlapBy,
        labelClassName: (l) => String(c.gt.annotations[l].category_id),
      },
      0.5,
    );
    const want = (test: (d: any, i: number) => boolean) =>
      ref.detections.flatMap((d: any, i: number) => (test(d, i) && c.dt[i].score >= 0.5 ? [i] : [])).sort();
    const got = (kind: string) =>
      items
        .filter((i) => i.kind === kind)
        .map((i) => i.detection)
        .sort();
    expect(got('missing-label')).toEqual(want((d) => d.error === 'Bkg' && d.outcome === 'FP'));
    expect(got('wrong-class')).toEqual(want((d) => d.error === 'Cls'));
    expect(got('missing-label').length).toBeGreaterThan(0);
    expect(got('wrong-class').length).toBeGreaterThan(0);
    for (let i = 1; i < items.length; i++) expect(items[i].confidence).toBeLessThanOrEqual(items[i - 1].confidence);
    // A loose box: a missed label whose best overlap with any prediction stays below 0.5, its class reaching 0.1.
    for (const item of items.filter((i) => i.kind === 'loose-box')) {
      expect(ref.groundTruth[item.label].falseNegative).toBe(true);
      expect(r.groundTruth.bestIou[item.label]).toBeLessThan(0.5);
      expect(r.groundTruth.bestSameClassIou[item.label]).toBeGreaterThanOrEqual(0.1);
      expect(item.reason).toContain('possibly a loose box');
    }
  });
});
