// The model worker in real Chromium: onnxruntime-web (wasm, served by the app's own server) runs the fixture
// models over ea-mini's images, the run lands in the real IndexedDB, and its boxes are the CLI's, bit for bit
// (test/fixtures/onnx/ea-mini-grid.cli.ndjson is `predlens predict`'s output; a unit test keeps it current).
import { afterAll, describe, expect, it } from 'vitest';
import { readNativeText } from '../../src/core/formats/native.ts';
import { defaultSettings } from '../../src/core/inference/settings.ts';
import { RunStore } from '../../src/store/runs.ts';
import { InferenceClient } from '../../src/workers/inference-client.ts';
import { eaMini } from './eval-fixtures.ts';

const MODELS = import.meta.glob('../fixtures/onnx/*.onnx', { query: '?url', import: 'default', eager: true }) as Record<
  string,
  string
>;
const CLI_ANSWER = import.meta.glob('../fixtures/onnx/ea-mini-grid.cli.ndjson', {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;
const IMAGES = import.meta.glob('../fixtures/shared/ea-mini/data/*/images/*.png', {
  query: '?url',
  import: 'default',
  eager: true,
}) as Record<string, string>;

async function modelFile(name: string): Promise<File> {
  const response = await fetch(MODELS[`../fixtures/onnx/${name}`]);
  return new File([await response.arrayBuffer()], name);
}

const mini = await eaMini();
const projectKey = `test|${crypto.randomUUID()}`;
const client = new InferenceClient(projectKey, mini.project);
afterAll(() => client.terminate());

const entries = await Promise.all(
  Object.entries(IMAGES).map(async ([path, url]) => ({
    path: path.slice('../fixtures/shared/ea-mini/'.length),
    file: new File([await (await fetch(url)).arrayBuffer()], path.split('/').pop()!),
  })),
);
const images = { source: { kind: 'files' as const, name: 'ea-mini', entries } };

describe('Run a model in the page (inference worker)', () => {
  it('reads the model in the worker: inputs, outputs, layout and names, before any runtime is loaded', async () => {
    const { info, guess } = await client.inspect(await modelFile('yolov8-grid.onnx'));
    expect(info.outputs).toEqual([{ name: 'output0', type: 'float32', dims: [1, 7, 16] }]);
    expect(guess.choice).toBe('yolov8');
    expect([...guess.names!.values()]).toEqual(['car', 'pedestrian', 'dog']);
  });

  it('runs yolov8-grid on ea-mini with onnxruntime-web: the stored run equals predlens predict', async () => {
    const model = await modelFile('yolov8-grid.onnx');
    const { guess } = await client.inspect(model);
    const progress: number[] = [];
    const outcome = await client.run(
      { model, settings: defaultSettings(guess), name: 'grid on ea-mini' },
      images,
      (p) => progress.push(p.done),
    );
    expect(outcome.backend).toMatch(/^wasm \(1 thread\)|^webgpu/);
    expect(outcome.images).toBe(2);
    expect(progress.at(-1)).toBe(2);
    expect(outcome.info).toMatchObject({ name: 'grid on ea-mini', format: 'onnx', model: 'yolov8-grid.onnx' });
    expect(outcome.info.settings).toMatchObject({
      model: 'yolov8-grid.onnx',
      conf: 0.001,
      iou: 0.7,
      maxDet: 300,
      images: 2,
    });
    const store = await RunStore.open();
    const stored = await store.loadRun(projectKey, outcome.info.id);
    store.close();
    const cli = readNativeText(mini.project, Object.values(CLI_ANSWER)[0], 'ea-mini-grid.cli.ndjson').predictions;
    expect(cli).toHaveLength(32);
    expect(stored).toEqual(cli);
  });

  it('int64 labels and a dynamic [3, H, W] input (torchvision layout) come through onnxruntime-web', async () => {
    const model = await modelFile('torchvision-const.onnx');
    const { guess } = await client.inspect(model);
    const settings = { ...defaultSettings(guess), imgsz: { width: 64, height: 64 } };
    const car = mini.project.ontology.objects.find((o) => o.name === 'Car')!.featureNodeHash;
    const outcome = await client.run({ model, settings, name: 'tv', classMap: { '3': car } }, images, () => {});
    const store = await RunStore.open();
    const stored = await store.loadRun(projectKey, outcome.info.id);
    store.close();
    // Label 3 -> Car: one box per image after NMS (the 0.9 box overlaps the 0.95 one by IoU 0.78); label 1 has no
    // class (ea-mini has no category ids and the model names none, so index 1 -> the ontology's second object).
    expect(stored.filter((p) => p.featureHash === car).map((p) => p.confidence)).toEqual([
      Math.fround(0.95),
      Math.fround(0.95),
    ]);
  });
});
