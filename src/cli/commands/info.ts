// predlens info <project-dir>: what a project holds (the numbers the overview page shows) and what was skipped.
import { parseArgs, printJson, UsageError } from '../args.ts';
import type { Command } from '../command.ts';
import { readFolderArg, SPLIT_FLAG } from '../project-dir.ts';
import { summariseProject, type ProjectSummary } from '../../core/project/summary.ts';
import type { Problem } from '../../core/model.ts';

const PROBLEMS_SHOWN = 20;

export const command: Command = {
  name: 'info',
  usage: 'predlens info <project-dir> [--split NAME] [--json]',
  summary:
    'Read an Encord Active project or a COCO, YOLO or Pascal VOC dataset folder and print its counts: kind, label ' +
    'rows, data units, frames, labels per class and shape, skipped items. --split reads one split of a dataset ' +
    '(without it every split is read). --json prints the summary object.',
  async run(argv) {
    const args = parseArgs(argv, { boolean: ['json'], value: [SPLIT_FLAG] });
    const [dir, ...extra] = args.positionals;
    if (!dir || extra.length > 0) throw new UsageError('give exactly one project or dataset folder');
    const { project } = await readFolderArg(dir, args);
    const summary = summariseProject(project);
    if (args.flags.has('json')) printJson(summary);
    else console.log(formatSummary(summary, dir, project.problems));
    return 0;
  },
};

export function formatSummary(s: ProjectSummary, folder: string, problems: Problem[]): string {
  const t = s.dataUnitsByType;
  const lines = [
    `Project          ${s.title}${s.projectHash ? ` (${s.projectHash})` : ''}`,
    `Kind             ${s.kind}${s.splits.length ? ` (splits ${s.splits.join(', ')}; ${s.split ? `read: ${s.split}` : 'all read'})` : ''}`,
    `Folder           ${folder}`,
    `Label rows       ${s.labelRows}`,
    `Data units       ${s.dataUnits} (image ${t.image}, image group ${t.img_group}, video ${t.video})`,
    `Frames           ${s.frames} (images ${s.images}, video frames ${s.videoFrames}; ${s.labelledFrames} labelled)`,
    `Objects          ${s.objects}`,
    `Classifications  ${s.classifications}${s.textAnswers ? ` (${s.textAnswers} text answers)` : ''}`,
    '',
    'Objects by class',
    ...table(
      ['class', 'shape', 'feature hash', 'count'],
      s.objectsByClass.map((c) => [c.name, c.shape, c.featureHash, String(c.count)]),
    ),
  ];
  if (s.classificationsByOption.length > 0) {
    lines.push(
      '',
      'Classification answers',
      ...table(
        ['question', 'option', 'option hash', 'count'],
        s.classificationsByOption.map((o) => [o.attributeName, o.label, o.optionHash, String(o.count)]),
      ),
    );
  }
  const shapes = Object.entries(s.objectsByShape);
  if (shapes.length > 0)
    lines.push(
      '',
      'Objects by shape',
      ...table(
        ['shape', 'count'],
        shapes.map(([k, v]) => [k, String(v)]),
      ),
    );
  const skipped = Object.entries(s.skipped);
  lines.push(
    '',
    skipped.length === 0 ? 'Skipped          nothing' : 'Skipped',
    ...(skipped.length
      ? table(
          ['kind', 'count'],
          skipped.map(([k, v]) => [k, String(v)]),
        )
      : []),
  );
  if (problems.length > 0) {
    lines.push(
      '',
      `Problems (${problems.length}${problems.length > PROBLEMS_SHOWN ? `, first ${PROBLEMS_SHOWN} shown` : ''})`,
    );
    for (const p of problems.slice(0, PROBLEMS_SHOWN)) {
      lines.push(`  ${p.file}${p.record !== undefined ? ` [${p.record}]` : ''}: ${p.reason}`);
    }
  }
  return lines.join('\n');
}

/** Left-aligned text columns, right-aligned last (count) column. */
function table(head: string[], rows: string[][]): string[] {
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  return all.map(
    (r) =>
      '  ' + r.map((cell, i) => (i === r.length - 1 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  '),
  );
}
