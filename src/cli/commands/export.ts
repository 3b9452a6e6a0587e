// predlens export <project-dir> <predictions>: results out as files, the same code the page's Download buttons run.
//   --table per-class|coco-stats|matches|images|bins (--csv|--json)   one table (columns: README, "Export results")
//   --predictions coco|yolo|native                                    the run in another tool's format
//   --subset all|worst --as coco|yolo-list|paths                      some images, for relabelling or retraining
// Output goes to stdout, or to -o FILE (a YOLO folder needs -o: a folder, or a .zip).
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { flagNumber, flagString, parseArgs, UsageError, type ParsedArgs } from '../args.ts';
import type { Command } from '../command.ts';
import { IMPORT_FLAGS, IMPORT_USAGE } from '../prediction-input.ts';
import {
  openProject,
  readRun,
  runTide,
  scoreRun,
  scoreSettings,
  SCORE_FLAGS,
  type Opened,
  type Run,
} from '../evaluation.ts';
import { evaluateProjectCoco } from '../../core/eval/project-to-coco.ts';
import {
  activeClassRows,
  activeMatchInput,
  buildTable,
  cocoClassRows,
  cocoJson,
  cocoResults,
  cocoResultsJson,
  cocoStatRows,
  cocoSubset,
  COCO_STATS,
  distinctImages,
  IMAGES,
  imageRows,
  MATCHES,
  matchRows,
  nativePredictions,
  pathList,
  PER_CLASS_ACTIVE,
  PER_CLASS_COCO,
  performanceBinRows,
  BINS,
  PREDICTION_OUT_FORMATS,
  SUBSET_FORMATS,
  TABLE_IDS,
  worstImages,
  writeTable,
  yoloFiles,
  yoloImageList,
  zipStore,
  labelErrorImages,
  tideErrorTypes,
  type ImageRef,
  type Table,
  type TableFormat,
} from '../../core/export/index.ts';
import { clampBins, DEFAULT_BINS } from '../../core/metrics/binning.ts';
import { computeMetrics } from '../../core/metrics/run.ts';
import { kernelMetricsEnvironment } from '../../core/metrics/kernel-env.ts';
import { predictionMetricTable, projectMetricTables } from '../../core/metrics/columns.ts';
import { IMAGE_METRICS } from '../../core/metrics/catalogue.ts';
import { decodeImageRgba } from '../../core/image-decode.ts';
import { splitId } from '../../core/metrics/metric-columns.ts';

const SUBSETS = ['all', 'worst', 'label-errors'] as const;
const DEFAULT_METRIC = 'P:object_area_-_relative';
const DEFAULT_WORST = 100;

const USAGE = [
  `predlens export <project-or-dataset-dir> [<predictions>] ${IMPORT_USAGE} [--split NAME]`,
  `    --table ${TABLE_IDS.join('|')} [--mode active|coco] [--iou 0.5] [--ignore-frames-without-predictions]`,
  `        [--metric P:object_area_-_relative] [--bins ${DEFAULT_BINS}] --csv|--json`,
  `  | --predictions ${PREDICTION_OUT_FORMATS.join('|')}`,
  `  | --subset ${SUBSETS.join('|')} [--limit ${DEFAULT_WORST}] [--min-confidence 0.5] --as ${SUBSET_FORMATS.join('|')}`,
  '        [--with-predictions]',
  '  [-o FILE]',
].join('\n');

const SUMMARY = [
  'Write results out as files: a table, the run in another format, or a subset of the images.',
  '',
  '  --table per-class   AP, AR, labels, predictions, TP, FP, FN per class (--mode coco: pycocotools per category)',
  '          coco-stats  pycocotools’ 12 summary stats',
  '          matches     one row per prediction (TP / FP, Encord Active’s reason, TIDE’s type) and per missed label',
  '          images      per image: labels, predictions, TP, FP, FN, precision, recall, F1',
  '          bins        Performance by metric: TPR and FNR per equal-frequency bin of --metric (a page metric id)',
  '          --csv (RFC 4180, header row) or --json (an array of objects); the columns are listed in the README.',
  '  --predictions coco    COCO results JSON (image ids: the dataset’s, image_data_unit.json’s, else 1..n)',
  '                yolo    a YOLO prediction folder (labels/*.txt, classes.txt); -o DIR, or -o FILE.zip',
  '                native  predlens NDJSON (import --format json reads it back)',
  '  --subset all|worst    every image, or the images with errors at --iou, worst (lowest F1) first, --limit of them',
  '          label-errors   the images of TIDE’s likely label errors (confident Bkg and Cls errors, loose boxes)',
  '                         at --min-confidence (default 0.5) or above, most confident first',
  '          --as coco       a COCO dataset: the images, their labels, every category (--with-predictions also',
  '                          writes the run’s predictions on them, as COCO results, to <FILE>.predictions.json)',
  '               yolo-list  ./<image path> per line (an Ultralytics image list beside the folder)',
  '               paths      the image paths, one per line',
  '  --split NAME          a dataset folder: read one split',
  '  -o FILE               write there instead of stdout',
].join('\n');

