// Node-only: saves predictions in predlens' native format (NDJSON for .ndjson/.jsonl paths, else JSON).
import { writeFile } from 'node:fs/promises';
import type { Prediction } from '../core/model.ts';
import { toNativeJson, toNativeNdjson } from '../core/formats/native.ts';
import type { PredictionWriter } from '../core/formats/writer.ts';

export async function writeNative(path: string, source: PredictionWriter | readonly Prediction[]): Promise<number> {
  const predictions = Array.isArray(source)
    ? (source as readonly Prediction[])
    : (source as PredictionWriter).result().predictions;
  const text = /\.(ndjson|jsonl)$/i.test(path) ? toNativeNdjson(predictions) : toNativeJson(predictions);
  await writeFile(path, text, 'utf8');
  return predictions.length;
}
