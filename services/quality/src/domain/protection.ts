import { type CellStats, type Equation, type Mark, productEquations, protectSystem, treeEquations } from '@medcollab/anonymity';

import { ContentMemo } from './protection-memo';

export { productEquations, treeEquations };

/**
 * Systems already solved in this process, by content (domain/protection-memo.ts): after a change,
 * only the systems whose figures changed are solved again. At most 4,096 systems and 2,000,000
 * marks (a hospital's year is a few hundred marks per system, the network's tens of thousands).
 */
export const protectionMemo = new ContentMemo<Mark[][]>(4096, 2_000_000, (marks) => marks.reduce((n, column) => n + column.length, 0));

/**
 * Evaluation figures are protected over more than one report at a time (ADR 0012):
 *
 * - A year, its terms and its blocks: the year's figure of a scope is the sum of its terms',
 *   a term's the sum of its blocks', so a hidden block could be worked out as "year (or term)
 *   minus the other blocks". The scope tree is crossed with the period tree (year → terms →
 *   blocks) and protected as one system; learner outcomes kept per competency are crossed with
 *   the items too (all competencies = the sum of each one's results).
 * - A snapshot and its later revisions: a late evaluation changes a frozen figure; publishing
 *   both revisions would give the change away (revision 2 minus revision 1), so each change is
 *   a position of its own (earlier + change = next), hidden when fewer than k evaluators are
 *   behind it, and the next revision is protected so that it stays hidden.
 *
 * Decisions already published (closed blocks, earlier revisions) are FIXED: released stays
 * released, hidden stays hidden, and only figures not yet published are hidden further.
 */
export interface ProtectionColumn {
  /** Evaluations and distinct evaluators per scope node (by the node's position). */
  stats: readonly CellStats[];
  /** Published decisions per node position; a node without one is decided now. */
  fixed?: ReadonlyMap<number, Mark>;
}

/** Marks per column and node: the scope tree (`parents`) crossed with the period tree (`columnParents`). */
export function protectColumns(
  parents: readonly number[],
  columns: readonly ProtectionColumn[],
  columnParents: readonly number[],
  k: number,
  scopeEquations: readonly Equation[] | null = null,
): Mark[][] {
  return protectGrid(parents, columns, treeEquations(columnParents), k, scopeEquations);
}

/**
 * Marks per column and node: the scope tree crossed with any equations between columns — the
 * period tree (year → terms → blocks) or, for learner outcomes kept per competency, the period
 * tree crossed with the items (all competencies = the sum of each competency's results).
 * `scopeEquations` replaces the scope tree's equations when a parent is split more than one way
 * (domain/partitions.ts: a program's cohorts and its modules); null keeps the tree.
 */
export function protectGrid(
  parents: readonly number[],
  columns: readonly ProtectionColumn[],
  columnEquations: readonly Equation[],
  k: number,
  scopeEquations: readonly Equation[] | null = null,
): Mark[][] {
  const key = ContentMemo.keyOf([
    `k${k}`,
    parents.join(','),
    scopeEquations ? scopeEquations.map((e) => [...e].map(([p, c]) => `${p}*${c}`).join('+')).join(';') : '',
    columnEquations.map((e) => [...e].map(([p, c]) => `${p}*${c}`).join('+')).join(';'),
    ...columns.map(
      (c) =>
        `${c.stats.map((s) => `${s.evaluations}.${s.evaluators}`).join(',')}|${[...(c.fixed ?? [])].map(([p, m]) => `${p}=${m ?? ''}`).join(',')}`,
    ),
  ]);
  return protectionMemo.get(key, () => solveGrid(parents, columns, columnEquations, k, scopeEquations ?? treeEquations(parents)));
}

function solveGrid(
  parents: readonly number[],
  columns: readonly ProtectionColumn[],
  columnEquations: readonly Equation[],
  k: number,
  scopeEquations: readonly Equation[],
): Mark[][] {
  const cols = columns.length;
  const stats: CellStats[] = [];
  const fixed = new Map<number, Mark>();
  parents.forEach((_, r) =>
    columns.forEach((c, ci) => {
      stats.push(c.stats[r] ?? { evaluations: 0, evaluators: 0 });
      if (c.fixed?.has(r)) fixed.set(r * cols + ci, c.fixed.get(r) ?? null);
    }),
  );
  const equations: Equation[] = [];
  for (let c = 0; c < cols; c++)
    for (const e of scopeEquations) equations.push(new Map([...e].map(([r, coef]): [number, number] => [r * cols + c, coef])));
  for (let r = 0; r < parents.length; r++)
    for (const e of columnEquations) equations.push(new Map([...e].map(([c, coef]): [number, number] => [r * cols + c, coef])));
  const marks = protectSystem(stats, equations, k, fixed);
  return columns.map((_, ci) => parents.map((_, r) => marks[r * cols + ci] ?? null));
}

