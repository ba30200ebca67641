import { type EventEnvelope, type MentorshipChanged, type MentorshipMeetingLogged, type PayloadOf } from '@medcollab/events';
import { type EntityManager } from 'typeorm';
import { type MenteeDigestLine } from '../domain/digest';
import { localDay } from '../domain/local-time';
import { menteeWithoutMeetingMessage } from '../domain/mentee-messages';
import { MENTEE_STEP_KEY, meetingCountsFrom, planMenteeMeeting, weeksBetween, withoutMeetingSince } from '../domain/mentee-meeting-plan';
import { displayName } from '../domain/messages';
import { DEFAULT_POLICY } from '../domain/policy';
import { type Recipient } from '../domain/plan';
import { KnownPerson, ReminderMentee, ReminderMentorship, ReminderStep } from '../entities';
import { type NotificationSettings } from '../settings';
import { deferredByDailyCap } from './daily-cap';
import { deliver, preferenceOf } from './deliver';
import { holdForDigest } from './digest';
import { demoSettingFromEnv } from './plans';
import { policyOf } from './policies';
import { enqueueWebhooks } from './webhooks';

const FALLBACK_ZONE = 'UTC';

async function zoneOf(em: EntityManager, personId: string, fallbackInstitutionId: string | null): Promise<string> {
  const [row] = (await em.query(
    `SELECT COALESCE((SELECT i.timezone FROM known_person p JOIN known_institution i ON i.id = p.institution_id WHERE p.id = $1),
                     (SELECT timezone FROM known_institution WHERE id = $2), $3) AS timezone`,
    [personId, fallbackInstitutionId, FALLBACK_ZONE],
  )) as { timezone: string }[];
  return row!.timezone;
}

async function schoolZoneOf(em: EntityManager, schoolId: string | null): Promise<string> {
  if (!schoolId) return FALLBACK_ZONE;
  const [row] = (await em.query(`SELECT timezone FROM known_institution WHERE id = $1`, [schoolId])) as { timezone: string }[];
  return row?.timezone ?? FALLBACK_ZONE;
}

/** The school's policy; the defaults while the mentorship's school is not known yet. */
const policyFor = async (em: EntityManager, schoolId: string | null) => (schoolId ? policyOf(em, schoolId) : DEFAULT_POLICY);

/**
 * A mentorship's whole state (MentorshipChanged): its mentees become members (the others stop
 * being members), a mentee in it while ACTIVE keeps the instant they became so (`active_since`,
 * cleared by a pause or the end), and its reminders are re-planned. An event older than the one
 * applied changes nothing (the payload is the whole state, so the newest wins).
 */
export async function projectMentorshipChanged(em: EntityManager, e: EventEnvelope<PayloadOf<typeof MentorshipChanged>>): Promise<void> {
  const p = e.payload;
  const at = new Date(e.occurredAt);
  // The mentees' school: notifications knows students' schools from the network's registrations.
  const applied = (await em.query(
    `INSERT INTO reminder_mentorship (mentorship_id, mentor_id, school_id, status, updated_at)
     VALUES ($1, $2, (SELECT institution_id FROM known_person WHERE id = ANY($3::uuid[]) AND kind = 'STUDENT' ORDER BY id LIMIT 1), $4, $5)
     ON CONFLICT (mentorship_id) DO UPDATE SET mentor_id = EXCLUDED.mentor_id, status = EXCLUDED.status, updated_at = EXCLUDED.updated_at,
       school_id = COALESCE(reminder_mentorship.school_id, EXCLUDED.school_id)
       WHERE reminder_mentorship.updated_at IS NULL OR reminder_mentorship.updated_at <= EXCLUDED.updated_at
     RETURNING mentorship_id`,
    [p.mentorshipId, p.mentorId, p.menteeIds, p.status, at],
  )) as unknown[];
  if (!applied.length) return;
  await em.query(
    `UPDATE reminder_mentee SET member = false, active_since = NULL WHERE mentorship_id = $1 AND NOT (student_id = ANY($2::uuid[]))`,
    [p.mentorshipId, p.menteeIds],
  );
  await em.query(
    `INSERT INTO reminder_mentee (mentorship_id, student_id, member, active_since)
     SELECT $1, s.id, true, CASE WHEN $3 = 'ACTIVE' THEN $4::timestamptz END FROM unnest($2::uuid[]) AS s(id)
     ON CONFLICT (mentorship_id, student_id) DO UPDATE SET member = true,
       active_since = CASE WHEN $3 = 'ACTIVE' THEN COALESCE(reminder_mentee.active_since, $4::timestamptz) END`,
    [p.mentorshipId, p.menteeIds, p.status, at],
  );
  await replanMentorship(em, p.mentorshipId, p.status === 'ACTIVE' ? 'REPLANNED' : p.status, at);
}

