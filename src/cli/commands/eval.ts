// predlens eval <project-dir> <predictions>: imports predictions (any supported format) and evaluates them against
// the project's labels, EA-style (Encord Active v0.1.40 model quality, default) or COCO (pycocotools COCOeval).
import { flagNumber, flagString, parseArgs, printJson, UsageError } from '../args.ts';
import type { Command } from '../command.ts';
import { readFolderArg, SPLIT_FLAG } from '../project-dir.ts';
import { loadKernels } from '../../kernels/node.ts';
import {
  FORMATS_HELP,
  formatFromArgs,
  IMPORT_FLAGS,
  IMPORT_USAGE,
  importFromArgs,
  openInput,
} from '../prediction-input.ts';
import { detectFormat } from '../../core/formats/index.ts';
import { parseJson } from '../../core/project/errors.ts';
import { prepareActive, scoreActive, type ClassSpace } from '../../core/eval/active/index.ts';
import { evaluateClassifications, type ClassificationReport } from '../../core/eval/classification.ts';
import { evaluateDatasetResults, evaluateProjectCoco } from '../../core/eval/project-to-coco.ts';
import { evalExtras, EXTRA_FLAGS, EXTRA_USAGE } from '../eval-extras.ts';
import { ObjectTag, type CocoEvalResult } from '../../core/eval/coco/index.ts';
import { outcomeCounts } from '../../core/export/match-input.ts';

const USAGE =
  `predlens eval <project-dir> <predictions-file-or-dir> ${IMPORT_USAGE} [--mode active|coco] [--iou 0.5]` +
  ' [--ignore-frames-without-predictions] [--class-space objects|classifications|both] [--iou-type bbox|segm]' +
  ' [--split NAME] [--json] [--tide] [--per-image] [--definitions]';

const SUMMARY = [
  'Evaluate model predictions against the labels of an Encord Active project or a COCO, YOLO or Pascal VOC',
  'dataset folder.',
  '',
  '  --mode active   (default) Encord Active v0.1.40 "Model Quality": each prediction matched at import to its best',
  '                  label of the same class and frame; at --iou (default 0.5) the highest-confidence candidate of',
  '                  each label is the TP; AP = 101-point interpolated AP at that single IoU, AR = final recall;',
  "                  mAP / mAR = means over the classes that have labels. Numbers are EA's to the last bit.",
  '  --mode coco     pycocotools COCOeval of the labels (ground truth) and predictions (results): mAP = stats[0]',
  "                  (AP @ IoU .50:.95, area all, 100 dets), mAR = stats[8] (AR, same); per class AP is detectron2's",
  '                  (mean of precision[:, :, k, all, 100] above -1) and AR the mean of recall[:, k, all, 100] above',
  '                  -1. --iou-type chooses bbox or segm (default: segm only when every labelled class is a polygon).',
  '  --ignore-frames-without-predictions  count only labels on frames that have a prediction (COCO: only those',
  '                  images).',
  '  --class-space   which classes the active mode scores: objects, radio classification options, or both (kept',
  '                  apart). Default: classifications when every prediction is one, else objects.',
  '  --json          {"mode", "mAP", "mAR", "tp", "fp", "fn", "perClass": {"<class>": {"AP", "AR"}}, ...} with full',
  '                  precision; NaN prints as null. tp / fp / fn are counted at --iou (coco mode: per-object',
  '                  outcomes, area all, 100 detections, when --iou is one of the ten COCO thresholds).',
  '                  Frame-classification predictions also get "classification" (accuracy,',
  '                  precision / recall / F1 per option, confusion matrix).',
  '  --split NAME    a dataset: read one split (COCO with several annotation files needs one for --mode coco).',
  "                  On a dataset, --mode coco evaluates against the dataset's own COCO ground truth (the source",
  "                  JSON for COCO; the spec's conversion for YOLO and VOC), and a COCO results file is evaluated",
  "                  exactly as pycocotools' loadRes reads it.",
  ...EXTRA_USAGE,
  '  Import options (--format, --class-map, --name-pattern, --keep-holes, --ignore-value) are those of "import".',
  '',
  FORMATS_HELP,
].join('\n');

