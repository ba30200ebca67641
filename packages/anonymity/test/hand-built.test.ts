import { type CellStats, derivable, equations, protect, type StatsTable } from '../src/suppression';
import { derivableDense, derivableIn, type Equation, productEquations, protectSystem, treeEquations } from '../src/system';
import { exposedByOracle } from './oracle';

/**
 * Small systems whose suppression is worked out by hand in each comment: which positions are
 * hidden, and why, exactly — not only the guarantees the property tests check.
 */
const c = (n: number): CellStats => ({ evaluations: n, evaluators: n });
const eq = (entries: [number, number][]): Equation => new Map(entries);
const hiddenIn = (marks: readonly (string | null)[]): number[] => marks.flatMap((m, i) => (m ? [i] : []));

describe('the table equations', () => {
  it('are each row, each column and the grand total both ways, with the total subtracted', () => {
    // 2 × 3: cells 0-5 (row by row), row totals 6-7, column totals 8-10, grand total 11.
    expect(equations({ rows: 2, cols: 3 })).toEqual([
      eq([
        [6, -1],
        [0, 1],
        [1, 1],
        [2, 1],
      ]),
      eq([
        [7, -1],
        [3, 1],
        [4, 1],
        [5, 1],
      ]),
      eq([
        [8, -1],
        [0, 1],
        [3, 1],
      ]),
      eq([
        [9, -1],
        [1, 1],
        [4, 1],
      ]),
      eq([
        [10, -1],
        [2, 1],
        [5, 1],
      ]),
      eq([
        [11, -1],
        [6, 1],
        [7, 1],
      ]),
      eq([
        [11, -1],
        [8, 1],
        [9, 1],
        [10, 1],
      ]),
    ]);
  });
});

describe('derivable positions', () => {
  it('in a 1 × 2 table: both cells hidden are given away by their column totals', () => {
    // cells 0, 1; row total 2; column totals 3, 4; grand total 5. Column j: cell j = column total j.
    expect(derivable({ rows: 1, cols: 2 }, new Set([1, 0]))).toEqual([0, 1]);
    // A cell and its column total hidden: the other column and the grand total give both away.
    expect(derivable({ rows: 1, cols: 2 }, new Set([3, 0]))).toEqual([0, 3]);
    // The row total and the grand total hidden: each is the sum of the column totals.
    expect(derivable({ rows: 1, cols: 2 }, new Set([5, 2]))).toEqual([2, 5]);
  });

  it('in a 2 × 2 table: a hidden rectangle gives nothing away, three of its corners do', () => {
    expect(derivable({ rows: 2, cols: 2 }, new Set([0, 1, 2, 3]))).toEqual([]);
    expect(derivable({ rows: 2, cols: 2 }, new Set([0, 1, 2]))).toEqual([0, 1, 2]);
  });

  it('comes out ascending across independent groups, whatever order the equations take', () => {
    const three = [eq([[5, 1]]), eq([[1, 1]]), eq([[3, 1]])];
    expect(derivableIn(three, new Set([3, 5, 1]))).toEqual([1, 3, 5]);
    expect(derivableDense(three, new Set([3, 5, 1]))).toEqual([1, 3, 5]);
  });

  it('needs the pivot divided out: x0 + x1 and x0 − x1 released give both (a pivot of −2 on the way)', () => {
    const system = [
      eq([
        [0, 1],
        [1, 1],
      ]),
      eq([
        [0, 1],
        [1, -1],
      ]),
    ];
    expect(derivableIn(system, new Set([0, 1]))).toEqual([0, 1]);
    expect(derivableDense(system, new Set([0, 1]))).toEqual([0, 1]);
  });

  it('only positions whose reduced row is their unit vector: x0 + x1 with x1 + x2 gives nothing, adding x2 gives all', () => {
    const chain = [
      eq([
        [0, 1],
        [1, 1],
      ]),
      eq([
        [1, 1],
        [2, 1],
      ]),
    ];
    expect(derivableIn(chain, new Set([0, 1, 2]))).toEqual([]);
    expect(derivableIn([...chain, eq([[2, 1]])], new Set([0, 1, 2]))).toEqual([0, 1, 2]);
    // Positions in no equation are never determined; released positions are not variables.
    expect(derivableIn(chain, new Set([0, 7]))).toEqual([0]);
    expect(derivableIn([], new Set([4]))).toEqual([]);
    expect(derivableIn(chain, new Set())).toEqual([]);
  });

  it('links positions through any shared equation, not only through the first one listed', () => {
    // Groups {0, 1, 2} and {3, 4} — x0 = x1 (a), x1 + x2 (b) and x2 (c) released: all three given away;
    // x3 + x4 alone gives nothing.
    const system = [
      eq([
        [0, 1],
        [1, -1],
      ]),
      eq([
        [3, 1],
        [4, 1],
      ]),
      eq([
        [2, 1],
        [1, 1],
      ]),
      eq([[2, 1]]),
    ];
    const hidden = new Set([4, 3, 2, 1, 0]);
    expect(derivableIn(system, hidden)).toEqual([0, 1, 2]);
    expect(exposedByOracle(system, hidden)).toEqual([0, 1, 2]);
  });
});

