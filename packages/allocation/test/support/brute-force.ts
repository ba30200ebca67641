import { type AllocationInput, type SiteInput } from '../../src';

/**
 * Exhaustive lexicographic optimum of a tiny instance, written from the problem statement alone:
 * the reference OPTIMAL is checked against. First the worst rank of a non-pinned assignment above
 * its student's floor (the best worst rank the student's unit could get alone, all seats free),
 * then the total rank. Pair members must share a school. Null when no complete allocation exists.
 */
export function bruteForceOptimum(input: AllocationInput): { worst: number; total: number } | null {
  return explore(input).best;
}

/** Each student's floor (see bruteForceOptimum); students whose unit has no schedule get 0. */
export function bruteForceFloors(input: AllocationInput): Map<string, number> {
  return explore(input).floors;
}

function explore(input: AllocationInput): { best: { worst: number; total: number } | null; floors: Map<string, number> } {
  const maxRank = input.preferences.reduce((m, p) => Math.max(m, p.rank), 0);
  const unranked = input.unrankedRank ?? maxRank + 1;
  const blockIndex = new Map(input.blocks.map((b, i) => [b.id, i]));
  const rank = (sid: string, x: SiteInput) =>
    input.preferences
      .filter(
        (p) =>
          p.studentId === sid &&
          (!p.blockId || p.blockId === x.blockId) &&
          (p.departmentId ? p.departmentId === x.departmentId : p.specialty === x.specialty),
      )
      .reduce((m, p) => Math.min(m, p.rank), unranked);
  // A department and block whose minimum staffing exceeds its seats, or the students who may go
  // there, stays empty in every allocation: closed (the floors then agree with the engine's).
  const minimumAt = (x: SiteInput) => {
    const lines = (input.staffingMinimums ?? []).filter((m) => m.departmentId === x.departmentId);
    return (lines.find((m) => m.blockId === x.blockId) ?? lines.find((m) => !m.blockId))?.minStudents ?? 0;
  };
  const allowed = (sid: string, spec: string) => {
    const req = input.students.find((s) => s.id === sid)!.requirement;
    const r = req.specialties.find((k) => k.specialty === spec);
    return (r ? (r.maxBlocks ?? r.minBlocks) : req.electiveMaxBlocks) > 0;
  };
  const closed = (x: SiteInput) => {
    const min = minimumAt(x);
    if (min < 2) return false;
    const here = input.sites.filter((y) => y.departmentId === x.departmentId && y.blockId === x.blockId);
    const offered = here.reduce((t, y) => t + y.seats, 0);
    const eligible = input.students.filter((st) => here.some((y) => allowed(st.id, y.specialty) && reachable(st.id, y))).length;
    return offered < min || eligible < min;
  };
  const open = (sid: string, x: SiteInput) => reachable(sid, x) && !closed(x);
  const reachable = (sid: string, x: SiteInput) => {
    const st = input.students.find((s) => s.id === sid)!;
    if (x.seats <= 0 || (x.schoolId && x.schoolId !== st.schoolId)) return false;
    const barred = (input.bars ?? []).some(
      (b) =>
        b.studentId === sid &&
        (!b.blockId || b.blockId === x.blockId) &&
        ((b.departmentId && b.departmentId === x.departmentId) || (b.hospitalId && b.hospitalId === x.hospitalId)),
    );
    const early = (input.prerequisites ?? []).some(
      (p) => p.studentId === sid && p.specialty === x.specialty && blockIndex.get(x.blockId)! < blockIndex.get(p.notBeforeBlockId)!,
    );
    const away = (input.unavailable ?? []).some((u) => u.studentId === sid && u.blockId === x.blockId);
    return !barred && !early && !away;
  };
  const valid = (sid: string, schedule: SiteInput[]) => {
    const st = input.students.find((s) => s.id === sid)!;
    const req = st.requirement;
    if (schedule.length !== req.blocksToFill) return false;
    if (!schedule.every((x) => open(sid, x))) return false;
    const count = new Map<string, number>();
    for (const x of schedule) count.set(x.specialty, (count.get(x.specialty) ?? 0) + 1);
    for (const r of req.specialties) {
      const n = count.get(r.specialty) ?? 0;
      if (n < r.minBlocks || n > (r.maxBlocks ?? r.minBlocks)) return false;
    }
    for (const [spec, n] of count) if (!req.specialties.some((r) => r.specialty === spec) && n > req.electiveMaxBlocks) return false;
    for (const g of req.groups ?? []) {
      const n = [...new Set(g.specialties)].reduce((t, k) => t + (count.get(k) ?? 0), 0);
      if (n < g.minBlocks || n > (g.maxBlocks ?? g.minBlocks)) return false;
    }
    const at = (spec: string) => schedule.filter((x) => x.specialty === spec).map((x) => blockIndex.get(x.blockId)!);
    for (const p of (input.precedences ?? []).filter((x) => !x.studentId || x.studentId === sid))
      if (Math.max(-1, ...at(p.before)) >= Math.min(Infinity, ...at(p.after))) return false;
    // A rotation of d blocks: the specialty's blocks at each department come in runs of
    // consecutive blocks (no calendar break inside) whose lengths are multiples of d.
    for (const r of req.specialties.filter((k) => (k.durationBlocks ?? 1) > 1)) {
      const d = r.durationBlocks!;
      for (const dept of new Set(schedule.filter((x) => x.specialty === r.specialty).map((x) => x.departmentId))) {
        const blocks = schedule
          .filter((x) => x.departmentId === dept)
          .map((x) => blockIndex.get(x.blockId)!)
          .sort((a, b) => a - b);
        let run = 0;
        for (let i = 0; i <= blocks.length; i++) {
          const continues = i > 0 && i < blocks.length && blocks[i] === blocks[i - 1]! + 1 && !input.blocks[blocks[i]!]!.gapBefore;
          if (i > 0 && !continues) {
            if (run % d !== 0) return false;
            run = 0;
          }
          run++;
        }
      }
    }
    const perDept = new Map<string, number>();
    for (const x of schedule) perDept.set(x.departmentId, (perDept.get(x.departmentId) ?? 0) + 1);
    // The cap counts rotations: d blocks each at a department whose specialty lasts d.
    const durationAt = (dept: string) =>
      req.specialties.find((r) => r.specialty === schedule.find((x) => x.departmentId === dept)!.specialty)?.durationBlocks ?? 1;
    if (req.departmentMaxBlocks !== undefined && [...perDept].some(([dept, n]) => n > req.departmentMaxBlocks! * durationAt(dept)))
      return false;
    for (const limit of input.hospitalLimits ?? [])
      if (schedule.filter((x) => x.hospitalId === limit.hospitalId).length > limit.maxBlocksPerStudent) return false;
    return (input.pins ?? [])
      .filter((p) => p.studentId === sid)
      .every((p) => schedule.some((x) => x.departmentId === p.departmentId && x.blockId === p.blockId));
  };
  // Units: pair groups (merged transitively) or single students.
  const groupOf = new Map<string, string[]>();
  for (const st of input.students) groupOf.set(st.id, [st.id]);
  for (const pair of input.pairs ?? []) {
    const merged = [...new Set(pair.studentIds.flatMap((id) => groupOf.get(id)!))].sort();
    for (const id of merged) groupOf.set(id, merged);
  }
  const units = [...new Set([...groupOf.values()])];
  const byBlock = input.blocks.map((b) => input.sites.filter((x) => x.blockId === b.id));
  const schedulesOf = (unit: string[]) => {
    const out: SiteInput[][] = [];
    const walk = (b: number, acc: SiteInput[]) => {
      if (b === byBlock.length) {
        if (unit.every((sid) => valid(sid, acc))) out.push([...acc]);
        return;
      }
      walk(b + 1, acc);
      for (const x of byBlock[b]!) walk(b + 1, [...acc, x]);
    };
    walk(0, []);
    return out;
  };
  const options = units.map(schedulesOf);
  const seats = new Map(input.sites.map((x) => [x, x.seats]));
  let best: { worst: number; total: number } | null = null;
  const pinnedKey = new Set((input.pins ?? []).map((p) => `${p.studentId}|${p.departmentId}|${p.blockId}`));
  const unitWorst = (unit: string[], schedule: SiteInput[]) =>
    unit.reduce(
      (w, sid) => schedule.reduce((m, x) => (pinnedKey.has(`${sid}|${x.departmentId}|${x.blockId}`) ? m : Math.max(m, rank(sid, x))), w),
      0,
    );
  const floors = new Map<string, number>();
  units.forEach((unit, u) => {
    const alone = options[u]!.filter((schedule) => schedule.every((x) => x.seats >= unit.length));
    const floor = alone.length ? Math.min(...alone.map((schedule) => unitWorst(unit, schedule))) : 0;
    for (const sid of unit) floors.set(sid, floor);
  });
  // "At least m students or none" per department and block (a line for one block overrides).
  const understaffed = () => {
    const count = new Map<string, { n: number; min: number }>();
    for (const x of input.sites) {
      const key = `${x.departmentId}|${x.blockId}`;
      const c = count.get(key) ?? { n: 0, min: minimumAt(x) };
      c.n += x.seats - seats.get(x)!;
      count.set(key, c);
    }
    return [...count.values()].some((c) => c.n > 0 && c.n < c.min);
  };
  const dfs = (u: number, worst: number, total: number) => {
    if (best && (worst > best.worst || (worst === best.worst && total >= best.total))) return;
    if (u === units.length) {
      if (understaffed()) return;
      best = { worst, total };
      return;
    }
    const unit = units[u]!;
    for (const schedule of options[u]!) {
      if (schedule.some((x) => seats.get(x)! < unit.length)) continue;
      let w = worst;
      let t = total;
      for (const sid of unit) {
        for (const x of schedule) {
          const r = rank(sid, x);
          t += r;
          if (!pinnedKey.has(`${sid}|${x.departmentId}|${x.blockId}`) && r > floors.get(sid)!) w = Math.max(w, r);
        }
      }
      for (const x of schedule) seats.set(x, seats.get(x)! - unit.length);
      dfs(u + 1, w, t);
      for (const x of schedule) seats.set(x, seats.get(x)! + unit.length);
    }
  };
  dfs(0, 0, 0);
  return { best, floors };
}

/** Worst non-pinned rank above the floors, and total rank, of a result's assignments. */
export function lexOf(input: AllocationInput, assignments: { studentId: string; departmentId: string; blockId: string; rank: number }[]) {
  const pinned = new Set((input.pins ?? []).map((p) => `${p.studentId}|${p.departmentId}|${p.blockId}`));
  const floors = bruteForceFloors(input);
  return {
    worst: assignments
      .filter((a) => !pinned.has(`${a.studentId}|${a.departmentId}|${a.blockId}`) && a.rank > (floors.get(a.studentId) ?? 0))
      .reduce((m, a) => Math.max(m, a.rank), 0),
    total: assignments.reduce((t, a) => t + a.rank, 0),
  };
}
