/**
 * Strings numbered densely in the order first seen (0, 1, 2, …), so a rebuild's cells can keep
 * their keys as small integers in typed arrays (ADR 0052) and turn them back into the strings when
 * rows are written.
 */
export class StringIds {
  private readonly ids = new Map<string, number>();
  readonly values: string[] = [];

  /** The number of `s`, given on first sight. */
  id(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(s, id);
      this.values.push(s);
    }
    return id;
  }

  get size(): number {
    return this.values.length;
  }
}
