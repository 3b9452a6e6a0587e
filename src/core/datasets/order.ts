// Orders the datasets' ids are numbered in. The spec numbers YOLO and VOC images in byte-wise UTF-8 order of
// their paths ("IMG_2" < "_a" < "img_1"), never in a locale's order. Code-point order is UTF-8 byte order; JS's
// own `<` compares UTF-16 code units, which differs for characters above U+FFFF against U+E000..U+FFFF.

/** Compares two strings by their UTF-8 bytes: negative, 0 or positive. */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (U+D800..U+DFFF) stand for code points above U+FFFF: they sort after every BMP character.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** Sorts a copy of `items` by the UTF-8 bytes of `key(item)`. */
export function sortUtf8<T>(items: Iterable<T>, key: (item: T) => string): T[] {
  return [...items].sort((a, b) => compareUtf8(key(a), key(b)));
}
