// Comparing two runs the Encord Active way: with every frame drawn once the re-scoring gives EA's own numbers (the
// ea-mini worked example, EA v0.1.40's answers); a subset of frames gives scoreActive on a project of just those
// frames; the bootstrap's properties hold; classes predicted by one run only are flagged.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { prepareActive, scoreActive } from '../../src/core/eval/active/index.ts';
import { ActivePair } from '../../src/core/eval/compare/active.ts';
import { ActiveWeighted } from '../../src/core/eval/compare/active-weighted.ts';
import type { Prediction } from '../../src/core/model.ts';
import { projectFromUnits } from '../../src/core/project/assemble.ts';
import { readPklBytes } from '../../src/core/formats/pkl.ts';
import { readProject } from '../../src/core/project/read.ts';
import { NodeTree } from '../../src/files/node-fs.ts';
import { loadKernels } from '../../src/kernels/node.ts';
import { fixture } from '../fixtures.ts';
import { EA_MINI, reference } from './active-ea-mini.ts';
import { syntheticProject } from '../../scripts/synthetic-project.ts';

const kernels = await loadKernels();
const miniProject = await readProject(new NodeTree(EA_MINI));
const mini = readPklBytes(
  kernels,
  miniProject,
  readFileSync(fixture('ea-mini', 'predictions.pkl')),
  'predictions.pkl',
).predictions;

describe('EA re-scoring with every frame drawn once', () => {
  it("ea-mini: EA v0.1.40's own mAP, mAR and per-class AP / AR, with and without ignored frames", () => {
    const prepared = prepareActive(kernels, miniProject, mini);
    const identity = Int32Array.from(prepared.frames, (_, i) => i);
    const ones = new Int32Array(prepared.frames.length).fill(1);
    for (const ref of reference.results.filter((r) => !r.extra_probe)) {
      const score = scoreActive(prepared, {
        iouThreshold: ref.iou_threshold,
        ignoreFramesWithoutPredictions: ref.ignore_frames_without_predictions,
      });
      const w = new ActiveWeighted(prepared, score, identity).scores(ones);
      expect(w.mAP).toBe(ref.mAP);
      expect(w.mAR).toBe(ref.mAR);
      for (const [name, { AP, AR }] of Object.entries(ref.per_class)) {
        const c = prepared.classes.findIndex((k) => k.name === name);
        expect(w.AP[c]).toBe(AP);
        expect(w.AR[c]).toBe(AR);
      }
    }
  });

  it('a 20,000-prediction synthetic run: scoreActive to the last bit at five thresholds', () => {
    const { project, predictions } = syntheticProject(20_000, 77);
    const prepared = prepareActive(kernels, project, predictions);
    const identity = Int32Array.from(prepared.frames, (_, i) => i);
    const ones = new Int32Array(prepared.frames.length).fill(1);
    for (const iouThreshold of [0.1, 0.5, 0.7, 0.85, 0.95]) {
      for (const ignoreFramesWithoutPredictions of [false, true]) {
        const score = scoreActive(prepared, { iouThreshold, ignoreFramesWithoutPredictions });
        const w = new ActiveWeighted(prepared, score, identity).scores(ones);
        expect(w.mAP).toBe(score.mAP);
        expect(w.mAR).toBe(score.mAR);
        expect([...w.AP]).toEqual(score.perClass.map((c) => c.AP));
        expect([...w.AR]).toEqual(score.perClass.map((c) => c.AR));
      }
    }
  });
});

