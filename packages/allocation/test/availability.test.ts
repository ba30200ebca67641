import { allocate, type AllocationInput, checkAssignments, parseAllocationInput, type SolvedResult } from '../src';
import { bruteForceOptimum, lexOf } from './support/brute-force';
import { blocks, expectValid, prefs, sites, solvedOf, student } from './support/build';

/** Availability (a student's blocks away) is input of its own, not a bar per hospital and block. */

const B = ['b1', 'b2', 'b3'];

function instance(): AllocationInput {
  return {
    blocks: blocks(...B),
    students: ['s1', 's2', 's3', 's4'].map((id) => student(id, 2, { X: 1, Y: 1 })),
    sites: [...sites('A', B, 1, 'X'), ...sites('B', B, 1, 'X'), ...sites('C', B, 2, 'Y')],
    preferences: ['s1', 's2', 's3', 's4'].flatMap((s, i) => prefs(s, i % 2 ? { B: 1, A: 2, C: 1 } : { A: 1, B: 2, C: 1 })),
    unavailable: [{ studentId: 's1', blockId: 'b2', reason: 'parental leave' }],
  };
}

/** The same absence written the old way: a bar on every hospital in that block. */
function withBars(): AllocationInput {
  const { unavailable: _, ...rest } = instance();
  return { ...rest, bars: ['H-A', 'H-B', 'H-C'].map((hospitalId) => ({ studentId: 's1', hospitalId, blockId: 'b2' })) };
}

const stageOneColumns = (r: SolvedResult) => {
  const note = r.solver.notes.find((n) => n.includes('stage 1 (places)'))!;
  const [, z, y] = /(\d+) \+ (\d+) columns/.exec(note)!;
  return { aggregated: Number(z), blockLevel: Number(y) };
};

describe('availability', () => {
  it('never places a student in a block they are away, and finds the exhaustive optimum', async () => {
    const input = instance();
    for (const mechanism of ['OPTIMAL', 'LOTTERY'] as const) {
      const result = solvedOf(await allocate(input, mechanism, { seed: 'a' }));
      expectValid(input, result);
      expect(result.assignments.filter((a) => a.studentId === 's1').map((a) => a.blockId)).toEqual(['b1', 'b3']);
    }
    const optimal = solvedOf(await allocate(input, 'OPTIMAL'));
    expect(optimal.status).toBe('OPTIMAL');
    expect(lexOf(input, optimal.assignments)).toEqual(bruteForceOptimum(input));
  });

  it('keeps the first stage aggregated where per-block bars split it into block-level columns', async () => {
    const available = solvedOf(await allocate(instance(), 'OPTIMAL', { strategy: 'DECOMPOSED' }));
    const barred = solvedOf(await allocate(withBars(), 'OPTIMAL', { strategy: 'DECOMPOSED' }));
    expect(stageOneColumns(available).blockLevel).toBe(0);
    expect(stageOneColumns(barred).blockLevel).toBeGreaterThan(0);
    // Same problem, same optimum.
    expect(lexOf(instance(), available.assignments)).toEqual(lexOf(withBars(), barred.assignments));
  });

  it('says when a student is away too often to fill their blocks, naming the blocks', async () => {
    const input = instance();
    input.unavailable = ['b1', 'b2'].map((blockId) => ({ studentId: 's1', blockId, reason: 'exams' }));
    input.blocks = B.map((id, i) => ({ id, label: ['Autumn', 'Winter', 'Spring'][i] }));
    const result = await allocate(input, 'OPTIMAL');
    expect(result.status).toBe('INFEASIBLE');
    expect(result.status === 'INFEASIBLE' && result.reasons.map((r) => r.message)).toEqual([
      // The conflicting set, constraint by constraint (ADR 0045): both absences are needed to break it.
      "These cannot all be met together: s1's placement in 2 blocks; s1's absence in Autumn (exams); s1's absence in Winter (exams). " +
        'Lifting any one of them lets all the others hold.',
      's1 must fill 2 blocks but is available in only 1 (not in Autumn, Winter)',
    ]);
  });

  it('is checked by the validator and refused when it names an unknown student or block', () => {
    const input = instance();
    const assignments = [
      { studentId: 's1', blockId: 'b2', departmentId: 'A', hospitalId: 'H-A', specialty: 'X', rank: 1 },
      { studentId: 's1', blockId: 'b3', departmentId: 'C', hospitalId: 'H-C', specialty: 'Y', rank: 1 },
    ];
    expect(checkAssignments({ ...input, students: input.students.slice(0, 1) }, assignments)).toEqual([
      's1 is placed in block 2, when they are not available',
    ]);
    expect(() => parseAllocationInput({ ...input, unavailable: [{ studentId: 'ghost', blockId: 'b9' }] })).toThrow(
      /an unavailability names unknown student ghost; an unavailability names unknown block b9/,
    );
  });
});
