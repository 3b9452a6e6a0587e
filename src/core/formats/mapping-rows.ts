// Small helpers the formats' class tables share: count the keys the files use and list them with their targets.
import type { ClassRow } from './format.ts';

export function tally(keys: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return counts;
}

const byKey = (a: ClassRow, b: ClassRow) => {
  const na = Number(a.key);
  const nb = Number(b.key);
  return Number.isFinite(na) && Number.isFinite(nb) ? na - nb : a.key.localeCompare(b.key);
};

/** One row per key, numbers in numeric order, names alphabetically. */
export function classRows(counts: Map<string, number>, target: (key: string) => string | undefined): ClassRow[] {
  return [...counts].map(([key, count]) => ({ key, count, target: target(key) })).sort(byKey);
}
