import { bucketOf, type CellDelta } from './cells';
import { type CellKey, type Contribution } from './contributions';
import { shortPseudonym, shortened } from './evaluator-buckets';
import { finalMix, mixIn, PairCounts } from './pair-counts';
import { StringIds } from './string-ids';

/**
 * A cell as it travels between a rebuild's shares (ADR 0046): the same sums as `CellDelta`
 * (`accumulate`), its distribution and evaluators in Maps, the evaluators under their short
 * pseudonyms (ADR 0037: shortening then summing equals summing then shortening, every count being
 * positive).
 */
export interface SumCell {
  key: CellKey;
  n: number;
  totalMilli: number;
  histogram: Map<string, number>;
  /** Short pseudonym → contributions. */
  evaluators: Map<string, number>;
}

/** The parts of a cell's key, in the order of the tables' key columns: metric, school, scope kind, scope id, period kind, period id, item. */
export const KEY_PARTS = 7;

/**
 * The cells a fold made, read back for writing (`data/cell-lines.ts`): cell `c` (for `c` below
 * `count`, unless `taken`) has the key parts `strings[keys[7c]]` … `strings[keys[7c + 6]]`, the
 * parent `strings[parents[c]]` (-1: none), `n[c]`, `totals[c]`; its distribution buckets
 * `bucketNames[histogram.seconds[i]]` and its evaluators `shorts[evaluators.seconds[i]]` (each
 * with its leading 32 bits in `leads`) for `i` from `offsets[c]` to `offsets[c + 1]`, with their counts.
 */
export interface FoldedCells {
  count: number;
  taken: Uint8Array;
  strings: readonly string[];
  keys: Int32Array;
  parents: Int32Array;
  n: Float64Array;
  totals: Float64Array;
  histogram: { offsets: Int32Array; seconds: Int32Array; counts: Int32Array };
  bucketNames: readonly string[];
  evaluators: { offsets: Int32Array; seconds: Int32Array; counts: Int32Array };
  shorts: readonly string[];
  leads: readonly number[];
}

/**
 * Contributions summed per cell for a rebuild (ADR 0052): what `accumulate(into, contributions, 1)`
 * sums, kept in typed arrays — a cell is a number (its key parts numbered by `StringIds`, found
 * through an open-addressing table of their hash), its count and sum in Float64Arrays, its
 * distribution and evaluators as (cell, bucket) and (cell, short pseudonym) counts in
 * `PairCounts`. A contribution allocates nothing once its strings have been seen, and the
 * garbage collector has no per-cell objects to trace (`accumulate` and the Map tree before it
 * spent ~3.5 µs per contribution finding and growing cells, a fifth of it in collection).
 * Integers throughout (thousandths, counts), so the sums are exact in any order.
 */
export class CellSums {
  private readonly strings = new StringIds();
  private readonly bucketNames = new StringIds();
  private readonly shorts = new StringIds();
  private readonly leads: number[] = [];
  private readonly valueBuckets = new Map<number, number>();
  private readonly evaluatorIds = new Map<string, number>();
  private readonly histogram = new PairCounts(1 << 16);
  private readonly evaluators = new PairCounts(1 << 16);
  private readonly metricIds = new Set<number>();

  private count = 0;
  private keys = new Int32Array(KEY_PARTS * 1024);
  private hashes = new Int32Array(1024);
  private parents = new Int32Array(1024);
  private n = new Float64Array(1024);
  private totals = new Float64Array(1024);
  private taken = new Uint8Array(1024);
  /** Cell + 1 per slot (0: free), found by the key's hash. */
  private slots = new Int32Array(4096);

  // The last string seen in each key part, and its number: a fan-out repeats most parts from one contribution to the next.
  private readonly lastStrings: (string | undefined)[] = new Array<string | undefined>(KEY_PARTS);
  private readonly lastIds = new Int32Array(KEY_PARTS);
  private readonly scratch = new Int32Array(KEY_PARTS);
  private lastEvaluator: string | undefined;
  private lastEvaluatorId = 0;
  private lastValue: number | undefined;
  private lastBucket = 0;
  private folded: FoldedCells | undefined;

