// What `encord-active print ontology` prints (spec 7.1): object names to hashes, radio options to their hashes.
import type { Ontology } from '../model.ts';

export interface OptionHashes {
  feature_hash: string;
  attribute_hash: string;
  option_hash: string;
}

export interface OntologyPrintout {
  objects: Record<string, string>;
  classifications: Record<string, OptionHashes>;
}

/**
 * The mapping as ordered Maps, with Python dict semantics: a key seen again overwrites the value but keeps its
 * first position. Only top-level radio attributes of classifications and their top-level options count, as in EA.
 */
export function ontologyPrintoutEntries(ontology: Ontology) {
  const objects = new Map<string, string>();
  for (const o of ontology.objects) objects.set(o.name.toLowerCase(), o.featureNodeHash);
  const classifications = new Map<string, OptionHashes>();
  for (const c of ontology.classifications) {
    for (const a of c.attributes) {
      if (a.type !== 'radio') continue;
      for (const option of a.options) {
        classifications.set(option.value, {
          feature_hash: c.featureNodeHash,
          attribute_hash: a.featureNodeHash,
          option_hash: option.featureNodeHash,
        });
      }
    }
  }
  return { objects, classifications };
}

/** The printout as data. Object key order is JS's (integer-like keys first); use formatOntologyPrintout for text. */
export function printOntology(ontology: Ontology): OntologyPrintout {
  const { objects, classifications } = ontologyPrintoutEntries(ontology);
  return { objects: Object.fromEntries(objects), classifications: Object.fromEntries(classifications) };
}

/** The printout as EA's `json.dumps(..., indent=2)` writes it: insertion order, non-ASCII escaped as \uXXXX. */
export function formatOntologyPrintout(ontology: Ontology, indent = 2): string {
  const { objects, classifications } = ontologyPrintoutEntries(ontology);
  const nested = new Map<string, unknown>([
    ['objects', objects],
    ['classifications', new Map([...classifications].map(([k, v]) => [k, new Map(Object.entries(v))]))],
  ]);
  return pythonJsonDumps(nested, indent);
}

/** Python's json.dumps(value, indent) for strings, numbers, booleans, null, arrays and Maps (ordered objects). */
export function pythonJsonDumps(value: unknown, indent: number, depth = 0): string {
  const pad = (d: number) => '\n' + ' '.repeat(indent * d);
  if (value instanceof Map) {
    if (value.size === 0) return '{}';
    const items = [...value].map(([k, v]) => `${pythonString(String(k))}: ${pythonJsonDumps(v, indent, depth + 1)}`);
    return `{${pad(depth + 1)}${items.join(',' + pad(depth + 1))}${pad(depth)}}`;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((v) => pythonJsonDumps(v, indent, depth + 1));
    return `[${pad(depth + 1)}${items.join(',' + pad(depth + 1))}${pad(depth)}]`;
  }
  if (typeof value === 'string') return pythonString(value);
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'object') return pythonJsonDumps(new Map(Object.entries(value)), indent, depth);
  return JSON.stringify(value);
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** ensure_ascii=True: everything outside ' '..'~' becomes \uXXXX (lower-case hex, per UTF-16 unit). */
function pythonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    const code = s.charCodeAt(i);
    if (SHORT_ESCAPES[ch]) out += SHORT_ESCAPES[ch];
    else if (code >= 0x20 && code <= 0x7e) out += ch;
    else out += '\\u' + code.toString(16).padStart(4, '0');
  }
  return out + '"';
}
