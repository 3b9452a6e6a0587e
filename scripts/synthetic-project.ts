// Deterministic synthetic projects for the evaluation benches and the browser latency test: large enough to
// show the cost of preparing and re-scoring (5,000 frames, 80 classes, 100k predictions), with no files behind them.
import type { DataUnit, LabelObject, Prediction, Project } from '../src/core/model.ts';
import { projectFromUnits } from '../src/core/project/assemble.ts';

export const FRAMES = 5000;
export const CLASSES = 80;

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

/** 5,000 images of 640x480, 80 box classes, 4-10 labels each, and `count` jittered box predictions. */
export function syntheticProject(count = 100_000, seed = 5150): { project: Project; predictions: Prediction[] } {
  const rnd = random(seed);
  const objects = Array.from({ length: CLASSES }, (_, i) => ({
    id: String(i),
    name: `class${i}`,
    color: '#336699',
    shape: 'bounding_box',
    featureNodeHash: `fh${String(i).padStart(6, '0')}`,
    attributes: [],
  }));
  const dataUnits: DataUnit[] = [];
  const predictions: Prediction[] = [];
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  let objectId = 0;
  for (let f = 0; f < FRAMES; f++) {
    const hash = `00000000-0000-4000-8000-${String(f).padStart(12, '0')}`;
    const labels: LabelObject[] = [];
    const nLabels = 4 + Math.floor(rnd() * 7); // 4..10, ~7 on average
    for (let i = 0; i < nLabels; i++) {
      const w = 0.05 + rnd() * 0.3;
      const h = 0.05 + rnd() * 0.3;
      const box = { x: rnd() * (1 - w), y: rnd() * (1 - h), w, h };
      const cls = Math.floor(rnd() * CLASSES);
      labels.push({
        objectHash: `obj${objectId++}`,
        featureHash: objects[cls].featureNodeHash,
        name: objects[cls].name,
        color: '#336699',
        shape: 'bounding_box',
        geometry: { kind: 'box', box },
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
  // Predictions: jittered copies of labels (mostly the right class), plus background false positives.
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
    predictions.push({
      dataHash: du.dataHash,
      frame: 0,
      confidence: Math.round(rnd() * 1e4) / 1e4,
      featureHash,
      shape: { kind: 'box', box },
    });
  }
  const project = projectFromUnits(
    { objects, classifications: [] },
    dataUnits,
    { project_title: 'slider bench', project_hash: 'bench' },
    'synthetic',
  );
  return { project, predictions };
}

/** 1,000 images of 1280x720, 10 polygon classes, ~5 polygon labels each, 20,000 polygon predictions (12-gons). */
export function syntheticPolygonProject(seed = 5151): { project: Project; predictions: Prediction[] } {
  const rnd = random(seed);
  const objects = Array.from({ length: 10 }, (_, i) => ({
    id: String(i),
    name: `region${i}`,
    color: '#996633',
    shape: 'polygon',
    featureNodeHash: `ph${String(i).padStart(6, '0')}`,
    attributes: [],
  }));
  const gon = (cx: number, cy: number, rx: number, ry: number): [number, number][] =>
    Array.from({ length: 12 }, (_, i) => [
      cx + rx * Math.cos((i * Math.PI) / 6),
      cy + ry * Math.sin((i * Math.PI) / 6),
    ]);
  const dataUnits: DataUnit[] = [];
  const predictions: Prediction[] = [];
  for (let f = 0; f < 1000; f++) {
    const hash = `00000000-0000-4000-9000-${String(f).padStart(12, '0')}`;
    const labels: LabelObject[] = [];
    const shapes: [number, number, number, number, number][] = [];
    for (let i = 0; i < 5; i++) {
      const s: [number, number, number, number, number] = [
        0.1 + rnd() * 0.8,
        0.1 + rnd() * 0.8,
        0.03 + rnd() * 0.12,
        0.03 + rnd() * 0.12,
        Math.floor(rnd() * 10),
      ];
      shapes.push(s);
      labels.push({
        objectHash: `p${f}-${i}`,
        featureHash: objects[s[4]].featureNodeHash,
        name: objects[s[4]].name,
        color: '#996633',
        shape: 'polygon',
        geometry: { kind: 'polygon', points: gon(s[0], s[1], s[2], s[3]) },
      });
    }
    for (let j = 0; j < 20; j++) {
      const s = shapes[j % 5];
      const jit = () => 1 + (rnd() - 0.5) * 0.3;
      predictions.push({
        dataHash: hash,
        frame: 0,
        confidence: rnd(),
        featureHash: objects[rnd() < 0.9 ? s[4] : Math.floor(rnd() * 10)].featureNodeHash,
        shape: { kind: 'polygon', points: gon(s[0] * jit(), s[1] * jit(), s[2] * jit(), s[3] * jit()) },
      });
    }
    dataUnits.push({
      dataHash: hash,
      labelHash: `lh-${hash}`,
      title: `${f}.jpg`,
      dataType: 'image',
      mime: 'image/jpeg',
      width: 1280,
      height: 720,
      sequence: 0,
      frames: [{ frame: 0, objects: labels, classifications: [] }],
      images: {},
      frameNumbers: [0],
    });
  }
  const project = projectFromUnits(
    { objects, classifications: [] },
    dataUnits,
    { project_title: 'slider bench (polygons)', project_hash: 'bench-poly' },
    'synthetic polygons',
  );
  return { project, predictions };
}

/**
 * A second run on the same project, for comparing runs: `predictions` with 8 % dropped, boxes moved a little and
 * confidences changed, topped up to the same count with boxes near labels of the project (half of them; the others
 * shifted copies of predictions), so the second run both finds labels the first misses and misses some it finds.
 */
export function syntheticSecondRun(project: Project, predictions: readonly Prediction[], seed = 2026): Prediction[] {
  const rnd = random(seed);
  const out: Prediction[] = [];
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  for (const p of predictions) {
    if (rnd() < 0.08 || p.shape.kind !== 'box') continue;
    const b = p.shape.box;
    const j = () => (rnd() - 0.5) * 0.06;
    out.push({
      ...p,
      confidence: Math.round(clamp(p.confidence * (0.8 + rnd() * 0.4)) * 1e4) / 1e4,
      shape: { kind: 'box', box: { x: clamp(b.x + j() * b.w), y: clamp(b.y + j() * b.h), w: b.w, h: b.h } },
    });
  }
  const units = project.dataUnits;
  while (out.length < predictions.length) {
    if (rnd() < 0.5) {
      const du = units[Math.floor(rnd() * units.length)];
      const labels = du.frames[0]?.objects ?? [];
      const label = labels[Math.floor(rnd() * labels.length)];
      if (!label || label.geometry.kind !== 'box') continue;
      const b = label.geometry.box;
      const j = () => (rnd() - 0.5) * 0.08;
      out.push({
        dataHash: du.dataHash,
        frame: 0,
        confidence: Math.round((0.3 + rnd() * 0.7) * 1e4) / 1e4,
        featureHash: label.featureHash,
        shape: { kind: 'box', box: { x: clamp(b.x + j() * b.w), y: clamp(b.y + j() * b.h), w: b.w, h: b.h } },
      });
      continue;
    }
    const p = predictions[Math.floor(rnd() * predictions.length)];
    if (p.shape.kind !== 'box') continue;
    const b = p.shape.box;
    out.push({
      ...p,
      confidence: Math.round(rnd() * 1e4) / 1e4,
      shape: { kind: 'box', box: { x: clamp(b.x + b.w * 0.3), y: clamp(b.y + b.h * 0.3), w: b.w * 0.9, h: b.h * 0.9 } },
    });
  }
  return out;
}
