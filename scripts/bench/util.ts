// Small helpers shared by the benchmark parts.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** Runs from the environment (BENCH_RUNS), else `fallback`. */
export function benchRuns(fallback: number): number {
  const n = Number(process.env.BENCH_RUNS);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** Median of a non-empty list. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export interface Timed {
  seconds: number;
  /** User + system CPU seconds of the process and its threads (GNU time); less disturbed by a busy machine. */
  cpuSeconds?: number;
  maxRssKb?: number;
  stdout: string;
  stderr: string;
}

/** Runs a command as one process from the repo root; wall time around the spawn, CPU and max RSS by GNU time. */
export function timeProcess(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs?: number,
): Timed {
  const gnuTime = existsSync('/usr/bin/time');
  const options = { cwd: ROOT, env, encoding: 'utf8' as const, maxBuffer: 1 << 26, timeout: timeoutMs };
  const start = performance.now();
  const p = gnuTime
    ? spawnSync('/usr/bin/time', ['-f', '%U %S %M', cmd, ...args], options)
    : spawnSync(cmd, args, options);
  const seconds = (performance.now() - start) / 1000;
  if (p.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${p.status ?? p.signal}):\n${p.stderr}`);
  const [user, sys, rss] = gnuTime ? (p.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number) : [];
  const cpu = user + sys;
  return {
    seconds,
    cpuSeconds: Number.isFinite(cpu) ? cpu : undefined,
    maxRssKb: Number.isFinite(rss) ? rss : undefined,
    stdout: p.stdout,
    stderr: p.stderr,
  };
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
