import type { Equation } from './system';

/**
 * The derivable hidden positions of a system of additive equations, kept up to date while
 * positions are hidden one at a time — what complementary suppression asks after every step and
 * for every candidate it weighs (protectSystem), without reducing the whole system again each time.
 *
 * A hidden position h is derivable when every assignment of the hidden positions that satisfies
 * the equations (the released figures held fixed) gives h the same value: when x_h = 0 for every
 * x in the null space of A_H, the equations' columns of the hidden positions. Hiding one more
 * position p adds its column a_p:
 *
 * - a_p independent of the hidden columns: the null space does not grow, so the derivable
 *   positions stay derivable and p itself is derivable (nothing else involves it);
 * - a_p = Σ c_h a_h, a combination of the hidden columns: the null space gains v = e_p − c, so p is
 *   not derivable and a derivable h stays derivable exactly when c_h = 0 (c is unique on the
 *   derivable positions: any two combinations differ by a null vector, zero there).
 *
 * Which case holds, and c, come from a basis of the hidden columns kept in triangular form
 * (Gaussian elimination by columns): basis vector j has a pivot equation where it is 1 and where
 * every later vector is 0, and remembers which combination of hidden columns it is. A column is
 * reduced against the basis vectors in the order they were made; what remains is zero (dependent,
 * with the combination) or a new basis vector. The derivable set only loses positions, apart from
 * the one just hidden, so a combination is kept only on positions that are still derivable.
 *
 * The same positions as reducing the restricted system from scratch (derivableIn) after every step,
 * which the tests check; this costs one sparse reduction per position hidden or weighed.
 */
const EPSILON = 1e-9;
/** Zero up to rounding, as in derivableIn: the reduction divides and subtracts in floating point. */
const negligible = (x: number): boolean => Math.abs(x) < EPSILON;

interface BasisVector {
  /** The equation where this vector is 1 and every later vector 0. */
  pivot: number;
  /** Its entries by equation. */
  entries: Map<number, number>;
  /** The hidden columns it is made of, by position, on positions derivable when it was made or since. */
  combination: Map<number, number>;
}

/** What reducing a column against the basis leaves: nothing (dependent), or a new basis vector. */
interface Reduced {
  residual: Map<number, number>;
  combination: Map<number, number>;
}

/** A binary min-heap of basis indices (the order basis vectors are applied in). */
class MinHeap {
  private readonly items: number[] = [];
  get size(): number {
    return this.items.length;
  }
  push(x: number): void {
    const a = this.items;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (a[up]! <= x) break;
      a[i] = a[up]!;
      i = up;
    }
    a[i] = x;
  }
  pop(): number {
    const a = this.items;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const r = l + 1;
        const c = r < a.length && a[r]! < a[l]! ? r : l;
        if (a[c]! >= last) break;
        a[i] = a[c]!;
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}

export class DerivableTracker {
  /** Each position's column: the equations it appears in, with its coefficient. */
  private readonly columns = new Map<number, [number, number][]>();
  private readonly basis: BasisVector[] = [];
  /** Equation → the basis vector pivoting on it. */
  private readonly pivotOf = new Map<number, number>();
  private readonly hidden = new Set<number>();
  private readonly derivable = new Set<number>();
  /** `derivable` ascending, until the next change. */
  private sorted: number[] | null = null;
  /** Reductions weighed since the last change, by position (the candidate chosen is not reduced twice). */
  private peeked = new Map<number, Reduced>();

  constructor(equations: readonly Equation[]) {
    equations.forEach((e, row) => {
      for (const [pos, coef] of e) {
        let column = this.columns.get(pos);
        if (!column) this.columns.set(pos, (column = []));
        column.push([row, coef]);
      }
    });
  }

  /** The hidden positions the released ones determine, ascending (shared: read only). */
  current(): readonly number[] {
    this.sorted ??= [...this.derivable].sort((a, b) => a - b);
    return this.sorted;
  }

