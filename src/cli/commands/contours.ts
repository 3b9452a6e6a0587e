// predlens contours <mask.png>: the contours of every class of a class-index PNG mask, as OpenCV's
// findContours(mask == v, RETR_EXTERNAL, CHAIN_APPROX_SIMPLE) gives them (RETR_CCOMP-style holes with --holes).
import { readFile } from 'node:fs/promises';
import { flagNumber, parseArgs, UsageError } from '../args.ts';
import type { Command } from '../command.ts';
import { decodeClassMask } from '../../core/png.ts';
import { keptByEa, traceContours, type Contour } from '../../kernels/contours.ts';
import { loadKernels } from '../../kernels/node.ts';

interface ContourJson {
  points: [number, number][];
  area: number;
  bbox: [number, number, number, number];
  holes?: ContourJson[];
}

function toJson(c: Contour): ContourJson {
  const points: [number, number][] = [];
  for (let i = 0; i < c.points.length; i += 2) points.push([c.points[i], c.points[i + 1]]);
  const out: ContourJson = { points, area: c.area, bbox: [...c.bbox] };
  if (c.holes) out.holes = c.holes.map(toJson);
  return out;
}

export const command: Command = {
  name: 'contours',
  usage: 'predlens contours <mask.png> [--ea-filter] [--holes] [--ignore <value>] [--json]',
  summary:
    'Trace the contours of every class value of a class-index PNG mask (grey, palette, 16-bit) exactly as OpenCV ' +
    'findContours(mask == v, RETR_EXTERNAL, CHAIN_APPROX_SIMPLE) does. --ea-filter drops what Encord Active drops ' +
    "(< 3 points or area < 4), --holes adds each contour's holes (RETR_CCOMP), --ignore skips a value such as " +
    "VOC's 255. --json prints {width, height, classes: {value: [{points, area, bbox}]}}.",
  async run(argv) {
    const args = parseArgs(argv, { boolean: ['json', 'ea-filter', 'holes'], value: ['ignore'] });
    const [file, ...extra] = args.positionals;
    if (!file || extra.length > 0) throw new UsageError('give exactly one PNG mask');
    const ignore = flagNumber(args, 'ignore');
    if (ignore !== undefined && !(Number.isInteger(ignore) && ignore > 0 && ignore < 65536)) {
      throw new UsageError(`--ignore must be a pixel value from 1 to 65535, got ${ignore}`);
    }
    const bytes = await readFile(file).catch((err: NodeJS.ErrnoException) => {
      throw new Error(err.code === 'ENOENT' ? `${file}: no such file` : `${file}: ${err.message}`);
    });
    const mask = decodeClassMask(bytes, file);
    const kernels = await loadKernels();
    const { classes } = traceContours(kernels, mask.values, mask.width, mask.height, {
      ignore,
      eaFilter: args.flags.has('ea-filter'),
      holes: args.flags.has('holes'),
    });
    if (args.flags.has('json')) {
      const document = {
        width: mask.width,
        height: mask.height,
        classes: Object.fromEntries([...classes].map(([value, list]) => [String(value), list.map(toJson)])),
      };
      // Indented like every --json output, but arrays of plain numbers (a point, a box) stay on one line.
      const text = JSON.stringify(document, null, 2).replace(/\[(\s*-?[\d.e+-]+,)*\s*-?[\d.e+-]+\s*\]/g, (a) =>
        a.replace(/\s+/g, '').replace(/,/g, ', '),
      );
      process.stdout.write(text + '\n');
      return 0;
    }
    console.log(summarise(file, mask, classes, args.flags.has('ea-filter')));
    return 0;
  },
};

function summarise(
  file: string,
  mask: { width: number; height: number; bitDepth: number; colorType: number; interlaced: boolean },
  classes: Map<number, Contour[]>,
  filtered: boolean,
): string {
  const kind = mask.colorType === 3 ? 'palette' : 'grey';
  const lines = [
    `${file}: ${mask.width}x${mask.height}, ${mask.bitDepth}-bit ${kind}${mask.interlaced ? ', interlaced' : ''}`,
    `${classes.size} class value(s); contours${filtered ? ' kept by the Encord Active filter' : ''}:`,
  ];
  for (const [value, list] of classes) {
    const points = list.reduce((n, c) => n + c.points.length / 2, 0);
    const area = list.reduce((n, c) => n + c.area, 0);
    const holes = list.reduce((n, c) => n + (c.holes?.length ?? 0), 0);
    const kept = filtered ? '' : `, ${list.filter(keptByEa).length} kept by EA`;
    const holeText = list.some((c) => c.holes) ? `, ${holes} hole(s)` : '';
    lines.push(
      `  ${String(value).padStart(5)}: ${list.length} contour(s)${kept}${holeText}, ${points} points, area ${area}`,
    );
  }
  return lines.join('\n');
}
