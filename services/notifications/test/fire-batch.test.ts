import { randomUUID } from 'node:crypto';
import { StaffRegistered } from '@medcollab/events';
import { fireStep } from '../src/data/fire';
import { fireSteps } from '../src/data/fire-batch';
import { notificationSettings } from '../src/settings';
import { assignTask, buildWorld, emit, type NotificationsHarness, startNotifications, type World } from './support/harness';

/**
 * Due steps fired a batch per transaction (a burst): the same messages, emails and webhook
 * deliveries as one step at a time, the daily cap still counted per person, and a constant
 * number of statements however many steps the batch holds.
 */
let h: NotificationsHarness;
let w: World;
const settings = notificationSettings();

beforeAll(async () => {
  h = await startNotifications();
  w = await buildWorld(h);
  await h.dataSource.query(
    `INSERT INTO webhook_subscription (id, institution_id, url, event_kinds, secret, status, created_by, created_at)
     VALUES (gen_random_uuid(), $1, 'https://hooks.example.org/reminders', ARRAY['assessment_task.reminder_fired', 'assessment_task.escalated'],
             'whsec_test', 'ACTIVE', $2, now())`,
    [w.school, w.admin.id],
  );
});
afterAll(() => h.stop());

/** A registered assessor at the world's hospital department (with an email), for steps of their own. */
async function assessor(): Promise<string> {
  const id = randomUUID();
  await emit(h, StaffRegistered, id, {
    staffId: id,
    institutionId: w.hospital,
    departmentId: w.department,
    roles: ['CLINICAL_INSTRUCTOR'],
    givenName: 'Yan',
    familyName: `Chen ${id.slice(0, 4)}`,
    email: `yan.${id.slice(0, 8)}@example.org`,
  });
  return id;
}

const DUE = new Date(Date.now() + 90 * 86_400_000);

/** `n` due steps (a minute ago) of one open task, to the given recipients in turn (rungs OVERDUE_1…n, a school's own). */
async function dueSteps(recipients: string[], n: number, audience: 'ASSESSOR' | 'COORDINATORS' = 'ASSESSOR'): Promise<string[]> {
  const taskId = await assignTask(h, w, DUE, new Date());
  const rows = (await h.dataSource.query(
    `INSERT INTO reminder_step (id, task_id, step_key, audience, recipient_id, nominal_at, fire_at, status, created_at)
     SELECT gen_random_uuid(), $1, 'OVERDUE_' || i, $4, ($2::uuid[])[1 + (i - 1) % array_length($2::uuid[], 1)],
            now() - interval '1 minute' + i * interval '1 millisecond', now() - interval '1 minute' + i * interval '1 millisecond', 'PLANNED', now()
       FROM generate_series(1, $3) AS i ORDER BY i RETURNING id`,
    [taskId, recipients, n, audience],
  )) as { id: string }[];
  return rows.map((r) => r.id);
}

/** What a step left behind, without ids: its messages, emails and webhook deliveries. */
async function traces(stepId: string): Promise<Record<string, unknown>> {
  const key = `step:${stepId}`;
  const notifications = (await h.dataSource.query(
    `SELECT channel, kind, title, body, subject_type, subject_id FROM notification WHERE dedupe_key = $1 ORDER BY channel`,
    [key],
  )) as unknown[];
  const emails = (await h.dataSource.query(
    `SELECT e.to_address, e.subject, e.text_body FROM email_delivery e JOIN notification n ON n.id = e.notification_id WHERE n.dedupe_key = $1`,
    [key],
  )) as unknown[];
  const hooks = (await h.dataSource.query(
    `SELECT event_kind, payload->'data'->>'stepKey' AS step_key FROM webhook_delivery WHERE dedupe_key = $1`,
    [key],
  )) as unknown[];
  // What quality hears of it (AssessmentReminderSent, ADR 0031): which kind of nudge, once.
  const reminders = (await h.dataSource.query(
    `SELECT payload->>'kind' AS kind, payload->>'stepKey' AS step_key FROM outbox WHERE event_type = 'AssessmentReminderSent' AND aggregate_id = $1`,
    [stepId],
  )) as unknown[];
  const [step] = (await h.dataSource.query(`SELECT status FROM reminder_step WHERE id = $1`, [stepId])) as { status: string }[];
  return { status: step?.status, notifications, emails, hooks, reminders };
}

