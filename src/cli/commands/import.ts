// predlens import <project-dir> <file-or-dir>: reads predictions in any supported format, validates them against
// the project and prints them in predlens' native format (--json) or a summary; --out saves the native file.
import { flagString, parseArgs, printJson, UsageError } from '../args.ts';
import type { Command } from '../command.ts';
import { readFolderArg, SPLIT_FLAG } from '../project-dir.ts';
import { loadKernels } from '../../kernels/node.ts';
import { formatProblem } from '../../core/formats/index.ts';
import { toNativeRecord } from '../../core/formats/native.ts';
import type { FormatId, ImportResult, Project } from '../../core/model.ts';
import { writeNative } from '../native-file.ts';
import { FORMATS_HELP, formatFromArgs, IMPORT_FLAGS, IMPORT_USAGE, importFromArgs } from '../prediction-input.ts';

const REJECTED_SHOWN = 50;

export const command: Command = {
  name: 'import',
  usage: `predlens import <project-dir> <file-or-dir> ${IMPORT_USAGE} [--split NAME] [--out FILE.json|FILE.ndjson] [--json]`,
  summary:
    'Read model predictions (any format below), validate them against the project (an Encord Active project or a ' +
    'COCO, YOLO or VOC dataset folder) and print them as predlens native records (--json) or a summary. Without ' +
    '--format the format is detected. Exit 0 when the import ran, even with rejected records. Rejected records ' +
    'name their file and place: "line N" counts lines from 1 (text files), "record N (0-based)" counts list ' +
    'entries from 0 (JSON lists, pickles).\n\n' +
    FORMATS_HELP,
  async run(argv) {
    const args = parseArgs(argv, {
      boolean: ['json', ...IMPORT_FLAGS.boolean],
      value: [...IMPORT_FLAGS.value, 'out', SPLIT_FLAG],
    });
    const [projectDir, input, ...extra] = args.positionals;
    if (!projectDir || !input || extra.length > 0)
      throw new UsageError('give a project folder and a prediction file or folder');
    const format = formatFromArgs(args);
    const { tree: projectTree, project } = await readFolderArg(projectDir, args);
    const kernels = await loadKernels();
    const result = await importFromArgs(kernels, project, projectTree, input, args);
    // The detection note is the report's first warning; with --json say it on stderr too, stdout being JSON only.
    if (format === undefined && args.flags.has('json')) console.error(`predlens import: ${result.report.warnings[0]}`);

    const out = flagString(args, 'out');
    if (out !== undefined) {
      await writeNative(out, result.predictions);
      console.error(`predlens import: wrote ${result.predictions.length} predictions to ${out}`);
    }
    if (args.flags.has('json')) {
      printJson({
        format: result.format,
        predictions: result.predictions.map(toNativeRecord),
        report: {
          imported: result.report.imported,
          rejected: result.report.rejected,
          warnings: result.report.warnings,
        },
      });
    } else {
      console.log(formatImportSummary(result, project, input));
    }
    return 0;
  },
};

export function formatImportSummary(
  result: ImportResult & { format: FormatId },
  project: Project,
  input: string,
): string {
  const { predictions, report } = result;
  const lines = [`Imported ${predictions.length} prediction(s) from ${input} (format ${result.format})`];
  const names = new Map<string, string>();
  for (const o of project.ontology.objects) names.set(o.featureNodeHash, `${o.name} (${o.shape})`);
  for (const c of project.ontology.classifications) {
    names.set(c.featureNodeHash, `${c.attributes[0]?.name ?? c.featureNodeHash} (classification)`);
  }
  const perClass = countBy(predictions.map((p) => names.get(p.featureHash) ?? p.featureHash));
  const perKind = countBy(predictions.map((p) => p.shape.kind));
  if (predictions.length > 0) {
    lines.push(`  per class: ${perClass.map(([k, n]) => `${k} ${n}`).join(', ')}`);
    lines.push(`  per kind: ${perKind.map(([k, n]) => `${k} ${n}`).join(', ')}`);
    lines.push(`  data units: ${new Set(predictions.map((p) => p.dataHash)).size} of ${project.dataUnits.length}`);
  }
  lines.push(`Rejected ${report.rejected.length}`);
  if (report.rejected.length > 0) {
    lines.push(
      `  by reason: ${countBy(report.rejected.map((p) => p.code ?? 'other'))
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')}`,
    );
    for (const p of report.rejected.slice(0, REJECTED_SHOWN)) lines.push(`  ${formatProblem(p)}`);
    if (report.rejected.length > REJECTED_SHOWN)
      lines.push(`  ... and ${report.rejected.length - REJECTED_SHOWN} more (--json lists all)`);
  }
  if (report.warnings.length > 0) {
    lines.push('Notes:');
    for (const w of report.warnings) lines.push(`  ${w}`);
  }
  return lines.join('\n');
}

function countBy(keys: string[]): [string, number][] {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