describe('drill-down equations', () => {
  it('make each parent the sum of its children, parents in order of their first child', () => {
    expect(treeEquations([-1, 0, 0, 1])).toEqual([
      eq([
        [0, -1],
        [1, 1],
        [2, 1],
      ]),
      eq([
        [1, -1],
        [3, 1],
      ]),
    ]);
    expect(treeEquations([-1])).toEqual([]);
  });

  it('cross two trees: each period column obeys the scope tree, each scope row the period tree', () => {
    // Scope: 0 → 1, 2; period: year 0 → block 1. Position r * 2 + c.
    expect(productEquations([-1, 0, 0], [-1, 0])).toEqual([
      eq([
        [0, -1],
        [2, 1],
        [4, 1],
      ]),
      eq([
        [1, -1],
        [3, 1],
        [5, 1],
      ]),
      eq([
        [0, -1],
        [1, 1],
      ]),
      eq([
        [2, -1],
        [3, 1],
      ]),
      eq([
        [4, -1],
        [5, 1],
      ]),
    ]);
  });
});

/** A table from explicit stats (figures need not add up: protect must stay safe on any). */
const tableOf = (cells: number[][], rowTotals: number[], columnTotals: number[], total: number): StatsTable => ({
  cells: cells.map((row) => row.map(c)),
  rowTotals: rowTotals.map(c),
  columnTotals: columnTotals.map(c),
  total: c(total),
});

