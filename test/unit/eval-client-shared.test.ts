// The evaluation client the Model pages share: preparing the run it already holds answers from what it kept, without
// asking the worker again (prepareActive takes about a second at 100k predictions); anything else — another run,
// another project, a stopped worker — is prepared again.
import { afterEach, describe, expect, it } from 'vitest';
import type { Project } from '../../src/core/model.ts';
import { EvalClient, evalClient, type PredictionSource } from '../../src/workers/eval-client.ts';
import type { PreparedSummary } from '../../src/workers/eval-session.ts';
import { fakeEvalWorkers } from './fake-eval-worker.ts';

const project = { meta: { project_hash: 'p' } } as unknown as Project;
const otherProject = { meta: { project_hash: 'p' } } as unknown as Project;
const run = (runId: string): PredictionSource => ({ kind: 'run', projectKey: 'p|demo', runId });
const summaryFor = (source: PredictionSource) =>
  ({ nPredictions: source.kind === 'run' ? source.runId.length : 0 }) as PreparedSummary;

let workers = fakeEvalWorkers(summaryFor);
afterEach(() => workers.close());

function client() {
  workers = fakeEvalWorkers(summaryFor);
  return new EvalClient(workers.create);
}

describe('EvalClient.prepare', () => {
  it('gives the kept summary for the same project and run, without calling the worker again', async () => {
    const evals = client();
    const first = await evals.prepare(project, run('a'));
    const again = await evals.prepare(project, run('a'));
    expect(workers.calls.prepare).toEqual([run('a')]);
    expect(again).toBe(first);
    // The worker still holds the run: scoring goes on without another prepare.
    expect((await evals.score({ iouThreshold: 0.6, ignoreFramesWithoutPredictions: false })).mAP).toBe(0.6);
    expect(workers.calls.started).toBe(1);
  });

  it('prepares again for another run, another project object, or the first run after another', async () => {
    const evals = client();
    await evals.prepare(project, run('a'));
    await evals.prepare(project, run('bb'));
    await evals.prepare(otherProject, run('bb'));
    await evals.prepare(otherProject, run('a'));
    expect(workers.calls.prepare).toEqual([run('a'), run('bb'), run('bb'), run('a')]);
  });

  it('prepares again once the worker was stopped', async () => {
    const evals = client();
    await evals.prepare(project, run('a'));
    evals.terminate();
    const summary = await evals.prepare(project, run('a'));
    expect(summary.nPredictions).toBe(1);
    expect(workers.calls.prepare).toEqual([run('a'), run('a')]);
    expect([workers.calls.started, workers.calls.terminated]).toEqual([2, 1]);
  });

  it('rejects an already aborted call and keeps the prepared run', async () => {
    const evals = client();
    await evals.prepare(project, run('a'));
    const abort = new AbortController();
    abort.abort();
    await expect(evals.prepare(project, run('bb'), abort.signal)).rejects.toMatchObject({ name: 'AbortError' });
    await evals.prepare(project, run('a'));
    expect(workers.calls.prepare).toEqual([run('a')]);
  });

  it('predictions given directly count as the same only when they are the same array', async () => {
    const evals = client();
    const predictions: never[] = [];
    await evals.prepare(project, { kind: 'predictions', predictions });
    await evals.prepare(project, { kind: 'predictions', predictions });
    await evals.prepare(project, { kind: 'predictions', predictions: [] });
    expect(workers.calls.prepare).toHaveLength(2);
  });
});

describe('evalClient()', () => {
  it('is one client for every page', () => {
    expect(evalClient()).toBe(evalClient());
  });
});
