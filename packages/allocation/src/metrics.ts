import { type Instance } from './instance';
import { placedRotations } from './rotation-runs';
import { type AllocationMetrics, type HospitalFill, type RankStats, type ScheduleFigures, type SchoolFairness } from './types';

/**
 * Outcome figures of one allocation, computed from the assignments alone (so OPTIMAL and LOTTERY
 * are measured the same way). Ranks count every assignment, pinned ones included.
 */

interface Pick {
  student: number;
  site: number;
}

/** Students (by index) with at least one assignment, and those of them with every assignment at rank 1. */
function firstChoiceStudents(picks: readonly Pick[], ranks: readonly number[]): { placed: number; allFirst: number } {
  const worst = new Map<number, number>();
  picks.forEach((p, i) => worst.set(p.student, Math.max(worst.get(p.student) ?? 0, ranks[i]!)));
  return { placed: worst.size, allFirst: [...worst.values()].filter((r) => r === 1).length };
}

function stats(picks: readonly Pick[], ranks: number[], students: number, unplaced: number): RankStats {
  const n = ranks.length;
  const people = firstChoiceStudents(picks, ranks);
  return {
    students,
    assignments: n,
    meanRank: n ? ranks.reduce((t, r) => t + r, 0) / n : null,
    worstRank: n ? ranks.reduce((m, r) => Math.max(m, r), 0) : null,
    firstChoiceShare: n ? ranks.filter((r) => r === 1).length / n : null,
    studentFirstChoiceShare: people.placed ? people.allFirst / people.placed : null,
    unplaced,
  };
}

/**
 * Hospital changes, idle blocks and each student's total rank (issue 14, item 6). A change is
 * counted between successive placements even across an empty block; an idle block is one the
 * student is available in, without a placement, before their last placed block (the year's work
 * is not done yet); blocks after it are free time, not idleness.
 */
export function scheduleFigures(inst: Instance, picks: readonly Pick[], ranks: readonly number[]): ScheduleFigures {
  const byStudent = new Map<number, { block: number; hospitalId: string; rank: number }[]>();
  picks.forEach((p, i) => {
    const site = inst.sites[p.site]!;
    const list = byStudent.get(p.student) ?? [];
    list.push({ block: site.block, hospitalId: site.hospitalId, rank: ranks[i]! });
    byStudent.set(p.student, list);
  });
  let hospitalChanges = 0;
  let idleBlocks = 0;
  const totals: number[] = [];
  for (const [s, list] of byStudent) {
    list.sort((a, b) => a.block - b.block);
    for (let i = 1; i < list.length; i++) if (list[i]!.hospitalId !== list[i - 1]!.hospitalId) hospitalChanges++;
    const placed = new Set(list.map((x) => x.block));
    const last = list[list.length - 1]!.block;
    for (let b = 0; b < last; b++) if (!placed.has(b) && inst.available[s]![b]) idleBlocks++;
    totals.push(list.reduce((t, x) => t + x.rank, 0));
  }
  return {
    hospitalChanges,
    idleBlocks,
    worstStudentTotalRank: totals.length ? Math.max(...totals) : null,
    bestStudentTotalRank: totals.length ? Math.min(...totals) : null,
  };
}

export function computeMetrics(
  inst: Instance,
  picks: readonly Pick[],
  unplaced: ReadonlySet<number>,
  floor: Int32Array,
): AllocationMetrics {
  const ranks = picks.map((p) => inst.rankOf(p.student, inst.sites[p.site]!));
  const rankDistribution: Record<number, number> = {};
  for (const r of ranks) rankDistribution[r] = (rankDistribution[r] ?? 0) + 1;
  const all = stats(picks, ranks, inst.students.length, unplaced.size);
  const people = firstChoiceStudents(picks, ranks);

  const bySchoolRanks = new Map<string, number[]>();
  const bySchoolPicks = new Map<string, Pick[]>();
  const schoolStudents = new Map<string, number>();
  const schoolUnplaced = new Map<string, number>();
  for (const st of inst.students) {
    schoolStudents.set(st.schoolId, (schoolStudents.get(st.schoolId) ?? 0) + 1);
    if (unplaced.has(st.index)) schoolUnplaced.set(st.schoolId, (schoolUnplaced.get(st.schoolId) ?? 0) + 1);
    if (!bySchoolRanks.has(st.schoolId)) {
      bySchoolRanks.set(st.schoolId, []);
      bySchoolPicks.set(st.schoolId, []);
    }
  }
  picks.forEach((p, i) => {
    const schoolId = inst.students[p.student]!.schoolId;
    bySchoolRanks.get(schoolId)!.push(ranks[i]!);
    bySchoolPicks.get(schoolId)!.push(p);
  });
  const bySchool: SchoolFairness[] = [...bySchoolRanks.keys()].sort().map((schoolId) => ({
    schoolId,
    ...stats(bySchoolPicks.get(schoolId)!, bySchoolRanks.get(schoolId)!, schoolStudents.get(schoolId)!, schoolUnplaced.get(schoolId) ?? 0),
  }));

  const hospitals = new Map<string, { seats: number; filled: number }>();
  for (const site of inst.sites) {
    const h = hospitals.get(site.hospitalId) ?? { seats: 0, filled: 0 };
    h.seats += site.seats;
    hospitals.set(site.hospitalId, h);
  }
  for (const p of picks) hospitals.get(inst.sites[p.site]!.hospitalId)!.filled++;
  const byHospital: HospitalFill[] = [...hospitals.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([hospitalId, h]) => ({ hospitalId, seats: h.seats, filled: h.filled, fillRate: h.seats ? h.filled / h.seats : 0 }));

  const seats = inst.sites.reduce((t, x) => t + x.seats, 0);
  const pinned = new Set(inst.pins.map((p) => p.student * inst.sites.length + p.site));
  const beyond = picks.map((p, i) =>
    pinned.has(p.student * inst.sites.length + p.site) || ranks[i]! <= floor[p.student]! ? 0 : ranks[i]!,
  );
  const worstBeyond = beyond.reduce((m, r) => Math.max(m, r), 0);
  return {
    students: inst.students.length,
    placedStudents: inst.students.length - unplaced.size,
    unplacedStudents: unplaced.size,
    assignments: picks.length,
    firstChoiceShare: all.firstChoiceShare ?? 0,
    studentsAtFirstChoice: people.allFirst,
    studentFirstChoiceShare: people.placed ? people.allFirst / people.placed : 0,
    rankDistribution,
    unrankedRank: inst.unrankedRank,
    worstRank: all.worstRank,
    worstRankBeyondFloor: worstBeyond || null,
    meanRank: all.meanRank,
    totalRank: ranks.reduce((t, r) => t + r, 0),
    seats,
    unfilledSeats: seats - picks.length,
    bySchool,
    byHospital,
    schedule: scheduleFigures(inst, picks, ranks),
    ...(inst.students.some((st) => st.longRotations.length)
      ? {
          rotations: placedRotations(inst, picks).map((r) => ({
            studentId: inst.students[r.student]!.id,
            specialty: inst.specialties[r.spec]!,
            departmentId: inst.departments[r.department]!,
            blockIds: r.blocks.map((b) => inst.blocks[b]!.id),
            text: r.label,
          })),
        }
      : {}),
  };
}
