// The tables the pages show, built for their Download buttons from what the pages hold (the eval worker's summary
// and score, the COCO summary, the Performance series) with core's table specs, so a download has the columns and
// numbers of `predlens export --table` for the same settings.
import type { DataUnit, Project } from '../../core/model.ts';
import {
  activeClassRows,
  binRows,
  BINS,
  buildTable,
  COCO_STATS,
  IMAGES,
  imageRows,
  MATCHES,
  matchRows,
  PER_CLASS_ACTIVE,
  PER_CLASS_COCO,
  type BinRow,
  type MatchInput,
  type MatchSelection,
  type Table,
  tideErrorTypes,
} from '../../core/export/index.ts';
import type { TideView } from '../state/tide-view.ts';
import type { RateSeries } from '../../core/metrics/rate-series.ts';
import type { CocoSummary } from '../../workers/eval-coco.ts';
import type { PreparedSummary, ScoreResult } from '../../workers/eval-session.ts';

/** The page's evaluation as core's MatchInput (the worker's arrays carry the same names). */
export function pageMatchInput(project: Project, summary: PreparedSummary, score: ScoreResult): MatchInput {
  return { ...summary, ...score, project };
}

export const perClassTable = (score: ScoreResult): Table =>
  buildTable(PER_CLASS_ACTIVE, activeClassRows(score.perClass));

export const cocoStatsTable = (coco: CocoSummary): Table => buildTable(COCO_STATS, coco.rows);

export const cocoPerClassTable = (coco: CocoSummary): Table => buildTable(PER_CLASS_COCO, coco.perClass);

export function matchesTable(
  project: Project,
  summary: PreparedSummary,
  score: ScoreResult,
  selection?: MatchSelection,
  tide?: TideView,
): Table {
  const input = pageMatchInput(project, summary, score);
  return buildTable(MATCHES, matchRows(input, selection, tide && tideErrorTypes(tide.summary, input)));
}

/** Every image (or those whose unit `keep` keeps), with the run's counts when a summary and score are given. */
export function imagesTable(
  project: Project,
  summary?: PreparedSummary,
  score?: ScoreResult,
  keep: (unit: DataUnit) => boolean = () => true,
): Table {
  const rows = imageRows(project, summary && score ? pageMatchInput(project, summary, score) : undefined);
  return buildTable(
    IMAGES,
    rows.filter((r) => keep(project.dataUnits[r.unitIndex])),
  );
}

export function binsTable(
  charts: { chart: BinRow['chart']; metric: string; series: RateSeries | undefined }[],
  className: (cls: number) => string,
): Table {
  const rows = charts.flatMap((c) => (c.series ? binRows(c.chart, c.metric, c.series, className) : []));
  return buildTable(BINS, rows);
}
