// Bench part "import": prediction imports in headless Chromium, through the app's own worker path.
//
//  1. 1,000 full-HD class masks (generated deterministically into bench-results/import/, reused on later runs),
//     copied into OPFS and imported as the Import page does (ImportClient -> import worker -> masks reader ->
//     validation -> run store). Compared with the bare work under it, measured in the same run: reading the same
//     files from OPFS and decoding them with the same PNG decoder in a worker (target: import <= 1.3x decode).
//     The page's longest main-thread task during the import is read with PerformanceObserver('longtask')
//     (target: < 50 ms), and the same during the decode-only run as a control (a page that does nothing).
//  2. One million box predictions (20 native NDJSON files of 50,000) imported the same way, then the run reopened
//     on the page (its columns, then every prediction as an object): times, the page's JS heap (CDP
//     Performance.getMetrics JSHeapUsedSize) and the peak resident memory of all Chromium processes (/proc).
//
// The page is scripts/bench/import-bench.html, built by Vite next to the data in bench-results/import/ and served
// by `vite preview`; Chromium is Debian's, driven by Playwright.
// BENCH_MASKS, BENCH_MILLION and BENCH_RUNS change the sizes and the number of timed runs.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright';
import { build, preview } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../test/chromium.ts';
import { encodeGrayPng } from '../demo/class-masks.ts';
import { Rng, uuid4 } from '../demo/prng.ts';
import { benchRuns, printTable } from './util.ts';
import { chromiumRss, peakSampler } from './chromium-memory.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const OUT = join(REPO, 'bench-results/import');
const W = 1920;
const H = 1080;
const SEED = 20261125;
const CLASSES = ['Road', 'Car', 'Person', 'Bicycle', 'Sign'];

const envInt = (name: string, fallback: number) => {
  const n = Number(process.env[name]);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};

// ---------------------------------------------------------------- data

interface BenchProject {
  units: { dataHash: string; labelHash: string }[];
  polygonHashes: string[];
  boxHash: string;
}

/** An EA project of `n` full-HD images with no labels: what predictions are imported into. */
async function writeProject(dir: string, n: number, rng: Rng): Promise<BenchProject> {
  await rm(dir, { recursive: true, force: true });
  const hash8 = () => uuid4(rng).replace(/-/g, '').slice(0, 8);
  const polygonHashes = CLASSES.map(() => hash8());
  const boxHash = hash8();
  const ontology = {
    objects: [
      ...CLASSES.map((name, i) => ({
        id: String(i + 1),
        name,
        color: '#3366cc',
        shape: 'polygon',
        featureNodeHash: polygonHashes[i],
        attributes: [],
      })),
      {
        id: String(CLASSES.length + 1),
        name: 'Vehicle box',
        color: '#cc3333',
        shape: 'bounding_box',
        featureNodeHash: boxHash,
        attributes: [],
      },
    ],
    classifications: [],
  };
  const units = Array.from({ length: n }, () => ({ dataHash: uuid4(rng), labelHash: uuid4(rng) }));
  const files: string[] = ['project_meta.yaml', 'ontology.json', 'label_row_meta.json'];
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'project_meta.yaml'),
    `project_hash: ${uuid4(rng)}\nproject_title: import bench\nhas_remote: false\n`,
  );
  await writeFile(join(dir, 'ontology.json'), JSON.stringify(ontology));
  const meta: Record<string, unknown> = {};
  for (const [i, u] of units.entries()) {
    const title = `frame_${String(i).padStart(5, '0')}.png`;
    meta[u.labelHash] = {
      label_hash: u.labelHash,
      data_hash: u.dataHash,
      data_title: title,
      data_type: 'IMAGE',
      label_status: 'LABELLED',
    };
    const row = {
      label_hash: u.labelHash,
      data_title: title,
      data_type: 'image',
      data_units: {
        [u.dataHash]: {
          data_hash: u.dataHash,
          data_title: title,
          data_type: 'image/png',
          data_sequence: 0,
          width: W,
          height: H,
          labels: { objects: [], classifications: [] },
        },
      },
      object_answers: {},
      classification_answers: {},
    };
    await mkdir(join(dir, 'data', u.labelHash, 'images'), { recursive: true });
    await writeFile(join(dir, 'data', u.labelHash, 'label_row.json'), JSON.stringify(row));
    // The reader only needs the image to exist; the bench never draws it.
    await writeFile(join(dir, 'data', u.labelHash, 'images', `${u.dataHash}.png`), '');
    files.push(`data/${u.labelHash}/label_row.json`, `data/${u.labelHash}/images/${u.dataHash}.png`);
  }
  await writeFile(join(dir, 'label_row_meta.json'), JSON.stringify(meta));
  await writeFile(join(dir, 'manifest.json'), JSON.stringify({ files }));
  return { units, polygonHashes, boxHash };
}