/**
 * A logged meeting: each mentee who met the mentor (the mentor attended) has a new last meeting,
 * and the mentorship's reminders are re-planned from it. A meeting may arrive before the
 * mentorship's own event (different aggregates): its row and mentees are recorded all the same.
 * A meeting the mentor did not attend is not a meeting with the mentor, and a meeting older than
 * the last one changes nothing.
 */
export async function recordMeetingLogged(em: EntityManager, e: EventEnvelope<PayloadOf<typeof MentorshipMeetingLogged>>): Promise<void> {
  const p = e.payload;
  if (!p.mentorAttended || !p.attendingMenteeIds.length) return;
  await em.query(
    `INSERT INTO reminder_mentorship (mentorship_id, mentor_id, school_id) VALUES ($1, $2, $3)
     ON CONFLICT (mentorship_id) DO UPDATE SET school_id = EXCLUDED.school_id`,
    [p.mentorshipId, p.mentorId, p.schoolId],
  );
  // A meeting logged on its own day counts from when it was logged; a later meeting, or a later one the same day, moves it on.
  const loggedAt = new Date(e.occurredAt);
  const countsFrom = meetingCountsFrom(p.metOn, loggedAt, await schoolZoneOf(em, p.schoolId));
  const moved = (await em.query(
    `INSERT INTO reminder_mentee (mentorship_id, student_id, member, last_met_on, last_met_at)
     SELECT $1, s.id, false, $3::date, $4::timestamptz FROM unnest($2::uuid[]) AS s(id)
     ON CONFLICT (mentorship_id, student_id) DO UPDATE SET last_met_on = EXCLUDED.last_met_on, last_met_at = EXCLUDED.last_met_at
       WHERE reminder_mentee.last_met_on IS NULL OR reminder_mentee.last_met_on < EXCLUDED.last_met_on
          OR (reminder_mentee.last_met_on = EXCLUDED.last_met_on AND EXCLUDED.last_met_at IS NOT NULL
              AND (reminder_mentee.last_met_at IS NULL OR reminder_mentee.last_met_at < EXCLUDED.last_met_at))
     RETURNING student_id`,
    [p.mentorshipId, p.attendingMenteeIds, p.metOn, countsFrom],
  )) as unknown[];
  if (moved.length) await replanMentorship(em, p.mentorshipId, 'MET', new Date(e.occurredAt));
}

/** The mentor and the school's coordinators, each with their institution's time zone. */
async function recipientsOf(em: EntityManager, m: ReminderMentorship): Promise<{ mentor: Recipient; coordinators: Recipient[] }> {
  const rows = (await em.query(
    `SELECT p.id, COALESCE(i.timezone, $3) AS tz, (p.id = $1) AS mentor
       FROM known_person p LEFT JOIN known_institution i ON i.id = p.institution_id
      WHERE p.id = $1 OR ($2::uuid IS NOT NULL AND p.institution_id = $2 AND p.kind = 'STAFF' AND 'COORDINATOR' = ANY(p.roles))
      ORDER BY p.id`,
    [m.mentorId, m.schoolId, FALLBACK_ZONE],
  )) as { id: string; tz: string; mentor: boolean }[];
  const mentorRow = rows.find((r) => r.mentor);
  return {
    mentor: { personId: m.mentorId, timeZone: mentorRow?.tz ?? (await zoneOf(em, m.mentorId, m.schoolId)) },
    coordinators: rows.filter((r) => !r.mentor).map((r) => ({ personId: r.id, timeZone: r.tz })),
  };
}

/**
 * The steps a mentee's current stretch without a meeting calls for (none unless ACTIVE and a
 * member); in demo time (REMINDERS_DEMO_SECONDS_PER_DAY) its weeks are compressed like a task's days.
 */
async function currentPlan(em: EntityManager, m: ReminderMentorship, mentee: ReminderMentee, demo: number | null = demoSettingFromEnv()) {
  if (m.status !== 'ACTIVE' || !mentee.member || !mentee.activeSince) return [];
  const policy = await policyFor(em, m.schoolId);
  const schoolZone = await schoolZoneOf(em, m.schoolId);
  const { mentor, coordinators } = await recipientsOf(em, m);
  return planMenteeMeeting(
    { activeSince: mentee.activeSince, lastMetOn: mentee.lastMetOn, lastMetAt: mentee.lastMetAt },
    policy,
    mentor,
    coordinators,
    schoolZone,
    demo,
  );
}

