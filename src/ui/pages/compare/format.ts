// How the Compare page writes differences: 3 decimals with a sign, an interval as "[lo, hi]", a probability as a
// percentage; anything undefined (a class without labels, NaN) as a dash.
import type { Difference } from '../../../core/eval/compare/bootstrap.ts';

export { count, plural, score3 } from '../model-quality/format.ts';

export function signed3(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '—';
  const s = x.toFixed(3);
  return x > 0 || (x === 0 && !s.startsWith('-')) ? `+${s}` : s;
}

export function interval(d: Difference | undefined): string {
  if (!d || !Number.isFinite(d.ci[0]) || !Number.isFinite(d.ci[1])) return '—';
  return `[${signed3(d.ci[0])}, ${signed3(d.ci[1])}]`;
}

export function probability(p: number | undefined): string {
  return p === undefined || !Number.isFinite(p) ? '—' : `${(p * 100).toFixed(1)} %`;
}

/** Which way the interval points: B better (all above 0), worse (all below), or no clear difference. */
export function verdict(d: Difference | undefined): 'better' | 'worse' | 'unclear' | 'none' {
  if (!d || !Number.isFinite(d.ci[0])) return 'none';
  if (d.ci[0] > 0) return 'better';
  if (d.ci[1] < 0) return 'worse';
  return 'unclear';
}
