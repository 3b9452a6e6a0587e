// The keys a dataset's data units and label rows get. A dataset has no data hashes of its own, so each image gets
// a UUID-shaped digest of where it comes from (its annotation file and image id for COCO, its path for YOLO and
// VOC). The digest is deterministic, so the same folder gives the same keys on every opening and for every split
// chosen, which keeps stored runs and cached metrics valid; and it is lower case, as the project's lookups by data
// hash (byDataHash) expect, while file names differing only in case (IMG_1.jpg, img_1.jpg) stay apart.

/** A 128-bit digest of `text` (MurmurHash3-style mixing of its UTF-16 code units), as a lower-case UUID string. */
export function datasetKey(text: string): string {
  let h1 = 0x9747b28c,
    h2 = 0x2f6d5e1b,
    h3 = 0x7a3c91d5,
    h4 = 0x51ed270b;
  const c1 = 0x239b961b,
    c2 = 0xab0e9789,
    c3 = 0x38b34ae5,
    c4 = 0xa1e38b93;
  const n = text.length;
  // Two code units per 32-bit lane, four lanes per block.
  const lane = (i: number) => (i < n ? text.charCodeAt(i) : 0) | ((i + 1 < n ? text.charCodeAt(i + 1) : 0) << 16);
  const blocks = Math.ceil(n / 8);
  for (let b = 0; b < blocks; b++) {
    const at = b * 8;
    let k1 = lane(at),
      k2 = lane(at + 2),
      k3 = lane(at + 4),
      k4 = lane(at + 6);
    k1 = Math.imul(rotl(Math.imul(k1, c1), 15), c2);
    h1 ^= k1;
    h1 = rotl(h1, 19) + h2;
    h1 = (Math.imul(h1, 5) + 0x561ccd1b) | 0;
    k2 = Math.imul(rotl(Math.imul(k2, c2), 16), c3);
    h2 ^= k2;
    h2 = rotl(h2, 17) + h3;
    h2 = (Math.imul(h2, 5) + 0x0bcaa747) | 0;
    k3 = Math.imul(rotl(Math.imul(k3, c3), 17), c4);
    h3 ^= k3;
    h3 = rotl(h3, 15) + h4;
    h3 = (Math.imul(h3, 5) + 0x96cd1c35) | 0;
    k4 = Math.imul(rotl(Math.imul(k4, c4), 18), c1);
    h4 ^= k4;
    h4 = rotl(h4, 13) + h1;
    h4 = (Math.imul(h4, 5) + 0x32ac3b17) | 0;
  }
  h1 ^= n;
  h2 ^= n;
  h3 ^= n;
  h4 ^= n;
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h3 = fmix(h3);
  h4 = fmix(h4);
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  const hex = [h1, h2, h3, h4].map((h) => (h >>> 0).toString(16).padStart(8, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}
