import { randomUUID } from 'node:crypto';
import { type PayloadOf, type PlacementConfirmed } from '@medcollab/events';
import { type EntityManager } from 'typeorm';
import { displayName, placementStartingMessage } from '../domain/messages';
import { placementReminderAt } from '../domain/placement-plan';
import { KnownDepartment, KnownInstitution, KnownPerson, type PlacementReminderStatus, ReminderPlacement, ReminderStep } from '../entities';
import { type NotificationSettings } from '../settings';
import { deferredByDailyCap } from './daily-cap';
import { deliver, preferenceOf } from './deliver';
import { holdForDigest } from './digest';
import { policyOf } from './policies';

type PlacementFacts = PayloadOf<typeof PlacementConfirmed>;

/** The rung of the placement-starting reminder (one per recipient). */
export const PLACEMENT_STEP_KEY = 'PLACEMENT_STARTING';

async function zoneOfPerson(em: EntityManager, personId: string, fallbackInstitutionId: string): Promise<string> {
  const [row] = (await em.query(
    `SELECT COALESCE((SELECT i.timezone FROM known_person p JOIN known_institution i ON i.id = p.institution_id WHERE p.id = $1),
                     (SELECT timezone FROM known_institution WHERE id = $2), 'UTC') AS timezone`,
    [personId, fallbackInstitutionId],
  )) as { timezone: string }[];
  return row!.timezone;
}

/** Records a placement as its latest event describes it; an event older than the stored one changes nothing. */
export async function upsertPlacement(em: EntityManager, p: PlacementFacts, status: PlacementReminderStatus): Promise<boolean> {
  const rows = (await em.query(
    `INSERT INTO reminder_placement (placement_id, status, student_id, supervisor_id, school_id, hospital_id, department_id, block_id,
                                     starts_on, ends_on, updated_at, block_name)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     ON CONFLICT (placement_id) DO UPDATE SET status = EXCLUDED.status, supervisor_id = EXCLUDED.supervisor_id,
       department_id = EXCLUDED.department_id, hospital_id = EXCLUDED.hospital_id, block_id = EXCLUDED.block_id, block_name = EXCLUDED.block_name,
       starts_on = EXCLUDED.starts_on, ends_on = EXCLUDED.ends_on, updated_at = EXCLUDED.updated_at
       WHERE reminder_placement.updated_at <= EXCLUDED.updated_at
     RETURNING placement_id`,
    [
      p.placementId,
      status,
      p.studentId,
      p.supervisorId,
      p.schoolId,
      p.hospitalId,
      p.departmentId,
      p.blockId,
      p.startsOn,
      p.endsOn,
      new Date(p.at),
      p.blockName ?? null,
    ],
  )) as unknown[];
  return rows.length > 0;
}

/**
 * (Re-)plans a confirmed placement's reminder: the student and the supervisor are told the day
 * before it starts (src/domain/placement-plan.ts), in their own time zones, under the school's
 * quiet hours. A swap re-confirms with new terms: what was planned is cancelled and planned
 * anew, and a person already told of this very start date is not told again.
 */
export async function planPlacement(em: EntityManager, p: PlacementFacts): Promise<void> {
  const at = new Date(p.at);
  if (!(await upsertPlacement(em, p, 'CONFIRMED'))) return;
  await cancelPlacementSteps(em, p.placementId, 'REPLANNED');
  const policy = await policyOf(em, p.schoolId);
  const told = (await em.query(`SELECT recipient_id, nominal_at FROM reminder_step WHERE placement_id = $1 AND status = 'FIRED'`, [
    p.placementId,
  ])) as { recipient_id: string; nominal_at: Date }[];
  const recipients: { id: string; audience: 'STUDENT' | 'SUPERVISOR' }[] = [{ id: p.studentId, audience: 'STUDENT' }];
  if (p.supervisorId) recipients.push({ id: p.supervisorId, audience: 'SUPERVISOR' });
  for (const r of recipients) {
    const timeZone = await zoneOfPerson(em, r.id, r.audience === 'STUDENT' ? p.schoolId : p.hospitalId);
    const fireAt = placementReminderAt(p.startsOn, { timeZone, ...policy }, at);
    if (!fireAt) continue;
    // The nominal time is the start date itself: it identifies "this start" across re-plans.
    const nominalAt = new Date(`${p.startsOn}T00:00:00Z`);
    if (told.some((t) => t.recipient_id === r.id && new Date(t.nominal_at).getTime() === nominalAt.getTime())) continue;
    await em.query(
      `INSERT INTO reminder_step (id, placement_id, step_key, audience, recipient_id, nominal_at, fire_at, status, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'PLANNED', $8)`,
      [randomUUID(), p.placementId, PLACEMENT_STEP_KEY, r.audience, r.id, nominalAt, fireAt, at],
    );
  }
}

