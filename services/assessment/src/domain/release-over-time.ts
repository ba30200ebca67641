import { type CellStats, protect, type StatsTable } from '@medcollab/anonymity';

/**
 * Release decisions for a quality table that grows over time, made MONOTONE: a reader who kept
 * every earlier report learns nothing hidden by combining it with a later one.
 *
 * Why: the table of one year grows a column each time a block closes. Suppressing each report
 * on its own is not enough: block 1 released with 5 evaluators, then block 2 closing with 1
 * evaluator, gives a report whose row total (6) is released and block 1 complementarily hidden;
 * the total minus the earlier block 1 is the lone student's answers.
 *
 * How: a closed block's cells never change, so a cell's decision is made once, when its block
 * closes, and kept (released stays released, hidden stays hidden). Totals are new quantities
 * each time (sums over the blocks closed so far); every total or cell ever released is a linear
 * equation over the interior cells, and every one ever hidden must stay out of the span of all
 * of them. Each step starts from the single-table rule (`protect`: k, then complementary
 * suppression), forces the earlier decisions, then hides more of the new report (cheapest
 * first) until nothing hidden, now or before, lies in the span of everything released.
 *
 * The history is recomputed, not stored: the steps follow the blocks in the order they closed,
 * and `releaseOverTime` of the blocks closed so far gives the same earlier steps it gave then
 * (prefix-stable), so every report is consistent with all the reports shown before it. Two
 * blocks closing between two reads only makes the history more cautious than what was read.
 *
 * Pure and self-contained (depends only on ./suppression), so it can move with it to a shared package.
 */
export type ReleaseMark = 'TOO_FEW_EVALUATORS' | 'COMPLEMENTARY' | null;

export interface TimedCell {
  row: string;
  block: string;
  /** Evaluations behind the cell; 0 = a placement without evaluations (shown empty). */
  evaluations: number;
  /** The distinct evaluators among them (totals count the union). */
  evaluatorIds: readonly string[];
}

export interface TimedTable {
  /** Blocks in the order they closed. */
  blocks: readonly string[];
  /** A cell per row and block that had placements; a row joins the table with its first block. */
  cells: readonly TimedCell[];
}

export interface TableRelease {
  /** Rows in the table at this step (in order of first appearance). */
  rows: string[];
  /** Blocks in the table at this step (in closing order). */
  blocks: string[];
  /** cells[row][block], every row and block of this step (empty cells are released: shown empty). */
  cells: Record<string, Record<string, ReleaseMark>>;
  rowTotals: Record<string, ReleaseMark>;
  columnTotals: Record<string, ReleaseMark>;
  total: ReleaseMark;
}

const EPSILON = 1e-9;

/**
 * The span of a set of vectors over the interior cells, kept in row echelon form: each row is
 * zero at the pivots of the rows before it, so reducing a vector by the rows in order leaves it
 * zero at every pivot, and zero everywhere exactly when it lies in the span. Rows never change
 * once added, so a copy shares them.
 */
export class Span {
  private readonly rows: { readonly pivot: number; readonly v: Float64Array }[] = [];
  constructor(private readonly n: number) {}

  clone(): Span {
    const copy = new Span(this.n);
    copy.rows.push(...this.rows);
    return copy;
  }

  private reduce(keys: readonly number[]): Float64Array {
    const v = new Float64Array(this.n);
    for (const key of keys) v[key] = 1;
    for (const r of this.rows) {
      const f = v[r.pivot]!;
      // Stryker disable next-line ConditionalExpression,EqualityOperator: a shortcut only: subtracting a zero (or rounding-noise) multiple of a row changes nothing
      if (Math.abs(f) < EPSILON) continue;
      r.v.forEach((x, j) => (v[j] = v[j]! - f * x));
    }
    return v;
  }

  contains(keys: readonly number[]): boolean {
    // Stryker disable next-line EqualityOperator: what is left is rounding noise (about 1e-15) or a true entry (at least about 1/n), never exactly EPSILON
    return this.reduce(keys).every((x) => Math.abs(x) < EPSILON);
  }

  add(keys: readonly number[]): void {
    const v = this.reduce(keys);
    let pivot = -1;
    // The largest entry, for numerical stability; any entry above the noise spans the same space.
    // Stryker disable next-line ConditionalExpression,EqualityOperator: which non-zero entry is the pivot does not change the span, so no table can tell them apart
    v.forEach((x, j) => (Math.abs(x) >= EPSILON && (pivot < 0 || Math.abs(x) > Math.abs(v[pivot]!)) ? (pivot = j) : undefined));
    if (pivot < 0) return;
    const p = v[pivot]!;
    this.rows.push({ pivot, v: v.map((x) => x / p) });
  }
}

/** A figure of one step: an interior cell or a total, as the interior cells it adds up. */
interface Position extends CellStats {
  /** Interior cells it adds up, by global key (empty cells left out: no figure counts them). */
  keys: number[];
}

/** An interior cell of one step: its decision is made once, when its block closes. */
interface CellPosition extends Position {
  key: number;
}

