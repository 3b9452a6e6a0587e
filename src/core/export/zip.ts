// A store-only ZIP writer (PKWARE APPNOTE 6.3.x: local headers, central directory, end record; no compression, no
// ZIP64), enough to hand a folder of small text files to the browser as one download. Names are UTF-8 (flag bit
// 11); every entry carries the same fixed date so the same files give the same bytes.

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// 1980-01-01 00:00, the earliest DOS date.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const UTF8_FLAG = 0x0800;
const MAX = 0xffffffff;

export interface ZipEntry {
  path: string;
  data: Uint8Array | string;
}

/** The entries as one .zip (stored, not deflated). Throws past ZIP's 4 GB and 65,535-entry limits. */
export function zipStore(entries: readonly ZipEntry[]): Uint8Array {
  if (entries.length > 0xffff)
    throw new RangeError(`a zip without ZIP64 holds at most 65,535 files, not ${entries.length}`);
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = encoder.encode(entry.path);
    const data = typeof entry.data === 'string' ? encoder.encode(entry.data) : entry.data;
    const crc = crc32(data);
    if (offset + 30 + name.length + data.length > MAX) throw new RangeError('the zip would pass 4 GB (no ZIP64)');

    const local = new Uint8Array(30 + name.length);
    const l = new DataView(local.buffer);
    l.setUint32(0, 0x04034b50, true);
    l.setUint16(4, 20, true); // version needed: 2.0
    l.setUint16(6, UTF8_FLAG, true);
    l.setUint16(8, 0, true); // stored
    l.setUint16(10, DOS_TIME, true);
    l.setUint16(12, DOS_DATE, true);
    l.setUint32(14, crc, true);
    l.setUint32(18, data.length, true);
    l.setUint32(22, data.length, true);
    l.setUint16(26, name.length, true);
    l.setUint16(28, 0, true);
    local.set(name, 30);

    const dir = new Uint8Array(46 + name.length);
    const d = new DataView(dir.buffer);
    d.setUint32(0, 0x02014b50, true);
    d.setUint16(4, 20, true); // made by: 2.0, MS-DOS attributes
    d.setUint16(6, 20, true);
    d.setUint16(8, UTF8_FLAG, true);
    d.setUint16(10, 0, true);
    d.setUint16(12, DOS_TIME, true);
    d.setUint16(14, DOS_DATE, true);
    d.setUint32(16, crc, true);
    d.setUint32(20, data.length, true);
    d.setUint32(24, data.length, true);
    d.setUint16(28, name.length, true);
    // extra, comment, disk, internal and external attributes stay 0
    d.setUint32(42, offset, true);
    dir.set(name, 46);

    parts.push(local, data);
    central.push(dir);
    offset += local.length + data.length;
  }
  const centralSize = central.reduce((n, c) => n + c.length, 0);
  const end = new Uint8Array(22);
  const e = new DataView(end.buffer);
  e.setUint32(0, 0x06054b50, true);
  e.setUint16(8, entries.length, true);
  e.setUint16(10, entries.length, true);
  e.setUint32(12, centralSize, true);
  e.setUint32(16, offset, true);

  const out = new Uint8Array(offset + centralSize + end.length);
  let at = 0;
  for (const p of [...parts, ...central, end]) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Reads a store-only zip back (entries in order): for tests and round trips. */
export function unzipStore(bytes: Uint8Array): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let endAt = bytes.length - 22;
  while (endAt >= 0 && view.getUint32(endAt, true) !== 0x06054b50) endAt--;
  if (endAt < 0) throw new Error('not a zip file: no end-of-central-directory record');
  const count = view.getUint16(endAt + 10, true);
  let at = view.getUint32(endAt + 16, true);
  const decoder = new TextDecoder();
  const out: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (view.getUint32(at, true) !== 0x02014b50) throw new Error(`zip central directory entry ${i} is damaged`);
    if (view.getUint16(at + 10, true) !== 0)
      throw new Error(`zip entry ${i} is compressed; only stored entries are read`);
    const size = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const extra = view.getUint16(at + 30, true);
    const comment = view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const path = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    const dataAt = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const data = bytes.slice(dataAt, dataAt + size);
    if (crc32(data) !== view.getUint32(at + 16, true)) throw new Error(`zip entry ${path}: CRC mismatch`);
    out.push({ path, data });
    at += 46 + nameLength + extra + comment;
  }
  return out;
}
