// A stand-in for the evaluation worker: the same comlink round trip as the real one, over a MessageChannel in this
// thread, with answers made up by the test and a count of what the "worker" was asked.
import * as Comlink from 'comlink';
import type { Project } from '../../src/core/model.ts';
import type { PredictionSource } from '../../src/workers/eval-client.ts';
import type { PreparedSummary, ScoreRequest } from '../../src/workers/eval-session.ts';

export interface FakeWorkerCalls {
  started: number;
  terminated: number;
  /** Every prepare() the workers received, in order. */
  prepare: PredictionSource[];
  score: ScoreRequest[];
  load: PredictionSource[];
}

/** A `create` for EvalClient whose workers answer prepare() with `summary(source)`. */
export function fakeEvalWorkers(summary: (source: PredictionSource) => PreparedSummary) {
  const calls: FakeWorkerCalls = { started: 0, terminated: 0, prepare: [], score: [], load: [] };
  const open: MessagePort[] = [];
  const create = () => {
    const { port1, port2 } = new MessageChannel();
    open.push(port1, port2);
    Comlink.expose(
      {
        async prepare(_project: Project, source: PredictionSource) {
          calls.prepare.push(source);
          return summary(source);
        },
        score(request: ScoreRequest) {
          calls.score.push(request);
          return { ...request, mAP: request.iouThreshold };
        },
        async load(_project: Project, source: PredictionSource) {
          calls.load.push(source);
          return 0;
        },
        async coco() {
          return { notes: [] };
        },
      },
      port1,
    );
    calls.started++;
    return Object.assign(port2, {
      terminate() {
        calls.terminated++;
        port1.close();
        port2.close();
      },
    }) as unknown as Worker;
  };
  /** Closes every channel still open (call after the test). */
  const close = () => open.forEach((port) => port.close());
  return { create, calls, close };
}
