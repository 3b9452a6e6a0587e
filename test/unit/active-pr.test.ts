// classCurve against a literal transcription of EA v0.1.40's AP steps (spec §5.3): the envelope built by adding
// clipped differences until nothing changes, and searchsorted(side='left') with the "past the end → 0" cut.
// predlens takes the suffix maximum instead; this checks the two agree to the bit on many random TP sequences.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classCurve, curveScratch } from '../../src/core/eval/active/pr.ts';
import { EA_EPS, RECALL_THRESHOLDS } from '../../src/core/eval/active/numeric.ts';
import { numpySum } from '../../src/core/eval/pairwise-sum.ts';

function eaSteps(tp: number[], nLabels: number) {
  const n = tp.length;
  const rc: number[] = [];
  const pr: number[] = [];
  let cTP = 0;
  let cFP = 0;
  for (const t of tp) {
    cTP += t;
    cFP += 1 - t;
    rc.push(cTP / (nLabels + EA_EPS));
    pr.push(cTP / (cFP + cTP + EA_EPS));
  }
  for (;;) {
    const diff = pr.map((v, i) => (i + 1 < n ? Math.max(pr[i + 1] - v, 0) : 0));
    if (diff.every((d) => d === 0)) break;
    for (let i = 0; i < n; i++) pr[i] += diff[i];
  }
  const inds = [...RECALL_THRESHOLDS].map((r) => {
    let i = 0;
    while (i < n && rc[i] < r) i++;
    return i;
  });
  const max = Math.max(...inds);
  const numInds = max >= n ? inds.indexOf(max) : inds.length;
  const prec = new Float64Array(101);
  for (let k = 0; k < numInds; k++) prec[k] = pr[inds[k]];
  return { prec, AP: numpySum(prec) / 101, AR: rc[n - 1] };
}

function mine(tp: number[], nLabels: number) {
  const isTP = Uint8Array.from(tp);
  const out = new Float64Array(101);
  const r = classCurve(isTP, Int32Array.from(tp.keys()), 0, tp.length, nLabels, out, curveScratch(tp.length));
  return { prec: out, AP: r.AP, AR: r.AR };
}

describe('class AP/AR', () => {
  it('equals EA’s iterative envelope bit for bit on random TP sequences', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 0, max: 40 }),
        (tp, extra) => {
          const nLabels = tp.reduce((a, b) => a + b, 0) + extra || 1;
          const ea = eaSteps(tp, nLabels);
          const me = mine(tp, nLabels);
          expect([...me.prec]).toEqual([...ea.prec]);
          expect(me.AP).toBe(ea.AP);
          expect(me.AR).toBe(ea.AR);
        },
      ),
      { numRuns: 400, seed: 5150 },
    );
  });

  it('is 0 for a class with labels but no predictions, as EA', () => {
    const out = new Float64Array(101).fill(7);
    expect(classCurve(new Uint8Array(0), new Int32Array(0), 0, 0, 3, out, curveScratch(0))).toEqual({
      AP: 0,
      AR: 0,
      nTruePositives: 0,
    });
    expect(out.every((v) => v === 0)).toBe(true);
  });

  it('is 0 when no prediction is a true positive', () => {
    expect(mine([0, 0, 0], 2).AP).toBe(0);
  });

  it('reaches precision thresholds only where recall really gets to k·0.01 (7 of 20 does not reach 0.35000000000000003)', () => {
    const tp = Array.from({ length: 7 }, () => 1);
    const r = mine(tp, 20);
    expect(r.prec[34]).toBeGreaterThan(0);
    expect(r.prec[35]).toBe(0);
  });
});
