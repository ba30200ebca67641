import { allocate, type AllocationInput, checkAssignments, parseAllocationInput, type SolvedResult } from '../src';
import { bruteForceOptimum, lexOf } from './support/brute-force';
import { blocks, expectValid, prefs, sites, solvedOf, student } from './support/build';

/**
 * Minimum staffing (issue #14): a department may need at least m students in a block, or none.
 * Cardiology (A) is Ada's favourite only; everyone else prefers B. With "2 or none" at A, Ada
 * either goes to B or someone joins her at A.
 */

const B = ['b1'];
const S = ['ada', 'ben', 'cy'];

function instance(minStudents?: number): AllocationInput {
  return {
    blocks: blocks(...B),
    students: S.map((id) => student(id, 1, { X: 1 })),
    sites: [...sites('A', B, 3, 'X', { departmentName: 'Cardiology' }), ...sites('B', B, 3, 'X')],
    preferences: [...prefs('ada', { A: 1, B: 2 }), ...prefs('ben', { B: 1, A: 3 }), ...prefs('cy', { B: 1, A: 3 })],
    ...(minStudents === undefined ? {} : { staffingMinimums: [{ departmentId: 'A', minStudents }] }),
  };
}

const at = (r: SolvedResult, dept: string) =>
  r.assignments
    .filter((a) => a.departmentId === dept)
    .map((a) => a.studentId)
    .sort();

describe('minimum staffing: m students in a block, or none', () => {
  it('without a minimum Ada is alone at Cardiology (so the minimum is what changes it)', async () => {
    expect(at(solvedOf(await allocate(instance(), 'OPTIMAL')), 'A')).toEqual(['ada']);
  });

  it('OPTIMAL (every strategy) and LOTTERY never leave one student alone where two are needed; OPTIMAL matches the exhaustive optimum', async () => {
    const input = instance(2);
    const truth = bruteForceOptimum(input);
    for (const strategy of ['AUTO', 'MONOLITHIC', 'DECOMPOSED'] as const) {
      const result = solvedOf(await allocate(input, 'OPTIMAL', { strategy }));
      expectValid(input, result);
      expect(result.status).toBe('OPTIMAL');
      expect(lexOf(input, result.assignments)).toEqual(truth);
      expect(at(result, 'A')).toEqual([]);
      expect(result.understaffed).toBeUndefined();
    }
    for (const seed of ['a', 'b', 'c', 'd']) {
      const lottery = solvedOf(await allocate(input, 'LOTTERY', { seed }));
      expectValid(input, lottery);
      expect([0, 2, 3]).toContain(at(lottery, 'A').length);
    }
  });

  it('explains why Ada did not get Cardiology, naming the rule', async () => {
    const result = solvedOf(await allocate(instance(2), 'OPTIMAL'));
    const ada = result.explanations.find((e) => e.studentId === 'ada')!;
    expect(ada.assignments[0]!.missed.map((m) => m.reason)).toEqual(['STAFFING']);
    expect(ada.text).toContain('Cardiology (H-A) (your 1st choice) needs at least 2 students in a block or none');
  });

  it('a minimum no allocation can meet leaves the department empty and says which, instead of failing', async () => {
    const input = instance(4); // 3 seats
    for (const mechanism of ['OPTIMAL', 'LOTTERY'] as const) {
      const result = solvedOf(await allocate(input, mechanism, { seed: 's' }));
      expectValid(input, result);
      expect(result.unplaced).toEqual([]);
      expect(at(result, 'A')).toEqual([]);
      expect(result.understaffed).toEqual([
        {
          departmentId: 'A',
          blockId: 'b1',
          minStudents: 4,
          message: 'Cardiology (H-A) in block 1 stays empty: it needs at least 4 students or none, and it offers 3 seats',
        },
      ]);
    }
  });

  it('the lottery closes a department its draw left below the minimum, draws again and says so', async () => {
    // Ben and Cy may go to A but prefer B: whatever the order, the draw leaves Ada alone at A,
    // which is then closed (and Ada drawn again into B).
    const input = instance(2);
    const lottery = solvedOf(await allocate(input, 'LOTTERY', { seed: 'x' }));
    expectValid(input, lottery);
    expect(at(lottery, 'A')).toEqual([]);
    expect(lottery.understaffed?.map((u) => u.message)).toEqual([
      'Cardiology (H-A) in block 1 stays empty: it needs at least 2 students or none, and only 1 student chose it in the draw, so it was closed and the draw run again',
    ]);
  });

  it('is INFEASIBLE, naming the department, when a pin needs company nobody can give', async () => {
    const input = instance(2);
    input.pins = [{ studentId: 'ada', departmentId: 'A', blockId: 'b1' }];
    input.bars = ['ben', 'cy'].map((studentId) => ({ studentId, departmentId: 'A' }));
    const result = await allocate(input, 'OPTIMAL');
    expect(result.status).toBe('INFEASIBLE');
    const understaffed = result.status === 'INFEASIBLE' ? result.reasons.filter((r) => r.kind === 'UNDERSTAFFED') : [];
    expect(understaffed.map((r) => r.message)).toEqual([
      'Cardiology (H-A) in block 1 stays empty: it needs at least 2 students or none, and only 1 student may go there',
    ]);
  });

  it('the validator refuses a department below its minimum, and accepts it empty or at the minimum', () => {
    const input = instance(2);
    const place = (studentId: string, departmentId: string) => ({
      studentId,
      blockId: 'b1',
      departmentId,
      hospitalId: `H-${departmentId}`,
      specialty: 'X',
      rank: input.preferences.find((p) => p.studentId === studentId && p.departmentId === departmentId)!.rank,
    });
    expect(checkAssignments(input, [place('ada', 'A'), place('ben', 'B'), place('cy', 'B')])).toEqual([
      'Cardiology in block 1 has 1 student, needs at least 2 or none',
    ]);
    expect(checkAssignments(input, [place('ada', 'A'), place('ben', 'A'), place('cy', 'B')])).toEqual([]);
    expect(checkAssignments(input, [place('ada', 'B'), place('ben', 'B'), place('cy', 'B')])).toEqual([]);
  });

  it('refuses minimums naming unknown departments or blocks, twice the same, or below 2', () => {
    const with_ = (staffingMinimums: unknown) => ({ ...instance(), staffingMinimums });
    expect(() => parseAllocationInput(with_([{ departmentId: 'Z', minStudents: 2 }]))).toThrow(
      'unknown department Z (named by a staffing minimum)',
    );
    expect(() => parseAllocationInput(with_([{ departmentId: 'A', minStudents: 2, blockId: 'b9' }]))).toThrow(
      'a staffing minimum names unknown block b9',
    );
    expect(() =>
      parseAllocationInput(
        with_([
          { departmentId: 'A', minStudents: 2 },
          { departmentId: 'A', minStudents: 3 },
        ]),
      ),
    ).toThrow('department A has two staffing minimums');
    expect(() => parseAllocationInput(with_([{ departmentId: 'A', minStudents: 1 }]))).toThrow('staffingMinimums.0.minStudents');
  });
});
