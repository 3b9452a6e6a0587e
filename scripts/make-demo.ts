// npm run demo: writes the built-in demo project into public/demo/ (or the folder given), then its manifest.
// Deterministic: the same seed gives the same bytes. Other generators (predictions) add their files before the
// manifest is written; see scripts/demo/scene.ts for buildDemoScene, the ground truth they start from.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDemoScene, DEMO_SEED, type DemoScene } from './demo/scene.ts';
import { writeDemoProject, writeManifest } from './demo/project-files.ts';
import { addDemoPredictions } from './demo/predictions.ts';
import { writeCocoDemo, writeYoloDemo } from './demo/dataset-variants.ts';

/** Writes more files into the demo folder (e.g. predictions/...) from the scene, before the manifest is made. */
export type DemoExtra = (scene: DemoScene, outDir: string) => Promise<void>;

/** Generators that add to the demo on every `npm run demo`; add yours here. */
export const DEMO_EXTRAS: DemoExtra[] = [addDemoPredictions];

export async function makeDemo(outDir: string, seed = DEMO_SEED, extras: readonly DemoExtra[] = DEMO_EXTRAS) {
  const scene = buildDemoScene(seed);
  await writeDemoProject(outDir, scene);
  for (const extra of extras) await extra(scene, outDir);
  const files = await writeManifest(outDir);
  // The same scene as a COCO and as a YOLO dataset, beside the EA demo (demo-coco/, demo-yolo/).
  await writeCocoDemo(scene, outDir, `${outDir}-coco`);
  await writeYoloDemo(scene, outDir, `${outDir}-yolo`);
  return { scene, files };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = resolve(process.argv[2] ?? fileURLToPath(new URL('../public/demo', import.meta.url)));
  const started = performance.now();
  const { scene, files } = await makeDemo(outDir);
  const images = files.filter((f) => f.endsWith('.png')).length;
  console.log(
    `demo project: ${scene.labelRows.length} label rows, ${images} images, ${files.length} files -> ${outDir} ` +
      `(${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
}
