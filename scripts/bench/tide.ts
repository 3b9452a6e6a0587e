// Bench part "tide": TIDE (tidecv's rules, core/eval/tide) on the large COCO case (5,000 images, 80 classes, 35,039
// labels, 99,551 detections; bench-results/coco-large/, generated and checked as the "eval" part does), box mode on
// dt_bbox.json and mask mode on dt_segm.json, in a worker (node:worker_threads, a fresh one per run: the first TIDE
// of a worker, JIT cold, as the page's first request is). Beside it, when tidecv is found (TIDE_SRC, default
// ../ref/tide or ../../ref/tide beside the checkout, with pycocotools from PYCOCOTOOLS_PATH or ../pycocotools-src/PythonAPI),
// tidecv's own time on the same files, and the numbers of both must agree to 1e-9.
//
// Run: npm run bench -- tide. BENCH_RUNS (default 5) sets the worker runs; BENCH_TIDECV=0 skips tidecv (30+ s).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ensureLargeCase } from './eval.ts';
import { findPeer, PYCOCOTOOLS } from './peers.ts';
import { benchRuns, median, printTable, SYSTEM_PYTHON } from './util.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const TARGET_MS = 2000;

interface WorkerAnswer {
  parseMs: number;
  tideMs: number[];
  cpuMs: number[];
  ap: number;
  main: Record<string, number>;
  special: Record<string, number>;
  counts: Record<string, number>;
}

function inWorker(gtPath: string, dtPath: string, mode: 'bbox' | 'mask', repeat: number): Promise<WorkerAnswer> {
  return new Promise((resolvePromise, reject) => {
    // A worker thread does not inherit tsx's loader: it registers it, then imports the TypeScript entry.
    const entry = new URL('./tide-worker.ts', import.meta.url).href;
    const boot = `import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(entry)}); })`;
    const worker = new Worker(boot, { eval: true, workerData: { gtPath, dtPath, mode, repeat } });
    worker.once('message', (m: WorkerAnswer) => {
      resolvePromise(m);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

function tidecv(gtPath: string, dtPath: string, mode: string) {
  const tideSrc =
    process.env.TIDE_SRC ??
    [resolve(ROOT, '../ref/tide'), resolve(ROOT, '../../ref/tide')].find((d) => existsSync(join(d, 'tidecv'))) ??
    resolve(ROOT, '../ref/tide');
  const py = findPeer(PYCOCOTOOLS).found;
  if (process.env.BENCH_TIDECV === '0') return { reason: 'BENCH_TIDECV=0' };
  if (!existsSync(join(tideSrc, 'tidecv')) || !py) return { reason: `tidecv not found (${tideSrc}) or no pycocotools` };
  const env = { ...process.env, PYTHONPATH: `${tideSrc}:${py.env.PYTHONPATH}`, MPLBACKEND: 'Agg' };
  const started = performance.now();
  const p = spawnSync(SYSTEM_PYTHON, [join(ROOT, 'scripts/bench/tidecv_time.py'), gtPath, dtPath, mode], {
    env,
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (p.status !== 0) return { reason: `tidecv failed: ${p.stderr.trim().split('\n').pop()}` };
  const out = JSON.parse(p.stdout.trim().split('\n').pop()!) as {
    load: number;
    evaluate: number;
    errors: number;
    ap: number;
    main: Record<string, number>;
    special: Record<string, number>;
  };
  return { ...out, wholeSeconds: (performance.now() - started) / 1000 };
}

export async function run(): Promise<void> {
  const cache = ensureLargeCase();
  const runs = benchRuns(5);
  console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, load average ${loadavg()[0].toFixed(2)}`);
  const rows: (string | number)[][] = [
    [
      'mode',
      'parse JSON ms',
      'TIDE cold ms (median)',
      'runs (ms)',
      'CPU ms (median)',
      'TIDE warm ms',
      'target',
      'tidecv s',
      'same numbers',
    ],
  ];
  let failed = false;
  for (const [mode, dtFile] of [
    ['bbox', 'dt_bbox.json'],
    ['mask', 'dt_segm.json'],
  ] as const) {
    const gtPath = join(cache, 'gt.json');
    const dtPath = join(cache, dtFile);
    const answers: WorkerAnswer[] = [];
    for (let i = 0; i < runs; i++) {
      answers.push(await inWorker(gtPath, dtPath, mode, i === 0 ? 3 : 1));
      console.log(`  ${mode} run ${i + 1}/${runs}: TIDE ${answers[i].tideMs[0].toFixed(0)} ms in a fresh worker`);
    }
    const cold = answers.map((a) => a.tideMs[0]);
    const warm = answers[0].tideMs.slice(1);
    const ours = answers[0];
    const theirs = tidecv(gtPath, dtPath, mode);
    let same = '-';
    let tidecvSeconds = 'reason' in theirs ? `- (${theirs.reason})` : '';
    if (!('reason' in theirs)) {
      const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9;
      const agree =
        close(ours.ap, theirs.ap) &&
        Object.keys(theirs.main).every((k) => close(ours.main[k], theirs.main[k])) &&
        Object.keys(theirs.special).every((k) => close(ours.special[k], theirs.special[k]));
      same = agree ? 'yes' : 'NO';
      failed ||= !agree;
      tidecvSeconds =
        `${(theirs.load + theirs.evaluate + theirs.errors).toFixed(1)} (load ${theirs.load.toFixed(1)}, ` +
        `evaluate ${theirs.evaluate.toFixed(1)}, errors ${theirs.errors.toFixed(1)})`;
    }
    const coldMedian = median(cold);
    if (mode === 'bbox') failed ||= coldMedian >= TARGET_MS;
    rows.push([
      mode,
      median(answers.map((a) => a.parseMs)).toFixed(0),
      coldMedian.toFixed(0),
      cold.map((t) => t.toFixed(0)).join(' '),
      median(answers.map((a) => a.cpuMs[0])).toFixed(0),
      warm.map((t) => t.toFixed(0)).join(' '),
      mode === 'bbox' ? `< ${TARGET_MS} ms: ${coldMedian < TARGET_MS ? 'met' : 'MISSED'}` : '-',
      tidecvSeconds,
      same,
    ]);
    console.log(
      `  ${mode}: AP ${ours.ap.toFixed(4)}, main ${Object.entries(ours.main)
        .map(([k, v]) => `${k} ${v.toFixed(2)}`)
        .join(' ')}, errors ${Object.values(ours.counts).reduce((a, b) => a + b, 0)}`,
    );
  }
  console.log(
    `\nTIDE on the large case (${runs} fresh workers per mode; warm = 2nd and 3rd call in the first worker):`,
  );
  printTable(rows);
  if (failed) process.exitCode = 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await run();