export const command: Command = {
  name: 'eval',
  usage: USAGE,
  summary: SUMMARY,
  async run(argv) {
    const args = parseArgs(argv, {
      boolean: ['json', 'ignore-frames-without-predictions', ...IMPORT_FLAGS.boolean, ...EXTRA_FLAGS],
      value: [...IMPORT_FLAGS.value, 'mode', 'iou', 'class-space', 'iou-type', SPLIT_FLAG],
    });
    const [projectDir, input, ...extra] = args.positionals;
    if (!projectDir || !input || extra.length > 0)
      throw new UsageError('give a project folder and a prediction file or folder');
    const format = formatFromArgs(args);
    const mode = flagString(args, 'mode') ?? 'active';
    if (mode !== 'active' && mode !== 'coco') throw new UsageError(`--mode must be active or coco; got "${mode}"`);
    const iou = flagNumber(args, 'iou') ?? 0.5;
    if (iou < 0 || iou > 1) throw new UsageError(`--iou must be within 0..1; got ${iou}`);
    const classSpace = flagString(args, 'class-space');
    if (classSpace !== undefined && !['objects', 'classifications', 'both'].includes(classSpace)) {
      throw new UsageError(`--class-space must be objects, classifications or both; got "${classSpace}"`);
    }
    const iouType = flagString(args, 'iou-type');
    if (iouType !== undefined && iouType !== 'bbox' && iouType !== 'segm')
      throw new UsageError('--iou-type must be bbox or segm');
    const ignore = args.flags.has('ignore-frames-without-predictions');
    const json = args.flags.has('json');

    const { tree: projectTree, project } = await readFolderArg(projectDir, args);
    const kernels = await loadKernels();

    // TIDE, per-image rows and the AP definitions work on imported predictions: those go through the import.
    const wantsExtras = EXTRA_FLAGS.some((f) => args.flags.has(f));
    const results =
      mode === 'coco' && project.dataset && !wantsExtras ? await numericCocoResults(input, format) : undefined;
    if (results) {
      // A COCO results file against the dataset's COCO ground truth: pycocotools on the user's two files.
      const ev = evaluateDatasetResults(kernels, project, results, {
        iouType: (iouType as 'bbox' | 'segm' | undefined) ?? 'bbox',
        resultsSource: input,
        ignoreFramesWithoutPredictions: ignore,
      });
      const summary = { format: 'coco', imported: results.length, rejected: 0, warnings: [] as string[] };
      printCoco(ev, ignore, json, summary, iou);
      return 0;
    }

    const imported = await importFromArgs(kernels, project, projectTree, input, args);
    const predictions = imported.predictions;
    // Without --format the first warning says which format was detected; keep stdout for JSON only.
    if (format === undefined && json) console.error(`predlens eval: ${imported.report.warnings[0]}`);
    const importSummary = {
      format: imported.format,
      imported: imported.report.imported,
      rejected: imported.report.rejected.length,
      warnings: imported.report.warnings,
    };
    const classification = predictions.some((p) => p.shape.kind === 'classification')
      ? classificationJson(evaluateClassifications(project, predictions))
      : undefined;

    if (mode === 'coco') {
      const ev = evaluateProjectCoco(kernels, project, predictions, {
        iouType: iouType as 'bbox' | 'segm' | undefined,
        ignoreFramesWithoutPredictions: ignore,
      });
      const extras = evalExtras(args.flags, {
        kernels,
        project,
        predictions,
        mode,
        iou,
        iouType: ev.coco.iouType,
        coco: ev,
      });
      printCoco(ev, ignore, json, importSummary, iou, classification, extras);
      return 0;
    }

    const prepared = prepareActive(kernels, project, predictions, { classSpace: classSpace as ClassSpace | undefined });
    const score = scoreActive(prepared, { iouThreshold: iou, ignoreFramesWithoutPredictions: ignore });
    const evaluated = score.perClass.filter((c) => c.evaluated);
    const out = {
      mode: 'active',
      classSpace: prepared.space,
      iouThreshold: iou,
      ignoreFramesWithoutPredictions: ignore,
      mAP: score.mAP,
      mAR: score.mAR,
      ...outcomeCounts(score),
      perClass: keyedByName(evaluated.map((c) => ({ name: c.name, AP: c.AP, AR: c.AR }))),
      classes: score.perClass.map((c) => ({
        name: c.name,
        featureHash: c.featureHash,
        space: c.space,
        evaluated: c.evaluated,
        AP: c.AP,
        AR: c.AR,
        labels: c.nLabels,
        predictions: c.nPredictions,
        truePositives: c.nTruePositives,
      })),
      predictions: {
        ...importSummary,
        notEvaluated: prepared.excluded.map((e) => ({ index: e.source, code: e.code, reason: e.reason })),
      },
      skippedLabels: prepared.skippedLabels,
      notes: prepared.notes,
      ...(classification ? { classification } : {}),
    };
    const extras = evalExtras(args.flags, {
      kernels,
      project,
      predictions,
      mode,
      iou,
      iouType: iouType as 'bbox' | 'segm' | undefined,
      active: { prepared, score },
    });
    Object.assign(out, extras.json);
    if (json) printJson(out);
    else {
      console.log(
        `EA-style model quality (Encord Active v0.1.40 rules), IoU threshold ${iou}` +
          `${ignore ? ', frames without predictions ignored' : ''}, ${prepared.space}`,
      );
      console.log(`mAP ${num(score.mAP)}   mAR ${num(score.mAR)}`);
      console.log('');
      console.log(
        table(
          ['class', 'AP', 'AR', 'labels', 'predictions', 'TP'],
          evaluated.map((c) => [c.name, num(c.AP), num(c.AR), c.nLabels, c.nPredictions, c.nTruePositives]),
        ),
      );
      const skipped = score.perClass.filter((c) => !c.evaluated);
      if (skipped.length > 0)
        console.log(
          `Not in mAP/mAR (no labels): ${skipped.map((c) => `${c.name} (${c.nPredictions} predictions)`).join(', ')}`,
        );
      if (classification) printClassification(classification);
      printFooter(importSummary, prepared.excluded.length, prepared.notes);
      for (const line of extras.text) console.log(line);
    }
    return 0;
  },
};

