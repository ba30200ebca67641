import { createHash } from 'node:crypto';
import { type AssessmentPurpose, type TaskRole } from './model';

/**
 * Evaluation fatigue, managed: no assessor is given more than `cap` tasks in one ISO week.
 *
 * A task counts against the week it was assigned in, whatever becomes of it (submitted,
 * declined, expired): counting only open tasks would make the cap depend on how fast an
 * assessor works, and which tasks survive on the order events happen to arrive in.
 *
 * When the cap binds, tasks created from placements are SAMPLED deterministically: each has a
 * priority (summative supervisor assessments first, then formative ones, then teacher and
 * site evaluations; within a class, a SHA-256 of assessor, week, placement and role), and the
 * week keeps the `cap` best candidates. A better newcomer displaces the worst task that is
 * still untouched (PENDING, no draft); otherwise the newcomer is sampled out. Either way the
 * loser is recorded with its reason. As long as nobody has started a task of that week, the
 * kept set is the top `cap` of all candidates whatever their arrival order (tested).
 * Tasks assigned by hand are never displaced and are refused when the cap binds.
 */

const CLASS: Record<Exclude<TaskRole, 'ASSIGNED'>, (purpose: AssessmentPurpose) => number> = {
  SUPERVISOR_ASSESSMENT: (purpose) => (purpose === 'SUMMATIVE' ? 0 : 1),
  TEACHER_EVALUATION: () => 2,
  SITE_EVALUATION: () => 3,
};

/** Lower sorts first (is kept first). Fixed width, so strings compare as the tuples they encode. */
export function samplingPriority(input: {
  assessorId: string;
  week: string;
  placementId: string;
  role: Exclude<TaskRole, 'ASSIGNED'>;
  purpose: AssessmentPurpose;
}): string {
  const hash = createHash('sha256').update(`${input.assessorId}|${input.week}|${input.placementId}|${input.role}`).digest('hex');
  return `${CLASS[input.role](input.purpose)}:${hash}`;
}

/** A task already counted against the assessor's week. */
export interface WeekTask {
  id: string;
  /** Null for tasks assigned by hand (never displaced). */
  priority: string | null;
  /** PENDING with no draft: nobody has put work into it yet. */
  untouched: boolean;
}

export type CapDecision = { outcome: 'ACCEPT' } | { outcome: 'ACCEPT_DISPLACING'; displacedTaskId: string } | { outcome: 'SAMPLED_OUT' };

/** What happens to a candidate created from a placement, given the week's tasks. */
export function decideAutomatic(week: readonly WeekTask[], candidatePriority: string, cap: number): CapDecision {
  if (week.length < cap) return { outcome: 'ACCEPT' };
  const displaceable = week
    .filter((t): t is WeekTask & { priority: string } => t.untouched && t.priority !== null && t.priority > candidatePriority)
    .sort((a, b) => (a.priority < b.priority ? 1 : a.priority > b.priority ? -1 : 0));
  const worst = displaceable[0];
  return worst ? { outcome: 'ACCEPT_DISPLACING', displacedTaskId: worst.id } : { outcome: 'SAMPLED_OUT' };
}

/** A task assigned by hand fits only below the cap. */
export const manualFits = (week: readonly WeekTask[], cap: number): boolean => week.length < cap;
