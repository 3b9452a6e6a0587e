// Image sizes from file headers, so opening a dataset never decodes its images: PNG IHDR, JPEG SOFn (baseline,
// progressive, lossless), GIF, BMP, WebP (VP8, VP8L, VP8X), TIFF and DNG (the full-resolution IFD), JPEG 2000
// (ihdr) and HEIC/AVIF (ispe). EXIF orientation is not applied (the spec's choice).
import { readHead, type FileTree } from '../file-tree.ts';

export interface ImageSize {
  width: number;
  height: number;
}

/** What a header gave: the size, 'more' when the bytes end before the size, undefined when not understood. */
export type HeaderSize = ImageSize | 'more' | undefined;

/** How much of a file is read first; a JPEG with a large EXIF block may need the whole file. */
export const HEAD_BYTES = 65536;

/** Reads the size of the image at `path` from its header (the first bytes, or the whole file when needed). */
export async function readImageSize(tree: FileTree, path: string): Promise<ImageSize | undefined> {
  const head = await readHead(tree, path, HEAD_BYTES);
  const size = headerSize(head);
  if (size !== 'more') return size;
  if (head.length < HEAD_BYTES) return undefined; // the whole file was read and ends early
  const all = await tree.readBytes(path);
  const again = headerSize(all);
  return again === 'more' ? undefined : again;
}

export function headerSize(b: Uint8Array): HeaderSize {
  if (b.length < 4) return b.length === 0 ? undefined : 'more';
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return png(b);
  if (b[0] === 0xff && b[1] === 0xd8) return jpeg(b);
  if (b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46) return b.length < 10 ? 'more' : size(u16le(b, 6), u16le(b, 8));
  if (b[0] === 0x42 && b[1] === 0x4d) return bmp(b);
  if (ascii(b, 0, 4) === 'RIFF') return webp(b);
  if ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a) || (b[0] === 0x4d && b[1] === 0x4d && b[3] === 0x2a)) {
    return tiff(b);
  }
  if (b.length >= 12 && ascii(b, 4, 8) === 'jP  ') return isoBoxes(b, 0, b.length, 'jp2');
  if (b.length >= 12 && ascii(b, 4, 8) === 'ftyp') return isoBoxes(b, 0, b.length, 'heif');
  return undefined;
}

const u16le = (b: Uint8Array, i: number) => b[i] | (b[i + 1] << 8);
const u16be = (b: Uint8Array, i: number) => (b[i] << 8) | b[i + 1];
const u32be = (b: Uint8Array, i: number) => ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
const u32le = (b: Uint8Array, i: number) => ((b[i + 3] << 24) | (b[i + 2] << 16) | (b[i + 1] << 8) | b[i]) >>> 0;
const ascii = (b: Uint8Array, from: number, to: number) => String.fromCharCode(...b.subarray(from, to));

function size(width: number, height: number): HeaderSize {
  return width > 0 && height > 0 ? { width, height } : undefined;
}

function png(b: Uint8Array): HeaderSize {
  if (b.length < 24) return 'more';
  if (ascii(b, 12, 16) !== 'IHDR') return undefined;
  return size(u32be(b, 16), u32be(b, 20));
}

function jpeg(b: Uint8Array): HeaderSize {
  let i = 2;
  for (;;) {
    // Markers may be padded with any number of 0xff bytes.
    while (i < b.length && b[i] === 0xff && b[i + 1] === 0xff) i++;
    if (i + 4 > b.length) return 'more';
    if (b[i] !== 0xff) return undefined;
    const marker = b[i + 1];
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2; // markers without a length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return undefined; // end of image, or scan data before any frame
    const length = u16be(b, i + 2);
    // SOF0..SOF15, except DHT (c4), JPG (c8) and DAC (cc).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (i + 9 > b.length) return 'more';
      return size(u16be(b, i + 7), u16be(b, i + 5));
    }
    if (length < 2) return undefined;
    i += 2 + length;
  }
}

function bmp(b: Uint8Array): HeaderSize {
  if (b.length < 26) return 'more';
  const header = u32le(b, 14);
  if (header === 12) return size(u16le(b, 18), u16le(b, 20)); // OS/2 BITMAPCOREHEADER
  const height = u32le(b, 22) | 0; // negative: rows stored top-down
  return size(u32le(b, 18) | 0, Math.abs(height));
}

