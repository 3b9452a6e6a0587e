// Writes a DemoScene as an Encord Active v0.1.40 project folder (spec section 1) plus manifest.json, the file
// list a URL-backed FileTree reads instead of a directory listing.
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { encodePng } from './png.ts';
import type { DemoFrame, DemoLabel, DemoLabelRow, DemoScene } from './scene.ts';

export const MANIFEST = 'manifest.json';

const snake = (s: string) => s.toLowerCase().replace(/ /g, '_');
const json = (value: unknown) => JSON.stringify(value, null, 2);
/** label_row_meta.json times: "2023-03-01 09:00:00", from an RFC 1123 string. */
const isoish = (rfc: string) => new Date(rfc).toISOString().replace('T', ' ').slice(0, 19);

export function ontologyJson(scene: DemoScene) {
  return {
    objects: scene.classes.map((c) => ({
      id: c.id,
      name: c.name,
      color: c.color,
      shape: c.shape,
      featureNodeHash: c.featureNodeHash,
      attributes: [],
    })),
    classifications: [
      {
        id: String(scene.classes.length + 1),
        featureNodeHash: scene.timeOfDay.featureNodeHash,
        attributes: [
          {
            id: `${scene.classes.length + 1}.1`,
            name: 'Time of day',
            type: 'radio',
            required: true,
            dynamic: false,
            featureNodeHash: scene.timeOfDay.attributeHash,
            options: scene.timeOfDay.options.map((o, i) => ({
              id: `${scene.classes.length + 1}.1.${i + 1}`,
              label: o.label,
              value: o.value,
              featureNodeHash: o.featureNodeHash,
            })),
          },
        ],
      },
    ],
  };
}

function objectJson(scene: DemoScene, l: DemoLabel) {
  const c = scene.classes.find((k) => k.featureNodeHash === l.featureHash)!;
  const geometry = l.box
    ? { boundingBox: { h: l.box.h, w: l.box.w, x: l.box.x, y: l.box.y } }
    : { polygon: Object.fromEntries(l.polygon!.map(([x, y], i) => [String(i), { x, y }])) };
  return {
    name: c.name,
    color: c.color,
    shape: c.shape,
    value: snake(c.name),
    createdAt: l.createdAt,
    createdBy: l.createdBy,
    confidence: 1,
    objectHash: l.objectHash,
    featureHash: l.featureHash,
    lastEditedAt: l.createdAt,
    lastEditedBy: l.createdBy,
    manualAnnotation: true,
    reviews: [],
    ...geometry,
  };
}

function frameLabels(scene: DemoScene, f: DemoFrame) {
  return {
    objects: f.labels.map((l) => objectJson(scene, l)),
    classifications: f.timeOfDay
      ? [
          {
            name: 'Time of day',
            value: 'time_of_day',
            createdAt: f.timeOfDay.createdAt,
            createdBy: f.timeOfDay.createdBy,
            confidence: 1,
            featureHash: scene.timeOfDay.featureNodeHash,
            manualAnnotation: true,
            classificationHash: f.timeOfDay.classificationHash,
            reviews: [],
          },
        ]
      : [],
  };
}

export function labelRowJson(scene: DemoScene, row: DemoLabelRow) {
  const objectAnswers: Record<string, unknown> = {};
  const classificationAnswers: Record<string, unknown> = {};
  const units: Record<string, unknown> = {};
  for (const u of row.units) {
    for (const f of u.frames) {
      for (const l of f.labels) objectAnswers[l.objectHash] = { objectHash: l.objectHash, classifications: [] };
      if (f.timeOfDay) {
        const option = scene.timeOfDay.options.find((o) => o.value === f.timeOfDay!.value)!;
        classificationAnswers[f.timeOfDay.classificationHash] = {
          classificationHash: f.timeOfDay.classificationHash,
          classifications: [
            {
              name: 'Time of day',
              value: 'time_of_day',
              featureHash: scene.timeOfDay.attributeHash,
              manualAnnotation: true,
              answers: [{ name: option.label, value: option.value, featureHash: option.featureNodeHash }],
            },
          ],
        };
      }
    }
    const video = row.dataType === 'video';
    units[u.dataHash] = {
      data_hash: u.dataHash,
      data_title: u.title,
      data_link: `demo/${u.title}`,
      data_type: video ? 'video/mp4' : 'image/png',
      // Encord writes image-group positions as strings; single images and videos as ints.
      data_sequence: row.dataType === 'img_group' ? String(u.sequence) : u.sequence,
      width: u.width,
      height: u.height,
      ...(video ? { data_fps: 25, data_duration: u.frames.length / 25 } : {}),
      labels: video
        ? Object.fromEntries(u.frames.map((f) => [String(f.frame), frameLabels(scene, f)]))
        : frameLabels(scene, u.frames[0]),
    };
  }
  return {
    label_hash: row.labelHash,
    dataset_hash: scene.datasetHash,
    dataset_title: scene.datasetTitle,
    data_title: row.title,
    data_type: row.dataType,
    data_units: units,
    object_answers: objectAnswers,
    classification_answers: classificationAnswers,
    object_actions: {},
    label_status: 'LABELLED',
  };
}

