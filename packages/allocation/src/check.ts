import { type AllocationInput, type AllocationResult, type Assignment, type UnplacedStudent } from './types';

/**
 * Independent validator: re-reads the raw input and checks a result against every hard rule,
 * without using the engine's own indexes. Tests run it on every result; the rotations service
 * runs it before a run is published, and the benchmark before it calls a target met. Messages
 * name students, departments and blocks by the names the snapshot carries (ids when it has none).
 */

/** How the validator names things in its messages. */
function namesOf(input: AllocationInput) {
  const students = new Map(input.students.map((s) => [s.id, s.name ?? s.id]));
  const blocks = new Map(input.blocks.map((b, i) => [b.id, b.label ?? `block ${i + 1}`]));
  const departments = new Map(input.sites.map((x) => [x.departmentId, x.departmentName ?? x.departmentId]));
  return {
    student: (id: string) => students.get(id) ?? id,
    block: (id: string) => blocks.get(id) ?? id,
    department: (id: string) => departments.get(id) ?? id,
  };
}

type Sites = AllocationInput['sites'];

/** An optional list of the input: absent means none. */
const listed = <T>(list: readonly T[] | undefined): readonly T[] => list ?? [];

/** Seats used per department and block, by school: each school fills its reserved seats first, the overflow shares the open ones. */
function capacityProblems(input: AllocationInput, assignments: readonly Assignment[], name: ReturnType<typeof namesOf>): string[] {
  const schoolOf = new Map(input.students.map((s) => [s.id, s.schoolId]));
  const sitesAt = new Map<string, Sites>();
  for (const x of input.sites) sitesAt.set(`${x.departmentId}@${x.blockId}`, [...(sitesAt.get(`${x.departmentId}@${x.blockId}`) ?? []), x]);
  const use = new Map<string, Map<string, number>>();
  for (const a of assignments) {
    const school = schoolOf.get(a.studentId);
    if (school === undefined) continue;
    const key = `${a.departmentId}@${a.blockId}`;
    const bySchool = use.get(key) ?? new Map<string, number>();
    bySchool.set(school, (bySchool.get(school) ?? 0) + 1);
    use.set(key, bySchool);
  }
  const problems: string[] = [];
  for (const [key, bySchool] of use) {
    const sites = sitesAt.get(key) ?? [];
    const open = sites.filter((x) => !x.schoolId).reduce((t, x) => t + x.seats, 0);
    let overflow = 0;
    for (const [school, n] of bySchool)
      overflow += Math.max(0, n - sites.filter((x) => x.schoolId === school).reduce((t, x) => t + x.seats, 0));
    const [departmentId, blockId] = key.split('@') as [string, string];
    if (overflow > open) problems.push(`${name.department(departmentId)} in ${name.block(blockId)} is over capacity by ${overflow - open}`);
  }
  return problems;
}

/** "At least m students or none": the students at each department in each block where a minimum applies. */
function staffingProblems(input: AllocationInput, assignments: readonly Assignment[], name: ReturnType<typeof namesOf>): string[] {
  if (!input.staffingMinimums?.length) return [];
  const count = new Map<string, number>();
  for (const a of assignments) count.set(`${a.departmentId}@${a.blockId}`, (count.get(`${a.departmentId}@${a.blockId}`) ?? 0) + 1);
  const problems: string[] = [];
  for (const [key, n] of count) {
    const [departmentId, blockId] = key.split('@') as [string, string];
    const lines = input.staffingMinimums.filter((m) => m.departmentId === departmentId);
    const min = (lines.find((m) => m.blockId === blockId) ?? lines.find((m) => !m.blockId))?.minStudents ?? 0;
    if (n < min)
      problems.push(
        `${name.department(departmentId)} in ${name.block(blockId)} has ${n} student${n === 1 ? '' : 's'}, needs at least ${min} or none`,
      );
  }
  return problems;
}

/** A hospital's limit on the blocks one student spends there (the hospital read from the sites, not the assignment). */
function hospitalLimitProblems(input: AllocationInput, who: string, mine: readonly Assignment[]): string[] {
  const problems: string[] = [];
  for (const limit of listed(input.hospitalLimits)) {
    const n = mine.filter((a) => input.sites.find((x) => x.departmentId === a.departmentId)?.hospitalId === limit.hospitalId).length;
    if (n > limit.maxBlocksPerStudent) {
      const hospital = input.sites.find((x) => x.hospitalId === limit.hospitalId && x.hospitalName)?.hospitalName ?? limit.hospitalId;
      problems.push(`${who} has ${n} blocks at ${hospital}, which takes one student for at most ${limit.maxBlocksPerStudent}`);
    }
  }
  return problems;
}

