import { randomUUID } from 'node:crypto';
import { type DataSource, type EntityManager, In } from 'typeorm';
import { renderEmail } from '../domain/email';
import { localDay } from '../domain/local-time';
import { displayName, type Locale, type Message, type NotificationKind, taskMessage } from '../domain/messages';
import { nextAllowed } from '../domain/quiet-hours';
import { unsubscribeToken } from '../domain/unsubscribe-token';
import { KnownDepartment, KnownPerson } from '../entities';
import { type NotificationSettings } from '../settings';
import { holdManyForDigest } from './digest';
import { fireStep, type FireOutcome } from './fire';
import { demoSettingFromEnv } from './plans';
import { policiesOf } from './policies';
import { publishTaskReminders } from './reminder-events';

/** A job that runs this much early (clock skew between hosts) still fires (as in fireStep). */
const EARLY_TOLERANCE_MS = 1_000;

interface StepRow {
  id: string;
  task_id: string | null;
  step_key: string;
  audience: string;
  recipient_id: string;
  fire_at: Date;
  status: string;
  plain: boolean;
  task_status: string | null;
  school_id: string;
  student_id: string;
  assessor_id: string;
  department_id: string | null;
  instrument_title: string;
  due_at: Date;
  time_zone: string;
  locale: Locale | null;
  email_off_kinds: string[] | null;
  in_app_off_kinds: string[] | null;
  digest: boolean | null;
  email: string | null;
}

/** A step with what firing it needs: its task, its recipient's zone, preference and address. */
const STEP_ROWS = `SELECT s.id, s.task_id, s.step_key, s.audience, s.recipient_id, s.fire_at, s.status,
              (s.placement_id IS NULL AND s.preference_window_id IS NULL AND s.swap_id IS NULL AND s.mentorship_id IS NULL) AS plain,
              t.status AS task_status, t.school_id, t.student_id, t.assessor_id, t.department_id, t.instrument_title, t.due_at,
              COALESCE(i.timezone, 'UTC') AS time_zone, pr.locale, pr.email_off_kinds, pr.in_app_off_kinds, pr.digest, p.email
         FROM reminder_step s
         LEFT JOIN reminder_task t ON t.task_id = s.task_id
         LEFT JOIN known_person p ON p.id = s.recipient_id
         LEFT JOIN known_institution i ON i.id = p.institution_id
         LEFT JOIN notification_preference pr ON pr.person_id = s.recipient_id`;

/**
 * Fires many due steps in ONE transaction with a constant number of statements: the common case
 * of a burst, reminders and escalations of open assessment tasks to people who take immediate
 * messages. Same rules as fireStep (the step rows are locked, in id order so batches cannot
 * deadlock; the daily cap is counted per recipient under the same advisory lock; messages, emails
 * and webhook deliveries are written with the steps marked FIRED, each once per dedupe key). Steps
 * this path does not cover (other subjects, settled tasks, the quality office's summary) are fired
 * one by one by fireStep after the batch commits; digest readers' steps join their digest in the
 * batch (holdManyForDigest). Returns one outcome per id.
 */
export async function fireSteps(
  ds: DataSource,
  stepIds: string[],
  now: Date,
  settings: NotificationSettings,
  demo: boolean = Boolean(demoSettingFromEnv()),
): Promise<FireOutcome[]> {
  const { outcome, single } = await fireLocked(
    ds,
    (em) => em.query(`${STEP_ROWS} WHERE s.id = ANY($1::uuid[]) ORDER BY s.id FOR UPDATE OF s`, [[...new Set(stepIds)]]),
    now,
    settings,
    demo,
  );
  // The rest, each in its own transaction, by the one-step path that knows every kind of step.
  for (const id of single) outcome.set(id, await fireStep(ds, id, now, settings));
  const seen = new Set<string>();
  return stepIds.map((id) => {
    // A step named twice (two jobs of one step) fires once; its second job finds it done.
    if (seen.has(id)) return 'ALREADY_DONE';
    seen.add(id);
    return outcome.get(id) ?? 'MISSING';
  });
}

