// predlens report <project-dir> <predictions> -o report.html: the one-file HTML report the page's "Download report"
// makes, from the same core code (core/report), with thumbnails made here from the project's images.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { flagString, parseArgs, UsageError } from '../args.ts';
import type { Command } from '../command.ts';
import { IMPORT_FLAGS, IMPORT_USAGE } from '../prediction-input.ts';
import { openProject, readRun, runTide, scoreRun, scoreSettings, SCORE_FLAGS } from '../evaluation.ts';
import { addThumbnails } from '../thumbnails.ts';
import { evaluateProjectCoco } from '../../core/eval/project-to-coco.ts';
import { activeReportPart, cocoReportPart, renderReport, type ReportData } from '../../core/report/index.ts';
import { PREDLENS_VERSION } from '../../core/version.ts';

export const command: Command = {
  name: 'report',
  usage: `predlens report <project-dir> <predictions> ${IMPORT_USAGE} [--iou 0.5] [--ignore-frames-without-predictions] [--name NAME] [--compare <predictionsB>] -o report.html`,
  summary: [
    'Write one self-contained HTML file with the whole result: project and run, the headline numbers, the COCO',
    'table, per-class table and PR curves, the confusion matrix, TIDE’s What costs AP chart, and the 24 most confident',
    'false positives and 24 largest missed labels as pictures with their overlays. It opens from disk in any browser,',
    'offline, and prints.',
    '  --name NAME   the run’s name in the report (default: the prediction file’s name)',
    '  --compare B   a second run, shown as an A/B table (needs the comparison engine)',
  ].join('\n'),
  async run(argv) {
    const args = parseArgs(
      argv.map((a) => (a === '-o' ? '--output' : a)),
      {
        boolean: [...SCORE_FLAGS.boolean, ...IMPORT_FLAGS.boolean],
        value: ['output', 'name', 'compare', ...SCORE_FLAGS.value, ...IMPORT_FLAGS.value],
      },
    );
    const [projectDir, input, ...extra] = args.positionals;
    if (!projectDir || !input || extra.length > 0)
      throw new UsageError('give a project folder and a prediction file or folder');
    const output = flagString(args, 'output');
    if (!output) throw new UsageError('give -o report.html');
    if (args.flags.has('compare'))
      throw new UsageError('--compare needs the run comparison engine, which this build of predlens does not have yet');
    const settings = scoreSettings(args);

    const opened = await openProject(projectDir);
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
