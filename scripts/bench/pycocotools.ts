// Finds a real pycocotools for the eval bench and runs it as one process per evaluation.
//
// pycocotools is never part of the project (Debian does not package it and PyPI is out of reach here): a copy
// built outside the checkout is found through PYCOCOTOOLS_PATH, or at ../pycocotools-src/PythonAPI beside the
// checkout. BENCHMARKS.md names the version the figures were measured with.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SYSTEM_PYTHON, timeProcess, type Timed } from './util.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const EVAL_SCRIPT = join(ROOT, 'scripts/bench/pycocotools_eval.py');
/** The default place, beside the checkout: /work/pycocotools-src/PythonAPI on the project machine. */
export const DEFAULT_PYCOCOTOOLS_PATH = resolve(ROOT, '../pycocotools-src/PythonAPI');

export interface Pycocotools {
  /** The directory put on PYTHONPATH, or undefined when /usr/bin/python3 imports pycocotools by itself. */
  path?: string;
  /** How it was found, for the printout. */
  origin: string;
  /** Environment for every python process that should see it. */
  env: NodeJS.ProcessEnv;
}

export interface PycocotoolsRun extends Timed {
  stats: number[];
  loadSeconds: number;
  evaluateSeconds: number;
  accumulateSeconds: number;
}

function envWith(path: string | undefined): NodeJS.ProcessEnv {
  if (!path) return process.env;
  const rest = process.env.PYTHONPATH ? `:${process.env.PYTHONPATH}` : '';
  return { ...process.env, PYTHONPATH: `${path}${rest}` };
}

/** The import error of `from pycocotools.cocoeval import COCOeval` under env, or undefined when it imports. */
function importError(env: NodeJS.ProcessEnv): string | undefined {
  if (!existsSync(SYSTEM_PYTHON)) return `${SYSTEM_PYTHON} not found`;
  try {
    execFileSync(
      SYSTEM_PYTHON,
      ['-c', 'import pycocotools.mask; from pycocotools.coco import COCO; from pycocotools.cocoeval import COCOeval'],
      { env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' },
    );
    return undefined;
  } catch (err) {
    const stderr = String((err as { stderr?: string }).stderr ?? err)
      .trim()
      .split('\n');
    return stderr[stderr.length - 1];
  }
}

/**
 * PYCOCOTOOLS_PATH when set (an error if it does not import: the caller asked for it), else the default directory
 * when it exists and imports, else /usr/bin/python3's own pycocotools, else undefined with the reason.
 */
export function findPycocotools(): { found?: Pycocotools; reason: string } {
  const asked = process.env.PYCOCOTOOLS_PATH;
  if (asked) {
    const path = resolve(asked);
    const env = envWith(path);
    const error = importError(env);
    if (error)
      throw new Error(`PYCOCOTOOLS_PATH=${asked}: ${SYSTEM_PYTHON} cannot import pycocotools from it (${error})`);
    return { found: { path, origin: `PYCOCOTOOLS_PATH=${path}`, env }, reason: '' };
  }
  const reasons: string[] = [];
  if (existsSync(DEFAULT_PYCOCOTOOLS_PATH)) {
    const env = envWith(DEFAULT_PYCOCOTOOLS_PATH);
    const error = importError(env);
    if (!error) {
      return { found: { path: DEFAULT_PYCOCOTOOLS_PATH, origin: DEFAULT_PYCOCOTOOLS_PATH, env }, reason: '' };
    }
    reasons.push(`${DEFAULT_PYCOCOTOOLS_PATH} does not import (${error})`);
  } else {
    reasons.push(`no PYCOCOTOOLS_PATH and no ${DEFAULT_PYCOCOTOOLS_PATH}`);
  }
  const error = importError(process.env);
  if (!error) return { found: { origin: `${SYSTEM_PYTHON}'s own`, env: process.env }, reason: '' };
  reasons.push(`${SYSTEM_PYTHON} has none of its own`);
  return { reason: reasons.join('; ') };
}

/** One whole `python3 pycocotools_eval.py` process: COCO + loadRes, evaluate, accumulate, summarize. */
export function runPycocotools(
  py: Pycocotools,
  gtPath: string,
  dtPath: string,
  iouType: 'bbox' | 'segm',
): PycocotoolsRun {
  const t = timeProcess(SYSTEM_PYTHON, [EVAL_SCRIPT, gtPath, dtPath, iouType], py.env);
  const out = JSON.parse(t.stdout) as { stats: number[]; load_s: number; evaluate_s: number; accumulate_s: number };
  return {
    ...t,
    stats: out.stats,
    loadSeconds: out.load_s,
    evaluateSeconds: out.evaluate_s,
    accumulateSeconds: out.accumulate_s,
  };
}
