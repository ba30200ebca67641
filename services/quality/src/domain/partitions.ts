import { type Equation } from '@medcollab/anonymity';

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
