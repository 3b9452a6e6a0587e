// The keys of the Images and Explorer grids: where each one moves the focus in a grid of 7 cards, 3 to a row.
import { describe, expect, it } from 'vitest';
import { gridMove } from '../../src/ui/images/grid-keys.ts';

describe('gridMove', () => {
  it('moves by one card sideways and by a row up and down, and nowhere past the edge', () => {
    expect(gridMove('ArrowRight', 4, 7, 3)).toEqual({ card: 5 });
    expect(gridMove('ArrowLeft', 4, 7, 3)).toEqual({ card: 3 });
    expect(gridMove('ArrowDown', 1, 7, 3)).toEqual({ card: 4 });
    expect(gridMove('ArrowUp', 4, 7, 3)).toEqual({ card: 1 });
    expect(gridMove('ArrowDown', 4, 7, 3)).toEqual({ card: undefined });
    expect(gridMove('ArrowLeft', 0, 7, 3)).toEqual({ card: undefined });
  });

  it('goes to the first and last card, turns pages, and leaves other keys alone', () => {
    expect(gridMove('Home', 5, 7, 3)).toEqual({ card: 0 });
    expect(gridMove('End', 0, 7, 3)).toEqual({ card: 6 });
    expect(gridMove('PageDown', 0, 7, 3)).toEqual({ page: 1 });
    expect(gridMove('PageUp', 0, 7, 3)).toEqual({ page: -1 });
    expect(gridMove('Enter', 0, 7, 3)).toBeUndefined();
    expect(gridMove('a', 0, 7, 3)).toBeUndefined();
  });
});
