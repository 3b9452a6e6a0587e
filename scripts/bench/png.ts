// Bench part "png": decoding class-index masks (the slowest step of a mask import) in predlens
// (decodeClassMask, src/core/png.ts) and in Pillow (np.array(Image.open()), what Encord Active runs) on the same
// files, side by side: median CPU ms per file and whether both give the same values (sha1 of the stored samples:
// palette indices, grey levels, 16-bit values). Masks: the full-HD fixture, and full-HD grey 8-bit, palette, 16-bit
// and speckled masks that Pillow writes (with its own filter choices) into bench-results/png/. Target: predlens
// within 1.5x of Pillow.
//
// Run: npm run bench -- png (BENCH_RUNS timed decodes per file, default 21).
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeClassMask } from '../../src/core/png.ts';
import { SYSTEM_PYTHON, benchRuns, median, printTable, pythonHas } from './util.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const OUT = join(ROOT, 'bench-results', 'png');
const SCRIPT = join(ROOT, 'scripts/bench/pillow_png.py');

function sha1Of(values: Uint8Array | Uint16Array): string {
  const bytes =
    values instanceof Uint16Array
      ? new Uint8Array(Uint16Array.from(values).buffer) // little-endian on x86, as numpy's "<u2"
      : values;
  return createHash('sha1').update(bytes).digest('hex');
}

export async function run(): Promise<void> {
  if (!pythonHas('numpy', 'PIL')) {
    console.log(`png bench: ${SYSTEM_PYTHON} has no numpy/Pillow; nothing to compare with`);
    return;
  }
  mkdirSync(OUT, { recursive: true });
  if (!existsSync(join(OUT, 'grey16_1920x1080.png'))) execFileSync(SYSTEM_PYTHON, [SCRIPT, 'make', OUT]);
  const files = [
    join(ROOT, 'test/fixtures/shared/masks/png/fullhd_blobs_1920x1080_L.png'),
    ...['grey8_1920x1080.png', 'grey8_speckle_1920x1080.png', 'palette8_1920x1080.png', 'grey16_1920x1080.png'].map(
      (f) => join(OUT, f),
    ),
  ];
  const runs = benchRuns(21);
  const load0 = loadavg()[0];
  const rows: (string | number)[][] = [
    ['file', 'KB', 'predlens ms', 'Pillow ms', 'predlens / Pillow', 'target <= 1.5x', 'same values'],
  ];
  for (const file of files) {
    const bytes = new Uint8Array(readFileSync(file));
    // Alternate: a Pillow process, then predlens, then Pillow again; the Pillow figure is the median of both.
    const pillow = () =>
      JSON.parse(execFileSync(SYSTEM_PYTHON, [SCRIPT, 'time', String(runs), file], { encoding: 'utf8' }));
    const p1 = pillow();
    decodeClassMask(bytes, file);
    const times: number[] = [];
    let values: Uint8Array | Uint16Array = new Uint8Array(0);
    for (let i = 0; i < runs; i++) {
      // CPU time, like the Pillow side: on a shared machine wall time measures the neighbours.
      const t = process.cpuUsage();
      values = decodeClassMask(bytes, file).values;
      const u = process.cpuUsage(t);
      times.push((u.user + u.system) / 1000);
    }
    const p2 = pillow();
    const ours = median(times);
    const theirs = (p1.ms + p2.ms) / 2;
    rows.push([
      file.split('/').pop()!,
      (bytes.length / 1024).toFixed(0),
      ours.toFixed(2),
      theirs.toFixed(2),
      `${(ours / theirs).toFixed(2)}x`,
      ours / theirs <= 1.5 ? 'met' : 'NOT MET',
      sha1Of(values) === p1.sha1 ? `yes (${p1.mode})` : 'DIFFER',
    ]);
    if (sha1Of(values) !== p1.sha1) process.exitCode = 1;
  }
  console.log(
    `\nclass-mask PNG decoding, median CPU ms of ${runs} decodes per file, in process; load average ${load0.toFixed(2)} -> ${loadavg()[0].toFixed(2)}`,
  );
  printTable(rows);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await run();
