// The one-file HTML report: what it holds (data.ts), how its parts are computed from an evaluation (the same calls
// in the page's evaluation worker and in `predlens report`), and the file itself (html.ts).
//
//   const part = activeReportPart({ kernels, project, predictions, prepared, score });
//   const data = { ...part, projectTitle, runName, generatedAt, version, coco: cocoReportPart(ev) };
//   for (const item of [...data.falsePositives, ...data.missed]) item.thumbnail = await host(item);  // data: URI
//   const html = renderReport(data);
import type { ProjectCocoEvaluation } from '../eval/project-to-coco.ts';
import { cocoClassRows, cocoStatRows } from '../export/scores.ts';
import { exportStem } from '../export/index.ts';
import { activeSummaryPart, type ActiveReportPart, type ReportCoco } from './data.ts';
import { worstItems, type ItemInput } from './items.ts';

export * from './data.ts';
export * from './compare.ts';
export { renderReport } from './html.ts';
export { cropAndScale } from './thumbnail.ts';
export { THUMBNAIL_SIZE, WORST_ITEMS, worstItems, type ItemInput } from './items.ts';

export function activeReportPart(input: ItemInput): ActiveReportPart {
  return { ...activeSummaryPart(input.prepared, input.score), ...worstItems(input) };
}

export function cocoReportPart(ev: ProjectCocoEvaluation): ReportCoco {
  return { iouType: ev.coco.iouType, stats: cocoStatRows(ev.result), perClass: cocoClassRows(ev) };
}

/** report-<project>-<run>.html */
export function reportFileName(projectTitle: string, runName: string): string {
  return `${exportStem(['report', projectTitle, runName])}.html`;
}
