import { type Instance } from '../instance';
import { type AllocationInput, type ConflictPartKind, type SpecialtyRequirement } from '../types';

/**
 * The single constraints a conflicting set is refined to (optimal/conflict.ts), and the input in
 * which only some of them hold. Lifting a constraint always relaxes the instance (a complete
 * allocation of the original stays one of the relaxed input), which is what the deletion filter
 * needs:
 *
 * - PLACEMENT: the student is then placed at their pins only (blocks to fill = their pins), with
 *   no specialty minimum, group, rotation length or pair (those belong to it: lifted with it);
 * - a minimum becomes 0, a maximum or the electives' cap the number of blocks, a rotation
 *   length 1 block (the department limit, which counts rotations, is widened by as much);
 * - a pin, bar, absence, prerequisite, precedence, pair, hospital limit or staffing minimum is
 *   removed; a seat limit becomes more seats than anyone wants (a site without seats gets them).
 *
 * Preferences are dropped: ranks never make an instance infeasible.
 */

export interface Part {
  kind: ConflictPartKind;
  /** The student (index in the input and the instance); absent for global constraints. */
  student?: number;
  /** Position in its input list (pins, bars, unavailable, prerequisites, precedences, pairs, hospitalLimits, staffingMinimums; GROUP: the student's groups). */
  index?: number;
  specialty?: string;
  /** SEATS: the site's index. */
  site?: number;
  /** The students whose PLACEMENT this part belongs to: lifting one of those lifts it too. */
  owners: number[];
}

/** The students' own constraints, their pairs, and the global ones that could bear on them. */
export function partsOf(inst: Instance, students: readonly number[], sites: readonly number[]): Part[] {
  const input = inst.input;
  const n = inst.blocks.length;
  const set = new Set(students);
  const ids = new Map(students.map((s) => [inst.students[s]!.id, s]));
  const parts: Part[] = [];
  for (const s of students) {
    const r = input.students[s]!.requirement;
    parts.push({ kind: 'PLACEMENT', student: s, owners: [] });
    for (const q of r.specialties) {
      const d = q.durationBlocks ?? 1;
      if (q.minBlocks > 0) parts.push({ kind: 'SPECIALTY_MINIMUM', student: s, specialty: q.specialty, owners: [s] });
      if ((q.maxBlocks ?? q.minBlocks) < Math.floor(n / d) * d)
        parts.push({ kind: 'SPECIALTY_MAXIMUM', student: s, specialty: q.specialty, owners: [] });
      if (d > 1) parts.push({ kind: 'ROTATION_LENGTH', student: s, specialty: q.specialty, owners: [s] });
    }
    (r.groups ?? []).forEach((_, index) => parts.push({ kind: 'GROUP', student: s, index, owners: [s] }));
    if (r.electiveMaxBlocks < n) parts.push({ kind: 'ELECTIVES', student: s, owners: [] });
    if (r.departmentMaxBlocks !== undefined) parts.push({ kind: 'DEPARTMENT_LIMIT', student: s, owners: [] });
  }
  const mine = (kind: ConflictPartKind, list: readonly { studentId: string }[] | undefined) =>
    (list ?? []).forEach((x, index) => {
      const s = ids.get(x.studentId);
      if (s !== undefined) parts.push({ kind, student: s, index, owners: [] });
    });
  mine('PIN', input.pins);
  mine('BAR', input.bars);
  mine('UNAVAILABLE', input.unavailable);
  mine('PREREQUISITE', input.prerequisites);
  (input.precedences ?? []).forEach((p, index) => {
    for (const s of students)
      if (!p.studentId || p.studentId === inst.students[s]!.id) parts.push({ kind: 'PRECEDENCE', student: s, index, owners: [] });
  });
  (input.pairs ?? []).forEach((p, index) => {
    const members = p.studentIds.map((id) => inst.studentIndex.get(id)!);
    if (members.every((m) => set.has(m))) parts.push({ kind: 'PAIR', index, owners: members });
  });
  (input.hospitalLimits ?? []).forEach((_, index) => parts.push({ kind: 'HOSPITAL_LIMIT', index, owners: [] }));
  (input.staffingMinimums ?? []).forEach((_, index) => parts.push({ kind: 'STAFFING_MINIMUM', index, owners: [] }));
  // Seat limits: those the unit-level filter kept, and sites without seats that a pin needs.
  const seatSites = new Set(sites);
  for (const s of students)
    for (const pin of inst.pinsByStudent[s]!) if (pin.site !== -1 && inst.sites[pin.site]!.seats === 0) seatSites.add(pin.site);
  for (const site of [...seatSites].sort((a, b) => a - b)) parts.push({ kind: 'SEATS', site, owners: [] });
  return parts;
}

