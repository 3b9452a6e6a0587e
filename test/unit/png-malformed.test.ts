// Malformed PNG class masks, one case each: every one is refused quickly with a message naming the file and what is
// wrong, before any buffer of the claimed size exists (an absurd IHDR once made a decode run out of memory).
import { describe, expect, it } from 'vitest';
import { decodeClassMask } from '../../src/core/png.ts';
import { good, pngMaskCases as cases } from '../malformed/cases/png-masks.ts';

describe('malformed class-mask PNGs are refused by name', () => {
  it('the undamaged file decodes (the cases below differ from it in one defect each)', () => {
    expect(decodeClassMask(good(), 'ok.png').values.length).toBe(48);
  });
  for (const [name, make, says] of cases) {
    // A hang or an allocation of the claimed size would show as this test's timeout.
    it(name, { timeout: 5000 }, () => {
      const bytes = make();
      let message = '';
      try {
        decodeClassMask(bytes, 'masks/frame_7.png');
      } catch (err) {
        message = err instanceof Error ? err.message : String(err);
      }
      expect(message).toMatch(/^masks\/frame_7\.png: /);
      expect(message).toMatch(says);
      expect(message).not.toMatch(/TypeError|undefined|Cannot read/);
    });
  }
});
