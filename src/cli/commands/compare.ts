// predlens compare: two runs against one ground truth — pycocotools' numbers for each, their differences with
// paired-bootstrap 95% intervals and P(B > A), per class, and the labels and images one run fixed or broke.
//   predlens compare <gt.json> <resultsA.json> <resultsB.json> --iou-type bbox|segm [--iou 0.5] ... --json
//   predlens compare <project-or-dataset-dir> <predictionsA> <predictionsB> [--format F] ... --json
// The JSON shape is a public contract (README "Compare two runs"); the same seed prints the same bytes.
import { readFileSync, statSync } from 'node:fs';
import { flagNumber, flagString, parseArgs, UsageError, type ParsedArgs } from '../args.ts';
import type { Command } from '../command.ts';
import { readFolderArg, SPLIT_FLAG } from '../project-dir.ts';
import { IMPORT_FLAGS, IMPORT_USAGE, importFromArgs } from '../prediction-input.ts';
import { resultsAreMasks, type IouType } from '../../core/eval/coco/index.ts';
import { COCO_STAT_NAMES, compareCoco, type CocoComparison } from '../../core/eval/compare/coco.ts';
import { compareProjectActive, compareProjectCoco } from '../../core/eval/compare/project.ts';
import type { ActiveCoverage, ActiveDifferences } from '../../core/eval/compare/active.ts';
import { DEFAULT_RESAMPLES, DEFAULT_SEED } from '../../core/eval/compare/bootstrap.ts';
import type { ActivePrepared } from '../../core/eval/active/index.ts';
import type { Prediction, Project } from '../../core/model.ts';
import type { Kernels } from '../../kernels/wasm.ts';

const USAGE =
  'predlens compare <gt.json> <resultsA.json> <resultsB.json> --iou-type bbox|segm [--iou 0.5] [--resamples 1000]' +
  ' [--seed 1] [--all-images] [--json]\n' +
  `       predlens compare <project-or-dataset-dir> <predictionsA> <predictionsB> ${IMPORT_USAGE} [--split NAME] [--iou-type bbox|segm]` +
  ' [--iou 0.5] [--ignore-frames-without-predictions] [--resamples 1000] [--seed 1] [--all-images] [--json]';

const SUMMARY = [
  'Compare two prediction runs on the same ground truth: which is better, where, and how sure that is.',
  '',
  "  Each run is evaluated alone exactly as pycocotools' COCOeval does (a.stats, b.stats). The differences B - A",
  '  are taken on the images both runs cover (an image with predictions of only one run is left out, and the output',
  '  says how many; --all-images keeps them, the other run then predicting nothing there).',
  '  Paired bootstrap: the compared images are resampled with replacement (N draws from N, xoshiro128** seeded by',
  "  SplitMix32 from --seed); each resample re-accumulates both runs' matches on the same images (an image drawn",
  "  twice counts twice); the 95% interval is the 2.5th and 97.5th percentile of the differences (numpy's 'linear')",
  '  and P(B > A) the share of resamples with a difference > 0.',
  '  Labels fixed / broken: ground truth B matches and A misses / the reverse, under COCO greedy matching at --iou',
  '  (area all, 100 detections per image and category); crowd labels never count. Per image: fixed, broken, and the',
  '  false positives of A and of B; images without any change are left out.',
  '',
  '  --iou-type       bbox or segm (COCO files: required; a project: by its classes, as "eval --mode coco")',
  "  --iou            IoU threshold of the label and image changes, and of Encord Active's numbers (default 0.5)",
  "  --ignore-frames-without-predictions   Encord Active's toggle, for its numbers (a project folder)",
  `  --resamples      bootstrap resamples (default ${DEFAULT_RESAMPLES})`,
  `  --seed           bootstrap seed, an integer 0..4294967295 (default ${DEFAULT_SEED})`,
  '  --all-images     compare on every image, even those only one run has predictions on',
  '  --split NAME     a dataset folder: read one split (COCO with several annotation files needs one)',
  '  --json           {"a": {"stats"}, "b": {"stats"}, "delta", "ci", "pBetter" (AP, AP50, AP75, AR100),',
  '                   "perClass": {"<category id>": {"a", "b", "delta", ...}}, "labels": {"fixed", "broken"},',
  '                   "images": [{"imageId", "fixed", "broken", "fpA", "fpB", "net"}], "all" (the 12 stats), ...}',
  '  With a project or dataset folder, label ids are annotation ids (datasets) or objectHashes (Encord Active),',
  '  the import options (--format, --class-map, ...) are those of "import", applied to both prediction inputs, and',
  '  "active" adds Encord Active\'s mAP, mAR and per-class AP / AR of both runs at --iou on the frames both cover',
  "  (the Compare page's top table), with the same bootstrap over frames.",
].join('\n');

