// The import bench's page (scripts/bench/import-bench.html, served by Vite's dev server and driven by
// scripts/bench/import.ts through Playwright). Everything timed here runs the app's own code: the import worker
// through ImportClient, the run store, the mask decoder. window.bench holds the steps.
import { readProject } from '../../src/core/project/read.ts';
import type { Project } from '../../src/core/model.ts';
import type { FormatId } from '../../src/core/model.ts';
import { UrlTree } from '../../src/files/url-prefix.ts';
import { runStore, runsProjectKey } from '../../src/store/runs.ts';
import { ImportClient } from '../../src/workers/import-client.ts';
import * as Comlink from 'comlink';
import type { BaselineApi } from './import-bench.worker.ts';

let project: Project | undefined;
let client: ImportClient | undefined;
/** Kept alive between reopen and the heap reading (on globalThis, so no minifier drops it). */
const keep = globalThis as unknown as { benchHeld?: unknown };

async function folder(name: string, fresh = false): Promise<FileSystemDirectoryHandle> {
  const root = await navigator.storage.getDirectory();
  if (fresh) await root.removeEntry(name, { recursive: true }).catch(() => undefined);
  return root.getDirectoryHandle(name, { create: true });
}

function watchLongTasks() {
  const from = performance.now();
  const entries: { at: number; duration: number; name: string }[] = [];
  const take = (list: PerformanceEntryList) => {
    for (const e of list) {
      const who = (e as PerformanceEntry & { attribution?: { containerType?: string; containerName?: string }[] })
        .attribution?.[0];
      entries.push({
        at: Math.round(e.startTime - from),
        duration: Math.round(e.duration),
        name: `${e.name}/${who?.containerType ?? ''}`,
      });
    }
  };
  const observer = new PerformanceObserver((list) => take(list.getEntries()));
  observer.observe({ type: 'longtask', buffered: false });
  return {
    stop() {
      take(observer.takeRecords());
      observer.disconnect();
      const durations = entries.map((e) => e.duration);
      return {
        count: durations.length,
        longest: durations.length ? Math.max(...durations) : 0,
        total: durations.reduce((a, b) => a + b, 0),
        entries,
      };
    },
  };
}

const bench = {
  /** Copies files served under `base` into an OPFS folder (setup, not timed). */
  async copyToOpfs(name: string, base: string, files: string[]): Promise<number> {
    const dir = await folder(name, true);
    let bytes = 0;
    const queue = [...files];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
          const response = await fetch(new URL(path, base));
          if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
          const data = await response.arrayBuffer();
          bytes += data.byteLength;
          const writable = await (await dir.getFileHandle(path, { create: true })).createWritable();
          await writable.write(data);
          await writable.close();
        }
      }),
    );
    return bytes;
  },

  async openProject(base: string): Promise<{ dataUnits: number }> {
    project = await readProject(new UrlTree(base, { name: 'bench-project' }));
    client?.terminate();
    client = new ImportClient(runsProjectKey(project), project);
    await client.formats(); // starts the worker and hands it the project, outside the timings
    const store = await runStore();
    for (const run of await store.listRuns(runsProjectKey(project)))
      await store.deleteRun(runsProjectKey(project), run.id);
    return { dataUnits: project.dataUnits.length };
  },

  /** Reads and decodes every PNG of the folder in a worker: the floor under any mask import. */
  async baseline(name: string) {
    const worker = new Worker(new URL('./import-bench.worker.ts', import.meta.url), { type: 'module' });
    // The same observer as during an import: the control for long tasks the page gets from CPU contention alone.
    const longTasks = watchLongTasks();
    try {
      return {
        ...(await Comlink.wrap<BaselineApi>(worker).decodeAll(await folder(name))),
        longTasks: longTasks.stop(),
      };
    } finally {
      worker.terminate();
    }
  },

  /** One import through the app's worker path (directory handle -> reader -> validation -> run store). */
  async importFolder(name: string, format: FormatId) {
    const handle = await folder(name);
    const longTasks = watchLongTasks();
    let progressEvents = 0;
    const started = performance.now();
    const outcome = await client!.importRun(
      { source: { kind: 'handle', handle }, format, options: {}, name: `bench ${format}` },
      () => progressEvents++,
    );
    const ms = performance.now() - started;
    return {
      ms,
      readMs: outcome.readMs,
      saveMs: outcome.saveMs,
      runId: outcome.info.id,
      predictions: outcome.info.counts.predictions,
      rejected: outcome.report.rejectedTotal,
      progressEvents,
      longTasks: longTasks.stop(),
    };
  },

  /** Reopens a run on the page: the columns alone, then every prediction as an object. */
  async reopen(runId: string) {
    const store = await runStore();
    const key = runsProjectKey(project!);
    keep.benchHeld = undefined;
    let started = performance.now();
    const columns = await store.loadRunColumns(key, runId);
    const columnsMs = performance.now() - started;
    started = performance.now();
    const predictions = columns.toPredictions();
    const objectsMs = performance.now() - started;
    keep.benchHeld = predictions;
    return {
      columnsMs,
      objectsMs,
      predictions: predictions.length,
      chunks: columns.chunks.length,
      sample: predictions[predictions.length >> 1],
    };
  },

  release() {
    keep.benchHeld = undefined;
  },

  async deleteRun(runId: string) {
    await (await runStore()).deleteRun(runsProjectKey(project!), runId);
  },
};

(window as unknown as { bench: typeof bench }).bench = bench;
document.getElementById('status')!.textContent = 'ready';
