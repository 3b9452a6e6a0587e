// Inputs for the eval worker's browser tests: the ea-mini project (read from the shared fixtures over the test
// server) with its predictions.pkl read by the .pkl reader, and a deterministic synthetic project of 100,000 box
// predictions for the slider's round trip.
import { MemoryTree } from '../../src/core/file-tree.ts';
import { readPklBytes } from '../../src/core/formats/pkl.ts';
import type { DataUnit, LabelObject, Prediction, Project } from '../../src/core/model.ts';
import { readProject } from '../../src/core/project/read.ts';
import { loadKernels } from '../../src/kernels/browser.ts';

const EA_MINI_FILES = import.meta.glob('../../../shared/fixtures/ea-mini/**/*', {
  query: '?url',
  import: 'default',
  eager: true,
}) as Record<string, string>;

const PREFIX = '../../../shared/fixtures/ea-mini/';

export async function eaMini(): Promise<{ project: Project; predictions: Prediction[]; reference: EaMiniReference }> {
  const files: Record<string, Uint8Array> = {};
  await Promise.all(
    Object.entries(EA_MINI_FILES).map(async ([path, url]) => {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
      files[path.slice(PREFIX.length)] = new Uint8Array(await response.arrayBuffer());
    }),
  );
  const tree = new MemoryTree('ea-mini', files);
  const project = await readProject(tree);
  const imported = readPklBytes(await loadKernels(), project, files['predictions.pkl'], 'predictions.pkl');
  if (imported.report.rejected.length > 0) throw new Error(`ea-mini predictions.pkl: ${JSON.stringify(imported.report.rejected)}`);
  const reference = JSON.parse(new TextDecoder().decode(files['reference.json'])) as EaMiniReference;
  return { project, predictions: imported.predictions, reference };
}

export interface EaMiniReference {
  results: {
    iou_threshold: number;
    ignore_frames_without_predictions: boolean;
    mAP: number;
    mAR: number;
    per_class: Record<string, { AP: number; AR: number }>;
    predictions: { pidx: number; is_true_positive: boolean; false_positive_reason: string }[];
    labels_is_false_negative: Record<string, boolean>;
  }[];
}

/** mulberry32, so every run builds the same project. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * 5,000 images, 80 box classes, 4-10 labels each, and `count` box predictions: 80 % jittered copies of labels (a
 * tenth with a wrong class), 20 % background boxes. The same shape as the Node slider benchmark.
 */
export function syntheticProject(count = 100_000, seed = 5150): { project: Project; predictions: Prediction[] } {
  const FRAMES = 5000;
  const CLASSES = 80;
  const rnd = random(seed);
  const objects = Array.from({ length: CLASSES }, (_, i) => ({
    id: String(i),
    name: `class${i}`,
    color: `hsl(${(i * 47) % 360} 70% 45%)`,
    shape: 'bounding_box',
    featureNodeHash: `fh${String(i).padStart(6, '0')}`,
    attributes: [],
  }));
  const dataUnits: DataUnit[] = [];
  let objectId = 0;
  for (let f = 0; f < FRAMES; f++) {
    const hash = `00000000-0000-4000-8000-${String(f).padStart(12, '0')}`;
    const labels: LabelObject[] = [];
    const nLabels = 4 + Math.floor(rnd() * 7);
    for (let i = 0; i < nLabels; i++) {
      const w = 0.05 + rnd() * 0.3;
      const h = 0.05 + rnd() * 0.3;
      const cls = Math.floor(rnd() * CLASSES);
      labels.push({
        objectHash: `obj${objectId++}`,
        featureHash: objects[cls].featureNodeHash,
        name: objects[cls].name,
        color: objects[cls].color,
        shape: 'bounding_box',
        geometry: { kind: 'box', box: { x: rnd() * (1 - w), y: rnd() * (1 - h), w, h } },
      });
    }
    dataUnits.push({
      dataHash: hash,
      labelHash: `lh-${hash}`,
      title: `${f}.jpg`,
      dataType: 'image',
      mime: 'image/jpeg',
      width: 640,
      height: 480,
      sequence: 0,
      frames: [{ frame: 0, objects: labels, classifications: [] }],
      images: {},
      frameNumbers: [0],
    });
  }
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  const predictions: Prediction[] = [];
  while (predictions.length < count) {
    const du = dataUnits[Math.floor(rnd() * FRAMES)];
    const labels = du.frames[0].objects;
    const base = labels[Math.floor(rnd() * labels.length)];
    let featureHash = base.featureHash;
    let box;
    if (rnd() < 0.8 && base.geometry.kind === 'box') {
      const b = base.geometry.box;
      const j = () => (rnd() - 0.5) * 0.2;
      box = { x: clamp(b.x + j() * b.w), y: clamp(b.y + j() * b.h), w: b.w * (1 + j()), h: b.h * (1 + j()) };
      if (rnd() < 0.1) featureHash = objects[Math.floor(rnd() * CLASSES)].featureNodeHash;
    } else {
      const w = 0.02 + rnd() * 0.2;
      const h = 0.02 + rnd() * 0.2;
      box = { x: rnd() * (1 - w), y: rnd() * (1 - h), w, h };
      featureHash = objects[Math.floor(rnd() * CLASSES)].featureNodeHash;
    }
    predictions.push({ dataHash: du.dataHash, frame: 0, confidence: Math.round(rnd() * 1e4) / 1e4, featureHash, shape: { kind: 'box', box } });
  }
  const project: Project = {
    source: 'synthetic',
    meta: { project_title: 'slider latency', project_hash: 'synthetic-100k' },
    ontology: { objects, classifications: [] },
    labelRows: dataUnits.map((du) => ({ labelHash: du.labelHash, dataHash: du.dataHash, dataTitle: du.title, dataType: 'image', dataUnits: [du] })),
    dataUnits,
    byDataHash: new Map(dataUnits.map((du) => [du.dataHash.toLowerCase(), du])),
    problems: [],
    skipped: {},
  };
  return { project, predictions };
}
