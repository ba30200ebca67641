import { createHash } from 'node:crypto';

/** A small deterministic PRNG (mulberry32): the same seed always gives the same sequence. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A 32-bit number from any seed text, to start a PRNG or prefix ids. */
export function seedNumber(seed: string): number {
  return createHash('sha256').update(seed).digest().readUInt32BE(0);
}

/**
 * Ids for generated records: UUID-shaped (version 4 and variant bits set), unique per
 * (seed, kind, index), and cheap enough for millions of rows (no hashing per id).
 */
export function idMaker(seed: string): (kind: number, index: number) => string {
  const prefix = createHash('sha256').update(`medcollab-scale:${seed}`).digest('hex').slice(0, 8);
  return (kind, index) => {
    const k = kind.toString(16).padStart(4, '0');
    const hi = Math.floor(index / 0x1000000);
    const lo = index % 0x1000000;
    return `${prefix}-${k}-4${(hi & 0xfff).toString(16).padStart(3, '0')}-8${((hi >> 12) & 0xfff).toString(16).padStart(3, '0')}-${lo
      .toString(16)
      .padStart(12, '0')}`;
  };
}

export const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;

/** Fisher–Yates with the given source; returns a new array. */
export function shuffled<T>(rand: () => number, xs: readonly T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
