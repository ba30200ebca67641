import { allocate, type AllocationInput, createRng, runVariations, shuffle } from '../src';
import { blocks, expectValid, placeOf, prefs, site, sites, solvedOf, stable, student } from './support/build';

/** Eight students competing for two popular departments over two blocks. */
function contested(): AllocationInput {
  const ids = Array.from({ length: 8 }, (_, i) => `s${i + 1}`);
  const b = ['b1', 'b2'];
  return {
    blocks: blocks(...b),
    students: ids.map((id) => student(id, 2, { X: 1, Y: 1 })),
    sites: [...sites('XA', b, 2, 'X'), ...sites('XB', b, 2, 'X'), ...sites('YA', b, 2, 'Y'), ...sites('YB', b, 2, 'Y')],
    preferences: ids.flatMap((id, i) => prefs(id, i % 2 ? { XA: 1, XB: 2, YA: 1, YB: 2 } : { XB: 1, XA: 2, YA: 1, YB: 2 })),
  };
}

describe('LOTTERY (random serial dictatorship)', () => {
  it('is reproducible from its seed', async () => {
    const input = contested();
    const one = solvedOf(await allocate(input, 'LOTTERY', { seed: 'draw-2026' }));
    const two = solvedOf(await allocate(input, 'LOTTERY', { seed: 'draw-2026' }));
    expectValid(input, one);
    expect(stable(one)).toEqual(stable(two));
    expect(one.seed).toBe('draw-2026');
    expect(one.lotteryOrder).toHaveLength(8);
  });

  it('draws a different order for a different seed', async () => {
    const input = contested();
    const orders = new Set<string>();
    for (const seed of ['a', 'b', 'c', 'd']) {
      const result = solvedOf(await allocate(input, 'LOTTERY', { seed }));
      expectValid(input, result);
      orders.add(result.lotteryOrder!.join(','));
    }
    expect(orders.size).toBeGreaterThan(1);
  });

  it('does not depend on the order the snapshot lists students in', async () => {
    const input = contested();
    const reversed = { ...input, students: [...input.students].reverse(), preferences: [...input.preferences].reverse() };
    expect(stable(await allocate(reversed, 'LOTTERY', { seed: 'x' }))).toEqual(stable(await allocate(input, 'LOTTERY', { seed: 'x' })));
  });

  it('lets a higher priority tier choose first', async () => {
    const input = contested();
    input.students = input.students.map((s) => (s.id === 's7' ? { ...s, priority: 1 } : s));
    for (const seed of ['a', 'b', 'c']) {
      const result = solvedOf(await allocate(input, 'LOTTERY', { seed }));
      expect(result.lotteryOrder![0]).toBe('s7');
    }
  });

  it('gives each student, in turn, their best remaining schedule', async () => {
    const input = contested();
    const result = solvedOf(await allocate(input, 'LOTTERY', { seed: 'z' }));
    // Whoever chose first got first choices everywhere.
    const first = result.lotteryOrder![0]!;
    expect(result.assignments.filter((a) => a.studentId === first).every((a) => a.rank === 1)).toBe(true);
  });

  it('leaves a student unplaced and says why when serial dictatorship gets stuck', async () => {
    // "first" (chooses first, by priority) prefers X in b2. "second" needs Y, offered only in
    // b1, and X: with X in b2 taken, its only X is in b1 too. OPTIMAL sends "first" to b1.
    const input: AllocationInput = {
      blocks: blocks('b1', 'b2'),
      students: [student('first', 1, { X: 1 }, { priority: 1 }), student('second', 2, { X: 1, Y: 1 })],
      sites: [site('X1', 'b1', 1, 'X'), site('X2', 'b2', 1, 'X'), site('Y1', 'b1', 1, 'Y')],
      preferences: [...prefs('first', { X2: 1, X1: 2 }), ...prefs('second', { X1: 1, X2: 1, Y1: 1 })],
    };
    const { variations } = await runVariations(input, { seed: 's' });
    const [optimal, lottery] = variations.map(solvedOf) as [ReturnType<typeof solvedOf>, ReturnType<typeof solvedOf>];
    expectValid(input, optimal);
    expectValid(input, lottery);
    expect(placeOf(optimal, 'first', 'b1')).toBe('X1');
    expect(lottery.status).toBe('PARTIAL');
    expect(lottery.unplaced).toEqual([{ studentId: 'second', reason: expect.stringMatching(/required specialties: Y did not fit/) }]);
    expect(lottery.metrics.unplacedStudents).toBe(1);
    expect(lottery.explanations.find((e) => e.studentId === 'second')!.text).toMatch(/could not be placed/);
  });

  it('runs several draws from one published seed', async () => {
    const input = contested();
    const out = await runVariations(input, { seed: 'pub', mechanisms: ['LOTTERY'], lotteryDraws: 3 });
    expect(out.variations.map((v) => v.seed)).toEqual(['pub', 'pub#2', 'pub#3']);
  });
});

describe('seeded PRNG', () => {
  it('repeats a sequence for a seed and spreads values over the range', () => {
    const a = createRng('seed');
    const b = createRng('seed');
    const xs = Array.from({ length: 1000 }, () => a.int(6));
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b.int(6)));
    const counts = [0, 1, 2, 3, 4, 5].map((v) => xs.filter((x) => x === v).length);
    expect(Math.min(...counts)).toBeGreaterThan(120);
    expect(createRng('other').nextUint32()).not.toBe(createRng('seed').nextUint32());
    expect(() => a.int(0)).toThrow(RangeError);
  });

  it('shuffles into a permutation', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const out = shuffle(items, createRng('x'));
    expect([...out].sort((p, q) => p - q)).toEqual(items);
    expect(out).not.toEqual(items);
  });
});