describe('protect (tables)', () => {
  it('hides a cell with k − 1 evaluators and releases one with k', () => {
    const r = protect(tableOf([[4, 5]], [9], [4, 5], 9), 5);
    // cells 0, 1; row total 2; column totals 3, 4; total 5. Cell 0 (4) and its column total (4) are
    // small. Rectangles through cell 0 in the table extended by its totals: 0, 1 / 3, 4 (cell 1 and
    // one total to hide) or 0, 2 / 3, 5 (two totals): the first; row and grand totals stay shown.
    expect(r).toEqual({
      cells: [['TOO_FEW_EVALUATORS', 'COMPLEMENTARY']],
      rowTotals: [null],
      columnTotals: ['TOO_FEW_EVALUATORS', 'COMPLEMENTARY'],
      total: null,
    });
    // Evaluators, not evaluations, count: 9 evaluations by 4 evaluators are too few.
    const byFour = protect({ cells: [[{ evaluations: 9, evaluators: 4 }]], rowTotals: [c(9)], columnTotals: [c(9)], total: c(9) }, 5);
    expect(byFour.cells).toEqual([['TOO_FEW_EVALUATORS']]);
  });

  it('prefers the rectangle of fewest evaluations, and never a total while cells will do', () => {
    // cells 0 1 2 / 3 4 5, k = 3: cell 0 (2) is small. Rectangles of cells through it:
    // {1, 3, 4} = 8 + 30 + 40 = 78 and {2, 3, 5} = 50 + 30 + 6 = 86: the first.
    const t = tableOf(
      [
        [2, 8, 50],
        [30, 40, 6],
      ],
      [60, 76],
      [32, 48, 56],
      136,
    );
    const r = protect(t, 3);
    expect(r.cells).toEqual([
      ['TOO_FEW_EVALUATORS', 'COMPLEMENTARY', null],
      ['COMPLEMENTARY', 'COMPLEMENTARY', null],
    ]);
    expect([...r.rowTotals, ...r.columnTotals, r.total]).toEqual([null, null, null, null, null, null]);
    // With k = 2 nothing is small and nothing is hidden.
    expect(protect(t, 2)).toEqual({
      cells: [
        [null, null, null],
        [null, null, null],
      ],
      rowTotals: [null, null],
      columnTotals: [null, null, null],
      total: null,
    });
  });

  it('takes the first of equally cheap rectangles, and none with an empty corner', () => {
    // cells 0 1 2 / 3 4 5, k = 3: cell 0 (2) is small. {1, 3, 4} = 8 + 9 + 7 and {2, 3, 5} =
    // 8 + 9 + 7: equal, the first one found (lowest column) is hidden.
    const tie = protect(
      tableOf(
        [
          [2, 8, 8],
          [9, 7, 7],
        ],
        [18, 23],
        [11, 15, 15],
        41,
      ),
      3,
    );
    expect(tie.cells).toEqual([
      ['TOO_FEW_EVALUATORS', 'COMPLEMENTARY', null],
      ['COMPLEMENTARY', 'COMPLEMENTARY', null],
    ]);
    // Cell 1 empty: {1, 3, 4} would cost 0 + 8 + 7, but an empty cell protects nothing (everyone
    // knows it is empty): {2, 3, 5} = 9 + 8 + 6 is hidden.
    const empty = protect(
      tableOf(
        [
          [2, 0, 9],
          [8, 7, 6],
        ],
        [11, 21],
        [10, 7, 15],
        32,
      ),
      3,
    );
    expect(empty.cells).toEqual([
      ['TOO_FEW_EVALUATORS', null, 'COMPLEMENTARY'],
      ['COMPLEMENTARY', null, 'COMPLEMENTARY'],
    ]);
  });

  it('counts corners already hidden as free', () => {
    // cells 0 1 2 / 3 4 5, k = 3: cells 0 (2 evaluators) and 5 (50 evaluations by 2 evaluators) are
    // small. Rectangles of cells through 0: {1, 3, 4} = 9 + 8 + 40 = 57 and {2, 3, 5} = 30 + 8 + 0 = 38
    // (5 is hidden already: free, where its 50 evaluations would make it 88): the second, which
    // protects both small cells at once.
    const t = tableOf(
      [
        [2, 9, 30],
        [8, 40, 0],
      ],
      [41, 98],
      [10, 49, 80],
      139,
    );
    t.cells[1]![2] = { evaluations: 50, evaluators: 2 };
    expect(protect(t, 3).cells).toEqual([
      ['TOO_FEW_EVALUATORS', null, 'COMPLEMENTARY'],
      ['COMPLEMENTARY', null, 'TOO_FEW_EVALUATORS'],
    ]);
  });

  it('without a rectangle of non-empty corners (figures that do not add up), hides every non-empty position', () => {
    // Totals without cells: cells 0, 1 empty; row total 2 empty; column totals 3 (9) and 4 (8);
    // grand total 5 (3) is small and = row total 2 (and = column totals 3 + 4).
    // Every rectangle through it has the empty row total or an empty cell as a corner, and
    // with totals that added up there would always be one: the figures cannot be trusted,
    // so every non-empty position is hidden — here both column totals.
    expect(protect(tableOf([[0, 0]], [0], [9, 8], 3), 5)).toEqual({
      cells: [[null, null]],
      rowTotals: [null],
      columnTotals: ['COMPLEMENTARY', 'COMPLEMENTARY'],
      total: 'TOO_FEW_EVALUATORS',
    });
  });

  it('with no neighbour left to hide, hides every other non-empty position rather than risk it', () => {
    // cell 0 (7), row total 1 and column total 2 empty, total 3 (3) small = row total 1: no
    // rectangle (the column total is empty), no non-empty neighbour: the cell is hidden too.
    expect(protect(tableOf([[7]], [0], [0], 3), 5)).toEqual({
      cells: [['COMPLEMENTARY']],
      rowTotals: [null],
      columnTotals: [null],
      total: 'TOO_FEW_EVALUATORS',
    });
  });
});

