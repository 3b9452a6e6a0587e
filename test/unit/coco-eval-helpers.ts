// Shared helpers for the COCO evaluation tests: fixture reading and C-order flattening of nested lists.
import { readFileSync } from 'node:fs';
import { fixture } from '../fixtures.ts';

export function readJson(...parts: string[]): any {
  return JSON.parse(readFileSync(fixture(...parts), 'utf8'));
}

/** A nested list flattened in C order (numpy's ravel). */
export function flatten(a: unknown): number[] {
  return Array.isArray(a) ? a.flatMap(flatten) : [a as number];
}

/** Index of element [i0, i1, ...] in a C-order array of the given shape. */
export function cIndex(shape: number[], index: number[]): number {
  return index.reduce((at, v, d) => at * shape[d] + (v < 0 ? shape[d] + v : v), 0);
}
