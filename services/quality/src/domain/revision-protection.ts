import { type CellStats, type Mark } from '@medcollab/anonymity';
import { keyedByQuality, type Metric } from './metrics';
import { modulePair, pairedEquations, pairedParents, partitionEquations, residualCounts, residualStats } from './partitions';
import { changeStats, type ProtectionColumn, protectRevisionItems, revisionChange } from './protection';
import { type CellRow, type Protection, type ScopeNode } from './report';

/**
 * How a later revision of a frozen period is decided (ADR 0012 point 4, ADR 0053): every earlier
 * revision's published marks fixed, the change from each earlier revision a position of its own
 * (earlier + change = this one), and — as in live reports and revision 0 — each system is the
 * one the live report decides: learner outcomes with their per-competency items, a program's
 * cohorts and modules as two partitions, and at the network teaching quality by hospital
 * together with the same evaluations by program and module (domain/partitions.ts). Decided per
 * metric alone, a revision would release both network figures of a module pair whenever each
 * change had k evaluators behind it, and their difference — the evaluations naming no program —
 * would be read off as one late evaluation.
 */

/** A figure's key in a report: metric, item and scope node. */
export const markKey = (metric: string, item: string, kind: string, id: string): string => `${metric}\u0001${item}\u0001${kind}:${id}`;
export const statsOf = (c: CellRow | undefined): CellStats => ({ evaluations: c?.n ?? 0, evaluators: c?.evaluators ?? 0 });
export const cellIndex = (cells: readonly CellRow[]): Map<string, CellRow> =>
  new Map(cells.map((c) => [markKey(c.metric, c.item, c.scopeKind, c.scopeId), c]));

/** Learner outcomes whose whole (item '') is the sum of its per-competency items: protected together. */
export const ITEM_SUMMED: ReadonlySet<Metric> = new Set(['COMPETENCY_SCORE', 'ENTRUSTMENT_LEVEL']);

/** An earlier revision of the period, as one canonical report published it. */
export interface PublishedRevision {
  /** The revision's cells of the report's cohort, by `markKey`. */
  cells: ReadonlyMap<string, CellRow>;
  /** The report's published marks of that revision, by `markKey` (a figure without one was released). */
  marks: ReadonlyMap<string, Mark>;
  /** Whether its pseudonyms were made with the key of today's cells (ADR 0047). */
  sameKey: boolean;
}

/**
 * The protection of a canonical report's next revision: `history` its earlier revisions (0…R−1),
 * `now` its cells as they are. `paired`: the report's root is the network, where the module
 * pairs are decided together (as `liveProtection` does).
 */
