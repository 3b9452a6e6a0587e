// The failure summary in plain words: the (class, error type) pairs that cost the most AP, e.g. "Person: 38
// duplicate detections, 4.1 AP", and the class x error-type table of counts. The AP is the class's own dAP (its AP
// gained when that type is fixed, as tidecv's oracle computes it); the mean over classes gains about dAP / classes.
import { ERROR_INFO, MAIN_ERRORS, type MainError, type TideClass } from './types.ts';

export interface CostlyError {
  categoryId: number | string;
  className: string;
  type: MainError;
  /** Errors of the type that fall on the class: its detections (Cls: detections on its labels; Miss: its labels). */
  count: number;
  /** AP points the class gains when the type is fixed. */
  dAP: number;
  /** "Person: 38 duplicate detections, 4.1 AP". */
  text: string;
}

const COUNT_WORDS: Record<MainError, [string, string]> = {
  Cls: ['label found with the wrong class', 'labels found with the wrong class'],
  Loc: ['poorly localised detection', 'poorly localised detections'],
  Both: ['detection with wrong class and place', 'detections with wrong class and place'],
  Dupe: ['duplicate detection', 'duplicate detections'],
  Bkg: ['detection on background', 'detections on background'],
  Miss: ['missed label', 'missed labels'],
};

/** The count a summary line gives for a class and a type (Cls: by the labels' class, where the AP is won). */
export function errorCount(c: Pick<TideClass, 'counts' | 'clsTargets'>, type: MainError): number {
  return type === 'Cls' ? c.clsTargets : c.counts[type];
}

export function costlyText(className: string, type: MainError, count: number, dAP: number): string {
  const [one, many] = COUNT_WORDS[type];
  return `${className}: ${count.toLocaleString('en-US')} ${count === 1 ? one : many}, ${dAP.toFixed(1)} AP`;
}

/** The `limit` (class, type) pairs with the largest per-class dAP (> 0), largest first. */
export function costliestErrors(classes: readonly TideClass[], limit = 3): CostlyError[] {
  const all: CostlyError[] = [];
  for (const c of classes) {
    for (const type of MAIN_ERRORS) {
      const dAP = c.dAP[type];
      const count = errorCount(c, type);
      if (!(dAP > 0) || count === 0) continue;
      all.push({
        categoryId: c.categoryId,
        className: c.name,
        type,
        count,
        dAP,
        text: costlyText(c.name, type, count, dAP),
      });
    }
  }
  all.sort((a, b) => b.dAP - a.dAP || b.count - a.count);
  return all.slice(0, limit);
}

export { ERROR_INFO };