/** The four stats of the contract's delta / ci / pBetter. */
const HEADLINE = ['AP', 'AP50', 'AP75', 'AR100'] as const;

function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? err})`, { cause: err });
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${path}: not valid JSON (${err instanceof Error ? err.message : err})`, { cause: err });
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function intFlag(args: ParsedArgs, name: string, fallback: number, min: number, max: number): number {
  const v = flagNumber(args, name);
  if (v === undefined) return fallback;
  if (!Number.isInteger(v) || v < min || v > max) throw new UsageError(`--${name} must be an integer ${min}..${max}`);
  return v;
}

export const command: Command = {
  name: 'compare',
  usage: USAGE,
  summary: SUMMARY,
  async run(argv) {
    const args = parseArgs(argv, {
      boolean: ['json', 'all-images', 'ignore-frames-without-predictions', ...IMPORT_FLAGS.boolean],
      value: [...IMPORT_FLAGS.value, 'iou-type', 'iou', 'resamples', 'seed', SPLIT_FLAG],
    });
    const [ground, inputA, inputB, ...extra] = args.positionals;
    if (!ground || !inputA || !inputB || extra.length > 0) {
      throw new UsageError('give the ground truth (a COCO file or a project folder) and two prediction inputs');
    }
    const iouType = flagString(args, 'iou-type');
    if (iouType !== undefined && iouType !== 'bbox' && iouType !== 'segm') {
      throw new UsageError('--iou-type must be bbox or segm');
    }
    const iou = flagNumber(args, 'iou') ?? 0.5;
    if (!(iou >= 0 && iou <= 1)) throw new UsageError(`--iou must be within 0..1; got ${iou}`);
    const options = {
      iou,
      resamples: intFlag(args, 'resamples', DEFAULT_RESAMPLES, 1, 1_000_000),
      seed: intFlag(args, 'seed', DEFAULT_SEED, 0, 0xffffffff),
      allImages: args.flags.has('all-images'),
    };

    let comparison: CocoComparison;
    let active: ActiveComparison | undefined;
    let extraJson: Record<string, unknown> = {};
    if (isDirectory(ground)) {
      const { tree: projectTree, project } = await readFolderArg(ground, args);
      const { loadKernels } = await import('../../kernels/node.ts');
      const kernels = await loadKernels();
      const a = await importFromArgs(kernels, project, projectTree, inputA, args);
      const b = await importFromArgs(kernels, project, projectTree, inputB, args);
      const result = compareProjectRuns(kernels, project, a.predictions, b.predictions, {
        ...options,
        ignoreFramesWithoutPredictions: args.flags.has('ignore-frames-without-predictions'),
        iouType: iouType as IouType | undefined,
        sourceA: inputA,
        sourceB: inputB,
      });
      active = result.active;
      comparison = result.comparison;
      const summary = (r: typeof a, excluded: number) => ({
        format: r.format,
        imported: r.report.imported,
        rejected: r.report.rejected.length,
        notEvaluated: excluded,
      });
      extraJson = {
        active: activeComparisonJson(result.active),
        predictions: { a: summary(a, result.excluded.a), b: summary(b, result.excluded.b) },
        notes: result.notes,
      };
    } else {
      if (iouType === undefined) throw new UsageError('--iou-type bbox|segm is required with COCO files');
      const gt = readJsonFile(ground);
      const resultsA = readJsonFile(inputA);
      const resultsB = readJsonFile(inputB);
      let kernels: Kernels | undefined;
      if (iouType === 'segm' || resultsAreMasks(resultsA) || resultsAreMasks(resultsB)) {
        const { loadKernels } = await import('../../kernels/node.ts');
        kernels = await loadKernels();
      }
      comparison = compareCoco(kernels, gt, resultsA, resultsB, {
        ...options,
        iouType,
        gtSource: ground,
        sourceA: inputA,
        sourceB: inputB,
      });
    }

    for (const w of comparison.evaluations.a.warnings) console.error(`predlens compare: note (A): ${w}`);
    for (const w of comparison.evaluations.b.warnings) console.error(`predlens compare: note (B): ${w}`);
    if (args.flags.has('json'))
      process.stdout.write(JSON.stringify({ ...comparisonJson(comparison), ...extraJson }) + '\n');
    else {
      if (active) printActive(active);
      printComparison(comparison);
    }
    return 0;
  },
};

