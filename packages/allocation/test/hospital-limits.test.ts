import { allocate, type AllocationInput, checkAssignments, hashAllocationInput, parseAllocationInput, type SolvedResult } from '../src';
import { bruteForceOptimum, lexOf } from './support/brute-force';
import { blocks, expectValid, prefs, sites, solvedOf, student } from './support/build';

/**
 * A hospital's limit on the blocks one student spends there (issue #14): St Mary's (A, B) is
 * everyone's favourite, Riverside (C, D) second; with a limit of one block per student at St
 * Mary's, each student does one of their two specialties at Riverside.
 */

const B = ['b1', 'b2'];
const STUDENTS = ['s1', 's2'];

function instance(limit?: number): AllocationInput {
  const at = (hospitalId: string, hospitalName: string) => ({ hospitalId, hospitalName });
  return {
    blocks: blocks(...B),
    students: STUDENTS.map((id) => student(id, 2, { X: 1, Y: 1 })),
    sites: [
      ...sites('A', B, 2, 'X', at('H1', "St Mary's")),
      ...sites('B', B, 2, 'Y', at('H1', "St Mary's")),
      ...sites('C', B, 2, 'X', at('H2', 'Riverside')),
      ...sites('D', B, 2, 'Y', at('H2', 'Riverside')),
    ],
    preferences: STUDENTS.flatMap((s) => prefs(s, { A: 1, B: 1, C: 2, D: 2 })),
    ...(limit === undefined ? {} : { hospitalLimits: [{ hospitalId: 'H1', maxBlocksPerStudent: limit }] }),
  };
}

const hospitalsOf = (result: SolvedResult, studentId: string) =>
  result.assignments
    .filter((a) => a.studentId === studentId)
    .map((a) => a.hospitalId)
    .sort();

