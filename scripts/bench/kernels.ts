// Bench part "kernels": contour tracing of full-HD class masks against OpenCV side by side, PNG decoding, and
// throughput lines for the other kernels (RLE IoU, box IoU).
//
// Contours: predlens traces all classes of a mask in one traceContours call (copy into wasm memory, kernel, results
// copied out). OpenCV (scripts/bench/opencv_contours.py, when /usr/bin/python3 has cv2) is timed on the same
// values, per class as Encord Active calls it: findContours(mask == v, RETR_EXTERNAL, CHAIN_APPROX_SIMPLE), summed
// over the classes; once with the binary masks made beforehand (findContours alone) and once with np.unique and
// mask == v inside the timing (EA's loop). Both sides hash their contours so the table also shows they agree.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeClassMask } from '../../src/core/png.ts';
import { cocoBoxIouMatrix, eaBoxIouMatrix } from '../../src/kernels/boxes.ts';
import { traceContours, type ClassContours } from '../../src/kernels/contours.ts';
import { loadKernels } from '../../src/kernels/node.ts';
import { rleFromPolygon, rleIouMatrix, type Rle } from '../../src/kernels/rle.ts';
import type { Kernels } from '../../src/kernels/wasm.ts';
import { SYSTEM_PYTHON, benchRuns, fmt, medianMs, printTable, pythonHas } from './util.ts';

const FIXTURES = process.env.PREDLENS_FIXTURES ?? new URL('../../test/fixtures/shared', import.meta.url).pathname;
const WIDTH = 1920;
const HEIGHT = 1080;

interface BenchMask {
  name: string;
  values: Uint8Array | Uint16Array;
  png?: string;
}

/** A deterministic pseudo-random generator (LCG), so every run benches the same masks. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Voronoi-like regions: each pixel takes the class of the nearest of ~500 jittered seeds. */
function regions(classOf: (r: () => number) => number, wide: boolean, seed: number) {
  const rnd = random(seed);
  const cell = 64;
  const cols = Math.ceil(WIDTH / cell);
  const rows = Math.ceil(HEIGHT / cell);
  const seeds = Array.from({ length: cols * rows }, (_, i) => ({
    x: ((i % cols) + rnd()) * cell,
    y: (Math.floor(i / cols) + rnd()) * cell,
    value: classOf(rnd),
  }));
  const values = wide ? new Uint16Array(WIDTH * HEIGHT) : new Uint8Array(WIDTH * HEIGHT);
  for (let y = 0; y < HEIGHT; y++) {
    const cy = Math.floor(y / cell);
    for (let x = 0; x < WIDTH; x++) {
      const cx = Math.floor(x / cell);
      let best = Infinity;
      let value = 0;
      for (let j = Math.max(0, cy - 1); j <= Math.min(rows - 1, cy + 1); j++) {
        for (let i = Math.max(0, cx - 1); i <= Math.min(cols - 1, cx + 1); i++) {
          const s = seeds[j * cols + i];
          const d = (s.x - x) ** 2 + (s.y - y) ** 2;
          if (d < best) {
            best = d;
            value = s.value;
          }
        }
      }
      values[y * WIDTH + x] = value;
    }
  }
  return values;
}

function benchMasks(): BenchMask[] {
  const png = join(FIXTURES, 'masks/png/fullhd_blobs_1920x1080_L.png');
  const blobs = decodeClassMask(readFileSync(png), png).values as Uint8Array;
  const speckle = blobs.slice();
  const rnd = random(7);
  for (let i = 0; i < speckle.length; i++) if (rnd() < 0.002) speckle[i] = Math.floor(rnd() * 11);
  return [
    { name: 'fullhd_blobs (fixture, 10 classes)', values: blobs, png },
    { name: 'blobs + 0.2% speckle', values: speckle },
    { name: 'regions, 40 classes', values: regions((r) => Math.floor(r() * 41), false, 11) },
    {
      name: 'regions, 16-bit values',
      values: regions((r) => (r() < 0.1 ? 0 : 1 + Math.floor(r() * 60) * 1000), true, 13),
    },
  ];
}

/** The same text OpenCV's side hashes: [[value, [[x, y, x, y, ...], ...]], ...] in OpenCV's order. */
function digest(result: ClassContours): string {
  const doc = [...result.classes].map(([value, list]) => [value, list.map((c) => Array.from(c.points))]);
  return createHash('sha1').update(JSON.stringify(doc)).digest('hex');
}

interface OpenCvResult {
  name: string;
  find_contours_ms: number;
  ea_loop_ms: number;
  decode_ms?: number;
  digest: string;
}

