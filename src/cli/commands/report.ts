// predlens report <project-dir> <predictions> -o report.html: the one-file HTML report the page's "Download report"
// makes, from the same core code (core/report), with thumbnails made here from the project's images. With
// --compare B, the A/B section holds what `predlens compare` computes for the same runs and settings.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
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
import { addThumbnails } from '../thumbnails.ts';
import { compareProjectRuns } from './compare.ts';
import { DEFAULT_RESAMPLES, DEFAULT_SEED } from '../../core/eval/compare/bootstrap.ts';
import { compareProjectActive } from '../../core/eval/compare/project.ts';
import { evaluateProjectCoco } from '../../core/eval/project-to-coco.ts';
import type { ActivePrepared } from '../../core/eval/active/index.ts';
import {
  activeReportPart,
  cocoReportPart,
  compareReportPart,
  renderReport,
  type ReportCompare,
  type ReportData,
} from '../../core/report/index.ts';
import { PREDLENS_VERSION } from '../../core/version.ts';

export const command: Command = {
  name: 'report',
  usage:
    `predlens report <project-or-dataset-dir> <predictions> ${IMPORT_USAGE} [--split NAME] [--iou 0.5]` +
    ' [--ignore-frames-without-predictions] [--name NAME]' +
    ' [--compare <predictionsB> [--compare-name NAME] [--resamples 1000] [--seed 1] [--all-images]] -o report.html',
  summary: [
    'Write one self-contained HTML file with the whole result: project and run, the headline numbers, the COCO',
    'table, per-class table and PR curves, the confusion matrix, TIDE’s What costs AP chart, and the 24 most confident',
    'false positives and 24 largest missed labels as pictures with their overlays. It opens from disk in any browser,',
    'offline, and prints.',
    '  --split NAME         a dataset folder: read one split',
    '  --name NAME          the run’s name in the report (default: the prediction file’s name)',
    '  --compare B          a second run (read with the same import options): the A/B section, what',
    '                       "predlens compare <dir> A B" computes: Encord Active’s mAP and mAR at --iou and COCO’s 12',
    '                       stats of both runs, B − A with its 95% paired-bootstrap interval and P(B > A), per class',
    '                       sorted by B − A, and the labels B fixed and broke (COCO matching at --iou), on the images',
    '                       both runs have predictions on (the report says how many)',
    '  --compare-name NAME  run B’s name (default: its file’s name)',
    `  --resamples N        bootstrap resamples (default ${DEFAULT_RESAMPLES})`,
    `  --seed S             bootstrap seed, an integer 0..4294967295 (default ${DEFAULT_SEED})`,
    '  --all-images         compare on every image, even those only one run has predictions on',
  ].join('\n'),
  async run(argv) {
    const args = parseArgs(
      argv.map((a) => (a === '-o' ? '--output' : a)),
      {
        boolean: ['all-images', ...SCORE_FLAGS.boolean, ...IMPORT_FLAGS.boolean],
        value: [
          'output',
          'name',
          'compare',
          'compare-name',
          'resamples',
          'seed',
          ...SCORE_FLAGS.value,
          ...IMPORT_FLAGS.value,
        ],
      },
    );
    const [projectDir, input, ...extra] = args.positionals;
    if (!projectDir || !input || extra.length > 0)
      throw new UsageError('give a project folder and a prediction file or folder');
    const output = flagString(args, 'output');
    if (!output) throw new UsageError('give -o report.html');
    const compareInput = flagString(args, 'compare');
    for (const only of ['compare-name', 'resamples', 'seed', 'all-images']) {
      if (args.flags.has(only) && !compareInput) throw new UsageError(`--${only} goes with --compare <predictionsB>`);
    }
    const settings = scoreSettings(args);
    const bootstrap = {
      resamples: intFlag(args, 'resamples', DEFAULT_RESAMPLES, 1, 1_000_000),
      seed: intFlag(args, 'seed', DEFAULT_SEED, 0, 0xffffffff),
    };

    const opened = await openProject(projectDir, args);
    const run = await readRun(opened, input, args);
    const { prepared, score } = scoreRun(opened, run.predictions, settings);
    const { kernels, project } = opened;
    const part = activeReportPart({ kernels, project, predictions: run.predictions, prepared, score });
    const hasObjects = prepared.classes.some((c) => c.space === 'object') && prepared.nPredictions > 0;
    const data: ReportData = {
      ...part,
      projectTitle: project.meta.project_title,
      runName: flagString(args, 'name') ?? run.name,
      generatedAt: new Date().toISOString(),
      version: PREDLENS_VERSION,
      coco: hasObjects
        ? cocoReportPart(
            evaluateProjectCoco(kernels, project, run.predictions, {
              ignoreFramesWithoutPredictions: settings.ignoreFramesWithoutPredictions,
            }),
          )
        : undefined,
    };
    const tide = hasObjects ? runTide(opened, run.predictions, 'report') : undefined;
    if (tide) data.tide = { main: tide.main, special: tide.special };
    if (compareInput) {
      const runB = await readRun(opened, compareInput, args);
      data.compare = compareRuns(opened, run, runB, prepared, {
        nameA: data.runName,
        nameB: flagString(args, 'compare-name') ?? runB.name,
        ...settings,
        ...bootstrap,
        allImages: args.flags.has('all-images'),
        sourceA: input,
        sourceB: compareInput,
      });
    }
    await addThumbnails(opened.tree, [...data.falsePositives, ...data.missed], (m) =>
      console.error(`predlens report: ${m}`),
    );
    const html = renderReport(data);
    await mkdir(dirname(output), { recursive: true });
    await writeFile(output, html, 'utf8');
    console.error(`predlens report: wrote ${output} (${(html.length / 1024).toFixed(0)} KB)`);
    return 0;
  },
};

