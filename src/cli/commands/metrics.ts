// predlens metrics <project-dir> [<predictions>]: the quality metrics of every frame, label and (optionally)
// prediction, computed with the same code the browser's metrics worker runs. --json prints
// {"images": [{dataHash, frame, metrics, predictionMetrics?}],
//  "objects": [{dataHash, frame, source, objectHash | index, featureHash, metrics}],
//  "problems": [{file, code, reason}]}
// Frame metrics (object_count, frame_object_density) sit on the image rows: `metrics` has the labels', and
// `predictionMetrics` (with predictions) the predictions'. An image that cannot be read is a problem; its row keeps
// the size and frame metrics and every other image is still computed.
import { parseArgs, printJson, UsageError } from '../args.ts';
import type { Command } from '../command.ts';
import { readFolderArg, SPLIT_FLAG } from '../project-dir.ts';
import { loadKernels } from '../../kernels/node.ts';
import { formatProblem } from '../../core/formats/index.ts';
import type { Prediction } from '../../core/model.ts';
import { formatFromArgs, IMPORT_FLAGS, IMPORT_USAGE, importFromArgs } from '../prediction-input.ts';
import { decodeImageRgba } from '../../core/image-decode.ts';
import { computeMetrics, type MetricsReport } from '../../core/metrics/run.ts';
import { kernelMetricsEnvironment } from '../../core/metrics/kernel-env.ts';
import { ALL_METRICS } from '../../core/metrics/catalogue.ts';
import { predictionIouBySource } from '../../core/metrics/prediction-iou.ts';

export const command: Command = {
  name: 'metrics',
  usage: `predlens metrics <project-dir> [<predictions> ${IMPORT_USAGE}] [--split NAME] [--json]`,
  summary:
    'Compute the quality metrics (Encord Active v0.1.40 catalogue without the neural-network ones) of every image, ' +
    'every label and, when a prediction file or folder is given, every prediction, with its model confidence and ' +
    'IoU. --json prints {"images": [...], "objects": [...], "problems": [...]}; otherwise a table of each ' +
    "metric's range. Images that cannot be read are reported by name and the others still computed.",
  async run(argv) {
    const args = parseArgs(argv, {
      boolean: ['json', ...IMPORT_FLAGS.boolean],
      value: [...IMPORT_FLAGS.value, SPLIT_FLAG],
    });
    const [projectDir, input, ...extra] = args.positionals;
    if (!projectDir || extra.length > 0)
      throw new UsageError('give a project folder and, optionally, a prediction file or folder');
    formatFromArgs(args);
    const importFlags = [...IMPORT_FLAGS.value, ...IMPORT_FLAGS.boolean].filter((f) => args.flags.has(f));
    if (!input && importFlags.length > 0) {
      throw new UsageError(`--${importFlags[0]} applies to a prediction file; give one after the project folder`);
    }

    const { tree, project } = await readFolderArg(projectDir, args);
    const kernels = await loadKernels();

    let predictions: Prediction[] | undefined;
    let iou: Float64Array | undefined;
    if (input) {
      const result = await importFromArgs(kernels, project, tree, input, args);
      predictions = result.predictions;
      for (const problem of result.report.rejected)
        console.error(`predlens metrics: rejected ${formatProblem(problem)}`);
      iou = predictionIouBySource(kernels, project, predictions);
    }

    const progress = process.stderr.isTTY ? progressPrinter() : undefined;
    const env = kernelMetricsEnvironment(kernels, {
      loadImage: async (path) => decodeImageRgba(await tree.readBytes(path), path),
      onProgress: progress,
    });
    const report = await computeMetrics(env, project, predictions, { iou });
    if (progress) process.stderr.write('\r\x1b[K');
    for (const problem of report.problems) console.error(`predlens metrics: ${formatProblem(problem)}`);

    if (args.flags.has('json')) printJson(report);
    else console.log(formatMetricsTable(report));
    return 0;
  },
};

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
  const predictionFrames = report.images.flatMap((r) =>
    r.predictionMetrics ? [{ metrics: r.predictionMetrics }] : [],
  );
  const groups: [string, { metrics: Record<string, number> }[]][] = [
    ['images', report.images],
    ['labels', report.objects.filter((o) => o.source === 'label')],
    ['predictions', report.objects.filter((o) => o.source === 'prediction')],
    ['pred. frames', predictionFrames],
  ];
  const lines = [
    `${report.images.length} image(s), ${groups[1][1].length} label(s), ${groups[2][1].length} prediction(s)` +
      (report.problems.length > 0 ? `, ${report.problems.length} image(s) not read` : ''),
    '',
    `${'metric'.padEnd(40)} ${'rows of'.padEnd(12)} ${'n'.padStart(7)} ${'min'.padStart(12)} ${'mean'.padStart(12)} ${'max'.padStart(12)}`,
  ];
  const fmt = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(6)).toString() : String(x)).padStart(12);
  for (const info of ALL_METRICS) {
    for (const [source, rows] of groups) {
      const values = rows
        .map((r) => r.metrics[info.key])
        .filter((v): v is number => v !== undefined && !Number.isNaN(v));
      if (values.length === 0) continue;
      let min = Infinity,
        max = -Infinity,
        sum = 0;
      for (const v of values) {
        min = Math.min(min, v);
        max = Math.max(max, v);
        sum += v;
      }
      lines.push(
        `${info.title.padEnd(40)} ${source.padEnd(12)} ${String(values.length).padStart(7)} ${fmt(min)} ${fmt(sum / values.length)} ${fmt(max)}`,
      );
    }
  }
  return lines.join('\n');
}
