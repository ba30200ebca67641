/**
 * A proposal of supervisors for a department's placements (issue 14): each placement that has
 * no supervisor (or one who is no longer an active clinical instructor of the department) gets
 * the department's least-loaded instructor in its block, never more than the cap of students per
 * instructor per block. Pure and deterministic: the same placements and instructors give the
 * same proposal, whatever order they come in. It is only a proposal; the coordinator applies it
 * with assignPlacementSupervisors, which checks everything again.
 */

/** A placement of the department that may be given a supervisor. */
export interface ProposalPlacement {
  id: string;
  blockId: string;
  blockName: string;
  /** Blocks are handled in calendar order. */
  blockStartsOn: string;
  studentName: string;
  supervisorId: string | null;
}

/** An active clinical instructor of the department. */
export interface ProposalInstructor {
  id: string;
  name: string;
}

export const UNSUPERVISED_REASONS = ['NO_CLINICAL_INSTRUCTOR', 'INSTRUCTORS_AT_CAP'] as const;
export type UnsupervisedReason = (typeof UNSUPERVISED_REASONS)[number];

export interface ProposedSupervision {
  placementId: string;
  supervisorId: string;
  /** How many students the instructor supervises in that block once the proposal is applied. */
  studentsInBlock: number;
}

export interface UnsupervisedPlacement {
  placementId: string;
  reason: UnsupervisedReason;
  /** In words, with names: who, where, which block, why. */
  explanation: string;
}

export interface SupervisorProposal {
  assignments: ProposedSupervision[];
  unassigned: UnsupervisedPlacement[];
}

/** Largest cap a caller may ask for; a department with more students per instructor than this is not a supervision. */
export const MAX_STUDENTS_PER_INSTRUCTOR = 50;

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function proposeSupervisors(
  placements: readonly ProposalPlacement[],
  instructors: readonly ProposalInstructor[],
  options: { departmentName: string; maxStudentsPerInstructor: number },
): SupervisorProposal {
  const cap = options.maxStudentsPerInstructor;
  const pool = [...instructors].sort((a, b) => byText(a.name, b.name) || byText(a.id, b.id));
  const active = new Set(pool.map((i) => i.id));
  // Load per block: students an active instructor already supervises there count against the cap.
  const load = new Map<string, Map<string, number>>();
  const loadIn = (blockId: string): Map<string, number> => {
    let m = load.get(blockId);
    if (!m) load.set(blockId, (m = new Map(pool.map((i) => [i.id, 0]))));
    return m;
  };
  for (const p of placements) {
    if (p.supervisorId !== null && active.has(p.supervisorId)) {
      const m = loadIn(p.blockId);
      m.set(p.supervisorId, m.get(p.supervisorId)! + 1);
    }
  }
  const open = placements
    .filter((p) => p.supervisorId === null || !active.has(p.supervisorId))
    .sort(
      (a, b) =>
        byText(a.blockStartsOn, b.blockStartsOn) ||
        byText(a.blockId, b.blockId) ||
        byText(a.studentName, b.studentName) ||
        byText(a.id, b.id),
    );

  const result: SupervisorProposal = { assignments: [], unassigned: [] };
  for (const p of open) {
    const m = loadIn(p.blockId);
    let best: ProposalInstructor | null = null;
    for (const i of pool) if (m.get(i.id)! < cap && (best === null || m.get(i.id)! < m.get(best.id)!)) best = i;
    if (best) {
      m.set(best.id, m.get(best.id)! + 1);
      result.assignments.push({ placementId: p.id, supervisorId: best.id, studentsInBlock: m.get(best.id)! });
      continue;
    }
    const who = `${p.studentName} (${options.departmentName}, ${p.blockName})`;
    result.unassigned.push(
      pool.length === 0
        ? {
            placementId: p.id,
            reason: 'NO_CLINICAL_INSTRUCTOR',
            explanation: `${who} has no supervisor: ${options.departmentName} has no active clinical instructor`,
          }
        : {
            placementId: p.id,
            reason: 'INSTRUCTORS_AT_CAP',
            explanation: `${who} has no supervisor: each of the ${pool.length} clinical instructor${pool.length === 1 ? '' : 's'} of ${options.departmentName} already supervises ${cap} student${cap === 1 ? '' : 's'} in ${p.blockName}, the cap`,
          },
    );
  }
  return result;
}
