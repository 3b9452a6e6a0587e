// Table cells of the report: three decimals shown, the full double in data-value (what a script reads back).
import { esc } from './svg.ts';

export const fixed = (v: number, digits = 3) => (Number.isFinite(v) ? v.toFixed(digits) : '—');
/** A difference, with its sign. */
export const signed = (v: number, digits = 3) => (Number.isFinite(v) ? `${v > 0 ? '+' : ''}${v.toFixed(digits)}` : '—');
export const count = (v: number) => v.toLocaleString('en-US');
const full = (v: number) => (Number.isFinite(v) ? String(v) : '');

/** A number cell: three decimals shown, the full value in data-value. */
export const numCell = (v: number, digits = 3, col?: string) =>
  `<td class="num"${col ? ` data-col="${esc(col)}"` : ''} data-value="${full(v)}">${fixed(v, digits)}</td>`;
export const intCell = (v: number) => `<td class="num">${count(v)}</td>`;
/** B − A, coloured by its sign. */
export const deltaCell = (v: number) =>
  `<td class="num${v > 0 ? ' up' : v < 0 ? ' down' : ''}" data-col="delta" data-value="${full(v)}">${signed(v)}</td>`;
/** A 95% interval: both ends shown, in data-lo and data-hi in full. */
export const ciCell = (ci: readonly [number, number]) =>
  `<td class="num" data-col="ci" data-lo="${full(ci[0])}" data-hi="${full(ci[1])}">` +
  (Number.isFinite(ci[0]) ? `${signed(ci[0])} … ${signed(ci[1])}` : '—') +
  '</td>';