/** A placement cancelled, started or completed: what is still planned for it will not fire. */
export async function settlePlacement(em: EntityManager, p: PlacementFacts, status: Exclude<PlacementReminderStatus, 'CONFIRMED'>) {
  if (!(await upsertPlacement(em, p, status))) return;
  await cancelPlacementSteps(em, p.placementId, status);
}

async function cancelPlacementSteps(em: EntityManager, placementId: string, reason: string): Promise<void> {
  await em.query(`UPDATE reminder_step SET status = 'CANCELLED', cancel_reason = $2 WHERE placement_id = $1 AND status = 'PLANNED'`, [
    placementId,
    reason,
  ]);
}

/**
 * Fires one placement step inside fireStep's transaction (the step row is already locked and
 * PLANNED): cancelled when the placement is no longer confirmed, held for a digest reader's
 * next digest, deferred by the daily cap,
 * otherwise delivered once (dedupe key = step id) to the inbox and by email.
 */
export async function firePlacementStep(
  em: EntityManager,
  step: ReminderStep,
  now: Date,
  settings: NotificationSettings,
): Promise<'FIRED' | 'CANCELLED' | 'DEFERRED' | 'DIGESTED'> {
  const placement = await em.getRepository(ReminderPlacement).findOneBy({ placementId: step.placementId as string });
  if (!placement || placement.status !== 'CONFIRMED') {
    await em.update(ReminderStep, { id: step.id }, { status: 'CANCELLED', cancelReason: placement?.status ?? 'MISSING' });
    return 'CANCELLED';
  }
  const policy = await policyOf(em, placement.schoolId);
  const timeZone = await zoneOfPerson(em, step.recipientId, placement.schoolId);
  // People who read digests get this in their next morning's digest instead (src/data/digest.ts).
  if ((await preferenceOf(em, step.recipientId)).digest) {
    await holdForDigest(em, step, policy, timeZone, now);
    return 'DIGESTED';
  }
  if (await deferredByDailyCap(em, step, policy, timeZone, now)) return 'DEFERRED';
  const ids = [placement.studentId, ...(placement.supervisorId ? [placement.supervisorId] : [])];
  const people = await em.getRepository(KnownPerson).findBy(ids.map((id) => ({ id })));
  const department = await em.getRepository(KnownDepartment).findOneBy({ id: placement.departmentId });
  const hospital = await em.getRepository(KnownInstitution).findOneBy({ id: placement.hospitalId });
  const facts = {
    studentName: displayName(
      people.find((p) => p.id === placement.studentId),
      'a student',
    ),
    supervisorName: placement.supervisorId
      ? displayName(
          people.find((p) => p.id === placement.supervisorId),
          'your supervisor',
        )
      : null,
    departmentName: department?.name ?? 'the department',
    hospitalName: hospital?.name ?? 'the hospital',
    startsOn: placement.startsOn,
    endsOn: placement.endsOn,
  };
  await deliver(
    em,
    step.recipientId,
    `step:${step.id}`,
    (locale) => placementStartingMessage(facts, step.audience as 'STUDENT' | 'SUPERVISOR', locale),
    { type: 'Placement', id: placement.placementId },
    now,
    settings,
  );
  await em.update(ReminderStep, { id: step.id }, { status: 'FIRED', firedAt: now });
  return 'FIRED';
}
