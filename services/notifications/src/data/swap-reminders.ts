import { type PayloadOf, type SwapRequestChanged } from '@medcollab/events';
import { type EntityManager } from 'typeorm';
import { displayName, swapAwaitingMessage } from '../domain/messages';
import { nextAllowed } from '../domain/quiet-hours';
import { KnownDepartment, KnownPerson, ReminderStep } from '../entities';
import { type NotificationSettings } from '../settings';
import { deferredByDailyCap } from './daily-cap';
import { deliver, preferenceOf } from './deliver';
import { holdForDigest } from './digest';
import { policyOf } from './policies';

/** The rung of the swap reminder. */
export const SWAP_STEP_KEY = 'SWAP_AWAITING_ANSWER';
/** How long a swap may wait for an answer before whoever it waits for is reminded. */
export const SWAP_ANSWER_AFTER_HOURS = 48;

const zoneOfPerson = async (em: EntityManager, personId: string, fallbackInstitutionId: string): Promise<string> =>
  (
    (await em.query(
      `SELECT COALESCE((SELECT i.timezone FROM known_person p JOIN known_institution i ON i.id = p.institution_id WHERE p.id = $1),
                       (SELECT timezone FROM known_institution WHERE id = $2), 'UTC') AS timezone`,
      [personId, fallbackInstitutionId],
    )) as { timezone: string }[]
  )[0]!.timezone;

/**
 * A swap request made or moved on: whatever was planned for it is cancelled; if it now waits for
 * an answer, whoever it waits for (the other student; then the school's coordinators) is planned
 * a reminder 48 h later, out of quiet hours. A final status plans nothing. Older events change nothing.
 */
export async function planSwap(em: EntityManager, p: PayloadOf<typeof SwapRequestChanged>): Promise<void> {
  const at = new Date(p.at);
  const applied = (await em.query(
    `INSERT INTO reminder_swap (swap_id, school_id, status, student_id, department_id, starts_on, with_student_id, with_department_id,
                                to_department_id, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (swap_id) DO UPDATE SET status = EXCLUDED.status, department_id = EXCLUDED.department_id, starts_on = EXCLUDED.starts_on,
       with_department_id = EXCLUDED.with_department_id, updated_at = EXCLUDED.updated_at
       WHERE reminder_swap.updated_at <= EXCLUDED.updated_at
     RETURNING swap_id`,
    [p.swapId, p.schoolId, p.status, p.studentId, p.departmentId, p.startsOn, p.withStudentId, p.withDepartmentId, p.toDepartmentId, at],
  )) as unknown[];
  if (!applied.length) return;
  await em.query(`UPDATE reminder_step SET status = 'CANCELLED', cancel_reason = $2 WHERE swap_id = $1 AND status = 'PLANNED'`, [
    p.swapId,
    p.status,
  ]);
  const waitingFor: { id: string; audience: 'STUDENT' | 'COORDINATORS' }[] =
    p.status === 'AWAITING_PEER' && p.withStudentId
      ? [{ id: p.withStudentId, audience: 'STUDENT' }]
      : p.status === 'AWAITING_COORDINATOR'
        ? (
            (await em.query(
              `SELECT id FROM known_person WHERE institution_id = $1 AND kind = 'STAFF' AND 'COORDINATOR' = ANY(roles) ORDER BY id`,
              [p.schoolId],
            )) as { id: string }[]
          ).map((r) => ({ id: r.id, audience: 'COORDINATORS' as const }))
        : [];
  const policy = await policyOf(em, p.schoolId);
  const nominalAt = new Date(at.getTime() + SWAP_ANSWER_AFTER_HOURS * 3_600_000);
  for (const r of waitingFor) {
    const fireAt = nextAllowed(nominalAt, { timeZone: await zoneOfPerson(em, r.id, p.schoolId), ...policy });
    await em.query(
      `INSERT INTO reminder_step (id, swap_id, step_key, audience, recipient_id, nominal_at, fire_at, status, created_at)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, 'PLANNED', $7)`,
      [p.swapId, SWAP_STEP_KEY, r.audience, r.id, nominalAt, fireAt, at],
    );
  }
}

/** Fires one swap step inside fireStep's transaction: only while the swap still waits for that audience (a digest reader's waits for their digest). */
export async function fireSwapStep(
  em: EntityManager,
  step: ReminderStep,
  now: Date,
  settings: NotificationSettings,
): Promise<'FIRED' | 'CANCELLED' | 'DEFERRED' | 'DIGESTED'> {
  const [swap] = (await em.query(`SELECT * FROM reminder_swap WHERE swap_id = $1`, [step.swapId])) as {
    school_id: string;
    status: string;
    student_id: string;
    department_id: string;
    starts_on: string;
    with_student_id: string | null;
    with_department_id: string | null;
    to_department_id: string | null;
  }[];
  const stillWaiting = swap && (step.audience === 'STUDENT' ? swap.status === 'AWAITING_PEER' : swap.status === 'AWAITING_COORDINATOR');
  if (!swap || !stillWaiting) {
    await em.update(ReminderStep, { id: step.id }, { status: 'CANCELLED', cancelReason: swap?.status ?? 'MISSING' });
    return 'CANCELLED';
  }
  const policy = await policyOf(em, swap.school_id);
  const timeZone = await zoneOfPerson(em, step.recipientId, swap.school_id);
  // People who read digests get this in their next morning's digest instead (src/data/digest.ts).
  if ((await preferenceOf(em, step.recipientId)).digest) {
    await holdForDigest(em, step, policy, timeZone, now);
    return 'DIGESTED';
  }
  if (await deferredByDailyCap(em, step, policy, timeZone, now)) return 'DEFERRED';
  const people = await em
    .getRepository(KnownPerson)
    .findBy([{ id: swap.student_id }, ...(swap.with_student_id ? [{ id: swap.with_student_id }] : [])]);
  const departmentIds = [swap.department_id, swap.with_department_id, swap.to_department_id].filter((d): d is string => Boolean(d));
  const departments = await em.getRepository(KnownDepartment).findBy(departmentIds.map((id) => ({ id })));
  const dept = (id: string | null) => (id ? (departments.find((d) => d.id === id)?.name ?? 'another department') : null);
  const facts = {
    requesterName: displayName(
      people.find((p) => p.id === swap.student_id),
      'A student',
    ),
    departmentName: dept(swap.department_id) as string,
    startsOn: typeof swap.starts_on === 'string' ? swap.starts_on : new Date(swap.starts_on).toISOString().slice(0, 10),
    peerName: swap.with_student_id
      ? displayName(
          people.find((p) => p.id === swap.with_student_id),
          'another student',
        )
      : null,
    peerDepartmentName: dept(swap.with_department_id),
    toDepartmentName: dept(swap.to_department_id),
  };
  await deliver(
    em,
    step.recipientId,
    `step:${step.id}`,
    (locale) => swapAwaitingMessage(facts, step.audience as 'STUDENT' | 'COORDINATORS', locale),
    { type: 'SwapRequest', id: step.swapId as string },
    now,
    settings,
  );
  await em.update(ReminderStep, { id: step.id }, { status: 'FIRED', firedAt: now });
  return 'FIRED';
}
