import { derivableIn } from './system';

/** Why a cell is hidden: too few distinct evaluators behind it, or to protect another hidden cell. */
export type SuppressionReason = 'TOO_FEW_EVALUATORS' | 'COMPLEMENTARY';

/**
 * Statistical disclosure control for the quality tables (rows × columns of evaluation
 * aggregates, with row totals, column totals and a grand total).
 *
 * 1. Primary suppression: a cell (interior or total) with fewer than k distinct evaluators is
 *    hidden (TOO_FEW_EVALUATORS). Cells nobody evaluated (0 evaluations) are shown as empty:
 *    whoever reads the table knows from the placements where no student was, so hiding them
 *    would protect nothing, and they are never used to protect anything either.
 * 2. Complementary suppression: the released cells and totals are linear equations over the
 *    hidden ones (a row's cells add up to its total, and so on; sums and counts alike, hence
 *    means). A hidden cell is DERIVABLE when those equations determine it, i.e. when its unit
 *    vector lies in the row space of the equations restricted to the hidden cells. While some
 *    hidden cell is derivable, more cells are hidden (COMPLEMENTARY): the cheapest rectangle
 *    through it in the table extended by its totals (three other non-empty corners; cost = the
 *    evaluations of the corners not yet hidden, a total weighing more than the whole table, as
 *    totals are what readers use most) — a hidden rectangle is a cycle of the equations, so
 *    none of its corners can be worked out. Ties go to the first rectangle found (lowest rows,
 *    then columns), so the result is deterministic. When the totals add up, every non-empty
 *    position has such a rectangle; figures that do not add up get every non-empty cell hidden.
 *    This ends: every round hides at least one more cell.
 *
 * The audit is exact linear algebra over the table's structure (values never matter), so the
 * guarantee holds whatever the numbers: no hidden cell can be obtained by adding and
 * subtracting released cells and totals.
 */
export interface CellStats {
  /** Evaluations behind the cell (what sums and means are made of). */
  evaluations: number;
  /** Distinct evaluators among them. */
  evaluators: number;
}

export interface StatsTable {
  cells: CellStats[][];
  rowTotals: CellStats[];
  columnTotals: CellStats[];
  total: CellStats;
}

export type Mark = SuppressionReason | null;

export interface SuppressionResult {
  cells: Mark[][];
  rowTotals: Mark[];
  columnTotals: Mark[];
  total: Mark;
}

/** Positions: interior r*C+c, then row totals, column totals, the grand total. */
export interface Shape {
  rows: number;
  cols: number;
}

export const cellAt = (s: Shape, r: number, c: number): number => r * s.cols + c;
export const rowTotalAt = (s: Shape, r: number): number => s.rows * s.cols + r;
export const columnTotalAt = (s: Shape, c: number): number => s.rows * s.cols + s.rows + c;
export const totalAt = (s: Shape): number => s.rows * s.cols + s.rows + s.cols;
export const positions = (s: Shape): number => s.rows * s.cols + s.rows + s.cols + 1;

/** The additivity equations of the table, each as the positions it adds (+1) and subtracts (−1). */
export function equations(s: Shape): Map<number, number>[] {
  const eqs: Map<number, number>[] = [];
  for (let r = 0; r < s.rows; r++) {
    const e = new Map<number, number>([[rowTotalAt(s, r), -1]]);
    for (let c = 0; c < s.cols; c++) e.set(cellAt(s, r, c), 1);
    eqs.push(e);
  }
  for (let c = 0; c < s.cols; c++) {
    const e = new Map<number, number>([[columnTotalAt(s, c), -1]]);
    for (let r = 0; r < s.rows; r++) e.set(cellAt(s, r, c), 1);
    eqs.push(e);
  }
  const byRows = new Map<number, number>([[totalAt(s), -1]]);
  for (let r = 0; r < s.rows; r++) byRows.set(rowTotalAt(s, r), 1);
  const byColumns = new Map<number, number>([[totalAt(s), -1]]);
  for (let c = 0; c < s.cols; c++) byColumns.set(columnTotalAt(s, c), 1);
  eqs.push(byRows, byColumns);
  return eqs;
}

