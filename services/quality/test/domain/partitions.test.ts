import { derivableIn, treeEquations } from '@medcollab/anonymity';
import { partitionEquations } from '../../src/domain/partitions';
import { protectGrid } from '../../src/domain/protection';

/**
 * A program split two ways (cohorts, modules) gets one equation per way (ADR 0043); a parent
 * split one way keeps the tree's equation, so the systems of every other figure are unchanged.
 */
// 0 network → 1 program → 2, 3 cohorts and 4, 5 modules; 6 a hospital under the network.
const parents = [-1, 0, 1, 1, 1, 1, 0];
const kinds = ['NETWORK', 'PROGRAM', 'COHORT', 'COHORT', 'MODULE', 'MODULE', 'INSTITUTION'];

describe('partitionEquations', () => {
  it("is the tree's equations when no parent has figures in two kinds of children", () => {
    expect(partitionEquations(parents, kinds, (i) => i < 4)).toBeNull();
    expect(partitionEquations(parents, kinds, (i) => i !== 2 && i !== 3 && i !== 6)).toBeNull();
    // Network: programs and hospitals both hold it, but the program's children only one kind: still split at the network.
    expect(partitionEquations(parents, kinds, (i) => i < 4 || i === 6)).toEqual([
      new Map([
        [0, -1],
        [6, 1],
      ]),
      new Map([
        [0, -1],
        [1, 1],
      ]),
      new Map([
        [1, -1],
        [2, 1],
        [3, 1],
        [4, 1],
        [5, 1],
      ]),
    ]);
  });

  it('gives a parent split two ways one equation per way, and the rest of the tree as it was', () => {
    const eqs = partitionEquations(parents, kinds, (i) => i !== 6)!;
    expect(eqs).toEqual([
      treeEquations(parents)[0],
      new Map([
        [1, -1],
        [2, 1],
        [3, 1],
      ]),
      new Map([
        [1, -1],
        [4, 1],
        [5, 1],
      ]),
    ]);
  });

  it('lets the protection see "program minus the other cohort" and "program minus the other module"', () => {
    // Cohort 2 has 6 students, cohort 3 two; module 4 five, module 5 three; the program eight.
    const stats = [8, 8, 6, 2, 5, 3, 0].map((n) => ({ evaluations: n, evaluators: n }));
    const eqs = partitionEquations(parents, kinds, (i) => stats[i]!.evaluations > 0)!;
    const [marks] = protectGrid(parents, [{ stats }], [], 5, eqs);
    const hidden = new Set(marks!.flatMap((m, i) => (m ? [i] : [])));
    expect(hidden.has(3) && hidden.has(5)).toBe(true);
    expect(derivableIn(eqs, hidden)).toEqual([]);
    // The tree alone (program = all four children) would have left both small groups exposed.
    const [tree] = protectGrid(parents, [{ stats }], [], 5);
    const treeHidden = new Set(tree!.flatMap((m, i) => (m ? [i] : [])));
    expect(derivableIn(eqs, treeHidden)).not.toEqual([]);
  });
});
