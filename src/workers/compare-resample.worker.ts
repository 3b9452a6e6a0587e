// A helper of the compare worker: re-accumulates both runs' COCO match records over a range of bootstrap resamples,
// so the COCO bootstrap uses a second core (resamples are independent: core/eval/compare/coco.ts
// resampleDifferences). The compare worker starts it, sends the records once, and asks for ranges.
import * as Comlink from 'comlink';
import type { CocoMatchRecords } from '../core/eval/coco/index.ts';
import { resampleDifferences, type ResampledDifferences } from '../core/eval/compare/coco.ts';
import { CocoWeighted } from '../core/eval/compare/coco-weighted.ts';

let weighted: { a: CocoWeighted; b: CocoWeighted } | undefined;

const api = {
  /** Both runs' match records (the re-accumulation's input), kept for the ranges that follow. */
  load(a: CocoMatchRecords, b: CocoMatchRecords): void {
    weighted = { a: new CocoWeighted(a), b: new CocoWeighted(b) };
  },

  /** B - A on resamples from..to-1 of the plan (the same resamples the compare worker would draw). */
  range(
    plan: { units: Int32Array; images: number; seed: number; resamples: number },
    from: number,
    to: number,
  ): ResampledDifferences {
    if (!weighted) throw new Error('no match records in this helper: call load() first');
    const run = resampleDifferences(weighted.a, weighted.b, plan, from, to);
    let step = run.next();
    while (!step.done) step = run.next();
    const r = step.value;
    return Comlink.transfer(
      r,
      [...r.stats, ...r.perClass].map((x) => x.buffer as ArrayBuffer),
    );
  },
};

export type CompareResampleApi = typeof api;

Comlink.expose(api);