/**
 * COCO's per-object outcome counts (area all, 100 detections) at the IoU threshold `iou` when it is one of the
 * evaluation's thresholds: detections matched (tp), unmatched (fp), ground truth missed (fn); ignored ones not counted.
 */
function cocoCounts(
  result: CocoEvalResult,
  iou: number,
): { iouThreshold?: number; tp?: number; fp?: number; fn?: number } {
  const t = result.params.iouThrs.findIndex((v) => Math.abs(v - iou) < 1e-9);
  if (t < 0) return {};
  const tags = result.tags(t);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const d of tags.detections) {
    if (d === ObjectTag.TruePositive) tp++;
    else if (d === ObjectTag.FalsePositive) fp++;
  }
  for (const g of tags.groundTruths) if (g === ObjectTag.FalseNegative) fn++;
  return { iouThreshold: iou, tp, fp, fn };
}

/**
 * The parsed results when `input` is one COCO results file keyed by numeric image ids (the dataset's own), which a
 * dataset's COCO mode evaluates as it is; undefined otherwise (file stems and other formats go through import).
 */
async function numericCocoResults(input: string, format: string | undefined): Promise<unknown[] | undefined> {
  const tree = openInput(input);
  const files = await tree.list();
  if (files.length !== 1 || (format ?? (await detectFormat(tree)).format) !== 'coco') return undefined;
  const results = parseJson(await tree.readText(files[0]), input);
  if (!Array.isArray(results)) return undefined;
  return results.every((r) => typeof (r as { image_id?: unknown })?.image_id === 'number') ? results : undefined;
}

type CocoEvaluation = ReturnType<typeof evaluateProjectCoco>;
type ImportSummary = { format: string; imported: number; rejected: number; warnings: string[] };

