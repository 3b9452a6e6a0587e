// Ultralytics and YOLOv5 store model metadata as Python reprs: `names` = "{0: 'person', 1: 'bicycle'}" or
// "['person', 'bicycle']", `imgsz` = "[640, 640]", `stride` = "32". This reads those literals (dict, list, tuple,
// str with either quote and escapes, int, float, True/False/None) and nothing else: never evaluated as code.

export type PyValue = string | number | boolean | null | PyValue[] | Map<string | number, PyValue>;

export class PyLiteralError extends Error {}

export function parsePythonLiteral(text: string): PyValue {
  let at = 0;
  const fail = (what: string): never => {
    throw new PyLiteralError(`${what} at character ${at + 1} of ${JSON.stringify(text.slice(0, 80))}`);
  };
  const space = () => {
    while (at < text.length && /\s/.test(text[at])) at++;
  };
  const value = (): PyValue => {
    space();
    const c = text[at];
    if (c === '{') return dict();
    if (c === '[' || c === '(') return list(c === '[' ? ']' : ')');
    if (c === "'" || c === '"') return str();
    const word = /^(True|False|None)\b/.exec(text.slice(at));
    if (word) {
      at += word[0].length;
      return word[0] === 'True' ? true : word[0] === 'False' ? false : null;
    }
    const num = /^[-+]?(\d+\.?\d*(e[-+]?\d+)?|\.\d+(e[-+]?\d+)?|inf|nan)/i.exec(text.slice(at));
    if (num) {
      at += num[0].length;
      return Number(num[0].replace(/inf/i, 'Infinity'));
    }
    return fail('unexpected text');
  };
  const str = (): string => {
    const quote = text[at++];
    let out = '';
    while (at < text.length && text[at] !== quote) {
      if (text[at] === '\\') {
        const e = text[++at];
        const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"' };
        if (e in simple) {
          out += simple[e];
          at++;
        } else if (e === 'x' || e === 'u' || e === 'U') {
          const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
          out += String.fromCodePoint(parseInt(text.slice(at + 1, at + 1 + n), 16));
          at += 1 + n;
        } else out += '\\';
      } else out += text[at++];
    }
    if (at >= text.length) fail('unterminated string');
    at++;
    return out;
  };
  const list = (close: string): PyValue[] => {
    at++;
    const items: PyValue[] = [];
    for (;;) {
      space();
      if (text[at] === close) {
        at++;
        return items;
      }
      items.push(value());
      space();
      if (text[at] === ',') at++;
      else if (text[at] !== close) fail(`expected , or ${close}`);
    }
  };
  const dict = (): Map<string | number, PyValue> => {
    at++;
    const map = new Map<string | number, PyValue>();
    for (;;) {
      space();
      if (text[at] === '}') {
        at++;
        return map;
      }
      const key = value();
      if (typeof key !== 'string' && typeof key !== 'number') fail('a dict key must be a string or a number');
      space();
      if (text[at++] !== ':') fail('expected :');
      map.set(key as string | number, value());
      space();
      if (text[at] === ',') at++;
      else if (text[at] !== '}') fail('expected , or }');
    }
  };
  const result = value();
  space();
  if (at !== text.length) fail('unexpected text after the value');
  return result;
}

/**
 * Class names from a `names` metadata value: a dict {index: name} (Ultralytics), a list (YOLOv5), or JSON of
 * either. Returns names by class index, or undefined when the value is not such a literal.
 */
export function classNamesFromMetadata(value: string | undefined): Map<number, string> | undefined {
  if (value === undefined) return undefined;
  let parsed: PyValue;
  try {
    parsed = parsePythonLiteral(value);
  } catch {
    return undefined;
  }
  const names = new Map<number, string>();
  if (Array.isArray(parsed)) parsed.forEach((n, i) => names.set(i, String(n)));
  else if (parsed instanceof Map) {
    for (const [k, v] of parsed) {
      const index = Number(k);
      if (!Number.isInteger(index) || index < 0) return undefined;
      names.set(index, String(v));
    }
  } else return undefined;
  return names.size > 0 ? names : undefined;
}

/** A list of numbers from metadata ("[640, 640]", "(0.485, 0.456, 0.406)", "640"), or undefined. */
export function numbersFromMetadata(value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed = parsePythonLiteral(value);
    const list = Array.isArray(parsed) ? parsed : [parsed];
    return list.every((v) => typeof v === 'number' && Number.isFinite(v)) ? (list as number[]) : undefined;
  } catch {
    return undefined;
  }
}
