import { derivableIn, treeEquations } from '@medcollab/anonymity';
import { type Mark } from '@medcollab/anonymity';
import { pairedEquations, pairedParents, partitionEquations, residualCounts, residualStats } from '../../src/domain/partitions';
import { changeStats, protectGrid } from '../../src/domain/protection';

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

/**
 * The network's SITE_SCORE and its SITE_SCORE_BY_MODULE programs are the same evaluations (ADR
 * 0047): decided apart, the module system may hide the network to protect a small program while
 * the hospital system releases the same network figure.
 */
describe('pairedEquations', () => {
  // 0 network; 1, 2 hospitals (SITE_SCORE); 3, 4, 5 programs (SITE_SCORE_BY_MODULE).
  const tree = [-1, 0, 0, 0, 0, 0];
  const treeKinds = ['NETWORK', 'INSTITUTION', 'INSTITUTION', 'PROGRAM', 'PROGRAM', 'PROGRAM'];
  const cells = (ns: number[]) => ns.map((n) => ({ evaluations: n, evaluators: n }));
  const site = cells([20, 10, 10, 0, 0, 0]);
  // Program 4 has three evaluators; programs 3 and 5 were published before (fixed, released).
  const modules = cells([20, 0, 0, 10, 3, 7]);
  const published = new Map<number, Mark>([
    [3, null],
    [5, null],
  ]);
  const n = tree.length;
  const equations = pairedEquations(
    tree,
    treeKinds,
    (x) => site[x]!.evaluations > 0,
    (x) => modules[x]!.evaluations > 0,
    0,
  );
  const hiddenOf = (marks: Mark[]) => new Set(marks.flatMap((m, i) => (m ? [i] : [])));

  it('exposed a small program as "network SITE_SCORE minus the other programs" when each metric was decided alone', () => {
    const [siteMarks] = protectGrid(tree, [{ stats: site }], [], 5);
    const [moduleMarks] = protectGrid(tree, [{ stats: modules, fixed: published }], [], 5);
    expect(moduleMarks![0]).not.toBeNull(); // the module system hid its network to protect program 4 …
    expect(siteMarks![0]).toBeNull(); // … which the hospital system released
    const hidden = new Set([...hiddenOf(siteMarks!)].concat([...hiddenOf(moduleMarks!)].map((i) => i + n)));
    expect(derivableIn(equations, hidden)).toEqual([n, n + 4]);
  });

  it('leaves nothing derivable when the pair is one system, and keeps what was published', () => {
    const stats = [...site, ...modules, residualStats(site[0]!, modules[0]!)];
    const fixed = new Map([...published].map(([i, m]): [number, Mark] => [i + n, m]));
    const [marks] = protectGrid(pairedParents(tree), [{ stats, fixed }], [], 5, equations);
    const hidden = hiddenOf(marks!);
    expect(hidden.has(n + 4)).toBe(true);
    expect(hidden.has(n + 3) || hidden.has(n + 5)).toBe(false);
    expect(derivableIn(equations, hidden)).toEqual([]);
  });

  it('counts the evaluations naming no program as a residual, with the fewest evaluators it can have', () => {
    expect(residualStats({ evaluations: 20, evaluators: 12 }, { evaluations: 20, evaluators: 12 })).toEqual({
      evaluations: 0,
      evaluators: 0,
    });
    expect(residualStats({ evaluations: 20, evaluators: 12 }, { evaluations: 17, evaluators: 12 })).toEqual({
      evaluations: 3,
      evaluators: 1,
    });
    expect(residualStats({ evaluations: 20, evaluators: 12 }, { evaluations: 10, evaluators: 5 })).toEqual({
      evaluations: 10,
      evaluators: 7,
    });
  });

  it("tells the residual's evaluators apart from the two network multisets, so its change between revisions is exact (ADR 0053)", () => {
    // a, b name a program (counted in both); c named none once, d once and also named a program once.
    const tree = { a: 2, b: 1, c: 1, d: 2 };
    const modules = { a: 2, b: 1, d: 1 };
    expect(residualCounts(tree, modules)).toEqual({ c: 1, d: 1 });
    expect(residualCounts(tree, tree)).toEqual({});
    expect(residualCounts(undefined, undefined)).toEqual({});
    expect(residualCounts({ a: 1 }, undefined)).toEqual({ a: 1 });
    // One late evaluation naming no program: a change of one evaluator, whatever the rest did.
    expect(changeStats(residualCounts(tree, modules), residualCounts({ ...tree, a: 3, e: 1 }, { ...modules, a: 3 }))).toEqual({
      evaluations: 1,
      evaluators: 1,
    });
  });
});
