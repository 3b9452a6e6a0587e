// predlens predict <project-or-dataset-dir> <model.onnx> -o run.ndjson: runs an ONNX detector over every image of
// the project or dataset folder (of the split --split names) with onnxruntime-node and writes native predictions
// (docs/native-format.md) that `eval --format writer` and the page's import read. The same core as the page's
// "Run a model" (src/core/inference).
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { flagNumber, flagString, parseArgs, printJson, UsageError } from '../args.ts';
import type { Command } from '../command.ts';
import { nodeInferenceHost } from '../onnx-host.ts';
import { readFolderArg, SPLIT_FLAG } from '../project-dir.ts';
import { parseClassMapJson } from '../../core/formats/class-map.ts';
import { toNativeJson, toNativeNdjson } from '../../core/formats/native.ts';
import { formatProblem } from '../../core/formats/index.ts';
import { decodeImageRgba } from '../../core/image-decode.ts';
import { LAYOUT_CHOICES, type LayoutChoice } from '../../core/inference/layout.ts';
import { formatDims } from '../../core/inference/onnx-model.ts';
import {
  imageJobs,
  inspectModel,
  planRun,
  predictImage,
  runSettings,
  unmappedWarnings,
} from '../../core/inference/predict.ts';
import { defaultSettings } from '../../core/inference/settings.ts';
import type { Prediction } from '../../core/model.ts';

const USAGE =
  'predlens predict <project-or-dataset-dir> <model.onnx> -o run.ndjson [--split NAME] [--imgsz 640] [--conf 0.001] [--iou 0.7]' +
  ' [--max-det 300] [--class-map FILE] [--layout L] [--no-nms] [--best-class] [--threads N] [--json]';

const SUMMARY = [
  'Run an ONNX object detector over every image of a project or dataset folder (Encord Active, COCO, YOLO, Pascal',
  'VOC, opened as `info` and `eval` open them) and write its predictions (native NDJSON).',
  '',
  '  --split NAME   a dataset: run on one split only (without it, every split; `eval --split NAME` scores it).',
  '  The layout is recognised from the model (Ultralytics YOLOv8/11 and transposed, YOLOv5, end-to-end [1, N, 6],',
  '  DETR logits + boxes, torchvision boxes/scores/labels); --layout overrides it:',
  ...LAYOUT_CHOICES.map((c) => `      ${c.id.padEnd(13)} ${c.label}`),
  '  Input: letterbox to the model size (--imgsz for models of any size, default 640; "W,H" for a rectangle),',
  '  RGB, pixel / 255 (or the metadata mean/std), NCHW float32. Output: scores above --conf (0.001), per-class',
  '  NMS at --iou (0.7), at most --max-det (300) per image, boxes mapped back through the letterbox.',
  '  Classes: by name (model metadata `names`) to the ontology or dataset classes (without names, a dataset takes',
  '  the class number as its category id); --class-map FILE is {"<class index or model class name>":',
  '  "<featureNodeHash>" | ""} as for every import.',
  '  -o FILE        where to write (.ndjson or .json); written to FILE.partial first, renamed when complete.',
  '  --json         print a summary (images, predictions, settings, warnings) as JSON on stdout.',
].join('\n');

function parseImgsz(value: string | undefined): { width: number; height: number } | undefined {
  if (value === undefined) return undefined;
  const parts = value.split(/[,x]/).map((v) => Number(v.trim()));
  if (parts.length > 2 || parts.some((v) => !Number.isInteger(v) || v <= 0)) {
    throw new UsageError(`--imgsz must be a size in pixels (640) or W,H (640,384); got "${value}"`);
  }
  return { width: parts[0], height: parts[1] ?? parts[0] };
}

