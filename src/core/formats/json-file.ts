// JSON side files of prediction formats (results lists, class maps, class_idx.json, image_data_unit.json, mask
// sidecars, ontology_label_map.json): a syntax error names the file and its line:column, and a value of the wrong
// type is said in words, never left to surface as "Cannot read properties of ...".
import { findJsonErrorOffset, lineColumn } from '../project/errors.ts';

export class JsonFileError extends Error {
  readonly code = 'bad_json';
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'JsonFileError';
  }
}

/** Where a JSON.parse failure is: 1-based line and column, and V8's reason without its own position. */
export function jsonSyntaxError(text: string, err: unknown): { line: number; column: number; reason: string } {
  const message = err instanceof Error ? err.message : String(err);
  const position = /position (\d+)/.exec(message);
  const { line, column } = lineColumn(text, position ? Number(position[1]) : findJsonErrorOffset(text));
  const reason = message
    .replace(/\s*\(line \d+ column \d+\)/, '')
    .replace(/ in JSON at position \d+/, '')
    .replace(/, \S*".*is not valid JSON$/s, '');
  return { line, column, reason };
}

/** JSON.parse with a JsonFileError "<file>: not valid JSON at line L, column C: <reason>". */
export function parseJsonFile(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const at = jsonSyntaxError(text, err);
    throw new JsonFileError(
      file,
      `not valid JSON at line ${at.line}, column ${at.column}: ${at.reason}`,
      at.line,
      at.column,
    );
  }
}

export const isJsonObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A JSON value's type in words ("a list", "the number 3", "null"). */
export function jsonType(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v)}`;
  return `the ${typeof v} ${String(v)}`;
}
