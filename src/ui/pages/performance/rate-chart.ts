// Labels for the Performance-by-metric charts; the numbers behind them (rateSeries) are core's, shared with the
// CLI's `export --table bins`.
export { rateSeries, type ClassRates, type RateBin, type RateSeries } from '../../../core/metrics/rate-series.ts';

/** A bin's x label: its midpoint with as few digits as tell the bins apart (at most 4 significant). */
export function formatMid(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const abs = Math.abs(x);
  if (abs >= 1000) return Math.round(x).toLocaleString('en-US');
  return Number(x.toPrecision(abs >= 1 ? 4 : 3)).toString();
}

/** A metric value for cards and tooltips: 3 decimals, as Encord Active shows it (large numbers whole). */
export function formatValue(x: number): string {
  if (!Number.isFinite(x)) return '—';
  if (Math.abs(x) >= 10000) return Math.round(x).toLocaleString('en-US');
  return x.toFixed(3);
}
