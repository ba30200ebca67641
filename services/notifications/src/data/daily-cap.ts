import { type EntityManager } from 'typeorm';
import { localDay } from '../domain/local-time';
import { type ReminderPolicy } from '../domain/policy';
import { nextAllowed } from '../domain/quiet-hours';
import { ReminderStep } from '../entities';

/**
 * The per-person daily cap, for every kind of reminder: when the recipient already had
 * `perPersonDailyCap` reminders this local day, the step moves to their next allowed day and
 * true is returned. One person's reminders of one day are counted under a lock on that person,
 * so two workers firing at once cannot both slip under the cap.
 */
export async function deferredByDailyCap(
  em: EntityManager,
  step: ReminderStep,
  policy: ReminderPolicy,
  timeZone: string,
  now: Date,
): Promise<boolean> {
  await em.query(`SELECT pg_advisory_xact_lock(hashtext('notifications.daily-cap'), hashtext($1))`, [step.recipientId]);
  const today = localDay(now, timeZone);
  const [{ n }] = (await em.query(
    `SELECT count(*)::int AS n FROM reminder_step
      WHERE recipient_id = $1 AND status = 'FIRED' AND fired_at >= ($2::date::timestamp AT TIME ZONE $3)
        AND fired_at < (($2::date + 1)::timestamp AT TIME ZONE $3)`,
    [step.recipientId, today, timeZone],
  )) as [{ n: number }];
  if (n < policy.perPersonDailyCap) return false;
  const tomorrow = nextAllowed(new Date(now.getTime() + 24 * 3_600_000), { timeZone, ...policy });
  await em.update(ReminderStep, { id: step.id }, { fireAt: tomorrow });
  return true;
}
