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
  private readonly entries = new Map<string, T>();
  hits = 0;
  misses = 0;

  constructor(private readonly limit: number) {}

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
      return found;
    }
    this.misses++;
    const value = compute();
    this.entries.set(key, value);
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value as string);
    return value;
  }

  clear(): void {
    this.entries.clear();
    this.hits = 0;
    this.misses = 0;
  }
}
