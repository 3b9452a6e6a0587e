// `predlens predict` as a user runs it: node bin/predlens.js predict <project> <model.onnx> -o run.ndjson, then
// `eval --format writer` on what it wrote.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { fixture, REPO_ROOT } from '../fixtures.ts';
import { onnxFixture } from './inference-fixtures.ts';
import { readNativeText } from '../../src/core/formats/native.ts';
import { NodeTree } from '../../src/files/node-fs.ts';
import { readProject } from '../../src/core/project/read.ts';

const run = promisify(execFile);
const EA_MINI = fixture('ea-mini');

async function predlens(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', ['bin/predlens.js', ...args], { cwd: REPO_ROOT });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const project = await readProject(new NodeTree(EA_MINI));

describe('predlens predict', () => {
  it('writes native NDJSON of the grid model on ea-mini that eval --format writer reads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'predlens-predict-'));
    const out = join(dir, 'run.ndjson');
    const r = await predlens('predict', EA_MINI, onnxFixture('yolov8-grid.onnx'), '-o', out, '--json');
    expect(r.stderr).toContain('anchors last (Ultralytics YOLOv8/11)');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ model: 'yolov8-grid.onnx', images: 2, skippedImages: 0, out });
    expect(summary.settings).toMatchObject({ conf: 0.001, iou: 0.7, maxDet: 300, input: '64 x 64' });
    expect(existsSync(`${out}.partial`)).toBe(false);
    const read = readNativeText(project, readFileSync(out, 'utf8'), 'run.ndjson');
    expect(read.report.rejected).toEqual([]);
    // ea-mini's ontology has "Car" (and "Cat"): only the grid's car class maps; 16 cells a image, none overlap.
    expect(read.predictions).toHaveLength(32);
    expect(summary.predictions).toBe(32);
    expect(new Set(read.predictions.map((p) => p.featureHash))).toEqual(
      new Set(project.ontology.objects.filter((o) => o.name === 'Car').map((o) => o.featureNodeHash)),
    );
    const ev = await predlens('eval', EA_MINI, out, '--format', 'writer', '--mode', 'coco', '--json');
    expect(ev.code).toBe(0);
    expect(JSON.parse(ev.stdout).predictions).toMatchObject({ format: 'writer', imported: 32, rejected: 0 });
  });

  it("gives what test/fixtures/onnx/ea-mini-grid.cli.ndjson holds (the browser test's expected run)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'predlens-predict-'));
    const out = join(dir, 'run.ndjson');
    expect((await predlens('predict', EA_MINI, onnxFixture('yolov8-grid.onnx'), '-o', out)).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(onnxFixture('ea-mini-grid.cli.ndjson'), 'utf8'));
  });

  it('--class-map by model class name, --max-det and --conf are applied', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'predlens-predict-'));
    const car = project.ontology.objects.find((o) => o.name === 'Car')!.featureNodeHash;
    writeFileSync(join(dir, 'map.json'), JSON.stringify({ dog: car, car: '' }));
    const out = join(dir, 'run.json');
    const r = await predlens(
      'predict',
      EA_MINI,
      onnxFixture('yolov8-grid.onnx'),
      '-o',
      out,
      '--class-map',
      join(dir, 'map.json'),
      '--json',
    );
    expect(r.code).toBe(0);
    const predictions = JSON.parse(readFileSync(out, 'utf8')).predictions;
    expect(predictions).toHaveLength(32);
    expect(predictions.every((p: { featureHash: string }) => p.featureHash === car)).toBe(true);
    const first = await predlens(
      'predict',
      EA_MINI,
      onnxFixture('yolov8-grid.onnx'),
      '-o',
      out,
      '--max-det',
      '5',
      '--json',
    );
    expect(JSON.parse(first.stdout).predictions).toBe(10);
    const high = await predlens(
      'predict',
      EA_MINI,
      onnxFixture('yolov8-grid.onnx'),
      '-o',
      out,
      '--conf',
      '1',
      '--json',
    );
    expect(JSON.parse(high.stdout).predictions).toBe(0);
  });

  it('says why a model cannot be run, naming the file, and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'predlens-predict-'));
    const out = join(dir, 'run.ndjson');
    const two = await predlens('predict', EA_MINI, onnxFixture('two-inputs.onnx'), '-o', out);
    expect(two.code).toBe(1);
    expect(two.stderr).toContain('two-inputs.onnx: the model needs 2 inputs');
    const notOnnx = await predlens('predict', EA_MINI, onnxFixture('letterbox-cv2.json'), '-o', out);
    expect(notOnnx.code).toBe(1);
    expect(notOnnx.stderr).toMatch(/letterbox-cv2\.json: .*not an ONNX model/);
    const size = await predlens('predict', EA_MINI, onnxFixture('yolov8-grid.onnx'), '-o', out, '--imgsz', '640');
    expect(size.stderr).toContain("the model's input is fixed at 64 x 64; it cannot take 640 x 640");
    const usage = await predlens('predict', EA_MINI, onnxFixture('yolov8-grid.onnx'));
    expect(usage.code).toBe(2);
    expect(existsSync(out)).toBe(false);
  });
});