/** What one claim of due steps did: the outcome of the steps it fired in its transaction, and the steps left to fireStep. */
export interface DueClaim {
  /** Every step claimed, with its planned time (lateness is measured from it). */
  claimed: { id: string; fireAt: Date }[];
  outcome: Map<string, FireOutcome>;
  /** Claimed steps of the kinds the batch does not cover: the caller fires each with fireStep. */
  single: string[];
}

/**
 * Claims up to `limit` planned steps due by `now`, earliest first, that no other transaction
 * holds (`FOR UPDATE SKIP LOCKED`: firing loops of several workers share a burst without waiting
 * on each other), and fires them as fireSteps does, in the claim's transaction: a crash before the
 * commit leaves them PLANNED for the next claim, a crash after leaves them FIRED. `skip` keeps out
 * steps the caller is already firing one by one or holds back after a failure.
 */
export async function fireDueSteps(
  ds: DataSource,
  now: Date,
  limit: number,
  skip: string[],
  settings: NotificationSettings,
  demo: boolean = Boolean(demoSettingFromEnv()),
): Promise<DueClaim> {
  let claimed: { id: string; fireAt: Date }[] = [];
  const { outcome, single } = await fireLocked(
    ds,
    async (em) => {
      const rows = (await em.query(
        `${STEP_ROWS} WHERE s.status = 'PLANNED' AND s.fire_at <= $1 AND NOT (s.id = ANY($3::uuid[]))
          ORDER BY s.fire_at LIMIT $2 FOR UPDATE OF s SKIP LOCKED`,
        [now, limit, skip],
      )) as StepRow[];
      claimed = rows.map((r) => ({ id: r.id, fireAt: new Date(r.fire_at) }));
      return rows;
    },
    now,
    settings,
    demo,
  );
  return { claimed, outcome, single };
}

const sentStep = (r: StepRow) => ({ id: r.id, taskId: r.task_id as string, audience: r.audience, stepKey: r.step_key });