  add(contributions: readonly Contribution[]): void {
    this.folded = undefined;
    for (let i = 0; i < contributions.length; i++) {
      const c = contributions[i]!;
      const cell = this.cellOf(c.key);
      this.n[cell]! += c.weight ?? 1;
      if (c.value !== null) {
        this.totals[cell]! += Math.round(c.value * 1000);
        this.histogram.add(cell, this.bucketIdOf(c.value), 1);
      }
      if (c.evaluator) this.evaluators.add(cell, this.evaluatorIdOf(c.evaluator), 1);
    }
  }

  /** Adds whole cells (another share's sums of the same metrics). */
  merge(cells: Iterable<SumCell>): void {
    this.folded = undefined;
    for (const d of cells) {
      const cell = this.cellOf(d.key);
      this.n[cell]! += d.n;
      this.totals[cell]! += d.totalMilli;
      for (const [bucket, count] of d.histogram) this.histogram.add(cell, this.bucketNames.id(bucket), count);
      for (const [short, count] of d.evaluators) this.evaluators.add(cell, this.shortId(short), count);
    }
  }

  /** The metrics its cells hold. */
  metrics(): string[] {
    return [...this.metricIds].map((id) => this.strings.values[id]!);
  }

  /** Removes and returns the cells of these metrics. */
  take(metrics: Iterable<string>): SumCell[] {
    const ids = new Set<number>();
    for (const m of metrics) {
      const id = this.strings.id(m);
      if (this.metricIds.delete(id)) ids.add(id);
    }
    if (!ids.size) return [];
    this.folded = undefined;
    const out = new Map<number, SumCell>();
    for (let cell = 0; cell < this.count; cell++) {
      if (this.taken[cell] || !ids.has(this.keys[cell * KEY_PARTS]!)) continue;
      out.set(cell, this.sumCellAt(cell, new Map(), new Map()));
      this.taken[cell] = 1;
      this.n[cell] = 0;
      this.totals[cell] = 0;
    }
    for (const p of this.histogram.takeWhere((cell) => out.has(cell)))
      out.get(p.first)!.histogram.set(this.bucketNames.values[p.second]!, p.count);
    for (const p of this.evaluators.takeWhere((cell) => out.has(cell)))
      out.get(p.first)!.evaluators.set(this.shorts.values[p.second]!, p.count);
    return [...out.values()];
  }

  /** The cells as they stand, for writing (computed once until the next change). */
  view(): FoldedCells {
    this.folded ??= {
      count: this.count,
      taken: this.taken,
      strings: this.strings.values,
      keys: this.keys,
      parents: this.parents,
      n: this.n,
      totals: this.totals,
      histogram: this.histogram.grouped(this.count),
      bucketNames: this.bucketNames.values,
      evaluators: this.evaluators.grouped(this.count),
      shorts: this.shorts.values,
      leads: this.leads,
    };
    return this.folded;
  }

  /** Every cell held, as objects (tests, and a small history). */
  *cells(): Generator<SumCell> {
    const v = this.view();
    for (let cell = 0; cell < v.count; cell++) {
      if (v.taken[cell]) continue;
      const histogram = new Map<string, number>();
      for (let i = v.histogram.offsets[cell]!; i < v.histogram.offsets[cell + 1]!; i++)
        histogram.set(v.bucketNames[v.histogram.seconds[i]!]!, v.histogram.counts[i]!);
      const evaluators = new Map<string, number>();
      for (let i = v.evaluators.offsets[cell]!; i < v.evaluators.offsets[cell + 1]!; i++)
        evaluators.set(v.shorts[v.evaluators.seconds[i]!]!, v.evaluators.counts[i]!);
      yield this.sumCellAt(cell, histogram, evaluators);
    }
  }

  private sumCellAt(cell: number, histogram: Map<string, number>, evaluators: Map<string, number>): SumCell {
    const s = this.strings.values;
    const at = cell * KEY_PARTS;
    const part = (j: number) => s[this.keys[at + j]!]!;
    const parent = this.parents[cell]!;
    return {
      key: {
        metric: part(0) as CellKey['metric'],
        school: part(1),
        scopeKind: part(2) as CellKey['scopeKind'],
        scopeId: part(3),
        periodKind: part(4) as CellKey['periodKind'],
        periodId: part(5),
        item: part(6),
        parent: parent < 0 ? null : s[parent]!,
      },
      n: this.n[cell]!,
      totalMilli: this.totals[cell]!,
      histogram,
      evaluators,
    };
  }

