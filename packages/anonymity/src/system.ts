import { type CellStats, type Mark, type SuppressionReason } from './suppression';

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
/** How many of the best-ranked candidates complementary suppression tries before choosing. */
const LOOKAHEAD = 6;

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
  let max = -1;
  for (const h of hidden) if (h > max) max = h;
  // Union-find over the hidden positions that share an equation (positions are small integers).
  const up = new Int32Array(max + 1).fill(-1);
  const find = (x: number): number => {
    let r = x;
    while (up[r] !== r) r = up[r]!;
    while (up[x] !== r) {
      const next = up[x]!;
      up[x] = r;
      x = next;
    }
    return r;
  };
  const rows: { positions: number[]; coefs: number[] }[] = [];
  for (const e of equations) {
    const positions: number[] = [];
    const coefs: number[] = [];
    for (const [pos, coef] of e)
      if (coef !== 0 && pos <= max && hidden.has(pos)) {
        positions.push(pos);
        coefs.push(coef);
        if (up[pos] === -1) up[pos] = pos;
        if (positions.length > 1) {
          const a = find(positions[0]!);
          const b = find(pos);
          if (a !== b) up[b] = a;
        }
      }
    if (positions.length) rows.push({ positions, coefs });
  }
  const groups = new Map<number, { positions: number[]; coefs: number[] }[]>();
  for (const row of rows) {
    const root = find(row.positions[0]!);
    const g = groups.get(root);
    if (g) g.push(row);
    else groups.set(root, [row]);
  }
  const found: number[] = [];
  for (const g of groups.values()) reduceGroup(g, found);
  return found.sort((a, b) => a - b);
}

/**
 * Gauss–Jordan reduction of one group's equations (columns: its positions, ascending), the
 * same steps as `derivableDense`; pushes the positions whose reduced row is their unit vector.
 */
function reduceGroup(rows: readonly { positions: number[]; coefs: number[] }[], found: number[]): void {
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
  for (let c = 0; c < width && r < m.length; c++) {
    let best = r;
    for (let i = r + 1; i < m.length; i++) if (Math.abs(m[i]![c]!) > Math.abs(m[best]![c]!)) best = i;
    if (Math.abs(m[best]![c]!) < EPSILON) continue;
    [m[r], m[best]] = [m[best]!, m[r]!];
    const pivotRow = m[r]!;
    const p = pivotRow[c]!;
    for (let j = c; j < width; j++) pivotRow[j] = pivotRow[j]! / p;
    for (let i = 0; i < m.length; i++) {
      if (i === r) continue;
      const row = m[i]!;
      const f = row[c]!;
      if (Math.abs(f) < EPSILON) continue;
      for (let j = c; j < width; j++) row[j] = row[j]! - f * pivotRow[j]!;
    }
    pivots.push({ row: r, col: c });
    r++;
  }
  for (const { row, col: c } of pivots) {
    const values = m[row]!;
    let unit = true;
    for (let j = 0; j < width && unit; j++) if (j !== c && Math.abs(values[j]!) >= EPSILON) unit = false;
    if (unit) found.push(vars[c]!);
  }
}

