// Bench part "report": the size (and the time to make) of the one-file HTML report for a 5,000-image project: the
// synthetic project of the slider bench (5,000 images of 640x480, 80 box classes, ~35k labels, 100k box predictions)
// with generated pictures behind it. Each picture a card needs is drawn (a gradient, blocks and per-pixel noise, which
// JPEG compresses worse than photos), encoded as a JPEG file and read back through the project's own decoder, then
// the report is built exactly as `predlens report` builds it. Writes bench-results/report-5000.html. Then the same
// report with --compare against a second 100k-prediction run (scripts/synthetic-project.ts' second run), its A/B
// section from compareProjectRuns as `predlens report --compare` computes it: bench-results/report-5000-ab.html.
// Standalone: npx tsx scripts/bench/report.ts
import { mkdir, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { encode as encodeJpeg } from 'jpeg-js';
import { prepareActive, scoreActive } from '../../src/core/eval/active/index.ts';
import { evaluateProjectCoco } from '../../src/core/eval/project-to-coco.ts';
import { decodeImageRgba } from '../../src/core/image-decode.ts';
import {
  activeReportPart,
  cocoReportPart,
  compareReportPart,
  renderReport,
  type ReportData,
} from '../../src/core/report/index.ts';
import { compareProjectRuns } from '../../src/cli/commands/compare.ts';
import { PREDLENS_VERSION } from '../../src/core/version.ts';
import { addThumbnails } from '../../src/cli/thumbnails.ts';
import { loadKernels } from '../../src/kernels/node.ts';
import { fmt, printTable } from './util.ts';
import { FRAMES, syntheticProject, syntheticSecondRun } from '../synthetic-project.ts';

const LIMIT_MB = 15;

/** A 640x480 picture for `path`, the same every run. */
function picture(path: string, width = 640, height = 480): Uint8Array {
  let seed = 0;
  for (const ch of path) seed = (Math.imul(seed, 31) + ch.charCodeAt(0)) >>> 0;
  const rnd = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296;
  const rgba = new Uint8Array(width * height * 4);
  const blocks = Array.from({ length: 12 }, () => ({
    x: rnd() * width,
    y: rnd() * height,
    w: 20 + rnd() * 200,
    h: 20 + rnd() * 150,
    c: [rnd() * 255, rnd() * 255, rnd() * 255],
  }));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let c = [(x / width) * 200, (y / height) * 200, 120];
      for (const b of blocks) if (x >= b.x && x < b.x + b.w && y >= b.y && y < b.y + b.h) c = b.c;
      const i = (y * width + x) * 4;
      for (let k = 0; k < 3; k++) rgba[i + k] = Math.max(0, Math.min(255, c[k] + (rnd() - 0.5) * 40));
      rgba[i + 3] = 255;
    }
  }
  return rgba;
}

export async function run(): Promise<void> {
  const kernels = await loadKernels();
  const { project, predictions } = syntheticProject();
  project.dataUnits.forEach((du) => (du.images[0] = `data/${du.labelHash}/images/${du.dataHash}.jpg`));
  const nLabels = project.dataUnits.reduce((n, du) => n + du.frames[0].objects.length, 0);
  console.log(`synthetic project: ${FRAMES} images, ${nLabels} labels, ${predictions.length} predictions`);

  const t0 = performance.now();
  const prepared = prepareActive(kernels, project, predictions);
  const score = scoreActive(prepared, { iouThreshold: 0.5 });
  const t1 = performance.now();
  const part = activeReportPart({ kernels, project, predictions, prepared, score });
  const t2 = performance.now();
  const coco = cocoReportPart(evaluateProjectCoco(kernels, project, predictions, {}));
  const t3 = performance.now();
  const data: ReportData = {
    ...part,
    projectTitle: project.meta.project_title,
    runName: 'synthetic 100k',
    generatedAt: new Date().toISOString(),
    version: PREDLENS_VERSION,
    coco,
  };
  const items = [...data.falsePositives, ...data.missed];
  let jpegBytes = 0;
  const files = new Map<string, Uint8Array>();
  for (const item of items) {
    if (files.has(item.file)) continue;
    const jpeg = encodeJpeg({ data: picture(item.file), width: 640, height: 480 }, 90).data;
    jpegBytes += jpeg.length;
    files.set(item.file, new Uint8Array(jpeg));
  }
  const t4 = performance.now();
  await addThumbnails(
    { readBytes: async (p: string) => files.get(p)! } as never,
    items,
    (m) => console.error(m),
    async (path) => decodeImageRgba(files.get(path)!, path),
  );
  const t5 = performance.now();
  const html = renderReport(data);
  const t6 = performance.now();

  const bytes = new TextEncoder().encode(html).length;
  const thumbnailBytes = items.reduce((n, i) => n + (i.thumbnail?.length ?? 0), 0);
  await mkdir('bench-results', { recursive: true });
  await writeFile('bench-results/report-5000.html', html);
  printTable([
    ['part', 'ms'],
    ['prepareActive + scoreActive', fmt(t1 - t0)],
    ['report part (headline, per class, confusion, 48 cards)', fmt(t2 - t1)],
    ['COCO evaluation (12 stats, per class)', fmt(t3 - t2)],
    [`thumbnails (${files.size} source JPEGs decoded, ${items.length} crops encoded)`, fmt(t5 - t4)],
    ['renderReport', fmt(t6 - t5)],
  ]);
  printTable([
    ['report', 'bytes', 'MB'],
    ['whole file', bytes, (bytes / 1e6).toFixed(2)],
    [`${items.length} thumbnails (data: URIs)`, thumbnailBytes, (thumbnailBytes / 1e6).toFixed(2)],
    ['everything else', bytes - thumbnailBytes, ((bytes - thumbnailBytes) / 1e6).toFixed(2)],
  ]);
  console.log(`(source pictures: ${files.size} JPEGs, ${(jpegBytes / 1e6).toFixed(1)} MB; limit ${LIMIT_MB} MB)`);
  if (bytes > LIMIT_MB * 1e6) console.log(`OVER THE ${LIMIT_MB} MB LIMIT`);

  // The same report with --compare: the A/B section of a second 100k run (1,000 resamples, seed 1).
  const b = syntheticSecondRun(project, predictions);
  const t7 = performance.now();
  const r = compareProjectRuns(
    kernels,
    project,
    predictions,
    b,
    { iou: 0.5, ignoreFramesWithoutPredictions: false, resamples: 1000, seed: 1, allImages: false },
    prepared,
  );
  const t8 = performance.now();
  const c = r.comparison;
  data.compare = compareReportPart({
    nameA: data.runName,
    nameB: 'synthetic second run',
    frameWord: 'image',
    active: r.active,
    coco: c,
    changes: { iou: c.iou, fixed: c.labels.fixed, broken: c.labels.broken, images: c.images, coverage: c.coverage },
  });
  const ab = renderReport(data);
  const abBytes = new TextEncoder().encode(ab).length;
  await writeFile('bench-results/report-5000-ab.html', ab);
  printTable([
    ['report --compare (run B: ' + b.length + ' predictions)', 'bytes', 'MB', 'ms'],
    ['whole file', abBytes, (abBytes / 1e6).toFixed(2), ''],
    ['the A/B section (and its embedded numbers)', abBytes - bytes, ((abBytes - bytes) / 1e6).toFixed(2), ''],
    ['compareProjectRuns (COCO pair + bootstrap, EA pair + bootstrap)', '', '', fmt(t8 - t7)],
  ]);
  if (abBytes > LIMIT_MB * 1e6) console.log(`OVER THE ${LIMIT_MB} MB LIMIT`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await run();
