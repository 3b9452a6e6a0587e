// Bench part "inference": images per second of a small convolutional detector (test/fixtures/onnx/bench-conv640.onnx,
// 640 x 640 input, 0.6 GFLOP) on the demo's 46 images (512 x 384 PNGs), as a user runs it:
//   - in headless Chromium through the app's "Run a model" (dist/ served by `vite preview`; onnxruntime-web wasm):
//     1 thread on a plain server, 2 threads on one that sends COOP/COEP (cross-origin isolated, so threads are on);
//     the figures are the worker's own: the whole loop (decode + letterbox + inference + NMS + storing, session
//     start excluded) and the model alone (onnxruntime's session.run);
//   - in Node through `predlens predict` (onnxruntime-node, native CPU), --threads 1 and 2, whole command timed.
// BENCH_RUNS sets the number of timed runs (median; default 3).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright';
import { build, preview } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../test/chromium.ts';
import { benchRuns, median, printTable, timeProcess } from './util.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const MODEL = join(REPO, 'test/fixtures/onnx/bench-conv640.onnx');
const DEMO = join(REPO, 'public/demo');

async function serve(isolated: boolean) {
  const server = await preview({
    root: REPO,
    configFile: join(REPO, 'vite.config.ts'),
    logLevel: 'error',
    preview: {
      host: '127.0.0.1',
      port: 0,
      headers: isolated
        ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' }
        : {},
    },
  });
  const address = server.httpServer.address();
  return { server, origin: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/` };
}

interface PageRun {
  imagesPerSecond: number;
  modelImagesPerSecond: number;
  backend: string;
  wallSeconds: number;
}

async function runInPage(page: Page, origin: string, name: string): Promise<PageRun> {
  await page.goto(`${origin}#/demo/predictions`);
  await page.getByTestId('run-model-open').click();
  await page.getByTestId('model-input').setInputFiles(MODEL);
  await page.getByTestId('model-run-name').fill(name);
  const start = performance.now();
  await page.getByTestId('model-run').click();
  await page.waitForURL(/model-quality\?.*run=/, { timeout: 600_000 });
  const wallSeconds = (performance.now() - start) / 1000;
  const settings = await page.evaluate(
    (runName) =>
      new Promise<Record<string, string | number>>((resolve, reject) => {
        const open = indexedDB.open('predlens-runs');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction('runs').objectStore('runs').getAll();
          all.onsuccess = () => {
            const run = (all.result as { info?: { name: string; settings: Record<string, string | number> } }[]).find(
              (r) => r.info?.name === runName,
            );
            open.result.close();
            resolve(run?.info?.settings ?? {});
          };
        };
      }),
    name,
  );
  return {
    imagesPerSecond: Number(settings.imagesPerSecond),
    modelImagesPerSecond: Number(settings.modelImagesPerSecond),
    backend: String(settings.backend),
    wallSeconds,
  };
}

export async function run() {
  const runs = benchRuns(3);
  if (!existsSync(join(REPO, 'dist/index.html')) || !existsSync(DEMO)) {
    throw new Error('inference bench: run `npm run build` first (it builds dist/ and the demo)');
  }
  await build({ root: REPO, configFile: join(REPO, 'vite.config.ts'), logLevel: 'warn' });
  const rows: (string | number)[][] = [];
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    for (const isolated of [false, true]) {
      const { server, origin } = await serve(isolated);
      try {
        const results: PageRun[] = [];
        for (let i = 0; i <= runs; i++) {
          const page = await browser.newPage();
          const result = await runInPage(page, origin, `bench ${i}`);
          await page.close();
          if (i > 0) results.push(result); // the first run warms the HTTP cache and the wasm compile
        }
        rows.push([
          `Chromium, onnxruntime-web ${results[0].backend}`,
          median(results.map((r) => r.imagesPerSecond)).toFixed(1),
          median(results.map((r) => r.modelImagesPerSecond)).toFixed(1),
          median(results.map((r) => r.wallSeconds)).toFixed(1),
        ]);
      } finally {
        await server.close();
      }
    }
  } finally {
    await browser.close();
  }
  for (const threads of [1, 2]) {
    const out = join(REPO, 'bench-results/inference.ndjson');
    const times = Array.from({ length: runs }, () =>
      timeProcess('node', [
        'bin/predlens.js',
        'predict',
        DEMO,
        MODEL,
        '-o',
        out,
        '--threads',
        String(threads),
        '--json',
      ]),
    );
    const ips = times.map((t) => JSON.parse(t.stdout).imagesPerSecond as number);
    const model = times.map((t) => JSON.parse(t.stdout).modelImagesPerSecond as number);
    rows.push([
      `Node, onnxruntime-node CPU, ${threads} thread(s)`,
      median(ips).toFixed(1),
      median(model).toFixed(1),
      median(times.map((t) => t.seconds)).toFixed(1),
    ]);
  }
  console.log(`bench-conv640.onnx on the demo's 46 images (512 x 384 -> 640 x 640), median of ${runs} runs`);
  printTable([
    ['host', 'images/s (whole loop)', 'images/s (model only)', 'wall s (click or command to done)'],
    ...rows,
  ]);
}