describe('ActivePair', () => {
  const { project, predictions } = syntheticProject(6_000, 31);
  const units = project.dataUnits;
  // B: the same model, another jitter of the scores, and it never ran on the last 30 % of the images.
  const covered = new Set(units.slice(0, Math.floor(units.length * 0.7)).map((u) => u.dataHash));
  const predictionsB: Prediction[] = predictions
    .filter((p) => covered.has(p.dataHash))
    .map((p, i) => ({ ...p, confidence: Math.round(((p.confidence * 7 + (i % 13) / 13) % 1) * 1e4) / 1e4 }));
  const a = prepareActive(kernels, project, predictions);
  const b = prepareActive(kernels, project, predictionsB);
  const pair = new ActivePair(a, b);

  it('compares only the frames both runs cover, and its numbers are scoreActive on a project of just those', () => {
    const s = pair.score({ iouThreshold: 0.5 });
    expect(s.coverage.onlyA).toBeGreaterThan(0);
    expect(s.coverage.onlyB).toBe(0);
    const comparedUnits = new Set(
      pair.frames.filter((_, u) => s.compared[u]).map((f) => project.dataUnits[f.dataUnitIndex].dataHash),
    );
    expect(comparedUnits.size).toBe(s.coverage.compared);
    const sub = projectFromUnits(
      project.ontology,
      units.filter((u) => comparedUnits.has(u.dataHash)),
    );
    const only = (ps: Prediction[]) => ps.filter((p) => comparedUnits.has(p.dataHash));
    const refA = scoreActive(prepareActive(kernels, sub, only(predictions)), { iouThreshold: 0.5 });
    const refB = scoreActive(prepareActive(kernels, sub, only(predictionsB)), { iouThreshold: 0.5 });
    expect(s.a.mAP).toBe(refA.mAP);
    expect(s.b.mAP).toBe(refB.mAP);
    expect(s.a.mAR).toBe(refA.mAR);
    expect([...s.b.AP]).toEqual(refB.perClass.map((c) => c.AP));
  });

  it('the bootstrap over frames: intervals hold the differences, same seed same answer', () => {
    const s = pair.score({ iouThreshold: 0.6, ignoreFramesWithoutPredictions: true });
    const d = pair.differences(s, { resamples: 200 });
    expect(d.bootstrap).toMatchObject({ resamples: 200, seed: 1, unit: 'frame', units: s.coverage.compared });
    for (const x of [d.mAP, d.mAR, ...d.perClass.flatMap((c) => [c.AP, c.AR])]) {
      if (Number.isNaN(x.delta)) continue;
      expect(x.ci[0]).toBeLessThanOrEqual(x.delta);
      expect(x.ci[1]).toBeGreaterThanOrEqual(x.delta);
    }
    expect(pair.differences(s, { resamples: 200 })).toEqual(d);
    // Taken in chunks (as the worker does, giving way between them), the answer is the same.
    const run = pair.differencesIn(s, { resamples: 200, chunk: 30 });
    const steps: unknown[] = [];
    for (let step = run.next(); ; step = run.next()) {
      steps.push(step.value);
      if (step.done) break;
    }
    expect(steps.slice(0, -1)).toEqual([30, 60, 90, 120, 150, 180]);
    expect(steps.at(-1)).toEqual(d);
  });

  it('a run against itself: zeros, and a class only one run predicts is flagged', () => {
    const self = new ActivePair(a, prepareActive(kernels, project, predictions));
    const s = self.score({ iouThreshold: 0.5 });
    const d = self.differences(s, { resamples: 100 });
    expect(d.mAP).toMatchObject({ delta: 0, ci: [0, 0], pBetter: 0 });
    for (const c of d.perClass) if (!Number.isNaN(c.AP.a)) expect(c.AP.ci).toEqual([0, 0]);
    const dropped = project.ontology.objects[3].featureNodeHash;
    const without = new ActivePair(
      a,
      prepareActive(
        kernels,
        project,
        predictions.filter((p) => p.featureHash !== dropped),
      ),
    );
    const flagged = without.differences(without.score({ iouThreshold: 0.5 }), { resamples: 10 }).perClass;
    expect(flagged.filter((c) => c.onlyIn).map((c) => [c.featureHash, c.onlyIn])).toEqual([[dropped, 'a']]);
  });
});