export const command: Command = {
  name: 'export',
  usage: USAGE,
  summary: SUMMARY,
  async run(argv) {
    const args = parseArgs(
      argv.map((a) => (a === '-o' ? '--output' : a)),
      {
        boolean: ['csv', 'json', 'with-predictions', ...SCORE_FLAGS.boolean, ...IMPORT_FLAGS.boolean],
        value: [
          'table',
          'mode',
          'metric',
          'bins',
          'predictions',
          'subset',
          'as',
          'limit',
          'min-confidence',
          'output',
          ...SCORE_FLAGS.value,
          ...IMPORT_FLAGS.value,
        ],
      },
    );
    const [projectDir, input, ...extra] = args.positionals;
    if (!projectDir || extra.length > 0) throw new UsageError('give a project folder and a prediction file or folder');
    const what = (['table', 'predictions', 'subset'] as const).filter((k) => args.flags.has(k));
    if (what.length !== 1) throw new UsageError('give one of --table, --predictions or --subset');

    const opened = await openProject(projectDir, args);
    const run = input ? await readRun(opened, input, args) : undefined;
    const output = flagString(args, 'output');
    if (what[0] === 'table') return exportTable(opened, run, args, output);
    if (what[0] === 'predictions') return exportPredictions(opened, need(run, '--predictions'), args, output);
    return exportSubset(opened, run, args, output);
  },
};

function need(run: Run | undefined, what: string): Run {
  if (!run) throw new UsageError(`${what} needs a prediction file or folder after the project folder`);
  return run;
}

async function emit(text: string | Uint8Array, output: string | undefined) {
  if (output === undefined) {
    process.stdout.write(text);
    return;
  }
  await mkdir(dirname(output), { recursive: true });
  await writeFile(output, text);
}

function tableFormat(args: ParsedArgs): TableFormat {
  const csv = args.flags.has('csv');
  const json = args.flags.has('json');
  if (csv === json) throw new UsageError('give --csv or --json');
  return csv ? 'csv' : 'json';
}

async function exportTable(opened: Opened, run: Run | undefined, args: ParsedArgs, output: string | undefined) {
  const id = flagString(args, 'table')!;
  if (!(TABLE_IDS as readonly string[]).includes(id))
    throw new UsageError(`--table must be one of ${TABLE_IDS.join(', ')}; got "${id}"`);
  const format = tableFormat(args);
  const mode = flagString(args, 'mode') ?? 'active';
  if (mode !== 'active' && mode !== 'coco') throw new UsageError(`--mode must be active or coco; got "${mode}"`);
  if (mode === 'coco' && id !== 'per-class') throw new UsageError('--mode coco applies to --table per-class');
  const settings = scoreSettings(args);
  const { project, kernels } = opened;

  let table: Table;
  if (id === 'images' && !run) {
    table = buildTable(IMAGES, imageRows(project));
  } else if (id === 'coco-stats' || (id === 'per-class' && mode === 'coco')) {
    const ev = evaluateProjectCoco(kernels, project, need(run, `--table ${id}`).predictions, {
      ignoreFramesWithoutPredictions: settings.ignoreFramesWithoutPredictions,
    });
    table =
      id === 'coco-stats'
        ? buildTable(COCO_STATS, cocoStatRows(ev.result))
        : buildTable(PER_CLASS_COCO, cocoClassRows(ev));
  } else {
    const predictions = need(run, `--table ${id}`).predictions;
    const { prepared, score } = scoreRun(opened, predictions, settings);
    const matchInput = activeMatchInput(project, prepared, score);
    if (id === 'per-class') table = buildTable(PER_CLASS_ACTIVE, activeClassRows(score.perClass));
    else if (id === 'matches') {
      const tide = runTide(opened, predictions, 'export');
      table = buildTable(MATCHES, matchRows(matchInput, {}, tide && tideErrorTypes(tide, matchInput)));
    } else if (id === 'images') table = buildTable(IMAGES, imageRows(project, matchInput));
    else {
      const metricId = flagString(args, 'metric') ?? DEFAULT_METRIC;
      const bins = clampBins(flagNumber(args, 'bins') ?? DEFAULT_BINS);
      const metrics = await runMetrics(opened, predictions, prepared, metricId);
      table = buildTable(
        BINS,
        performanceBinRows(
          {
            project,
            columns: { ...matchInput, labelHash: [...matchInput.labelHash] },
            classes: prepared.classes,
            isTP: score.isTP,
            isFN: score.isFN,
            labelCounted: score.labelCounted,
            ...metrics,
          },
          metricId,
          bins,
        ),
      );
    }
  }
  await emit(writeTable(table, format), output);
  return 0;
}

