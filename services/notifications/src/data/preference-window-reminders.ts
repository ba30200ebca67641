import { type PayloadOf, type PreferencesSubmitted, type PreferenceWindowOpened } from '@medcollab/events';
import { type EntityManager } from 'typeorm';
import { displayName, preferenceWindowClosingMessage } from '../domain/messages';
import { nextAllowed } from '../domain/quiet-hours';
import { KnownInstitution, KnownPerson, ReminderPreferenceWindow, ReminderStep } from '../entities';
import { type NotificationSettings } from '../settings';
import { deferredByDailyCap } from './daily-cap';
import { deliver, preferenceOf } from './deliver';
import { holdForDigest } from './digest';
import { policyOf } from './policies';

/** The rung of the preference-window reminder (one per student who has not ranked). */
export const WINDOW_STEP_KEY = 'PREFERENCE_WINDOW_CLOSING';
/** How long before the window closes students who have not ranked are told. */
export const WINDOW_LEAD_HOURS = 48;

const schoolZone = async (em: EntityManager, schoolId: string): Promise<string> =>
  (await em.getRepository(KnownInstitution).findOneBy({ id: schoolId }))?.timezone ?? 'UTC';

/**
 * A window opened or moved: every student of the school who has not ranked gets one reminder 48 h
 * before it closes (moved out of the school's quiet hours and weekends, never after the close),
 * written in one statement whatever the school's size. A moved window re-plans; a student already
 * told about this very closing time is not told again. A window opened less than 48 h before it
 * closes is announced at once (at the next allowed time).
 */
export async function planPreferenceWindow(em: EntityManager, p: PayloadOf<typeof PreferenceWindowOpened>): Promise<void> {
  const at = new Date(p.at);
  const applied = (await em.query(
    `INSERT INTO reminder_preference_window (window_id, school_id, academic_year, opens_at, closes_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (window_id) DO UPDATE SET opens_at = EXCLUDED.opens_at, closes_at = EXCLUDED.closes_at, updated_at = EXCLUDED.updated_at
       WHERE reminder_preference_window.updated_at <= EXCLUDED.updated_at
     RETURNING window_id`,
    [p.windowId, p.schoolId, p.academicYear, p.opensAt, p.closesAt, at],
  )) as unknown[];
  if (!applied.length) return;
  await em.query(
    `UPDATE reminder_step SET status = 'CANCELLED', cancel_reason = 'REPLANNED' WHERE preference_window_id = $1 AND status = 'PLANNED'`,
    [p.windowId],
  );
  const closesAt = new Date(p.closesAt);
  const nominalAt = new Date(closesAt.getTime() - WINDOW_LEAD_HOURS * 3_600_000);
  const policy = await policyOf(em, p.schoolId);
  const earliest = new Date(Math.max(nominalAt.getTime(), at.getTime(), new Date(p.opensAt).getTime()));
  const fireAt = nextAllowed(earliest, { timeZone: await schoolZone(em, p.schoolId), ...policy });
  if (fireAt.getTime() >= closesAt.getTime()) return;
  await em.query(
    `INSERT INTO reminder_step (id, preference_window_id, step_key, audience, recipient_id, nominal_at, fire_at, status, created_at)
     SELECT gen_random_uuid(), $1, $2, 'STUDENT', s.id, $3, $4, 'PLANNED', $5
       FROM known_person s
      WHERE s.kind = 'STUDENT' AND s.institution_id = $6
        AND NOT EXISTS (SELECT 1 FROM reminder_preference_submission x WHERE x.window_id = $1 AND x.student_id = s.id)
        AND NOT EXISTS (SELECT 1 FROM reminder_step f WHERE f.preference_window_id = $1 AND f.recipient_id = s.id AND f.status = 'FIRED' AND f.nominal_at = $3)`,
    [p.windowId, WINDOW_STEP_KEY, nominalAt, fireAt, at, p.schoolId],
  );
}

/** A student ranked: they are not reminded (any later submission changes nothing more). */
export async function recordPreferencesSubmitted(em: EntityManager, p: PayloadOf<typeof PreferencesSubmitted>): Promise<void> {
  await em.query(
    `INSERT INTO reminder_preference_submission (window_id, student_id, submitted_at)
     SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM reminder_preference_window WHERE window_id = $1)
     ON CONFLICT DO NOTHING`,
    [p.windowId, p.studentId, p.submittedAt],
  );
  await em.query(
    `UPDATE reminder_step SET status = 'CANCELLED', cancel_reason = 'SUBMITTED' WHERE preference_window_id = $1 AND recipient_id = $2 AND status = 'PLANNED'`,
    [p.windowId, p.studentId],
  );
}

/**
 * Fires one preference-window step inside fireStep's transaction: cancelled when the student has
 * ranked meanwhile or the window already closed, held for a digest reader's next digest,
 * deferred by the daily cap, else delivered once.
 */
export async function fireWindowStep(
  em: EntityManager,
  step: ReminderStep,
  now: Date,
  settings: NotificationSettings,
): Promise<'FIRED' | 'CANCELLED' | 'DEFERRED' | 'DIGESTED'> {
  const window = await em.getRepository(ReminderPreferenceWindow).findOneBy({ windowId: step.preferenceWindowId as string });
  const [submitted] = (await em.query(`SELECT 1 FROM reminder_preference_submission WHERE window_id = $1 AND student_id = $2`, [
    step.preferenceWindowId,
    step.recipientId,
  ])) as unknown[];
  const reason = !window ? 'MISSING' : submitted ? 'SUBMITTED' : window.closesAt.getTime() <= now.getTime() ? 'CLOSED' : null;
  if (reason || !window) {
    await em.update(ReminderStep, { id: step.id }, { status: 'CANCELLED', cancelReason: reason ?? 'MISSING' });
    return 'CANCELLED';
  }
  const policy = await policyOf(em, window.schoolId);
  const timeZone = await schoolZone(em, window.schoolId);
  // People who read digests get this in their next morning's digest instead (src/data/digest.ts).
  if ((await preferenceOf(em, step.recipientId)).digest) {
    await holdForDigest(em, step, policy, timeZone, now);
    return 'DIGESTED';
  }
  if (await deferredByDailyCap(em, step, policy, timeZone, now)) return 'DEFERRED';
  const student = await em.getRepository(KnownPerson).findOneBy({ id: step.recipientId });
  const school = await em.getRepository(KnownInstitution).findOneBy({ id: window.schoolId });
  const facts = {
    studentName: displayName(student ?? undefined, 'Student'),
    schoolName: school?.name ?? 'Your school',
    academicYear: window.academicYear,
    closesAt: window.closesAt,
    timeZone,
  };
  await deliver(
    em,
    step.recipientId,
    `step:${step.id}`,
    (locale) => preferenceWindowClosingMessage(facts, locale),
    { type: 'PreferenceWindow', id: window.windowId },
    now,
    settings,
  );
  await em.update(ReminderStep, { id: step.id }, { status: 'FIRED', firedAt: now });
  return 'FIRED';
}
