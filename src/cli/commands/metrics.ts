// predlens metrics <project-dir> [<predictions>]: the quality metrics of every image, label and (optionally)
// prediction, computed with the same code the browser's metrics worker runs. --json prints
// {"images": [{dataHash, frame, metrics}], "objects": [{dataHash, frame, source, objectHash | index, featureHash, metrics}]}.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { flagNumber, flagString, parseArgs, printJson, UsageError } from '../args.ts';
import type { Command } from '../command.ts';
import { openProjectDir } from '../project-dir.ts';
import { NodeTree } from '../../files/node-fs.ts';
import { loadKernels } from '../../kernels/node.ts';
import { readProject } from '../../core/project/read.ts';
import type { FileTree } from '../../core/file-tree.ts';
import { FileSubset } from '../../core/formats/file-subset.ts';
import { FORMAT_IDS, formatProblem, importPredictions, type ImportOptions } from '../../core/formats/index.ts';
import type { FormatId, Prediction } from '../../core/model.ts';
import { decodeImageRgba } from '../../core/image-decode.ts';
import { computeMetrics, type MetricsReport } from '../../core/metrics/run.ts';
import { kernelMetricsEnvironment } from '../../core/metrics/kernel-env.ts';
import { ALL_METRICS } from '../../core/metrics/catalogue.ts';
import { predictionIouBySource } from '../../core/metrics/prediction-iou.ts';

export const command: Command = {
  name: 'metrics',
  usage:
    'predlens metrics <project-dir> [<predictions> [--format ' +
    FORMAT_IDS.join('|') +
    '] [--class-map FILE] [--name-pattern PATTERN] [--keep-holes] [--ignore-value N]] [--json]',
  summary:
    'Compute the quality metrics (Encord Active v0.1.40 catalogue without the neural-network ones) of every image, ' +
    'every label and, when a prediction file or folder is given, every prediction, with its model confidence and ' +
    'IoU. --json prints {"images": [...], "objects": [...]}; otherwise a table of each metric\'s range.',
  async run(argv) {
    const args = parseArgs(argv, {
      boolean: ['json', 'keep-holes'],
      value: ['format', 'class-map', 'name-pattern', 'ignore-value'],
    });
    const [projectDir, input, ...extra] = args.positionals;
    if (!projectDir || extra.length > 0) throw new UsageError('give a project folder and, optionally, a prediction file or folder');
    const format = flagString(args, 'format');
    if (format !== undefined && !FORMAT_IDS.includes(format as FormatId)) {
      throw new UsageError(`--format must be one of ${FORMAT_IDS.join(', ')}; got "${format}"`);
    }
    const importFlags = ['format', 'class-map', 'name-pattern', 'keep-holes', 'ignore-value'].filter((f) => args.flags.has(f));
    if (!input && importFlags.length > 0) {
      throw new UsageError(`--${importFlags[0]} applies to a prediction file; give one after the project folder`);
    }

    const tree = openProjectDir(projectDir);
    const project = await readProject(tree);
    const kernels = await loadKernels();

    let predictions: Prediction[] | undefined;
    let iou: Float64Array | undefined;
    if (input) {
      const result = await importPredictions(kernels, project, openInput(input), format as FormatId | undefined, importOptions(args));
      predictions = result.predictions;
      for (const problem of result.report.rejected) console.error(`predlens metrics: rejected ${formatProblem(problem)}`);
      iou = predictionIouBySource(kernels, project, predictions);
    }

    const progress = process.stderr.isTTY ? progressPrinter() : undefined;
    const env = kernelMetricsEnvironment(kernels, {
      loadImage: async (path) => decodeImageRgba(await tree.readBytes(path), path),
      onProgress: progress,
    });
    const report = await computeMetrics(env, project, predictions, { iou });
    if (progress) process.stderr.write('\r\x1b[K');

    if (args.flags.has('json')) printJson(report);
    else console.log(formatMetricsTable(report));
    return 0;
  },
};

function importOptions(args: ReturnType<typeof parseArgs>): ImportOptions {
  const options: ImportOptions = {};
  const classMapFile = flagString(args, 'class-map');
  if (classMapFile !== undefined) options.classMap = readClassMap(classMapFile);
  const namePattern = flagString(args, 'name-pattern');
  if (namePattern !== undefined) options.namePattern = namePattern;
  if (args.flags.has('keep-holes')) options.keepHoles = true;
  const ignoreValue = flagNumber(args, 'ignore-value');
  if (ignoreValue !== undefined) options.ignoreValue = ignoreValue;
  return options;
}

/** A tree holding just the file, or the folder. */
function openInput(path: string): FileTree {
  if (!existsSync(path)) throw new Error(`${path}: no such file or folder`);
  if (statSync(path).isDirectory()) return new NodeTree(path);
  return new FileSubset(new NodeTree(dirname(path)), [basename(path)], basename(path));
}

function readClassMap(file: string): Record<string, string> {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`--class-map ${file}: ${(err as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'string')) {
    throw new Error(`--class-map ${file}: expected a JSON object {"<class key>": "<featureNodeHash>"}`);
  }
  return value as Record<string, string>;
}

function progressPrinter() {
  let last = 0;
  return (done: number, total: number, phase: string) => {
    const now = Date.now();
    if (done < total && now - last < 100) return;
    last = now;
    process.stderr.write(`\r\x1b[K${phase}: ${done}/${total}`);
  };
}

/** One line per metric and source: how many rows have it, its minimum, mean and maximum. */
export function formatMetricsTable(report: MetricsReport): string {
  const groups: [string, { metrics: Record<string, number> }[]][] = [
    ['images', report.images],
    ['labels', report.objects.filter((o) => o.source === 'label')],
    ['predictions', report.objects.filter((o) => o.source === 'prediction')],
  ];
  const lines = [
    `${report.images.length} image(s), ${groups[1][1].length} label(s), ${groups[2][1].length} prediction(s)`,
    '',
    `${'metric'.padEnd(40)} ${'rows of'.padEnd(12)} ${'n'.padStart(7)} ${'min'.padStart(12)} ${'mean'.padStart(12)} ${'max'.padStart(12)}`,
  ];
  const fmt = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(6)).toString() : String(x)).padStart(12);
  for (const info of ALL_METRICS) {
    for (const [source, rows] of groups) {
      const values = rows.map((r) => r.metrics[info.key]).filter((v): v is number => v !== undefined && !Number.isNaN(v));
      if (values.length === 0) continue;
      let min = Infinity, max = -Infinity, sum = 0;
      for (const v of values) {
        min = Math.min(min, v);
        max = Math.max(max, v);
        sum += v;
      }
      lines.push(`${info.title.padEnd(40)} ${source.padEnd(12)} ${String(values.length).padStart(7)} ${fmt(min)} ${fmt(sum / values.length)} ${fmt(max)}`);
    }
  }
  return lines.join('\n');
}
