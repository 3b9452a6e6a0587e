// TIDE against tidecv 1.0.1 itself (answers in test/fixtures/tide/, made by scripts/fixtures/tide/
// make-references.sh): the base AP, the six main dAPs, the two special ones and the error counts to 1e-6 (they
// agree to the last bit), every class's AP before and after each fix, and every detection's outcome, error type,
// target and fixer role and every label's match, false-negative and Miss flags, on the shared COCO fixtures and on
// the generated cases that hit each rule of the spec marked ⚑.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { caseFileText, tideCases } from '../../scripts/fixtures/tide/cases.ts';
import {
  errorOfCode,
  MAIN_ERRORS,
  SPECIAL_ERRORS,
  tideEvaluate,
  type TideMode,
  type TideResult,
} from '../../src/core/eval/tide/index.ts';
import { formatTideSummary } from '../../src/core/eval/tide/print.ts';
import { loadKernels } from '../../src/kernels/node.ts';
import { fixture, REPO_ROOT } from '../fixtures.ts';

const kernels = await loadKernels();
const ANSWERS = resolve(REPO_ROOT, 'test/fixtures/tide');
const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');
const OUTCOMES = ['dropped', 'TP', 'FP', 'ignored'];

interface Answer {
  name: string;
  mode: TideMode;
  inputs: { gt_sha256: string; dt_sha256: string };
  ap: number;
  main: Record<string, number>;
  special: Record<string, number>;
  fixedMAP: Record<string, number>;
  nothingFixedMAP: number;
  counts: Record<string, number>;
  summarize: string;
  classes: {
    id: number;
    ap: number;
    groundTruth: number;
    points: number;
    fixed: Record<string, number | null>;
    falsePos: number | null;
    falseNeg: number | null;
  }[];
  detections: {
    outcome: string;
    error: string | null;
    target: number | null;
    matched: number | null;
    fixer: boolean;
    suppressor?: number;
  }[];
  groundTruth: { crowd: boolean; matched: number | null; falseNegative: boolean; miss: boolean }[];
}

const answer = (file: string): Answer => JSON.parse(readFileSync(resolve(ANSWERS, file), 'utf8'));

function expectSameAsTidecv(r: TideResult, ref: Answer) {
  expect(r.ap).toBeCloseTo(ref.ap, 6);
  for (const t of MAIN_ERRORS) {
    expect(r.main[t], t).toBeCloseTo(ref.main[t], 6);
    expect(r.fixedMAP[t], `mAP with ${t} fixed`).toBeCloseTo(ref.fixedMAP[t], 6);
    expect(r.counts[t], `${t} count`).toBe(ref.counts[t]);
  }
  for (const s of SPECIAL_ERRORS) expect(r.special[s], s).toBeCloseTo(ref.special[s], 6);
  expect(r.nothingFixedMAP).toBeCloseTo(ref.nothingFixedMAP, 6);
  // tide.summarize()'s printout, character for character.
  expect(formatTideSummary(r, 'run').join('\n') + '\n').toBe(ref.summarize);
  // Bit-exact in practice: the same operations in the same order.
  expect([r.ap, ...MAIN_ERRORS.map((t) => r.main[t])]).toEqual([ref.ap, ...MAIN_ERRORS.map((t) => ref.main[t])]);

  // Classes in tidecv's order (the order of its mean), each AP before and after every fix.
  expect(r.classes.map((c) => c.categoryId)).toEqual(ref.classes.map((c) => c.id));
  r.classes.forEach((c, i) => {
    const rc = ref.classes[i];
    expect(c.ap, `class ${rc.id} AP`).toBeCloseTo(rc.ap, 9);
    expect(c.groundTruth).toBe(rc.groundTruth);
    expect(c.points).toBe(rc.points);
    for (const t of MAIN_ERRORS) {
      if (rc.fixed[t] === null) expect(c.fixedAP[t], `class ${rc.id} ${t}`).toBeNull();
      else expect(c.fixedAP[t], `class ${rc.id} ${t}`).toBeCloseTo(rc.fixed[t]!, 9);
    }
    const special = (v: number | null) => (v === null ? null : v - rc.ap);
    expect(c.special.FalsePos).toEqual(special(rc.falsePos));
    expect(c.special.FalseNeg).toEqual(special(rc.falseNeg));
  });

  // Every detection: what tidecv made of it.
  expect(r.detections.outcome.length).toBe(ref.detections.length);
  const got = ref.detections.map((_, d) => ({
    outcome: OUTCOMES[r.detections.outcome[d]],
    error: errorOfCode(r.detections.error[d]) ?? null,
    target: r.detections.target[d],
    fixer: r.detections.fixer[d] === 1,
    suppressor: r.detections.suppressor[d],
  }));
  const want = ref.detections.map((d) => ({
    outcome: d.outcome,
    error: d.error,
    target: d.target ?? d.matched ?? -1,
    fixer: d.fixer,
    suppressor: d.suppressor ?? -1,
  }));
  expect(got).toEqual(want);
  const labels = ref.groundTruth.map((_, g) => ({
    crowd: r.groundTruth.crowd[g] === 1,
    matched: r.groundTruth.matchedBy[g] < 0 ? null : r.groundTruth.matchedBy[g],
    falseNegative: r.groundTruth.falseNegative[g] === 1,
    miss: r.groundTruth.miss[g] === 1,
  }));
  expect(labels).toEqual(ref.groundTruth);
}

const readFixture = (...parts: string[]) => readFileSync(fixture(...parts));

describe('TIDE on the shared COCO fixtures equals tidecv', () => {
  const cases: [string, string, string, TideMode][] = [
    ['coco_bbox.json', 'bbox/gt.json', 'bbox/dt.json', 'bbox'],
    ['coco_segm_boxes.json', 'segm/gt.json', 'segm/dt_rle_with_bbox.json', 'bbox'],
    ['coco_segm_masks.json', 'segm/gt.json', 'segm/dt_rle.json', 'mask'],
  ];
  for (const [file, gtFile, dtFile, mode] of cases) {
    it(`${file} (${mode} mode)`, () => {
      const ref = answer(file);
      const gt = readFixture('coco', ...gtFile.split('/'));
      const dt = readFixture('coco', ...dtFile.split('/'));
      expect([sha256(gt), sha256(dt)]).toEqual([ref.inputs.gt_sha256, ref.inputs.dt_sha256]);
      const r = tideEvaluate(kernels, JSON.parse(gt.toString()), JSON.parse(dt.toString()), { mode });
      expectSameAsTidecv(r, ref);
    });
  }
});

describe('TIDE on the generated cases equals tidecv', () => {
  const cases = tideCases(kernels);
  const answered = readdirSync(ANSWERS).filter((f) => f.startsWith('case_'));
  it('every generated case has an answer and every answer a case', () => {
    expect(answered.sort()).toEqual(cases.map((c) => `case_${c.name}.json`).sort());
  });
  for (const c of cases) {
    it(`${c.name}: ${c.about}`, () => {
      const ref = answer(`case_${c.name}.json`);
      const gtText = caseFileText(c.gt);
      const dtText = caseFileText(c.dt);
      // The generator still writes the bytes tidecv was run on.
      expect([sha256(gtText), sha256(dtText)]).toEqual([ref.inputs.gt_sha256, ref.inputs.dt_sha256]);
      expect(c.mode).toBe(ref.mode);
      const r = tideEvaluate(kernels, JSON.parse(gtText), JSON.parse(dtText), { mode: c.mode });
      expectSameAsTidecv(r, ref);
    });
  }
});
