// Matching a name a prediction file uses (a KITTI class, a YOLO classes.txt line, a COCO category name) to the
// ontology, written once for every format: an exact match first (the first one wins), else a case-folded match
// that only one candidate has. A folded name two candidates share is never guessed.
import type { Ontology, OntologyObject } from '../model.ts';

/** The one item whose name is `name`: exact first, then ignoring case when unique. */
export function findByName<T>(
  items: readonly T[],
  name: string,
  namesOf: (item: T) => readonly string[],
): T | undefined {
  const exact = items.find((item) => namesOf(item).includes(name));
  if (exact !== undefined) return exact;
  const folded = name.toLowerCase();
  const matches = items.filter((item) => namesOf(item).some((n) => n.toLowerCase() === folded));
  return matches.length === 1 ? matches[0] : undefined;
}

/**
 * The ontology object named `name`. With `shape`, "<name>-<shape>" counts as an exact name too (projects EA made
 * from COCO name their objects "person-polygon").
 */
export function objectByName(ontology: Ontology, name: string, shape?: string): OntologyObject | undefined {
  return findByName(ontology.objects, name, (o) =>
    shape !== undefined && o.name === `${name}-${shape}` ? [o.name, name] : [o.name],
  );
}

/** The value of the key that is `name` in a name -> value map (exact, then case-folded unique). */
export function lookupByName<V>(map: ReadonlyMap<string, V>, name: string): V | undefined {
  const exact = map.get(name);
  if (exact !== undefined) return exact;
  return findByName([...map], name, ([key]) => [key])?.[1];
}