/** Parts whose owners are all still in the set (a lifted PLACEMENT lifts what belongs to it). */
export function withoutOrphans(parts: readonly Part[]): Part[] {
  const placed = new Set(parts.filter((p) => p.kind === 'PLACEMENT').map((p) => p.student!));
  return parts.filter((p) => p.owners.every((s) => placed.has(s)));
}

const closedByStaffing = (inst: Instance, site: number) =>
  inst.staffedOf[site] !== -1 && inst.staffed[inst.staffedOf[site]!]!.closed !== null;

const key = (kind: string, student: number | undefined, extra: string | number | undefined) => `${kind}|${student ?? ''}|${extra ?? ''}`;

/**
 * The input in which only `parts` (of `students`) hold; every other student is left out.
 * `seatParts`: the sites whose seat limit was a part at the start (lifted when no longer in
 * `parts`, even a site without seats); any other site has plenty of seats, or none if it had none.
 */
export function relaxedInput(
  inst: Instance,
  students: readonly number[],
  parts: readonly Part[],
  seatParts: ReadonlySet<number>,
): AllocationInput {
  const input = inst.input;
  const n = inst.blocks.length;
  const held = new Set(withoutOrphans(parts).map((p) => key(p.kind, p.student, p.specialty ?? p.index ?? p.site)));
  const has = (kind: ConflictPartKind, student?: number, extra?: string | number) => held.has(key(kind, student, extra));
  const listed = <T>(kind: ConflictPartKind, list: readonly T[] | undefined, studentOf: (x: T) => number | undefined) =>
    (list ?? []).filter((x, index) => has(kind, studentOf(x), index));
  const studentOf = (x: { studentId: string }) => inst.studentIndex.get(x.studentId);
  const pins = listed('PIN', input.pins, studentOf);
  const seatSites = new Set(parts.filter((p) => p.kind === 'SEATS').map((p) => p.site!));
  const plenty = students.length + 1;
  return {
    ...input,
    preferences: [],
    students: students.map((s) => {
      const st = input.students[s]!;
      const r = st.requirement;
      const placed = has('PLACEMENT', s);
      let widen = 1;
      const specialties = r.specialties.map((q): SpecialtyRequirement => {
        const d = q.durationBlocks ?? 1;
        const keepLength = d > 1 && has('ROTATION_LENGTH', s, q.specialty);
        if (d > 1 && !keepLength) widen = Math.max(widen, d);
        const step = keepLength ? d : 1;
        const max = has('SPECIALTY_MAXIMUM', s, q.specialty) ? (q.maxBlocks ?? q.minBlocks) : Math.floor(n / step) * step;
        const min = placed && has('SPECIALTY_MINIMUM', s, q.specialty) ? q.minBlocks : 0;
        return { specialty: q.specialty, minBlocks: min, maxBlocks: max, ...(step > 1 ? { durationBlocks: step } : {}) };
      });
      const groups = placed ? (r.groups ?? []).filter((_, g) => has('GROUP', s, g)) : [];
      const keepDepartment = r.departmentMaxBlocks !== undefined && has('DEPARTMENT_LIMIT', s);
      return {
        ...st,
        requirement: {
          blocksToFill: placed ? r.blocksToFill : pins.filter((p) => p.studentId === st.id).length,
          specialties,
          electiveMaxBlocks: has('ELECTIVES', s) ? r.electiveMaxBlocks : n,
          ...(keepDepartment ? { departmentMaxBlocks: r.departmentMaxBlocks! * widen } : {}),
          ...(groups.length ? { groups } : {}),
        },
      };
    }),
    // A site its minimum staffing closes in the instance (too few seats or students) stays as it is:
    // lifting its seats would open it, which no relaxation of the others' constraints does.
    sites: input.sites.map((x, i) =>
      seatSites.has(i) || closedByStaffing(inst, i) ? x : { ...x, seats: x.seats > 0 || seatParts.has(i) ? plenty : 0 },
    ),
    pins,
    bars: listed('BAR', input.bars, studentOf),
    unavailable: listed('UNAVAILABLE', input.unavailable, studentOf),
    prerequisites: listed('PREREQUISITE', input.prerequisites, studentOf),
    precedences: students.flatMap((s) =>
      (input.precedences ?? []).flatMap((p, index) =>
        has('PRECEDENCE', s, index) ? [{ studentId: inst.students[s]!.id, before: p.before, after: p.after }] : [],
      ),
    ),
    pairs: listed('PAIR', input.pairs, () => undefined),
    hospitalLimits: listed('HOSPITAL_LIMIT', input.hospitalLimits, () => undefined),
    staffingMinimums: listed('STAFFING_MINIMUM', input.staffingMinimums, () => undefined),
  };
}
