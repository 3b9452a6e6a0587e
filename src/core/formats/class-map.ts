// Class maps: how the names a prediction file uses for classes (a YOLO index, a mask pixel value, a COCO category
// id, a KITTI class name) become ontology featureNodeHashes. One place owns the defaults and the validation.
//
// A user class map (--class-map FILE in the CLI, options.classMap everywhere) is a JSON object
//   { "<the file's class key>": "<ontology featureNodeHash>", ... }
// e.g. YOLO {"0": "fYdelGPK", "1": "DP6gK92R"}, masks {"1": "mNpx7y5L", "255": "..."}, COCO {"3": "fYdelGPK"}.
// Every value must be the featureNodeHash of an ontology object (or of a classification, where a format allows
// it); a map with any other value is refused as a whole, naming every bad entry, because importing with half a
// class map would quietly misfile predictions.
//
// Defaults per format when no map is given (see defaultClassMap):
//   yolo   "0".."N-1" -> every ontology object in ontology order (the class ids EA itself gives objects, §3.4)
//   masks  "1".."N"   -> the ontology's polygon objects in ontology order; 0 is background (EA's default map, §4.2)
//   coco   category id -> the object whose ontology `id` equals it, else the object whose name equals the category
//          name (when the results file's categories are known); see coco-results.ts
//   kitti  ontology_label_map.json in the folder; see kitti.ts

import type { Ontology, OntologyObject } from '../model.ts';
import { jsonSyntaxError } from './json-file.ts';

export class ClassMapError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(
      `${file}: ${problems.length === 1 ? problems[0] : `${problems.length} problems:\n  ${problems.join('\n  ')}`}`,
    );
  }
}

/** A validated map: file key -> featureNodeHash. */
export type ClassMap = Map<string, string>;

/** Parses the JSON text of a class-map file into a plain object (values still unchecked). */
export function parseClassMapJson(text: string, file: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const at = jsonSyntaxError(text, e);
    throw new ClassMapError(file, [`not valid JSON at line ${at.line}, column ${at.column}: ${at.reason}`]);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ClassMapError(file, ['a class map must be a JSON object {"<class key>": "<featureNodeHash>"}']);
  }
  return value as Record<string, unknown>;
}

/** Every featureNodeHash a class map may point at: objects, and classifications when `allowClassifications`. */
function knownHashes(ontology: Ontology, allowClassifications: boolean): Set<string> {
  const hashes = new Set(ontology.objects.map((o) => o.featureNodeHash));
  if (allowClassifications) for (const c of ontology.classifications) hashes.add(c.featureNodeHash);
  return hashes;
}

/**
 * Checks a user class map against the ontology and returns it as a Map. Throws ClassMapError listing every entry
 * whose value is not a featureNodeHash (with a hint when the value is an object's name instead).
 */
export function validateClassMap(
  ontology: Ontology,
  raw: Record<string, unknown>,
  file = 'class map',
  { allowClassifications = false } = {},
): ClassMap {
  const hashes = knownHashes(ontology, allowClassifications);
  const problems: string[] = [];
  const map: ClassMap = new Map();
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'string') {
      problems.push(`"${key}": the value must be a featureNodeHash string, not ${JSON.stringify(value)}`);
    } else if (!hashes.has(value)) {
      const named = ontology.objects.find((o) => o.name === value);
      problems.push(
        `"${key}": ${JSON.stringify(value)} is not a featureNodeHash of the ontology` +
          (named ? ` (it is the name of object ${named.featureNodeHash}; use that hash)` : ''),
      );
    } else {
      map.set(key, value);
    }
  }
  if (problems.length > 0) throw new ClassMapError(file, problems);
  return map;
}

export type ClassMapFormat = 'yolo' | 'masks';

/** The format's default map (see the header); `describe` says what it is, for report.warnings. */
export function defaultClassMap(ontology: Ontology, format: ClassMapFormat): { map: ClassMap; describe: string } {
  const map: ClassMap = new Map();
  if (format === 'yolo') {
    ontology.objects.forEach((o, i) => map.set(String(i), o.featureNodeHash));
    return { map, describe: `class index i = ontology object i (${listObjects(ontology.objects, 0)})` };
  }
  const polygons = ontology.objects.filter((o) => o.shape === 'polygon');
  polygons.forEach((o, i) => map.set(String(i + 1), o.featureNodeHash));
  return {
    map,
    describe: `pixel value i = polygon object i, from 1, 0 = background (${listObjects(polygons, 1)})`,
  };
}

function listObjects(objects: OntologyObject[], start: number): string {
  if (objects.length === 0) return 'the ontology has none';
  const shown = objects.slice(0, 8).map((o, i) => `${i + start} ${o.name}`);
  return shown.join(', ') + (objects.length > 8 ? `, ... ${objects.length + start - 1}` : '');
}

/** The class map for an import: the user's (validated) when given, else the format's default. */
export function classMapFor(
  ontology: Ontology,
  format: ClassMapFormat,
  userMap: Record<string, string> | undefined,
  warnings: string[],
): ClassMap {
  if (userMap) return validateClassMap(ontology, userMap, 'the class map');
  const { map, describe } = defaultClassMap(ontology, format);
  warnings.push(`no class map given: ${describe}`);
  return map;
}

/** The ontology object for a featureNodeHash, by hash. */
export function objectsByHash(ontology: Ontology): Map<string, OntologyObject> {
  return new Map(ontology.objects.map((o) => [o.featureNodeHash, o]));
}