/** The metric tables Performance by metric joins; images are decoded only for an image metric. */
async function runMetrics(
  opened: Opened,
  predictions: Run['predictions'],
  prepared: ReturnType<typeof scoreRun>['prepared'],
  metricId: string,
) {
  const [, key] = splitId(metricId);
  const needsPixels = IMAGE_METRICS.some((m) => m.key === key);
  const { kernels, project, tree } = opened;
  const iou = new Float64Array(predictions.length).fill(NaN);
  for (let pidx = 0; pidx < prepared.nPredictions; pidx++) iou[prepared.predSource[pidx]] = prepared.iou[pidx];
  const env = kernelMetricsEnvironment(kernels, {
    loadImage: needsPixels ? async (path) => decodeImageRgba(await tree.readBytes(path), path) : undefined,
  });
  const report = await computeMetrics(env, project, predictions, { iou });
  const predictionRows = report.objects.filter((o) => o.source === 'prediction');
  return {
    projectMetrics: projectMetricTables(report),
    runMetrics: predictionMetricTable(predictionRows, prepared.predSource, prepared.confidence),
  };
}

async function exportPredictions(opened: Opened, run: Run, args: ParsedArgs, output: string | undefined) {
  const format = flagString(args, 'predictions')!;
  if (!(PREDICTION_OUT_FORMATS as readonly string[]).includes(format))
    throw new UsageError(`--predictions must be one of ${PREDICTION_OUT_FORMATS.join(', ')}; got "${format}"`);
  const { project, kernels } = opened;
  let skipped: { reason: string; count: number }[] = [];
  if (format === 'coco') {
    const written = cocoResults(kernels, project, run.predictions, { imageDataUnits: opened.imageDataUnits });
    skipped = written.skipped;
    await emit(cocoResultsJson(written.value), output);
  } else if (format === 'native') {
    await emit(nativePredictions(run.predictions).value, output);
  } else {
    if (!output) throw new UsageError('--predictions yolo writes a folder: give -o DIR (or -o FILE.zip)');
    const written = yoloFiles(kernels, project, run.predictions);
    skipped = written.skipped;
    if (/\.zip$/i.test(output)) {
      await emit(zipStore([...written.value].map(([path, data]) => ({ path, data }))), output);
    } else {
      for (const [path, text] of written.value) await emit(text, join(output, path));
    }
  }
  for (const s of skipped) console.error(`predlens export: left out ${s.count} prediction(s): ${s.reason}`);
  return 0;
}

async function exportSubset(opened: Opened, run: Run | undefined, args: ParsedArgs, output: string | undefined) {
  const which = flagString(args, 'subset')!;
  if (!(SUBSETS as readonly string[]).includes(which))
    throw new UsageError(`--subset must be one of ${SUBSETS.join(', ')}; got "${which}"`);
  const as = flagString(args, 'as');
  if (!as || !(SUBSET_FORMATS as readonly string[]).includes(as))
    throw new UsageError(`--as must be one of ${SUBSET_FORMATS.join(', ')}`);
  const { project, kernels } = opened;
  let refs: ImageRef[];
  const all = imageRows(project);
  if (which === 'all') refs = all.map((r) => ({ unitIndex: r.unitIndex, frame: r.frame }));
  else if (which === 'label-errors') {
    const predictions = need(run, '--subset label-errors').predictions;
    const tide = runTide(opened, predictions, 'export');
    if (!tide) throw new Error('--subset label-errors needs TIDE, which found nothing to analyse in these predictions');
    const minConfidence = flagNumber(args, 'min-confidence') ?? 0.5;
    const items = labelErrorImages(project, predictions, tide, minConfidence);
    const limit = flagNumber(args, 'limit');
    refs = (limit === undefined ? items : items.slice(0, limit)).map((i) => i.image);
  } else {
    const predictions = need(run, '--subset worst').predictions;
    const { prepared, score } = scoreRun(opened, predictions, scoreSettings(args));
    const limit = flagNumber(args, 'limit') ?? DEFAULT_WORST;
    refs = worstImages(imageRows(project, activeMatchInput(project, prepared, score)), limit).map((r) => ({
      unitIndex: r.unitIndex,
      frame: r.frame,
    }));
  }
  refs = distinctImages(project, refs);
  if (as === 'coco') {
    const withPredictions = args.flags.has('with-predictions');
    if (withPredictions && !output) throw new UsageError('--with-predictions writes a second file: give -o FILE');
    const subset = cocoSubset(kernels, project, refs, {
      predictions: withPredictions ? need(run, '--with-predictions').predictions : undefined,
      imageDataUnits: opened.imageDataUnits,
    });
    await emit(cocoJson(subset.dataset), output);
    if (subset.results && output) await emit(cocoResultsJson(subset.results), predictionsFileFor(output));
  } else {
    const list = as === 'yolo-list' ? yoloImageList(project, refs) : pathList(project, refs);
    if (list.missing > 0) console.error(`predlens export: ${list.missing} image(s) have no file in the folder`);
    await emit(list.text, output);
  }
  return 0;
}

/** subset.json -> subset.predictions.json */
export function predictionsFileFor(output: string): string {
  return /\.json$/i.test(output) ? output.replace(/\.json$/i, '.predictions.json') : `${output}.predictions.json`;
}
