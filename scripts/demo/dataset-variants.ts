// The demo as a COCO dataset and as a YOLO dataset, from the same scene and the same images (copied from the EA
// demo folder once it is written): public/demo-coco/ (annotations/instances_val.json + val/, COCO-like category
// ids 1, 3, 13, 18) and public/demo-yolo/ (data.yaml, images/{train,val}/ + labels/, box and segment rows). Each also
// holds the simulated model's predictions in the dataset's own prediction format (COCO results; a YOLO
// prediction folder with confidences), listed in predictions/index.json for the Import page, and a manifest, so the
// page can open it from a URL.
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { imagePath, writeManifest } from './project-files.ts';
import type { DemoClassName, DemoLabelRow, DemoScene, DemoUnit } from './scene.ts';
import { simulateModel, type SimShape } from './simulate.ts';
import { DEMO_PREDICTIONS_INDEX, type DemoPredictionSet } from './predictions.ts';

const COCO_IDS: Record<DemoClassName, number> = { Pedestrian: 1, Car: 3, 'Road sign': 13, Dog: 18 };
const YOLO_NAMES: DemoClassName[] = ['Car', 'Pedestrian', 'Dog', 'Road sign'];
const r2 = (v: number) => Math.round(v * 100) / 100;
const f6 = (v: number) => v.toFixed(6);

interface VariantImage {
  id: number;
  fileName: string;
  row: DemoLabelRow;
  unit: DemoUnit;
  frame: number;
  /** Every third image is in YOLO's val split, the rest in train. */
  split: 'train' | 'val';
}

function variantImages(scene: DemoScene): VariantImage[] {
  const out: VariantImage[] = [];
  for (const row of scene.labelRows) {
    for (const unit of row.units) {
      for (const f of unit.frames) {
        const stem = unit.title.replace(/\.[^.]+$/, '');
        const fileName = row.dataType === 'video' ? `${stem}_${String(f.frame).padStart(2, '0')}.png` : `${stem}.png`;
        out.push({
          id: out.length + 1,
          fileName,
          row,
          unit,
          frame: f.frame,
          split: out.length % 3 === 2 ? 'val' : 'train',
        });
      }
    }
  }
  return out;
}

const frameOf = (image: VariantImage) => image.unit.frames.find((f) => f.frame === image.frame)!;

function shoelace(xy: number[]): number {
  let s = 0;
  const n = xy.length / 2;
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    s += xy[2 * i] * xy[2 * j + 1] - xy[2 * j] * xy[2 * i + 1];
  }
  return r2(Math.abs(s) / 2);
}

function pixelShape(shape: SimShape, W: number, H: number) {
  if (shape.kind === 'box') {
    const { x, y, w, h } = shape.box;
    return { bbox: [r2(x * W), r2(y * H), r2(w * W), r2(h * H)] };
  }
  const xy = shape.points.flatMap(([x, y]) => [r2(x * W), r2(y * H)]);
  const xs = xy.filter((_, i) => i % 2 === 0);
  const ys = xy.filter((_, i) => i % 2 === 1);
  const x0 = Math.min(...xs);
  const y0 = Math.min(...ys);
  return { bbox: [x0, y0, r2(Math.max(...xs) - x0), r2(Math.max(...ys) - y0)], segmentation: [xy] };
}

/** predictions/index.json: the Import page offers each set in one click, as on the EA demo. */
async function writeSets(dir: string, ...sets: DemoPredictionSet[]) {
  await write(dir, DEMO_PREDICTIONS_INDEX, JSON.stringify({ sets }, null, 1) + '\n');
}

async function write(dir: string, path: string, content: string) {
  await mkdir(dirname(join(dir, path)), { recursive: true });
  await writeFile(join(dir, path), content);
}

async function copyImage(demoDir: string, dir: string, image: VariantImage, to: string) {
  await mkdir(dirname(join(dir, to)), { recursive: true });
  await copyFile(join(demoDir, imagePath(image.row, image.unit.dataHash, image.frame)), join(dir, to));
}