/** derivableIn by reducing the whole system at once (the reference the grouped reduction is tested against). */
export function derivableDense(equations: readonly Equation[], hidden: ReadonlySet<number>): number[] {
  const vars = [...hidden].sort((a, b) => a - b);
  const col = new Map(vars.map((v, i) => [v, i]));
  const m = equations
    .map((e) => {
      const row = new Array<number>(vars.length).fill(0);
      for (const [pos, coef] of e) {
        const i = col.get(pos);
        if (i !== undefined) row[i] = coef;
      }
      return row;
    })
    .filter((row) => row.some((x) => x !== 0));
  const pivots: { row: number; col: number }[] = [];
  let r = 0;
  for (let c = 0; c < vars.length && r < m.length; c++) {
    let best = r;
    for (let i = r + 1; i < m.length; i++) if (Math.abs(m[i]![c]!) > Math.abs(m[best]![c]!)) best = i;
    if (Math.abs(m[best]![c]!) < EPSILON) continue;
    [m[r], m[best]] = [m[best]!, m[r]!];
    const pivotRow = m[r]!;
    const p = pivotRow[c]!;
    for (let j = 0; j < vars.length; j++) pivotRow[j] = pivotRow[j]! / p;
    for (let i = 0; i < m.length; i++) {
      if (i === r) continue;
      const row = m[i]!;
      const f = row[c]!;
      if (Math.abs(f) < EPSILON) continue;
      for (let j = 0; j < vars.length; j++) row[j] = row[j]! - f * pivotRow[j]!;
    }
    pivots.push({ row: r, col: c });
    r++;
  }
  return pivots.filter(({ row, col: c }) => m[row]!.every((x, j) => j === c || Math.abs(x) < EPSILON)).map(({ col: c }) => vars[c]!);
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
  const relevant = equations.filter((e) => e.size > 0);
  const exhausted = new Set<number>();
  // What the lookahead found for the position it chose: the next round's starting point, exactly.
  let ahead: number[] | null = null;
  for (;;) {
    const exposed = ahead ?? derivableIn(relevant, new Set(marks.keys()));
    ahead = null;
    // A published hidden position that the published released ones already determine cannot be helped now.
    const target = exposed.find((p) => !exhausted.has(p));
    if (target === undefined) break;
    // Candidates: released positions sharing an equation with any exposed one (in a product of
    // trees, the cheapest way to close one exposure is often on another's equation).
    // Ranked: next to the most exposed positions (it may close several at once), then the
    // fewest evaluations, then the lowest position.
    const open = new Set(exposed.filter((p) => !exhausted.has(p)));
    const covers = new Map<number, Set<number>>();
    for (const e of relevant) {
      const near = [...e.keys()].filter((p) => open.has(p));
      if (!near.length) continue;
      for (const p of e.keys())
        if (!marks.has(p) && !fixed.has(p) && stats[p]!.evaluations > 0) {
          const set = covers.get(p) ?? new Set<number>();
          near.forEach((x) => set.add(x));
          covers.set(p, set);
        }
    }
    const ranked = [...covers.keys()].sort(
      (a, b) => covers.get(b)!.size - covers.get(a)!.size || stats[a]!.evaluations - stats[b]!.evaluations || a - b,
    );
    // Look one step ahead among the best few: the one that leaves the fewest positions exposed.
    let chosen = ranked[0];
    let chosenLeaves: number[] | null = null;
    if (ranked.length > 1) {
      let fewest = Infinity;
      for (const p of ranked.slice(0, LOOKAHEAD)) {
        const leaves = derivableIn(relevant, new Set([...marks.keys(), p]));
        const left = leaves.filter((x) => !exhausted.has(x)).length;
        if (left < fewest) {
          fewest = left;
          chosen = p;
          chosenLeaves = leaves;
        }
      }
    }
    if (chosen === undefined && fixed.size) {
      // Nothing left to hide on its equations: hide every other position not fixed that could still help, once.
      exhausted.add(target);
      let hid = false;
      stats.forEach((s, pos) => {
        if (s.evaluations > 0 && !marks.has(pos) && !fixed.has(pos)) {
          marks.set(pos, 'COMPLEMENTARY');
          hid = true;
        }
      });
      if (!hid) break;
      continue;
    }
    if (chosen === undefined) {
      // Only with inconsistent figures (a hidden non-empty position on empty lines): hide all rather than risk it.
      stats.forEach((s, pos) => {
        if (s.evaluations > 0 && !marks.has(pos) && !fixed.has(pos)) marks.set(pos, 'COMPLEMENTARY');
      });
      break;
    }
    marks.set(chosen, 'COMPLEMENTARY');
    ahead = chosenLeaves;
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
