// The result arena: one growable, pinned byte buffer for outputs whose size a kernel learns while it runs.
// A kernel calls arenaReserve(bytes) before writing, and the caller reads from resultPtr() after the call.

let arenaPtr: usize = 0;
let arenaCap: usize = 0;

/** Makes sure the arena holds at least `bytes` bytes and returns its start. Keeps `keepBytes` of old content. */
export function arenaReserve(bytes: usize, keepBytes: usize): usize {
  if (bytes <= arenaCap) return arenaPtr;
  let cap = arenaCap < 4096 ? <usize>4096 : arenaCap;
  while (cap < bytes) cap <<= 1;
  const next = __pin(__new(cap, idof<ArrayBuffer>()));
  if (arenaPtr != 0) {
    if (keepBytes > 0) memory.copy(next, arenaPtr, keepBytes);
    __unpin(arenaPtr);
  }
  arenaPtr = next;
  arenaCap = cap;
  return next;
}

/** Where the last kernel that used the arena wrote its result. */
export function resultPtr(): usize {
  return arenaPtr;
}