  private partId(part: number, s: string): number {
    if (this.lastStrings[part] === s) return this.lastIds[part]!;
    const id = this.strings.id(s);
    this.lastStrings[part] = s;
    this.lastIds[part] = id;
    return id;
  }

  private bucketIdOf(value: number): number {
    if (value === this.lastValue) return this.lastBucket;
    let id = this.valueBuckets.get(value);
    if (id === undefined) this.valueBuckets.set(value, (id = this.bucketNames.id(bucketOf(value))));
    this.lastValue = value;
    this.lastBucket = id;
    return id;
  }

  private evaluatorIdOf(pseudonym: string): number {
    if (pseudonym === this.lastEvaluator) return this.lastEvaluatorId;
    let id = this.evaluatorIds.get(pseudonym);
    if (id === undefined) this.evaluatorIds.set(pseudonym, (id = this.shortId(shortPseudonym(pseudonym))));
    this.lastEvaluator = pseudonym;
    this.lastEvaluatorId = id;
    return id;
  }

  /** The number of a short pseudonym (16 hex digits), its leading 32 bits kept for bucketing. */
  private shortId(short: string): number {
    const id = this.shorts.id(short);
    if (id === this.leads.length) this.leads.push(parseInt(short.slice(0, 8), 16));
    return id;
  }

  /** The cell of a key, made (empty) on first sight. */
  private cellOf(k: CellKey): number {
    const p = this.scratch;
    p[0] = this.partId(0, k.metric);
    p[1] = this.partId(1, k.school);
    p[2] = this.partId(2, k.scopeKind);
    p[3] = this.partId(3, k.scopeId);
    p[4] = this.partId(4, k.periodKind);
    p[5] = this.partId(5, k.periodId);
    p[6] = this.partId(6, k.item);
    let h = 0x2545f491;
    for (let j = 0; j < KEY_PARTS; j++) h = mixIn(h, p[j]!);
    h = finalMix(h);
    const mask = this.slots.length - 1;
    let slot = h & mask;
    for (;;) {
      const held = this.slots[slot]!;
      if (held === 0) break;
      const cell = held - 1;
      if (this.hashes[cell] === h && this.sameKey(cell, p)) {
        if (this.taken[cell]) {
          // A metric given away and taken again (not what a rebuild does): its sums start from zero.
          this.taken[cell] = 0;
          this.metricIds.add(p[0]!);
        }
        return cell;
      }
      slot = (slot + 1) & mask;
    }
    const cell = this.count++;
    if (cell === this.hashes.length) this.growCells();
    this.keys.set(p, cell * KEY_PARTS);
    this.hashes[cell] = h;
    this.parents[cell] = k.parent === null ? -1 : this.strings.id(k.parent);
    this.metricIds.add(p[0]!);
    this.slots[slot] = cell + 1;
    if (this.count * 2 > this.slots.length) this.growSlots();
    return cell;
  }

  private sameKey(cell: number, p: Int32Array): boolean {
    const at = cell * KEY_PARTS;
    const keys = this.keys;
    for (let j = 0; j < KEY_PARTS; j++) if (keys[at + j] !== p[j]) return false;
    return true;
  }

  private growCells(): void {
    const size = this.hashes.length * 2;
    const grown = <T extends Int32Array | Float64Array | Uint8Array>(old: T, make: (n: number) => T, width = 1): T => {
      const next = make(size * width);
      next.set(old);
      return next;
    };
    this.keys = grown(this.keys, (n) => new Int32Array(n), KEY_PARTS);
    this.hashes = grown(this.hashes, (n) => new Int32Array(n));
    this.parents = grown(this.parents, (n) => new Int32Array(n));
    this.n = grown(this.n, (n) => new Float64Array(n));
    this.totals = grown(this.totals, (n) => new Float64Array(n));
    this.taken = grown(this.taken, (n) => new Uint8Array(n));
  }

  private growSlots(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let cell = 0; cell < this.count; cell++) {
      let slot = this.hashes[cell]! & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = cell + 1;
    }
    this.slots = slots;
  }
}

/** A `CellDelta` (full pseudonyms, objects) as a rebuild's cell (the large world's load writes through the same rows). */
export const sumCellOf = (d: CellDelta): SumCell => ({
  key: d.key,
  n: d.n,
  totalMilli: d.totalMilli,
  histogram: new Map(Object.entries(d.histogram)),
  evaluators: new Map(Object.entries(shortened(d.evaluators))),
});
