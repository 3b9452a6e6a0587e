// The exported tables' columns are a public contract written in the README ("Export results"): the table there must
// list exactly the columns, in order, that the table specs write. And the version reports name is package.json's.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TABLE_SPECS } from '../../src/core/export/index.ts';
import { PREDLENS_VERSION } from '../../src/core/version.ts';
import { REPO_ROOT } from '../fixtures.ts';

const readme = readFileSync(`${REPO_ROOT}/README.md`, 'utf8');
const section = readme.slice(
  readme.indexOf('## Export results'),
  readme.indexOf('\n## ', readme.indexOf('## Export results') + 1),
);

/** The README's "--table | columns" rows: table name -> column names. */
function readmeColumns(): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of section.split('\n')) {
    const m = /^\| `([^`]+)` \| (`.+`) \|$/.exec(line);
    if (m)
      rows.set(
        m[1],
        [...m[2].matchAll(/`([^`]+)`/g)].map((x) => x[1]),
      );
  }
  return rows;
}

describe('the README documents the export tables', () => {
  const documented = readmeColumns();
  const names = (spec: { columns: readonly { name: string }[] }) => spec.columns.map((c) => c.name);
  const pairs: [string, { columns: readonly { name: string }[] }][] = [
    ['per-class', TABLE_SPECS['per-class (active)']],
    ['per-class --mode coco', TABLE_SPECS['per-class (coco)']],
    ['coco-stats', TABLE_SPECS['coco-stats']],
    ['matches', TABLE_SPECS.matches],
    ['images', TABLE_SPECS.images],
    ['bins', TABLE_SPECS.bins],
  ];
  for (const [table, spec] of pairs) {
    it(`--table ${table}: the same columns in the same order`, () => {
      expect(documented.get(table)).toEqual(names(spec));
    });
  }
  it('lists no table the CLI does not write', () => {
    expect([...documented.keys()].sort()).toEqual(pairs.map(([t]) => t).sort());
  });
});

describe('version', () => {
  it('is package.json’s', () => {
    expect(PREDLENS_VERSION).toBe(JSON.parse(readFileSync(`${REPO_ROOT}/package.json`, 'utf8')).version);
  });
});
