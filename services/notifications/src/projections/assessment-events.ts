import { type AssessmentTaskAssigned, type AssessmentTaskRescheduled, type EventEnvelope, type PayloadOf } from '@medcollab/events';
import { type EntityManager } from 'typeorm';
import { cancelPlanned, replan } from '../data/plans';
import { type ReminderTaskStatus } from '../entities';

type TaskFacts = PayloadOf<typeof AssessmentTaskAssigned>;

async function upsertTask(em: EntityManager, p: Omit<TaskFacts, 'assignedAt'>, at: Date): Promise<void> {
  await em.query(
    `INSERT INTO reminder_task (task_id, status, role, assessor_id, student_id, school_id, department_id, hospital_id, placement_id,
                                instrument_title, due_at, updated_at)
     VALUES ($1, 'OPEN', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (task_id) DO UPDATE SET assessor_id = EXCLUDED.assessor_id, due_at = EXCLUDED.due_at, updated_at = EXCLUDED.updated_at`,
    [p.taskId, p.role, p.assessorId, p.studentId, p.schoolId, p.departmentId, p.hospitalId, p.placementId, p.instrumentTitle, p.dueAt, at],
  );
}

/** A new task gets its plan from its school's policy; rungs already past when it was assigned are left out. */
export async function planAssignedTask(em: EntityManager, e: EventEnvelope<TaskFacts>): Promise<void> {
  const at = new Date(e.occurredAt);
  await upsertTask(em, e.payload, at);
  await replan(em, e.payload.taskId, at, 'REPLANNED');
}

/** A new due date or assessor: the remaining rungs are planned again from the change on. */
export async function replanRescheduledTask(
  em: EntityManager,
  e: EventEnvelope<PayloadOf<typeof AssessmentTaskRescheduled>>,
): Promise<void> {
  const at = new Date(e.occurredAt);
  await upsertTask(em, e.payload, at);
  await replan(em, e.payload.taskId, at, 'RESCHEDULED');
}

/** A settled task (submitted, declined, expired, or withdrawn by the burden cap) is never reminded again. */
export function settleTask(status: Exclude<ReminderTaskStatus, 'OPEN'>) {
  return async (em: EntityManager, e: EventEnvelope<Omit<TaskFacts, 'assignedAt'>>): Promise<void> => {
    const at = new Date(e.occurredAt);
    await upsertTask(em, e.payload, at);
    await em.query(`UPDATE reminder_task SET status = $2, settled_at = $3 WHERE task_id = $1 AND status = 'OPEN'`, [
      e.payload.taskId,
      status,
      at,
    ]);
    await cancelPlanned(em, e.payload.taskId, status, true);
  };
}
