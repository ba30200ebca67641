import { DerivableTracker } from './incremental';
import type { CellStats, Mark, SuppressionReason } from './suppression';

/**
 * Disclosure control for any released set of aggregates bound by additive equations, not only a
 * rows × columns table: drill-down trees (a parent is the sum of its children, so "parent minus
 * the other children" would give a hidden child away) and period chains (a year is the sum of its
 * blocks). Each equation lists the positions it adds (+1) and subtracts (−1); sums and counts
 * obey the same equations, hence means.
 *
 * 1. Primary suppression: a non-empty position with fewer than k distinct evaluators is hidden.
 * 2. Complementary suppression: while the released positions determine some hidden one (its unit
 *    vector lies in the span of the equations restricted to the hidden positions), one more
 *    non-empty released position sharing an equation with an exposed one is hidden: among the
 *    few ranked best (next to the most exposed positions, then fewest evaluations, then lowest
 *    position), the one that leaves the fewest positions exposed — deterministic. Every step
 *    hides one more position, so this ends; at the end nothing hidden can be worked out by
 *    adding and subtracting released figures.
 */
export type Equation = ReadonlyMap<number, number>;

const EPSILON = 1e-9;
/** Zero up to rounding: the reduction divides and subtracts in floating point. */
// Stryker disable next-line EqualityOperator: `<=` differs only for an entry of exactly 1e-9, which sums and ratios of the equations' ±1 coefficients do not produce.
const negligible = (x: number): boolean => Math.abs(x) < EPSILON;
/** How many of the best-ranked candidates complementary suppression tries before choosing. */
const LOOKAHEAD = 6;

/** One equation restricted to the hidden positions: the ones it holds and their coefficients. */
interface Row {
  positions: number[];
  coefs: number[];
}

/** The equations restricted to the hidden positions (those holding none of them are left out). */
function restrict(equations: readonly Equation[], hidden: ReadonlySet<number>): Row[] {
  const rows: Row[] = [];
  for (const e of equations) {
    const row: Row = { positions: [], coefs: [] };
    for (const [pos, coef] of e)
      if (hidden.has(pos)) {
        row.positions.push(pos);
        row.coefs.push(coef);
      }
    // Stryker disable next-line ConditionalExpression: performance only — an equation holding no hidden position is a row of zeros, which never becomes a pivot and changes no other row, so keeping it gives the same positions.
    if (row.positions.length) rows.push(row);
  }
  return rows;
}

/**
 * The hidden positions that the released ones and the equations determine, ascending.
 *
 * Restricted to the hidden positions, the equations fall apart into independent groups (hidden
 * positions linked through shared equations: in a scope tree crossed with a period tree, mostly
 * one department's teachers): a position is determined by its own group's equations or not at
 * all, so each group is reduced on its own — the same answer as reducing the whole system at
 * once (`derivableDense`), at a fraction of the cost.
 */
export function derivableIn(equations: readonly Equation[], hidden: ReadonlySet<number>): number[] {
  const rows = restrict(equations, hidden);
  // Union-find over the hidden positions that share an equation.
  const up = new Map<number, number>();
  for (const h of hidden) up.set(h, h);
  // Stryker disable next-line BlockStatement: performance only — an empty `find` gives every position the same (undefined) root, so all rows form one group, reduced as derivableDense reduces the whole system: the same positions, slower.
  const find = (x: number): number => {
    let r = x;
    while (up.get(r) !== r) r = up.get(r)!;
    // Stryker disable next-line ConditionalExpression: path compression is performance only — `false` skips it and every position still reaches the same root, in more steps (`true` never ends: a timeout).
    while (up.get(x) !== r) {
      const next = up.get(x)!;
      up.set(x, r);
      x = next;
    }
    return r;
  };
  for (const { positions } of rows) for (const pos of positions) up.set(find(pos), find(positions[0]!));
  const groups = new Map<number, Row[]>();
  for (const row of rows) {
    const root = find(row.positions[0]!);
    groups.set(root, [...(groups.get(root) ?? []), row]);
  }
  const found: number[] = [];
  for (const g of groups.values()) reduceGroup(g, found);
  return found.sort((a, b) => a - b);
}

/**
 * Gauss–Jordan reduction of equations restricted to hidden positions (columns: their positions,
 * ascending); pushes, ascending, the positions whose reduced row is their unit vector.
 */
