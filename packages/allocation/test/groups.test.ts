import { allocate, type AllocationInput, checkAssignments, parseAllocationInput } from '../src';
import { bruteForceOptimum, lexOf } from './support/brute-force';
import { blocks, expectValid, prefs, sites, solvedOf, student } from './support/build';

/** Requirement groups: "complete k of this set", the engine choosing which by preference. */

const B = ['b1', 'b2', 'b3'];

function instance(): AllocationInput {
  // Ada: one block of X, and 2 of {N, D, E} (one block each at most); she prefers D, then E, then N.
  const ada = student('ada', 3, { X: 1 }, { name: 'Ada' });
  ada.requirement.electiveMaxBlocks = 1;
  ada.requirement.groups = [{ specialties: ['N', 'D', 'E'], minBlocks: 2, label: '2 of neurology, dermatology, ENT' }];
  return {
    blocks: blocks(...B),
    students: [ada],
    sites: [...sites('X1', B, 1, 'X'), ...sites('N1', B, 1, 'N'), ...sites('D1', B, 1, 'D'), ...sites('E1', B, 1, 'E')],
    preferences: prefs('ada', { X1: 1, D1: 1, E1: 2, N1: 3 }),
  };
}

const specialtiesOf = async (input: AllocationInput, mechanism: 'OPTIMAL' | 'LOTTERY') => {
  const result = await allocate(input, mechanism, { seed: 'g' });
  expectValid(input, result);
  return solvedOf(result)
    .assignments.map((a) => a.specialty)
    .sort();
};

describe('requirement groups', () => {
  it('chooses the members of the set by preference, in both mechanisms, as the exhaustive optimum does', async () => {
    for (const mechanism of ['OPTIMAL', 'LOTTERY'] as const) expect(await specialtiesOf(instance(), mechanism)).toEqual(['D', 'E', 'X']);
    const input = instance();
    expect(lexOf(input, solvedOf(await allocate(input, 'OPTIMAL')).assignments)).toEqual(bruteForceOptimum(input));
    // Without D, the next member of the set is taken.
    input.sites = input.sites.map((x) => (x.departmentId === 'D1' ? { ...x, seats: 0 } : x));
    expect(await specialtiesOf(input, 'OPTIMAL')).toEqual(['E', 'N', 'X']);
  });

  it('says so when the set cannot be completed', async () => {
    const input = instance();
    input.sites = input.sites.map((x) => (x.specialty !== 'X' && x.departmentId !== 'D1' ? { ...x, seats: 0 } : x));
    const result = await allocate(input, 'OPTIMAL');
    expect(result.status).toBe('INFEASIBLE');
    expect(JSON.stringify(result.status === 'INFEASIBLE' && result.reasons)).toContain('2 of neurology, dermatology, ENT');
  });

  it('is checked by the validator; a specialty in two groups of one student is refused', () => {
    const oneOfSet = [
      { studentId: 'ada', blockId: 'b1', departmentId: 'X1', hospitalId: 'H-X1', specialty: 'X', rank: 1 },
      { studentId: 'ada', blockId: 'b2', departmentId: 'D1', hospitalId: 'H-D1', specialty: 'D', rank: 1 },
      { studentId: 'ada', blockId: 'b3', departmentId: 'X1', hospitalId: 'H-X1', specialty: 'X', rank: 1 },
    ];
    expect(checkAssignments(instance(), oneOfSet)).toEqual(['Ada has 2 blocks of X, needs 1', 'Ada has 1 blocks among N, D, E, needs 2']);
    const twice = instance();
    twice.students[0]!.requirement.groups!.push({ specialties: ['N', 'Y'], minBlocks: 1 });
    expect(() => parseAllocationInput(twice)).toThrow(/student ada has specialty N in two requirement groups/);
  });
});
