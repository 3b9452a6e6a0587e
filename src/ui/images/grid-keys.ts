// The keys of a grid of cards (Images, Explorer): arrows move between cards, Home and End go to the first and the
// last, PageUp and PageDown turn the page. One card is in the tab order; the grid listens for the keys.

/** What a key does: focus card `card` (none when the move leaves the grid), or turn the page by `page`. */
export type GridMove = { card: number | undefined } | { page: 1 | -1 };

/** The move for `key` from card `active` of `count`, `columns` to a row; undefined for a key the grid ignores. */
export function gridMove(key: string, active: number, count: number, columns: number): GridMove | undefined {
  const steps: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -columns, ArrowDown: columns };
  if (key in steps) {
    const next = active + steps[key];
    return { card: next >= 0 && next < count ? next : undefined };
  }
  if (key === 'Home') return { card: 0 };
  if (key === 'End') return { card: count - 1 };
  if (key === 'PageDown' || key === 'PageUp') return { page: key === 'PageDown' ? 1 : -1 };
  return undefined;
}
