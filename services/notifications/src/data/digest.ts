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
import { carryNotices } from './digest-notices';

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

/**
 * holdForDigest for many due steps at once (a burst in which some recipients read digests), in
 * three statements: each recipient's digest row for the slot is created if missing, the rows are
 * locked in id order, and the steps whose digest is still PLANNED wait for it (DIGEST). Returns the
 * ids held; a step whose digest of that day was already sent is left to holdForDigest (next day).
 */
export async function holdManyForDigest(
  em: EntityManager,
  steps: { id: string; recipientId: string; timeZone: string; policy: ReminderPolicy }[],
  now: Date,
): Promise<Set<string>> {
  if (!steps.length) return new Set();
  const slotted = steps.map((s) => {
    const slot = digestSlot(now, { timeZone: s.timeZone, ...s.policy });
    return { ...s, slot, day: localDay(slot, s.timeZone), key: `${s.recipientId}|${localDay(slot, s.timeZone)}` };
  });
  const days = [...new Map(slotted.map((s) => [s.key, s])).values()];
  await em.query(
    `INSERT INTO reminder_digest (id, recipient_id, local_day, fire_at, status)
     SELECT d.id, d.recipient_id, d.local_day, d.fire_at, 'PLANNED'
       FROM unnest($1::uuid[], $2::uuid[], $3::date[], $4::timestamptz[]) AS d(id, recipient_id, local_day, fire_at)
     ON CONFLICT (recipient_id, local_day) DO NOTHING`,
    [days.map(() => randomUUID()), days.map((d) => d.recipientId), days.map((d) => d.day), days.map((d) => d.slot)],
  );
  const digests = (await em.query(
    `SELECT d.id, d.recipient_id, d.local_day::text AS local_day, d.status
       FROM reminder_digest d JOIN unnest($1::uuid[], $2::date[]) AS k(recipient_id, local_day)
            ON d.recipient_id = k.recipient_id AND d.local_day = k.local_day
      ORDER BY d.id FOR UPDATE OF d`,
    [days.map((d) => d.recipientId), days.map((d) => d.day)],
  )) as { id: string; recipient_id: string; local_day: string; status: string }[];
  const planned = new Map(digests.filter((d) => d.status === 'PLANNED').map((d) => [`${d.recipient_id}|${d.local_day}`, d.id]));
  const held = slotted.filter((s) => planned.has(s.key));
  if (held.length)
    await em.query(
      `UPDATE reminder_step s SET status = 'DIGEST', digest_id = u.digest_id FROM unnest($1::uuid[], $2::uuid[]) AS u(id, digest_id)
        WHERE s.id = u.id`,
      [held.map((s) => s.id), held.map((s) => planned.get(s.key)!)],
    );
  return new Set(held.map((s) => s.id));
}

export type DigestOutcome = 'SENT' | 'EMPTY' | 'ALREADY_DONE' | 'NOT_YET' | 'MISSING';

/**
 * Sends one digest, in one transaction: the digest row is locked, so a redelivered or duplicated
 * job finds it SENT and does nothing; the message's dedupe key is the person's local day, so even
 * a second row could not send a second message. The digest lists every open task the person has
 * reached a rung for (their own, and those escalated to them), then the placement, window and swap
 * reminders it carries whose subject still waits; the steps it carries are FIRED (or CANCELLED).
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
        WHERE recipient_id = $2 AND status = 'PLANNED' AND audience <> 'QUALITY_OFFICE' AND fire_at <= $3`,
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
    // Placements starting, windows closing and swaps awaiting the reader, still waiting; and
    // mentees without a meeting (mentor's and coordinators' rungs still due).
    const notices = await carryNotices(em, digest.id, now);
    const mentees = await digestMenteeLines(em, digest.id, now);
    if (!lines.length && !notices.length && !mentees.length) {
      await em.update(ReminderDigest, { id: digest.id }, { status: 'EMPTY', sentAt: now, taskCount: 0 });
      return 'EMPTY';
    }
    await deliver(
      em,
      digest.recipientId,
      `digest:${digest.localDay}`,
      (locale) => dailyDigest(lines, timezone, locale, notices, mentees),
      null,
      now,
      settings,
    );
    await em.update(
      ReminderDigest,
      { id: digest.id },
      { status: 'SENT', sentAt: now, taskCount: lines.length + notices.length + mentees.length },
    );
    return 'SENT';
  });
}
