// `predlens import` as a user runs it: node bin/predlens.js import ..., stdout, stderr, exit code.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { fixture, REPO_ROOT } from '../fixtures.ts';
import { loadKernels } from '../../src/kernels/node.ts';
import { NodeTree } from '../../src/files/node-fs.ts';
import { readProject } from '../../src/core/project/read.ts';
import { readPklBytes } from '../../src/core/formats/pkl.ts';
import { readNativeText } from '../../src/core/formats/native.ts';

const run = promisify(execFile);
const EA_MINI = fixture('ea-mini');
const IMG_A = '668c6d1a-0217-4097-b930-8dfc03db62b4';

async function predlens(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', ['bin/predlens.js', 'import', ...args], { cwd: REPO_ROOT });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const project = await readProject(new NodeTree(EA_MINI));
const kernels = await loadKernels();
const fromPkl = readPklBytes(
  kernels,
  project,
  readFileSync(join(EA_MINI, 'predictions.pkl')),
  'predictions.pkl',
).predictions;

describe('predlens import', () => {
  it('--format pkl --json prints the 6 ea-mini predictions as native records and the report', async () => {
    const { code, stdout, stderr } = await predlens(
      EA_MINI,
      join(EA_MINI, 'predictions.pkl'),
      '--format',
      'pkl',
      '--json',
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(Object.keys(out)).toEqual(['format', 'predictions', 'report']);
    expect(out.report).toEqual({ imported: 6, rejected: [], warnings: [] });
    expect(out.predictions[1]).toEqual({
      dataHash: IMG_A,
      frame: 0,
      confidence: 0.9,
      featureHash: 'XO9aOmE8',
      box: { x: 0.11, y: 0.1, w: 0.3, h: 0.3 },
    });
    expect(out.predictions[5].mask.size).toEqual([80, 100]);
    // The printed JSON is itself a native file: it reads back as the same predictions.
    expect(readNativeText(project, stdout, 'out.json').predictions).toEqual(fromPkl);
  });

  it('detects the format when --format is absent and prints a summary', async () => {
    const { code, stdout, stderr } = await predlens(EA_MINI, join(EA_MINI, 'predictions.pkl'));
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain(`Imported 6 prediction(s) from ${join(EA_MINI, 'predictions.pkl')} (format pkl)`);
    expect(stdout).toContain('per class: Car (bounding_box) 4, Cat (polygon) 2');
    expect(stdout).toContain('per kind: box 4, mask 1, polygon 1');
    expect(stdout).toContain('Rejected 0');
    expect(stdout).toContain('detected format pkl: a .pkl file');
  });

  it('exits 0 with rejected records, listing each with its file, record and reason; --out saves the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'predlens-import-'));
    const good = {
      dataHash: IMG_A,
      frame: 0,
      confidence: 0.9,
      featureHash: 'XO9aOmE8',
      box: { x: 0.1, y: 0.1, w: 0.2, h: 0.2 },
    };
    writeFileSync(
      join(dir, 'run.ndjson'),
      [good, { ...good, featureHash: 'nope' }, { ...good, box: { x: 0.1, y: 0.1, w: 1, h: 0.2 } }]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    const out = join(dir, 'saved.json');
    const { code, stdout, stderr } = await predlens(EA_MINI, join(dir, 'run.ndjson'), '--out', out);
    expect(code).toBe(0);
    expect(stderr).toBe(`predlens import: wrote 1 predictions to ${out}\n`);
    expect(stdout).toContain('Imported 1 prediction(s)');
    expect(stdout).toContain('Rejected 2\n  by reason: out_of_bounds 1, unknown_class 1\n');
    expect(stdout).toContain('  run.ndjson, line 2: class nope is not an object of the ontology\n');
    expect(stdout).toContain('  run.ndjson, line 3: bounding box x+w = 1.1 > 1\n');
    // what --out wrote is the "writer" format
    const back = await predlens(EA_MINI, out, '--format', 'writer', '--json');
    expect(JSON.parse(back.stdout).predictions).toEqual([good]);
  });

  it('passes options through: a YOLO file with --class-map', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'predlens-import-yolo-'));
    writeFileSync(join(dir, `${IMG_A}.txt`), '7 0.5 0.5 0.2 0.25 0.8\n');
    writeFileSync(join(dir, 'map.json'), JSON.stringify({ '7': 'XO9aOmE8' }));
    const { code, stdout, stderr } = await predlens(
      EA_MINI,
      join(dir, `${IMG_A}.txt`),
      '--class-map',
      join(dir, 'map.json'),
      '--json',
    );
    expect(code).toBe(0);
    expect(stderr).toMatch(/^predlens import: detected format yolo/);
    const out = JSON.parse(stdout);
    expect(out.format).toBe('yolo');
    expect(out.predictions).toEqual([
      {
        dataHash: IMG_A,
        frame: 0,
        confidence: 0.8,
        featureHash: 'XO9aOmE8',
        box: { x: 0.4, y: 0.375, w: 0.2, h: 0.25 },
      },
    ]);
  });

  it('refuses a hostile pickle with exit 1, naming the global, printing nothing on stdout', async () => {
    const { code, stdout, stderr } = await predlens(EA_MINI, fixture('pkl', 'hostile_os_system.pkl'), '--json');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^predlens import: hostile_os_system\.pkl: refused global posix\.system at byte 554/);
  });

  it('rejects an unknown --format as a usage error', async () => {
    const { code, stderr } = await predlens(EA_MINI, join(EA_MINI, 'predictions.pkl'), '--format', 'csv');
    expect(code).toBe(2);
    expect(stderr).toContain(
      '--format must be one of pkl, ea-predictions, kitti, json, coco, masks, yolo, writer; got "csv"',
    );
  });
});