export const command: Command = {
  name: 'predict',
  usage: USAGE,
  summary: SUMMARY,
  async run(argv) {
    const normalised = argv.map((a) => (a === '-o' ? '--out' : a));
    const args = parseArgs(normalised, {
      boolean: ['json', 'no-nms', 'best-class'],
      value: ['out', SPLIT_FLAG, 'imgsz', 'conf', 'iou', 'max-det', 'class-map', 'layout', 'threads'],
    });
    const [dir, modelPath, ...extra] = args.positionals;
    if (!dir || !modelPath || extra.length > 0)
      throw new UsageError('give a project (or dataset) folder and a .onnx model');
    const out = flagString(args, 'out');
    if (!out) throw new UsageError('give the output file with -o run.ndjson');
    const json = args.flags.has('json');

    const modelBytes = new Uint8Array(readFileSync(modelPath));
    const file = basename(modelPath);
    const { info, guess } = inspectModel(modelBytes, file);
    const settings = defaultSettings(guess);
    const layout = flagString(args, 'layout');
    if (layout !== undefined) {
      if (!LAYOUT_CHOICES.some((c) => c.id === layout)) {
        throw new UsageError(`--layout must be one of ${LAYOUT_CHOICES.map((c) => c.id).join(', ')}; got "${layout}"`);
      }
      settings.layoutChoice = layout as LayoutChoice;
      guess.error = undefined;
    }
    const imgsz = parseImgsz(flagString(args, 'imgsz'));
    if (imgsz) settings.imgsz = imgsz;
    settings.conf = flagNumber(args, 'conf') ?? settings.conf;
    settings.iou = flagNumber(args, 'iou') ?? settings.iou;
    settings.maxDet = flagNumber(args, 'max-det') ?? settings.maxDet;
    if (args.flags.has('no-nms')) settings.nms = false;
    if (args.flags.has('best-class')) settings.multiLabel = false;
    const threads = flagNumber(args, 'threads');

    const { tree, project } = await readFolderArg(dir, args);
    const mapFile = flagString(args, 'class-map');
    const userMap = mapFile ? parseClassMapJson(readFileSync(mapFile, 'utf8'), mapFile) : undefined;
    const plan = planRun(project, info, guess, settings, userMap, mapFile);
    const log = (line: string) => console.error(`predlens predict: ${line}`);
    log(`${file}: ${guess.reason}`);
    for (const w of guess.warnings) log(`note: ${w}`);
    log(`input ${info.inputs.map((i) => `${i.name} ${formatDims(i.dims)}`).join(', ')}; classes: ${plan.classes.rule}`);
    const missing = plan.classes.rows.filter((r) => !r.target);
    if (missing.length > 0) {
      log(
        `not mapped (left out): ${missing.map((r) => `${r.key}${r.name ? ` ${r.name}` : ''} (${r.note})`).join('; ')}`,
      );
    }

    const host = await nodeInferenceHost(modelBytes, file, threads);
    const jobs = imageJobs(project);
    const predictions: Prediction[] = [];
    const unmapped = new Map<number, number>();
    const failed: string[] = [];
    let modelMs = 0;
    const rejected: string[] = [];
    const started = performance.now();
    const partial = `${out}.partial`;
    try {
      for (const [i, job] of jobs.entries()) {
        let image;
        try {
          image = decodeImageRgba(await tree.readBytes(job.path), job.path);
        } catch (error) {
          failed.push(error instanceof Error ? error.message : String(error));
          continue;
        }
        const result = await predictImage(plan, host, job, image);
        modelMs += result.ms.model;
        for (const p of result.rejected) rejected.push(formatProblem(p));
        predictions.push(...result.predictions);
        for (const [k, n] of result.unmapped) unmapped.set(k, (unmapped.get(k) ?? 0) + n);
        if (!json && process.stderr.isTTY && (i % 10 === 9 || i === jobs.length - 1)) {
          const rate = (i + 1) / ((performance.now() - started) / 1000);
          process.stderr.write(`\rpredlens predict: ${i + 1} / ${jobs.length} images, ${rate.toFixed(1)} images/s   `);
        }
      }
    } finally {
      await host.release();
    }
    if (!json && process.stderr.isTTY) process.stderr.write('\n');
    const seconds = (performance.now() - started) / 1000;
    // Written whole, then renamed: an interrupted run never leaves a file that looks complete.
    writeFileSync(partial, /\.(ndjson|jsonl)$/i.test(out) ? toNativeNdjson(predictions) : toNativeJson(predictions));
    renameSync(partial, out);
    const warnings = [
      ...unmappedWarnings(plan, unmapped),
      ...failed.map((f) => `image skipped: ${f}`),
      ...rejected.map((r) => `rejected: ${r}`),
    ];
    for (const w of warnings) log(w);
    const done = jobs.length - failed.length;
    const summary = {
      model: file,
      layout: guess.reason,
      images: done,
      skippedImages: failed.length,
      predictions: predictions.length,
      seconds,
      imagesPerSecond: done / seconds,
      modelImagesPerSecond: done / (modelMs / 1000),
      settings: runSettings(plan, { runtime: host.runtime }),
      classes: plan.classes.rows,
      warnings,
      out,
    };
    if (json) printJson(summary);
    else
      log(
        `${predictions.length} predictions on ${done} images in ${seconds.toFixed(1)} s (${(done / seconds).toFixed(1)} images/s) -> ${out}`,
      );
    return failed.length === jobs.length && jobs.length > 0 ? 1 : 0;
  },
};
