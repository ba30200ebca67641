import { allocate, type AllocationInput, checkAssignments, type SolvedResult } from '../src';
import { bruteForceOptimum, lexOf } from './support/brute-force';
import { blocks, expectValid, sites, solvedOf, student } from './support/build';

/** Relative precedence: every block of one specialty before any block of another. */

const B = ['b1', 'b2', 'b3'];

function instance(withPrecedence: boolean): AllocationInput {
  return {
    blocks: blocks(...B),
    students: [student('ada', 3, { X: 1, Y: 1, Z: 1 }, { name: 'Ada' })],
    sites: [...sites('X1', B, 1, 'X'), ...sites('Y1', B, 1, 'Y'), ...sites('Z1', B, 1, 'Z')],
    // Ada would love Y in the first block; everything else is her 2nd choice.
    preferences: [
      { studentId: 'ada', rank: 1, departmentId: 'Y1', blockId: 'b1' },
      { studentId: 'ada', rank: 2, specialty: 'X' },
      { studentId: 'ada', rank: 2, specialty: 'Y' },
      { studentId: 'ada', rank: 2, specialty: 'Z' },
    ],
    ...(withPrecedence ? { precedences: [{ before: 'X', after: 'Y' }] } : {}),
  };
}

const order = (r: SolvedResult) => r.assignments.map((a) => `${a.blockId}:${a.specialty}`).sort();

describe('relative precedence', () => {
  it('puts every block of the first specialty before the second, in both mechanisms, as the exhaustive optimum does', async () => {
    for (const mechanism of ['OPTIMAL', 'LOTTERY'] as const) {
      const free = solvedOf(await allocate(instance(false), mechanism, { seed: 'p' }));
      expect(free.assignments.find((a) => a.blockId === 'b1')!.specialty).toBe('Y');
      const input = instance(true);
      const ordered = solvedOf(await allocate(input, mechanism, { seed: 'p' }));
      expectValid(input, ordered);
      const blockOf = (spec: string) => B.indexOf(ordered.assignments.find((a) => a.specialty === spec)!.blockId);
      expect(blockOf('X')).toBeLessThan(blockOf('Y'));
      expect(ordered.metrics.totalRank).toBe(6);
    }
    for (const strategy of ['MONOLITHIC', 'DECOMPOSED'] as const) {
      const input = instance(true);
      const r = solvedOf(await allocate(input, 'OPTIMAL', { strategy }));
      expect(lexOf(input, r.assignments)).toEqual(bruteForceOptimum(input));
      expect(order(r)).not.toContain('b1:Y');
    }
  });

  it('is checked by the validator', () => {
    const yFirst = ['Y', 'X', 'Z'].map((spec, i) => ({
      studentId: 'ada',
      blockId: B[i]!,
      departmentId: `${spec}1`,
      hospitalId: `H-${spec}1`,
      specialty: spec,
      rank: i === 0 ? 1 : 2,
    }));
    expect(checkAssignments(instance(false), yFirst)).toEqual([]);
    expect(checkAssignments(instance(true), yFirst)).toEqual(['Ada takes Y in block 1, before finishing X']);
  });
});