function runOpenCv(masks: BenchMask[], runs: number): OpenCvResult[] | undefined {
  if (!pythonHas('cv2', 'numpy', 'PIL')) {
    console.log(`(${SYSTEM_PYTHON} has no cv2/numpy/PIL: OpenCV columns skipped)`);
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'predlens-bench-'));
  try {
    const manifest = masks.map((m, i) => {
      const raw = join(dir, `mask${i}.raw`);
      writeFileSync(raw, new Uint8Array(m.values.buffer, m.values.byteOffset, m.values.byteLength));
      const dtype = m.values instanceof Uint16Array ? 'uint16' : 'uint8';
      return { name: m.name, raw, dtype, width: WIDTH, height: HEIGHT, png: m.png };
    });
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    const script = new URL('./opencv_contours.py', import.meta.url).pathname;
    const out = execFileSync(SYSTEM_PYTHON, [script, join(dir, 'manifest.json'), String(runs)], {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    return JSON.parse(out) as OpenCvResult[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function benchContours(kernels: Kernels) {
  const runs = benchRuns(31);
  console.log(`Contours of all classes of ${WIDTH}x${HEIGHT} masks, median of ${runs} runs (ms)`);
  const masks = benchMasks();
  const ours = masks.map((m) => {
    let result: ClassContours | undefined;
    const ms = medianMs(runs, () => (result = traceContours(kernels, m.values, WIDTH, HEIGHT)));
    const contours = [...result!.classes.values()].reduce((n, l) => n + l.length, 0);
    return { ms, classes: result!.classes.size, contours, digest: digest(result!) };
  });
  const cv = runOpenCv(masks, runs);
  const rows: (string | number)[][] = [
    [
      'mask',
      'classes',
      'contours',
      'predlens',
      'OpenCV findContours',
      'ratio',
      'OpenCV EA loop',
      'ratio',
      'same contours',
    ],
  ];
  masks.forEach((m, i) => {
    const o = ours[i];
    const c = cv?.[i];
    rows.push([
      m.name,
      o.classes,
      o.contours,
      fmt(o.ms),
      c ? fmt(c.find_contours_ms) : '-',
      c ? (o.ms / c.find_contours_ms).toFixed(2) : '-',
      c ? fmt(c.ea_loop_ms) : '-',
      c ? (o.ms / c.ea_loop_ms).toFixed(3) : '-',
      c ? (c.digest === o.digest ? 'yes' : 'NO') : '-',
    ]);
  });
  printTable(rows);
  console.log('predlens = traceContours (copy in, one pass over all classes, copy out); OpenCV findContours = the');
  console.log(
    'per-class calls on ready binary masks, summed; OpenCV EA loop = np.unique + (mask == v) + findContours.',
  );

  const png = masks[0].png!;
  const bytes = readFileSync(png);
  const decodeMs = medianMs(Math.min(runs, 11), () => decodeClassMask(bytes, png));
  const pil = cv?.[0].decode_ms;
  console.log(
    `\nPNG decode of fullhd_blobs_1920x1080_L.png (not in the times above): predlens decodeClassMask ${fmt(decodeMs)} ms` +
      (pil !== undefined ? `, Pillow np.array(Image.open()) ${fmt(pil)} ms` : ''),
  );
}

/** Random star-shaped polygons, as detections and ground truths look in segm evaluation. */
function polygons(count: number, seed: number, h: number, w: number): number[][] {
  const rnd = random(seed);
  return Array.from({ length: count }, () => {
    const cx = rnd() * w;
    const cy = rnd() * h;
    const r = 10 + rnd() * 80;
    const n = 12;
    return Array.from({ length: 2 * n }, (_, k) => {
      const a = (Math.floor(k / 2) / n) * 2 * Math.PI;
      const rr = r * (0.6 + 0.4 * rnd());
      return k % 2 ? cy + rr * Math.sin(a) : cx + rr * Math.cos(a);
    });
  });
}

function benchIou(kernels: Kernels) {
  const runs = benchRuns(31);
  const [h, w] = [480, 640];
  const dts: Rle[] = polygons(100, 1, h, w).map((p) => rleFromPolygon(kernels, p, h, w));
  const gts: Rle[] = polygons(100, 2, h, w).map((p) => rleFromPolygon(kernels, p, h, w));
  const crowd = new Uint8Array(gts.length);
  const rleMs = medianMs(runs, () => rleIouMatrix(kernels, dts, gts, crowd));

  const rnd = random(3);
  const box = (n: number) =>
    Float64Array.from({ length: 4 * n }, (_, i) => (i % 4 < 2 ? rnd() * 600 : 5 + rnd() * 100));
  const [bd, bg] = [box(1000), box(1000)];
  const cocoMs = medianMs(runs, () => cocoBoxIouMatrix(bd, bg, new Uint8Array(1000)));
  const xyxy = (b: Float64Array) => Float32Array.from(b, (v, i) => (i % 4 < 2 ? v : v + b[i - 2]));
  const [pd, pg] = [xyxy(bd), xyxy(bg)];
  const eaMs = medianMs(runs, () => eaBoxIouMatrix(pd, pg));

  console.log(`\nIoU throughput, median of ${runs} runs`);
  printTable([
    ['kernel', 'pairs', 'ms', 'pairs/s'],
    [
      'rleIouMatrix (segm, 640x480 polygons)',
      '100x100',
      fmt(rleMs),
      Math.round(1e4 / (rleMs / 1e3)).toLocaleString('en'),
    ],
    [
      'cocoBoxIouMatrix (float64, crowd rule)',
      '1000x1000',
      fmt(cocoMs),
      Math.round(1e6 / (cocoMs / 1e3)).toLocaleString('en'),
    ],
    [
      'eaBoxIouMatrix (torchvision float32)',
      '1000x1000',
      fmt(eaMs),
      Math.round(1e6 / (eaMs / 1e3)).toLocaleString('en'),
    ],
  ]);
}

export async function run() {
  const kernels = await loadKernels();
  benchContours(kernels);
  benchIou(kernels);
}