/**
 * The hidden positions the released ones determine, ascending: the table's equations reduced
 * like any other system of additive equations (system.ts).
 */
export function derivable(s: Shape, hidden: ReadonlySet<number>): number[] {
  return derivableIn(equations(s), hidden);
}

const isInterior = (s: Shape, pos: number): boolean => pos < s.rows * s.cols;

/** Stats by position: the interior row by row, then row totals, column totals and the grand total. */
const byPosition = (t: StatsTable): CellStats[] => [...t.cells.flat(), ...t.rowTotals, ...t.columnTotals, t.total];

/** The position of (i, j) in the table extended by its totals: row `rows` holds the column totals, column `cols` the row totals. */
function extended(s: Shape, i: number, j: number): number {
  if (i < s.rows) return j < s.cols ? cellAt(s, i, j) : rowTotalAt(s, i);
  // Column totals, the grand total being column total `cols`.
  return columnTotalAt(s, j);
}

/** The inverse of `extended`. */
function coordinates(s: Shape, pos: number): [number, number] {
  const interior = s.rows * s.cols;
  if (pos < interior) return [Math.floor(pos / s.cols), pos % s.cols];
  if (pos < interior + s.rows) return [pos - interior, s.cols];
  return [s.rows, pos - interior - s.rows];
}

/** The cheapest rectangle of non-empty cells through `target` (the corners to hide), or null when there is none. */
function cheapestRectangle(stats: readonly CellStats[], s: Shape, target: number, hidden: ReadonlyMap<number, unknown>): number[] | null {
  const [i, j] = coordinates(s, target);
  const totalWeight = positions(s) * stats[totalAt(s)]!.evaluations;
  const cost = (pos: number) => (hidden.has(pos) ? 0 : isInterior(s, pos) ? stats[pos]!.evaluations : totalWeight);
  let best: { corners: number[]; cost: number } | null = null;
  for (let i2 = 0; i2 <= s.rows; i2++) {
    if (i2 === i) continue;
    for (let j2 = 0; j2 <= s.cols; j2++) {
      if (j2 === j) continue;
      const corners = [extended(s, i, j2), extended(s, i2, j), extended(s, i2, j2)];
      if (corners.some((p) => stats[p]!.evaluations === 0)) continue;
      const c = corners.reduce((sum, p) => sum + cost(p), 0);
      if (!best || c < best.cost) best = { corners, cost: c };
    }
  }
  return best ? best.corners.filter((p) => !hidden.has(p)) : null;
}

/** Hides what must be hidden, and what must be hidden besides so that nothing hidden can be worked out. */
export function protect(t: StatsTable, k: number): SuppressionResult {
  const s: Shape = { rows: t.cells.length, cols: t.columnTotals.length };
  const stats = byPosition(t);
  const marks = new Map<number, SuppressionReason>();
  stats.forEach((st, pos) => {
    if (st.evaluations > 0 && st.evaluators < k) marks.set(pos, 'TOO_FEW_EVALUATORS');
  });
  for (;;) {
    const exposed = derivable(s, new Set(marks.keys()));
    if (!exposed.length) break;
    const target = exposed[0] as number;
    const rectangle = cheapestRectangle(stats, s, target, marks);
    if (!rectangle?.length) {
      // Only with inconsistent figures (a hidden non-empty position on an empty line; with totals
      // that add up, every non-empty position has a rectangle of non-empty corners, and a hidden
      // one is never derivable): hide every non-empty position rather than risk a disclosure.
      stats.forEach((st, pos) => {
        if (!marks.has(pos) && st.evaluations > 0) marks.set(pos, 'COMPLEMENTARY');
      });
      break;
    }
    for (const p of rectangle) marks.set(p, 'COMPLEMENTARY');
  }
  const mark = (pos: number): Mark => marks.get(pos) ?? null;
  return {
    cells: t.cells.map((row, r) => row.map((_, c) => mark(cellAt(s, r, c)))),
    rowTotals: t.rowTotals.map((_, r) => mark(rowTotalAt(s, r))),
    columnTotals: t.columnTotals.map((_, c) => mark(columnTotalAt(s, c))),
    total: mark(totalAt(s)),
  };
}
