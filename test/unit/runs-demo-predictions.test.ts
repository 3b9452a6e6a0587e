// The demo's prediction files (scripts/demo/predictions.ts): every set imports through its reader with nothing
// rejected and the count the generator promised; the pickle written by Node says exactly what the native JSON
// says; the same seed gives the same bytes.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SubTree } from '../../src/core/file-tree.ts';
import { detectFormat, importPredictions } from '../../src/core/formats/index.ts';
import { readImageDataUnits } from '../../src/core/formats/coco-results.ts';
import type { Prediction, Project } from '../../src/core/model.ts';
import { readProject } from '../../src/core/project/read.ts';
import { NodeTree } from '../../src/files/node-fs.ts';
import { loadKernels } from '../../src/kernels/node.ts';
import { makeDemo } from '../../scripts/make-demo.ts';
import { DEMO_PREDICTIONS_INDEX, demoPredictionFiles, type DemoPredictionSet } from '../../scripts/demo/predictions.ts';
import { buildDemoScene } from '../../scripts/demo/scene.ts';

let dir: string;
let project: Project;
let sets: DemoPredictionSet[];
const kernels = await loadKernels();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'predlens-demo-'));
  await makeDemo(dir);
  project = await readProject(new NodeTree(dir));
  sets = JSON.parse(await readFile(join(dir, DEMO_PREDICTIONS_INDEX), 'utf8')).sets;
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

async function importSet(id: string) {
  const set = sets.find((s) => s.id === id)!;
  const tree = new SubTree(new NodeTree(dir), set.path);
  const imageDataUnits = await readImageDataUnits(new NodeTree(dir));
  return {
    set,
    tree,
    result: await importPredictions(kernels, project, tree, set.format, { imageDataUnits } as never),
  };
}

const sortKey = (p: Prediction) =>
  `${p.dataHash}/${p.frame}/${p.featureHash}/${p.confidence}/${JSON.stringify(p.shape)}`;

describe('demo prediction files', () => {
  it('offer a set for every format predlens reads', () => {
    expect(new Set(sets.map((s) => s.format))).toEqual(
      new Set(['pkl', 'json', 'kitti', 'masks', 'coco', 'yolo', 'ea-predictions']),
    );
    for (const s of sets) expect(s.files.length).toBeGreaterThan(0);
  });

  it.each(['pkl', 'json', 'ndjson', 'kitti', 'masks', 'coco', 'yolo', 'ea'])(
    '%s: detected and imported with nothing rejected',
    async (id) => {
      const { set, tree, result } = await importSet(id);
      expect(result.report.rejected).toEqual([]);
      if (set.predictions === null) expect(result.predictions.length).toBeGreaterThan(20);
      else expect(result.predictions).toHaveLength(set.predictions);
      expect((await detectFormat(tree)).format).toBe(set.format);
    },
  );

  it('the Node-written pickle holds exactly the predictions of the native JSON', async () => {
    const pkl = (await importSet('pkl')).result.predictions;
    const json = (await importSet('json')).result.predictions;
    expect(pkl.map(sortKey).sort()).toEqual(json.map(sortKey).sort());
    const kinds = new Set(pkl.map((p) => p.shape.kind));
    expect(kinds).toEqual(new Set(['box', 'polygon', 'classification']));
  });

  it('carry the simulated model: misses, duplicates, confusions and false positives, scores in (0, 1)', async () => {
    const { model } = await demoPredictionFiles(buildDemoScene(), dir);
    const origins = new Set(model.detections.map((d) => d.origin));
    expect(origins).toEqual(new Set(['hit', 'confused', 'duplicate', 'false_positive']));
    expect(model.missed).toBeGreaterThan(0);
    for (const d of model.detections) expect(d.confidence > 0 && d.confidence < 1).toBe(true);
    // Harder frames (night) score lower on average than day frames.
    const mean = (look: string) => {
      const c = model.detections.filter(
        (d) => d.origin === 'hit' && d.unit.frames.some((f) => f.frame === d.frame && f.look.timeOfDay === look),
      );
      return c.reduce((s, d) => s + d.confidence, 0) / c.length;
    };
    expect(mean('night')).toBeLessThan(mean('day'));
  });

  it('are deterministic', async () => {
    const a = await demoPredictionFiles(buildDemoScene(), dir);
    const b = await demoPredictionFiles(buildDemoScene(), dir);
    expect([...a.files.keys()]).toEqual([...b.files.keys()]);
    for (const [k, v] of a.files) expect(b.files.get(k)).toEqual(v);
  });
});