function intFlag(args: ParsedArgs, name: string, fallback: number, min: number, max: number): number {
  const v = flagNumber(args, name);
  if (v === undefined) return fallback;
  if (!Number.isInteger(v) || v < min || v > max) throw new UsageError(`--${name} must be an integer ${min}..${max}`);
  return v;
}

/**
 * The A/B section: `predlens compare`'s computation (compareProjectRuns) at the report's settings, the label changes
 * at --iou. Without object predictions in either run there is no COCO side; Encord Active's numbers remain.
 */
function compareRuns(
  opened: Opened,
  a: Run,
  b: Run,
  preparedA: ActivePrepared,
  o: {
    nameA: string;
    nameB: string;
    iouThreshold: number;
    ignoreFramesWithoutPredictions: boolean;
    resamples: number;
    seed: number;
    allImages: boolean;
    sourceA: string;
    sourceB: string;
  },
): ReportCompare {
  const { kernels, project } = opened;
  const frameWord = project.dataUnits.some((u) => u.dataType === 'video') ? 'frame' : 'image';
  const objects = [...a.predictions, ...b.predictions].some((p) => p.shape.kind !== 'classification');
  if (!objects) {
    const { scores, differences } = compareProjectActive(
      kernels,
      project,
      a.predictions,
      b.predictions,
      { ...o, allFrames: o.allImages },
      preparedA,
    );
    return compareReportPart({
      nameA: o.nameA,
      nameB: o.nameB,
      frameWord,
      active: { ...o, coverage: scores.coverage, differences },
    });
  }
  const r = compareProjectRuns(
    kernels,
    project,
    a.predictions,
    b.predictions,
    { ...o, iou: o.iouThreshold },
    preparedA,
  );
  for (const note of r.notes) console.error(`predlens report: note: ${note}`);
  const c = r.comparison;
  return compareReportPart({
    nameA: o.nameA,
    nameB: o.nameB,
    frameWord,
    active: r.active,
    coco: c,
    changes: { iou: c.iou, fixed: c.labels.fixed, broken: c.labels.broken, images: c.images, coverage: c.coverage },
  });
}
