import { allocate, type AllocationInput, checkAssignments } from '../src';
import { bruteForceOptimum, lexOf } from './support/brute-force';
import { blocks, expectValid, prefs, sites, solvedOf, student } from './support/build';

/** A department repeats for a student only as far as their requirement allows (departmentMaxBlocks). */

const B = ['b1', 'b2', 'b3'];

function instance(departmentMaxBlocks?: number): AllocationInput {
  // Ada fills every block with any specialty; she likes A best, then B, then C.
  const ada = student('ada', 3, {}, { name: 'Ada' });
  ada.requirement.electiveMaxBlocks = 3;
  if (departmentMaxBlocks !== undefined) ada.requirement.departmentMaxBlocks = departmentMaxBlocks;
  return {
    blocks: blocks(...B),
    students: [ada],
    sites: [...sites('A', B, 1, 'X'), ...sites('B', B, 1, 'X'), ...sites('C', B, 1, 'Y')],
    preferences: prefs('ada', { A: 1, B: 2, C: 3 }),
  };
}

const departmentsOf = (input: AllocationInput, mechanism: 'OPTIMAL' | 'LOTTERY') =>
  allocate(input, mechanism, { seed: 'r' }).then((r) => {
    expectValid(input, r);
    return solvedOf(r)
      .assignments.map((a) => a.departmentId)
      .sort();
  });

describe('no accidental repeats', () => {
  it('places a student at one department in every block only when nothing caps repeats', async () => {
    for (const mechanism of ['OPTIMAL', 'LOTTERY'] as const) {
      expect(await departmentsOf(instance(), mechanism)).toEqual(['A', 'A', 'A']);
      expect(await departmentsOf(instance(1), mechanism)).toEqual(['A', 'B', 'C']);
      expect(await departmentsOf(instance(2), mechanism)).toEqual(['A', 'A', 'B']);
    }
    const capped = instance(1);
    expect(lexOf(capped, solvedOf(await allocate(capped, 'OPTIMAL')).assignments)).toEqual(bruteForceOptimum(capped));
  });

  it('is INFEASIBLE when the cap leaves too few departments, and the validator enforces it', async () => {
    const input = instance(1);
    input.sites = input.sites.map((x) => (x.departmentId === 'C' ? { ...x, seats: 0 } : x));
    expect((await allocate(input, 'OPTIMAL')).status).toBe('INFEASIBLE');
    const repeated = B.map((blockId) => ({ studentId: 'ada', blockId, departmentId: 'A', hospitalId: 'H-A', specialty: 'X', rank: 1 }));
    expect(checkAssignments(instance(1), repeated)).toEqual(['Ada has 3 blocks at A, at most 1 allowed']);
    expect(checkAssignments(instance(), repeated)).toEqual([]);
  });
});