describe('fireSteps', () => {
  it('leaves the same messages, emails and webhook deliveries as firing each step alone', async () => {
    const people = [await assessor(), await assessor()];
    const now = new Date();
    const [alone] = await dueSteps([people[0]!], 1, 'COORDINATORS');
    const batch = await dueSteps(people, 2, 'COORDINATORS');
    expect(await fireStep(h.dataSource, alone!, now, settings)).toBe('FIRED');
    expect(await fireSteps(h.dataSource, batch, now, settings, false)).toEqual(['FIRED', 'FIRED']);
    const reference = await traces(alone!);
    expect((reference.notifications as unknown[]).length).toBe(2);
    expect((reference.emails as unknown[]).length).toBe(1);
    expect(reference.hooks).toEqual([{ event_kind: 'assessment_task.escalated', step_key: 'OVERDUE_1' }]);
    expect(reference.reminders).toEqual([{ kind: 'ESCALATION', step_key: 'OVERDUE_1' }]);
    const first = await traces(batch[0]!);
    // Same recipient, same kind of step: identical traces except the task named in the subject.
    const withoutSubject = (t: Record<string, unknown>) => ({
      ...t,
      notifications: (t.notifications as { subject_id: string }[]).map(({ subject_id: _s, ...n }) => n),
    });
    expect(withoutSubject(first)).toEqual(withoutSubject(reference));
    expect((await traces(batch[1]!)).status).toBe('FIRED');

    // Fired again (a redelivered job, a second batch): nothing more is written.
    expect(await fireSteps(h.dataSource, [...batch, batch[0]!], now, settings, false)).toEqual([
      'ALREADY_DONE',
      'ALREADY_DONE',
      'ALREADY_DONE',
    ]);
    expect(await traces(batch[0]!)).toEqual(first);
  });

  it('keeps the per-person daily cap: the steps past it move to the next allowed day', async () => {
    const person = await assessor();
    const steps = await dueSteps([person], 13);
    const outcomes = await fireSteps(h.dataSource, steps, new Date(), settings, false);
    // The default policy allows 10 reminders a person a day; the earliest ten fire.
    expect(outcomes).toEqual([...Array<string>(10).fill('FIRED'), 'DEFERRED', 'DEFERRED', 'DEFERRED']);
    const later = (await h.dataSource.query(`SELECT fire_at FROM reminder_step WHERE id = ANY($1::uuid[]) AND status = 'PLANNED'`, [
      steps,
    ])) as { fire_at: Date }[];
    expect(later).toHaveLength(3);
    for (const l of later) expect(l.fire_at.getTime()).toBeGreaterThan(Date.now() + 3_600_000);
  });

  it('hands the steps it does not cover (a quality summary, another subject) to the one-step path', async () => {
    const person = await assessor();
    const [plain] = await dueSteps([person], 1);
    const [quality] = await dueSteps([w.quality.id], 1);
    await h.dataSource.query(`UPDATE reminder_step SET audience = 'QUALITY_OFFICE', step_key = 'QUALITY_1' WHERE id = $1`, [quality]);
    expect(await fireSteps(h.dataSource, [plain!, quality!, randomUUID()], new Date(), settings, false)).toEqual([
      'FIRED',
      'FIRED',
      'MISSING',
    ]);
    const [summary] = (await h.dataSource.query(`SELECT kind FROM notification WHERE recipient_id = $1 AND dedupe_key LIKE 'weekly:%'`, [
      w.quality.id,
    ])) as { kind: string }[];
    expect(summary).toBeDefined();
  });

  it("holds digest readers' steps for their next digest in the batch, as the one-step path does", async () => {
    const [one, two, twin, plainPerson] = await Promise.all(Array.from({ length: 4 }, assessor));
    for (const reader of [one!, two!, twin!])
      await h.dataSource.query(`INSERT INTO notification_preference (person_id, digest, updated_at) VALUES ($1, true, now())`, [reader]);
    const steps = await dueSteps([one!, one!, two!, plainPerson!], 4);
    expect(await fireSteps(h.dataSource, steps, new Date(), settings, false)).toEqual(['DIGESTED', 'DIGESTED', 'DIGESTED', 'FIRED']);
    const [alone] = await dueSteps([twin!], 1);
    expect(await fireStep(h.dataSource, alone!, new Date(), settings)).toBe('DIGESTED');

    const digestsOf = async (person: string) =>
      (await h.dataSource.query(
        `SELECT d.id, d.local_day::text AS day, d.fire_at, d.status, array_agg(s.id ORDER BY s.id) AS steps
           FROM reminder_digest d JOIN reminder_step s ON s.digest_id = d.id AND s.status = 'DIGEST'
          WHERE d.recipient_id = $1 GROUP BY d.id ORDER BY d.local_day`,
        [person],
      )) as { id: string; day: string; fire_at: Date; status: string; steps: string[] }[];
    // One digest per person and day, carrying both of the first reader's steps; the same slot as the one-step path gives.
    const [ofOne] = await digestsOf(one!);
    const [ofTwin] = await digestsOf(twin!);
    expect(ofOne!.steps).toEqual([steps[0]!, steps[1]!].sort());
    expect((await digestsOf(two!)).map((d) => d.steps)).toEqual([[steps[2]!]]);
    expect({ day: ofOne!.day, fireAt: ofOne!.fire_at, status: ofOne!.status }).toEqual({
      day: ofTwin!.day,
      fireAt: ofTwin!.fire_at,
      status: 'PLANNED',
    });
    // Nothing was sent for them now; the other person's step fired.
    expect((await traces(steps[0]!)).notifications).toEqual([]);
    // Quality still hears that the task needed the reminder (held for a digest, it goes out), once per step, both paths.
    expect((await traces(steps[0]!)).reminders).toEqual([{ kind: 'REMINDER', step_key: 'OVERDUE_1' }]);
    expect((await traces(alone!)).reminders).toEqual([{ kind: 'REMINDER', step_key: 'OVERDUE_1' }]);
    expect((await traces(steps[3]!)).reminders).toEqual([{ kind: 'REMINDER', step_key: 'OVERDUE_4' }]);
    expect((await traces(steps[3]!)).status).toBe('FIRED');

    // That day's digest already went out: a new step of the reader waits for the next one (the one-step path finds it).
    await h.dataSource.query(`UPDATE reminder_digest SET status = 'SENT' WHERE id = $1`, [ofOne!.id]);
    const [later] = await dueSteps([one!], 1);
    expect(await fireSteps(h.dataSource, [later!], new Date(), settings, false)).toEqual(['DIGESTED']);
    const next = (await digestsOf(one!)).filter((d) => d.id !== ofOne!.id);
    expect(next.map((d) => ({ later: d.day > ofOne!.day, status: d.status, steps: d.steps }))).toEqual([
      { later: true, status: 'PLANNED', steps: [later!] },
    ]);
  });

  it("holds digest readers' steps in the same number of statements for 3 as for 12", async () => {
    const readers = await Promise.all(Array.from({ length: 6 }, assessor));
    for (const reader of readers)
      await h.dataSource.query(`INSERT INTO notification_preference (person_id, digest, updated_at) VALUES ($1, true, now())`, [reader]);
    const small = await dueSteps(readers.slice(0, 3), 3);
    const large = await dueSteps(readers.slice(3), 12);
    h.counter.reset();
    expect(new Set(await fireSteps(h.dataSource, small, new Date(), settings, false))).toEqual(new Set(['DIGESTED']));
    const cost = h.counter.count;
    h.counter.reset();
    expect(new Set(await fireSteps(h.dataSource, large, new Date(), settings, false))).toEqual(new Set(['DIGESTED']));
    expect(h.counter.count).toBe(cost);
  });

  it('costs the same number of statements for 3 steps as for 30 (one step alone cost about 14 before)', async () => {
    const people = await Promise.all(Array.from({ length: 6 }, assessor));
    // Ten each at most: the default daily cap is not what this test is about.
    const small = await dueSteps(people.slice(0, 3), 3);
    const large = await dueSteps(people.slice(3), 30);
    h.counter.reset();
    expect(new Set(await fireSteps(h.dataSource, small, new Date(), settings, false))).toEqual(new Set(['FIRED']));
    const cost = h.counter.count;
    h.counter.reset();
    expect(new Set(await fireSteps(h.dataSource, large, new Date(), settings, false))).toEqual(new Set(['FIRED']));
    expect(h.counter.count).toBe(cost);
    expect(cost).toBeLessThanOrEqual(12);
  });
});