/** Even-odd scanline fill of a polygon (pixel centres), values written over what is there. */
function fillPolygon(mask: Uint8Array, points: [number, number][], value: number) {
  const ys = points.map((p) => p[1]);
  const y0 = Math.max(0, Math.floor(Math.min(...ys)));
  const y1 = Math.min(H - 1, Math.ceil(Math.max(...ys)));
  const xs: number[] = [];
  for (let y = y0; y <= y1; y++) {
    const cy = y + 0.5;
    xs.length = 0;
    for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
      const [xi, yi] = points[i];
      const [xj, yj] = points[j];
      if (yi > cy !== yj > cy) xs.push(xi + ((cy - yi) / (yj - yi)) * (xj - xi));
    }
    xs.sort((a, b) => a - b);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const from = Math.max(0, Math.ceil(xs[k] - 0.5));
      const to = Math.min(W - 1, Math.floor(xs[k + 1] - 0.5));
      if (to >= from) mask.fill(value, y * W + from, y * W + to + 1);
    }
  }
}

/** A street-like class mask: a road band, then 3-9 blobs (cars, people, signs) of irregular outline. */
function makeMask(rng: Rng): Uint8Array {
  const mask = new Uint8Array(W * H);
  const horizon = rng.range(0.45, 0.6) * H;
  fillPolygon(
    mask,
    [
      [rng.range(700, 900), horizon],
      [rng.range(1000, 1200), horizon],
      [W, H],
      [0, H],
    ],
    1,
  );
  for (let k = rng.int(3, 9); k > 0; k--) {
    const value = rng.int(2, CLASSES.length);
    const cx = rng.range(50, W - 50);
    const cy = rng.range(horizon - 100, H - 40);
    const r = rng.range(20, 220);
    const n = rng.int(12, 28);
    const points = Array.from({ length: n }, (_, i): [number, number] => {
      const a = (i / n) * 2 * Math.PI;
      const k2 = rng.range(0.65, 1.15);
      return [cx + Math.cos(a) * r * k2, cy + Math.sin(a) * r * k2 * rng.range(0.6, 1.4)];
    });
    fillPolygon(mask, points, value);
  }
  return mask;
}

async function prepare(nMasks: number, nMillion: number) {
  const stamp = join(OUT, 'stamp.json');
  const want = JSON.stringify({ SEED, nMasks, nMillion, v: 1 });
  if (existsSync(stamp) && (await readFile(stamp, 'utf8')) === want) {
    return { masks: await readdir(join(OUT, 'masks')), million: await readdir(join(OUT, 'million')) };
  }
  const started = performance.now();
  await rm(OUT, { recursive: true, force: true });
  const rng = new Rng(SEED);
  const project = await writeProject(join(OUT, 'project'), nMasks, rng);
  await mkdir(join(OUT, 'masks'), { recursive: true });
  const masks: string[] = [];
  for (const u of project.units) {
    const name = `${u.dataHash}.png`;
    await writeFile(join(OUT, 'masks', name), encodeGrayPng(makeMask(rng), W, H));
    masks.push(name);
  }
  await mkdir(join(OUT, 'million'), { recursive: true });
  const million: string[] = [];
  const perFile = 50_000;
  for (let f = 0; f * perFile < nMillion; f++) {
    const lines: string[] = [];
    for (let i = f * perFile; i < Math.min(nMillion, (f + 1) * perFile); i++) {
      const u = project.units[i % project.units.length];
      const x = rng.range(0, 0.8);
      const y = rng.range(0, 0.8);
      lines.push(
        `{"dataHash":"${u.dataHash}","frame":0,"confidence":${rng.next()},"featureHash":"${project.boxHash}","box":{"x":${x},"y":${y},"w":${rng.range(0.01, 0.2)},"h":${rng.range(0.01, 0.2)}}}`,
      );
    }
    const name = `part-${String(f).padStart(3, '0')}.ndjson`;
    await writeFile(join(OUT, 'million', name), lines.join('\n') + '\n');
    million.push(name);
  }
  await writeFile(stamp, want);
  console.log(
    `generated ${masks.length} masks and ${nMillion.toLocaleString()} predictions in ${((performance.now() - started) / 1000).toFixed(1)} s -> ${OUT}`,
  );
  return { masks, million };
}

