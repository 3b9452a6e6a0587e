// Colours for charts: a class's ontology colour, a lighter tint of it, and a fallback for classes that have none
// (classification options).

/** Distinct fallbacks, used in order for classes without an ontology colour. */
const FALLBACK = ['#5658dd', '#e27300', '#16a394', '#c8283f', '#8e44ad', '#2e86de', '#a86600', '#4b5563'];

export function classColour(color: string | undefined, index: number): string {
  return color && /^#[0-9a-f]{6}$/i.test(color.trim()) ? color.trim() : FALLBACK[index % FALLBACK.length];
}

/** `#rrggbb` at an opacity, as rgba(). */
export function withAlpha(hex: string, alpha: number): string {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) return hex;
  const n = parseInt(m[1], 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
