// The registry of prediction formats: the ONE list the CLI (import, eval --format, --help), the import worker and
// the Import page read. A format is one module implementing PredictionFormat (format.ts); adding one means that
// module, its tests, and one line here. The order is the detection order: the most specific layouts first.
import type { FormatId } from '../model.ts';
import { cocoResultsReader } from './coco-results.ts';
import { eaPredictionsReader } from './ea-predictions.ts';
import type { PredictionFormat } from './format.ts';
import { kittiReader } from './kitti.ts';
import { masksReader } from './masks.ts';
import { nativeJsonReader, writerReader } from './native.ts';
import { pklReader } from './pkl.ts';
import { yoloReader } from './yolo.ts';

export const PREDICTION_FORMATS: readonly PredictionFormat[] = [
  pklReader,
  eaPredictionsReader,
  kittiReader,
  nativeJsonReader,
  cocoResultsReader,
  masksReader,
  yoloReader,
  writerReader,
];

export const FORMAT_IDS: readonly FormatId[] = PREDICTION_FORMATS.map((f) => f.id);

export class UnknownFormatError extends Error {}

export function formatById(id: FormatId | string): PredictionFormat {
  const format = PREDICTION_FORMATS.find((f) => f.id === id);
  if (!format) throw new UnknownFormatError(`unknown format "${id}"; known: ${FORMAT_IDS.join(', ')}`);
  return format;
}

/** What the page shows of a format (plain data: it crosses the worker boundary). */
export interface FormatChoice {
  id: FormatId;
  label: string;
  short: string;
  options: PredictionFormat['options'];
}

export function formatChoices(): FormatChoice[] {
  return PREDICTION_FORMATS.map((f) => ({ id: f.id, label: f.label, short: f.short, options: [...f.options] }));
}

/** The --help lines: every registered format with its name and default rules. */
export function formatHelp(): string {
  return PREDICTION_FORMATS.map((f) => `  ${f.id.padEnd(15)} ${f.label}\n  ${''.padEnd(15)} ${f.defaults}`).join('\n');
}
