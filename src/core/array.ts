// Appending large arrays: `a.push(...b)` passes every element as an argument and overflows the stack past ~100k.

export function pushAll<T>(target: T[], items: readonly T[]): T[] {
  for (let i = 0; i < items.length; i++) target.push(items[i]);
  return target;
}
