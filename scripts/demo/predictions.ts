// Demo prediction files: one simulated model run (simulate.ts) written in every format predlens imports, into
// <demo>/predictions/<set>/, plus predictions/index.json, the list the Import page offers as one-click demos.
// Also writes the project's image_data_unit.json (COCO image id -> data unit, spec 1.7) for the COCO results.
//
//   pkl/predictions.pkl            EA's pickled Prediction list (boxes, polygons, time-of-day classifications)
//   json/predictions.json          predlens native JSON; ndjson/predictions.ndjson the same as NDJSON
//   second-run/predictions.json    another run of the simulated detector (another seed), for comparing runs
//   kitti/labels/<du>__<name>.txt  KITTI boxes (Car, Pedestrian) + kitti/ontology_label_map.json
//   masks/<du>[_<frame>].png       class-index masks (1 = Dog, 2 = Road sign) + <stem>.json confidence sidecars
//   coco/results.json              COCO results (bbox, and segmentation polygons for the polygon classes)
//   yolo/<title>.txt               YOLO boxes and segmentation polygons, with confidences
//   ea/predictions/                an EA predictions/ folder (predictions.csv, labels.csv, class_idx.json, ...)
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FormatId, Prediction } from '../../src/core/model.ts';
import { toNativeJson, toNativeNdjson } from '../../src/core/formats/native.ts';
import { readProject } from '../../src/core/project/read.ts';
import { NodeTree } from '../../src/files/node-fs.ts';
import { loadKernels } from '../../src/kernels/node.ts';
import { encodeGrayPng, paintClassMask } from './class-masks.ts';
import { eaPredictionsFolder } from './ea-folder.ts';
import { eaPredictionsPickle, type EaPickleEntry } from './ea-pickle.ts';
import type { DemoScene } from './scene.ts';
import { simulateModel, type SimDetection, type SimulatedModel } from './simulate.ts';

export const DEMO_PREDICTIONS_DIR = 'predictions';
export const DEMO_PREDICTIONS_INDEX = 'predictions/index.json';

/** One entry of predictions/index.json. */
export interface DemoPredictionSet {
  id: string;
  format: FormatId;
  /** "Try demo predictions: <label>". */
  label: string;
  /** Folder under the demo root holding the set's files. */
  path: string;
  files: string[];
  /** Predictions the import should give, when the format keeps them one to one (masks are traced: null). */
  predictions: number | null;
  note: string;
}

const KITTI_NAMES: Record<string, string> = { Car: 'car', Pedestrian: 'pedestrian' };
const px2 = (v: number) => Math.round(v * 100) / 100;
const f6 = (v: number) => v.toFixed(6);
const isVideo = (d: { row: { dataType: string } }) => d.row.dataType === 'video';
const stem = (title: string) => title.replace(/\.[^.]+$/, '');

function toPrediction(d: SimDetection): Prediction {
  const p: Prediction = {
    dataHash: d.unit.dataHash,
    frame: d.frame,
    confidence: d.confidence,
    featureHash: d.cls.featureNodeHash,
    shape:
      d.shape.kind === 'box'
        ? { kind: 'box', box: { ...d.shape.box } }
        : { kind: 'polygon', points: d.shape.points.map((q) => [q[0], q[1]]) },
  };
  if (d.trackId !== undefined) p.trackId = d.trackId;
  return p;
}

export function modelPredictions(scene: DemoScene, model: SimulatedModel): Prediction[] {
  return [
    ...model.detections.map(toPrediction),
    ...model.classifications.map((c): Prediction => ({
      dataHash: c.unit.dataHash,
      frame: c.frame,
      confidence: c.confidence,
      featureHash: scene.timeOfDay.featureNodeHash,
      shape: { kind: 'classification', attributeHash: scene.timeOfDay.attributeHash, optionHash: c.optionHash },
    })),
  ];
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const t of items) {
    const k = key(t);
    const list = out.get(k);
    if (list) list.push(t);
    else out.set(k, [t]);
  }
  return out;
}

