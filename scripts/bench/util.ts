// Small helpers shared by the benchmark parts.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Runs from the environment (BENCH_RUNS), else `fallback`. */
export function benchRuns(fallback: number): number {
  const n = Number(process.env.BENCH_RUNS);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** Median wall time in ms of `runs` calls of `fn`, after one warm-up call. */
export function medianMs(runs: number, fn: () => unknown): number {
  fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  return times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
}

/** Debian's Python, which has OpenCV (the python3 first on PATH does not see it). */
export const SYSTEM_PYTHON = '/usr/bin/python3';

/** True when SYSTEM_PYTHON can import all the given modules. */
export function pythonHas(...modules: string[]): boolean {
  if (!existsSync(SYSTEM_PYTHON)) return false;
  try {
    execFileSync(SYSTEM_PYTHON, ['-c', modules.map((m) => `import ${m}`).join('; ')], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Prints rows as an aligned text table (first row = header). */
export function printTable(rows: (string | number)[][]) {
  const text = rows.map((r) => r.map(String));
  const widths = text[0].map((_, c) => Math.max(...text.map((r) => r[c].length)));
  for (const [i, r] of text.entries()) {
    console.log(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}

export const fmt = (ms: number) => ms.toFixed(2);
