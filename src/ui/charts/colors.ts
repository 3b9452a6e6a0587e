// Colours for charts and canvases: a class's ontology colour, a lighter tint of it, a fallback for classes that have
// none (classification options), and `#rrggbb` read as numbers.

/** Distinct fallbacks, used in order for classes without an ontology colour. */
const FALLBACK = ['#5658dd', '#e27300', '#16a394', '#c8283f', '#8e44ad', '#2e86de', '#a86600', '#4b5563'];

export function classColour(color: string | undefined, index: number): string {
  return color && /^#[0-9a-f]{6}$/i.test(color.trim()) ? color.trim() : FALLBACK[index % FALLBACK.length];
}

/** `#rrggbb` (or `rrggbb`) as red, green and blue 0..255; undefined for anything else. */
export function hexRgb(hex: string): [number, number, number] | undefined {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) return undefined;
  const n = parseInt(m[1], 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** `#rrggbb` at an opacity, as rgba(). */
export function withAlpha(hex: string, alpha: number): string {
  const rgb = hexRgb(hex);
  return rgb ? `rgba(${rgb[0]}, ${rgb[1]}, ${rgb[2]}, ${alpha})` : hex;
}

/**
 * True for colours a white page swallows (WCAG relative luminance above 0.8: white, ivory, pale yellow...): their
 * swatches and bars get an outline so they still show. Colours that are not `#rrggbb` count as dark.
 */
export function isLightColour(color: string | undefined): boolean {
  const rgb = color ? hexRgb(color) : undefined;
  if (!rgb) return false;
  const linear = rgb.map((v) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2] > 0.8;
}
