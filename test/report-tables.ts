// Reads the A/B section of a report file back as numbers, from its HTML as a reader's browser gets it: each table's
// rows (data-statistic or data-id), each number cell's full double (data-value; intervals data-lo / data-hi), and the
// coverage and label-change lines' data attributes. Shared by the CLI tests and the page's e2e, which compare these
// with `predlens compare --json`.

/** A number as the JSON of `predlens compare` has it: null for an empty cell (an undefined statistic). */
const value = (s: string | undefined): number | null => (s === undefined || s === '' ? null : Number(s));

function attributes(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/([\w-]+)="([^"]*)"/g)) out[m[1]] = m[2];
  return out;
}

export interface CompareRow {
  key: string;
  name: string;
  a: number | null;
  b: number | null;
  delta: number | null;
  ci: [number | null, number | null];
  pBetter: number | null;
}

/** The rows of `data-table="<id>"` in file order. */
export function compareTable(html: string, id: string): CompareRow[] {
  const table = new RegExp(`<table [^>]*data-table="${id}"[^>]*>([\\s\\S]*?)</table>`).exec(html);
  if (!table) throw new Error(`the report has no table ${id}`);
  const rows: CompareRow[] = [];
  for (const tr of table[1].matchAll(/<tr ([^>]*)>([\s\S]*?)<\/tr>/g)) {
    const row = attributes(tr[1]);
    const cells: Record<string, Record<string, string>> = {};
    for (const td of tr[2].matchAll(/<td ([^>]*data-col="[^"]*"[^>]*)>/g)) {
      const a = attributes(td[1]);
      cells[a['data-col']] = a;
    }
    rows.push({
      key: row['data-statistic'] ?? row['data-id'],
      name: row['data-class'] ?? row['data-statistic'],
      a: value(cells.a?.['data-value']),
      b: value(cells.b?.['data-value']),
      delta: value(cells.delta?.['data-value']),
      ci: [value(cells.ci?.['data-lo']), value(cells.ci?.['data-hi'])],
      pBetter: value(cells.p?.['data-value']),
    });
  }
  return rows;
}

/** The data attributes of the element with `data-<name>` (="<is>" when given), as numbers where they are. */
export function dataOf(html: string, name: string, is?: string): Record<string, number | string> {
  const attr = `data-${name}${is === undefined ? '' : `="${is}"`}`;
  const m = new RegExp(`<\\w+ ([^>]*\\b${attr}(?=[ =>])[^>]*)>`).exec(html);
  if (!m) throw new Error(`the report has no element with ${attr}`);
  const out: Record<string, number | string> = {};
  for (const [k, v] of Object.entries(attributes(m[1]))) {
    if (!k.startsWith('data-')) continue;
    out[k.slice(5)] = v !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
  }
  return out;
}

/** A difference of `predlens compare --json` (ci and pBetter null where undefined) as a row's numbers. */
export const jsonDifference = (d: {
  a: number | null;
  b: number | null;
  delta: number | null;
  ci: (number | null)[];
  pBetter: number | null;
}) => ({
  a: d.a,
  b: d.b,
  delta: d.delta,
  ci: [d.ci[0], d.ci[1]],
  pBetter: d.pBetter,
});

export const rowDifference = (r: CompareRow) => ({ a: r.a, b: r.b, delta: r.delta, ci: r.ci, pBetter: r.pBetter });
