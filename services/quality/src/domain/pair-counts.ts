/**
 * Counts keyed by a pair of small non-negative integers (a cell and an evaluator, a cell and a
 * distribution bucket), in typed arrays with open addressing (ADR 0052): no object or Map per
 * cell, so a rebuild's millions of (cell, evaluator) counts cost a few bytes each and a probe, and
 * the garbage collector has nothing to trace. Read back grouped by the first integer (`grouped`).
 */
export class PairCounts {
  /** First integer + 1 (0: the slot is free). */
  private firsts: Int32Array;
  private seconds: Int32Array;
  private counts: Int32Array;
  private mask: number;
  private used = 0;

  constructor(capacity = 1024) {
    const size = 2 ** Math.ceil(Math.log2(Math.max(16, capacity)));
    this.firsts = new Int32Array(size);
    this.seconds = new Int32Array(size);
    this.counts = new Int32Array(size);
    this.mask = size - 1;
  }

  /** Pairs held (a pair whose count went back to 0 still counts here, and is left out by `grouped`). */
  get size(): number {
    return this.used;
  }

  add(first: number, second: number, by: number): void {
    const firsts = this.firsts;
    const tag = first + 1;
    let slot = pairHash(first, second) & this.mask;
    for (;;) {
      const held = firsts[slot]!;
      if (held === 0) break;
      if (held === tag && this.seconds[slot] === second) {
        this.counts[slot]! += by;
        return;
      }
      slot = (slot + 1) & this.mask;
    }
    firsts[slot] = tag;
    this.seconds[slot] = second;
    this.counts[slot] = by;
    // Linear probing stays short below half full.
    if (++this.used * 2 > firsts.length) this.grow();
  }

  /** The count of a pair (0 when absent). */
  get(first: number, second: number): number {
    const tag = first + 1;
    let slot = pairHash(first, second) & this.mask;
    for (;;) {
      const held = this.firsts[slot]!;
      if (held === 0) return 0;
      if (held === tag && this.seconds[slot] === second) return this.counts[slot]!;
      slot = (slot + 1) & this.mask;
    }
  }

  /**
   * The non-zero pairs grouped by their first integer (below `firsts`): those of `f` are
   * `seconds[offsets[f]]` … `seconds[offsets[f + 1] - 1]` with their `counts`, in no particular order.
   */
  grouped(firsts: number): { offsets: Int32Array; seconds: Int32Array; counts: Int32Array } {
    const offsets = new Int32Array(firsts + 1);
    const tags = this.firsts;
    for (let slot = 0; slot < tags.length; slot++) if (tags[slot] !== 0 && this.counts[slot] !== 0) offsets[tags[slot]!]! += 1;
    for (let f = 0; f < firsts; f++) offsets[f + 1]! += offsets[f]!;
    const next = offsets.slice(0, firsts);
    const seconds = new Int32Array(offsets[firsts]!);
    const counts = new Int32Array(offsets[firsts]!);
    for (let slot = 0; slot < tags.length; slot++) {
      if (tags[slot] === 0 || this.counts[slot] === 0) continue;
      const at = next[tags[slot]! - 1]!++;
      seconds[at] = this.seconds[slot]!;
      counts[at] = this.counts[slot]!;
    }
    return { offsets, seconds, counts };
  }

  /** Sets to 0 (and returns) the pairs whose first integer `take` accepts. */
  takeWhere(take: (first: number) => boolean): { first: number; second: number; count: number }[] {
    const out: { first: number; second: number; count: number }[] = [];
    for (let slot = 0; slot < this.firsts.length; slot++) {
      const tag = this.firsts[slot]!;
      if (tag === 0 || this.counts[slot] === 0 || !take(tag - 1)) continue;
      out.push({ first: tag - 1, second: this.seconds[slot]!, count: this.counts[slot]! });
      this.counts[slot] = 0;
    }
    return out;
  }

  private grow(): void {
    const { firsts, seconds, counts } = this;
    const size = firsts.length * 2;
    this.firsts = new Int32Array(size);
    this.seconds = new Int32Array(size);
    this.counts = new Int32Array(size);
    this.mask = size - 1;
    for (let old = 0; old < firsts.length; old++) {
      const tag = firsts[old]!;
      if (tag === 0) continue;
      let slot = pairHash(tag - 1, seconds[old]!) & this.mask;
      while (this.firsts[slot] !== 0) slot = (slot + 1) & this.mask;
      this.firsts[slot] = tag;
      this.seconds[slot] = seconds[old]!;
      this.counts[slot] = counts[old]!;
    }
  }
}

/** Murmur3's mixing of two 32-bit integers: neighbouring pairs land far apart. */
export function pairHash(a: number, b: number): number {
  return finalMix(mixIn(mixIn(0x2545f491, a), b));
}

/** One 32-bit word into a running Murmur3 hash. */
export function mixIn(h: number, word: number): number {
  let k = Math.imul(word, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** Murmur3's finalizer: every input bit reaches every output bit. */
export function finalMix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