describe('protectSystem (any equations)', () => {
  const tree = [-1, 0, 0, 0];

  it('hides a node with k − 1 evaluators and releases one with k; empty nodes stay shown', () => {
    // 3 (4) is small and = 0 − 1 − 2: 1 (5) is hidden with it (fewest evaluations, lowest position).
    expect(protectSystem([c(14), c(5), c(5), c(4)], treeEquations(tree), 5)).toEqual([null, 'COMPLEMENTARY', null, 'TOO_FEW_EVALUATORS']);
    expect(protectSystem([c(10), c(5), c(5), c(0)], treeEquations(tree), 5)).toEqual([null, null, null, null]);
    expect(protectSystem([{ evaluations: 30, evaluators: 4 }], [], 5)).toEqual(['TOO_FEW_EVALUATORS']);
  });

  it('breaks ties on evaluations by the lowest position', () => {
    // 3 is small: siblings 1 and 2 have 7 evaluations each, either closes it: 1.
    expect(protectSystem([c(17), c(7), c(7), c(3)], treeEquations(tree), 5)).toEqual([null, 'COMPLEMENTARY', null, 'TOO_FEW_EVALUATORS']);
  });

  it('looks ahead: hides the candidate that closes the exposure, not merely the cheapest', () => {
    // 0 = 1 + 2 and 0 = 3. 1 (3) is small and exposed (0 − 2). Candidates 0 (6) and 2 (9): hiding 0
    // leaves it derivable (= 3), so 1 stays exposed; hiding 2 closes it.
    const system = [
      eq([
        [0, -1],
        [1, 1],
        [2, 1],
      ]),
      eq([
        [0, -1],
        [3, 1],
      ]),
    ];
    expect(protectSystem([c(6), c(3), c(9), c(6)], system, 5)).toEqual([null, 'TOO_FEW_EVALUATORS', 'COMPLEMENTARY', null]);
  });

  it('looks ahead among the six best-ranked candidates only', () => {
    // 0 = 1 + 2 + … + 8; 1 (2) is small and exposed. 2 … 7 (12 … 17 evaluations) each equal a
    // released twin (j = 10 + j), so hiding one leaves it and 1 exposed; 8 (30) has no twin and
    // would close 1 at once, but it ranks seventh. Round 1: 2 (first of six leaving 2 exposed).
    // Round 2: 3 … 8 next to both 1 and 2; 8 leaves only 2 exposed (= 12). Round 3: 12 closes it.
    const stats = Array.from({ length: 18 }, (_, p) =>
      c(p === 0 || p === 9 ? 119 : p === 1 ? 2 : p === 8 ? 30 : p === 10 || p === 11 ? 0 : p < 10 ? 10 + p : p),
    );
    const system = [
      eq([[0, -1], ...Array.from({ length: 8 }, (_, i): [number, number] => [i + 1, 1])]),
      eq([
        [0, -1],
        [9, 1],
      ]),
      ...[2, 3, 4, 5, 6, 7].map((j) =>
        eq([
          [j, -1],
          [10 + j, 1],
        ]),
      ),
    ];
    const marks = protectSystem(stats, system, 5);
    expect(hiddenIn(marks)).toEqual([1, 2, 8, 12]);
    expect(marks[1]).toBe('TOO_FEW_EVALUATORS');
    expect(exposedByOracle(system, new Set(hiddenIn(marks)))).toEqual([]);
  });

  it('ranks first the candidate next to the most exposed positions', () => {
    // 2 = 0 + 1, 3 = 0, 4 = 1; 0 and 1 are small and both exposed (= 3, = 4). Hiding any one of
    // 2, 3, 4 leaves three exposed; 2 is next to both and goes first (although it has the most
    // evaluations), then 3 (fewer than 4) leaves 1 exposed, then 4.
    const system = [
      eq([
        [2, -1],
        [0, 1],
        [1, 1],
      ]),
      eq([
        [3, -1],
        [0, 1],
      ]),
      eq([
        [4, -1],
        [1, 1],
      ]),
    ];
    expect(protectSystem([c(2), c(2), c(20), c(6), c(7)], system, 5)).toEqual([
      'TOO_FEW_EVALUATORS',
      'TOO_FEW_EVALUATORS',
      'COMPLEMENTARY',
      'COMPLEMENTARY',
      'COMPLEMENTARY',
    ]);
  });

  it('only hides positions sharing an equation with an exposed one', () => {
    // 3 = 0 + 1 + 2 and 4 = 1 + 2 give 0 away (3 − 4); 5 = 3. Candidates next to 0: only 3; hidden,
    // 3 = 5 gives it and 0 away, so 5 is hidden too. Hiding 4 would have closed it at once, but 4
    // shares no equation with 0.
    const system = [
      eq([
        [3, -1],
        [0, 1],
        [1, 1],
        [2, 1],
      ]),
      eq([
        [4, -1],
        [1, 1],
        [2, 1],
      ]),
      eq([
        [3, -1],
        [5, 1],
      ]),
    ];
    expect(protectSystem([c(2), c(2), c(2), c(9), c(8), c(9)], system, 5)).toEqual([
      'TOO_FEW_EVALUATORS',
      'TOO_FEW_EVALUATORS',
      'TOO_FEW_EVALUATORS',
      'COMPLEMENTARY',
      null,
      'COMPLEMENTARY',
    ]);
  });

  it('keeps published decisions: a published released sibling is not hidden, a published hidden node stays hidden', () => {
    // 3 (3) small; sibling 2 (7) already published released: 1 (12) is hidden instead.
    expect(protectSystem([c(22), c(12), c(7), c(3)], treeEquations(tree), 5, new Map([[2, null]]))).toEqual([
      null,
      'COMPLEMENTARY',
      null,
      'TOO_FEW_EVALUATORS',
    ]);
    // 3 now has 6 evaluators but was published hidden: it stays hidden, and 2 (6) protects it.
    expect(protectSystem([c(24), c(12), c(6), c(6)], treeEquations(tree), 5, new Map([[3, 'TOO_FEW_EVALUATORS']]))).toEqual([
      null,
      null,
      'COMPLEMENTARY',
      'TOO_FEW_EVALUATORS',
    ]);
    // 3 (3) was published released: it stays released.
    expect(protectSystem([c(22), c(12), c(7), c(3)], treeEquations(tree), 5, new Map([[3, null]]))).toEqual([null, null, null, null]);
  });

  it('when published figures already give a hidden one away, hides every other unpublished figure once and stops', () => {
    // Tree 0 → 1, 2 published (0 and 1 released, 2 hidden): 2 = 0 − 1 whatever happens now.
    // Unpublished: node 3 (8, alone) and node 4 (2, alone, small). 3 is hidden (nothing better can
    // be done), 4 keeps its reason.
    const fixed = new Map<number, 'TOO_FEW_EVALUATORS' | null>([
      [0, null],
      [1, null],
      [2, 'TOO_FEW_EVALUATORS'],
    ]);
    expect(protectSystem([c(10), c(6), c(4), c(8), c(2)], treeEquations([-1, 0, 0, -1, -1]), 5, fixed)).toEqual([
      null,
      null,
      'TOO_FEW_EVALUATORS',
      'COMPLEMENTARY',
      'TOO_FEW_EVALUATORS',
    ]);
  });

  it('with inconsistent figures (a small node on empty lines), hides every other non-empty node', () => {
    // 0 = 1 + 2 with 1 and 2 empty, 0 small and exposed; 3 (9) alone is hidden too.
    expect(protectSystem([c(3), c(0), c(0), c(9)], treeEquations([-1, 0, 0, -1]), 5)).toEqual([
      'TOO_FEW_EVALUATORS',
      null,
      null,
      'COMPLEMENTARY',
    ]);
  });
});

