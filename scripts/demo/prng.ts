// A small seeded PRNG (mulberry32) and the identifiers Encord writes, drawn from it: the demo must come out
// byte-identical on every run, so nothing here reads the clock or Math.random.

export class Rng {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** A child generator whose stream does not depend on how much of this one is used later. */
  fork(salt: number): Rng {
    return new Rng(Math.imul((this.#state ^ salt) >>> 0, 2654435761) ^ salt);
  }
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** An 8-character hash like Encord's objectHash / featureNodeHash ("XO9aOmE8"). */
export function shortHash(rng: Rng): string {
  let s = '';
  for (let i = 0; i < 8; i++) s += ALNUM[rng.int(0, ALNUM.length - 1)];
  return s;
}

/** A version-4 UUID string, as Encord uses for label, data and dataset hashes. */
export function uuid4(rng: Rng): string {
  const b = Array.from({ length: 16 }, () => rng.int(0, 255));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
