// Bench part "datasets": opening COCO datasets the size of val2017 and train2017 in headless Chromium, through the
// app itself (the production build, the start screen's "Open project or dataset folder...", the directory picker
// answered with an OPFS folder, the compute worker reading the layout, the project handed to the page in parts),
// until the Overview shows the dataset's counts. Also `predlens info` on the same folders, as whole processes.
//
//  - val2017-sized: 5,000 images, 36,800 annotations, 19 MB of JSON. Targets: the Overview in under 3 s, no
//    main-thread task over 50 ms (PerformanceObserver('longtask') on the page from the click to the Overview).
//  - train2017-sized: 118,287 images, ~860,000 annotations, ~450 MB of JSON. Targets: it opens in one tab without
//    crashing, under 30 s and under 3 GB peak memory (resident memory of all Chromium processes, /proc, sampled
//    every 100 ms; read the increase over "before").
//
// The data is generated once into bench-results/datasets/ (datasets-data.ts) and copied once into the OPFS of a
// browser profile kept in bench-results/datasets/profile/ (served from a fixed port, BENCH_PORT, default 47311:
// OPFS belongs to the origin), so later runs start at once. BENCH_RUNS sets the timed runs of the val2017 case
// (default 3); BENCH_TRAIN=0 skips the train2017 case.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright';
import { build, preview } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../test/chromium.ts';
import { benchDataset, type BenchDataset } from './datasets-data.ts';
import { chromiumRss, peakSampler } from './chromium-memory.ts';
import { benchRuns, median, printTable, timeProcess } from './util.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const OUT = join(REPO, 'bench-results/datasets');
const APP = join(OUT, 'app');
const DATA = join(APP, 'data');

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const s = (ms: number) => (ms / 1000).toFixed(2);

interface Opening {
  ms: number;
  objects: number;
  longTasks: { duration: number; at: number }[];
  error?: string;
}

/** Copies the dataset into OPFS (once per profile: a stamp file says which data is there). */
async function copyToOpfs(page: Page, origin: string, d: BenchDataset): Promise<number> {
  const started = performance.now();
  const stamp = `${d.name}:${d.annotations}:${d.jsonBytes}`;
  const copied = await page.evaluate(
    async ({ name, stamp, json, jsonUrl, images }) => {
      const root = await navigator.storage.getDirectory();
      const top = await root.getDirectoryHandle(name, { create: true });
      const done = await top
        .getFileHandle('.bench-stamp')
        .then((h) => h.getFile())
        .then((f) => f.text())
        .catch(() => '');
      if (done === stamp) return false;
      const at = async (path: string) => {
        const parts = path.split('/');
        let dir = top;
        for (const p of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(p, { create: true });
        return dir.getFileHandle(parts.at(-1)!, { create: true });
      };
      const response = await fetch(jsonUrl);
      const writable = await (await at(json)).createWritable();
      await response.body!.pipeTo(writable);
      // The images are empty files: opening never reads their bytes (the sizes are in the JSON).
      const dirs = new Map<string, FileSystemDirectoryHandle>();
      for (const path of images) {
        const cut = path.lastIndexOf('/');
        const folder = path.slice(0, cut);
        let dir = dirs.get(folder);
        if (!dir) {
          dir = top;
          for (const p of folder.split('/')) dir = await dir.getDirectoryHandle(p, { create: true });
          dirs.set(folder, dir);
        }
        await dir.getFileHandle(path.slice(cut + 1), { create: true });
      }
      const w = await (await top.getFileHandle('.bench-stamp', { create: true })).createWritable();
      await w.write(stamp);
      await w.close();
      return true;
    },
    {
      name: d.name,
      stamp,
      json: d.annotationFile,
      jsonUrl: `${origin}/data/${d.name}/${d.annotationFile}`,
      images: d.imageFiles,
    },
  );
  return copied ? performance.now() - started : 0;
}

/** From the click on "Open project or dataset folder..." to the Overview's object count, in the page's clock. */
async function openOnce(context: BrowserContext, origin: string, folder: string): Promise<Opening> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('crash', () => errors.push('the page crashed'));
  await page.addInitScript((name) => {
    const w = window as unknown as { longTasks: { duration: number; at: number }[] };
    w.longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.longTasks.push({ duration: e.duration, at: e.startTime });
    }).observe({ type: 'longtask', buffered: true });
    window.showDirectoryPicker = async () => (await navigator.storage.getDirectory()).getDirectoryHandle(name);
  }, folder);
  await page.goto(`${origin}/#/`);
  await page.getByTestId('open-folder').waitFor();
  try {
    const result = await page.evaluate(async () => {
      const w = window as unknown as { longTasks: { duration: number; at: number }[] };
      const t0 = performance.now();
      (document.querySelector('[data-testid="open-folder"]') as HTMLButtonElement).click();
      const stat = await new Promise<string>((resolve, reject) => {
        const check = () => {
          const value = document.querySelector('[data-testid="stat-objects"] .value');
          const error = document.querySelector('[data-testid="open-error"]');
          if (error) reject(new Error(error.textContent ?? 'open error'));
          else if (value) resolve(value.textContent ?? '');
          else requestAnimationFrame(check);
        };
        check();
      });
      const ms = performance.now() - t0;
      return {
        ms,
        stat,
        longTasks: w.longTasks.filter((t) => t.at >= t0 && t.at <= t0 + ms).map((t) => ({ ...t, at: t.at - t0 })),
      };
    });
    return { ms: result.ms, objects: Number(result.stat.replace(/[^\d]/g, '')), longTasks: result.longTasks };
  } catch (err) {
    return {
      ms: NaN,
      objects: 0,
      longTasks: [],
      error: `${err instanceof Error ? err.message : err} ${errors.join('; ')}`,
    };
  } finally {
    await page.close();
  }
}

