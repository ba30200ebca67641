import fc from 'fast-check';
import {
  type CellStats,
  cellAt,
  columnTotalAt,
  equations,
  protect,
  positions,
  rowTotalAt,
  type Shape,
  type StatsTable,
  type SuppressionResult,
  totalAt,
} from '../src/suppression';
import { exposedByOracle } from './oracle';

/** The exact rational oracle (./oracle.ts) over the table's row, column and grand-total equations. */
const exposedInTable = (s: Shape, hidden: Set<number>): number[] => exposedByOracle(equations(s), hidden);

const hiddenOf = (s: Shape, r: SuppressionResult): Set<number> => {
  const hidden = new Set<number>();
  r.cells.forEach((row, i) => row.forEach((m, j) => m && hidden.add(cellAt(s, i, j))));
  r.rowTotals.forEach((m, i) => m && hidden.add(rowTotalAt(s, i)));
  r.columnTotals.forEach((m, j) => m && hidden.add(columnTotalAt(s, j)));
  if (r.total) hidden.add(totalAt(s));
  return hidden;
};

/** A table from interior evaluator counts (each evaluator evaluates once: totals are sums). */
function table(counts: number[][]): StatsTable {
  const c = (n: number): CellStats => ({ evaluations: n, evaluators: n });
  const cols = counts[0]?.length ?? 0;
  return {
    cells: counts.map((row) => row.map(c)),
    rowTotals: counts.map((row) => c(row.reduce((a, b) => a + b, 0))),
    columnTotals: Array.from({ length: cols }, (_, j) => c(counts.reduce((a, row) => a + (row[j] as number), 0))),
    total: c(counts.flat().reduce((a, b) => a + b, 0)),
  };
}

/** Every guarantee at once: small cells hidden, nothing hidden derivable, empty cells shown, deterministic. */
function checkProtected(counts: number[][], k: number): SuppressionResult {
  const t = table(counts);
  const s: Shape = { rows: counts.length, cols: counts[0]?.length ?? 0 };
  const result = protect(t, k);
  const hidden = hiddenOf(s, result);
  counts.forEach((row, i) =>
    row.forEach((n, j) => {
      if (n > 0 && n < k) expect(result.cells[i]![j]).toBe('TOO_FEW_EVALUATORS');
      if (n === 0) expect(result.cells[i]![j]).toBeNull();
    }),
  );
  expect(exposedInTable(s, hidden)).toEqual([]);
  expect(protect(t, k)).toEqual(result);
  return result;
}

describe('cell suppression', () => {
  it('hides nothing when every cell has k evaluators', () => {
    const r = checkProtected(
      [
        [5, 6],
        [7, 9],
      ],
      5,
    );
    expect(hiddenOf({ rows: 2, cols: 2 }, r).size).toBe(0);
  });

  it('protects a small cell with the cheapest rectangle of cells around it, leaving the totals shown', () => {
    const r = checkProtected(
      [
        [2, 8, 6],
        [9, 7, 12],
      ],
      5,
    );
    // 2 = row total − 8 − 6, and = column total − 9: the rectangle 2, 8 / 9, 7 (24 evaluations) is
    // the cheapest one; hidden, each of its corners can be moved by the same amount unseen.
    expect(r.cells).toEqual([
      ['TOO_FEW_EVALUATORS', 'COMPLEMENTARY', null],
      ['COMPLEMENTARY', 'COMPLEMENTARY', null],
    ]);
    expect([...r.rowTotals, ...r.columnTotals, r.total]).toEqual([null, null, null, null, null, null]);
  });

  it('hides totals that are themselves too small, and protects a single row', () => {
    const r = checkProtected([[1, 9, 12]], 5);
    // In one row each column total is its cell: the small cell's total is small too, and the
    // rectangle takes the cheaper other cell with its total.
    expect(r.cells[0]).toEqual(['TOO_FEW_EVALUATORS', 'COMPLEMENTARY', null]);
    expect(r.columnTotals).toEqual(['TOO_FEW_EVALUATORS', 'COMPLEMENTARY', null]);
    expect(r.rowTotals).toEqual([null]);
    checkProtected([[3]], 5);
    const small = checkProtected(
      [
        [1, 1],
        [1, 1],
      ],
      5,
    );
    expect(small.total).toBe('TOO_FEW_EVALUATORS');
  });

  it('guarantees, for every pattern of small cells in tables up to 3 × 3, that no hidden cell can be derived (exhaustive)', () => {
    let tables = 0;
    for (const [rows, cols] of [
      [1, 1],
      [1, 2],
      [1, 3],
      [2, 2],
      [2, 3],
      [3, 2],
      [3, 3],
    ] as const) {
      for (let pattern = 0; pattern < 2 ** (rows * cols); pattern++) {
        // Small cells have 2 evaluators, the others 6 + their position (distinct sizes), k = 5.
        const counts = Array.from({ length: rows }, (_, i) =>
          Array.from({ length: cols }, (_, j) => ((pattern >> (i * cols + j)) & 1 ? 2 : 6 + i * cols + j)),
        );
        checkProtected(counts, 5);
        tables++;
      }
    }
    expect(tables).toBe(2 + 4 + 8 + 16 + 64 + 64 + 512);
  });

  it('never leaves a hidden cell derivable from released row and column totals (property)', () => {
    const tables = fc
      .integer({ min: 1, max: 4 })
      .chain((rows) =>
        fc
          .integer({ min: 1, max: 4 })
          .chain((cols) =>
            fc.array(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows }),
          ),
      );
    fc.assert(
      fc.property(tables, fc.integer({ min: 2, max: 6 }), (counts, k) => {
        checkProtected(counts, k);
      }),
      { numRuns: 400 },
    );
  });

  it('numbers positions as the equations expect', () => {
    const s = { rows: 2, cols: 3 };
    expect(positions(s)).toBe(12);
    expect([cellAt(s, 1, 2), rowTotalAt(s, 1), columnTotalAt(s, 2), totalAt(s)]).toEqual([5, 7, 10, 11]);
  });
});