export async function writeCocoDemo(scene: DemoScene, demoDir: string, dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  const images = variantImages(scene);
  const annotations: object[] = [];
  for (const image of images) {
    const { width: W, height: H } = image.unit;
    for (const label of frameOf(image).labels) {
      const category_id = COCO_IDS[label.className];
      const base = { id: annotations.length + 1, image_id: image.id, category_id, iscrowd: 0 };
      if (label.polygon) {
        const xy = label.polygon.flatMap(([x, y]) => [r2(x * W), r2(y * H)]);
        annotations.push({
          ...base,
          ...pixelShape({ kind: 'polygon', points: label.polygon }, W, H),
          area: shoelace(xy),
          segmentation: [xy],
        });
      } else {
        const [x0, y0, x1, y1] = label.pixelBox;
        annotations.push({ ...base, bbox: [x0, y0, x1 - x0, y1 - y0], area: (x1 - x0) * (y1 - y0) });
      }
    }
    await copyImage(demoDir, dir, image, `val/${image.fileName}`);
  }
  const categories = Object.entries(COCO_IDS)
    .sort((a, b) => a[1] - b[1])
    .map(([name, id]) => ({ id, name: name.toLowerCase(), supercategory: name === 'Dog' ? 'animal' : 'street' }));
  const gt = {
    info: { description: `${scene.projectTitle} as a COCO dataset`, version: '1.0' },
    images: images.map((i) => ({ id: i.id, file_name: i.fileName, width: i.unit.width, height: i.unit.height })),
    annotations,
    categories,
  };
  await write(dir, 'annotations/instances_val.json', JSON.stringify(gt) + '\n');

  const byFrame = new Map(images.map((i) => [`${i.unit.dataHash}:${i.frame}`, i]));
  const results = simulateModel(scene).detections.map((d) => {
    const image = byFrame.get(`${d.unit.dataHash}:${d.frame}`)!;
    const shape = pixelShape(d.shape, d.unit.width, d.unit.height);
    return { image_id: image.id, category_id: COCO_IDS[d.cls.name], ...shape, score: d.confidence };
  });
  await write(dir, 'predictions/coco/results.json', JSON.stringify(results) + '\n');
  await writeSets(dir, {
    id: 'coco-results',
    format: 'coco',
    label: 'COCO results',
    path: 'predictions/coco',
    files: ['results.json'],
    predictions: results.length,
    note: "The simulated model as COCO results: the dataset's image ids and category ids, pixel boxes and polygons.",
  });
  await writeManifest(dir);
}

export async function writeYoloDemo(scene: DemoScene, demoDir: string, dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  const images = variantImages(scene);
  const rowsOf = (shape: SimShape, cls: number, W: number, H: number, confidence?: number) => {
    const tail = confidence === undefined ? '' : ` ${confidence}`;
    if (shape.kind === 'box') {
      const { x, y, w, h } = shape.box;
      return `${cls} ${f6(x + w / 2)} ${f6(y + h / 2)} ${f6(w)} ${f6(h)}${tail}`;
    }
    void W;
    void H;
    return `${cls} ${shape.points.map(([px, py]) => `${f6(px)} ${f6(py)}`).join(' ')}${tail}`;
  };
  for (const image of images) {
    const { width: W, height: H } = image.unit;
    const rows = frameOf(image).labels.map((label) => {
      const cls = YOLO_NAMES.indexOf(label.className);
      if (label.polygon) return rowsOf({ kind: 'polygon', points: label.polygon }, cls, W, H);
      const [x0, y0, x1, y1] = label.pixelBox;
      return rowsOf({ kind: 'box', box: { x: x0 / W, y: y0 / H, w: (x1 - x0) / W, h: (y1 - y0) / H } }, cls, W, H);
    });
    const stem = image.fileName.replace(/\.png$/, '');
    await copyImage(demoDir, dir, image, `images/${image.split}/${image.fileName}`);
    await write(dir, `labels/${image.split}/${stem}.txt`, rows.length ? rows.join('\n') + '\n' : '');
  }
  await write(
    dir,
    'data.yaml',
    `# ${scene.projectTitle} as a YOLO dataset\npath: .\ntrain: images/train\nval: images/val\n\nnames:\n` +
      YOLO_NAMES.map((n, i) => `  ${i}: ${n.toLowerCase()}\n`).join(''),
  );
  const byFrame = new Map(images.map((i) => [`${i.unit.dataHash}:${i.frame}`, i]));
  const perImage = new Map<string, string[]>();
  for (const d of simulateModel(scene).detections) {
    const image = byFrame.get(`${d.unit.dataHash}:${d.frame}`)!;
    const stem = image.fileName.replace(/\.png$/, '');
    const row = rowsOf(d.shape, YOLO_NAMES.indexOf(d.cls.name), d.unit.width, d.unit.height, d.confidence);
    perImage.set(stem, [...(perImage.get(stem) ?? []), row]);
  }
  for (const [stem, rows] of perImage) await write(dir, `predictions/labels/${stem}.txt`, rows.join('\n') + '\n');
  await writeSets(dir, {
    id: 'yolo-labels',
    format: 'yolo',
    label: 'YOLO prediction folder',
    path: 'predictions/labels',
    files: [...perImage.keys()].sort().map((stem) => `${stem}.txt`),
    predictions: [...perImage.values()].reduce((n, rows) => n + rows.length, 0),
    note: 'The simulated model as Ultralytics writes it: one <stem>.txt per image, rows with a trailing confidence.',
  });
  await writeManifest(dir);
}
