// ontology.json: Encord's OntologyStructure.to_dict() (spec 1.3), read into the shared model.
import type {
  ObjectShape,
  Ontology,
  OntologyAttribute,
  OntologyClassification,
  OntologyObject,
  OntologyOption,
} from '../model.ts';
import { ProjectFileError } from './errors.ts';
import type { ProblemLog } from './problems.ts';

/** The shapes Encord Active v0.1.40 knows; any other string made the SDK raise there. */
export const KNOWN_SHAPES: readonly string[] = [
  'bounding_box',
  'rotatable_bounding_box',
  'polygon',
  'polyline',
  'point',
  'skeleton',
];

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** Reads a parsed ontology.json. The file name is only used in messages. */
export function parseOntology(raw: unknown, file: string, log: ProblemLog): Ontology {
  if (!isRecord(raw)) throw new ProjectFileError(file, 'the ontology must be a JSON object');
  for (const key of ['objects', 'classifications']) {
    if (!Array.isArray(raw[key])) {
      throw new ProjectFileError(file, `the ontology needs a "${key}" list (found ${describe(raw[key])})`);
    }
  }
  const objects: OntologyObject[] = [];
  (raw.objects as unknown[]).forEach((o, i) => {
    const where = `objects[${i}]`;
    if (!isRecord(o) || !str(o.featureNodeHash)) {
      log.add(
        { file, record: where, code: 'bad_ontology_entry', reason: 'object without a featureNodeHash; ignored' },
        'bad_ontology_entry',
      );
      return;
    }
    const shape = str(o.shape) as ObjectShape;
    if (!KNOWN_SHAPES.includes(shape)) {
      log.add({
        file,
        record: where,
        code: 'unknown_shape',
        reason: `object "${str(o.name)}" has shape "${shape}", which Encord Active v0.1.40 does not know; its labels are skipped`,
      });
    }
    objects.push({
      id: str(o.id),
      name: str(o.name),
      color: str(o.color),
      shape,
      featureNodeHash: str(o.featureNodeHash),
      attributes: parseAttributes(o.attributes, file, `${where}.attributes`, log),
    });
  });
  const classifications: OntologyClassification[] = [];
  (raw.classifications as unknown[]).forEach((c, i) => {
    const where = `classifications[${i}]`;
    if (!isRecord(c) || !str(c.featureNodeHash)) {
      log.add(
        {
          file,
          record: where,
          code: 'bad_ontology_entry',
          reason: 'classification without a featureNodeHash; ignored',
        },
        'bad_ontology_entry',
      );
      return;
    }
    classifications.push({
      id: str(c.id),
      featureNodeHash: str(c.featureNodeHash),
      attributes: parseAttributes(c.attributes, file, `${where}.attributes`, log),
    });
  });
  return { objects, classifications };
}

function parseAttributes(raw: unknown, file: string, where: string, log: ProblemLog): OntologyAttribute[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    log.add({
      file,
      record: where,
      code: 'bad_ontology_entry',
      reason: `attributes must be a list, found ${describe(raw)}`,
    });
    return [];
  }
  return raw.filter(isRecord).map((a, i) => ({
    id: str(a.id),
    name: str(a.name),
    type: str(a.type),
    featureNodeHash: str(a.featureNodeHash),
    required: a.required === true,
    dynamic: a.dynamic === true,
    options: parseOptions(a.options, file, `${where}[${i}].options`, log),
  }));
}

function parseOptions(raw: unknown, file: string, where: string, log: ProblemLog): OntologyOption[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isRecord).map((o, i) => ({
    id: str(o.id),
    label: str(o.label),
    // The SDK derives a missing value from the label the same way.
    value: typeof o.value === 'string' ? o.value : str(o.label).toLowerCase().replace(/ /g, '_'),
    featureNodeHash: str(o.featureNodeHash),
    // Encord nests attributes under an option's "options" key (NestableOption); "attributes" is accepted too.
    attributes: parseAttributes(o.options ?? o.attributes, file, `${where}[${i}].options`, log),
  }));
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  return Array.isArray(v) ? 'a list' : typeof v;
}

/** Lookups by featureNodeHash over every level of the ontology. */
export interface OntologyIndex {
  objects: Map<string, OntologyObject>;
  classifications: Map<string, OntologyClassification>;
  attributes: Map<string, OntologyAttribute>;
  options: Map<string, OntologyOption>;
}

export function indexOntology(ontology: Ontology): OntologyIndex {
  const index: OntologyIndex = {
    objects: new Map(),
    classifications: new Map(),
    attributes: new Map(),
    options: new Map(),
  };
  const walk = (attributes: OntologyAttribute[]) => {
    for (const a of attributes) {
      if (!index.attributes.has(a.featureNodeHash)) index.attributes.set(a.featureNodeHash, a);
      for (const o of a.options) {
        if (!index.options.has(o.featureNodeHash)) index.options.set(o.featureNodeHash, o);
        walk(o.attributes);
      }
    }
  };
  for (const o of ontology.objects) {
    if (!index.objects.has(o.featureNodeHash)) index.objects.set(o.featureNodeHash, o);
    walk(o.attributes);
  }
  for (const c of ontology.classifications) {
    if (!index.classifications.has(c.featureNodeHash)) index.classifications.set(c.featureNodeHash, c);
    walk(c.attributes);
  }
  return index;
}

/** A classification's display name: its first attribute's name, as Encord's editor shows it. */
export function classificationName(c: OntologyClassification): string {
  return c.attributes[0]?.name ?? c.id;
}