/**
 * The next revision R of a frozen period, protected against every earlier one: the earlier
 * revisions' decisions are fixed, and for each earlier revision j the change from j to R is a
 * position of its own (revision j + change = revision R), hidden when fewer than k evaluators
 * made it, so no published figure minus an earlier published one gives a few late evaluations
 * away. Each column also obeys the scope tree. Returns the marks of revision R.
 */
export function protectRevision(
  parents: readonly number[],
  history: readonly ProtectionColumn[],
  changes: readonly (readonly CellStats[])[],
  current: readonly CellStats[],
  k: number,
): Mark[] {
  return protectRevisionItems(
    parents,
    1,
    history.map((h) => [h]),
    changes.map((c) => [c]),
    [current],
    k,
  )[0]!;
}

/**
 * protectRevision for `items` figures protected together: item 0 is the whole, the others its
 * parts (learner outcomes per competency: the whole is the sum of each competency's results),
 * in every revision and every change. `history[j][i]`, `changes[j][i]`, `current[i]`; returns
 * the marks of revision R per item.
 */
export function protectRevisionItems(
  parents: readonly number[],
  items: number,
  history: readonly (readonly ProtectionColumn[])[],
  changes: readonly (readonly (readonly CellStats[])[])[],
  current: readonly (readonly CellStats[])[],
  k: number,
  scopeEquations: readonly Equation[] | null = null,
): Mark[][] {
  const R = history.length;
  const col = (c: number, i: number) => c * items + i;
  const columns: ProtectionColumn[] = [];
  for (let j = 0; j < R; j++) for (let i = 0; i < items; i++) columns.push(history[j]![i]!);
  for (let j = 0; j < R; j++) for (let i = 0; i < items; i++) columns.push({ stats: changes[j]![i]! });
  for (let i = 0; i < items; i++) columns.push({ stats: current[i]! });
  const equations: Equation[] = [];
  if (items > 1)
    for (let c = 0; c <= 2 * R; c++)
      equations.push(
        new Map<number, number>([[col(c, 0), -1], ...Array.from({ length: items - 1 }, (_, x): [number, number] => [col(c, x + 1), 1])]),
      );
  for (let i = 0; i < items; i++)
    for (let j = 0; j < R; j++)
      equations.push(
        new Map([
          [col(2 * R, i), 1],
          [col(j, i), -1],
          [col(R + j, i), -1],
        ]),
      );
  const marks = protectGrid(parents, columns, equations, k, scopeEquations);
  return Array.from({ length: items }, (_, i) => marks[col(2 * R, i)]!);
}

/** What changed in a cell between two revisions: the evaluations added or retracted, and by how many evaluators. */
export function changeStats(before: Record<string, number> = {}, after: Record<string, number> = {}): CellStats {
  let evaluations = 0;
  let evaluators = 0;
  for (const p of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const d = Math.abs((after[p] ?? 0) - (before[p] ?? 0));
    if (d) {
      evaluations += d;
      evaluators++;
    }
  }
  return { evaluations, evaluators };
}

/**
 * What changed in a cell between two revisions whose evaluators were pseudonymised with different
 * keys (ADR 0047): the same evaluator has another pseudonym in each, so comparing them would count
 * every evaluator as gone and come again — a change of many evaluators, released, although it may
 * be one late evaluation. Who changed cannot be told; a cell that changed at all counts as changed
 * by one evaluator (hidden below k, so the revisions stay apart), one that did not as unchanged.
 */
export function changeAcrossKeys(before: CellFigures | undefined, after: CellFigures | undefined): CellStats {
  const n = (c: CellFigures | undefined) => c?.n ?? 0;
  const histogram = (c: CellFigures | undefined) => JSON.stringify(Object.entries(c?.histogram ?? {}).sort());
  const same = n(before) === n(after) && (before?.totalMilli ?? 0) === (after?.totalMilli ?? 0) && histogram(before) === histogram(after);
  return same ? { evaluations: 0, evaluators: 0 } : { evaluations: Math.max(1, Math.abs(n(after) - n(before))), evaluators: 1 };
}

/** A cell's figures, as far as changeAcrossKeys compares them. */
export interface CellFigures {
  n: number;
  totalMilli: number;
  histogram: Record<string, number>;
  evaluatorCounts?: Record<string, number>;
}

/**
 * The change of a cell from an earlier revision: evaluator by evaluator when both revisions'
 * pseudonyms were made with the same key, or when quality made none of them (teaching
 * evaluations: assessment's pseudonyms); otherwise `changeAcrossKeys`.
 */
export const revisionChange = (
  before: CellFigures | undefined,
  after: CellFigures | undefined,
  sameKey: boolean,
  keyedByQuality: boolean,
): CellStats =>
  sameKey || !keyedByQuality ? changeStats(before?.evaluatorCounts, after?.evaluatorCounts) : changeAcrossKeys(before, after);