/**
 * Rotations longer than one block: a student's blocks of such a specialty at one department must
 * form runs of consecutive blocks (no calendar break inside, see `BlockInput.gapBefore`) whose
 * lengths are whole multiples of the rotation (two rotations may follow each other there).
 * A block alone, a rotation split across departments or across a break, is refused by name.
 */
function rotationProblems(
  input: AllocationInput,
  who: string,
  requirement: AllocationInput['students'][number]['requirement'],
  mine: readonly Assignment[],
  name: ReturnType<typeof namesOf>,
): string[] {
  const problems: string[] = [];
  const blockIndex = new Map(input.blocks.map((b, i) => [b.id, i]));
  for (const r of requirement.specialties) {
    // A one-block rotation needs no skip: every run is a whole multiple of 1, so nothing is refused.
    const d = r.durationBlocks ?? 1;
    const byDept = new Map<string, number[]>();
    for (const a of mine)
      if (a.specialty === r.specialty && blockIndex.has(a.blockId))
        byDept.set(a.departmentId, [...(byDept.get(a.departmentId) ?? []), blockIndex.get(a.blockId)!]);
    for (const [dept, blocks] of byDept) {
      blocks.sort((x, y) => x - y);
      let run: number[] = [];
      const close = () => {
        if (run.length % d !== 0) {
          const labels = run.map((b) => input.blocks[b]!.label ?? `block ${b + 1}`).join(', ');
          problems.push(
            `${who} has ${r.specialty} at ${name.department(dept)} in ${labels} only: a rotation lasts ${d} consecutive blocks at one department`,
          );
        }
        run = [];
      };
      for (const b of blocks) {
        if (run.length && !(b === run[run.length - 1]! + 1 && !input.blocks[b]!.gapBefore)) close();
        run.push(b);
      }
      close();
    }
  }
  return problems;
}

/**
 * The hard rules on a set of assignments: known students and sites, seats, one place per block,
 * blocks to fill, specialty minimums and maximums, whole rotations, electives, hospital limits, minimum staffing, pins, bars,
 * prerequisites, pairs, and the reported ranks. `unplaced` students must have no assignment and are not checked for
 * completeness. Returns the violations found (empty = valid).
 */
