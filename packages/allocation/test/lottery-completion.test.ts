import fc from 'fast-check';
import { type AllocationInput, allocate, canonicalizeInput, checkAllocation, parseAllocationInput } from '../src';
import { buildInstance, type Instance } from '../src/instance';
import { runLottery } from '../src/lottery';
import { instanceArb } from './support/arbitrary';
import { blocks, expectValid, prefs, site, solvedOf, student } from './support/build';

/**
 * The lottery's completion after the draw (ADR 0054): a student the draw left unplaced is placed
 * when that costs nobody placed before them a rank, and never otherwise.
 */

const instanceOf = (input: AllocationInput) => buildInstance(canonicalizeInput(parseAllocationInput(input)));

/** Per student, the draw's measure of their schedule: worst rank, then total rank. */
function measure(inst: Instance, picks: readonly { student: number; site: number }[]): Map<number, { worst: number; total: number }> {
  const out = new Map<number, { worst: number; total: number }>();
  for (const p of picks) {
    const rank = inst.rankOf(p.student, inst.sites[p.site]!);
    const m = out.get(p.student) ?? { worst: 0, total: 0 };
    out.set(p.student, { worst: Math.max(m.worst, rank), total: m.total + rank });
  }
  return out;
}
const noWorse = (a: { worst: number; total: number }, b: { worst: number; total: number }) =>
  a.worst < b.worst || (a.worst === b.worst && a.total <= b.total);

/**
 * "first" draws first and needs X and Y, ranked alike in both blocks, so either order is its
 * best. "late" may come only in one block and needs X there. When "first" takes X in that block,
 * the draw leaves "late" unplaced; "first" doing Y there instead costs it nothing.
 */
function sharedBlock(lateIn: 'b1' | 'b2'): AllocationInput {
  const away = lateIn === 'b1' ? 'b2' : 'b1';
  return {
    blocks: blocks('b1', 'b2'),
    students: [student('first', 2, { X: 1, Y: 1 }, { priority: 1 }), student('late', 1, { X: 1 })],
    sites: [site('XA', 'b1', 1, 'X'), site('XA', 'b2', 1, 'X'), site('YA', 'b1', 1, 'Y'), site('YA', 'b2', 1, 'Y')],
    preferences: [...prefs('first', { XA: 1, YA: 1 }), ...prefs('late', { XA: 1 })],
    unavailable: [{ studentId: 'late', blockId: away, reason: 'exams' }],
  };
}

describe('the lottery completion after the draw', () => {
  it('moves an earlier student to a schedule of the same ranks so that a stuck one is placed', async () => {
    // Whichever block the draw gives "first" X in, one of the two instances gets stuck without the completion.
    let stuckWithout = 0;
    for (const lateIn of ['b1', 'b2'] as const) {
      const input = sharedBlock(lateIn);
      const inst = instanceOf(input);
      const plain = await runLottery(inst, 'seed', undefined, { complete: false });
      const done = await runLottery(inst, 'seed');
      stuckWithout += plain.unplaced.length;
      expect(done.unplaced).toEqual([]);
      const before = measure(inst, plain.picks);
      const after = measure(inst, done.picks);
      for (const [s, m] of before) expect(noWorse(after.get(s)!, m)).toBe(true);
      if (plain.unplaced.length) {
        expect(done.completion).toEqual({ placed: [inst.studentIndex.get('late')], moved: [inst.studentIndex.get('first')] });
      }
      const result = solvedOf(await allocate(input, 'LOTTERY', { seed: 'seed' }));
      expectValid(input, result);
      expect(result.status).toBe('FEASIBLE');
    }
    expect(stuckWithout).toBe(1);
  });

  it('leaves the student unplaced when placing them would cost an earlier student a rank', async () => {
    // "first" prefers X in b2; "late" can only do X in b2. Moving "first" to b1 would cost it a rank.
    const input: AllocationInput = {
      blocks: blocks('b1', 'b2'),
      students: [student('first', 1, { X: 1 }, { priority: 1 }), student('late', 1, { X: 1 })],
      sites: [site('XA', 'b1', 1, 'X'), site('XB', 'b2', 1, 'X')],
      preferences: [...prefs('first', { XB: 1, XA: 2 }), ...prefs('late', { XB: 1 })],
      unavailable: [{ studentId: 'late', blockId: 'b1', reason: 'exams' }],
    };
    const result = solvedOf(await allocate(input, 'LOTTERY', { seed: 'seed' }));
    expectValid(input, result);
    expect(result.status).toBe('PARTIAL');
    expect(result.unplaced.map((u) => u.studentId)).toEqual(['late']);
  });

  it('on random small instances: valid, places a superset, and leaves nobody placed by the draw worse off', async () => {
    let helped = 0;
    await fc.assert(
      fc.asyncProperty(instanceArb(6, 3), fc.string({ maxLength: 4 }), fc.boolean(), async (raw, seed, staffed) => {
        // Half of them with every department at two students or none (a move must keep that).
        const departments = [...new Set(raw.sites.map((x) => x.departmentId))];
        const input = staffed ? { ...raw, staffingMinimums: departments.map((departmentId) => ({ departmentId, minStudents: 2 })) } : raw;
        const inst = instanceOf(input);
        const plain = await runLottery(inst, seed, undefined, { complete: false });
        const done = await runLottery(inst, seed);
        const still = new Set(done.unplaced.map((u) => u.student));
        for (const u of still) expect(plain.unplaced.some((p) => p.student === u)).toBe(true);
        if (still.size < plain.unplaced.length) helped++;
        const before = measure(inst, plain.picks);
        const after = measure(inst, done.picks);
        for (const [s, m] of before) expect(noWorse(after.get(s)!, m)).toBe(true);
        const result = await allocate(input, 'LOTTERY', { seed });
        expect(checkAllocation(input, result)).toEqual([]);
      }),
      { numRuns: Number(process.env.RUNS ?? 300), seed: Number(process.env.SEED ?? 5402026) },
    );
    // Not vacuous: some draws left a student the completion could place.
    expect(helped).toBeGreaterThan(0);
  });
});
