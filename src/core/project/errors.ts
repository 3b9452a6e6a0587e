// Errors that stop a project from opening, and the parsers that produce them with a file and a position.
import { parse as parseYamlText, YAMLParseError } from 'yaml';

/** A file that cannot be read as what it should be: names the file and, where known, the line and column. */
export class ProjectFileError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly line?: number,
    readonly column?: number,
    readonly code = 'bad_file',
  ) {
    super(`${file}${line !== undefined ? `:${line}:${column ?? 1}` : ''}: ${reason}`);
    this.name = 'ProjectFileError';
  }
}

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/**
 * JSON.parse with errors that say where: V8 puts "at position N" in most messages, but not in all
 * ("Unexpected token '}', ... is not valid JSON"), so the offset is then found by a small scan.
 */
export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const position = /position (\d+)/.exec(message);
    const offset = position ? Number(position[1]) : findJsonErrorOffset(text);
    const { line, column } = lineColumn(text, offset);
    const reason = message
      .replace(/\s*\(line \d+ column \d+\)/, '')
      .replace(/ in JSON at position \d+/, '')
      .replace(/, \S*".*is not valid JSON$/s, '');
    throw new ProjectFileError(
      file,
      `invalid JSON: ${reason} (line ${line}, column ${column})`,
      line,
      column,
      'bad_json',
    );
  }
}

/** Aliases (*name) a YAML file may expand: project_meta.yaml is a flat mapping and needs none. */
export const YAML_MAX_ALIASES = 100;

/**
 * Parses YAML, turning the yaml package's errors into ProjectFileErrors with the line and column. The package's
 * own guards are named for what they are: nesting too deep to parse (it runs out of stack) and more alias
 * expansions than YAML_MAX_ALIASES (a "billion laughs" file).
 */
export function parseYaml(text: string, file: string): unknown {
  const tooDeep = (line?: number, col?: number) =>
    new ProjectFileError(
      file,
      `YAML nested too deeply to read (${file} is a flat mapping such as project_title: ..., project_hash: ...)`,
      line,
      col,
      'yaml_too_deep',
    );
  try {
    return parseYamlText(text, { maxAliasCount: YAML_MAX_ALIASES });
  } catch (err) {
    if (err instanceof YAMLParseError) {
      const pos = err.linePos?.[0];
      if (/Maximum call stack/.test(err.message)) throw tooDeep(pos?.line, pos?.col);
      const reason = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      throw new ProjectFileError(file, `invalid YAML: ${reason}`, pos?.line, pos?.col, 'bad_yaml');
    }
    if (err instanceof RangeError) throw tooDeep();
    if (err instanceof ReferenceError && /alias/i.test(err.message)) {
      throw new ProjectFileError(
        file,
        `YAML expands aliases (*name) more than ${YAML_MAX_ALIASES} times; refused as a resource-exhaustion guard`,
        undefined,
        undefined,
        'yaml_aliases',
      );
    }
    throw err;
  }
}

/** The offset of the first syntax error in `text`, found by walking the JSON grammar. */
export function findJsonErrorOffset(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => {
    for (const ch of word) {
      if (text[i] !== ch) fail();
      i++;
    }
  };
  const string = () => {
    i++; // opening quote
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 34) return void i++;
      if (c < 32) fail();
      if (c === 92) {
        i++;
        if (text[i] === 'u') {
          for (let k = 1; k <= 4; k++) {
            if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) {
              i += k;
              fail();
            }
          }
          i += 5;
        } else if ('"\\/bfnrt'.includes(text[i] ?? '!')) i++;
        else fail();
      } else i++;
    }
    fail();
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '-' || m[0] === '') fail();
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    if (c === '-' || (c >= '0' && c <= '9')) return number();
    fail();
  };
  try {
    value();
    ws();
    return i < text.length ? i : text.length;
  } catch (at) {
    return typeof at === 'number' ? Math.min(at, text.length) : 0;
  }
}
