import { BadUserInputError, ConflictError } from '@medcollab/kit';
import { type GoalEvidence, type GoalStatus } from './model';

/**
 * Rules of development goals. Pure. A goal moves OPEN → IN_PROGRESS → ACHIEVED, may be
 * DROPPED from OPEN or IN_PROGRESS, and ACHIEVED / DROPPED are final. Reaching ACHIEVED
 * needs evidence: that is what links goals to assessment.
 */

const NEXT: Record<GoalStatus, GoalStatus[]> = {
  OPEN: ['IN_PROGRESS', 'ACHIEVED', 'DROPPED'],
  IN_PROGRESS: ['OPEN', 'ACHIEVED', 'DROPPED'],
  ACHIEVED: [],
  DROPPED: [],
};

export interface GoalState {
  status: GoalStatus;
  evidence: readonly GoalEvidence[];
  /** A mentor's proposal the student has not accepted yet. */
  pendingAcceptance: boolean;
}

/** Checks a status change (same status is a no-op); `evidence` is the list after the update. */
export function checkGoalStatusChange(goal: GoalState, to: GoalStatus, evidence: readonly GoalEvidence[]): void {
  if (to === goal.status) return;
  if (!NEXT[goal.status].includes(to)) throw new ConflictError(`A ${goal.status} goal cannot become ${to}`, { status: goal.status });
  if (goal.pendingAcceptance && to !== 'DROPPED') {
    throw new ConflictError('Accept the proposed goal first (accept: true), or decline it by setting DROPPED');
  }
  if (to === 'ACHIEVED' && evidence.length === 0) {
    throw new BadUserInputError('An ACHIEVED goal needs at least one piece of evidence', { field: 'evidence' });
  }
}

/** ACHIEVED and DROPPED goals are kept as they are. */
export function checkGoalEditable(goal: Pick<GoalState, 'status'>): void {
  if (goal.status === 'ACHIEVED' || goal.status === 'DROPPED') throw new ConflictError(`A ${goal.status} goal can no longer change`);
}

/** The title of a goal made from a readiness gap. */
export function gapGoalTitle(requiredLevel: number, currentLevel: number): string {
  const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
  return `Raise competency level from ${fmt(currentLevel)} to ${fmt(requiredLevel)}`;
}
