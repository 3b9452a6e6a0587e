// Shared by the compare tests: the inputs and pycocotools' / numpy's answers in test/fixtures/compare
// (scripts/fixtures/compare_reference.py; see that folder's README).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fixture, REPO_ROOT } from '../fixtures.ts';

export const COMPARE_DIR = resolve(REPO_ROOT, 'test/fixtures/compare');

export const readCompare = (name: string) => JSON.parse(readFileSync(resolve(COMPARE_DIR, name), 'utf8'));
export const readShared = (...parts: string[]) => JSON.parse(readFileSync(fixture(...parts), 'utf8'));

export interface CaseAnswers {
  compared?: number[];
  onlyA?: number;
  onlyB?: number;
  alone?: { a: number[]; b: number[] };
  a: { stats: number[]; perClass: Record<string, number | null> };
  b: { stats: number[]; perClass: Record<string, number | null> };
  changes: Record<
    string,
    {
      fixed: number[];
      broken: number[];
      images: { imageId: number; fixed: number; broken: number; fpA: number; fpB: number }[];
    }
  >;
}

export const reference = readCompare('reference.json');

/** A JSON answer (null for NaN) as the number it stands for. */
export const num = (v: number | null) => (v === null ? NaN : v);
