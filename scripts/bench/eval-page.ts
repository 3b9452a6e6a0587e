// Bench part "eval-page": the large COCO case evaluated in headless Chromium (the app's Web Worker host,
// src/workers/coco-files-client.ts, on files picked through <input type="file">), beside the Node CLI on the same
// files in the same run, alternating. Reports both medians, the ratio (target: the page within 1.5x of the CLI)
// and every main-thread task over 50 ms seen while the page evaluated (target: none). Stats must equal the
// fixture README's in every run. Needs the data of the "eval" part (run that part once first).
//
// Run: npm run bench -- eval-page (BENCH_RUNS rounds, default 3).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import { chromium } from 'playwright';
import { build, preview } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../test/chromium.ts';
import { runPredlens } from './predlens-run.ts';
import { benchRuns, median, printTable } from './util.ts';

const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const CACHE = join(REPO, 'bench-results', 'coco-large');
const OUT = join(REPO, 'bench-results', 'eval-page');

interface PageRun {
  ms: number;
  stats: number[];
  longTasks: { at: number; duration: number }[];
  cores: number;
  timing: {
    parts?: { read: number; evaluate: number; accumulate: number }[];
    summarizeMs?: number;
    reference?: string;
  };
}

export async function run(): Promise<void> {
  const gtPath = join(CACHE, 'gt.json');
  if (!existsSync(gtPath)) throw new Error(`${CACHE} has no data: run "npm run bench -- eval" once first`);
  await build({
    root: REPO,
    logLevel: 'warn',
    base: './',
    build: {
      outDir: OUT,
      emptyOutDir: true,
      rollupOptions: { input: join(REPO, 'scripts/bench/coco-eval-bench.html') },
    },
  });
  const server = await preview({ root: REPO, logLevel: 'warn', preview: { port: 0 }, build: { outDir: OUT } });
  const origin = server.resolvedUrls?.local[0]?.replace(/\/$/, '');
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const rows: (string | number)[][] = [
    ['iouType', 'page s', 'runs', 'CLI s', 'runs', 'page / CLI', 'target <= 1.5x', 'longest main-thread task', 'stats'],
  ];
  const load0 = loadavg()[0];
  try {
    const page = await browser.newPage();
    await page.goto(`${origin}/scripts/bench/coco-eval-bench.html`);
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
    const runs = benchRuns(3);
    for (const [iouType, dtFile] of [
      ['bbox', 'dt_bbox.json'],
      ['segm', 'dt_segm.json'],
    ] as const) {
      const dtPath = join(CACHE, dtFile);
      await page.setInputFiles('#gt', gtPath);
      await page.setInputFiles('#dt', dtPath);
      const inPage: PageRun[] = [];
      const cli: number[] = [];
      const stats: number[][] = [];
      for (let i = 0; i < runs; i++) {
        const steps = [
          async () => {
            const r = (await page.evaluate((t) => (globalThis as any).runCoco(t), iouType)) as PageRun;
            inPage.push(r);
            stats.push(r.stats);
          },
          async () => {
            const r = runPredlens(gtPath, dtPath, iouType);
            cli.push(r.seconds);
            stats.push(r.stats);
          },
        ];
        for (const step of i % 2 ? steps.reverse() : steps) await step();
        const longest = Math.max(0, ...inPage[i].longTasks.map((t) => t.duration));
        console.log(
          `  ${iouType} round ${i + 1}/${runs} (load ${loadavg()[0].toFixed(2)}): page ${(inPage[i].ms / 1000).toFixed(2)} s ` +
            `(${inPage[i].cores} cores, longest task ${longest} ms${inPage[i].timing.reference ? ', reference path' : ''}` +
            `${inPage[i].longTasks.map((t) => `; ${t.duration} ms at ${t.at} ms`).join('')}), ` +
            `CLI ${cli[i].toFixed(2)} s`,
        );
      }
      const pageS = median(inPage.map((r) => r.ms / 1000));
      const cliS = median(cli);
      const tasks = inPage.flatMap((r) => r.longTasks);
      const identical = stats.every((s) => s.length === 12 && s.every((v, j) => v === stats[0][j]));
      rows.push([
        iouType,
        pageS.toFixed(2),
        inPage.map((r) => (r.ms / 1000).toFixed(2)).join(' '),
        cliS.toFixed(2),
        cli.map((s) => s.toFixed(2)).join(' '),
        `${(pageS / cliS).toFixed(2)}x`,
        pageS / cliS <= 1.5 ? 'met' : 'NOT MET',
        tasks.length
          ? `${Math.max(...tasks.map((t) => t.duration))} ms (${tasks.length} over 50 ms)`
          : 'none over 50 ms',
        identical ? 'identical' : 'DIFFER',
      ]);
      if (!identical) process.exitCode = 1;
    }
  } finally {
    await browser.close();
    await new Promise<void>((r) => server.httpServer.close(() => r()));
  }
  console.log(
    `\nheadless Chromium vs the Node CLI, same files, alternating; load average ${load0.toFixed(2)} -> ${loadavg()[0].toFixed(2)}`,
  );
  printTable(rows);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await run();
