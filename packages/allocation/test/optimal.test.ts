import { allocate, type AllocationInput, runVariations } from '../src';
import { bruteForceOptimum, lexOf } from './support/brute-force';
import { blocks, expectValid, placeOf, prefs, site, sites, solvedOf, stable, student } from './support/build';

describe('OPTIMAL on hand-checkable instances', () => {
  it('minimises the worst rank first, then the total, even when the smallest total is unfair', async () => {
    // One block, three one-seat departments. The smallest total (6) gives s3 its 4th choice;
    // the lexicographic optimum gives everyone at most a 3rd choice, for a total of 7.
    const input: AllocationInput = {
      blocks: blocks('b1'),
      students: ['s1', 's2', 's3'].map((id) => student(id, 1, { X: 1 })),
      sites: [site('A', 'b1', 1), site('B', 'b1', 1), site('C', 'b1', 1)],
      preferences: [...prefs('s1', { C: 1, A: 3, B: 4 }), ...prefs('s2', { B: 1, A: 2, C: 2 }), ...prefs('s3', { C: 3, A: 4, B: 4 })],
    };
    const result = solvedOf(await allocate(input, 'OPTIMAL'));
    expectValid(input, result);
    expect(result.status).toBe('OPTIMAL');
    expect(result.metrics.worstRank).toBe(3);
    expect(result.metrics.totalRank).toBe(7);
    expect(placeOf(result, 's1', 'b1')).toBe('A');
    expect(placeOf(result, 's2', 'b1')).toBe('B');
    expect(placeOf(result, 's3', 'b1')).toBe('C');
    expect(result.solver.gap).toBe(0);
    expect(result.solver.worstRankProven).toBe(true);
  });

  it('measures the worst rank above the floor each student would have alone', async () => {
    // As above, plus s0, barred from the only department it ranked: it must take the unranked D.
    // Its forced 5 does not make every rank acceptable for the others: still worst 3, total 7.
    const input: AllocationInput = {
      blocks: blocks('b1'),
      students: ['s0', 's1', 's2', 's3'].map((id) => student(id, 1, { X: 1 })),
      sites: [site('A', 'b1', 1), site('B', 'b1', 1), site('C', 'b1', 1), site('D', 'b1', 1)],
      preferences: [
        ...prefs('s0', { A: 1 }),
        ...prefs('s1', { C: 1, A: 3, B: 4 }),
        ...prefs('s2', { B: 1, A: 2, C: 2 }),
        ...prefs('s3', { C: 3, A: 4, B: 4 }),
      ],
      bars: [{ studentId: 's0', hospitalId: 'H-A' }],
    };
    const result = solvedOf(await allocate(input, 'OPTIMAL'));
    expectValid(input, result);
    expect(result.assignments.map((a) => `${a.studentId}:${a.departmentId}:${a.rank}`)).toEqual(['s0:D:5', 's1:A:3', 's2:B:1', 's3:C:3']);
    expect(result.metrics.worstRank).toBe(5);
    expect(result.metrics.worstRankBeyondFloor).toBe(3);
    expect(lexOf(input, result.assignments)).toEqual(bruteForceOptimum(input));
  });

  it('fills the exact number of blocks, covers every required specialty and respects capacities', async () => {
    // Three blocks; each student fills 2: one X and one Y. X1 has one seat per block and all
    // three students want it, so only one of them can be at X1 in any block... per block.
    const b = ['b1', 'b2', 'b3'];
    const input: AllocationInput = {
      blocks: blocks(...b),
      students: ['s1', 's2', 's3'].map((id) => student(id, 2, { X: 1, Y: 1 })),
      sites: [...sites('X1', b, 1, 'X'), ...sites('X2', b, 1, 'X'), ...sites('Y1', b, 1, 'Y'), ...sites('Y2', b, 1, 'Y')],
      preferences: ['s1', 's2', 's3'].flatMap((s) => prefs(s, { X1: 1, X2: 2, Y1: 1, Y2: 2 })),
    };
    const result = solvedOf(await allocate(input, 'OPTIMAL'));
    expectValid(input, result);
    // X1 and Y1 have a seat in each of 3 blocks: all six placements can be first choices.
    expect(result.metrics.worstRank).toBe(1);
    expect(result.metrics.totalRank).toBe(6);
    expect(result.assignments).toHaveLength(6);
    expect(stable(result)).toEqual(stable(await allocate(input, 'OPTIMAL')));
  });

  it('honours pins (even at an unranked site), bars, prerequisites and pairs', async () => {
    const b = ['b1', 'b2'];
    const input: AllocationInput = {
      blocks: blocks(...b),
      students: [
        student('pinned', 1, { X: 1 }),
        student('barred', 1, { X: 1 }),
        student('late', 1, { X: 1 }),
        student('p1', 1, { X: 1 }),
        student('p2', 1, { X: 1 }),
      ],
      sites: [...sites('A', b, 2), ...sites('B', b, 2), ...sites('C', b, 2)],
      preferences: [
        ...prefs('pinned', { A: 1 }),
        ...prefs('barred', { A: 1, B: 2 }),
        ...prefs('late', { A: 1, B: 2 }),
        ...prefs('p1', { A: 1, B: 2 }),
        ...prefs('p2', { B: 1, A: 2 }),
      ],
      pins: [{ studentId: 'pinned', departmentId: 'C', blockId: 'b1' }],
      bars: [{ studentId: 'barred', hospitalId: 'H-A', reason: 'conflict of interest' }],
      prerequisites: [{ studentId: 'late', specialty: 'X', notBeforeBlockId: 'b2' }],
      pairs: [{ studentIds: ['p1', 'p2'] }],
    };
    const result = solvedOf(await allocate(input, 'OPTIMAL'));
    expectValid(input, result);
    expect(placeOf(result, 'pinned', 'b1')).toBe('C');
    expect(result.assignments.filter((a) => a.studentId === 'barred').map((a) => a.departmentId)).toEqual(['B']);
    expect(result.assignments.filter((a) => a.studentId === 'late').map((a) => a.blockId)).toEqual(['b2']);
    const p1 = result.assignments.filter((a) => a.studentId === 'p1').map((a) => `${a.blockId}:${a.departmentId}`);
    const p2 = result.assignments.filter((a) => a.studentId === 'p2').map((a) => `${a.blockId}:${a.departmentId}`);
    expect(p1).toEqual(p2);
    // The pinned student's unranked site does not count in the worst rank; "barred" could only
    // have its 2nd choice anyway (its floor): nobody is above their floor.
    expect(lexOf(input, result.assignments).worst).toBe(0);
    expect(result.metrics.worstRankBeyondFloor).toBeNull();
    expect(result.metrics.worstRank).toBe(input.preferences.reduce((m, p) => Math.max(m, p.rank), 0) + 1);
  });

  it('keeps seats reserved for a school to that school', async () => {
    const input: AllocationInput = {
      blocks: blocks('b1'),
      students: [student('a1', 1, { X: 1 }), { ...student('b1s', 1, { X: 1 }), schoolId: 'S2' }],
      sites: [site('A', 'b1', 1, 'X', { schoolId: 'S2' }), site('B', 'b1', 1)],
      preferences: [...prefs('a1', { A: 1, B: 2 }), ...prefs('b1s', { B: 1, A: 2 })],
    };
    const result = solvedOf(await allocate(input, 'OPTIMAL'));
    expectValid(input, result);
    expect(placeOf(result, 'a1', 'b1')).toBe('B');
    expect(placeOf(result, 'b1s', 'b1')).toBe('A');
  });

  it('agrees with exhaustive search, with every strategy', async () => {
    const b = ['b1', 'b2'];
    const input: AllocationInput = {
      blocks: blocks(...b),
      students: [
        student('s1', 2, { X: 1, Y: 1 }),
        student('s2', 2, { X: 1, Y: 1 }),
        student('s3', 1, { X: [0, 1], Y: [0, 1] }),
        student('s4', 1, { Y: 1 }),
      ],
      sites: [...sites('X1', b, 1, 'X'), site('X2', 'b2', 1, 'X'), ...sites('Y1', b, 1, 'Y'), site('Y2', 'b1', 2, 'Y')],
      preferences: [
        ...prefs('s1', { X1: 1, Y1: 1, X2: 2, Y2: 2 }),
        ...prefs('s2', { X2: 1, Y1: 1, X1: 2, Y2: 3 }),
        ...prefs('s3', { X1: 1, Y2: 2 }),
        ...prefs('s4', { Y1: 1, Y2: 2 }),
      ],
    };
    const truth = bruteForceOptimum(input)!;
    for (const strategy of ['AUTO', 'MONOLITHIC', 'DECOMPOSED'] as const) {
      const result = solvedOf(await allocate(input, 'OPTIMAL', { strategy }));
      expectValid(input, result);
      expect(lexOf(input, result.assignments)).toEqual(truth);
    }
  });

  it('repairs a block timetable that the places stage could not foresee', async () => {
    // XA and YA have their only seats in b1, YB in b2. Stage 1 (places, seats summed over the
    // blocks) gives s1 its first choices XA and YA and s2 YB: both of s1's places are in b1.
    // The repair re-solves s1, then s1 with s2 (who holds the seat s1 needs), and finds the true
    // optimum: s1 at XA and YB, s2 at YA.
    const input: AllocationInput = {
      blocks: blocks('b1', 'b2'),
      students: [student('s1', 2, { X: 1, Y: 1 }), student('s2', 1, { Y: 1 })],
      sites: [site('XA', 'b1', 1, 'X'), site('YA', 'b1', 1, 'Y'), site('YB', 'b2', 1, 'Y')],
      preferences: [...prefs('s1', { XA: 1, YA: 1, YB: 2 }), ...prefs('s2', { YB: 1, YA: 2 })],
    };
    const result = solvedOf(await allocate(input, 'OPTIMAL', { strategy: 'DECOMPOSED' }));
    expectValid(input, result);
    expect(lexOf(input, result.assignments)).toEqual(bruteForceOptimum(input));
    expect(result.solver.notes.join('\n')).toMatch(
      /1 students did not fit the block timetable; repairing\nrepair round 1: 1 students.*infeasible.*\nrepair round 2: 2 students/,
    );
    // The repair grew to both students, so it solved the full model: proven optimal (the
    // stage-1 bound alone, 3, would have left a gap).
    expect(result.metrics.totalRank).toBe(5);
    expect(result.status).toBe('OPTIMAL');
    expect(result.solver.gap).toBe(0);
  });

  it('does not call an instance infeasible when the budget ran out before OPTIMAL tried anything', async () => {
    // The lottery gets stuck (see lottery.test.ts), so OPTIMAL has no warm start; an allocation
    // exists, but the budget is gone before the first attempt. Once this said "no complete
    // allocation exists" (a bench run whose lottery took longer than the whole budget).
    const input: AllocationInput = {
      blocks: blocks('b1', 'b2'),
      students: [student('first', 1, { X: 1 }, { priority: 1 }), student('second', 2, { X: 1, Y: 1 })],
      sites: [site('X1', 'b1', 1, 'X'), site('X2', 'b2', 1, 'X'), site('Y1', 'b1', 1, 'Y')],
      preferences: [...prefs('first', { X2: 1, X1: 2 }), ...prefs('second', { X1: 1, X2: 1, Y1: 1 })],
    };
    const { variations } = await runVariations(input, { seed: 's', timeLimitSeconds: 1e-9 });
    expect(variations[1]!.status).toBe('PARTIAL');
    expect(variations[0]!.status).toBe('TIMED_OUT');
  });

  it('returns the optimum and a lottery from runVariations, with the input hash', async () => {
    const input: AllocationInput = {
      blocks: blocks('b1'),
      students: ['s1', 's2'].map((id) => student(id, 1, { X: 1 })),
      sites: [site('A', 'b1', 1), site('B', 'b1', 1)],
      preferences: [...prefs('s1', { A: 1, B: 2 }), ...prefs('s2', { A: 1, B: 2 })],
    };
    const out = await runVariations(input, { seed: 'published-seed' });
    expect(out.variations.map((v) => v.mechanism)).toEqual(['OPTIMAL', 'LOTTERY']);
    expect(out.variations.every((v) => v.inputHash === out.inputHash)).toBe(true);
    expect(out.variations[1]!.seed).toBe('published-seed');
    for (const v of out.variations) expectValid(input, v);
  });
});