export function revisionProtection(history: readonly PublishedRevision[], now: readonly CellRow[], k: number, paired: boolean): Protection {
  const nowCells = cellIndex(now);
  // Per metric (or pair): the items protected together, decided once.
  const decided = new Map<string, Map<string, Mark[]>>();
  const heldAnywhere = (key: string) => !!nowCells.get(key)?.n || history.some((h) => !!h.cells.get(key)?.n);

  const decideOne = (metric: Metric, item: string, nodes: readonly ScopeNode[]): Map<string, Mark[]> => {
    const summed = ITEM_SUMMED.has(metric);
    const group = summed ? metric : `${metric}\u0001${item}`;
    const known = decided.get(group);
    if (known) return known;
    const items = summed
      ? [
          '',
          ...[
            ...new Set(
              [...now, ...history.flatMap((h) => [...h.cells.values()])].filter((c) => c.metric === metric && c.item).map((c) => c.item),
            ),
          ].sort(),
        ]
      : [item];
    const key = (it: string, n: ScopeNode) => markKey(metric, it, n.kind, n.id);
    const parents = nodes.map((n) => n.parentIndex);
    const perItem = protectRevisionItems(
      parents,
      items.length,
      history.map((h) => items.map((it) => publishedColumn(h, nodes, (n) => key(it, n)))),
      history.map((h) =>
        items.map((it) =>
          nodes.map((n) => revisionChange(h.cells.get(key(it, n)), nowCells.get(key(it, n)), h.sameKey, keyedByQuality(metric))),
        ),
      ),
      items.map((it) => nodes.map((n) => statsOf(nowCells.get(key(it, n))))),
      k,
      partitionEquations(
        parents,
        nodes.map((n) => n.kind),
        (x) => items.some((it) => heldAnywhere(key(it, nodes[x]!))),
      ),
    );
    const result = new Map(items.map((it, i) => [it, perItem[i]!]));
    decided.set(group, result);
    return result;
  };

  /**
   * A module pair's item in one system: positions 0…n−1 the tree metric's nodes, n…2n−1 the
   * module metric's, 2n the residual (never shown), in every revision, every change and now.
   */
  const decidePair = ([tree, modules]: [Metric, Metric], item: string, nodes: readonly ScopeNode[], network: number) => {
    const groups = [tree, modules].map((m) => `${m}\u0001${item}`);
    const known = groups.map((g) => decided.get(g));
    if (known[0] && known[1]) return new Map([tree, modules].map((m, i): [Metric, Map<string, Mark[]>] => [m, known[i]!]));
    const n = nodes.length;
    const key = (m: Metric, x: number) => markKey(m, item, nodes[x]!.kind, nodes[x]!.id);
    const level = (cells: ReadonlyMap<string, CellRow>): CellStats[] => {
      const stats = [tree, modules].flatMap((m) => nodes.map((_, x) => statsOf(cells.get(key(m, x)))));
      stats.push(residualStats(stats[network]!, stats[n + network]!));
      return stats;
    };
    // The residual's change, evaluator by evaluator: the tree metric's network evaluators less the module metric's.
    const residualOf = (cells: ReadonlyMap<string, CellRow>) =>
      residualCounts(cells.get(key(tree, network))?.evaluatorCounts, cells.get(key(modules, network))?.evaluatorCounts);
    const parents = nodes.map((u) => u.parentIndex);
    const marks = protectRevisionItems(
      pairedParents(parents),
      1,
      history.map((h) => [
        {
          stats: level(h.cells),
          fixed: new Map(
            [tree, modules].flatMap((m, mi) =>
              nodes.flatMap((_, x): [number, Mark][] => (h.cells.get(key(m, x))?.n ? [[mi * n + x, h.marks.get(key(m, x)) ?? null]] : [])),
            ),
          ),
        },
      ]),
      history.map((h) => [
        [
          ...[tree, modules].flatMap((m) =>
            nodes.map((_, x) => revisionChange(h.cells.get(key(m, x)), nowCells.get(key(m, x)), h.sameKey, keyedByQuality(m))),
          ),
          changeStats(residualOf(h.cells), residualOf(nowCells)),
        ],
      ]),
      [level(nowCells)],
      k,
      pairedEquations(
        parents,
        nodes.map((u) => u.kind),
        (x) => heldAnywhere(key(tree, x)),
        (x) => heldAnywhere(key(modules, x)),
        network,
      ),
    )[0]!;
    const result = new Map(
      [tree, modules].map((m, mi): [Metric, Map<string, Mark[]>] => [m, new Map([[item, marks.slice(mi * n, mi * n + n)]])]),
    );
    groups.forEach((g, i) => decided.set(g, result.get([tree, modules][i]!)!));
    return result;
  };

  return (metric, item, nodes) => {
    const network = nodes.findIndex((n) => n.kind === 'NETWORK');
    const pair = paired && network >= 0 ? modulePair(metric) : null;
    const marks = pair ? decidePair(pair, item, nodes, network).get(metric)! : decideOne(metric, item, nodes);
    return marks.get(item) ?? nodes.map(() => null);
  };
}

/** An earlier revision's figures of one (metric, item) as a column: its stats, its published marks fixed where it had figures. */
function publishedColumn(h: PublishedRevision, nodes: readonly ScopeNode[], key: (n: ScopeNode) => string): ProtectionColumn {
  return {
    stats: nodes.map((n) => statsOf(h.cells.get(key(n)))),
    fixed: new Map(nodes.flatMap((n, x): [number, Mark][] => (h.cells.get(key(n))?.n ? [[x, h.marks.get(key(n)) ?? null]] : []))),
  };
}
