// Malformed COCO-eval input, one case each, through the CLI as a user runs it: every case must fail with exit code 1
// and a message naming the file, the record and what is wrong, never a crash, a hang or silent -1 results. Where
// pycocotools 2.0.11 raises, the message says what it raises (checked with /work/pycocotools-src, see each case).
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../fixtures.ts';
import { cocoInputCases as cases, det } from '../malformed/cases/coco-eval-inputs.ts';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'predlens-coco-bad-'));

describe('coco-eval refuses malformed input by name', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const base = join(dir, c.name.replace(/\W+/g, '-'));
      const files = { gt: `${base}-gt.json`, dt: `${base}-dt.json`, params: `${base}-params.json` };
      writeFileSync(files.gt, JSON.stringify(c.gt));
      writeFileSync(files.dt, JSON.stringify(c.dt ?? [det]));
      const args = ['bin/predlens.js', 'coco-eval', files.gt, files.dt, '--iou-type', 'bbox', '--json'];
      if (c.params !== undefined) {
        writeFileSync(files.params, JSON.stringify(c.params));
        args.push('--params', files.params);
      }
      const err = await run('node', args, { cwd: REPO_ROOT, timeout: 20_000 }).then(
        (ok) => ({ code: 0, stderr: ok.stderr, stdout: ok.stdout }),
        (e: { code: number; stderr: string; stdout: string }) => e,
      );
      expect(err.stdout, 'no stats for malformed input').toBe('');
      expect(err.code).toBe(1);
      expect(err.stderr).toContain(files[c.file]);
      expect(err.stderr).toMatch(c.says);
      expect(err.stderr).not.toMatch(/TypeError|Cannot read properties|is not iterable|undefined/);
    });
  }
});
