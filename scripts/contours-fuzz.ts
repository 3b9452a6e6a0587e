// Compares traceContours with OpenCV on many random masks (both modes), for work on assembly/contours.ts.
// Usage: npx tsx scripts/contours-fuzz.ts [count=2000] [seed=1] [minSide=1] [maxSide=40]
// Needs /usr/bin/python3 with cv2 and numpy (scripts/contours_fuzz.py makes the masks and OpenCV's answers).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { traceContours, type Contour } from '../src/kernels/contours.ts';
import { loadKernels } from '../src/kernels/node.ts';

interface Case {
  w: number;
  h: number;
  v: number[];
  cl: Record<string, { e: unknown[]; c: unknown[] }>;
}

const [count = '2000', seed = '1', minSide = '1', maxSide = '40'] = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), 'predlens-fuzz-'));
const file = join(dir, 'cases.json');
execFileSync('/usr/bin/python3', [
  new URL('./contours_fuzz.py', import.meta.url).pathname,
  seed,
  count,
  minSide,
  maxSide,
  file,
]);
const cases = JSON.parse(readFileSync(file, 'utf8')) as Case[];
rmSync(dir, { recursive: true, force: true });

const kernels = await loadKernels();
const points = (c: Contour) =>
  Array.from({ length: c.points.length / 2 }, (_, i) => [c.points[2 * i], c.points[2 * i + 1]]);
const simple = (c: Contour) => ({ p: points(c), a: c.area });
const withHoles = (c: Contour) => ({ ...simple(c), h: c.holes!.map((h) => ({ ...simple(h), h: [] })) });

let failed = 0;
for (const [i, t] of cases.entries()) {
  const values = Uint8Array.from(t.v);
  const external = traceContours(kernels, values, t.w, t.h).classes;
  const ccomp = traceContours(kernels, values, t.w, t.h, { holes: true }).classes;
  const got = JSON.stringify({
    e: Object.fromEntries([...external].map(([v, l]) => [v, l.map(simple)])),
    c: Object.fromEntries([...ccomp].map(([v, l]) => [v, l.map(withHoles)])),
  });
  const want = JSON.stringify({
    e: Object.fromEntries(Object.entries(t.cl).map(([v, x]) => [v, x.e])),
    c: Object.fromEntries(Object.entries(t.cl).map(([v, x]) => [v, x.c])),
  });
  if (got !== want && failed++ < 3)
    console.log(`case ${i} (${t.w}x${t.h}) differs:\n  ours   ${got.slice(0, 400)}\n  opencv ${want.slice(0, 400)}`);
}
console.log(`${cases.length} random masks, ${failed} differ from OpenCV`);
process.exitCode = failed ? 1 : 0;