export interface CompareRunsOptions {
  iou: number;
  ignoreFramesWithoutPredictions: boolean;
  resamples: number;
  seed: number;
  allImages: boolean;
  iouType?: IouType;
  sourceA?: string;
  sourceB?: string;
}

/** Encord Active's side of a comparison: the setting, what was compared, and the differences. */
export interface ActiveComparison {
  iouThreshold: number;
  ignoreFramesWithoutPredictions: boolean;
  coverage: ActiveCoverage;
  differences: ActiveDifferences;
}

/**
 * Two runs of one project, both ways: COCO's (compareProjectCoco, what "compare" printed first) and Encord Active's
 * at --iou (the Compare page's EA side), with one bootstrap setting. `predlens report --compare` calls this too, so
 * its A/B section holds these very numbers.
 */
export function compareProjectRuns(
  kernels: Kernels,
  project: Project,
  a: readonly Prediction[],
  b: readonly Prediction[],
  options: CompareRunsOptions,
  preparedA?: ActivePrepared,
) {
  const { comparison, excluded, notes } = compareProjectCoco(kernels, project, a, b, {
    iou: options.iou,
    resamples: options.resamples,
    seed: options.seed,
    allImages: options.allImages,
    iouType: options.iouType,
    sourceA: options.sourceA,
    sourceB: options.sourceB,
  });
  const { scores, differences } = compareProjectActive(
    kernels,
    project,
    a,
    b,
    {
      iouThreshold: options.iou,
      ignoreFramesWithoutPredictions: options.ignoreFramesWithoutPredictions,
      allFrames: options.allImages,
      resamples: options.resamples,
      seed: options.seed,
    },
    preparedA,
  );
  const active: ActiveComparison = {
    iouThreshold: options.iou,
    ignoreFramesWithoutPredictions: options.ignoreFramesWithoutPredictions,
    coverage: scores.coverage,
    differences,
  };
  return { comparison, active, excluded, notes };
}

/** compare --json's "active": EA's numbers of both runs on the compared frames, per class by name. */
export function activeComparisonJson(c: ActiveComparison) {
  const { differences: d } = c;
  const perClass: Record<string, unknown> = {};
  for (const k of d.perClass) {
    let key = k.name;
    for (let n = 2; key in perClass; n++) key = `${k.name} (${n})`;
    perClass[key] = {
      featureHash: k.featureHash,
      AP: k.AP,
      AR: k.AR,
      predictionsA: k.predictionsA,
      predictionsB: k.predictionsB,
      ...(k.onlyIn ? { onlyIn: k.onlyIn } : {}),
    };
  }
  return {
    iouThreshold: c.iouThreshold,
    ignoreFramesWithoutPredictions: c.ignoreFramesWithoutPredictions,
    mAP: d.mAP,
    mAR: d.mAR,
    perClass,
    compared: c.coverage,
    bootstrap: d.bootstrap,
  };
}

function printActive(c: ActiveComparison) {
  const { coverage, differences: d } = c;
  console.log(
    `Encord Active at IoU ${c.iouThreshold}${c.ignoreFramesWithoutPredictions ? ', frames without predictions ignored' : ''}: ` +
      `compared on ${coverage.compared} of ${coverage.total} frames` +
      (coverage.onlyA || coverage.onlyB
        ? ` (${coverage.allFrames ? 'kept' : 'left out'}: ${coverage.onlyA} with predictions of A only, ${coverage.onlyB} of B only)`
        : '') +
      `; ${d.bootstrap.resamples} bootstrap resamples of the frames, seed ${d.bootstrap.seed}.`,
  );
  console.log('');
  const row = (name: string, x: ActiveDifferences['mAP']) => [
    name,
    num(x.a),
    num(x.b),
    signed(x.delta),
    `${signed(x.ci[0])} .. ${signed(x.ci[1])}`,
    num(x.pBetter),
  ];
  console.log(
    table(['stat (EA)', 'A', 'B', 'B - A', '95% interval', 'P(B > A)'], [row('mAP', d.mAP), row('mAR', d.mAR)]),
  );
  console.log('');
}

