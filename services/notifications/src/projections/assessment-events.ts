import { type AssessmentTaskAssigned, type AssessmentTaskRescheduled, type EventEnvelope, type PayloadOf } from '@medcollab/events';
import { type EntityManager } from 'typeorm';
import { cancelPlanned, demoSettingFromEnv, planTasks, replan } from '../data/plans';
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

/**
 * Many assigned tasks at once (the batch path, `applyEventBatch`): one multi-row upsert of the
 * tasks, returning them, and `planTasks` on those rows, so a batch costs a constant number of
 * statements (four when every task is new: upsert, policies, recipients, steps). A task named
 * twice in one batch is planned from its later event, as one-by-one application would leave it.
 */
export async function planAssignedTasks(em: EntityManager, events: EventEnvelope<TaskFacts>[]): Promise<void> {
  const latest = new Map(events.map((e) => [e.payload.taskId, e]));
  if (latest.size !== events.length) {
    for (const e of events) await planAssignedTask(em, e);
    return;
  }
  const at = events.map((e) => new Date(e.occurredAt));
  const p = events.map((e) => e.payload);
  // The rows as they now are (a known task keeps its status), and which were inserted now (xmax = 0): those have no steps yet.
  const rows = (await em.query(
    `INSERT INTO reminder_task (task_id, status, role, assessor_id, student_id, school_id, department_id, hospital_id, placement_id,
                                instrument_title, due_at, updated_at)
     SELECT t.task_id, 'OPEN', t.role, t.assessor_id, t.student_id, t.school_id, t.department_id, t.hospital_id, t.placement_id,
            t.instrument_title, t.due_at, t.updated_at
       FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::uuid[], $6::uuid[], $7::uuid[], $8::uuid[], $9::text[],
                   $10::timestamptz[], $11::timestamptz[])
            AS t(task_id, role, assessor_id, student_id, school_id, department_id, hospital_id, placement_id, instrument_title, due_at, updated_at)
     ON CONFLICT (task_id) DO UPDATE SET assessor_id = EXCLUDED.assessor_id, due_at = EXCLUDED.due_at, updated_at = EXCLUDED.updated_at
     RETURNING task_id, status, school_id, department_id, assessor_id, due_at, (xmax = 0) AS inserted`,
    [
      p.map((x) => x.taskId),
      p.map((x) => x.role),
      p.map((x) => x.assessorId),
      p.map((x) => x.studentId),
      p.map((x) => x.schoolId),
      p.map((x) => x.departmentId),
      p.map((x) => x.hospitalId),
      p.map((x) => x.placementId),
      p.map((x) => x.instrumentTitle),
      p.map((x) => x.dueAt),
      at,
    ],
  )) as {
    task_id: string;
    status: ReminderTaskStatus;
    school_id: string;
    department_id: string | null;
    assessor_id: string;
    due_at: Date;
    inserted: boolean;
  }[];
  await planTasks(
    em,
    rows.map((r) => ({
      taskId: r.task_id,
      status: r.status,
      schoolId: r.school_id,
      departmentId: r.department_id,
      assessorId: r.assessor_id,
      dueAt: new Date(r.due_at),
    })),
    new Map(p.map((x, i) => [x.taskId, at[i]!])),
    'REPLANNED',
    demoSettingFromEnv(),
    new Set(rows.filter((r) => r.inserted).map((r) => r.task_id)),
  );
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
