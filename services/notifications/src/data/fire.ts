import { type DataSource, type EntityManager } from 'typeorm';
import { displayName, taskMessage, weeklySummary } from '../domain/messages';
import { KnownDepartment, KnownPerson, ReminderStep, ReminderTask } from '../entities';
import { notificationSettings, type NotificationSettings } from '../settings';
import { deliver, preferenceOf } from './deliver';
import { deferredByDailyCap } from './daily-cap';
import { holdForDigest } from './digest';
import { firePlacementStep } from './placement-reminders';
import { fireWindowStep } from './preference-window-reminders';
import { fireSwapStep } from './swap-reminders';
import { fireMenteeStep } from './mentee-meeting-reminders';
import { demoSettingFromEnv } from './plans';
import { policyOf } from './policies';
import { publishTaskReminders } from './reminder-events';
import { enqueueWebhooks } from './webhooks';

let envSettings: NotificationSettings | undefined;
const defaultSettings = () => (envSettings ??= notificationSettings());

export type FireOutcome = 'FIRED' | 'ALREADY_DONE' | 'CANCELLED' | 'DEFERRED' | 'DIGESTED' | 'NOT_YET' | 'MISSING';

/** A job that runs this much early (clock skew between hosts) still fires. */
const EARLY_TOLERANCE_MS = 1_000;

export async function zoneOf(em: EntityManager, personId: string): Promise<string> {
  const [row] = (await em.query(
    `SELECT i.timezone FROM known_person p JOIN known_institution i ON i.id = p.institution_id WHERE p.id = $1`,
    [personId],
  )) as { timezone: string }[];
  return row?.timezone ?? 'UTC';
}

/**
 * Fires one planned step, in one transaction: the step row is locked, so two workers (or a job
 * re-run after a crash) cannot both fire it; the message row is written and the step marked
 * FIRED together, so a crash before the commit leaves the step PLANNED (fired again later) and a
 * crash after leaves it FIRED (never again). A step of a settled task is cancelled instead; a step
 * over the recipient's daily cap moves to their next allowed day.
 */
export async function fireStep(
  ds: DataSource,
  stepId: string,
  now: Date = new Date(),
  settings: NotificationSettings = defaultSettings(),
): Promise<FireOutcome> {
  return ds.transaction(async (em) => {
    const step = await em
      .getRepository(ReminderStep)
      .createQueryBuilder('s')
      .setLock('pessimistic_write')
      .where('s.id = :stepId', { stepId })
      .getOne();
    if (!step) return 'MISSING';
    if (step.status !== 'PLANNED') return 'ALREADY_DONE';
    if (step.fireAt.getTime() > now.getTime() + EARLY_TOLERANCE_MS) return 'NOT_YET';
    if (step.placementId) return firePlacementStep(em, step, now, settings);
    if (step.preferenceWindowId) return fireWindowStep(em, step, now, settings);
    if (step.swapId) return fireSwapStep(em, step, now, settings);
    if (step.mentorshipId) return fireMenteeStep(em, step, now, settings, Boolean(demoSettingFromEnv()));
    const task = (await em.getRepository(ReminderTask).findOneBy({ taskId: step.taskId as string })) as ReminderTask;
    if (task.status !== 'OPEN') {
      await em.update(ReminderStep, { id: step.id }, { status: 'CANCELLED', cancelReason: task.status });
      return 'CANCELLED';
    }
    const timeZone = await zoneOf(em, step.recipientId);
    if (step.audience === 'QUALITY_OFFICE') return fireWeeklySummary(em, step, timeZone, now, settings);

    const policy = await policyOf(em, task.schoolId);
    // People who read digests get one message a day: the step waits for it (no daily cap needed).
    if ((await preferenceOf(em, step.recipientId)).digest) {
      await holdForDigest(em, step, policy, timeZone, now);
      await publishTaskReminders(em, [{ id: step.id, taskId: task.taskId, audience: step.audience, stepKey: step.stepKey }], now);
      return 'DIGESTED';
    }
    // The demo switch compresses days into seconds: a per-day cap would stall the demo for a real day.
    if (!demoSettingFromEnv() && (await deferredByDailyCap(em, step, policy, timeZone, now))) return 'DEFERRED';

    const facts = await messageFacts(em, task, step.stepKey, timeZone);
    const audience = step.audience as 'ASSESSOR' | 'COORDINATORS';
    await deliver(
      em,
      step.recipientId,
      `step:${step.id}`,
      (locale) => taskMessage(facts, audience, locale),
      { type: 'AssessmentTask', id: task.taskId },
      now,
      settings,
    );
    // Integrating systems of the school hear of each reminder and escalation (once per step).
    await enqueueWebhooks(
      em,
      task.schoolId,
      audience === 'COORDINATORS' ? 'assessment_task.escalated' : 'assessment_task.reminder_fired',
      `step:${step.id}`,
      {
        taskId: task.taskId,
        stepKey: step.stepKey,
        recipientId: step.recipientId,
        dueAt: task.dueAt.toISOString(),
        firedAt: now.toISOString(),
      },
      now,
    );
    // Quality counts the reminders and escalations each completed task needed.
    await publishTaskReminders(em, [{ id: step.id, taskId: task.taskId, audience, stepKey: step.stepKey }], now);
    await em.update(ReminderStep, { id: step.id }, { status: 'FIRED', firedAt: now });
    return 'FIRED';
  });
}