// ---------------------------------------------------------------- memory

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const s = (ms: number) => (ms / 1000).toFixed(2);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

// ---------------------------------------------------------------- the run

type Bench = {
  copyToOpfs(name: string, base: string, files: string[]): Promise<number>;
  openProject(base: string): Promise<{ dataUnits: number }>;
  baseline(
    name: string,
  ): Promise<{ ms: number; files: number; pixels: number; longTasks: { count: number; longest: number } }>;
  importFolder(
    name: string,
    format: string,
  ): Promise<{
    ms: number;
    readMs: number;
    saveMs: number;
    runId: string;
    predictions: number;
    rejected: number;
    progressEvents: number;
    longTasks: {
      count: number;
      longest: number;
      total: number;
      entries: { at: number; duration: number; name: string }[];
    };
  }>;
  reopen(runId: string): Promise<{ columnsMs: number; objectsMs: number; predictions: number; chunks: number }>;
  release(): void;
  deleteRun(runId: string): Promise<void>;
};

/** Calls window.bench[name](...args) in the page. */
function call<K extends keyof Bench>(
  page: Page,
  name: K,
  ...args: Parameters<Bench[K]>
): Promise<Awaited<ReturnType<Bench[K]>>> {
  return page.evaluate(
    ({ n, a }) => (window as unknown as { bench: Record<string, (...x: unknown[]) => unknown> }).bench[n](...a),
    { n: name as string, a: args as unknown[] },
  ) as Promise<Awaited<ReturnType<Bench[K]>>>;
}