export function checkAssignments(
  input: AllocationInput,
  assignments: readonly Assignment[],
  unplacedList: readonly UnplacedStudent[] = [],
): string[] {
  const problems: string[] = [];
  const name = namesOf(input);
  const blockIndex = new Map(input.blocks.map((b, i) => [b.id, i]));
  const students = new Map(input.students.map((s) => [s.id, s]));
  const unplaced = new Set(unplacedList.map((u) => u.studentId));
  if (unplaced.size !== unplacedList.length) problems.push('a student is listed as unplaced twice');
  for (const id of unplaced) if (!students.has(id)) problems.push(`unplaced list names unknown student ${id}`);

  const maxRank = input.preferences.reduce((m, p) => Math.max(m, p.rank), 0);
  const unranked = input.unrankedRank ?? maxRank + 1;
  const rankOf = (a: Assignment) =>
    input.preferences
      .filter((p) => p.studentId === a.studentId && (!p.blockId || p.blockId === a.blockId))
      .filter((p) => (p.departmentId ? p.departmentId === a.departmentId : p.specialty === a.specialty))
      .reduce((best, p) => Math.min(best, p.rank), unranked);

  const byStudent = new Map<string, Assignment[]>();
  for (const a of assignments) {
    const st = students.get(a.studentId);
    if (!st) {
      problems.push(`an assignment names unknown student ${a.studentId}`);
      continue;
    }
    const who = name.student(a.studentId);
    if (unplaced.has(a.studentId)) problems.push(`${who} is listed as unplaced but has an assignment`);
    if (!blockIndex.has(a.blockId)) problems.push(`an assignment of ${who} names unknown block ${a.blockId}`);
    const sites = input.sites.filter(
      (x) => x.departmentId === a.departmentId && x.blockId === a.blockId && (!x.schoolId || x.schoolId === st.schoolId),
    );
    if (!sites.length)
      problems.push(
        `${who} is placed at ${name.department(a.departmentId)} in ${name.block(a.blockId)}, which offers their school no seat`,
      );
    else if (sites[0]!.hospitalId !== a.hospitalId || sites[0]!.specialty !== a.specialty)
      problems.push(`the assignment of ${who} in ${name.block(a.blockId)} misreports the hospital or specialty`);
    const rank = rankOf(a);
    if (rank !== a.rank) problems.push(`the assignment of ${who} in ${name.block(a.blockId)} reports rank ${a.rank}, expected ${rank}`);
    byStudent.set(a.studentId, [...(byStudent.get(a.studentId) ?? []), a]);
  }
  problems.push(...capacityProblems(input, assignments, name));
  problems.push(...staffingProblems(input, assignments, name));

  for (const st of input.students) {
    if (unplaced.has(st.id)) continue;
    const who = name.student(st.id);
    const mine = byStudent.get(st.id) ?? [];
    const req = st.requirement;
    if (mine.length !== req.blocksToFill) problems.push(`${who} has ${mine.length} blocks, must have ${req.blocksToFill}`);
    const seen = new Set<string>();
    for (const a of mine) {
      if (seen.has(a.blockId)) problems.push(`${who} is placed twice in ${name.block(a.blockId)}`);
      seen.add(a.blockId);
    }
    const perSpec = new Map<string, number>();
    for (const a of mine) perSpec.set(a.specialty, (perSpec.get(a.specialty) ?? 0) + 1);
    for (const r of req.specialties) {
      const n = perSpec.get(r.specialty) ?? 0;
      const max = r.maxBlocks ?? r.minBlocks;
      if (n < r.minBlocks || n > max)
        problems.push(`${who} has ${n} blocks of ${r.specialty}, needs ${r.minBlocks === max ? max : `${r.minBlocks} to ${max}`}`);
    }
    problems.push(...rotationProblems(input, who, st.requirement, mine, name));
    const perDept = new Map<string, number>();
    for (const a of mine) perDept.set(a.departmentId, (perDept.get(a.departmentId) ?? 0) + 1);
    for (const [dept, n] of perDept) {
      // The cap counts rotations: d blocks each for a specialty whose rotation lasts d.
      const specialty = mine.find((a) => a.departmentId === dept)!.specialty;
      const max = (req.departmentMaxBlocks ?? Infinity) * (req.specialties.find((r) => r.specialty === specialty)?.durationBlocks ?? 1);
      if (n > max) problems.push(`${who} has ${n} blocks at ${name.department(dept)}, at most ${max} allowed`);
    }
    problems.push(...hospitalLimitProblems(input, who, mine));
    for (const g of listed(req.groups)) {
      const n = [...new Set(g.specialties)].reduce((t, k) => t + (perSpec.get(k) ?? 0), 0);
      const max = g.maxBlocks ?? g.minBlocks;
      if (n < g.minBlocks || n > max)
        problems.push(
          `${who} has ${n} blocks among ${g.specialties.join(', ')}, needs ${g.minBlocks === max ? max : `${g.minBlocks} to ${max}`}`,
        );
    }
    for (const p of listed(input.precedences).filter((x) => !x.studentId || x.studentId === st.id)) {
      const lastBefore = Math.max(-1, ...mine.filter((a) => a.specialty === p.before).map((a) => blockIndex.get(a.blockId)!));
      const firstAfter = Math.min(Infinity, ...mine.filter((a) => a.specialty === p.after).map((a) => blockIndex.get(a.blockId)!));
      if (lastBefore >= firstAfter)
        problems.push(
          `${who} takes ${p.after} in ${input.blocks[firstAfter]!.label ?? `block ${firstAfter + 1}`}, before finishing ${p.before}`,
        );
    }
    const electiveMax = req.electiveMaxBlocks;
    for (const [spec, n] of perSpec) {
      if (!req.specialties.some((r) => r.specialty === spec) && n > electiveMax)
        problems.push(`${who} has ${n} elective blocks of ${spec}, at most ${electiveMax} allowed`);
    }
    for (const pin of listed(input.pins).filter((p) => p.studentId === st.id)) {
      if (!mine.some((a) => a.departmentId === pin.departmentId && a.blockId === pin.blockId))
        problems.push(`${who} is not at ${name.department(pin.departmentId)} in ${name.block(pin.blockId)}, where they are pinned`);
    }
    for (const a of mine) {
      const hospitalId = input.sites.find((x) => x.departmentId === a.departmentId)?.hospitalId;
      for (const bar of listed(input.bars).filter((b) => b.studentId === st.id)) {
        const where = (bar.departmentId && bar.departmentId === a.departmentId) || (bar.hospitalId && bar.hospitalId === hospitalId);
        if (where && (!bar.blockId || bar.blockId === a.blockId))
          problems.push(`${who} is placed at ${name.department(a.departmentId)} in ${name.block(a.blockId)}, which is barred to them`);
      }
      if (listed(input.unavailable).some((u) => u.studentId === st.id && u.blockId === a.blockId))
        problems.push(`${who} is placed in ${name.block(a.blockId)}, when they are not available`);
      for (const p of listed(input.prerequisites).filter((x) => x.studentId === st.id && x.specialty === a.specialty)) {
        if (blockIndex.get(a.blockId)! < blockIndex.get(p.notBeforeBlockId)!)
          problems.push(`${who} takes ${a.specialty} in ${name.block(a.blockId)}, before ${name.block(p.notBeforeBlockId)}`);
      }
    }
  }

  for (const pair of listed(input.pairs)) {
    const names = pair.studentIds.map(name.student).join(' and ');
    const placed = pair.studentIds.filter((id) => !unplaced.has(id));
    if (placed.length && placed.length !== pair.studentIds.length) problems.push(`the pair ${names} is split between placed and unplaced`);
    const keyOf = (id: string) =>
      JSON.stringify(
        listed(byStudent.get(id))
          .map((a) => [a.blockId, a.departmentId])
          .sort(),
      );
    if (new Set(placed.map(keyOf)).size > 1) problems.push(`the pair ${names} is not placed together`);
  }
  return problems;
}