/**
 * Cancels what is still planned for the mentorship and plans each current mentee's stretch
 * without a meeting anew (nothing when it is not ACTIVE). A rung already fired for the same
 * stretch (same nominal time) is not planned again: a re-plan never tells anyone twice.
 */
export async function replanMentorship(em: EntityManager, mentorshipId: string, reason: string, now: Date): Promise<void> {
  await em.query(`UPDATE reminder_step SET status = 'CANCELLED', cancel_reason = $2 WHERE mentorship_id = $1 AND status = 'PLANNED'`, [
    mentorshipId,
    reason,
  ]);
  const m = await em.getRepository(ReminderMentorship).findOneBy({ mentorshipId });
  if (!m || m.status !== 'ACTIVE') return;
  const mentees = await em.getRepository(ReminderMentee).find({ where: { mentorshipId, member: true }, order: { studentId: 'ASC' } });
  const fired = (await em.query(
    `SELECT mentee_id, step_key, recipient_id, nominal_at FROM reminder_step WHERE mentorship_id = $1 AND status IN ('FIRED', 'DIGEST')`,
    [mentorshipId],
  )) as { mentee_id: string; step_key: string; recipient_id: string; nominal_at: Date }[];
  const done = new Set(fired.map((f) => `${f.mentee_id}|${f.step_key}|${f.recipient_id}|${new Date(f.nominal_at).getTime()}`));
  for (const mentee of mentees) {
    const steps = (await currentPlan(em, m, mentee)).filter(
      (s) => !done.has(`${mentee.studentId}|${s.stepKey}|${s.recipientId}|${s.nominalAt.getTime()}`),
    );
    if (!steps.length) continue;
    await em.query(
      `INSERT INTO reminder_step (id, mentorship_id, mentee_id, step_key, audience, recipient_id, nominal_at, fire_at, status, created_at)
       SELECT gen_random_uuid(), $1, $2, step_key, audience, recipient_id, nominal_at, fire_at, 'PLANNED', $3
         FROM unnest($4::text[], $5::text[], $6::uuid[], $7::timestamptz[], $8::timestamptz[])
              AS s(step_key, audience, recipient_id, nominal_at, fire_at)`,
      [
        mentorshipId,
        mentee.studentId,
        now,
        steps.map((s) => s.stepKey),
        steps.map((s) => s.audience),
        steps.map((s) => s.recipientId),
        steps.map((s) => s.nominalAt),
        steps.map((s) => s.fireAt),
      ],
    );
  }
}

/** A changed policy re-plans every ACTIVE mentorship of the school (rungs already fired stay fired). */
export async function replanSchoolMentorships(em: EntityManager, schoolId: string, now: Date): Promise<number> {
  const rows = (await em.query(
    `SELECT mentorship_id FROM reminder_mentorship WHERE school_id = $1 AND status = 'ACTIVE' ORDER BY mentorship_id`,
    [schoolId],
  )) as { mentorship_id: string }[];
  for (const r of rows) await replanMentorship(em, r.mentorship_id, 'POLICY_CHANGED', now);
  return rows.length;
}

/** What a mentee step says, with names; null when the step is no longer due (see stillDue). */
export interface MenteeStepFacts {
  mentorship: ReminderMentorship;
  menteeName: string;
  mentorName: string;
  lastMetOn: string | null;
  since: string;
  weeks: number;
}

/**
 * Whether a mentee step is still due, and what it says: the mentorship is ACTIVE, the mentee a
 * member, and the current plan still has this rung at this nominal time (no meeting since).
 */
