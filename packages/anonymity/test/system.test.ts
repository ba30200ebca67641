import fc from 'fast-check';
import { type CellStats } from '../src/suppression';
import { derivableDense, derivableIn, productEquations, protectSystem, protectTree, treeEquations } from '../src/system';
import { exposedByOracle } from './oracle';

const K = 5;

/** A random drill-down tree: node 0 is the root, every other node hangs below an earlier one. */
const treeArb = (maxNodes: number) =>
  fc
    .integer({ min: 1, max: maxNodes })
    .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => (i === 0 ? fc.constant(-1) : fc.integer({ min: 0, max: i - 1 })))));

/** Leaf evaluator counts summed up the tree (each evaluator evaluates once, so parents are sums). */
function fillTree(parents: readonly number[], leafCounts: readonly number[]): CellStats[] {
  const isParent = new Set(parents.filter((p) => p >= 0));
  const totals = parents.map((_, i) => (isParent.has(i) ? 0 : (leafCounts[i % leafCounts.length] ?? 0)));
  for (let i = parents.length - 1; i > 0; i--) totals[parents[i]!]! += totals[i]!;
  return totals.map((n) => ({ evaluations: n, evaluators: n }));
}

const hiddenSet = (marks: readonly (string | null)[]) => new Set(marks.flatMap((m, i) => (m ? [i] : [])));

describe('drill-down trees', () => {
  it('hides every non-empty node below k and leaves nothing hidden derivable (parent minus other children)', () => {
    fc.assert(
      fc.property(treeArb(12), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 12 }), (parents, leaves) => {
        const stats = fillTree(parents, leaves);
        const marks = protectTree(stats, parents, K);
        stats.forEach((s, i) => {
          if (s.evaluations > 0 && s.evaluators < K) expect(marks[i]).toBe('TOO_FEW_EVALUATORS');
          if (s.evaluations === 0) expect(marks[i]).toBeNull();
        });
        expect(exposedByOracle(treeEquations(parents), hiddenSet(marks))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('protects a lone small child by hiding a sibling, not by hiding the parent', () => {
    // department (root) with three teachers: 12, 7 and 3 evaluators.
    const marks = protectTree(
      [
        { evaluations: 22, evaluators: 22 },
        { evaluations: 12, evaluators: 12 },
        { evaluations: 7, evaluators: 7 },
        { evaluations: 3, evaluators: 3 },
      ],
      [-1, 0, 0, 0],
      K,
    );
    expect(marks).toEqual([null, null, 'COMPLEMENTARY', 'TOO_FEW_EVALUATORS']);
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(treeArb(10), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 10 }), (parents, leaves) => {
        const stats = fillTree(parents, leaves);
        expect(protectTree(stats, parents, K)).toEqual(protectTree(stats, parents, K));
      }),
      { numRuns: 100 },
    );
  });
});

describe('drill-down × trends (scope tree crossed with year → blocks)', () => {
  it('leaves nothing hidden derivable from released figures of any scope in any period', () => {
    fc.assert(
      fc.property(
        treeArb(5),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 1, maxLength: 20 }),
        (scopeParents, blocks, leafCounts) => {
          const periodParents = [-1, ...Array.from({ length: blocks }, () => 0)];
          const cols = periodParents.length;
          const isParent = new Set(scopeParents.filter((p) => p >= 0));
          // Interior figures: leaf scopes in each block; everything else is a sum.
          const grid = scopeParents.map((_, r) =>
            periodParents.map((_, c) => (c > 0 && !isParent.has(r) ? (leafCounts[(r * cols + c) % leafCounts.length] ?? 0) : 0)),
          );
          for (let r = scopeParents.length - 1; r > 0; r--) for (let c = 1; c < cols; c++) grid[scopeParents[r]!]![c]! += grid[r]![c]!;
          for (const row of grid) row[0] = row.slice(1).reduce((a, b) => a + b, 0);
          const stats = grid.flat().map((n) => ({ evaluations: n, evaluators: n }));
          const equations = productEquations(scopeParents, periodParents);
          const marks = protectSystem(stats, equations, K);
          stats.forEach((s, i) => {
            if (s.evaluations > 0 && s.evaluators < K) expect(marks[i]).not.toBeNull();
          });
          expect(exposedByOracle(equations, hiddenSet(marks))).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('derivableIn: each group of linked hidden positions reduced on its own', () => {
  it('finds exactly what reducing the whole system finds, and what exact arithmetic finds, in the same order', () => {
    fc.assert(
      fc.property(
        treeArb(7),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 60 }),
        (scopeParents, blocks, hide) => {
          const periodParents = [-1, ...Array.from({ length: blocks }, () => 0)];
          const equations = productEquations(scopeParents, periodParents);
          const positions = scopeParents.length * periodParents.length;
          const hidden = new Set(Array.from({ length: positions }, (_, i) => i).filter((i) => hide[i % hide.length]));
          const grouped = derivableIn(equations, hidden);
          expect(grouped).toEqual(derivableDense(equations, hidden));
          expect(grouped).toEqual(exposedByOracle(equations, hidden));
        },
      ),
      { numRuns: 300 },
    );
  });
});
