import fc from 'fast-check';
import { DerivableTracker } from '../src/incremental';
import { type CellStats, type Mark } from '../src/suppression';
import { derivableIn, type Equation, productEquations, protectSystem } from '../src/system';
import { exposedByOracle } from './oracle';
import { protectSystemByReduction } from './reference';

/**
 * The derivable positions kept up to date as positions are hidden (DerivableTracker) against
 * reducing the hidden positions' equations from scratch (derivableIn) and exact arithmetic; and
 * protectSystem, which now asks the tracker, against protectSystem as it was (every step reduced
 * again, test/reference.ts): the same marks, position by position.
 */
const K = 5;

/** A random drill-down tree: node 0 is the root, every other node hangs below an earlier one. */
const treeArb = (maxNodes: number) =>
  fc
    .integer({ min: 1, max: maxNodes })
    .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => (i === 0 ? fc.constant(-1) : fc.integer({ min: 0, max: i - 1 })))));

/** A year → terms → blocks tree: the year, two terms, then `blocks` blocks split between them. */
const periodTree = (blocks: number): number[] => [-1, 0, 0, ...Array.from({ length: blocks }, (_, b) => (b < blocks / 2 ? 1 : 2))];

/** Leaf figures in every leaf period, summed up both trees (each evaluator counted once per figure). */
function productStats(scopeParents: readonly number[], periodParents: readonly number[], leafCounts: readonly number[]): CellStats[] {
  const cols = periodParents.length;
  const scopeInner = new Set(scopeParents.filter((p) => p >= 0));
  const periodInner = new Set(periodParents.filter((p) => p >= 0));
  const grid = scopeParents.map((_, r) =>
    periodParents.map((_, c) => (!scopeInner.has(r) && !periodInner.has(c) ? (leafCounts[(r * cols + c) % leafCounts.length] ?? 0) : 0)),
  );
  for (let r = scopeParents.length - 1; r > 0; r--) for (let c = 0; c < cols; c++) grid[scopeParents[r]!]![c]! += grid[r]![c]!;
  for (const row of grid) for (let c = cols - 1; c > 0; c--) row[periodParents[c]!]! += row[c]!;
  return grid.flat().map((n) => ({ evaluations: n, evaluators: n }));
}

describe('DerivableTracker', () => {
  it('after every position hidden, and for every position weighed, finds what reducing from scratch and exact arithmetic find', () => {
    fc.assert(
      fc.property(
        treeArb(6),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 40 }),
        (scopeParents, blocks, order) => {
          const periodParents = [-1, ...Array.from({ length: blocks }, () => 0)];
          const equations = productEquations(scopeParents, periodParents);
          const positions = scopeParents.length * periodParents.length;
          const tracker = new DerivableTracker(equations);
          const hidden = new Set<number>();
          for (const n of order) {
            const p = n % positions;
            const weighed = tracker.peek(p);
            expect(tracker.countAfter(p)).toBe(weighed.length);
            hidden.add(p);
            expect(weighed).toEqual(derivableIn(equations, hidden));
            tracker.hide(p);
            expect(tracker.current()).toEqual(weighed);
          }
          expect(tracker.current()).toEqual(exposedByOracle(equations, hidden));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('on equations of any shape: coefficients other than ±1, positions in no equation, a position hidden twice', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.constantFrom(-2, -1, 1, 2, 3)), { minLength: 1, maxLength: 4 }), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.array(fc.integer({ min: 0, max: 11 }), { minLength: 1, maxLength: 14 }),
        (rows, order) => {
          const equations: Equation[] = rows.map((r) => new Map(r));
          const tracker = new DerivableTracker(equations);
          const hidden = new Set<number>();
          for (const p of order) {
            hidden.add(p);
            tracker.hide(p);
            expect(tracker.current()).toEqual(derivableIn(equations, hidden));
          }
          expect(tracker.current()).toEqual(exposedByOracle(equations, hidden));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('worked by hand: x0 + x1 = a, x1 + x2 = b', () => {
    const tracker = new DerivableTracker([
      new Map([
        [0, 1],
        [1, 1],
      ]),
      new Map([
        [1, 1],
        [2, 1],
      ]),
    ]);
    // x1 alone hidden: either equation gives it.
    expect(tracker.peek(1)).toEqual([1]);
    tracker.hide(1);
    expect(tracker.current()).toEqual([1]);
    // x0 hidden too: the second equation still gives x1, and then the first x0.
    tracker.hide(0);
    expect(tracker.current()).toEqual([0, 1]);
    // All three: one free parameter, nothing determined.
    expect(tracker.peek(2)).toEqual([]);
    expect(tracker.current()).toEqual([0, 1]);
    tracker.hide(2);
    expect(tracker.current()).toEqual([]);
  });
});

describe('protectSystem with the tracker', () => {
  it('marks exactly what it marked when it reduced every step again: drill-down × year, terms and blocks', () => {
    fc.assert(
      fc.property(
        treeArb(6),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 30 }),
        (scopeParents, blocks, leafCounts) => {
          const periodParents = periodTree(blocks);
          const stats = productStats(scopeParents, periodParents, leafCounts);
          const equations = productEquations(scopeParents, periodParents);
          expect(protectSystem(stats, equations, K)).toEqual(protectSystemByReduction(stats, equations, K));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('marks exactly what it marked before with published decisions fixed (released and hidden)', () => {
    fc.assert(
      fc.property(
        treeArb(6),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 24 }),
        fc.array(fc.constantFrom<Mark | undefined>(undefined, undefined, null, 'TOO_FEW_EVALUATORS', 'COMPLEMENTARY'), {
          minLength: 1,
          maxLength: 24,
        }),
        (scopeParents, blocks, leafCounts, published) => {
          const periodParents = periodTree(blocks);
          const stats = productStats(scopeParents, periodParents, leafCounts);
          const equations = productEquations(scopeParents, periodParents);
          const fixed = new Map<number, Mark>();
          stats.forEach((s, pos) => {
            const m = published[pos % published.length];
            if (m !== undefined && s.evaluations > 0) fixed.set(pos, m);
          });
          expect(protectSystem(stats, equations, K, fixed)).toEqual(protectSystemByReduction(stats, equations, K, fixed));
        },
      ),
      { numRuns: 100 },
    );
  });

  it("marks exactly what it marked before on a hospital's year: 3 departments, 9 teachers, 2 terms, 8 blocks", () => {
    const scopeParents = [-1, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3];
    const periodParents = periodTree(8);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 50, maxLength: 80 }), (leafCounts) => {
        const stats = productStats(scopeParents, periodParents, leafCounts);
        const equations = productEquations(scopeParents, periodParents);
        expect(protectSystem(stats, equations, K)).toEqual(protectSystemByReduction(stats, equations, K));
      }),
      { numRuns: 4 },
    );
  });
});