function printCoco(
  ev: CocoEvaluation,
  ignore: boolean,
  json: boolean,
  importSummary: ImportSummary,
  iou: number,
  classification?: ReturnType<typeof classificationJson>,
  extras?: { json: Record<string, unknown>; text: string[] },
) {
  const out = {
    mode: 'coco',
    iouType: ev.coco.iouType,
    ignoreFramesWithoutPredictions: ignore,
    mAP: ev.mAP,
    mAR: ev.mAR,
    ...cocoCounts(ev.result, iou),
    perClass: keyedByName(ev.perClass.map((c) => ({ name: c.name, AP: c.AP, AR: c.AR }))),
    stats: ev.result.stats,
    predictions: { ...importSummary, notEvaluated: ev.coco.excluded },
    skippedLabels: ev.coco.skippedLabels,
    notes: ev.coco.notes,
    ...(classification ? { classification } : {}),
    ...extras?.json,
  };
  if (json) return printJson(out);
  console.log(
    `COCO evaluation (pycocotools COCOeval, iouType ${ev.coco.iouType})${ignore ? ', frames without predictions ignored' : ''}`,
  );
  for (const line of ev.result.printout) console.log(line);
  console.log('');
  console.log(
    table(
      ['class', 'AP', 'AR'],
      ev.perClass.map((c) => [c.name, num(c.AP), num(c.AR)]),
    ),
  );
  printFooter(importSummary, ev.coco.excluded.length, out.notes);
  for (const line of extras?.text ?? []) console.log(line);
}

/** `{name: {AP, AR}}`, with a repeated name suffixed " (2)", " (3)"... so no class disappears. */
function keyedByName(rows: { name: string; AP: number; AR: number }[]): Record<string, { AP: number; AR: number }> {
  const out: Record<string, { AP: number; AR: number }> = {};
  for (const r of rows) {
    let key = r.name;
    for (let n = 2; key in out; n++) key = `${r.name} (${n})`;
    out[key] = { AP: r.AP, AR: r.AR };
  }
  return out;
}

function classificationJson(report: ClassificationReport) {
  return {
    attributes: report.attributes.map((a) => ({
      name: a.name,
      attributeHash: a.attributeHash,
      accuracy: a.accuracy,
      macroF1: a.macroF1,
      options: a.options.map((o) => o.name),
      confusionMatrix: a.options.map((_, i) => [
        ...a.matrix.subarray(i * a.options.length, (i + 1) * a.options.length),
      ]),
      perOption: Object.fromEntries(
        a.perOption.map((o) => [
          o.name,
          { precision: o.precision, recall: o.recall, f1: o.f1, support: o.support, predicted: o.predicted },
        ]),
      ),
      frames: a.frames,
    })),
    notEvaluated: report.excluded,
  };
}

function printClassification(c: ReturnType<typeof classificationJson>) {
  for (const a of c.attributes) {
    console.log('');
    console.log(
      `Classification "${a.name}": accuracy ${num(a.accuracy)}, macro F1 ${num(a.macroF1)} over ${a.frames.matched} frame(s)` +
        ` (${a.frames.labelOnly} labelled without prediction, ${a.frames.predictionOnly} predicted without label)`,
    );
    console.log(
      table(
        ['truth \\ predicted', ...a.options],
        a.options.map((o, i) => [o, ...a.confusionMatrix[i]]),
      ),
    );
  }
}

function printFooter(
  summary: { format: string; imported: number; rejected: number },
  notEvaluated: number,
  notes: string[],
) {
  console.log('');
  console.log(
    `Predictions: ${summary.imported} imported (${summary.format}), ${summary.rejected} rejected by the import, ${notEvaluated} not evaluated` +
      (summary.rejected + notEvaluated > 0 ? ' (--json lists them)' : ''),
  );
  for (const n of notes) console.log(`Note: ${n}`);
}

const num = (v: number) => (Number.isNaN(v) ? '-' : v.toFixed(3));

function table(header: string[], rows: (string | number)[][]): string {
  const text = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, c) => Math.max(...text.map((r) => r[c].length)));
  return text
    .map((r, i) => {
      const line = r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
      return i === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
    })
    .join('\n');
}