async function messageFacts(em: EntityManager, task: ReminderTask, stepKey: string, timeZone: string) {
  const people = await em.getRepository(KnownPerson).findBy([{ id: task.studentId }, { id: task.assessorId }]);
  const department = task.departmentId ? await em.getRepository(KnownDepartment).findOneBy({ id: task.departmentId }) : null;
  return {
    stepKey,
    instrumentTitle: task.instrumentTitle,
    studentName: displayName(
      people.find((p) => p.id === task.studentId),
      'a student',
    ),
    assessorName: displayName(
      people.find((p) => p.id === task.assessorId),
      'The assessor',
    ),
    departmentName: department?.name ?? null,
    dueAt: task.dueAt,
    timeZone,
  };
}

/**
 * The quality office's rungs of one slot become one message: the first step of the slot to
 * fire takes every planned quality step of that officer due by now (of tasks still open) and
 * marks them all fired with it; their own jobs then find nothing left to do.
 */
async function fireWeeklySummary(
  em: EntityManager,
  step: ReminderStep,
  timeZone: string,
  now: Date,
  settings: NotificationSettings,
): Promise<FireOutcome> {
  const steps = (await em.query(
    `SELECT s.id, t.instrument_title, t.student_id, t.assessor_id, t.due_at
       FROM reminder_step s JOIN reminder_task t ON t.task_id = s.task_id
      WHERE s.recipient_id = $1 AND s.audience = 'QUALITY_OFFICE' AND s.status = 'PLANNED' AND s.fire_at <= $2 AND t.status = 'OPEN'
      ORDER BY t.due_at, s.id FOR UPDATE OF s`,
    [step.recipientId, new Date(now.getTime() + EARLY_TOLERANCE_MS)],
  )) as { id: string; instrument_title: string; student_id: string; assessor_id: string; due_at: Date }[];
  const ids = [...new Set(steps.flatMap((s) => [s.student_id, s.assessor_id]))];
  const people = ids.length ? await em.getRepository(KnownPerson).findBy(ids.map((id) => ({ id }))) : [];
  const name = (id: string, fallback: string) =>
    displayName(
      people.find((p) => p.id === id),
      fallback,
    );
  const lines = steps.map((s) => ({
    instrumentTitle: s.instrument_title,
    studentName: name(s.student_id, 'a student'),
    assessorName: name(s.assessor_id, 'unknown'),
    dueAt: new Date(s.due_at),
  }));
  await deliver(
    em,
    step.recipientId,
    `weekly:${step.fireAt.toISOString()}`,
    (locale) => weeklySummary(lines, timeZone, locale),
    null,
    now,
    settings,
  );
  await em.query(`UPDATE reminder_step SET status = 'FIRED', fired_at = $2 WHERE id = ANY($1::uuid[])`, [steps.map((s) => s.id), now]);
  return 'FIRED';
}