function webp(b: Uint8Array): HeaderSize {
  if (b.length < 30) return 'more';
  if (ascii(b, 8, 12) !== 'WEBP') return undefined;
  const chunk = ascii(b, 12, 16);
  if (chunk === 'VP8 ') return size(u16le(b, 26) & 0x3fff, u16le(b, 28) & 0x3fff);
  if (chunk === 'VP8L') {
    const bits = u32le(b, 21);
    return size((bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  }
  if (chunk === 'VP8X') {
    const w = 1 + (b[24] | (b[25] << 8) | (b[26] << 16));
    const h = 1 + (b[27] | (b[28] << 8) | (b[29] << 16));
    return size(w, h);
  }
  return undefined;
}

/** TIFF (and DNG): the first IFD that is not a reduced-resolution preview, following SubIFDs. */
function tiff(b: Uint8Array): HeaderSize {
  const little = b[0] === 0x49;
  const u16 = (i: number) => (little ? u16le(b, i) : u16be(b, i));
  const u32 = (i: number) => (little ? u32le(b, i) : u32be(b, i));
  if (b.length < 8) return 'more';
  const visited = new Set<number>();
  const readIfd = (at: number): HeaderSize | { preview: ImageSize | undefined; subIfds: number[] } => {
    if (at + 2 > b.length) return 'more';
    const n = u16(at);
    if (at + 2 + n * 12 > b.length) return 'more';
    let width = 0;
    let height = 0;
    let subfileType = 0;
    const subIfds: number[] = [];
    for (let e = 0; e < n; e++) {
      const entry = at + 2 + e * 12;
      const tag = u16(entry);
      const type = u16(entry + 2);
      const count = u32(entry + 4);
      const value = type === 3 ? u16(entry + 8) : u32(entry + 8);
      if (tag === 256) width = value;
      else if (tag === 257) height = value;
      else if (tag === 254) subfileType = value;
      else if (tag === 330) {
        if (count === 1) subIfds.push(value);
        else if (value + 4 * count <= b.length) for (let k = 0; k < count; k++) subIfds.push(u32(value + 4 * k));
        else return 'more';
      }
    }
    const found = width > 0 && height > 0 ? { width, height } : undefined;
    if (found && (subfileType & 1) === 0) return found;
    return { preview: found, subIfds };
  };
  const search = (at: number): HeaderSize | 'preview' => {
    if (at === 0 || visited.has(at)) return undefined;
    visited.add(at);
    const r = readIfd(at);
    if (r === 'more' || r === undefined || !('subIfds' in r)) return r;
    for (const sub of r.subIfds) {
      const s = search(sub);
      if (s !== undefined && s !== 'preview') return s;
    }
    return r.preview ? 'preview' : undefined;
  };
  const first = u32(4);
  const found = search(first);
  if (found !== 'preview') return found;
  // Only previews were found: the first IFD's size is the best there is.
  const r = readIfd(first);
  return r && r !== 'more' && 'subIfds' in r ? r.preview : undefined;
}

/** ISO base media boxes: JPEG 2000's jp2h/ihdr, or HEIF's meta/iprp/ipco/ispe. */
function isoBoxes(b: Uint8Array, from: number, to: number, kind: 'jp2' | 'heif'): HeaderSize {
  let i = from;
  while (i + 8 <= to) {
    let length = u32be(b, i);
    const type = ascii(b, i + 4, i + 8);
    let header = 8;
    if (length === 1) {
      if (i + 16 > b.length) return 'more';
      length = u32be(b, i + 12); // 64-bit size; headers never need more than 4 GB
      header = 16;
    } else if (length === 0) length = to - i;
    const end = i + length;
    if (length < header) return undefined;
    if (kind === 'jp2' && type === 'jp2h') return isoBoxes(b, i + header, Math.min(end, b.length), kind);
    if (kind === 'jp2' && type === 'ihdr') return i + 16 > b.length ? 'more' : size(u32be(b, i + 12), u32be(b, i + 8));
    if (kind === 'heif' && type === 'meta') return isoBoxes(b, i + header + 4, Math.min(end, b.length), kind);
    if (kind === 'heif' && (type === 'iprp' || type === 'ipco')) {
      return isoBoxes(b, i + header, Math.min(end, b.length), kind);
    }
    if (kind === 'heif' && type === 'ispe')
      return i + 20 > b.length ? 'more' : size(u32be(b, i + 12), u32be(b, i + 16));
    if (end > b.length) return 'more';
    i = end;
  }
  return i >= b.length ? 'more' : undefined;
}
