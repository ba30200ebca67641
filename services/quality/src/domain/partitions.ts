import { type CellStats, type Equation, treeEquations } from '@medcollab/anonymity';
import { type Metric } from './metrics';

/**
 * A scope tree's equations when a parent is split more than one way (ADR 0043). A program's
 * learner outcomes are the sum of its cohorts' and, again, the sum of its modules' (each
 * assessment in the module its placement belongs to, or "no module"): two partitions of the same
 * figures. Read as one tree, the program would be the sum of both (twice itself), so a hidden
 * cohort or module could be worked out as "program minus its other cohorts" while the solver
 * believed otherwise. Here each parent gets one equation per kind of child that holds the
 * metric — program = Σ cohorts, program = Σ modules — whenever two kinds or more do; a parent
 * split one way only keeps the tree's single equation (parent = Σ all children, the others
 * being empty), exactly `treeEquations`. So every system that had one partition is the system
 * it was, decided as before.
 *
 * `kinds[i]` is node i's scope kind, `holds(i)` whether node i has figures of the system's metric
 * (in any of its periods, items or revisions). Null when no parent is split: the caller keeps the
 * tree.
 */
export function partitionEquations(
  parents: readonly number[],
  kinds: readonly string[],
  holds: (node: number) => boolean,
): Equation[] | null {
  const children = new Map<number, number[]>();
  parents.forEach((p, i) => {
    if (p >= 0) children.set(p, [...(children.get(p) ?? []), i]);
  });
  const sum = (parent: number, kids: readonly number[]): Equation =>
    new Map<number, number>([[parent, -1], ...kids.map((c): [number, number] => [c, 1])]);
  let split = false;
  const equations: Equation[] = [];
  for (const [parent, kids] of children) {
    const held = [...new Set(kids.filter(holds).map((c) => kinds[c]!))];
    if (held.length < 2) {
      equations.push(sum(parent, kids));
      continue;
    }
    split = true;
    // Children of a kind without figures add nothing to either sum: left out.
    for (const kind of held.sort())
      equations.push(
        sum(
          parent,
          kids.filter((c) => kinds[c] === kind),
        ),
      );
  }
  return split ? equations : null;
}

/**
 * Teaching quality split at the network two ways under two metrics (ADR 0031): SITE_SCORE along
 * hospitals, SITE_SCORE_BY_MODULE along programs and modules — the same evaluations (those that
 * name the student's program). Each metric is a tree of its own, but their network figures are
 * the same number whenever every evaluation names a program: the network's SITE_SCORE, released
 * in its own system, is then the network's SITE_SCORE_BY_MODULE, so "network minus the other
 * programs" gives away a program that the module system protected by hiding the network (ADR
 * 0047). So each pair is decided as one system: the tree metric's positions, the module metric's
 * and a residual — the evaluations that name no program, counted under the tree metric alone
 * (network = network by module + residual). The residual is never shown; empty, it binds the two
 * network figures as equal.
 */
export const MODULE_PARTNER: ReadonlyMap<Metric, Metric> = new Map<Metric, Metric>([
  ['SITE_SCORE', 'SITE_SCORE_BY_MODULE'],
  ['TEACHER_SCORE', 'TEACHER_SCORE_BY_MODULE'],
  ['SITE_SCORE_BY_MODULE', 'SITE_SCORE'],
  ['TEACHER_SCORE_BY_MODULE', 'TEACHER_SCORE'],
]);
/** The pair of `metric`, tree metric first; null when it is in none. */
export function modulePair(metric: Metric): [Metric, Metric] | null {
  const partner = MODULE_PARTNER.get(metric);
  if (!partner) return null;
  return metric.endsWith('_BY_MODULE') ? [partner, metric] : [metric, partner];
}

/**
 * The positions of a pair's system over a scope tree of n nodes: 0…n−1 the tree metric's nodes,
 * n…2n−1 the module metric's, 2n the residual (no parent).
 */
export const pairedParents = (parents: readonly number[]): number[] => [
  ...parents,
  ...parents.map((p) => (p < 0 ? -1 : p + parents.length)),
  -1,
];

/**
 * The pair's equations (positions as in `pairedParents`): each metric's own (its partitions,
 * `partitionEquations`, else its tree) and, at the network (`network`, the node of the network),
 * tree metric = module metric + residual.
 */
export function pairedEquations(
  parents: readonly number[],
  kinds: readonly string[],
  holdsTree: (node: number) => boolean,
  holdsModules: (node: number) => boolean,
  network: number,
): Equation[] {
  const n = parents.length;
  const own = (holds: (node: number) => boolean) => partitionEquations(parents, kinds, holds) ?? treeEquations(parents);
  const shifted = own(holdsModules).map((e) => new Map([...e].map(([p, c]): [number, number] => [p + n, c])));
  return [
    ...own(holdsTree),
    ...shifted,
    new Map([
      [network, -1],
      [network + n, 1],
      [2 * n, 1],
    ]),
  ];
}

/**
 * What the residual holds: the tree metric's network figure less the module metric's. Its
 * distinct evaluators are not kept apart, so the fewest it can have stand for them (every
 * evaluator of the network not behind the module figure, at least one) — fewer than there are
 * hides more, never less.
 */
export function residualStats(tree: CellStats, modules: CellStats): CellStats {
  const evaluations = Math.max(0, tree.evaluations - modules.evaluations);
  return evaluations ? { evaluations, evaluators: Math.max(1, tree.evaluators - modules.evaluators) } : { evaluations: 0, evaluators: 0 };
}

/**
 * The residual's evaluators, evaluator by evaluator: each one's contributions to the tree
 * metric's network figure less those to the module metric's (every evaluation the module metric
 * counts, the tree metric counts too). Revisions keep both multisets, so the change of the
 * residual between two revisions is told exactly (`changeStats`).
 */
export function residualCounts(
  tree: Readonly<Record<string, number>> = {},
  modules: Readonly<Record<string, number>> = {},
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [p, c] of Object.entries(tree)) {
    const left = c - (modules[p] ?? 0);
    if (left > 0) out[p] = left;
  }
  return out;
}