function reduceGroup(rows: readonly Row[], found: number[]): void {
  const vars = [...new Set(rows.flatMap((r) => r.positions))].sort((a, b) => a - b);
  const col = new Map(vars.map((v, i) => [v, i]));
  const width = vars.length;
  const m = rows.map((r) => {
    const row = new Float64Array(width);
    r.positions.forEach((p, i) => (row[col.get(p)!] = r.coefs[i]!));
    return row;
  });
  const pivots: { row: number; col: number }[] = [];
  let r = 0;
  for (let c = 0; c < width; c++) {
    let pivot = r;
    while (pivot < m.length && negligible(m[pivot]![c]!)) pivot++;
    if (pivot === m.length) continue;
    [m[r], m[pivot]] = [m[pivot]!, m[r]!];
    const pivotRow = m[r]!;
    const p = pivotRow[c]!;
    // Stryker disable next-line EqualityOperator: `j <= width` only adds a write one past the end of a Float64Array, which is dropped.
    for (let j = c; j < width; j++) pivotRow[j] = pivotRow[j]! / p;
    for (let i = 0; i < m.length; i++) {
      if (i === r) continue;
      const row = m[i]!;
      const f = row[c]!;
      // Stryker disable next-line ConditionalExpression: performance only — `false` subtracts a negligible multiple of the pivot row, leaving every entry negligible or not as it was.
      if (negligible(f)) continue;
      // Stryker disable next-line EqualityOperator: `j <= width` only adds a write one past the end of a Float64Array, which is dropped.
      for (let j = c; j < width; j++) row[j] = row[j]! - f * pivotRow[j]!;
    }
    pivots.push({ row: r, col: c });
    r++;
  }
  for (const { row, col: c } of pivots) if (m[row]!.every((x, j) => j === c || negligible(x))) found.push(vars[c]!);
}

/** derivableIn by reducing the whole system at once, as one group (the reference the grouping is tested against). */
export function derivableDense(equations: readonly Equation[], hidden: ReadonlySet<number>): number[] {
  const found: number[] = [];
  reduceGroup(restrict(equations, hidden), found);
  return found;
}

/**
 * The LOOKAHEAD best candidates of a round, best first: the positions `open` allows that share an
 * equation with an exposed position, ranked by how many exposed positions they share one with
 * (most first), then by evaluations (fewest first), then by position. The first LOOKAHEAD of
 * sorting them all by that order (a total one), found in one pass; shared exposed positions are
 * counted once each however many equations a candidate shares with them.
 */
export function bestCandidates(
  exposed: readonly number[],
  equations: readonly Equation[],
  equationsOf: ReadonlyMap<number, readonly number[]>,
  open: (p: number) => boolean,
  stats: readonly CellStats[],
): number[] {
  // The exposed positions of every equation holding one.
  const near = new Map<number, number[]>();
  // A derivable position is always in an equation (nothing else determines it).
  for (const x of exposed)
    for (const i of equationsOf.get(x)!) {
      const list = near.get(i);
      if (list) list.push(x);
      else near.set(i, [x]);
    }
  const weighed = new Set<number>();
  // Exposed position → the candidate that last counted it (each counted once per candidate).
  const countedBy = new Map<number, number>();
  const best: { p: number; covers: number }[] = [];
  const before = (a: { p: number; covers: number }, b: { p: number; covers: number }) =>
    b.covers - a.covers || stats[a.p]!.evaluations - stats[b.p]!.evaluations || a.p - b.p;
  for (const i of near.keys())
    for (const p of equations[i]!.keys()) {
      if (weighed.has(p) || !open(p)) continue;
      weighed.add(p);
      let covers = 0;
      for (const j of equationsOf.get(p)!)
        for (const x of near.get(j) ?? [])
          if (countedBy.get(x) !== p) {
            countedBy.set(x, p);
            covers++;
          }
      const candidate = { p, covers };
      // Skipping a candidate no better than the last kept one is a shortcut: inserting it and
      // popping the overflow would keep the same list. `before` is a total order that is 0 only
      // for the same position, and a position is weighed once, so `>= 0` and `< 0` below never
      // meet a 0.
      // Stryker disable next-line ConditionalExpression,EqualityOperator: the shortcut and the strictness are equivalent, as said above
      if (best.length === LOOKAHEAD && before(candidate, best[LOOKAHEAD - 1]!) >= 0) continue;
      let at = best.length;
      // Stryker disable next-line EqualityOperator: `before` is never 0 here (see above)
      while (at > 0 && before(candidate, best[at - 1]!) < 0) at--;
      best.splice(at, 0, candidate);
      if (best.length > LOOKAHEAD) best.pop();
    }
  return best.map((c) => c.p);
}

/**
 * Marks every position: null (released) or why it is hidden. `fixed` holds decisions already
 * published (an earlier snapshot, a closed block): they stand as they are — released stays
 * released, hidden stays hidden — and complementary suppression only hides positions not fixed,
 * so release decisions are monotone over time (the rule of `releaseOverTime`, on any equations).
 */
