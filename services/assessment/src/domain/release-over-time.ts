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

/** The span of a set of vectors over the interior cells, kept in reduced row echelon form. */
class Span {
  private readonly rows: { pivot: number; v: Float64Array }[] = [];
  constructor(private readonly n: number) {}

  clone(): Span {
    const copy = new Span(this.n);
    for (const r of this.rows) copy.rows.push({ pivot: r.pivot, v: r.v.slice() });
    return copy;
  }

  private reduce(keys: readonly number[]): Float64Array {
    const v = new Float64Array(this.n);
    for (const key of keys) v[key] = 1;
    for (const r of this.rows) {
      const f = v[r.pivot] as number;
      if (Math.abs(f) < EPSILON) continue;
      for (let j = 0; j < this.n; j++) v[j] = (v[j] as number) - f * (r.v[j] as number);
    }
    return v;
  }

  contains(keys: readonly number[]): boolean {
    return this.reduce(keys).every((x) => Math.abs(x) < EPSILON);
  }

  add(keys: readonly number[]): void {
    const v = this.reduce(keys);
    let pivot = -1;
    for (let j = 0; j < this.n; j++)
      if (Math.abs(v[j] as number) >= EPSILON && (pivot < 0 || Math.abs(v[j] as number) > Math.abs(v[pivot] as number))) pivot = j;
    if (pivot < 0) return;
    const p = v[pivot] as number;
    for (let j = 0; j < this.n; j++) v[j] = (v[j] as number) / p;
    for (const r of this.rows) {
      const f = r.v[pivot] as number;
      if (Math.abs(f) < EPSILON) continue;
      for (let j = 0; j < this.n; j++) r.v[j] = (r.v[j] as number) - f * (v[j] as number);
    }
    this.rows.push({ pivot, v });
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

const vectorId = (keys: readonly number[]): string => keys.join(',');

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
    // Cells with nothing in them are shown empty: known to every reader.
    for (const r of rs) for (const b of bs) if (!byKey.get(keyOf(r, b))?.evaluations) released.add([keyOf(r, b)]);

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

    // Earlier decisions stand; what earlier reports already determine is public, whatever this one says.
    const primary = (p: Position) => p.evaluations > 0 && p.evaluators < k;
    const locked = new Set<number>();
    positions.forEach((p, i) => {
      const before = p.kind === 'cell' ? cellDecisions.get(keyOf(p.row as string, p.block as string)) : undefined;
      if (before !== undefined) {
        if (before === null) marks.delete(i);
        else marks.set(i, before);
        locked.add(i);
      }
      if (p.evaluations === 0 || released.contains(p.keys)) {
        if (!primary(p)) marks.delete(i);
        locked.add(i);
      }
    });
    const publicBefore = new Set([...locked].filter((i) => released.contains((positions[i] as Position).keys)));

    // Hide more of this report until nothing hidden, now or before, can be worked out.
    for (;;) {
      const span = released.clone();
      positions.forEach((p, i) => !marks.has(i) && span.add(p.keys));
      const exposed = [
        ...positions.filter((p, i) => marks.has(i) && !publicBefore.has(i) && span.contains(p.keys)).map((p) => p.keys),
        ...[...hiddenEver.values()].filter((keys) => span.contains(keys)),
      ];
      if (!exposed.length) break;
      const touched = new Set(exposed.flat());
      const candidates = positions
        .map((p, i) => ({ p, i }))
        .filter(({ p, i }) => !marks.has(i) && !locked.has(i) && p.evaluations > 0)
        .sort(
          (a, b) =>
            Number(b.p.keys.some((key) => touched.has(key))) - Number(a.p.keys.some((key) => touched.has(key))) ||
            Number(b.p.kind === 'cell') - Number(a.p.kind === 'cell') ||
            Number(a.p.kind === 'total') - Number(b.p.kind === 'total') ||
            a.p.evaluations - b.p.evaluations ||
            a.i - b.i,
        );
      const chosen = candidates[0];
      // Cannot happen: with every unlocked position hidden, only what was public before is released.
      if (!chosen) break;
      marks.set(chosen.i, 'COMPLEMENTARY');
    }

    positions.forEach((p, i) => {
      if (p.kind === 'cell') cellDecisions.set(keyOf(p.row as string, p.block as string), marks.get(i) ?? null);
      if (!marks.has(i)) released.add(p.keys);
      else if (!publicBefore.has(i) && p.keys.length) hiddenEver.set(vectorId(p.keys), p.keys);
    });

    const markOf = (i: number): ReleaseMark => marks.get(i) ?? null;
    const release: TableRelease = { rows: rs, blocks: bs, cells: {}, rowTotals: {}, columnTotals: {}, total: null };
    positions.forEach((p, i) => {
      if (p.kind === 'cell') (release.cells[p.row as string] ??= {})[p.block as string] = markOf(i);
      else if (p.kind === 'row') release.rowTotals[p.row as string] = markOf(i);
      else if (p.kind === 'column') release.columnTotals[p.block as string] = markOf(i);
      else if (p.kind === 'total') release.total = markOf(i);
    });
    steps.push(release);
  }
  return steps;
}