describe('protect (tables): which rectangle', () => {
  it('hides the cheapest rectangle even when it is not the first one found', () => {
    // cells 0 1 2 / 3 4 5, k = 3: cell 0 (2) is small. {1, 3, 4} = 50 + 9 + 40 = 99 and
    // {2, 3, 5} = 8 + 9 + 7 = 24: the second.
    const r = protect(
      tableOf(
        [
          [2, 50, 8],
          [9, 40, 7],
        ],
        [60, 56],
        [11, 90, 15],
        116,
      ),
      3,
    );
    expect(r.cells).toEqual([
      ['TOO_FEW_EVALUATORS', null, 'COMPLEMENTARY'],
      ['COMPLEMENTARY', null, 'COMPLEMENTARY'],
    ]);
  });

  it('weighs every total above the whole table, whatever its own evaluations (figures that do not add up)', () => {
    // One row: cells 0, 1, 2 (2, 9, 8); row total 3 and grand total 7 claim 3 evaluations each;
    // column totals 4, 5, 6 are the cells. k = 3: cell 0 and column total 4 are small. A total
    // weighs 8 positions × 3 = 24: rectangles 0, 1 / 4, 5 = 9 + 24, 0, 2 / 4, 6 = 8 + 24 and
    // 0, 3 / 4, 7 = 24 + 24 — the second, although the totals' own 3 + 3 would be cheapest.
    const r = protect({ cells: [[c(2), c(9), c(8)]], rowTotals: [c(3)], columnTotals: [c(2), c(9), c(8)], total: c(3) }, 3);
    expect(r).toEqual({
      cells: [['TOO_FEW_EVALUATORS', null, 'COMPLEMENTARY']],
      rowTotals: [null],
      columnTotals: ['TOO_FEW_EVALUATORS', null, 'COMPLEMENTARY'],
      total: null,
    });
  });

  it('protects a small row total once its cells are safe: the rectangle through it uses the other row total', () => {
    // cells 0 1 / 2 3; row totals 4, 5; column totals 6, 7; grand total 8. Row 0 is two cells
    // of 2 evaluations by the same 2 evaluators: cells 0, 1 and row total 4 are small (k = 5).
    // Cell 0 first: rectangle {1, 2, 3} (1 hidden, 9 + 9), then nothing in the interior is
    // derivable but row total 4 = grand total − row total 5: the rectangle through (row 0,
    // total column) takes the other row's total, 5 (cells 0 and 2 already hidden).
    const pair = { evaluations: 2, evaluators: 2 };
    const r = protect(
      {
        cells: [
          [pair, pair],
          [c(9), c(9)],
        ],
        rowTotals: [{ evaluations: 4, evaluators: 2 }, c(18)],
        columnTotals: [c(11), c(11)],
        total: { evaluations: 22, evaluators: 20 },
      },
      5,
    );
    expect(r).toEqual({
      cells: [
        ['TOO_FEW_EVALUATORS', 'TOO_FEW_EVALUATORS'],
        ['COMPLEMENTARY', 'COMPLEMENTARY'],
      ],
      rowTotals: ['TOO_FEW_EVALUATORS', 'COMPLEMENTARY'],
      columnTotals: [null, null],
      total: null,
    });
  });

  it('protects a small column total the same way, with the other column total', () => {
    // The same table transposed: column 0 is two cells of 2 evaluations by the same 2 evaluators.
    const pair = { evaluations: 2, evaluators: 2 };
    const r = protect(
      {
        cells: [
          [pair, c(9)],
          [pair, c(9)],
        ],
        rowTotals: [c(11), c(11)],
        columnTotals: [{ evaluations: 4, evaluators: 2 }, c(18)],
        total: { evaluations: 22, evaluators: 20 },
      },
      5,
    );
    expect(r).toEqual({
      cells: [
        ['TOO_FEW_EVALUATORS', 'COMPLEMENTARY'],
        ['TOO_FEW_EVALUATORS', 'COMPLEMENTARY'],
      ],
      rowTotals: [null, null],
      columnTotals: ['TOO_FEW_EVALUATORS', 'COMPLEMENTARY'],
      total: null,
    });
  });
});

