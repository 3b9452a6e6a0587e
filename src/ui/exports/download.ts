// Files leave the page as downloads, never uploads: a Blob behind an <a download> click, its URL revoked once the
// browser has taken it.
import { TABLE_MIME, writeTable, type Table, type TableFormat } from '../../core/export/table.ts';

export function saveFile(name: string, data: string | Uint8Array | Blob, mime: string): void {
  const blob = data instanceof Blob ? data : new Blob([data as BlobPart], { type: mime });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started from the click; the URL is not needed past this task.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A table as CSV or JSON, written by the same code as `predlens export --table`. */
export function saveTable(table: Table, format: TableFormat, stem: string): void {
  saveFile(`${stem}.${format}`, writeTable(table, format), TABLE_MIME[format]);
}