export async function run(): Promise<void> {
  const runs = benchRuns(3);
  const withTrain = process.env.BENCH_TRAIN !== '0';
  await mkdir(DATA, { recursive: true });
  const val = await benchDataset(DATA, 'val', 'val2017', 5000, 36_800, 2017);
  const train = withTrain ? await benchDataset(DATA, 'train', 'train2017', 118_287, 860_000, 2014) : undefined;

  console.log('\npredlens info (the CLI, whole process, same reader):');
  const cli: (string | number)[][] = [['dataset', 'images', 'annotations', 'JSON', 'wall (s)', 'CPU (s)', 'max RSS']];
  for (const d of [val, train].filter((x): x is BenchDataset => x !== undefined)) {
    const t = timeProcess('node', ['bin/predlens.js', 'info', d.dir, '--json']);
    const info = JSON.parse(t.stdout);
    if (info.objects !== d.annotations) throw new Error(`info counted ${info.objects} objects, not ${d.annotations}`);
    cli.push([
      d.name,
      d.images,
      d.annotations,
      mb(d.jsonBytes),
      t.seconds.toFixed(2),
      t.cpuSeconds?.toFixed(2) ?? '',
      t.maxRssKb ? mb(t.maxRssKb * 1024) : '',
    ]);
  }
  printTable(cli);

  const built = performance.now();
  await build({
    root: REPO,
    configFile: join(REPO, 'vite.config.ts'),
    logLevel: 'error',
    publicDir: false,
    build: { outDir: APP, emptyOutDir: false },
  });
  console.log(`\napp built in ${((performance.now() - built) / 1000).toFixed(1)} s`);
  // A fixed port: OPFS belongs to the origin, so the copy made by an earlier run is found again.
  const server = await preview({
    root: REPO,
    configFile: join(REPO, 'vite.config.ts'),
    logLevel: 'error',
    build: { outDir: APP },
    preview: { host: '127.0.0.1', port: Number(process.env.BENCH_PORT ?? 47311), strictPort: true },
  });
  const address = server.httpServer.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const context = await chromium.launchPersistentContext(join(OUT, 'profile'), {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1280, height: 800 },
  });
  // tsx names functions with a helper (__name) that does not exist in the page the evaluated code runs in.
  await context.addInitScript('globalThis.__name = (f) => f');
  try {
    const setup = await context.newPage();
    await setup.goto(`${origin}/#/`);
    for (const d of [val, train].filter((x): x is BenchDataset => x !== undefined)) {
      const ms = await copyToOpfs(setup, origin, d);
      if (ms > 0) console.log(`copied ${d.name} into OPFS in ${s(ms)} s`);
    }
    await setup.close();

    await openOnce(context, origin, val.name); // warm-up: caches, JIT
    const openings: Opening[] = [];
    for (let i = 0; i < runs; i++) openings.push(await openOnce(context, origin, val.name));
    console.log(`\nval2017-sized COCO dataset to the Overview (${runs} runs, each listed):`);
    printTable([
      [
        'run',
        'to the Overview (s)',
        'objects shown',
        'long tasks',
        'longest main-thread task (ms)',
        'tasks over 50 ms (at ms: duration)',
      ],
      ...openings.map((o, i) => [
        String(i + 1),
        o.error ? `error: ${o.error}` : s(o.ms),
        o.objects,
        o.longTasks.length,
        o.longTasks.length ? Math.max(...o.longTasks.map((t) => t.duration)).toFixed(0) : '0',
        o.longTasks.map((t) => `${t.at.toFixed(0)}: ${t.duration.toFixed(0)}`).join(', ') || '-',
      ]),
    ]);
    const ok = openings.filter((o) => !o.error);
    if (ok.length) console.log(`median ${s(median(ok.map((o) => o.ms)))} s; expected objects ${val.annotations}`);

    if (train) {
      const before = await chromiumRss();
      const stopPeak = peakSampler();
      const opening = await openOnce(context, origin, train.name);
      const peak = await stopPeak();
      console.log(
        `\ntrain2017-sized COCO dataset (${train.images.toLocaleString()} images, ${train.annotations.toLocaleString()} annotations, ${mb(train.jsonBytes)} of JSON), one run:`,
      );
      printTable([
        [
          'to the Overview (s)',
          'objects shown',
          'Chromium RSS before',
          'peak',
          'increase',
          'longest main-thread task (ms)',
        ],
        [
          opening.error ? `error: ${opening.error}` : s(opening.ms),
          opening.objects,
          mb(before),
          mb(peak),
          mb(peak - before),
          opening.longTasks.length ? Math.max(...opening.longTasks.map((t) => t.duration)).toFixed(0) : '0',
        ],
      ]);
    }
  } finally {
    await context.close();
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  }
}
