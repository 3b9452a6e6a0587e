// predlens coco-eval <gt.json> <results.json> --iou-type bbox|segm: pycocotools' COCOeval, bit for bit.
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { flagString, parseArgs, UsageError } from '../args.ts';
import type { Command } from '../command.ts';
import { cocoEvaluate, resultsAreMasks, type CocoParamsInput, type IouType } from '../../core/eval/coco/index.ts';
import { cocoEvaluateFiles, summaryOf, type CocoEvalSummary } from '../../core/eval/coco/parallel.ts';
import type { Kernels } from '../../kernels/wasm.ts';
import { cocoThreadCount, nodeCocoRunner } from '../coco-threads.ts';
import type { TideResult } from '../../core/eval/tide/index.ts';
import { formatTideSummary } from '../../core/eval/tide/print.ts';
import { tideJson } from '../tide-output.ts';

function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? err})`, { cause: err });
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${path}: not valid JSON (${err instanceof Error ? err.message : err})`, { cause: err });
  }
}

/** tidecv's run name: the results file name without its extension. */
const runName = (path: string) => basename(path).replace(/\.[^.]*$/, '');

export const command: Command = {
  name: 'coco-eval',
  usage:
    'predlens coco-eval <gt.json> <results.json> --iou-type bbox|segm [--params params.json] [--json] [--corrected]' +
    ' [--tide]',
  summary: [
    'Evaluate COCO results against COCO ground truth exactly as pycocotools 2.0.11 does (COCO.loadRes + COCOeval',
    'evaluate/accumulate/summarize) and print the 12 summarize() lines in its format.',
    '',
    '  --iou-type bbox|segm  what to compare (required)',
    '  --params FILE         COCOeval.Params overrides as JSON: imgIds, catIds, iouThrs, recThrs, maxDets, areaRng,',
    '                        areaRngLbl, useCats',
    '  --json                print {"stats": [12 numbers], "perCategoryAP": {"<category id>": AP}} with full double',
    '                        precision; AP is null where it is NaN (a category without ground truth), since JSON has',
    "                        no NaN. Per-category AP is detectron2's: mean of precision[:, :, k, 0, -1] above -1.",
    '  --corrected           fix two pycocotools bugs (GT id 0 never counts as matched; a GT\'s "ignore" flag is',
    '                        discarded). This DEVIATES from pycocotools; the output says so.',
  ].join('\n'),
  async run(argv) {
    // Since the process started (Node's time origin): what starting Node and loading the CLI cost.
    const startedMs = performance.now();
    const args = parseArgs(argv, { boolean: ['json', 'corrected', 'tide'], value: ['iou-type', 'params'] });
    const [gtPath, resultsPath, ...extra] = args.positionals;
    if (!gtPath || !resultsPath || extra.length > 0)
      throw new UsageError('give a ground-truth file and a results file');
    const iouType = flagString(args, 'iou-type');
    if (iouType !== 'bbox' && iouType !== 'segm') throw new UsageError('--iou-type must be bbox or segm');
    const paramsPath = flagString(args, 'params');
    const params = paramsPath ? (readJsonFile(paramsPath) as CocoParamsInput) : undefined;
    const corrected = args.flags.has('corrected');

    // The reference path: JSON.parse and one thread. It gives pycocotools' errors for any input the fast path
    // leaves to it (an irregular file, or anything wrong).
    const tideWanted = args.flags.has('tide');
    const reference = async (): Promise<CocoEvalSummary> => (await evaluateInProcess()).summary;
    const evaluateInProcess = async () => {
      const gt = readJsonFile(gtPath);
      const results = readJsonFile(resultsPath);
      // Box evaluation of box results needs no .wasm; masks (and TIDE) do.
      let kernels: Kernels | undefined;
      if (iouType === 'segm' || tideWanted || resultsAreMasks(results)) {
        const { loadKernels } = await import('../../kernels/node.ts');
        kernels = await loadKernels();
      }
      const result = cocoEvaluate(kernels, gt, results, {
        iouType: iouType as IouType,
        params,
        corrected,
        gtSource: gtPath,
        resultsSource: resultsPath,
        paramsSource: paramsPath,
      });
      // TIDE reads the same loaded files: its own rules, not COCOeval's params.
      let tide: TideResult | undefined;
      if (tideWanted) {
        const { tideEvaluate } = await import('../../core/eval/tide/index.ts');
        tide = tideEvaluate(kernels, result.gt, result.results, { mode: iouType === 'segm' ? 'mask' : 'bbox' });
      }
      return { summary: summaryOf(result), tide };
    };
    // TIDE needs the loaded files in this process: the one-thread path.
    if (tideWanted) {
      const { summary, tide } = await evaluateInProcess();
      return reportAndPrint(summary, tide);
    }
    // The fast path: both files read by the wasm scanner and the categories split over the cores.
    let inputBytes: number;
    try {
      inputBytes = statSync(gtPath).size + statSync(resultsPath).size;
    } catch {
      return reportAndPrint(await reference());
    }
    const runner = nodeCocoRunner(gtPath, resultsPath, cocoThreadCount(inputBytes), reference);
    const job = {
      gt: new Uint8Array(0),
      results: new Uint8Array(0),
      gtSource: gtPath,
      resultsSource: resultsPath,
      paramsSource: paramsPath,
    };
    const timing = process.env.PREDLENS_COCO_TIMING ? { startMs: startedMs } : undefined;
    const result = await cocoEvaluateFiles(runner, { ...job, iouType: iouType as IouType, params, corrected }, timing);
    const code = reportAndPrint(result);
    // For the bench's time split: one line on stderr, only when asked.
    if (timing) process.stderr.write(`predlens-timing ${JSON.stringify({ ...timing, totalMs: performance.now() })}\n`);
    return code;

    function reportAndPrint(result: CocoEvalSummary, tide?: TideResult): number {
      for (const w of result.warnings) console.error(`predlens coco-eval: note: ${w} (--corrected changes this)`);
      if (args.flags.has('json')) {
        const perCategoryAP: Record<string, number | null> = {};
        for (const c of result.perCategoryAP) perCategoryAP[String(c.categoryId)] = Number.isNaN(c.ap) ? null : c.ap;
        const out: Record<string, unknown> = { stats: result.stats, perCategoryAP };
        if (corrected) out.corrected = { deviatesFromPycocotools: true, changes: result.deviations };
        if (tide) out.tide = tideJson(tide);
        process.stdout.write(JSON.stringify(out) + '\n');
      } else {
        process.stdout.write(result.printout.join('\n') + '\n');
        if (corrected) {
          const changes = result.deviations.length ? result.deviations.join('; ') : 'no object was affected';
          process.stdout.write(`(--corrected: deviates from pycocotools; ${changes})\n`);
        }
        if (tide) process.stdout.write('\n' + formatTideSummary(tide, runName(resultsPath)).join('\n') + '\n');
      }
      return 0;
    }
  },
};