/** One release per closed block, in closing order; the last is the report as it stands now. */
export function releaseOverTime(table: TimedTable, k: number): TableRelease[] {
  const blocks = [...table.blocks];
  const blockIndex = new Map(blocks.map((b, i) => [b, i]));
  const cells = table.cells.filter((c) => blockIndex.has(c.block));
  const rowsByAppearance = [
    ...new Set([...cells].sort((a, b) => (blockIndex.get(a.block) as number) - (blockIndex.get(b.block) as number)).map((c) => c.row)),
  ];
  const rowIndex = new Map(rowsByAppearance.map((r, i) => [r, i]));
  const keyOf = (row: string, block: string) => (rowIndex.get(row) as number) * blocks.length + (blockIndex.get(block) as number);
  const byKey = new Map(cells.map((c) => [keyOf(c.row, c.block), c]));
  const n = rowsByAppearance.length * blocks.length;

  const released = new Span(n);
  const hiddenEver: number[][] = [];
  const cellDecisions = new Map<number, ReleaseMark>();
  const steps: TableRelease[] = [];

  for (let step = 0; step < blocks.length; step++) {
    const bs = blocks.slice(0, step + 1);
    const rs = rowsByAppearance.filter((r) => bs.some((b) => byKey.has(keyOf(r, b))));
    // Cells with nothing in them are shown empty, known to every reader: no vector counts them.
    const stats = (keys: number[]): Position => {
      const present = keys.filter((key) => byKey.get(key)?.evaluations);
      return {
        keys: present,
        evaluations: present.reduce((sum, key) => sum + (byKey.get(key) as TimedCell).evaluations, 0),
        evaluators: new Set(present.flatMap((key) => (byKey.get(key) as TimedCell).evaluatorIds)).size,
      };
    };
    // The figures of this step in the single-table rule's order: the cells row by row, the row
    // totals, the column totals, the grand total.
    const cellPositions: CellPosition[] = rs.flatMap((r) => bs.map((b) => ({ key: keyOf(r, b), ...stats([keyOf(r, b)]) })));
    const rowTotals = rs.map((r) => stats(bs.map((b) => keyOf(r, b))));
    const columnTotals = bs.map((b) => stats(rs.map((r) => keyOf(r, b))));
    const total = stats(rs.flatMap((r) => bs.map((b) => keyOf(r, b))));
    const positions: Position[] = [...cellPositions, ...rowTotals, ...columnTotals, total];

    // The single-table rule first.
    const single = protect(
      {
        cells: rs.map((_, ri) => cellPositions.slice(ri * bs.length, (ri + 1) * bs.length)),
        rowTotals,
        columnTotals,
        total,
      } satisfies StatsTable,
      k,
    );
    const marks = new Map<number, Exclude<ReleaseMark, null>>();
    [...single.cells.flat(), ...single.rowTotals, ...single.columnTotals, single.total].forEach((mark, i) => mark && marks.set(i, mark));

    // Earlier decisions stand; what earlier reports already determine is public, whatever this one
    // says. (No such figure has fewer than k evaluators: it had the same cells when it first
    // appeared, with a cell of a block then closing, so it was hidden then, and nothing hidden is
    // ever left in the span of what is released. An empty one adds up nothing: always in the span.)
    const locked = new Set<number>();
    cellPositions.forEach((p, i) => {
      const before = cellDecisions.get(p.key);
      // Hidden before: hidden now, for the same reason. (Released before: in the span, below.)
      if (before) {
        marks.set(i, before);
        locked.add(i);
      }
    });
    positions.forEach((p, i) => {
      if (released.contains(p.keys)) {
        marks.delete(i);
        locked.add(i);
      }
    });

    // Hide more of this report until nothing hidden, now or before, can be worked out.
    for (;;) {
      const span = released.clone();
      positions.forEach((p, i) => !marks.has(i) && span.add(p.keys));
      const exposed = [
        ...positions.filter((p, i) => marks.has(i) && span.contains(p.keys)).map((p) => p.keys),
        ...hiddenEver.filter((keys) => span.contains(keys)),
      ];
      if (!exposed.length) break;
      const touched = new Set(exposed.flat());
      // Touching what is exposed first, then cells before totals, then the fewest evaluations. (A
      // grand total never goes before a row or column total: it has at least their evaluations,
      // and the sort is stable, so ties keep the position order, the grand total last.)
      const candidates = positions
        .map((p, i) => ({ p, i }))
        // (Empty positions are locked: they add up nothing.)
        .filter(({ i }) => !marks.has(i) && !locked.has(i))
        .sort(
          (a, b) =>
            Number(b.p.keys.some((key) => touched.has(key))) - Number(a.p.keys.some((key) => touched.has(key))) ||
            Number('key' in b.p) - Number('key' in a.p) ||
            a.p.evaluations - b.p.evaluations,
        );
      // There is always one: with every unlocked position hidden, only what was public before is
      // released, and that exposes nothing (a TypeError here would be a bug, never a disclosure).
      const chosen = candidates[0]!;
      marks.set(chosen.i, 'COMPLEMENTARY');
    }

    cellPositions.forEach((p, i) => cellDecisions.set(p.key, marks.get(i) ?? null));
    positions.forEach((p, i) => {
      if (!marks.has(i)) released.add(p.keys);
      // (Whatever was public before is released: it is unmarked above. Nothing empty is hidden.)
      else hiddenEver.push(p.keys);
    });

    const markOf = (i: number): ReleaseMark => marks.get(i) ?? null;
    steps.push({
      rows: rs,
      blocks: bs,
      cells: Object.fromEntries(rs.map((r, ri) => [r, Object.fromEntries(bs.map((b, bi) => [b, markOf(ri * bs.length + bi)]))])),
      rowTotals: Object.fromEntries(rs.map((r, ri) => [r, markOf(cellPositions.length + ri)])),
      columnTotals: Object.fromEntries(bs.map((b, bi) => [b, markOf(cellPositions.length + rs.length + bi)])),
      total: markOf(positions.length - 1),
    });
  }
  return steps;
}
