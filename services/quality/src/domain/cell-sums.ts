import { bucketOf, type CellDelta } from './cells';
import { type CellKey, type Contribution } from './contributions';
import { shortPseudonym, shortened } from './evaluator-buckets';

/**
 * A cell as a rebuild sums it (ADR 0046): the same sums as `CellDelta` (`accumulate`), but its
 * distribution and evaluators in Maps, the evaluators already under their short pseudonyms (ADR
 * 0037: shortening then summing equals summing then shortening, every count being positive).
 */
export interface SumCell {
  key: CellKey;
  n: number;
  totalMilli: number;
  histogram: Map<string, number>;
  /** Short pseudonym → contributions. */
  evaluators: Map<string, number>;
}

type Level<T> = Map<string, T>;
/** metric → school → scope kind → period kind → item → period → scope id → cell: the few-valued parts first, so most Maps are small. */
type Tree = Level<Level<Level<Level<Level<Level<Level<SumCell>>>>>>>;

const child = <T>(level: Map<string, T>, key: string, make: () => T): T => {
  let next = level.get(key);
  if (next === undefined) level.set(key, (next = make()));
  return next;
};
const inc = (map: Map<string, number>, key: string, by: number) => map.set(key, (map.get(key) ?? 0) + by);

/**
 * Contributions summed per cell for a rebuild: what `accumulate(into, contributions, 1)` sums,
 * found through a tree of Maps keyed by the cell key's parts (whose strings are mostly shared
 * between contributions, their hashes computed once) instead of one joined string per
 * contribution; distributions and evaluators in Maps, not objects with thousands of keys, so rows
 * are written without copying them. Measured no faster than `accumulate` at folding (ADR 0046).
 */
export class CellSums {
  private readonly tree: Tree = new Map();
  private readonly shorts = new Map<string, string>();
  private readonly buckets = new Map<number, string>();

  add(contributions: readonly Contribution[]): void {
    for (const c of contributions) {
      const cell = this.cellOf(c.key);
      cell.n += c.weight ?? 1;
      if (c.value !== null) {
        cell.totalMilli += Math.round(c.value * 1000);
        let bucket = this.buckets.get(c.value);
        if (bucket === undefined) this.buckets.set(c.value, (bucket = bucketOf(c.value)));
        inc(cell.histogram, bucket, 1);
      }
      if (c.evaluator) {
        let short = this.shorts.get(c.evaluator);
        if (short === undefined) this.shorts.set(c.evaluator, (short = shortPseudonym(c.evaluator)));
        inc(cell.evaluators, short, 1);
      }
    }
  }

  /** Adds whole cells (another share's sums of the same metrics). */
  merge(cells: Iterable<SumCell>): void {
    for (const d of cells) {
      const cell = this.cellOf(d.key);
      cell.n += d.n;
      cell.totalMilli += d.totalMilli;
      for (const [bucket, count] of d.histogram) inc(cell.histogram, bucket, count);
      for (const [short, count] of d.evaluators) inc(cell.evaluators, short, count);
    }
  }

  *cells(): Generator<SumCell> {
    for (const schools of this.tree.values())
      for (const kinds of schools.values())
        for (const periodKinds of kinds.values())
          for (const items of periodKinds.values())
            for (const periods of items.values()) for (const scopes of periods.values()) yield* scopes.values();
  }

  metrics(): string[] {
    return [...this.tree.keys()];
  }

  /** Removes and returns the cells of these metrics. */
  take(metrics: Iterable<string>): SumCell[] {
    const out: SumCell[] = [];
    for (const metric of metrics) {
      const schools = this.tree.get(metric);
      if (!schools) continue;
      this.tree.delete(metric);
      for (const kinds of schools.values())
        for (const periodKinds of kinds.values())
          for (const items of periodKinds.values())
            for (const periods of items.values()) for (const scopes of periods.values()) out.push(...scopes.values());
    }
    return out;
  }

  private cellOf(k: CellKey): SumCell {
    const scopes = child(
      child(
        child(child(child(child(this.tree, k.metric, newLevel), k.school, newLevel), k.scopeKind, newLevel), k.periodKind, newLevel),
        k.item,
        newLevel,
      ),
      k.periodId,
      newLevel,
    ) as Level<SumCell>;
    let cell = scopes.get(k.scopeId);
    if (cell === undefined) scopes.set(k.scopeId, (cell = { key: k, n: 0, totalMilli: 0, histogram: new Map(), evaluators: new Map() }));
    return cell;
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tree's levels differ only in depth
const newLevel = (): Map<string, any> => new Map();

/** A `CellDelta` (full pseudonyms, objects) as a rebuild's cell (the large world's load writes through the same rows). */
export const sumCellOf = (d: CellDelta): SumCell => ({
  key: d.key,
  n: d.n,
  totalMilli: d.totalMilli,
  histogram: new Map(Object.entries(d.histogram)),
  evaluators: new Map(Object.entries(shortened(d.evaluators))),
});
