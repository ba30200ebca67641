import { randomUUID } from 'node:crypto';
import { MentorshipChanged, MentorshipMeetingLogged, StaffRegistered, StudentRegistered, type PayloadOf } from '@medcollab/events';
import { type Actor } from '@medcollab/kit';
import { fireDigest } from '../src/data/digest';
import { fireStep } from '../src/data/fire';
import { notificationSettings } from '../src/settings';
import { buildWorld, codes, emit, type NotificationsHarness, ok, startNotifications, type World } from './support/harness';

/**
 * A mentee without a meeting for N weeks (the school's policy, 6 by default): the mentor is
 * reminded, the school's coordinators N + 2 weeks after; a logged meeting re-plans; a pause or
 * the end stops it. The same plan machinery as every reminder: plan rows, fire once, quiet
 * hours, the daily cap and the daily digest.
 */
let h: NotificationsHarness;
let w: World;
let mentor: { id: string; actor: Actor };
const settings = notificationSettings();

beforeAll(async () => {
  h = await startNotifications();
  w = await buildWorld(h);
  mentor = await person('STAFF', 'Marie', 'Curie');
});
afterAll(() => h.stop());

async function person(kind: 'STAFF' | 'STUDENT', givenName: string, familyName: string): Promise<{ id: string; actor: Actor }> {
  const id = randomUUID();
  if (kind === 'STAFF')
    await emit(h, StaffRegistered, id, {
      staffId: id,
      institutionId: w.school,
      departmentId: null,
      roles: ['MENTOR', 'TEACHER'],
      givenName,
      familyName,
      email: `${givenName.toLowerCase()}.${id.slice(0, 8)}@example.org`,
    });
  else
    await emit(h, StudentRegistered, id, {
      studentId: id,
      schoolId: w.school,
      email: `s-${id.slice(0, 8)}@example.edu`,
      cohortYear: 2023,
      priorClinicalYears: 0,
      givenName,
      familyName,
    });
  return { id, actor: { personId: id, institutionId: w.school, roles: kind === 'STAFF' ? ['MENTOR', 'TEACHER'] : ['STUDENT'] } };
}

const changed = (
  mentorshipId: string,
  menteeIds: string[],
  status: PayloadOf<typeof MentorshipChanged>['status'],
  at: Date,
  mentorId = mentor.id,
) => emit(h, MentorshipChanged, mentorshipId, { mentorshipId, mentorId, menteeIds, status }, at);
/** A logged meeting; by default logged the next afternoon, so it counts from 09:00 of its day (school time). */
const met = (
  mentorshipId: string,
  metOn: string,
  attendingMenteeIds: string[],
  mentorAttended = true,
  mentorId = mentor.id,
  loggedAt = new Date(Date.parse(`${metOn}T15:00:00Z`) + 86_400_000),
) => {
  const meetingId = randomUUID();
  return emit(
    h,
    MentorshipMeetingLogged,
    meetingId,
    { meetingId, mentorshipId, mentorId, schoolId: w.school, metOn, mentorAttended, attendingMenteeIds },
    loggedAt,
  );
};

interface StepRow {
  id: string;
  mentee_id: string;
  step_key: string;
  audience: string;
  recipient_id: string;
  nominal_at: Date;
  fire_at: Date;
  status: string;
  cancel_reason: string | null;
}
const stepsOf = (mentorshipId: string, status?: string): Promise<StepRow[]> =>
  h.dataSource.query(
    `SELECT id, mentee_id, step_key, audience, recipient_id, nominal_at, fire_at, status, cancel_reason FROM reminder_step
      WHERE mentorship_id = $1 AND ($2::text IS NULL OR status = $2) ORDER BY nominal_at, step_key, recipient_id`,
    [mentorshipId, status ?? null],
  );
const inboxOf = (personId: string) =>
  h.dataSource.query(
    `SELECT kind, title, body, subject_type, subject_id FROM notification WHERE recipient_id = $1 AND channel = 'IN_APP' ORDER BY created_at, id`,
    [personId],
  ) as Promise<{ kind: string; title: string; body: string; subject_type: string; subject_id: string }[]>;

