// Numbers in text formats (KITTI, YOLO, CSV), read by one strict decimal grammar:
//   [+-] digits [. digits] [e|E [+-] digits]    or    [+-] . digits [exponent]
// Number() alone would take "0x10" (16), "" (0), " " (0), "Infinity" and "1_0"-free oddities; none of those is a
// coordinate a model wrote, so they are refused with the field quoted. A decimal that overflows ("1e400") is
// not finite and refused too.
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The field's value, or undefined when it is not a finite decimal number. */
export function parseDecimal(field: string | undefined): number | undefined {
  if (field === undefined || !DECIMAL.test(field)) return undefined;
  const value = Number(field);
  return Number.isFinite(value) ? value : undefined;
}

/** True for a whole number written as digits only ("0", "12"; not "1.0", "+1", "1e2"). */
export function isIndex(field: string): boolean {
  return /^\d+$/.test(field) && Number.isSafeInteger(Number(field));
}

/** Why a field is not a number, for a rejection ("field 3 is "0x10", not a decimal number"). */
export function notDecimal(field: string | undefined): string {
  if (field === undefined || field === '') return 'empty, not a number';
  return `${JSON.stringify(field)}, not a decimal number`;
}

/** A data unit's size is usable for pixel geometry: positive, finite, whole. */
export function usableSize(width: number, height: number): boolean {
  return (
    Number.isSafeInteger(width) && Number.isSafeInteger(height) && width > 0 && height > 0 && width * height < 2 ** 32
  );
}

/**
 * Normalised coordinates further out than this are not a box sticking out of the image but a unit mistake or
 * garbage (a 1e308-wide box): the record is refused instead of clipped.
 */
export const ABSURD_LIMIT: readonly [number, number] = [-1, 2];

export const isAbsurd = (v: number) => !(v >= ABSURD_LIMIT[0] && v <= ABSURD_LIMIT[1]);