describe('hospital limits per student', () => {
  it('without a limit everyone does both blocks at the favourite hospital (so the limit is what changes it)', async () => {
    const result = solvedOf(await allocate(instance(), 'OPTIMAL'));
    for (const s of STUDENTS) expect(hospitalsOf(result, s)).toEqual(['H1', 'H1']);
  });

  it('OPTIMAL (every strategy) and LOTTERY keep each student within the limit; OPTIMAL matches the exhaustive optimum', async () => {
    const input = instance(1);
    const truth = bruteForceOptimum(input);
    // Rank 2 is each student's floor (their best alone), so no rank counts as worst above it.
    expect(truth).toEqual({ worst: 0, total: 6 });
    for (const strategy of ['AUTO', 'MONOLITHIC', 'DECOMPOSED'] as const) {
      const result = solvedOf(await allocate(input, 'OPTIMAL', { strategy }));
      expectValid(input, result);
      expect(result.status).toBe('OPTIMAL');
      expect(lexOf(input, result.assignments)).toEqual(truth);
      for (const s of STUDENTS) expect(hospitalsOf(result, s)).toEqual(['H1', 'H2']);
    }
    const lottery = solvedOf(await allocate(input, 'LOTTERY', { seed: 'limits' }));
    expectValid(input, lottery);
    expect(lottery.unplaced).toEqual([]);
    for (const s of STUDENTS) expect(hospitalsOf(lottery, s)).toEqual(['H1', 'H2']);
  });

  it('explains the missed first choice by the hospital limit, naming the hospital', async () => {
    const result = solvedOf(await allocate(instance(1), 'OPTIMAL'));
    const explanation = result.explanations.find((e) => e.studentId === 's1')!;
    const second = explanation.assignments.find((a) => a.rank === 2)!;
    // Both St Mary's departments had a free seat in that block.
    expect(second.missed.map((m) => m.reason)).toEqual(['HOSPITAL_LIMIT', 'HOSPITAL_LIMIT']);
    expect(second.text).toContain("your other blocks already reach the limit of 1 block per student at St Mary's");
  });

  it('is INFEASIBLE, naming the hospital, when pins alone go over the limit', async () => {
    const input = instance(1);
    input.pins = [
      { studentId: 's1', departmentId: 'A', blockId: 'b1' },
      { studentId: 's1', departmentId: 'B', blockId: 'b2' },
    ];
    const result = await allocate(input, 'OPTIMAL');
    expect(result.status).toBe('INFEASIBLE');
    const messages = result.status === 'INFEASIBLE' ? result.reasons.map((r) => r.message).join('\n') : '';
    expect(messages).toContain("St Mary's than its limit of 1 per student");
  });

  it('the validator refuses an allocation over the limit', () => {
    const input = instance(1);
    const over = B.map((blockId, i) => ({
      studentId: 's1',
      blockId,
      departmentId: i ? 'B' : 'A',
      hospitalId: 'H1',
      specialty: i ? 'Y' : 'X',
      rank: 1,
    }));
    const others = B.map((blockId, i) => ({
      studentId: 's2',
      blockId,
      departmentId: i ? 'D' : 'A',
      hospitalId: i ? 'H2' : 'H1',
      specialty: i ? 'Y' : 'X',
      rank: i ? 2 : 1,
    }));
    expect(checkAssignments(input, [...over, ...others])).toEqual(["s1 has 2 blocks at St Mary's, which takes one student for at most 1"]);
    expect(checkAssignments(instance(), [...over, ...others])).toEqual([]);
  });

  it('stays valid when sharing a limit among many departments is too many ways to try (the planner turns approximate)', async () => {
    // St Mary's has 12 departments, each allowed once: C(12, 4) = 495 ways to share its 4 blocks.
    const blocks6 = ['b1', 'b2', 'b3', 'b4', 'b5', 'b6'];
    const big = Array.from({ length: 12 }, (_, i) => `M${i}`);
    const input: AllocationInput = {
      blocks: blocks(...blocks6),
      students: ['s1', 's2'].map((id) => ({
        ...student(id, 6, { X: 6 }),
        requirement: { ...student(id, 6, { X: 6 }).requirement, departmentMaxBlocks: 1 },
      })),
      sites: [
        ...big.flatMap((d) => sites(d, blocks6, 1, 'X', { hospitalId: 'H1', hospitalName: "St Mary's" })),
        ...['R1', 'R2', 'R3'].flatMap((d) => sites(d, blocks6, 2, 'X', { hospitalId: 'H2', hospitalName: 'Riverside' })),
      ],
      preferences: ['s1', 's2'].flatMap((s) =>
        prefs(s, Object.fromEntries([...big.map((d, i) => [d, 1 + (i % 3)]), ['R1', 4], ['R2', 4], ['R3', 4]])),
      ),
      hospitalLimits: [{ hospitalId: 'H1', maxBlocksPerStudent: 4 }],
    };
    for (const mechanism of ['OPTIMAL', 'LOTTERY'] as const) {
      const result = solvedOf(await allocate(input, mechanism, { seed: 'many', timeLimitSeconds: 60 }));
      expectValid(input, result);
      expect(result.unplaced).toEqual([]);
      for (const s of ['s1', 's2']) expect(hospitalsOf(result, s).filter((h) => h === 'H1')).toHaveLength(4);
    }
  });

  it('refuses a limit for an unknown hospital, two limits for one hospital and a limit of 0, naming them', () => {
    const unknown = { ...instance(), hospitalLimits: [{ hospitalId: 'H9', maxBlocksPerStudent: 1 }] };
    expect(() => parseAllocationInput(unknown)).toThrow('unknown hospital H9 (named by a hospital limit)');
    const twice = {
      ...instance(),
      hospitalLimits: [
        { hospitalId: 'H1', maxBlocksPerStudent: 1 },
        { hospitalId: 'H1', maxBlocksPerStudent: 2 },
      ],
    };
    expect(() => parseAllocationInput(twice)).toThrow('hospital H1 has two limits');
    const zero = { ...instance(), hospitalLimits: [{ hospitalId: 'H1', maxBlocksPerStudent: 0 }] };
    expect(() => parseAllocationInput(zero)).toThrow('hospitalLimits.0.maxBlocksPerStudent');
  });

  it('hashes limits whatever their order, and differently from no limit', () => {
    const two = (order: number[]) => ({
      ...instance(),
      hospitalLimits: order.map(
        (i) =>
          [
            { hospitalId: 'H1', maxBlocksPerStudent: 1 },
            { hospitalId: 'H2', maxBlocksPerStudent: 2 },
          ][i]!,
      ),
    });
    expect(hashAllocationInput(two([0, 1]))).toBe(hashAllocationInput(two([1, 0])));
    expect(hashAllocationInput(two([0, 1]))).not.toBe(hashAllocationInput(instance()));
  });
});
