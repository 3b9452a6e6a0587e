// The COCO evaluation bench's page (coco-eval-bench.html, built by Vite and driven by scripts/bench/eval-page.ts):
// the two files come from <input type="file"> as a user picks them, and evaluateCocoFiles (the app's Web Worker
// host of the split evaluation) does the rest. Long main-thread tasks are watched the whole time.
import type { CocoFilesTiming } from '../../src/core/eval/coco/parallel.ts';
import { evaluateCocoFiles } from '../../src/workers/coco-files-client.ts';

const longTasks: { at: number; duration: number }[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) longTasks.push({ at: Math.round(e.startTime), duration: Math.round(e.duration) });
}).observe({ type: 'longtask', buffered: true });

async function runCoco(iouType: 'bbox' | 'segm') {
  const gt = (document.getElementById('gt') as HTMLInputElement).files?.[0];
  const dt = (document.getElementById('dt') as HTMLInputElement).files?.[0];
  if (!gt || !dt) throw new Error('choose both files first');
  const before = longTasks.length;
  const started = performance.now();
  const timing: CocoFilesTiming = {};
  const result = await evaluateCocoFiles(gt, dt, { iouType, timing });
  const ms = performance.now() - started;
  // Let a long task that ended with the result be reported before reading the list.
  await new Promise((r) => setTimeout(r, 50));
  const tasks = longTasks.slice(before).map((t) => ({ ...t, at: Math.round(t.at - started) }));
  return { ms, stats: result.stats, timing, longTasks: tasks, cores: navigator.hardwareConcurrency };
}

(globalThis as unknown as { runCoco: typeof runCoco }).runCoco = runCoco;
document.getElementById('status')!.textContent = 'ready';
