// What `predlens eval` adds on request (a public contract, like the rest of its JSON):
//   --tide        "tide": {"main": {Cls, Loc, Both, Dupe, Bkg, Miss}, "special": {FalsePos, FalseNeg}, "ap", "counts"}
//                 (tidecv's analysis of the project's COCO translation, AP points 0-100)
//   --per-image   "images": [{"dataHash" | "imageId", "frame", "tp", "fp", "fn", "f1"}] (+ "ap" in COCO mode)
//   --definitions "definitions": {"<id>": {"name", "definition", "AP"}}: the same matches integrated as COCO, VOC,
//                 VOC2007, Ultralytics do, and Encord Active's mAP
import type { Kernels } from '../kernels/wasm.ts';
import type { Prediction, Project } from '../core/model.ts';
import { prepareActive, scoreActive, type ActivePrepared, type ActiveScore } from '../core/eval/active/index.ts';
import { apDefinitions } from '../core/eval/definitions/index.ts';
import { activePerImage, projectCocoPerImage, worstFirst, type ImageOutcome } from '../core/eval/per-image.ts';
import { evaluateProjectCoco, type ProjectCocoEvaluation } from '../core/eval/project-to-coco.ts';
import { tideOfProject } from '../core/eval/tide/project.ts';
import { formatTideSummary } from '../core/eval/tide/print.ts';
import { tideJson } from './tide-output.ts';

export const EXTRA_FLAGS = ['tide', 'per-image', 'definitions'];

export const EXTRA_USAGE = [
  '  --tide          also TIDE error analysis (tidecv 1.0.1) of the same labels and predictions in COCO terms: "tide":',
  '                  {"main": {Cls, Loc, Both, Dupe, Bkg, Miss}, "special": {FalsePos, FalseNeg}} in AP points (0-100).',
  '  --per-image     "images": per image / video frame {"dataHash" (or "imageId" for datasets), "frame", "tp", "fp",',
  '                  "fn", "f1"} (Encord Active matching at --iou; --mode coco: COCOeval at IoU 0.50 plus the',
  '                  image\'s own "ap"); the text output lists the worst images first.',
  '  --definitions   "definitions": the AP of the same run as COCO (AP@[.5:.95], AP50), VOC (all points, 0.5),',
  '                  VOC2007 (11 points), Ultralytics (mAP50, mAP50-95) and Encord Active (at --iou) compute it.',
];

export interface ExtrasInput {
  kernels: Kernels;
  project: Project;
  predictions: readonly Prediction[];
  mode: 'active' | 'coco';
  iou: number;
  iouType?: 'bbox' | 'segm';
  /** What the command computed already (reused, not computed again). */
  active?: { prepared: ActivePrepared; score: ActiveScore };
  coco?: ProjectCocoEvaluation;
}

const num = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? null : v);

export function evalExtras(flags: { has(name: string): boolean }, input: ExtrasInput) {
  const json: Record<string, unknown> = {};
  const text: string[] = [];
  const { kernels, project, predictions } = input;
  const coco = () => (input.coco ??= evaluateProjectCoco(kernels, project, predictions, { iouType: input.iouType }));
  const active = () => {
    if (!input.active) {
      const prepared = prepareActive(kernels, project, predictions);
      input.active = { prepared, score: scoreActive(prepared, { iouThreshold: input.iou }) };
    }
    return input.active;
  };

  if (flags.has('tide')) {
    const { result } = tideOfProject(kernels, project, predictions, {
      iouType: input.iouType,
      coco: input.coco?.coco,
    });
    json.tide = tideJson(result);
    text.push('', 'TIDE (tidecv 1.0.1 rules, AP points)', ...formatTideSummary(result, 'predictions'));
  }
  if (flags.has('per-image')) {
    const rows: ImageOutcome[] =
      input.mode === 'coco'
        ? projectCocoPerImage(coco().coco, coco().result, 0.5)
        : activePerImage(project, active().prepared, active().score);
    json.images = rows.map((r) => {
      const du = project.dataUnits[r.dataUnit];
      const id = du.imageId !== undefined ? { imageId: du.imageId } : { dataHash: du.dataHash };
      return {
        ...id,
        frame: r.frame,
        tp: r.tp,
        fp: r.fp,
        fn: r.fn,
        f1: num(r.f1),
        ...(r.ap !== undefined ? { ap: num(r.ap) } : {}),
      };
    });
    const worst = worstFirst(rows).slice(0, 20);
    text.push('', `Worst images first (${worst.length} of ${rows.length}; --json lists all)`);
    for (const i of worst) {
      const r = rows[i];
      const du = project.dataUnits[r.dataUnit];
      const name = du.dataType === 'video' ? `${du.title} #${r.frame}` : du.title;
      const f1 = Number.isNaN(r.f1) ? '-' : r.f1.toFixed(3);
      const ap = r.ap === undefined ? '' : `  AP ${Number.isNaN(r.ap) ? '-' : r.ap.toFixed(3)}`;
      text.push(`  F1 ${f1}  TP ${r.tp}  FP ${r.fp}  FN ${r.fn}${ap}  ${name}`);
    }
  }
  if (flags.has('definitions')) {
    const a = active();
    const defs = apDefinitions(coco().result, {
      active: a.prepared.space === 'classifications' ? undefined : { mAP: a.score.mAP, iouThreshold: input.iou },
    });
    json.definitions = Object.fromEntries(
      defs.map((d) => [d.id, { name: d.name, definition: d.definition, AP: num(d.value) }]),
    );
    text.push('', 'Why does my mAP differ? The same matches integrated as other tools do:');
    for (const d of defs)
      text.push(`  ${d.name.padEnd(24)} ${Number.isNaN(d.value) ? '-' : d.value.toFixed(4)}  ${d.definition}`);
  }
  return { json, text };
}
