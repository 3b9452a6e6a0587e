// tidecv's TIDE.summarize() printout for one run, character for character (plotting.print_table and the format
// strings of quantify.py), so the CLI prints what tidecv users read.
import { formatFixed } from '../coco/summarize.ts';
import { MAIN_ERRORS, SPECIAL_ERRORS, type TideResult } from './types.ts';

/** plotting.print_table: right-aligned columns, a dashed rule under the first row, a title centred above. */
function printTable(rows: string[][], title: string): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const divider = '--' + widths.map((w) => '-'.repeat(w)).join('---') + '-';
  const thick = divider.replaceAll('-', '=');
  const leftPad = Math.floor((divider.length - title.length) / 2);
  const lines = [title.padStart(leftPad + title.length), thick];
  rows.forEach((row, i) => {
    lines.push('  ' + row.map((cell, c) => cell.padStart(widths[c])).join('   ') + '  ');
    if (i === 0) lines.push(divider);
  });
  lines.push(thick);
  return lines;
}

const dap = (v: number) => formatFixed(v, 2).padStart(6);

/** The lines tidecv prints for a run named `name` evaluated with evaluate() (one threshold). */
export function formatTideSummary(result: TideResult, name: string): string[] {
  const title = `${result.mode} AP @ ${Math.trunc(result.posThreshold * 100)}`;
  return [
    `-- ${name} --`,
    '',
    `${title}: ${formatFixed(result.ap, 2)}`,
    '',
    ...printTable(
      [
        ['Type', ...MAIN_ERRORS],
        [' dAP', ...MAIN_ERRORS.map((t) => dap(result.main[t]))],
      ],
      'Main Errors',
    ),
    '',
    ...printTable(
      [
        ['Type', ...SPECIAL_ERRORS],
        [' dAP', ...SPECIAL_ERRORS.map((t) => dap(result.special[t]))],
      ],
      'Special Error',
    ),
    '',
  ];
}
