// Finds the reference evaluators the eval bench races (pycocotools, faster-coco-eval) and runs them as whole
// processes. Neither is part of the project or ever committed: each is a copy built outside the checkout from its
// public source, found through an environment variable or a folder beside the checkout (or one of its parents).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SYSTEM_PYTHON, timeProcess, type Timed } from './util.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export interface Peer {
  name: string;
  /** The directory put on PYTHONPATH, or undefined for /usr/bin/python3's own module. */
  path?: string;
  origin: string;
  env: NodeJS.ProcessEnv;
  script: string;
}

export interface PeerRun extends Timed {
  stats: number[];
  loadSeconds: number;
  evaluateSeconds: number;
  accumulateSeconds: number;
}

interface PeerSpec {
  name: string;
  envVar: string;
  /** Folders (relative to the checkout and to each of its parents) that may hold it. */
  beside: string[];
  importCheck: string;
  script: string;
}

export const PYCOCOTOOLS: PeerSpec = {
  name: 'pycocotools',
  envVar: 'PYCOCOTOOLS_PATH',
  beside: ['pycocotools-src/PythonAPI', 'ref/pycocotools/PythonAPI'],
  importCheck: 'import pycocotools.mask; from pycocotools.coco import COCO; from pycocotools.cocoeval import COCOeval',
  script: join(ROOT, 'scripts/bench/pycocotools_eval.py'),
};

export const FASTER_COCO_EVAL: PeerSpec = {
  name: 'faster-coco-eval',
  envVar: 'FASTER_COCO_EVAL_PATH',
  beside: ['ref/faster_coco_eval', 'faster_coco_eval', 'faster-coco-eval'],
  importCheck: 'from faster_coco_eval import COCO, COCOeval_faster',
  script: join(ROOT, 'scripts/bench/faster_coco_eval_eval.py'),
};

function envWith(path: string | undefined): NodeJS.ProcessEnv {
  if (!path) return process.env;
  const rest = process.env.PYTHONPATH ? `:${process.env.PYTHONPATH}` : '';
  return { ...process.env, PYTHONPATH: `${path}${rest}` };
}

function importError(env: NodeJS.ProcessEnv, check: string): string | undefined {
  if (!existsSync(SYSTEM_PYTHON)) return `${SYSTEM_PYTHON} not found`;
  try {
    execFileSync(SYSTEM_PYTHON, ['-c', check], { env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    return undefined;
  } catch (err) {
    const lines = String((err as { stderr?: string }).stderr ?? err)
      .trim()
      .split('\n');
    return lines[lines.length - 1];
  }
}

/** The folders beside the checkout and beside each of its parents, nearest first. */
function besideCandidates(relative: string[]): string[] {
  const out: string[] = [];
  for (let dir = dirname(ROOT); ; dir = dirname(dir)) {
    for (const r of relative) out.push(join(dir, r));
    if (dirname(dir) === dir) break;
  }
  return out;
}

/** The peer from its environment variable (an error when it does not import), a folder beside, or Python's own. */
export function findPeer(spec: PeerSpec): { found?: Peer; reason: string } {
  const asked = process.env[spec.envVar];
  if (asked) {
    const path = resolve(asked);
    const env = envWith(path);
    const error = importError(env, spec.importCheck);
    if (error) throw new Error(`${spec.envVar}=${asked}: ${SYSTEM_PYTHON} cannot import ${spec.name} (${error})`);
    return { found: { name: spec.name, path, origin: `${spec.envVar}=${path}`, env, script: spec.script }, reason: '' };
  }
  const reasons: string[] = [];
  for (const path of besideCandidates(spec.beside)) {
    if (!existsSync(path)) continue;
    const env = envWith(path);
    const error = importError(env, spec.importCheck);
    if (!error) return { found: { name: spec.name, path, origin: path, env, script: spec.script }, reason: '' };
    reasons.push(`${path} does not import (${error})`);
  }
  if (!importError(process.env, spec.importCheck)) {
    return {
      found: { name: spec.name, origin: `${SYSTEM_PYTHON}'s own`, env: process.env, script: spec.script },
      reason: '',
    };
  }
  reasons.push(`no ${spec.envVar}, no ${spec.beside.join(' or ')} beside the checkout or a parent`);
  return { reason: reasons.join('; ') };
}

/** One whole process of the peer's timing script: load, evaluate, accumulate, summarize. */
export function runPeer(
  peer: Peer,
  gtPath: string,
  dtPath: string,
  iouType: 'bbox' | 'segm',
  timeoutMs?: number,
): PeerRun {
  const t = timeProcess(SYSTEM_PYTHON, [peer.script, gtPath, dtPath, iouType], peer.env, timeoutMs);
  const out = JSON.parse(t.stdout) as { stats: number[]; load_s: number; evaluate_s: number; accumulate_s: number };
  return {
    ...t,
    stats: out.stats,
    loadSeconds: out.load_s,
    evaluateSeconds: out.evaluate_s,
    accumulateSeconds: out.accumulate_s,
  };
}