describe('more ties and shapes', () => {
  it('breaks ties on evaluations by the lowest position, whatever order the equation lists them in', () => {
    // 0 = 3 + 2 + 1 (listed in that order); 1 (3) is small; 2 and 3 have 7 evaluations each: 2.
    const system = [
      eq([
        [0, -1],
        [3, 1],
        [2, 1],
        [1, 1],
      ]),
    ];
    expect(protectSystem([c(17), c(3), c(7), c(7)], system, 5)).toEqual([null, 'TOO_FEW_EVALUATORS', 'COMPLEMENTARY', null]);
  });

  it('protects a cell of a single-column table with the rectangle through the row totals', () => {
    // cells 0 / 1 (2, 9); row totals 2, 3; column total 4; grand total 5; k = 3. Cell 0 and row
    // total 2 are small; the only rectangles through cell 0 use the row-total column:
    // {2, 1, 3} = 0 + 9 + total and {2, 4, 5} = 0 + two totals: cell 1 and row total 3.
    expect(protect(tableOf([[2], [9]], [2, 9], [11], 11), 3)).toEqual({
      cells: [['TOO_FEW_EVALUATORS'], ['COMPLEMENTARY']],
      rowTotals: ['TOO_FEW_EVALUATORS', 'COMPLEMENTARY'],
      columnTotals: [null],
      total: null,
    });
  });

  it('finds positions linked through a chain of equations (the union-find shortens its paths)', () => {
    // x1 + x0, x2 + x1 and x0 released: x0, then x1, then x2.
    const chain = [
      eq([
        [1, 1],
        [0, 1],
      ]),
      eq([
        [2, 1],
        [1, 1],
      ]),
      eq([[0, 1]]),
    ];
    expect(derivableIn(chain, new Set([0, 1, 2]))).toEqual([0, 1, 2]);
  });

  it('protects a small cell that is not the first of its row', () => {
    // cells 0, 1 (5, 4); row total 2; column totals 3, 4; total 5; k = 5. Cell 1 and its column
    // total are small: rectangle {0, 3 (cell 0, its column total)} = 5 + one total, not the row
    // and grand totals (two).
    expect(protect(tableOf([[5, 4]], [9], [5, 4], 9), 5)).toEqual({
      cells: [['COMPLEMENTARY', 'TOO_FEW_EVALUATORS']],
      rowTotals: [null],
      columnTotals: ['COMPLEMENTARY', 'TOO_FEW_EVALUATORS'],
      total: null,
    });
  });

  it('protects a small cell in the last row and column with the rectangle of the other three cells', () => {
    // cells 0 1 / 2 3 (9, 8 / 7, 2), k = 3: cell 3 is small; the only rectangle of cells through it is {0, 1, 2}.
    expect(
      protect(
        tableOf(
          [
            [9, 8],
            [7, 2],
          ],
          [17, 9],
          [16, 10],
          26,
        ),
        3,
      ).cells,
    ).toEqual([
      ['COMPLEMENTARY', 'COMPLEMENTARY'],
      ['COMPLEMENTARY', 'TOO_FEW_EVALUATORS'],
    ]);
  });
});
