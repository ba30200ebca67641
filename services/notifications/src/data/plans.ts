import { randomUUID } from 'node:crypto';
import { type EntityManager } from 'typeorm';
import { compressForDemo } from '../domain/demo-ladder';
import { planTask, type Recipient, type Recipients } from '../domain/plan';
import { demoSecondsPerDay } from '../settings';
import { ReminderTask } from '../entities';
import { policyOf } from './policies';

const FALLBACK_ZONE = 'UTC';

let demoSetting: { value: number | null } | undefined;
/** The demo switch from the environment, read once (src/domain/demo-ladder.ts). */
export const demoSettingFromEnv = (): number | null => (demoSetting ??= { value: demoSecondsPerDay() }).value;

/**
 * Who a task's ladder reaches, each with their institution's time zone: the assessor; the
 * school's coordinators and the hospital department's coordinators; the school's quality office.
 */
export async function recipientsOf(em: EntityManager, task: ReminderTask): Promise<Recipients> {
  const rows = (await em.query(
    `SELECT p.id, COALESCE(i.timezone, $4) AS tz,
            (p.id = $1) AS assessor,
            (p.kind = 'STAFF' AND 'COORDINATOR' = ANY(p.roles) AND (p.institution_id = $2 OR ($3::uuid IS NOT NULL AND p.department_id = $3))) AS coordinator,
            (p.kind = 'STAFF' AND 'QUALITY_OFFICER' = ANY(p.roles) AND p.institution_id = $2) AS quality
       FROM known_person p LEFT JOIN known_institution i ON i.id = p.institution_id
      WHERE p.id = $1 OR (p.kind = 'STAFF' AND (p.institution_id = $2 OR p.department_id = $3)
                          AND (p.roles && ARRAY['COORDINATOR', 'QUALITY_OFFICER']))
      ORDER BY p.id`,
    [task.assessorId, task.schoolId, task.departmentId, FALLBACK_ZONE],
  )) as { id: string; tz: string; assessor: boolean; coordinator: boolean; quality: boolean }[];
  const as = (r: { id: string; tz: string }): Recipient => ({ personId: r.id, timeZone: r.tz });
  const assessorRow = rows.find((r) => r.assessor);
  return {
    assessor: assessorRow ? as(assessorRow) : { personId: task.assessorId, timeZone: await schoolZone(em, task.schoolId) },
    coordinators: rows.filter((r) => r.coordinator).map(as),
    qualityOffice: rows.filter((r) => r.quality).map(as),
  };
}

async function schoolZone(em: EntityManager, schoolId: string): Promise<string> {
  const [row] = (await em.query(`SELECT timezone FROM known_institution WHERE id = $1`, [schoolId])) as { timezone: string }[];
  return row?.timezone ?? FALLBACK_ZONE;
}

/**
 * Cancels what is still planned for a task (it is about to be re-planned), and with `settled`
 * also the steps waiting for a digest (the task was settled or withdrawn: nobody is told of it).
 */
export async function cancelPlanned(em: EntityManager, taskId: string, reason: string, settled = false): Promise<number> {
  const result = (await em.query(
    `UPDATE reminder_step SET status = 'CANCELLED', cancel_reason = $2 WHERE task_id = $1 AND status = ANY($3::text[])`,
    [taskId, reason, settled ? ['PLANNED', 'DIGEST'] : ['PLANNED']],
  )) as [unknown, number];
  return result[1];
}

/**
 * (Re-)plans an open task from `from` on: whatever was still planned is cancelled and the rungs
 * still ahead are written anew. Fired steps stay as they were (the history `reminders` shows).
 */
export async function replan(
  em: EntityManager,
  taskId: string,
  from: Date,
  reason: string,
  demoSecondsPerDay: number | null = demoSettingFromEnv(),
): Promise<void> {
  const task = await em.getRepository(ReminderTask).findOneBy({ taskId });
  if (!task || task.status !== 'OPEN') return;
  await cancelPlanned(em, taskId, reason);
  const policy = await policyOf(em, task.schoolId);
  const fired = (await em.query(`SELECT step_key, recipient_id FROM reminder_step WHERE task_id = $1 AND status = 'FIRED'`, [taskId])) as {
    step_key: string;
    recipient_id: string;
  }[];
  const done = new Set(fired.map((f) => `${f.step_key}|${f.recipient_id}`));
  const recipients = await recipientsOf(em, task);
  const planned = demoSecondsPerDay
    ? (() => {
        const demo = compressForDemo(task, policy, from, demoSecondsPerDay);
        return planTask(demo.task, demo.policy, recipients, from, { weeklySummary: false });
      })()
    : planTask(task, policy, recipients, from);
  const steps = planned.filter((s) => !done.has(`${s.stepKey}|${s.recipientId}`));
  if (!steps.length) return;
  await em.query(
    `INSERT INTO reminder_step (id, task_id, step_key, audience, recipient_id, nominal_at, fire_at, status, created_at)
     SELECT id, $1, step_key, audience, recipient_id, nominal_at, fire_at, 'PLANNED', $2
       FROM unnest($3::uuid[], $4::text[], $5::text[], $6::uuid[], $7::timestamptz[], $8::timestamptz[])
            AS s(id, step_key, audience, recipient_id, nominal_at, fire_at)`,
    [
      taskId,
      new Date(),
      steps.map(() => randomUUID()),
      steps.map((s) => s.stepKey),
      steps.map((s) => s.audience),
      steps.map((s) => s.recipientId),
      steps.map((s) => s.nominalAt),
      steps.map((s) => s.fireAt),
    ],
  );
}

/** A changed policy re-plans every open task of the school from now (rungs already fired stay fired). */
export async function replanSchool(em: EntityManager, schoolId: string, from: Date): Promise<number> {
  const tasks = (await em.query(`SELECT task_id FROM reminder_task WHERE school_id = $1 AND status = 'OPEN' ORDER BY task_id`, [
    schoolId,
  ])) as {
    task_id: string;
  }[];
  for (const t of tasks) await replan(em, t.task_id, from, 'POLICY_CHANGED');
  return tasks.length;
}
