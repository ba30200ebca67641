import {
  type AllocationInput,
  type AllocationResult,
  checkAllocation,
  type SiteInput,
  type SolvedResult,
  type StudentInput,
} from '../../src';

/** Small, readable instance builders for hand-checkable tests. */

export const blocks = (...ids: string[]) => ids.map((id) => ({ id }));

/** A site; the department id doubles as its name, its hospital defaults to H-<dept>. */
export function site(departmentId: string, blockId: string, seats: number, specialty = 'X', extra: Partial<SiteInput> = {}): SiteInput {
  return {
    departmentId,
    hospitalId: `H-${departmentId}`,
    specialty,
    blockId,
    seats,
    departmentName: departmentId,
    hospitalName: `H-${departmentId}`,
    ...extra,
  };
}

/** Sites of one department in several blocks. */
export const sites = (departmentId: string, blockIds: string[], seats: number, specialty = 'X', extra: Partial<SiteInput> = {}) =>
  blockIds.map((b) => site(departmentId, b, seats, specialty, extra));

/** `needs` maps specialty → exact blocks, or [min, max]. */
export function student(
  id: string,
  blocksToFill: number,
  needs: Record<string, number | [number, number]>,
  extra: Partial<StudentInput> = {},
): StudentInput {
  return {
    id,
    schoolId: 'S1',
    name: id,
    requirement: {
      blocksToFill,
      specialties: Object.entries(needs).map(([specialty, n]) =>
        Array.isArray(n) ? { specialty, minBlocks: n[0], maxBlocks: n[1] } : { specialty, minBlocks: n },
      ),
      electiveMaxBlocks: 0,
    },
    ...extra,
  };
}

/** Department-level preferences: `{ A: 1, B: 2 }`. */
export const prefs = (studentId: string, ranks: Record<string, number>) =>
  Object.entries(ranks).map(([departmentId, rank]) => ({ studentId, rank, departmentId }));

export function solvedOf(result: AllocationResult): SolvedResult {
  if (result.status === 'INFEASIBLE' || result.status === 'TIMED_OUT')
    throw new Error(`expected a solution, got ${result.status}: ${JSON.stringify(result.reasons)}`);
  return result;
}

/** Fails the test with the violations when the independent validator finds any. */
export function expectValid(input: AllocationInput, result: AllocationResult): void {
  const problems = checkAllocation(input, result);
  if (problems.length) throw new Error(`invalid ${result.mechanism} allocation:\n${problems.join('\n')}`);
}

export const placeOf = (result: SolvedResult, studentId: string, blockId: string) =>
  result.assignments.find((a) => a.studentId === studentId && a.blockId === blockId)?.departmentId;

/** A result without its solver report (timings differ between runs; everything else must not). */
export function stable(result: AllocationResult): Omit<AllocationResult, 'solver'> {
  const { solver: _timings, ...rest } = result as SolvedResult;
  return rest;
}
