import { randomUUID } from 'node:crypto';
import { type DataSource, type EntityManager } from 'typeorm';
import { dailyDigest, digestSlot, type DigestLine } from '../domain/digest';
import { localDay } from '../domain/local-time';
import { displayName } from '../domain/messages';
import { type ReminderPolicy } from '../domain/policy';
import { ReminderDigest, type ReminderStep } from '../entities';
import { type NotificationSettings } from '../settings';
import { deliver } from './deliver';
import { digestMenteeLines } from './mentee-meeting-reminders';

/** A digest job that runs this much early (clock skew between hosts) still sends. */
const EARLY_TOLERANCE_MS = 1_000;

/**
 * A step whose recipient reads digests does not send a message of its own: it waits (DIGEST)
 * for the recipient's next digest, whose row is created here if it is not there yet. The row is
 * unique per (recipient, local day), so however many steps fall due, one digest is planned; a
 * day whose digest already went out hands the step to the next day's.
 */
export async function holdForDigest(
  em: EntityManager,
  step: ReminderStep,
  policy: ReminderPolicy,
  timeZone: string,
  now: Date,
): Promise<void> {
  let slot = digestSlot(now, { timeZone, ...policy });
  for (let guard = 0; guard < 10; guard++) {
    const day = localDay(slot, timeZone);
    await em.query(
      `INSERT INTO reminder_digest (id, recipient_id, local_day, fire_at, status) VALUES ($1, $2, $3, $4, 'PLANNED')
       ON CONFLICT (recipient_id, local_day) DO NOTHING`,
      [randomUUID(), step.recipientId, day, slot],
    );
    const [digest] = (await em.query(`SELECT id, status FROM reminder_digest WHERE recipient_id = $1 AND local_day = $2 FOR UPDATE`, [
      step.recipientId,
      day,
    ])) as { id: string; status: string }[];
    if (digest?.status === 'PLANNED') {
      await em.query(`UPDATE reminder_step SET status = 'DIGEST', digest_id = $2 WHERE id = $1`, [step.id, digest.id]);
      return;
    }
    slot = digestSlot(new Date(slot.getTime() + 60_000), { timeZone, ...policy });
  }
  throw new Error(`No digest day found for step ${step.id}`);
}

export type DigestOutcome = 'SENT' | 'EMPTY' | 'ALREADY_DONE' | 'NOT_YET' | 'MISSING';

/**
 * Sends one digest, in one transaction: the digest row is locked, so a redelivered or duplicated
 * job finds it SENT and does nothing; the message's dedupe key is the person's local day, so even
 * a second row could not send a second message. The digest lists every open task the person has
 * reached a rung for (their own, and those escalated to them); the steps it carries are FIRED.
 * When every task was settled in the meantime, nothing is sent (EMPTY).
 */
export async function fireDigest(ds: DataSource, digestId: string, now: Date, settings: NotificationSettings): Promise<DigestOutcome> {
  return ds.transaction(async (em) => {
    const digest = await em
      .getRepository(ReminderDigest)
      .createQueryBuilder('d')
      .setLock('pessimistic_write')
      .where('d.id = :digestId', { digestId })
      .getOne();
    if (!digest) return 'MISSING';
    if (digest.status !== 'PLANNED') return 'ALREADY_DONE';
    if (digest.fireAt.getTime() > now.getTime() + EARLY_TOLERANCE_MS) return 'NOT_YET';
    // Steps of this person that fall due by now and would otherwise fire on their own ride along.
    await em.query(
      `UPDATE reminder_step SET status = 'DIGEST', digest_id = $1
        WHERE recipient_id = $2 AND status = 'PLANNED' AND fire_at <= $3
          AND ((task_id IS NOT NULL AND audience IN ('ASSESSOR', 'COORDINATORS')) OR mentorship_id IS NOT NULL)`,
      [digest.id, digest.recipientId, now],
    );
    const rows = (await em.query(
      `SELECT DISTINCT ON (t.task_id) t.task_id, t.instrument_title, t.due_at, t.assessor_id, d.name AS department_name,
              st.given_name AS s_given, st.family_name AS s_family, a.given_name AS a_given, a.family_name AS a_family,
              (t.assessor_id = $1) AS own
         FROM reminder_step s
         JOIN reminder_task t ON t.task_id = s.task_id
         LEFT JOIN known_department d ON d.id = t.department_id
         LEFT JOIN known_person st ON st.id = t.student_id
         LEFT JOIN known_person a ON a.id = t.assessor_id
        WHERE s.recipient_id = $1 AND t.status = 'OPEN' AND s.audience IN ('ASSESSOR', 'COORDINATORS')
          AND (s.digest_id = $2 OR (s.status IN ('FIRED', 'PLANNED') AND s.nominal_at <= $3))
        ORDER BY t.task_id`,
      [digest.recipientId, digest.id, now],
    )) as {
      task_id: string;
      instrument_title: string;
      due_at: Date;
      department_name: string | null;
      s_given: string | null;
      s_family: string | null;
      a_given: string | null;
      a_family: string | null;
      own: boolean;
    }[];
    const [{ timezone }] = (await em.query(
      `SELECT COALESCE((SELECT i.timezone FROM known_person p JOIN known_institution i ON i.id = p.institution_id WHERE p.id = $1), 'UTC') AS timezone`,
      [digest.recipientId],
    )) as [{ timezone: string }];
    const lines: DigestLine[] = rows.map((r) => ({
      instrumentTitle: r.instrument_title,
      studentName: displayName({ givenName: r.s_given, familyName: r.s_family }, 'a student'),
      departmentName: r.department_name,
      assessorName: r.own ? null : displayName({ givenName: r.a_given, familyName: r.a_family }, 'unknown'),
      dueAt: new Date(r.due_at),
      overdue: new Date(r.due_at).getTime() <= now.getTime(),
    }));
    // The steps it carries: fired with it when their task is still open, else cancelled.
    await em.query(
      `UPDATE reminder_step s SET status = CASE WHEN t.status = 'OPEN' THEN 'FIRED' ELSE 'CANCELLED' END,
              fired_at = CASE WHEN t.status = 'OPEN' THEN $2::timestamptz END,
              cancel_reason = CASE WHEN t.status = 'OPEN' THEN NULL ELSE t.status END
         FROM reminder_task t WHERE t.task_id = s.task_id AND s.digest_id = $1 AND s.status = 'DIGEST'`,
      [digest.id, now],
    );
    // Mentees without a meeting ride along too (mentor's and coordinators' rungs still due).
    const mentees = await digestMenteeLines(em, digest.id, now);
    if (!lines.length && !mentees.length) {
      await em.update(ReminderDigest, { id: digest.id }, { status: 'EMPTY', sentAt: now, taskCount: 0 });
      return 'EMPTY';
    }
    await deliver(
      em,
      digest.recipientId,
      `digest:${digest.localDay}`,
      (locale) => dailyDigest(lines, timezone, locale, mentees),
      null,
      now,
      settings,
    );
    await em.update(ReminderDigest, { id: digest.id }, { status: 'SENT', sentAt: now, taskCount: lines.length + mentees.length });
    return 'SENT';
  });
}
