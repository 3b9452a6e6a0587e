// A detector's classes -> the project's ontology objects. The class key is what the model outputs: the class
// index (YOLO, DETR) or the label value (torchvision). Default rule, the first that applies:
//   1. the model names its classes (metadata `names`): by name, exactly, else ignoring case when that is unique
//      (the name matching every import uses, formats/names.ts);
//   2. the ontology objects carry dataset category ids (COCO, YOLO, VOC folders): key = category id;
//   3. key i = ontology object i (the YOLO import's default, class-map.ts).
// Only objects that take boxes are targets (a box for a polygon class would be rejected by validate.ts); a user
// map (same JSON as every import's --class-map: {"<key>": "<featureNodeHash>"}, keys may also be class names)
// overrides the rule per key, and "" leaves a class out.
import { defaultClassMap, validateClassMap } from '../formats/class-map.ts';
import { findByName } from '../formats/names.ts';
import { PredictionValidator } from '../formats/validate.ts';
import type { OntologyObject, Project } from '../model.ts';

export interface ModelClassRow {
  key: string;
  name?: string;
  /** The ontology object's featureNodeHash, or undefined (left out). */
  target?: string;
  /** Why it has no target, when it has none. */
  note?: string;
}

export interface ModelClassMap {
  rows: ModelClassRow[];
  /** What the targets are called in words: "dataset class" on a dataset folder, else "ontology class". */
  targetWord: string;
  /** The default rule that was used, in words. */
  rule: string;
  /** key -> featureNodeHash for every key, rows and keys first seen in the outputs alike. */
  targetOf(key: number): string | undefined;
}

/** What a project's classes are called in messages: a dataset's categories, or an Encord Active ontology's objects. */
export function targetWord(project: Pick<Project, 'dataset'>): string {
  return project.dataset ? 'dataset class' : 'ontology class';
}

/** Objects a box prediction may name, by asking the validator (the authority on shapes). */
export function boxTargets(project: Project): OntologyObject[] {
  const unit = project.dataUnits[0];
  if (!unit) return [];
  const validator = new PredictionValidator(project);
  return project.ontology.objects.filter((o) => {
    const outcome = validator.check(
      {
        dataHash: unit.dataHash,
        frame: 0,
        confidence: 1,
        featureHash: o.featureNodeHash,
        shape: { kind: 'box', box: { x: 0, y: 0, w: 0, h: 0 } },
      },
      'probe',
    );
    return outcome.problem?.code !== 'shape_mismatch';
  });
}

/** The box class named `name` (the shared name matching, names.ts), or why there is none. */
function byName(
  objects: OntologyObject[],
  all: OntologyObject[],
  name: string,
  word: string,
): { hash?: string; note?: string } {
  const found = findByName(objects, name, (o) => [o.name]);
  if (found) return { hash: found.featureNodeHash };
  const other = findByName(all, name, (o) => [o.name]);
  if (other) return { note: `${other.name} is a ${other.shape} class: box predictions cannot be scored against it` };
  const folded = objects.filter((o) => o.name.toLowerCase() === name.toLowerCase());
  return { note: folded.length > 1 ? `several ${word}es have this name` : `no ${word} has this name` };
}

/**
 * The class map for a model: the default rule, then the user's entries (validated against the ontology; unknown
 * featureNodeHashes are refused as a whole, as for every import).
 */
export function modelClassMap(
  project: Project,
  names: Map<number, string> | undefined,
  classes: number | undefined,
  user?: Record<string, unknown>,
  userFile = 'the class map',
): ModelClassMap {
  const targets = boxTargets(project);
  const all = project.ontology.objects;
  const word = targetWord(project);
  const targetSet = new Set(targets.map((o) => o.featureNodeHash));
  let rule: string;
  let base: (key: number) => { hash?: string; note?: string };
  const withIds = all.filter((o) => o.categoryId !== undefined);
  if (names) {
    rule = `the model's class names are matched to ${word} names (exactly, else ignoring case)`;
    base = (key) => {
      const name = names.get(key);
      return name === undefined
        ? { note: 'the model names no class with this index' }
        : byName(targets, all, name, word);
    };
  } else if (withIds.length > 0) {
    rule = 'the model names no classes: its class number is taken as the dataset category id';
    base = (key) => {
      const o = withIds.find((x) => x.categoryId === key);
      if (!o) return { note: 'no dataset category has this id' };
      return targetSet.has(o.featureNodeHash)
        ? { hash: o.featureNodeHash }
        : { note: `${o.name} is a ${o.shape} class` };
    };
  } else {
    const { map, describe } = defaultClassMap(project.ontology, 'yolo');
    rule = `the model names no classes: ${describe}`;
    base = (key) => {
      const hash = map.get(String(key));
      if (!hash) return { note: 'the ontology has no object with this index' };
      return targetSet.has(hash)
        ? { hash }
        : { note: `${all.find((o) => o.featureNodeHash === hash)?.name} takes no boxes` };
    };
  }
  const overrides = new Map<number, string | undefined>();
  if (user) {
    const byModelName = new Map([...(names ?? [])].map(([k, n]) => [n, k]));
    const keyed: Record<string, unknown> = {};
    const cleared: number[] = [];
    for (const [k, v] of Object.entries(user)) {
      const index = /^-?\d+$/.test(k) ? Number(k) : byModelName.get(k);
      if (index === undefined)
        throw new Error(`${userFile}: "${k}" is neither a class number nor a class name of the model`);
      if (v === '' || v === null) cleared.push(index);
      else keyed[String(index)] = v;
    }
    for (const [k, hash] of validateClassMap(project.ontology, keyed, userFile)) overrides.set(Number(k), hash);
    for (const k of cleared) overrides.set(k, undefined);
  }
  const targetOf = (key: number) => (overrides.has(key) ? overrides.get(key) : base(key).hash);
  const keys = new Set<number>();
  for (let k = 0; k < (classes ?? 0); k++) keys.add(k);
  for (const k of names?.keys() ?? []) keys.add(k);
  for (const k of overrides.keys()) keys.add(k);
  const rows = [...keys]
    .sort((a, b) => a - b)
    .map((k) => {
      const row: ModelClassRow = { key: String(k) };
      const name = names?.get(k);
      if (name !== undefined) row.name = name;
      const target = targetOf(k);
      if (target) row.target = target;
      else row.note = overrides.has(k) ? 'left out by the class map' : base(k).note;
      return row;
    });
  return { rows, rule, targetWord: word, targetOf };
}