/** Every demo prediction file, path (under predictions/) -> contents, and the index entries. */
export async function demoPredictionFiles(scene: DemoScene, projectDir: string) {
  const model = simulateModel(scene);
  const predictions = modelPredictions(scene, model);
  const files = new Map<string, string | Uint8Array>();
  const sets: DemoPredictionSet[] = [];
  const add = (set: Omit<DemoPredictionSet, 'files' | 'path'>, entries: Map<string, string | Uint8Array>) => {
    const path = `${DEMO_PREDICTIONS_DIR}/${set.id}`;
    const names = [...entries.keys()].sort();
    for (const name of names) files.set(`${path}/${name}`, entries.get(name)!);
    sets.push({ ...set, path, files: names });
  };

  // .pkl: everything the model said.
  const pickled: EaPickleEntry[] = [
    ...model.detections.map((d): EaPickleEntry => {
      const base = {
        dataHash: d.unit.dataHash,
        frame: d.frame,
        confidence: d.confidence,
        featureHash: d.cls.featureNodeHash,
        trackId: d.trackId,
      };
      return d.shape.kind === 'box' ? { ...base, box: d.shape.box } : { ...base, polygon: d.shape.points };
    }),
    ...model.classifications.map((c): EaPickleEntry => ({
      dataHash: c.unit.dataHash,
      frame: c.frame,
      confidence: c.confidence,
      classification: {
        featureHash: scene.timeOfDay.featureNodeHash,
        attributeHash: scene.timeOfDay.attributeHash,
        optionHash: c.optionHash,
      },
    })),
  ];
  add(
    {
      id: 'pkl',
      format: 'pkl',
      label: 'Encord Active .pkl',
      predictions: pickled.length,
      note: 'boxes, polygons and time-of-day classifications, pickled as EA Prediction objects',
    },
    new Map([['predictions.pkl', eaPredictionsPickle(pickled)]]),
  );

  add(
    {
      id: 'json',
      format: 'json',
      label: 'predlens JSON',
      predictions: predictions.length,
      note: 'the same predictions in predlens native JSON',
    },
    new Map([['predictions.json', toNativeJson(predictions)]]),
  );
  // A second run of the simulated detector (another seed: another training run of the same model), for Compare.
  const second = modelPredictions(scene, simulateModel(scene, scene.seed ^ 0xb2b2));
  add(
    {
      id: 'second-run',
      format: 'json',
      label: 'a second model run (predlens JSON)',
      predictions: second.length,
      note: 'the same simulated detector with another seed, as another training run would be: import it beside another set and open Compare runs',
    },
    new Map([['predictions.json', toNativeJson(second)]]),
  );
  add(
    {
      id: 'ndjson',
      format: 'json',
      label: 'predlens NDJSON',
      predictions: predictions.length,
      note: 'one native record per line',
    },
    new Map([['predictions.ndjson', toNativeNdjson(predictions)]]),
  );

  // KITTI: boxes of the box classes, one file per image (EA's <data_hash>__<name>.txt); videos have no KITTI frames.
  const kittiDetections = model.detections.filter((d) => !isVideo(d) && d.cls.name in KITTI_NAMES);
  const kitti = new Map<string, string>();
  for (const [, ds] of groupBy(kittiDetections, (d) => d.unit.dataHash)) {
    const { unit } = ds[0];
    const lines = ds.map((d) => {
      const b = d.shape.kind === 'box' ? d.shape.box : undefined!;
      const [x1, y1, x2, y2] = [
        b.x * unit.width,
        b.y * unit.height,
        (b.x + b.w) * unit.width,
        (b.y + b.h) * unit.height,
      ].map(px2);
      return `${KITTI_NAMES[d.cls.name]} 0.00 0 0.00 ${x1.toFixed(2)} ${y1.toFixed(2)} ${x2.toFixed(2)} ${y2.toFixed(2)} 0.00 0.00 0.00 0.00 0.00 0.00 0.00 ${d.confidence}`;
    });
    kitti.set(`labels/${unit.dataHash}__${stem(unit.title)}.txt`, lines.join('\n') + '\n');
  }
  const labelMap = Object.fromEntries(
    scene.classes.filter((c) => c.name in KITTI_NAMES).map((c) => [c.featureNodeHash, KITTI_NAMES[c.name]]),
  );
  kitti.set('ontology_label_map.json', JSON.stringify(labelMap, null, 2) + '\n');
  add(
    {
      id: 'kitti',
      format: 'kitti',
      label: 'KITTI labels',
      predictions: kittiDetections.length,
      note: 'Car and Pedestrian boxes in pixels, one file per image',
    },
    kitti,
  );

  // Class masks: the polygon classes painted per frame, lowest confidence first so the surest region shows.
  const kernels = await loadKernels();
  const polygonClasses = scene.classes.filter((c) => c.shape === 'polygon');
  const valueOf = new Map(polygonClasses.map((c, i) => [c.featureNodeHash, i + 1]));
  const masks = new Map<string, string | Uint8Array>();
  const polygonDetections = model.detections.filter((d) => d.shape.kind === 'polygon');
  for (const [, ds] of groupBy(polygonDetections, (d) => `${d.unit.dataHash}/${d.frame}`)) {
    const { unit, frame } = ds[0];
    const name = isVideo(ds[0]) ? `${unit.dataHash}_${frame}` : unit.dataHash;
    const ordered = [...ds].sort((a, b) => a.confidence - b.confidence);
    const paint = ordered.map((d) => ({
      value: valueOf.get(d.cls.featureNodeHash)!,
      points: (d.shape as { points: [number, number][] }).points,
    }));
    masks.set(
      `${name}.png`,
      encodeGrayPng(paintClassMask(kernels, unit.width, unit.height, paint), unit.width, unit.height),
    );
    const classes: Record<string, number> = {};
    for (const d of ds) {
      const v = String(valueOf.get(d.cls.featureNodeHash));
      classes[v] = Math.max(classes[v] ?? 0, d.confidence);
    }
    masks.set(`${name}.json`, JSON.stringify({ classes }) + '\n');
  }
  add(
    {
      id: 'masks',
      format: 'masks',
      label: 'PNG class masks',
      predictions: null,
      note: `pixel 1 = ${polygonClasses[0].name}, 2 = ${polygonClasses[1].name}; a confidence per class in each <mask>.json`,
    },
    masks,
  );

  // COCO results: images and image-group members (COCO has no video frames), ids from image_data_unit.json.
  const imageUnits = scene.labelRows.filter((r) => r.dataType !== 'video').flatMap((r) => r.units);
  const imageIds = new Map(imageUnits.map((u, i) => [u.dataHash, i + 1]));
  const imageDataUnit = Object.fromEntries(
    imageUnits.map((u, i) => [String(i + 1), { data_hash: u.dataHash, height: u.height, width: u.width }]),
  );
  const cocoDetections = model.detections.filter((d) => !isVideo(d));
  const results = cocoDetections.map((d) => {
    const { width: W, height: H } = d.unit;
    const common = { image_id: imageIds.get(d.unit.dataHash)!, category_id: Number(d.cls.id), score: d.confidence };
    if (d.shape.kind === 'box') {
      const b = d.shape.box;
      return { ...common, bbox: [px2(b.x * W), px2(b.y * H), px2(b.w * W), px2(b.h * H)] };
    }
    const flat = d.shape.points.flatMap(([x, y]) => [px2(x * W), px2(y * H)]);
    const xs = flat.filter((_, i) => i % 2 === 0);
    const ys = flat.filter((_, i) => i % 2 === 1);
    const [x0, y0] = [Math.min(...xs), Math.min(...ys)];
    return { ...common, bbox: [x0, y0, px2(Math.max(...xs) - x0), px2(Math.max(...ys) - y0)], segmentation: [flat] };
  });
  add(
    {
      id: 'coco',
      format: 'coco',
      label: 'COCO results JSON',
      predictions: results.length,
      note: 'image ids from the project image_data_unit.json; category ids are the ontology ids',
    },
    new Map([['results.json', JSON.stringify(results) + '\n']]),
  );

  // YOLO: one file per image (named by title) or video frame (<du>_<frame>), class index = ontology position.
  const objectIndex = new Map(scene.classes.map((c, i) => [c.featureNodeHash, i]));
  const yolo = new Map<string, string>();
  for (const [, ds] of groupBy(model.detections, (d) => `${d.unit.dataHash}/${d.frame}`)) {
    const { unit, frame } = ds[0];
    const name = isVideo(ds[0]) ? `${unit.dataHash}_${frame}` : stem(unit.title);
    const lines = ds.map((d) => {
      const k = objectIndex.get(d.cls.featureNodeHash);
      if (d.shape.kind === 'box') {
        const b = d.shape.box;
        return `${k} ${f6(b.x + b.w / 2)} ${f6(b.y + b.h / 2)} ${f6(b.w)} ${f6(b.h)} ${d.confidence}`;
      }
      return `${k} ${d.shape.points.map(([x, y]) => `${f6(x)} ${f6(y)}`).join(' ')} ${d.confidence}`;
    });
    yolo.set(`${name}.txt`, lines.join('\n') + '\n');
  }
  add(
    {
      id: 'yolo',
      format: 'yolo',
      label: 'YOLO txt',
      predictions: model.detections.length,
      note: 'boxes and segmentation polygons with confidences, class i = ontology object i',
    },
    yolo,
  );

  // The EA folder needs the project as predlens reads it (written just before this runs).
  const project = await readProject(new NodeTree(projectDir));
  const ea = eaPredictionsFolder(kernels, project, model.detections.map(toPrediction), scene.seed ^ 0xea);
  add(
    {
      id: 'ea',
      format: 'ea-predictions',
      label: 'Encord Active predictions/ folder',
      predictions: model.detections.length,
      note: 'what EA v0.1.40 writes after an import: predictions.csv, labels.csv, class_idx.json, ground_truths_matched.json',
    },
    new Map([...ea].map(([k, v]) => [`predictions/${k}`, v])),
  );

  return { model, predictions, files, sets, imageDataUnit };
}

/** Writes the demo predictions into `projectDir` (the demo root). Run after the project itself is written. */
export async function writeDemoPredictions(scene: DemoScene, projectDir: string): Promise<DemoPredictionSet[]> {
  const { files, sets, imageDataUnit } = await demoPredictionFiles(scene, projectDir);
  await rm(join(projectDir, DEMO_PREDICTIONS_DIR), { recursive: true, force: true });
  for (const [path, contents] of files) {
    await mkdir(dirname(join(projectDir, path)), { recursive: true });
    await writeFile(join(projectDir, path), contents);
  }
  await writeFile(join(projectDir, DEMO_PREDICTIONS_INDEX), JSON.stringify({ sets }, null, 1) + '\n');
  await writeFile(join(projectDir, 'image_data_unit.json'), JSON.stringify(imageDataUnit, null, 1) + '\n');
  return sets;
}

/** The demo generator's hook (scripts/make-demo.ts DEMO_EXTRAS). */
export async function addDemoPredictions(scene: DemoScene, projectDir: string): Promise<void> {
  await writeDemoPredictions(scene, projectDir);
}