export function protectSystem(
  stats: readonly CellStats[],
  equations: readonly Equation[],
  k: number,
  fixed: ReadonlyMap<number, Mark> = new Map(),
): Mark[] {
  const marks = new Map<number, SuppressionReason>();
  stats.forEach((s, pos) => {
    if (fixed.has(pos)) {
      const was = fixed.get(pos);
      if (was) marks.set(pos, was);
    } else if (s.evaluations > 0 && s.evaluators < k) marks.set(pos, 'TOO_FEW_EVALUATORS');
  });
  // The derivable positions, kept up to date as positions are hidden (incremental.ts): the same
  // positions derivableIn finds for the hidden set at each step, without reducing it again.
  const tracker = new DerivableTracker(equations);
  for (const p of marks.keys()) tracker.hide(p);
  const hide = (p: number, reason: SuppressionReason) => {
    marks.set(p, reason);
    tracker.hide(p);
  };
  // The equations each position appears in (the candidates of a round are on the exposed ones' equations).
  const equationsOf = new Map<number, number[]>();
  equations.forEach((e, i) => {
    for (const p of e.keys()) {
      const list = equationsOf.get(p);
      if (list) list.push(i);
      else equationsOf.set(p, [i]);
    }
  });
  // Positions that stay exposed whatever is hidden now: published hidden ones that published released ones determine.
  const exhausted = new Set<number>();
  for (;;) {
    const exposed = tracker.current();
    const target = exposed.find((p) => !exhausted.has(p));
    if (target === undefined) break;
    // Candidates: released positions sharing an equation with any exposed one (in a product of
    // trees, the cheapest way to close one exposure is often on another's equation).
    // Ranked: next to the most exposed positions (it may close several at once), then the
    // fewest evaluations, then the lowest position.
    const ranked = bestCandidates(
      exposed,
      equations,
      equationsOf,
      (p) => !marks.has(p) && !fixed.has(p) && stats[p]!.evaluations > 0,
      stats,
    );
    // Look one step ahead among the best few: the one that leaves the fewest positions exposed.
    let chosen: number | undefined;
    let fewest = Infinity;
    for (const p of ranked) {
      const leaves = tracker.countAfter(p);
      if (leaves < fewest) {
        fewest = leaves;
        chosen = p;
      }
    }
    if (chosen === undefined) {
      // Nothing left to hide on its equations (published figures determine it, or the figures are
      // inconsistent: a hidden non-empty position on empty lines): hide every other non-empty
      // position not fixed rather than risk it, and let this one go.
      exhausted.add(target);
      stats.forEach((s, pos) => {
        if (s.evaluations > 0 && !marks.has(pos) && !fixed.has(pos)) hide(pos, 'COMPLEMENTARY');
      });
      continue;
    }
    hide(chosen, 'COMPLEMENTARY');
  }
  return stats.map((_, pos) => marks.get(pos) ?? null);
}

/** A drill-down tree as equations: each node with children is the sum of its children. `parents[i]` is node i's parent (-1 for roots). */
export function treeEquations(parents: readonly number[]): Equation[] {
  const children = new Map<number, number[]>();
  parents.forEach((p, i) => {
    if (p >= 0) children.set(p, [...(children.get(p) ?? []), i]);
  });
  return [...children.entries()].map(
    ([parent, kids]) => new Map<number, number>([[parent, -1], ...kids.map((c): [number, number] => [c, 1])]),
  );
}

/** Protects a drill-down tree (node stats by index, parent of each node) against primary and parent-minus-siblings disclosure. */
export function protectTree(stats: readonly CellStats[], parents: readonly number[], k: number): Mark[] {
  return protectSystem(stats, treeEquations(parents), k);
}

/**
 * Two drill-down trees crossed, e.g. scope (network → institution → department → teacher) ×
 * period (year → blocks): position r * cols + c holds scope node r in period node c, and each
 * column obeys the scope tree while each row obeys the period tree.
 */
export function productEquations(rowParents: readonly number[], columnParents: readonly number[]): Equation[] {
  const cols = columnParents.length;
  const eqs: Equation[] = [];
  for (let c = 0; c < cols; c++) {
    for (const e of treeEquations(rowParents)) eqs.push(new Map([...e].map(([r, coef]): [number, number] => [r * cols + c, coef])));
  }
  for (let r = 0; r < rowParents.length; r++) {
    for (const e of treeEquations(columnParents)) eqs.push(new Map([...e].map(([c, coef]): [number, number] => [r * cols + c, coef])));
  }
  return eqs;
}