export async function menteeStepFacts(em: EntityManager, step: ReminderStep, now: Date): Promise<MenteeStepFacts | null> {
  const m = await em.getRepository(ReminderMentorship).findOneBy({ mentorshipId: step.mentorshipId as string });
  const mentee = m
    ? await em.getRepository(ReminderMentee).findOneBy({ mentorshipId: m.mentorshipId, studentId: step.menteeId as string })
    : null;
  if (!m || !mentee) return null;
  const plan = await currentPlan(em, m, mentee);
  const same = plan.find(
    (s) => s.stepKey === step.stepKey && s.recipientId === step.recipientId && s.nominalAt.getTime() === step.nominalAt.getTime(),
  );
  if (!same) return null;
  const people = await em.getRepository(KnownPerson).findBy([{ id: mentee.studentId }, { id: m.mentorId }]);
  const schoolZone = await schoolZoneOf(em, m.schoolId);
  const since = withoutMeetingSince(
    { activeSince: mentee.activeSince as Date, lastMetOn: mentee.lastMetOn, lastMetAt: mentee.lastMetAt },
    schoolZone,
  );
  return {
    mentorship: m,
    menteeName: displayName(
      people.find((p) => p.id === mentee.studentId),
      'a mentee',
    ),
    mentorName: displayName(
      people.find((p) => p.id === m.mentorId),
      'their mentor',
    ),
    lastMetOn: mentee.lastMetOn,
    since: localDay(mentee.activeSince as Date, schoolZone),
    weeks: weeksBetween(since, now > step.nominalAt ? now : step.nominalAt, demoSettingFromEnv()),
  };
}

/**
 * Fires one mentee step inside fireStep's transaction (the row is locked and PLANNED): cancelled
 * when no longer due (a meeting, a pause, the end, the mentee left), held for the recipient's
 * digest when they read digests, deferred by the daily cap, otherwise delivered once (dedupe key
 * = step id) to the inbox and by email, and announced to the school's webhooks.
 */
export async function fireMenteeStep(
  em: EntityManager,
  step: ReminderStep,
  now: Date,
  settings: NotificationSettings,
  demo: boolean,
): Promise<'FIRED' | 'CANCELLED' | 'DEFERRED' | 'DIGESTED'> {
  const facts = await menteeStepFacts(em, step, now);
  if (!facts) {
    await em.update(ReminderStep, { id: step.id }, { status: 'CANCELLED', cancelReason: 'NOT_DUE' });
    return 'CANCELLED';
  }
  const { mentorship } = facts;
  const policy = await policyFor(em, mentorship.schoolId);
  const timeZone = await zoneOf(em, step.recipientId, mentorship.schoolId);
  if ((await preferenceOf(em, step.recipientId)).digest) {
    await holdForDigest(em, step, policy, timeZone, now);
    return 'DIGESTED';
  }
  if (!demo && (await deferredByDailyCap(em, step, policy, timeZone, now))) return 'DEFERRED';
  const audience = step.stepKey === MENTEE_STEP_KEY ? 'MENTOR' : 'COORDINATORS';
  await deliver(
    em,
    step.recipientId,
    `step:${step.id}`,
    (locale) => menteeWithoutMeetingMessage(facts, audience, locale),
    { type: 'Student', id: step.menteeId as string },
    now,
    settings,
  );
  if (mentorship.schoolId)
    await enqueueWebhooks(
      em,
      mentorship.schoolId,
      'mentee_meeting.overdue',
      `step:${step.id}`,
      {
        mentorshipId: mentorship.mentorshipId,
        menteeId: step.menteeId,
        mentorId: mentorship.mentorId,
        stepKey: step.stepKey,
        recipientId: step.recipientId,
        lastMetOn: facts.lastMetOn,
        firedAt: now.toISOString(),
      },
      now,
    );
  await em.update(ReminderStep, { id: step.id }, { status: 'FIRED', firedAt: now });
  return 'FIRED';
}

/**
 * The mentee steps a daily digest carries: each still due becomes a line and is FIRED with the
 * digest; one no longer due (a meeting since, a pause) is CANCELLED and says nothing.
 */
export async function digestMenteeLines(em: EntityManager, digestId: string, now: Date): Promise<MenteeDigestLine[]> {
  const steps = await em
    .getRepository(ReminderStep)
    .createQueryBuilder('s')
    .setLock('pessimistic_write')
    .where(`s.digest_id = :digestId AND s.status = 'DIGEST' AND s.mentorship_id IS NOT NULL`, { digestId })
    .orderBy('s.nominal_at')
    .addOrderBy('s.id')
    .getMany();
  const lines: MenteeDigestLine[] = [];
  for (const step of steps) {
    const facts = await menteeStepFacts(em, step, now);
    if (!facts) {
      await em.update(ReminderStep, { id: step.id }, { status: 'CANCELLED', cancelReason: 'NOT_DUE' });
      continue;
    }
    lines.push({
      menteeName: facts.menteeName,
      mentorName: step.stepKey === MENTEE_STEP_KEY ? null : facts.mentorName,
      weeks: facts.weeks,
      lastMetOn: facts.lastMetOn,
    });
    await em.update(ReminderStep, { id: step.id }, { status: 'FIRED', firedAt: now });
  }
  return lines;
}
