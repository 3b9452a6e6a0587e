import { describe, expect, it } from 'vitest';
import { carriedParams } from '../../src/ui/routes.ts';

describe('moving between pages', () => {
  const params = new URLSearchParams({ run: 'r1', iou: '0.75', frames: '1', class: 'abc', tab: 'fp', page: '3' });

  it('keeps the run, IoU, frames toggle and class filter between Model pages', () => {
    expect(carriedParams('model-quality', 'explorer', params)).toEqual({
      run: 'r1',
      iou: '0.75',
      frames: '1',
      class: 'abc',
    });
    expect(carriedParams('explorer', 'performance', params)).toEqual({
      run: 'r1',
      iou: '0.75',
      frames: '1',
      class: 'abc',
    });
  });

  it('starts Project pages and the same page afresh', () => {
    expect(carriedParams('model-quality', 'overview', params)).toBeUndefined();
    expect(carriedParams('images', 'model-quality', params)).toBeUndefined();
    expect(carriedParams('explorer', 'explorer', params)).toBeUndefined();
  });

  it("keeps a dataset's split on every page", () => {
    const withSplit = new URLSearchParams({ run: 'r1', split: 'val2017', page: '2' });
    expect(carriedParams('model-quality', 'overview', withSplit)).toEqual({ split: 'val2017' });
    expect(carriedParams('images', 'images', withSplit)).toEqual({ split: 'val2017' });
    expect(carriedParams('model-quality', 'explorer', withSplit)).toEqual({ run: 'r1', split: 'val2017' });
  });
});
