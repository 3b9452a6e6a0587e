// The metric columns live in core (the CLI's `export --table bins` joins them the same way); the pages import here.
export * from '../../../core/metrics/metric-columns.ts';
