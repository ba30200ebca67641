import { type Instance } from './instance';
import { type AllocationInput, type InfeasibilityReason } from './types';

/**
 * "Place the others" (issue 14, `SolveOptions.placeOthersWhenInfeasible`, ADR 0045): when no
 * complete allocation exists, OPTIMAL leaves out the students of a conflicting set — whole pair
 * groups, since partners are placed together or not at all — and solves the rest, again and
 * again while the rest still conflicts. The engine does not choose which of the conflicting
 * students gets the seat: that is the coordinator's decision, made by hand with the set's words.
 */

/** What a left-out student reads (their own words; the set itself names classmates). */
export const LEFT_OUT_REASON =
  'left out at the coordinator\u2019s request so that everyone else could be placed: your requirements are part of a set of constraints that cannot all hold together (see the conflicting set)';

/** The students of a conflicting set with their pair partners, by id. */
export function studentsToLeaveOut(inst: Instance, conflict: InfeasibilityReason): string[] {
  const out = new Set<string>();
  for (const id of conflict.studentIds ?? []) {
    const s = inst.studentIndex.get(id);
    if (s === undefined) continue;
    const g = inst.groupOf[s]!;
    for (const m of g === -1 ? [s] : inst.groups[g]!) out.add(inst.students[m]!.id);
  }
  return [...out];
}

/** The input without these students and every line about them (their pairs must leave whole). */
export function withoutStudents(input: AllocationInput, leave: ReadonlySet<string>): AllocationInput {
  const kept = <T extends { studentId: string }>(list: readonly T[] | undefined) => (list ?? []).filter((x) => !leave.has(x.studentId));
  return {
    ...input,
    students: input.students.filter((s) => !leave.has(s.id)),
    preferences: kept(input.preferences),
    pins: kept(input.pins),
    bars: kept(input.bars),
    unavailable: kept(input.unavailable),
    prerequisites: kept(input.prerequisites),
    precedences: (input.precedences ?? []).filter((p) => !p.studentId || !leave.has(p.studentId)),
    pairs: (input.pairs ?? []).filter((p) => !p.studentIds.some((id) => leave.has(id))),
  };
}

/** Site index of `rest` → site index of `full` (the same sites; matched by department, block and school). */
export function siteMapping(full: Instance, rest: Instance): Int32Array {
  const key = (x: { departmentId: string; block: number; schoolId: string | null }) =>
    `${x.departmentId}\u0000${full.blocks[x.block]!.id}\u0000${x.schoolId ?? ''}`;
  const index = new Map(full.sites.map((x) => [key(x), x.index]));
  return Int32Array.from(rest.sites, (x) => index.get(key(x))!);
}
