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
class Span {
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

interface Position {
  kind: 'cell' | 'row' | 'column' | 'total';
  row?: string;
  block?: string;
  /** Interior cells it adds up, by global key. */
  keys: number[];
  evaluations: number;
  evaluators: number;
}

const vectorId = (keys: readonly number[]): string => String(keys);

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
  const n = Math.max(1, rowsByAppearance.length * blocks.length);

  const released = new Span(n);
  const hiddenEver = new Map<string, number[]>();
  const cellDecisions = new Map<number, ReleaseMark>();
  const steps: TableRelease[] = [];

  for (let step = 0; step < blocks.length; step++) {
    const bs = blocks.slice(0, step + 1);
    const rs = rowsByAppearance.filter((r) => bs.some((b) => byKey.has(keyOf(r, b))));
    // Cells with nothing in them are shown empty, known to every reader: no vector counts them.
    const stats = (keys: number[]): CellStats & { keys: number[] } => {
      const present = keys.filter((key) => byKey.get(key)?.evaluations);
      return {
        keys: present,
        evaluations: present.reduce((sum, key) => sum + (byKey.get(key) as TimedCell).evaluations, 0),
        evaluators: new Set(present.flatMap((key) => (byKey.get(key) as TimedCell).evaluatorIds)).size,
      };
    };
    const positions: Position[] = [];
    for (const r of rs) for (const b of bs) positions.push({ kind: 'cell', row: r, block: b, ...stats([keyOf(r, b)]) });
    for (const r of rs) positions.push({ kind: 'row', row: r, ...stats(bs.map((b) => keyOf(r, b))) });
    for (const b of bs) positions.push({ kind: 'column', block: b, ...stats(rs.map((r) => keyOf(r, b))) });
    positions.push({ kind: 'total', ...stats(rs.flatMap((r) => bs.map((b) => keyOf(r, b)))) });

    // The single-table rule first.
    const asStats = (p: Position): CellStats => ({ evaluations: p.evaluations, evaluators: p.evaluators });
    const inTable: StatsTable = {
      cells: rs.map((_, ri) => bs.map((_b, bi) => asStats(positions[ri * bs.length + bi] as Position))),
      rowTotals: rs.map((_, ri) => asStats(positions[rs.length * bs.length + ri] as Position)),
      columnTotals: bs.map((_, bi) => asStats(positions[rs.length * bs.length + rs.length + bi] as Position)),
      total: asStats(positions[positions.length - 1] as Position),
    };
    const single = protect(inTable, k);
    const marks = new Map<number, Exclude<ReleaseMark, null>>();
    positions.forEach((p, i) => {
      const mark =
        p.kind === 'cell'
          ? (single.cells[rs.indexOf(p.row as string)] as ReleaseMark[])[bs.indexOf(p.block as string)]
          : p.kind === 'row'
            ? single.rowTotals[rs.indexOf(p.row as string)]
            : p.kind === 'column'
              ? single.columnTotals[bs.indexOf(p.block as string)]
              : single.total;
      if (mark) marks.set(i, mark);
    });

    // Earlier decisions stand; what earlier reports already determine is public, whatever this one
    // says. (No such figure has fewer than k evaluators: it had the same cells when it first
    // appeared, with a cell of a block then closing, so it was hidden then, and nothing hidden is
    // ever left in the span of what is released. An empty one adds up nothing: always in the span.)
    const locked = new Set<number>();
    positions.forEach((p, i) => {
      const before = p.kind === 'cell' ? cellDecisions.get(keyOf(p.row as string, p.block as string)) : undefined;
      // Hidden before: hidden now, for the same reason. (Released before: in the span, below.)
      if (before) {
        marks.set(i, before);
        locked.add(i);
      }
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
        ...[...hiddenEver.values()].filter((keys) => span.contains(keys)),
      ];
      if (!exposed.length) break;
      const touched = new Set(exposed.flat());
      const candidates = positions
        .map((p, i) => ({ p, i }))
        // (Empty positions are locked: they add up nothing.)
        .filter(({ i }) => !marks.has(i) && !locked.has(i))
        .sort(
          (a, b) =>
            Number(b.p.keys.some((key) => touched.has(key))) - Number(a.p.keys.some((key) => touched.has(key))) ||
            Number(b.p.kind === 'cell') - Number(a.p.kind === 'cell') ||
            Number(a.p.kind === 'total') - Number(b.p.kind === 'total') ||
            a.p.evaluations - b.p.evaluations ||
            a.i - b.i,
        );
      // There is always one: with every unlocked position hidden, only what was public before is
      // released, and that exposes nothing (a TypeError here would be a bug, never a disclosure).
      const chosen = candidates[0]!;
      marks.set(chosen.i, 'COMPLEMENTARY');
    }

    positions.forEach((p, i) => {
      if (p.kind === 'cell') cellDecisions.set(keyOf(p.row as string, p.block as string), marks.get(i) ?? null);
      if (!marks.has(i)) released.add(p.keys);
      // (Whatever was public before is released: it is unmarked above. Nothing empty is hidden.)
      else hiddenEver.set(vectorId(p.keys), p.keys);
    });

    const markOf = (i: number): ReleaseMark => marks.get(i) ?? null;
    const release: TableRelease = { rows: rs, blocks: bs, cells: {}, rowTotals: {}, columnTotals: {}, total: null };
    positions.forEach((p, i) => {
      if (p.kind === 'cell') (release.cells[p.row as string] ??= {})[p.block as string] = markOf(i);
      else if (p.kind === 'row') release.rowTotals[p.row as string] = markOf(i);
      else if (p.kind === 'column') release.columnTotals[p.block as string] = markOf(i);
      else release.total = markOf(i);
    });
    steps.push(release);
  }
  return steps;
}
