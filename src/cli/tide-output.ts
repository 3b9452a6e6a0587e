// The CLI's "tide" JSON (a public contract): tidecv's main and special dAPs in its units (AP points, 0-100), full
// doubles, plus its base AP and the error counts. null stands for NaN (no class at all), as JSON has no NaN.
import { MAIN_ERRORS, SPECIAL_ERRORS, type TideResult } from '../core/eval/tide/index.ts';

const num = (v: number) => (Number.isFinite(v) ? v : null);

export function tideJson(r: TideResult) {
  return {
    main: Object.fromEntries(MAIN_ERRORS.map((t) => [t, num(r.main[t])])),
    special: Object.fromEntries(SPECIAL_ERRORS.map((t) => [t, num(r.special[t])])),
    ap: num(r.ap),
    counts: { ...r.counts },
    mode: r.mode,
  };
}
