import { type AllocationInput, type AllocationResult } from './types';

/**
 * Independent validator: re-reads the raw input and checks a result against every hard rule,
 * without using the engine's own indexes. Tests run it on every result; the rotations service can
 * run it before publishing a run. Returns the violations found (empty = valid).
 */
export function checkAllocation(input: AllocationInput, result: AllocationResult): string[] {
  if (result.status === 'INFEASIBLE' || result.status === 'TIMED_OUT') {
    return result.reasons.length ? [] : [`${result.status} result gives no reason`];
  }
  const problems: string[] = [];
  const blockIndex = new Map(input.blocks.map((b, i) => [b.id, i]));
  const students = new Map(input.students.map((s) => [s.id, s]));
  const unplaced = new Set(result.unplaced.map((u) => u.studentId));
  if (result.status === 'PARTIAL' && unplaced.size === 0) problems.push('PARTIAL result without unplaced students');
  if (result.status !== 'PARTIAL' && unplaced.size > 0) problems.push(`${result.status} result leaves ${unplaced.size} students unplaced`);

  const maxRank = input.preferences.reduce((m, p) => Math.max(m, p.rank), 0);
  const unranked = input.unrankedRank ?? maxRank + 1;
  const prefsOf = new Map<string, AllocationInput['preferences']>();
  for (const p of input.preferences) prefsOf.set(p.studentId, [...(prefsOf.get(p.studentId) ?? []), p]);
  const sitesAt = new Map<string, AllocationInput['sites']>();
  for (const x of input.sites) sitesAt.set(`${x.departmentId}@${x.blockId}`, [...(sitesAt.get(`${x.departmentId}@${x.blockId}`) ?? []), x]);
  const rankOf = (studentId: string, departmentId: string, specialty: string, blockId: string) =>
    (prefsOf.get(studentId) ?? [])
      .filter(
        (p) => (!p.blockId || p.blockId === blockId) && (p.departmentId ? p.departmentId === departmentId : p.specialty === specialty),
      )
      .reduce((best, p) => Math.min(best, p.rank), unranked);

  const byStudent = new Map<string, typeof result.assignments>();
  const seatUse = new Map<string, Map<string, number>>(); // dept@block → school → count
  for (const a of result.assignments) {
    const st = students.get(a.studentId);
    if (!st) {
      problems.push(`assignment names unknown student ${a.studentId}`);
      continue;
    }
    if (unplaced.has(a.studentId)) problems.push(`unplaced student ${a.studentId} has an assignment`);
    if (!blockIndex.has(a.blockId)) problems.push(`assignment names unknown block ${a.blockId}`);
    const sites = (sitesAt.get(`${a.departmentId}@${a.blockId}`) ?? []).filter((x) => !x.schoolId || x.schoolId === st.schoolId);
    if (!sites.length) problems.push(`${a.studentId} is placed at ${a.departmentId} in ${a.blockId}, which offers no seat to their school`);
    else if (sites[0]!.hospitalId !== a.hospitalId || sites[0]!.specialty !== a.specialty)
      problems.push(`assignment of ${a.studentId} misreports hospital or specialty`);
    const rank = rankOf(a.studentId, a.departmentId, a.specialty, a.blockId);
    if (rank !== a.rank) problems.push(`assignment of ${a.studentId} in ${a.blockId} reports rank ${a.rank}, expected ${rank}`);
    const list = byStudent.get(a.studentId) ?? [];
    list.push(a);
    byStudent.set(a.studentId, list);
    const key = `${a.departmentId}@${a.blockId}`;
    const use = seatUse.get(key) ?? new Map<string, number>();
    use.set(st.schoolId, (use.get(st.schoolId) ?? 0) + 1);
    seatUse.set(key, use);
  }

  // Capacity: each school uses its reserved seats first, the overflow shares the open seats.
  for (const [key, use] of seatUse) {
    const sites = sitesAt.get(key) ?? [];
    const open = sites.filter((x) => !x.schoolId).reduce((t, x) => t + x.seats, 0);
    let overflow = 0;
    for (const [school, n] of use) {
      const reserved = sites.filter((x) => x.schoolId === school).reduce((t, x) => t + x.seats, 0);
      overflow += Math.max(0, n - reserved);
    }
    if (overflow > open) problems.push(`${key} is over capacity by ${overflow - open}`);
  }

  for (const st of input.students) {
    const mine = byStudent.get(st.id) ?? [];
    if (unplaced.has(st.id)) continue;
    const req = st.requirement;
    if (mine.length !== req.blocksToFill) problems.push(`${st.id} has ${mine.length} blocks, must have ${req.blocksToFill}`);
    const blocks = new Set(mine.map((a) => a.blockId));
    if (blocks.size !== mine.length) problems.push(`${st.id} is placed twice in one block`);
    const perSpec = new Map<string, number>();
    for (const a of mine) perSpec.set(a.specialty, (perSpec.get(a.specialty) ?? 0) + 1);
    for (const r of req.specialties) {
      const n = perSpec.get(r.specialty) ?? 0;
      if (n < r.minBlocks || n > (r.maxBlocks ?? r.minBlocks))
        problems.push(`${st.id} has ${n} blocks of ${r.specialty}, needs ${r.minBlocks}..${r.maxBlocks ?? r.minBlocks}`);
    }
    for (const [spec, n] of perSpec) {
      if (!req.specialties.some((r) => r.specialty === spec) && n > (req.electiveMaxBlocks ?? 1))
        problems.push(`${st.id} has ${n} elective blocks of ${spec}`);
    }
    for (const pin of (input.pins ?? []).filter((p) => p.studentId === st.id)) {
      if (!mine.some((a) => a.departmentId === pin.departmentId && a.blockId === pin.blockId))
        problems.push(`${st.id} is not at pinned ${pin.departmentId} in ${pin.blockId}`);
    }
    for (const a of mine) {
      const site = sitesAt.get(`${a.departmentId}@${a.blockId}`)?.[0];
      for (const bar of (input.bars ?? []).filter((b) => b.studentId === st.id)) {
        const where = (bar.departmentId && bar.departmentId === a.departmentId) || (bar.hospitalId && bar.hospitalId === site?.hospitalId);
        if (where && (!bar.blockId || bar.blockId === a.blockId))
          problems.push(`${st.id} is placed at barred ${a.departmentId} in ${a.blockId}`);
      }
      for (const p of (input.prerequisites ?? []).filter((x) => x.studentId === st.id && x.specialty === a.specialty)) {
        if (blockIndex.get(a.blockId)! < blockIndex.get(p.notBeforeBlockId)!)
          problems.push(`${st.id} takes ${a.specialty} in ${a.blockId}, before ${p.notBeforeBlockId}`);
      }
    }
  }

  for (const pair of input.pairs ?? []) {
    const placed = pair.studentIds.filter((id) => !unplaced.has(id));
    if (placed.length && placed.length !== pair.studentIds.length)
      problems.push(`pair ${pair.studentIds.join('+')} is split between placed and unplaced`);
    const keyOf = (id: string) =>
      (byStudent.get(id) ?? [])
        .map((a) => `${a.blockId}:${a.departmentId}`)
        .sort()
        .join(',');
    const keys = new Set(placed.map(keyOf));
    if (keys.size > 1) problems.push(`pair ${pair.studentIds.join('+')} is not placed together`);
  }

  const ranks = result.assignments.map((a) => a.rank);
  const m = result.metrics;
  if (m.assignments !== ranks.length) problems.push('metrics.assignments disagrees with the assignments');
  if (m.unplacedStudents !== unplaced.size) problems.push('metrics.unplacedStudents disagrees with unplaced');
  const worst = ranks.length ? ranks.reduce((a, b) => Math.max(a, b), 0) : null;
  if (m.worstRank !== worst) problems.push(`metrics.worstRank ${m.worstRank} but assignments give ${worst}`);
  const first = ranks.length ? ranks.filter((r) => r === 1).length / ranks.length : 0;
  if (Math.abs(m.firstChoiceShare - first) > 1e-9) problems.push('metrics.firstChoiceShare disagrees with the assignments');
  if (m.totalRank !== ranks.reduce((t, r) => t + r, 0)) problems.push('metrics.totalRank disagrees with the assignments');
  return problems;
}
