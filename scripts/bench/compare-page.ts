// The Compare page's IoU slider, from the input event to the new numbers painted, in headless Chromium on a
// production build: two runs of 100,000 box predictions each on the demo project (jittered copies of its box
// labels and background boxes, written as native NDJSON and imported through the Import page), Compare opened,
// then slider moves set by script. For each move: performance.now() before the input event, then the first
// animation frame after both runs' mAP show the new threshold's values. Part of `npm run bench -- compare`.
import { mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright';
import { build, preview } from 'vite';
import type { Project } from '../../src/core/model.ts';
import { readProject } from '../../src/core/project/read.ts';
import { NodeTree } from '../../src/files/node-fs.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../test/chromium.ts';
import { fmt, median } from './util.ts';

const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const OUT = join(REPO, 'bench-results', 'compare-page');

function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` native records on the demo's frames: jittered copies of box labels (80 %) and background boxes. */
function demoRun(project: Project, count: number, seed: number): string {
  const rnd = random(seed);
  const boxClasses = project.ontology.objects.filter((o) => o.shape === 'bounding_box').map((o) => o.featureNodeHash);
  const frames = project.dataUnits.flatMap((u) =>
    u.frames.map((f) => ({ unit: u, frame: u.dataType === 'video' ? f.frame : u.sequence, objects: f.objects })),
  );
  const clamp = (v: number, hi = 1) => Math.min(hi, Math.max(0, v));
  const lines: string[] = [];
  while (lines.length < count) {
    const f = frames[Math.floor(rnd() * frames.length)];
    const labels = f.objects.filter((o) => o.geometry.kind === 'box');
    let box: { x: number; y: number; w: number; h: number };
    let featureHash: string;
    if (labels.length > 0 && rnd() < 0.8) {
      const l = labels[Math.floor(rnd() * labels.length)];
      const b = (l.geometry as { box: typeof box }).box;
      const j = () => (rnd() - 0.5) * 0.25;
      const x = clamp(b.x + j() * b.w);
      const y = clamp(b.y + j() * b.h);
      box = { x, y, w: clamp(b.w * (1 + j()), 1 - x), h: clamp(b.h * (1 + j()), 1 - y) };
      featureHash = l.featureHash;
    } else {
      const w = 0.02 + rnd() * 0.2;
      const h = 0.02 + rnd() * 0.2;
      box = { x: rnd() * (1 - w), y: rnd() * (1 - h), w, h };
      featureHash = boxClasses[Math.floor(rnd() * boxClasses.length)];
    }
    const confidence = Math.round(rnd() * 1e4) / 1e4;
    lines.push(JSON.stringify({ dataHash: f.unit.dataHash, frame: f.frame, confidence, featureHash, box }));
  }
  return lines.join('\n') + '\n';
}

async function importFile(page: Page, origin: string, file: string, name: string) {
  await page.goto(`${origin}/#/demo/overview`);
  await page.goto(`${origin}/#/demo/predictions`);
  await page.getByTestId('import-open').click();
  await page.getByTestId('files-input').setInputFiles(file);
  await page.getByTestId('run-name-input').fill(name);
  await page.getByTestId('import-start').click();
  await page.getByTestId('import-done').waitFor({ timeout: 600_000 });
}

/**
 * One slider move: ms from the input event to the frame painted after the numbers of the new threshold are in.
 * (A string, not a function: the TypeScript loader would wrap a function's inner closures in a helper the page
 * does not have.)
 */
async function move(page: Page, value: number): Promise<[paint: number, roundTrip: number, worker: number]> {
  return page.evaluate(`(async () => {
    const slider = document.querySelector('[data-testid="iou-slider"]');
    // The label and both runs' values come from the same answer, painted in the same update.
    const label = document.querySelector('[data-testid="ea-map"] .at');
    const want = '@ IoU ${value.toFixed(2)}';
    const start = performance.now();
    slider.value = '${value}';
    slider.dispatchEvent(new Event('input', { bubbles: true }));
    await new Promise((done) => {
      const observer = new MutationObserver(() => {
        if (label.textContent === want) {
          observer.disconnect();
          done();
        }
      });
      observer.observe(document.querySelector('[data-testid="compare"]'), {
        subtree: true, attributes: true, childList: true, characterData: true,
      });
      if (label.textContent === want) done();
    });
    await new Promise((r) => requestAnimationFrame(() => r()));
    const root = document.querySelector('[data-testid="compare"]');
    return [performance.now() - start, Number(root.dataset.roundTripMs), Number(root.dataset.scoreMs)];
  })()`) as Promise<[number, number, number]>;
}

export async function run(): Promise<void> {
  const demo = join(REPO, 'public', 'demo');
  if (!existsSync(join(demo, 'project_meta.yaml'))) {
    console.log('compare page: no demo project (run `npm run demo` or `npm run build` first); skipped');
    return;
  }
  if (!existsSync(CHROMIUM_PATH)) {
    console.log(`compare page: no Chromium at ${CHROMIUM_PATH}; skipped`);
    return;
  }
  const project = await readProject(new NodeTree(demo));
  await mkdir(OUT, { recursive: true });
  const files = [join(OUT, 'run-a.ndjson'), join(OUT, 'run-b.ndjson')];
  await writeFile(files[0], demoRun(project, 100_000, 11));
  await writeFile(files[1], demoRun(project, 100_000, 12));
  await build({
    root: REPO,
    configFile: join(REPO, 'vite.config.ts'),
    logLevel: 'error',
    build: { outDir: join(OUT, 'dist') },
  });
  const server = await preview({
    root: REPO,
    configFile: join(REPO, 'vite.config.ts'),
    logLevel: 'error',
    build: { outDir: join(OUT, 'dist') },
    preview: { host: '127.0.0.1', port: 0 },
  });
  const address = server.httpServer.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await importFile(page, origin, files[0], 'bench A');
    await importFile(page, origin, files[1], 'bench B');
    await page.goto(`${origin}/#/demo/compare`);
    await page.locator('[data-testid="compare"][data-phase="ready"]').waitFor({ timeout: 600_000 });
    await page.getByTestId('ea-map-ci').waitFor({ timeout: 600_000 });
    const values = [0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.45, 0.4, 0.35, 0.3, 0.5, 0.62, 0.71, 0.58];
    await move(page, 0.52); // warm-up
    const moves: [number, number, number][] = [];
    for (const v of values) moves.push(await move(page, v));
    const times = moves.map((m) => m[0]);
    const sorted = [...times].sort((x, y) => x - y);
    console.log(
      `compare page, two 100k-prediction runs on the demo (46 frames), ${times.length} slider moves: input -> both ` +
        `runs' numbers painted: median ${fmt(median(times))} ms, max ${fmt(sorted.at(-1)!)} ms ` +
        `(${times.map((t) => t.toFixed(0)).join(' ')}); of which the worker round trip: median ` +
        `${fmt(median(moves.map((m) => m[1])))} ms, scoring inside the worker: median ${fmt(median(moves.map((m) => m[2])))} ms`,
    );
  } finally {
    await browser.close();
    await new Promise<void>((done) => server.httpServer.close(() => done()));
  }
}
