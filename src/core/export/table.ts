// One exported table: named columns (a public contract, documented in the README) and rows of plain cells, written
// as CSV (RFC 4180) or JSON. The page's Download buttons and `predlens export` both go through here, so a table
// downloaded from a view and the same table from the CLI are the same bytes.
//
//   const table = buildTable(MATCHES, rows);     // a TableSpec says each column's name and how a row fills it
//   toCsv(table)                                 // header row, CRLF, quoted where RFC 4180 needs it
//   toJson(table)                                // [{"column": value, ...}, ...], NaN as null

/** A cell: numbers keep full double precision (the shortest text that reads back to the same double). */
export type Cell = string | number | null | undefined;

export interface Column<R> {
  name: string;
  /** One line for the README: what the column holds. */
  doc: string;
  value: (row: R) => Cell;
}

export interface TableSpec<R> {
  /** The table's name on the command line (`--table <id>`) and in file names. */
  id: string;
  title: string;
  /** What one row is. */
  doc: string;
  columns: readonly Column<R>[];
}

export interface Table {
  id: string;
  columns: string[];
  rows: Cell[][];
}

export type TableFormat = 'csv' | 'json';

export function buildTable<R>(spec: TableSpec<R>, rows: Iterable<R>): Table {
  const out: Cell[][] = [];
  for (const row of rows) out.push(spec.columns.map((c) => c.value(row)));
  return { id: spec.id, columns: spec.columns.map((c) => c.name), rows: out };
}

/** A number as text: the shortest decimal that reads back to the same double; NaN and infinities stay empty. */
function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  return cell;
}

/** RFC 4180: a field with a comma, a quote, CR or LF is quoted, and its quotes are doubled. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Header row, then one line per row, each ending in CRLF (RFC 4180). */
export function toCsv(table: Table): string {
  const lines = [table.columns.map(csvField).join(',')];
  for (const row of table.rows) lines.push(row.map((c) => csvField(cellText(c))).join(','));
  return lines.join('\r\n') + '\r\n';
}

/** An array of objects keyed by the column names, in column order; a number that is not finite, and no value, are null. */
export function toJson(table: Table): string {
  const objects = table.rows.map((row) => {
    const o: Record<string, string | number | null> = {};
    table.columns.forEach((name, i) => {
      const c = row[i];
      o[name] = c === undefined || (typeof c === 'number' && !Number.isFinite(c)) ? null : c;
    });
    return o;
  });
  return JSON.stringify(objects, null, 2) + '\n';
}

export function writeTable(table: Table, format: TableFormat): string {
  return format === 'csv' ? toCsv(table) : toJson(table);
}

export const TABLE_MIME: Record<TableFormat, string> = {
  csv: 'text/csv;charset=utf-8',
  json: 'application/json',
};

/** Parses CSV as toCsv writes it (RFC 4180 quoting): the header and the rows as strings. For tests and round trips. */
export function parseCsv(text: string): { columns: string[]; rows: string[][] } {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += ch;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  const [columns = [], ...rows] = records;
  return { columns, rows };
}