async function fireLocked(
  ds: DataSource,
  lock: (em: EntityManager) => Promise<StepRow[]>,
  now: Date,
  settings: NotificationSettings,
  demo: boolean,
): Promise<{ outcome: Map<string, FireOutcome>; single: string[] }> {
  const outcome = new Map<string, FireOutcome>();
  const single: string[] = [];
  await ds.transaction(async (em) => {
    const rows = await lock(em);
    const candidates: StepRow[] = [];
    const readers: StepRow[] = [];
    for (const r of rows) {
      if (r.status !== 'PLANNED') outcome.set(r.id, 'ALREADY_DONE');
      else if (new Date(r.fire_at).getTime() > now.getTime() + EARLY_TOLERANCE_MS) outcome.set(r.id, 'NOT_YET');
      else if (!r.plain || !r.task_id || r.task_status !== 'OPEN' || r.audience === 'QUALITY_OFFICE') single.push(r.id);
      else if (r.digest) readers.push(r);
      else candidates.push(r);
    }
    if (!candidates.length && !readers.length) return;
    const policies = await policiesOf(em, [...new Set([...candidates, ...readers].map((r) => r.school_id))]);

    // People who read digests: their steps wait for their next digest (no daily cap needed), as in fireStep.
    if (readers.length) {
      const held = await holdManyForDigest(
        em,
        readers.map((r) => ({ id: r.id, recipientId: r.recipient_id, timeZone: r.time_zone, policy: policies.get(r.school_id)! })),
        now,
      );
      for (const r of readers)
        if (held.has(r.id)) outcome.set(r.id, 'DIGESTED');
        else single.push(r.id);
      await publishTaskReminders(em, readers.filter((r) => held.has(r.id)).map(sentStep), now);
    }
    if (!candidates.length) return;

    // The per-person daily cap (not in demo time, as in fireStep): counted per recipient's local day.
    let firing = candidates;
    if (!demo) {
      const recipients = [...new Map(candidates.map((r) => [r.recipient_id, r])).values()];
      await em.query(
        `SELECT pg_advisory_xact_lock(hashtext('notifications.daily-cap'), hashtext(r))
           FROM (SELECT r FROM unnest($1::text[]) AS r ORDER BY r) ordered`,
        [recipients.map((r) => r.recipient_id)],
      );
      const counts = (await em.query(
        `SELECT r.recipient_id, count(s.id)::int AS n
           FROM unnest($1::uuid[], $2::date[], $3::text[]) AS r(recipient_id, day, tz)
           LEFT JOIN reminder_step s ON s.recipient_id = r.recipient_id AND s.status = 'FIRED'
                AND s.fired_at >= (r.day::timestamp AT TIME ZONE r.tz) AND s.fired_at < ((r.day + 1)::timestamp AT TIME ZONE r.tz)
          GROUP BY r.recipient_id`,
        [recipients.map((r) => r.recipient_id), recipients.map((r) => localDay(now, r.time_zone)), recipients.map((r) => r.time_zone)],
      )) as { recipient_id: string; n: number }[];
      const sent = new Map(counts.map((c) => [c.recipient_id, c.n]));
      const deferred: { id: string; fireAt: Date }[] = [];
      firing = [];
      for (const r of [...candidates].sort(
        (a, b) => new Date(a.fire_at).getTime() - new Date(b.fire_at).getTime() || (a.id < b.id ? -1 : 1),
      )) {
        const policy = policies.get(r.school_id)!;
        const n = sent.get(r.recipient_id) ?? 0;
        if (n < policy.perPersonDailyCap) {
          sent.set(r.recipient_id, n + 1);
          firing.push(r);
        } else {
          deferred.push({ id: r.id, fireAt: nextAllowed(new Date(now.getTime() + 24 * 3_600_000), { timeZone: r.time_zone, ...policy }) });
          outcome.set(r.id, 'DEFERRED');
        }
      }
      if (deferred.length)
        await em.query(
          `UPDATE reminder_step s SET fire_at = u.fire_at FROM unnest($1::uuid[], $2::timestamptz[]) AS u(id, fire_at) WHERE s.id = u.id`,
          [deferred.map((d) => d.id), deferred.map((d) => d.fireAt)],
        );
    }
    if (!firing.length) return;

    // The names the messages speak of, for the whole batch at once.
    const peopleIds = [...new Set(firing.flatMap((r) => [r.student_id, r.assessor_id]))];
    const departmentIds = [...new Set(firing.map((r) => r.department_id).filter((d): d is string => Boolean(d)))];
    const people = new Map((await em.getRepository(KnownPerson).findBy({ id: In(peopleIds) })).map((p) => [p.id, p]));
    const departments = new Map(
      (departmentIds.length ? await em.getRepository(KnownDepartment).findBy({ id: In(departmentIds) }) : []).map((d) => [d.id, d]),
    );

    type Row = { recipientId: string; channel: 'IN_APP' | 'EMAIL'; dedupeKey: string; message: Message; taskId: string; step: StepRow };
    const notifications: Row[] = [];
    for (const r of firing) {
      const locale: Locale = r.locale ?? 'en';
      const message = taskMessage(
        {
          stepKey: r.step_key,
          instrumentTitle: r.instrument_title,
          studentName: displayName(people.get(r.student_id), 'a student'),
          assessorName: displayName(people.get(r.assessor_id), 'The assessor'),
          departmentName: (r.department_id && departments.get(r.department_id)?.name) || null,
          dueAt: new Date(r.due_at),
          timeZone: r.time_zone,
        },
        r.audience as 'ASSESSOR' | 'COORDINATORS',
        locale,
      );
      const base = { recipientId: r.recipient_id, dedupeKey: `step:${r.id}`, message, taskId: r.task_id!, step: r };
      if (!(r.in_app_off_kinds ?? []).includes(message.kind)) notifications.push({ ...base, channel: 'IN_APP' });
      if (!(r.email_off_kinds ?? []).includes(message.kind) && r.email) notifications.push({ ...base, channel: 'EMAIL' });
    }
    const inserted = notifications.length
      ? ((await em.query(
          `INSERT INTO notification (id, recipient_id, kind, channel, dedupe_key, title, body, subject_type, subject_id, created_at)
           SELECT n.id, n.recipient_id, n.kind, n.channel, n.dedupe_key, n.title, n.body, 'AssessmentTask', n.subject_id, $9
             FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::uuid[])
                  AS n(id, recipient_id, kind, channel, dedupe_key, title, body, subject_id)
           ON CONFLICT DO NOTHING RETURNING id, channel, dedupe_key, recipient_id`,
          [
            notifications.map(() => randomUUID()),
            notifications.map((n) => n.recipientId),
            notifications.map((n) => n.message.kind),
            notifications.map((n) => n.channel),
            notifications.map((n) => n.dedupeKey),
            notifications.map((n) => n.message.title),
            notifications.map((n) => n.message.body),
            notifications.map((n) => n.taskId),
            now,
          ],
        )) as { id: string; channel: string; dedupe_key: string; recipient_id: string }[])
      : [];

    // Emails for the email notifications that are new (a second firing could not get here, but the key says once).
    const emailOf = new Map(notifications.filter((n) => n.channel === 'EMAIL').map((n) => [`${n.dedupeKey}|${n.recipientId}`, n]));
    const emails = inserted
      .filter((i) => i.channel === 'EMAIL')
      .map((i) => {
        const n = emailOf.get(`${i.dedupe_key}|${i.recipient_id}`)!;
        const token = unsubscribeToken({ personId: n.recipientId, kind: n.message.kind as NotificationKind }, settings.secret);
        const unsubscribeUrl = `${settings.publicUrl}/unsubscribe?token=${encodeURIComponent(token)}`;
        return {
          id: i.id,
          to: n.step.email!,
          unsubscribeUrl,
          ...renderEmail(n.message, { inboxUrl: settings.inboxUrl, unsubscribeUrl }, n.step.locale ?? 'en'),
        };
      });
    if (emails.length)
      await em.query(
        `INSERT INTO email_delivery (notification_id, to_address, subject, text_body, html_body, unsubscribe_url, status, next_attempt_at)
         SELECT e.id, e.to_address, e.subject, e.text_body, e.html_body, e.unsubscribe_url, 'PENDING', $7
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
                AS e(id, to_address, subject, text_body, html_body, unsubscribe_url)`,
        [
          emails.map((e) => e.id),
          emails.map((e) => e.to),
          emails.map((e) => e.subject),
          emails.map((e) => e.text),
          emails.map((e) => e.html),
          emails.map((e) => e.unsubscribeUrl),
          now,
        ],
      );

    // Integrating systems of each school hear of each reminder and escalation, once per step (as enqueueWebhooks).
    const hooks = firing.map((r) => {
      const kind = r.audience === 'COORDINATORS' ? 'assessment_task.escalated' : 'assessment_task.reminder_fired';
      const data = {
        taskId: r.task_id,
        stepKey: r.step_key,
        recipientId: r.recipient_id,
        dueAt: new Date(r.due_at).toISOString(),
        firedAt: now.toISOString(),
      };
      return {
        school: r.school_id,
        kind,
        key: `step:${r.id}`,
        payload: JSON.stringify({ type: kind, timestamp: now.toISOString(), data }),
      };
    });
    await em.query(
      `INSERT INTO webhook_delivery (id, subscription_id, event_kind, dedupe_key, payload, status, next_attempt_at, created_at)
       SELECT gen_random_uuid(), s.id, h.kind, h.dedupe_key, h.payload::jsonb, 'PENDING', $5, $5
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS h(school, kind, dedupe_key, payload)
         JOIN webhook_subscription s ON s.institution_id = h.school AND s.status = 'ACTIVE' AND h.kind = ANY(s.event_kinds)
       ON CONFLICT (subscription_id, dedupe_key) DO NOTHING`,
      [hooks.map((x) => x.school), hooks.map((x) => x.kind), hooks.map((x) => x.key), hooks.map((x) => x.payload), now],
    );
    // Quality counts the reminders and escalations each completed task needed (as fireStep).
    await publishTaskReminders(em, firing.map(sentStep), now);
    await em.query(`UPDATE reminder_step SET status = 'FIRED', fired_at = $2 WHERE id = ANY($1::uuid[])`, [firing.map((r) => r.id), now]);
    for (const r of firing) outcome.set(r.id, 'FIRED');
  });
  return { outcome, single };
}
