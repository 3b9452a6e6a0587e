// "Download report" in the page: the same file `predlens report` writes. The evaluation worker computes the report's
// part (core/report, as the CLI does), this tab adds COCO's table from the page's COCO summary and the thumbnails
// (the card's crop drawn on a canvas from the project's own image files), then core's renderReport writes the HTML.
// The Compare page's report is the same file for run A, plus the A/B section from the compare workers' answers
// (what `predlens report A --compare B` writes).
import type { FileTree } from '../../core/file-tree.ts';
import type { Project } from '../../core/model.ts';
import {
  compareReportPart,
  renderReport,
  reportFileName,
  type CompareReportInput,
  type ReportCompare,
  type ReportData,
  type ReportItem,
  type ReportTide,
} from '../../core/report/index.ts';
import { PREDLENS_VERSION } from '../../core/version.ts';
import type { EvalClient } from '../../workers/eval-client.ts';
import type { CocoSummary } from '../../workers/eval-coco.ts';
import type { ScoreRequest } from '../../workers/eval-session.ts';
import { ImageLoader } from '../images/image-loader.ts';
import { saveFile } from './download.ts';

export const JPEG_QUALITY = 0.8;

async function addThumbnails(tree: FileTree, items: ReportItem[]): Promise<void> {
  const loader = new ImageLoader(tree, { concurrency: 4 });
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  for (const item of items) {
    if (!item.file) continue;
    let bitmap: ImageBitmap;
    try {
      bitmap = await loader.load(item.file, 0);
    } catch {
      continue; // the card says "No image"
    }
    // Crops are in the data unit's pixels; a decoded image of another size is scaled to them.
    const fx = bitmap.width / item.width;
    const fy = bitmap.height / item.height;
    canvas.width = item.thumbWidth;
    canvas.height = item.thumbHeight;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(
      bitmap,
      item.crop.x * fx,
      item.crop.y * fy,
      item.crop.w * fx,
      item.crop.h * fy,
      0,
      0,
      item.thumbWidth,
      item.thumbHeight,
    );
    item.thumbnail = canvas.toDataURL('image/jpeg', JPEG_QUALITY);
  }
}

export interface PageReportInput {
  project: Project;
  runName: string;
  client: EvalClient;
  request: ScoreRequest;
  coco: CocoSummary | undefined;
  /** TIDE's analysis of the run, when the page has it (its What costs AP chart goes in). */
  tide?: Pick<ReportTide, 'main' | 'special'>;
  tree: FileTree | undefined;
  /** A second run compared with this one: the A/B section. */
  compare?: ReportCompare;
}

export async function buildPageReport(input: PageReportInput): Promise<string> {
  const part = await input.client.reportPart(input.request);
  const data: ReportData = {
    ...part,
    projectTitle: input.project.meta.project_title,
    runName: input.runName,
    generatedAt: new Date().toISOString(),
    version: PREDLENS_VERSION,
    coco: input.coco
      ? { iouType: input.coco.iouType, stats: input.coco.rows, perClass: input.coco.perClass }
      : undefined,
    tide: input.tide ? { main: input.tide.main, special: input.tide.special } : undefined,
    compare: input.compare,
  };
  if (input.tree) await addThumbnails(input.tree, [...data.falsePositives, ...data.missed]);
  return renderReport(data);
}

export async function downloadPageReport(input: PageReportInput): Promise<void> {
  const html = await buildPageReport(input);
  saveFile(reportFileName(input.project.meta.project_title, input.runName), html, 'text/html;charset=utf-8');
}

export interface CompareReportRequest {
  project: Project;
  projectKey: string;
  tree: FileTree | undefined;
  runA: { id: string; name: string };
  runB: { id: string; name: string };
  /** The Compare page's IoU slider and "ignore frames without predictions": run A's part is scored there too. */
  request: ScoreRequest;
  /** The compare workers' answers shown on the page (EA side, COCO side, label changes). */
  answers: Omit<CompareReportInput, 'nameA' | 'nameB' | 'frameWord'>;
}

/**
 * The Compare page's "Download report": run A's report as Model quality makes it (prepared in the shared evaluation
 * client, its COCO table and TIDE chart from that client's COCO worker), with the A/B section of the page's answers.
 */
export async function downloadCompareReport(input: CompareReportRequest, client: EvalClient): Promise<void> {
  const { project, runA, runB, request } = input;
  const summary = await client.prepare(project, { kind: 'run', projectKey: input.projectKey, runId: runA.id });
  const coco = summary.hasObjects ? await client.coco(request.ignoreFramesWithoutPredictions) : undefined;
  // TIDE that cannot run on this run leaves its chart out, as Model quality's report does.
  const tide = summary.hasObjects ? await client.tide().catch(() => undefined) : undefined;
  const compare = compareReportPart({
    nameA: runA.name,
    nameB: runB.name,
    frameWord: project.dataUnits.some((u) => u.dataType === 'video') ? 'frame' : 'image',
    ...input.answers,
  });
  const html = await buildPageReport({
    project,
    runName: runA.name,
    client,
    request,
    coco,
    tide,
    tree: input.tree,
    compare,
  });
  saveFile(reportFileName(project.meta.project_title, `${runA.name} vs ${runB.name}`), html, 'text/html;charset=utf-8');
}