  /** The derivable positions, ascending, if `p` were hidden too (nothing changes). */
  peek(p: number): number[] {
    if (this.hidden.has(p)) return [...this.current()];
    const { residual, combination } = this.reduced(p);
    if (residual.size) return [...this.current(), p].sort((a, b) => a - b);
    return this.current().filter((h) => !this.givenUp(h, combination));
  }

  /** How many positions would be derivable if `p` were hidden too (peek's length, without the list). */
  countAfter(p: number): number {
    if (this.hidden.has(p)) return this.derivable.size;
    const { residual, combination } = this.reduced(p);
    if (residual.size) return this.derivable.size + 1;
    let lost = 0;
    for (const h of combination.keys()) if (this.givenUp(h, combination)) lost++;
    return this.derivable.size - lost;
  }

  /** Hides `p` (again: nothing changes). */
  hide(p: number): void {
    if (this.hidden.has(p)) return;
    const reduced = this.reduced(p);
    const { residual, combination } = reduced;
    this.hidden.add(p);
    this.peeked = new Map();
    this.sorted = null;
    if (!residual.size) {
      // Dependent: the derivable positions the new null vector moves are no longer determined.
      for (const h of [...combination.keys()]) if (this.givenUp(h, combination)) this.derivable.delete(h);
      return;
    }
    this.derivable.add(p);
    // The largest entry (the lowest equation among equals) becomes the pivot: the steadiest division.
    let pivot = -1;
    let size = 0;
    for (const [row, x] of residual)
      if (Math.abs(x) > size || (Math.abs(x) === size && row < pivot)) {
        pivot = row;
        size = Math.abs(x);
      }
    const by = residual.get(pivot)!;
    for (const [row, x] of residual) residual.set(row, x / by);
    for (const [pos, x] of combination) combination.set(pos, x / by);
    this.pivotOf.set(pivot, this.basis.length);
    this.basis.push({ pivot, entries: residual, combination });
  }

  /** Whether derivable `h` stops being derivable when the column with this combination is hidden (dependent). */
  private givenUp(h: number, combination: ReadonlyMap<number, number>): boolean {
    return this.derivable.has(h) && !negligible(combination.get(h) ?? 0);
  }

  /** Column `p` reduced against the basis: the residual (empty when dependent) and the combination, on derivable positions and p. */
  private reduced(p: number): Reduced {
    const known = this.peeked.get(p);
    if (known) return known;
    const residual = new Map<number, number>();
    for (const [row, coef] of this.columns.get(p) ?? []) {
      const x = (residual.get(row) ?? 0) + coef;
      if (negligible(x)) residual.delete(row);
      else residual.set(row, x);
    }
    const combination = new Map<number, number>([[p, 1]]);
    const queue = new MinHeap();
    const queued = new Set<number>();
    const enqueue = (row: number) => {
      const j = this.pivotOf.get(row);
      if (j !== undefined && !queued.has(j)) {
        queued.add(j);
        queue.push(j);
      }
    };
    for (const row of residual.keys()) enqueue(row);
    while (queue.size) {
      const b = this.basis[queue.pop()]!;
      const f = residual.get(b.pivot);
      if (f === undefined) continue;
      for (const [row, x] of b.entries) {
        const y = (residual.get(row) ?? 0) - f * x;
        if (negligible(y)) residual.delete(row);
        else {
          residual.set(row, y);
          enqueue(row);
        }
      }
      residual.delete(b.pivot);
      for (const [pos, x] of b.combination) {
        if (!this.derivable.has(pos)) {
          // No longer derivable: never needed again (the set only loses positions, apart from the one hidden).
          b.combination.delete(pos);
          continue;
        }
        const y = (combination.get(pos) ?? 0) - f * x;
        if (negligible(y)) combination.delete(pos);
        else combination.set(pos, y);
      }
    }
    const result = { residual, combination };
    this.peeked.set(p, result);
    return result;
  }
}