export function labelRowMetaJson(scene: DemoScene) {
  return Object.fromEntries(
    scene.labelRows.map((row) => {
      const frames = row.units.reduce((n, u) => n + u.frames.length, 0);
      return [
        row.labelHash,
        {
          label_hash: row.labelHash,
          data_hash: row.dataHash,
          dataset_hash: scene.datasetHash,
          dataset_title: scene.datasetTitle,
          data_title: row.title,
          data_type: row.dataType.toUpperCase(),
          label_status: 'LABELLED',
          annotation_task_status: 'COMPLETED',
          is_shadow_data: false,
          created_at: isoish(row.createdAt),
          last_edited_at: isoish(row.createdAt),
          ...(row.dataType === 'video' ? { duration: frames / 25, frames_per_second: 25 } : {}),
        },
      ];
    }),
  );
}

/** Path of a frame's image: images/<du>.png for images, images/<du>_<frame>.png (not zero-padded) for video. */
export function imagePath(row: DemoLabelRow, dataHash: string, frame: number): string {
  return row.dataType === 'video'
    ? `data/${row.labelHash}/images/${dataHash}_${frame}.png`
    : `data/${row.labelHash}/images/${dataHash}.png`;
}

/** Every project file, path -> bytes, in a stable order. Renders and encodes every image. */
export function demoProjectFiles(scene: DemoScene): Map<string, Uint8Array> {
  const enc = new TextEncoder();
  const files = new Map<string, Uint8Array>();
  const meta = {
    has_remote: false,
    project_description: scene.projectDescription,
    project_hash: scene.projectHash,
    project_title: scene.projectTitle,
  };
  files.set('project_meta.yaml', enc.encode(stringify(meta, { sortMapEntries: true, lineWidth: 0 })));
  files.set('ontology.json', enc.encode(json(ontologyJson(scene))));
  files.set('label_row_meta.json', enc.encode(json(labelRowMetaJson(scene))));
  for (const row of scene.labelRows) {
    files.set(`data/${row.labelHash}/label_row.json`, enc.encode(json(labelRowJson(scene, row))));
    for (const u of row.units) {
      for (const f of u.frames)
        files.set(imagePath(row, u.dataHash, f.frame), encodePng(f.render(), u.width, u.height));
    }
  }
  return files;
}

/** Writes the project into `dir`, replacing whatever was there. */
export async function writeDemoProject(dir: string, scene: DemoScene): Promise<string[]> {
  await rm(dir, { recursive: true, force: true });
  const files = demoProjectFiles(scene);
  for (const [path, bytes] of files) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), bytes);
  }
  return [...files.keys()];
}

/** Lists every file under `dir` (except the manifest) into dir/manifest.json: `{"files": [sorted paths]}`. */
export async function writeManifest(dir: string): Promise<string[]> {
  const paths: string[] = [];
  const walk = async (rel: string) => {
    for (const e of await readdir(join(dir, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(path);
      else if (path !== MANIFEST) paths.push(path);
    }
  };
  await walk('');
  paths.sort();
  await writeFile(join(dir, MANIFEST), JSON.stringify({ files: paths }, null, 1) + '\n');
  return paths;
}
