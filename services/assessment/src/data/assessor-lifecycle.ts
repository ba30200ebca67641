import { type EventEnvelope, type PayloadOf, type StaffStatusChanged } from '@medcollab/events';
import { type EntityManager } from 'typeorm';
import { AssessmentTask, KnownStaff } from '../entities';
import { type EventMeta } from '../outbox';
import { publishTaskCancelled, publishTaskReassigned } from './task-events';

/** Roles that may assess a student (the same as assignAssessment's eligibility). */
const ASSESSING_ROLES = ['TEACHER', 'CLINICAL_INSTRUCTOR'];

const nameOf = (s: Pick<KnownStaff, 'givenName' | 'familyName'> | null, fallback: string): string =>
  s?.givenName || s?.familyName ? [s.givenName, s.familyName].filter(Boolean).join(' ') : fallback;

/** The active assessors of `departmentId` other than `exceptId`, with their open tasks. */
async function candidates(em: EntityManager, departmentId: string, exceptId: string): Promise<(KnownStaff & { open: number })[]> {
  const rows = (await em.query(
    `SELECT s.id, s.given_name AS "givenName", s.family_name AS "familyName",
            (SELECT count(*)::int FROM assessment_task t WHERE t.assessor_id = s.id AND t.status = 'PENDING') AS open
       FROM known_staff s
      WHERE s.department_id = $1 AND s.id <> $2 AND s.active AND s.roles && $3::text[]
      ORDER BY s.id`,
    [departmentId, exceptId, ASSESSING_ROLES],
  )) as (KnownStaff & { open: number })[];
  return rows;
}

const text = (s: string | null) => s ?? '\uffff';
const byLoadThenName = (a: KnownStaff & { open: number }, b: KnownStaff & { open: number }): number =>
  a.open - b.open ||
  text(a.familyName).localeCompare(text(b.familyName)) ||
  text(a.givenName).localeCompare(text(b.givenName)) ||
  a.id.localeCompare(b.id);

export interface AssessorLeftReport {
  reassigned: { taskId: string; to: string }[];
  cancelled: string[];
}

/**
 * A staff member was deactivated (contract end, leave): each task still waiting for their
 * answer is handed to another active teacher or clinical instructor of their department (the
 * least loaded), or, when the department has none (or they had no department), cancelled.
 * Either way the reason names the people and is kept on the task for the coordinator, and an
 * event tells the services that follow tasks (AssessmentTaskRescheduled with the new assessor,
 * or AssessmentTaskCancelled). Evaluations (the student is the assessor) are not touched.
 * Reactivation restores nothing: the tasks may have been answered by then.
 */
export async function settleTasksOfDeactivatedAssessor(
  em: EntityManager,
  p: PayloadOf<typeof StaffStatusChanged>,
  at: Date,
  meta: EventMeta,
): Promise<AssessorLeftReport> {
  const report: AssessorLeftReport = { reassigned: [], cancelled: [] };
  if (p.active) return report;
  const tasks = await em
    .getRepository(AssessmentTask)
    .createQueryBuilder('t')
    .setLock('pessimistic_write')
    .where('t.assessor_id = :id', { id: p.staffId })
    .andWhere(`t.status = 'PENDING'`)
    .andWhere(`t.role IN ('SUPERVISOR_ASSESSMENT', 'ASSIGNED')`)
    .orderBy('t.due_at')
    .addOrderBy('t.id')
    .getMany();
  if (!tasks.length) return report;
  const leaving = await em.getRepository(KnownStaff).findOneBy({ id: p.staffId });
  const who = nameOf(leaving, 'The assessor');
  const pool = leaving?.departmentId ? await candidates(em, leaving.departmentId, p.staffId) : [];
  for (const task of tasks) {
    // Least loaded first, counting the tasks handed over so far; then by name and id, as candidates() orders them.
    pool.sort(byLoadThenName);
    const next = pool[0];
    if (next) {
      const reason = `${who} was deactivated by their institution (${p.reason}); the task was handed to ${nameOf(next, 'another assessor')} of the same department.`;
      await em
        .getRepository(AssessmentTask)
        .update({ id: task.id }, { assessorId: next.id, previousAssessorId: p.staffId, reassignReason: reason, reassignedAt: at });
      await publishTaskReassigned(em, task.id, p.staffId, task.dueAt, at, meta);
      next.open++;
      report.reassigned.push({ taskId: task.id, to: next.id });
    } else {
      const reason = `${who} was deactivated by their institution (${p.reason}) and no other active teacher or clinical instructor of their department could take the task.`;
      await em.getRepository(AssessmentTask).update({ id: task.id }, { status: 'CANCELLED', cancelReason: reason, cancelledAt: at });
      await publishTaskCancelled(em, task.id, at, reason, meta);
      report.cancelled.push(task.id);
    }
  }
  return report;
}

/** The consumer's handler (chained after the shared projection, which marks the staff member inactive first). */
export async function assessorStatusChanged(em: EntityManager, e: EventEnvelope<PayloadOf<typeof StaffStatusChanged>>): Promise<void> {
  await settleTasksOfDeactivatedAssessor(em, e.payload, new Date(e.occurredAt), {
    requestId: e.metadata?.requestId ?? e.id,
    actorId: e.metadata?.actorId ?? 'network',
  });
}