/** checkAssignments, plus the result's status and metrics against its assignments. */
export function checkAllocation(input: AllocationInput, result: AllocationResult): string[] {
  if (result.status === 'INFEASIBLE' || result.status === 'TIMED_OUT') {
    return result.reasons.length ? [] : [`${result.status} result gives no reason`];
  }
  const problems: string[] = [];
  if (result.status === 'PARTIAL' && result.unplaced.length === 0) problems.push('PARTIAL result without unplaced students');
  if (result.status !== 'PARTIAL' && result.unplaced.length > 0)
    problems.push(`${result.status} result leaves ${result.unplaced.length} students unplaced`);
  problems.push(...checkAssignments(input, result.assignments, result.unplaced));

  const ranks = result.assignments.map((a) => a.rank);
  const m = result.metrics;
  if (m.assignments !== ranks.length) problems.push('metrics.assignments disagrees with the assignments');
  if (m.unplacedStudents !== result.unplaced.length) problems.push('metrics.unplacedStudents disagrees with unplaced');
  const worst = ranks.length ? ranks.reduce((a, b) => Math.max(a, b), 0) : null;
  if (m.worstRank !== worst) problems.push(`metrics.worstRank ${m.worstRank} but assignments give ${worst}`);
  const first = ranks.length ? ranks.filter((r) => r === 1).length / ranks.length : 0;
  if (Math.abs(m.firstChoiceShare - first) > 1e-9) problems.push('metrics.firstChoiceShare disagrees with the assignments');
  if (m.totalRank !== ranks.reduce((t, r) => t + r, 0)) problems.push('metrics.totalRank disagrees with the assignments');
  const worstOf = new Map<string, number>();
  for (const a of result.assignments) worstOf.set(a.studentId, Math.max(worstOf.get(a.studentId) ?? 0, a.rank));
  const allFirst = [...worstOf.values()].filter((r) => r === 1).length;
  if (m.studentsAtFirstChoice !== allFirst)
    problems.push(`metrics.studentsAtFirstChoice ${m.studentsAtFirstChoice} but assignments give ${allFirst}`);
  const distribution: Record<number, number> = {};
  for (const r of ranks) distribution[r] = (distribution[r] ?? 0) + 1;
  if (JSON.stringify(Object.entries(distribution).sort()) !== JSON.stringify(Object.entries(m.rankDistribution).sort()))
    problems.push('metrics.rankDistribution disagrees with the assignments');
  return problems;
}
