// One whole `node bin/predlens.js coco-eval ... --json` process for the eval benches (eval.ts, scale.ts,
// eval-page.ts), with the CLI's own time split read from stderr.
import { timeProcess, type Timed } from './util.ts';

type IouType = 'bbox' | 'segm';

/** The CLI's own time split (PREDLENS_COCO_TIMING=1): ms since the process started, per part, and the merge. */
export interface Split {
  startMs: number;
  totalMs: number;
  parts?: { read: number; evaluate: number; accumulate: number }[];
  summarizeMs?: number;
  reference?: string;
}

export interface PredlensRun extends Timed {
  stats: number[];
  split?: Split;
}

/** One whole `node bin/predlens.js coco-eval ... --json` process. */
export function runPredlens(gtPath: string, dtPath: string, iouType: IouType, env?: NodeJS.ProcessEnv): PredlensRun {
  const args = ['bin/predlens.js', 'coco-eval', gtPath, dtPath, '--iou-type', iouType, '--json'];
  const t = timeProcess(process.execPath, args, { ...process.env, PREDLENS_COCO_TIMING: '1', ...env });
  const line = t.stderr.split('\n').find((l) => l.startsWith('predlens-timing '));
  const split = line ? (JSON.parse(line.slice('predlens-timing '.length)) as Split) : undefined;
  return { ...t, stats: JSON.parse(t.stdout).stats as number[], split };
}