/** The contract's JSON (NaN, which JSON has not, prints as null). */
export function comparisonJson(c: CocoComparison) {
  const at = (name: (typeof HEADLINE)[number]) => c.stats[COCO_STAT_NAMES.indexOf(name)];
  const pick = <T>(f: (d: CocoComparison['stats'][number]) => T) =>
    Object.fromEntries(HEADLINE.map((name) => [name, f(at(name))]));
  return {
    a: { stats: c.alone.a },
    b: { stats: c.alone.b },
    delta: pick((d) => d.delta),
    ci: pick((d) => d.ci),
    pBetter: pick((d) => d.pBetter),
    perClass: Object.fromEntries(
      c.perClass.map((k) => [
        String(k.categoryId),
        {
          name: k.name,
          a: k.a,
          b: k.b,
          delta: k.delta,
          ci: k.ci,
          pBetter: k.pBetter,
          detectionsA: k.detectionsA,
          detectionsB: k.detectionsB,
          ...(k.onlyIn ? { onlyIn: k.onlyIn } : {}),
        },
      ]),
    ),
    iou: c.iou,
    labels: { fixed: c.labels.fixed, broken: c.labels.broken },
    images: c.images,
    all: {
      names: COCO_STAT_NAMES,
      a: c.stats.map((d) => d.a),
      b: c.stats.map((d) => d.b),
      delta: c.stats.map((d) => d.delta),
      ci: c.stats.map((d) => d.ci),
      pBetter: c.stats.map((d) => d.pBetter),
    },
    compared: c.coverage,
    bootstrap: c.bootstrap,
  };
}

const num = (v: number) => (Number.isNaN(v) ? '-' : v.toFixed(3));
const signed = (v: number) => (Number.isNaN(v) ? '-' : `${v >= 0 ? '+' : ''}${v.toFixed(3)}`);

function printComparison(c: CocoComparison) {
  const { coverage, bootstrap } = c;
  console.log(
    `Compared on ${coverage.compared} of ${coverage.total} images` +
      (coverage.onlyA || coverage.onlyB
        ? ` (${coverage.allImages ? 'kept' : 'left out'}: ${coverage.onlyA} with predictions of A only, ${coverage.onlyB} of B only)`
        : '') +
      `; ${bootstrap.resamples} bootstrap resamples of the images, seed ${bootstrap.seed}.`,
  );
  console.log('');
  console.log(
    table(
      ['stat', 'A', 'B', 'B - A', '95% interval', 'P(B > A)'],
      c.stats.map((d, i) => [
        COCO_STAT_NAMES[i],
        num(d.a),
        num(d.b),
        signed(d.delta),
        `${signed(d.ci[0])} .. ${signed(d.ci[1])}`,
        num(d.pBetter),
      ]),
    ),
  );
  console.log('');
  const classes = [...c.perClass].sort((x, y) => (y.delta || 0) - (x.delta || 0));
  console.log(
    table(
      ['class (AP)', 'A', 'B', 'B - A', '95% interval', 'P(B > A)', 'note'],
      classes.map((k) => [
        k.name,
        num(k.a),
        num(k.b),
        signed(k.delta),
        `${signed(k.ci[0])} .. ${signed(k.ci[1])}`,
        num(k.pBetter),
        k.onlyIn ? `only ${k.onlyIn.toUpperCase()} predicts it` : '',
      ]),
    ),
  );
  console.log('');
  console.log(
    `At IoU ${c.iou}: ${c.labels.fixed.length} labels fixed by B (matched by B, missed by A), ` +
      `${c.labels.broken.length} broken (matched by A, missed by B); ${c.images.length} images changed.`,
  );
  if (c.images.length > 0) {
    const shown = [...c.images.slice(0, 5), ...c.images.slice(Math.max(5, c.images.length - 5))];
    console.log(
      table(
        ['image', 'fixed', 'broken', 'FP A', 'FP B', 'net'],
        shown.map((i) => [String(i.imageId), i.fixed, i.broken, i.fpA, i.fpB, signed(i.net).replace('.000', '')]),
      ),
    );
  }
}

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
