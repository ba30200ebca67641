import { createHash } from 'node:crypto';

/**
 * A bounded memo of protection systems by their content. A protected report recomputed after a
 * change (ADR 0020) solves one linear system per evaluation metric and item, but an event
 * changes the figures of one or two of them: every other system is identical to the one solved
 * before — same scope tree, same period tree, same evaluations and evaluators per position,
 * same published marks, same k — and so are its marks (protection is a pure function of that
 * content). Keyed by a digest of the content itself, so a hit can only return the marks the
 * solver would return again; least recently used entries go first.
 */
export class ContentMemo<T> {
  private readonly entries = new Map<string, { value: T; weight: number }>();
  private weight = 0;
  hits = 0;
  misses = 0;

  /**
   * At most `limit` entries and `maxWeight` in total (`weigh`: an entry's size, e.g. its marks:
   * a network's system holds far more than a hospital's).
   */
  constructor(
    private readonly limit: number,
    private readonly maxWeight = Infinity,
    private readonly weigh: (value: T) => number = () => 1,
  ) {}

  /** The digest of `parts` (strings joined with a separator none of them holds). */
  static keyOf(parts: readonly string[]): string {
    return createHash('sha1').update(parts.join('\u0002')).digest('base64');
  }

  get(key: string, compute: () => T): T {
    const found = this.entries.get(key);
    if (found !== undefined) {
      // Most recently used last.
      this.entries.delete(key);
      this.entries.set(key, found);
      this.hits++;
      return found.value;
    }
    this.misses++;
    const value = compute();
    const weight = this.weigh(value);
    this.entries.set(key, { value, weight });
    this.weight += weight;
    while (this.entries.size > this.limit || (this.weight > this.maxWeight && this.entries.size > 1)) {
      const [oldest, entry] = this.entries.entries().next().value as [string, { weight: number }];
      this.entries.delete(oldest);
      this.weight -= entry.weight;
    }
    return value;
  }

  clear(): void {
    this.entries.clear();
    this.weight = 0;
    this.hits = 0;
    this.misses = 0;
  }
}
