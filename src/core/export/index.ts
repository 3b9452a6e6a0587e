// Results out: the tables every view shows (one spec per table: its columns, defined once), the run in other
// tools' formats, subsets of the images, and the store-only zip the browser hands folders out in.
//
//   toCsv(buildTable(MATCHES, matchRows(activeMatchInput(project, prepared, score))))
//   cocoResults(kernels, project, predictions).value       // COCO results JSON records
//   cocoSubset(kernels, project, refs, { predictions })     // a COCO dataset of some images (+ their predictions)
import { BINS } from './bins.ts';
import { IMAGES } from './images.ts';
import { MATCHES } from './matches.ts';
import { COCO_STATS, PER_CLASS_ACTIVE, PER_CLASS_COCO } from './scores.ts';

export * from './table.ts';
export * from './identity.ts';
export * from './match-input.ts';
export * from './matches.ts';
export * from './images.ts';
export * from './scores.ts';
export * from './bins.ts';
export * from './coco-ids.ts';
export * from './predictions.ts';
export * from './subsets.ts';
export * from './zip.ts';

/** Every table a user can take out, by the name `--table` takes (per-class has a column set per mode). */
export const TABLE_IDS = ['per-class', 'coco-stats', 'matches', 'images', 'bins'] as const;
export type TableId = (typeof TABLE_IDS)[number];

/** Each table's column specs, the public contract the README lists. */
export const TABLE_SPECS = {
  'per-class (active)': PER_CLASS_ACTIVE,
  'per-class (coco)': PER_CLASS_COCO,
  'coco-stats': COCO_STATS,
  matches: MATCHES,
  images: IMAGES,
  bins: BINS,
} as const;

/** A file name's stem from its parts: lower case, anything but letters, digits and dots made a dash. */
export function exportStem(parts: readonly (string | undefined)[]): string {
  const stem = parts
    .filter((p): p is string => !!p)
    .map((p) =>
      p
        .toLowerCase()
        .replace(/[^a-z0-9.]+/g, '-')
        .replace(/^-+|-+$/g, ''),
    )
    .filter(Boolean)
    .join('-');
  return stem || 'predlens';
}
export * from './tide-types.ts';