// Tuesday 2 March 2027, 10:00 in Paris: six weeks later is Tuesday 13 April, eight weeks Tuesday 27 April.
const JOINED = new Date('2027-03-02T09:00:00Z');

describe('a mentee without a meeting', () => {
  it('reminds the mentor after 6 weeks and the coordinators 2 weeks later, naming the mentee and the mentor, once', async () => {
    const mentee = await person('STUDENT', 'Lina', 'Moreau');
    const mentorshipId = randomUUID();
    await changed(mentorshipId, [mentee.id], 'ACTIVE', JOINED);
    const planned = await stepsOf(mentorshipId, 'PLANNED');
    expect(planned.map((s) => [s.step_key, s.audience, s.recipient_id, s.nominal_at.toISOString()])).toEqual([
      ['MENTEE_WITHOUT_MEETING', 'MENTOR', mentor.id, '2027-04-13T09:00:00.000Z'],
      ['MENTEE_MEETING_ESCALATION', 'COORDINATORS', w.schoolCoordinator.id, '2027-04-27T09:00:00.000Z'],
    ]);
    expect(planned.every((s) => s.mentee_id === mentee.id)).toBe(true);

    const [toMentor, toCoordinator] = planned as [StepRow, StepRow];
    expect(await fireStep(h.dataSource, toMentor.id, new Date(toMentor.fire_at.getTime() - 60_000), settings)).toBe('NOT_YET');
    expect(await fireStep(h.dataSource, toMentor.id, toMentor.fire_at, settings)).toBe('FIRED');
    expect(await fireStep(h.dataSource, toMentor.id, toMentor.fire_at, settings)).toBe('ALREADY_DONE');
    expect(await inboxOf(mentor.id)).toEqual([
      {
        kind: 'MENTEE_WITHOUT_MEETING',
        title: 'Lina Moreau has not met you for 6 weeks',
        body: 'Your mentee Lina Moreau has had no meeting with you for 6 weeks (no meeting since they joined on 2027-03-02). Please arrange one and log it.',
        subject_type: 'Student',
        subject_id: mentee.id,
      },
    ]);
    // Email too (the mentor has an address and no preference against it).
    const [{ n }] = await h.dataSource.query(
      `SELECT count(*)::int AS n FROM notification WHERE recipient_id = $1 AND channel = 'EMAIL' AND kind = 'MENTEE_WITHOUT_MEETING'`,
      [mentor.id],
    );
    expect(n).toBe(1);

    expect(await fireStep(h.dataSource, toCoordinator.id, toCoordinator.fire_at, settings)).toBe('FIRED');
    const [escalation] = (await inboxOf(w.schoolCoordinator.id)).filter((m) => m.subject_id === mentee.id);
    expect(escalation).toMatchObject({
      kind: 'MENTEE_MEETING_ESCALATION',
      title: 'Lina Moreau has not met their mentor Marie Curie for 8 weeks',
    });
    // A redelivered MentorshipChanged re-plans nothing already told.
    await changed(mentorshipId, [mentee.id], 'ACTIVE', new Date('2027-04-28T09:00:00Z'));
    expect(await stepsOf(mentorshipId, 'PLANNED')).toEqual([]);
  });

  it('re-plans from a logged meeting the mentor attended; an older meeting or one without the mentor changes nothing', async () => {
    const [a, b] = [await person('STUDENT', 'Ana', 'Silva'), await person('STUDENT', 'Ben', 'Okafor')];
    const mentorshipId = randomUUID();
    await changed(mentorshipId, [a.id, b.id], 'ACTIVE', JOINED);
    const before = await stepsOf(mentorshipId, 'PLANNED');
    expect(before).toHaveLength(4);

    await met(mentorshipId, '2027-03-10', [a.id]);
    const after = await stepsOf(mentorshipId, 'PLANNED');
    // Ana met on Wednesday 10 March (counted from 09:00 Paris = 08:00 UTC): her rungs move 6 and 8 weeks on; Ben's stay.
    expect(after.filter((s) => s.mentee_id === a.id).map((s) => [s.step_key, s.nominal_at.toISOString()])).toEqual([
      ['MENTEE_WITHOUT_MEETING', '2027-04-21T08:00:00.000Z'],
      ['MENTEE_MEETING_ESCALATION', '2027-05-05T08:00:00.000Z'],
    ]);
    expect(after.filter((s) => s.mentee_id === b.id).map((s) => s.nominal_at.toISOString())).toEqual(
      before.filter((s) => s.mentee_id === b.id).map((s) => s.nominal_at.toISOString()),
    );
    expect((await stepsOf(mentorshipId, 'CANCELLED')).map((s) => s.cancel_reason)).toEqual(['MET', 'MET', 'MET', 'MET']);

    const plannedNow = (await stepsOf(mentorshipId, 'PLANNED')).map((s) => s.id);
    await met(mentorshipId, '2027-03-05', [a.id]); // logged late, older than the last one
    await met(mentorshipId, '2027-03-20', [b.id], false); // the mentees met without their mentor
    expect((await stepsOf(mentorshipId, 'PLANNED')).map((s) => s.id)).toEqual(plannedNow);

    // A step planned before the meeting (its old nominal time) that somehow still runs is cancelled, never sent.
    const stale = (await stepsOf(mentorshipId, 'CANCELLED')).find((s) => s.mentee_id === a.id && s.audience === 'MENTOR')!;
    await h.dataSource.query(
      `UPDATE reminder_step SET status = 'CANCELLED' WHERE mentorship_id = $1 AND mentee_id = $2 AND audience = 'MENTOR' AND status = 'PLANNED'`,
      [mentorshipId, a.id],
    );
    await h.dataSource.query(`UPDATE reminder_step SET status = 'PLANNED', cancel_reason = NULL WHERE id = $1`, [stale.id]);
    expect(await fireStep(h.dataSource, stale.id, stale.fire_at, settings)).toBe('CANCELLED');
    expect((await inboxOf(mentor.id)).filter((m) => m.subject_id === a.id)).toEqual([]);
  });

  it('counts a meeting logged on its own day from when it was logged; a later one that day moves it on, an earlier one not', async () => {
    const a = await person('STUDENT', 'Eva', 'Lindqvist');
    const mentorshipId = randomUUID();
    await changed(mentorshipId, [a.id], 'ACTIVE', JOINED);
    const mentorRung = async () =>
      (await stepsOf(mentorshipId, 'PLANNED')).filter((s) => s.audience === 'MENTOR').map((s) => s.nominal_at.toISOString());

    // Logged on Wednesday 10 March at 15:00 UTC (16:00 in Paris): six weeks from then, not from 09:00 that morning.
    await met(mentorshipId, '2027-03-10', [a.id], true, mentor.id, new Date('2027-03-10T15:00:00Z'));
    expect(await mentorRung()).toEqual(['2027-04-21T15:00:00.000Z']);
    // Another meeting the same day, logged later, moves it on; one logged earlier that day changes nothing.
    await met(mentorshipId, '2027-03-10', [a.id], true, mentor.id, new Date('2027-03-10T18:30:00Z'));
    expect(await mentorRung()).toEqual(['2027-04-21T18:30:00.000Z']);
    await met(mentorshipId, '2027-03-10', [a.id], true, mentor.id, new Date('2027-03-10T11:00:00Z'));
    expect(await mentorRung()).toEqual(['2027-04-21T18:30:00.000Z']);
    // A later day's meeting logged the day after counts from 09:00 of its day (Paris: 08:00 UTC).
    await met(mentorshipId, '2027-03-12', [a.id]);
    expect(await mentorRung()).toEqual(['2027-04-23T08:00:00.000Z']);
  });

  it('stops while paused or ended, starts again from the resumption, and forgets a mentee who left', async () => {
    const [a, b] = [await person('STUDENT', 'Chloe', 'Petit'), await person('STUDENT', 'Dan', 'Roy')];
    const mentorshipId = randomUUID();
    await changed(mentorshipId, [a.id, b.id], 'ACTIVE', JOINED);
    await changed(mentorshipId, [a.id, b.id], 'PAUSED', new Date('2027-03-09T09:00:00Z'));
    expect(await stepsOf(mentorshipId, 'PLANNED')).toEqual([]);
    expect(new Set((await stepsOf(mentorshipId, 'CANCELLED')).map((s) => s.cancel_reason))).toEqual(new Set(['PAUSED']));

    await changed(mentorshipId, [a.id], 'ACTIVE', new Date('2027-03-16T09:00:00Z')); // resumed without Dan
    const resumed = await stepsOf(mentorshipId, 'PLANNED');
    expect(resumed.map((s) => [s.mentee_id, s.step_key, s.nominal_at.toISOString()])).toEqual([
      [a.id, 'MENTEE_WITHOUT_MEETING', '2027-04-27T09:00:00.000Z'],
      [a.id, 'MENTEE_MEETING_ESCALATION', '2027-05-11T09:00:00.000Z'],
    ]);

    await changed(mentorshipId, [a.id], 'ENDED', new Date('2027-03-20T09:00:00Z'));
    expect(await stepsOf(mentorshipId, 'PLANNED')).toEqual([]);
    const [last] = resumed;
    expect(await fireStep(h.dataSource, last!.id, last!.fire_at, settings)).toBe('ALREADY_DONE');
  });

  it("follows the school's policy: its admins set the weeks (validated), and open mentorships are re-planned", async () => {
    const mentee = await person('STUDENT', 'Emma', 'Blanc');
    const mentorshipId = randomUUID();
    await changed(mentorshipId, [mentee.id], 'ACTIVE', JOINED);
    const SET = `mutation($input: SetReminderPolicyInput!) { setReminderPolicy(input: $input) { menteeMeetingGapWeeks menteeMeetingEscalationWeeks } }`;
    const steps = [{ key: 'AT_DUE', offsetHours: 0, audience: 'ASSESSOR' }];
    for (const bad of [0, 53])
      expect(codes(await h.call(w.admin.actor, SET, { input: { institutionId: w.school, steps, menteeMeetingGapWeeks: bad } }))).toEqual([
        'BAD_USER_INPUT',
      ]);
    expect(codes(await h.call(w.otherAdmin.actor, SET, { input: { institutionId: w.school, steps, menteeMeetingGapWeeks: 3 } }))).toEqual([
      'FORBIDDEN',
    ]);
    try {
      const input = { institutionId: w.school, steps, menteeMeetingGapWeeks: 3, menteeMeetingEscalationWeeks: 1 };
      expect(ok(await h.call(w.admin.actor, SET, { input })).setReminderPolicy).toEqual({
        menteeMeetingGapWeeks: 3,
        menteeMeetingEscalationWeeks: 1,
      });
      expect((await stepsOf(mentorshipId, 'PLANNED')).map((s) => [s.step_key, s.nominal_at.toISOString()])).toEqual([
        ['MENTEE_WITHOUT_MEETING', '2027-03-23T09:00:00.000Z'],
        ['MENTEE_MEETING_ESCALATION', '2027-03-30T09:00:00.000Z'],
      ]);
    } finally {
      await h.dataSource.query(`DELETE FROM reminder_policy WHERE institution_id = $1`, [w.school]);
    }
  });

  it("keeps the mentor's daily cap: rungs beyond it wait for the next allowed day", async () => {
    const mentees = [await person('STUDENT', 'Farah', 'Nasser'), await person('STUDENT', 'Gil', 'Costa')];
    const capped = await person('STAFF', 'Hanna', 'Weber');
    const mentorshipId = randomUUID();
    await changed(
      mentorshipId,
      mentees.map((m) => m.id),
      'ACTIVE',
      JOINED,
      capped.id,
    );
    await h.dataSource.query(
      `INSERT INTO reminder_policy (institution_id, steps, quiet_from_hour, quiet_until_hour, skip_weekends, per_task_daily_cap, per_person_daily_cap, updated_by, updated_at)
       VALUES ($1, '[{"key":"AT_DUE","offsetHours":0,"audience":"ASSESSOR"}]', 21, 7, true, 1, 1, $2, now())`,
      [w.school, w.admin.id],
    );
    try {
      const toMentor = (await stepsOf(mentorshipId, 'PLANNED')).filter((s) => s.recipient_id === capped.id);
      expect(toMentor).toHaveLength(2);
      expect(await fireStep(h.dataSource, toMentor[0]!.id, toMentor[0]!.fire_at, settings)).toBe('FIRED');
      expect(await fireStep(h.dataSource, toMentor[1]!.id, toMentor[1]!.fire_at, settings)).toBe('DEFERRED');
      const [moved] = (await stepsOf(mentorshipId, 'PLANNED')).filter((s) => s.id === toMentor[1]!.id);
      expect(moved!.fire_at.toISOString()).toBe('2027-04-14T09:00:00.000Z'); // a day later, an allowed time
    } finally {
      await h.dataSource.query(`DELETE FROM reminder_policy WHERE institution_id = $1`, [w.school]);
    }
  });

  it('folds into the daily digest of a mentor who reads digests, and leaves out a mentee who met since', async () => {
    const reader = await person('STAFF', 'Ines', 'Garcia');
    const SET = `mutation($input: NotificationPreferencesInput!) { setMyNotificationPreferences(input: $input) { digest } }`;
    ok(await h.call(reader.actor, SET, { input: { locale: 'EN', emailOffKinds: [], inAppOffKinds: [], digest: true } }));
    const [a, b] = [await person('STUDENT', 'Jade', 'Martin'), await person('STUDENT', 'Karl', 'Berg')];
    const mentorshipId = randomUUID();
    await changed(mentorshipId, [a.id, b.id], 'ACTIVE', JOINED, reader.id);
    const toReader = (await stepsOf(mentorshipId, 'PLANNED')).filter((s) => s.recipient_id === reader.id);
    for (const s of toReader) expect(await fireStep(h.dataSource, s.id, s.fire_at, settings)).toBe('DIGESTED');
    expect(await inboxOf(reader.id)).toEqual([]);
    const [digest] = (await h.dataSource.query(`SELECT id, fire_at FROM reminder_digest WHERE recipient_id = $1`, [reader.id])) as {
      id: string;
      fire_at: Date;
    }[];
    expect(digest!.fire_at.toISOString()).toBe('2027-04-14T06:00:00.000Z'); // 08:00 the next morning in Paris

    // Karl meets his mentor before the digest goes out: only Jade is listed.
    await met(mentorshipId, '2027-04-13', [b.id], true, reader.id);
    expect(await fireDigest(h.dataSource, digest!.id, digest!.fire_at, settings)).toBe('SENT');
    expect(await fireDigest(h.dataSource, digest!.id, digest!.fire_at, settings)).toBe('ALREADY_DONE');
    expect(await inboxOf(reader.id)).toEqual([
      expect.objectContaining({
        kind: 'DAILY_DIGEST',
        title: 'Your daily digest: 1 mentee without a meeting',
        body: '- Jade Martin has not met you for 6 weeks',
      }),
    ]);
    const statuses = (await stepsOf(mentorshipId)).filter((s) => s.recipient_id === reader.id).map((s) => [s.mentee_id, s.status]);
    expect(statuses).toEqual(
      expect.arrayContaining([
        [a.id, 'FIRED'],
        [b.id, 'CANCELLED'],
      ]),
    );
  });
});

describe('the migration of mentee reminders (1766100000000)', () => {
  it('is reversible with mentee steps in the plan, and comes back', async () => {
    const tables = async () =>
      (await h.dataSource.query(
        `SELECT to_regclass('reminder_mentorship')::text AS m, to_regclass('reminder_mentee')::text AS e`,
      )) as unknown[];
    const last = async () => Number(((await h.dataSource.query(`SELECT max(timestamp) AS t FROM migrations`)) as { t: string }[])[0]!.t);
    const [{ n }] = await h.dataSource.query(`SELECT count(*)::int AS n FROM reminder_step WHERE mentorship_id IS NOT NULL`);
    expect(n).toBeGreaterThan(0);
    while ((await last()) > 1766100000000) await h.dataSource.undoLastMigration();
    await h.dataSource.undoLastMigration();
    expect(await tables()).toEqual([{ m: null, e: null }]);
    await h.dataSource.runMigrations();
    expect(await tables()).toEqual([{ m: 'reminder_mentorship', e: 'reminder_mentee' }]);
  });
});