export async function run(): Promise<void> {
  const nMasks = envInt('BENCH_MASKS', 1000);
  const nMillion = envInt('BENCH_MILLION', 1_000_000);
  const runs = benchRuns(3);
  const { masks, million } = await prepare(nMasks, nMillion);

  // A production build of the bench page next to the data, served statically (as `vite preview` serves dist/).
  const built = performance.now();
  await build({
    root: REPO,
    configFile: join(REPO, 'vite.config.ts'),
    logLevel: 'error',
    publicDir: false,
    build: { outDir: OUT, emptyOutDir: false, rollupOptions: { input: join(REPO, 'scripts/bench/import-bench.html') } },
  });
  console.log(`bench page built in ${((performance.now() - built) / 1000).toFixed(1)} s`);
  const server = await preview({
    root: REPO,
    configFile: join(REPO, 'vite.config.ts'),
    logLevel: 'error',
    build: { outDir: OUT },
    preview: { host: '127.0.0.1', port: 0 },
  });
  const address = server.httpServer.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const heap = async () => {
      await cdp.send('HeapProfiler.collectGarbage').catch(() => undefined);
      const { metrics } = await cdp.send('Performance.getMetrics');
      return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN;
    };

    await page.goto(`${origin}/scripts/bench/import-bench.html`);
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready', undefined, {
      timeout: 120_000,
    });
    const base = `${origin}/`;
    const opened = await call(page, 'openProject', `${base}project/`);
    const maskBytes = await call(page, 'copyToOpfs', 'masks', `${base}masks/`, masks);
    console.log(`project: ${opened.dataUnits} full-HD images; ${masks.length} masks, ${mb(maskBytes)} of PNG in OPFS`);

    // ---- 1. masks
    await call(page, 'baseline', 'masks'); // warm-up: OPFS, decoder, JIT
    const baseline: number[] = [];
    const controlTasks: number[] = [];
    const imports: Awaited<ReturnType<Bench['importFolder']>>[] = [];
    for (let i = 0; i < runs; i++) {
      const decoded = await call(page, 'baseline', 'masks');
      baseline.push(decoded.ms);
      controlTasks.push(decoded.longTasks.longest);
      const outcome = await call(page, 'importFolder', 'masks', 'masks');
      imports.push(outcome);
      await call(page, 'deleteRun', outcome.runId);
    }
    const imp = median(imports.map((o) => o.ms));
    const dec = median(baseline);
    console.log(`\nmask import, ${masks.length} masks of ${W}x${H} (median of ${runs}; each run listed):`);
    printTable([
      [
        'run',
        'decode only (s)',
        'import (s)',
        'of which read+trace+validate',
        'save',
        'ratio',
        'predictions',
        'longest main-thread task (ms)',
        'long tasks',
        'same, during decode only (ms)',
      ],
      ...imports.map((o, i) => [
        String(i + 1),
        s(baseline[i]),
        s(o.ms),
        s(o.readMs),
        s(o.saveMs),
        (o.ms / baseline[i]).toFixed(2),
        o.predictions.toLocaleString('en-US'),
        o.longTasks.longest.toFixed(0),
        String(o.longTasks.count),
        controlTasks[i].toFixed(0),
      ]),
      [
        'median',
        s(dec),
        s(imp),
        '',
        '',
        (imp / dec).toFixed(2),
        '',
        Math.max(...imports.map((o) => o.longTasks.longest)).toFixed(0) + ' (max)',
        '',
        Math.max(...controlTasks).toFixed(0) + ' (max)',
      ],
      [
        'best',
        s(Math.min(...baseline)),
        s(Math.min(...imports.map((o) => o.ms))),
        '',
        '',
        (Math.min(...imports.map((o) => o.ms)) / Math.min(...baseline)).toFixed(2),
        '',
        '',
        '',
        '',
      ],
    ]);
    for (const [i, o] of imports.entries()) {
      for (const e of o.longTasks.entries)
        console.log(
          `  run ${i + 1}: long task of ${e.duration} ms at ${(e.at / 1000).toFixed(2)} s into the import (${e.name})`,
        );
    }
    console.log(
      `target import/decode <= 1.3: ${imp / dec <= 1.3 ? 'met' : 'MISSED'}; longest task < 50 ms: ${Math.max(...imports.map((o) => o.longTasks.longest)) < 50 ? 'met' : 'MISSED'}`,
    );

    // ---- 2. one million predictions
    const millionBytes = await call(page, 'copyToOpfs', 'million', `${base}million/`, million);
    const heapBefore = await heap();
    const rssBefore = await chromiumRss();
    let stopPeak = peakSampler();
    const big = await call(page, 'importFolder', 'million', 'json');
    const importPeak = await stopPeak();
    const heapAfterImport = await heap();
    stopPeak = peakSampler();
    const reopened = await call(page, 'reopen', big.runId);
    const reopenPeak = await stopPeak();
    const heapHeld = await heap();
    await call(page, 'release');
    const heapReleased = await heap();
    console.log(`\none-million-prediction run (${million.length} NDJSON files, ${mb(millionBytes)}):`);
    printTable([
      ['step', 'time (s)', 'detail'],
      [
        'import (read, validate, store)',
        s(big.ms),
        `read ${s(big.readMs)} s, save ${s(big.saveMs)} s; ${big.predictions.toLocaleString('en-US')} predictions, ${big.rejected} rejected`,
      ],
      ['  longest main-thread task', '', `${big.longTasks.longest.toFixed(0)} ms (${big.longTasks.count} long tasks)`],
      ['reopen: load columns', s(reopened.columnsMs), `${reopened.chunks} chunks`],
      [
        'reopen: build Prediction objects',
        s(reopened.objectsMs),
        `${reopened.predictions.toLocaleString('en-US')} objects`,
      ],
    ]);
    printTable([
      ['memory', 'value'],
      ['Chromium RSS before', mb(rssBefore)],
      ['peak Chromium RSS during import', mb(importPeak)],
      ['peak Chromium RSS during reopen', mb(reopenPeak)],
      ['page JS heap before', mb(heapBefore)],
      ['page JS heap after import', mb(heapAfterImport)],
      [`page JS heap holding the ${reopened.predictions.toLocaleString('en-US')} Prediction objects`, mb(heapHeld)],
      ['page JS heap after releasing them', mb(heapReleased)],
    ]);
    await call(page, 'deleteRun', big.runId);
    if (errors.length > 0) console.log(`page errors: ${errors.join('; ')}`);
  } finally {
    await browser.close();
    await server.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await run();
