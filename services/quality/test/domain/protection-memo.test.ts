import fc from 'fast-check';
import { treeEquations } from '@medcollab/anonymity';
import { protectGrid, protectionMemo } from '../../src/domain/protection';
import { ContentMemo } from '../../src/domain/protection-memo';

/**
 * Protection systems are memoized by content (a report recomputed after a change solves again
 * only the systems whose figures changed): a hit returns exactly what solving again returns.
 */
describe('ContentMemo', () => {
  it('computes once per content and forgets the least recently used beyond its limit', () => {
    const memo = new ContentMemo<number>(2);
    let computed = 0;
    const get = (k: string) => memo.get(ContentMemo.keyOf([k]), () => ++computed);
    expect([get('a'), get('b'), get('a')]).toEqual([1, 2, 1]);
    get('c'); // evicts b, the least recently used
    expect(get('a')).toBe(1);
    expect(get('b')).toBe(4);
    expect(memo.hits).toBe(2);
  });

  it('forgets the least recently used beyond its total weight, keeping at least the newest', () => {
    const memo = new ContentMemo<number[]>(100, 5, (xs) => xs.length);
    const get = (k: string, n: number) => memo.get(ContentMemo.keyOf([k]), () => Array.from({ length: n }, () => n));
    get('a', 2);
    get('b', 2);
    get('c', 3); // 7 > 5: a goes, then 5 fits
    expect(memo.hits).toBe(0);
    get('b', 2);
    get('c', 3);
    expect(memo.hits).toBe(2);
    get('a', 2);
    expect(memo.misses).toBe(4);
    get('huge', 9); // heavier than the whole memo: kept alone
    get('huge', 9);
    expect(memo.hits).toBe(3);
  });

  it('tells contents apart, never joining parts into the same key', () => {
    expect(ContentMemo.keyOf(['1,2', '3'])).not.toBe(ContentMemo.keyOf(['1', '2,3']));
  });
});

describe('protectGrid through the memo', () => {
  // A hospital, two departments, two teachers each; the year and its two blocks.
  const parents = [-1, 0, 0, 1, 1, 2, 2];
  const periods = treeEquations([-1, 0, 0]);
  const stats = fc.array(fc.record({ evaluations: fc.integer({ min: 0, max: 12 }), evaluators: fc.integer({ min: 0, max: 8 }) }), {
    minLength: 7,
    maxLength: 7,
  });

  it('returns, on a hit, the marks a fresh solve returns, and solves again when any figure changed', () => {
    fc.assert(
      fc.property(stats, stats, stats, fc.nat({ max: 20 }), (year, b1, b2, bump) => {
        const columns = [{ stats: year }, { stats: b1 }, { stats: b2 }];
        protectionMemo.clear();
        const fresh = protectGrid(parents, columns, periods, 5);
        const again = protectGrid(parents, columns, periods, 5);
        expect(protectionMemo.hits).toBe(1);
        expect(again).toEqual(fresh);
        // One figure more in one teacher's block: a different system, solved (a miss), not the old marks.
        const changed = b2.map((s, i) => (i === 6 ? { evaluations: s.evaluations + 1 + bump, evaluators: s.evaluators + 1 } : s));
        const misses = protectionMemo.misses;
        protectGrid(parents, [{ stats: year }, { stats: b1 }, { stats: changed }], periods, 5);
        expect(protectionMemo.misses).toBe(misses + 1);
        // Published marks are content too.
        protectGrid(parents, [{ stats: year, fixed: new Map([[0, null]]) }, { stats: b1 }, { stats: b2 }], periods, 5);
        expect(protectionMemo.misses).toBe(misses + 2);
      }),
      { numRuns: 50 },
    );
  });
});
