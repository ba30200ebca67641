import { randomBytes } from 'node:crypto';
import nodemailer from 'nodemailer';
import { randomUUID } from 'node:crypto';
import {
  AssessmentTaskAssigned,
  AssessmentTaskSubmitted,
  PlacementConfirmed,
  PreferenceWindowOpened,
  StudentRegistered,
  SwapRequestChanged,
  type PayloadOf,
} from '@medcollab/events';
import { createLogger, createMetricsRegistry } from '@medcollab/kit';
import { testServices } from '@medcollab/testing';
import { fireDigest } from '../src/data/digest';
import { fireStep } from '../src/data/fire';
import { DEFAULT_EMAIL_SETTINGS, sendPendingEmails } from '../src/email-sender';
import { reminderTask } from '../src/reminder-loop';
import { notificationSettings, type NotificationSettings } from '../src/settings';
import { buildWorld, emit, type NotificationsHarness, ok, startNotifications, taskFacts, waitFor, type World } from './support/harness';
import { type MailSink, startMailSink } from './support/smtp';

/**
 * The daily digest: a person who chose digests gets one morning message a day listing all their
 * due and overdue tasks, instead of a message per rung; once per person and local day, whatever
 * is redelivered, and however many workers fire the plan.
 */
let h: NotificationsHarness;
let w: World;
let sink: MailSink;
let settings: NotificationSettings;

beforeAll(async () => {
  [h, sink] = await Promise.all([startNotifications(), startMailSink()]);
  w = await buildWorld(h);
  settings = { ...notificationSettings(), smtpUrl: sink.url, inboxUrl: 'http://app.test/inbox' };
  const SET = `mutation($input: NotificationPreferencesInput!) { setMyNotificationPreferences(input: $input) { digest } }`;
  const input = { locale: 'EN', emailOffKinds: [], inAppOffKinds: [], digest: true };
  expect(ok(await h.call(w.assessor.actor, SET, { input })).setMyNotificationPreferences).toEqual({ digest: true });
});
afterAll(async () => {
  await Promise.all([h.stop(), sink.close()]);
});

const ASSIGNED = new Date('2026-12-01T09:00:00Z');

async function assign(title: string, dueAt: Date): Promise<string> {
  const facts = { ...taskFacts(w, dueAt), instrumentTitle: title };
  await emit(h, AssessmentTaskAssigned, facts.taskId, { ...facts, assignedAt: ASSIGNED.toISOString() }, ASSIGNED);
  return facts.taskId;
}
const step = async (taskId: string, stepKey: string) =>
  (
    (await h.dataSource.query(`SELECT id, fire_at, status FROM reminder_step WHERE task_id = $1 AND step_key = $2 AND recipient_id = $3`, [
      taskId,
      stepKey,
      w.assessor.id,
    ])) as { id: string; fire_at: Date; status: string }[]
  )[0]!;
const digestsOf = (personId: string) =>
  h.dataSource.query(
    `SELECT id, local_day::text AS local_day, fire_at, status, task_count FROM reminder_digest WHERE recipient_id = $1 ORDER BY local_day`,
    [personId],
  ) as Promise<{ id: string; local_day: string; fire_at: Date; status: string; task_count: number | null }[]>;
const inboxOf = (personId: string) =>
  h.dataSource.query(`SELECT kind, title, body FROM notification WHERE recipient_id = $1 AND channel = 'IN_APP' ORDER BY created_at, id`, [
    personId,
  ]) as Promise<{ kind: string; title: string; body: string }[]>;

describe('a person who reads digests', () => {
  // The assessor works in Shanghai. Two tasks due Wednesday 16 Dec (11:00 and 19:00 Shanghai), one due Monday 14 Dec 11:00.
  let dops: string;
  let miniCex: string;
  let caseAnalysis: string;

  beforeAll(async () => {
    dops = await assign('DOPS', new Date('2026-12-16T03:00:00Z'));
    miniCex = await assign('Mini-CEX', new Date('2026-12-16T11:00:00Z'));
    caseAnalysis = await assign('Case analysis', new Date('2026-12-14T03:00:00Z'));
  });

  it('gets no message per rung: the rungs wait for one digest at 08:00 local, unique per person and day', async () => {
    const a = await step(dops, 'BEFORE_DUE');
    const b = await step(miniCex, 'BEFORE_DUE');
    // Both fall on Monday 14 Dec 07:00 Shanghai (quiet hours and the weekend moved them there).
    expect(a.fire_at.toISOString()).toBe('2026-12-13T23:00:00.000Z');
    expect(await fireStep(h.dataSource, a.id, a.fire_at, settings)).toBe('DIGESTED');
    expect(await fireStep(h.dataSource, b.id, b.fire_at, settings)).toBe('DIGESTED');
    expect(await fireStep(h.dataSource, b.id, b.fire_at, settings)).toBe('ALREADY_DONE');
    expect(await inboxOf(w.assessor.id)).toEqual([]);
    const digests = await digestsOf(w.assessor.id);
    expect(digests).toHaveLength(1);
    expect(digests[0]).toMatchObject({ local_day: '2026-12-14', status: 'PLANNED' });
    expect(digests[0]!.fire_at.toISOString()).toBe('2026-12-14T00:00:00.000Z'); // 08:00 in Shanghai
    expect((await step(dops, 'BEFORE_DUE')).status).toBe('DIGEST');
  });

  it('the digest lists every due task with its names, takes along rungs already due, and is sent once however often its job runs', async () => {
    const [digest] = await digestsOf(w.assessor.id);
    expect(await fireDigest(h.dataSource, digest!.id, new Date(digest!.fire_at.getTime() - 60_000), settings)).toBe('NOT_YET');
    expect(await fireDigest(h.dataSource, digest!.id, digest!.fire_at, settings)).toBe('SENT');
    expect(await fireDigest(h.dataSource, digest!.id, digest!.fire_at, settings)).toBe('ALREADY_DONE');
    const inbox = await inboxOf(w.assessor.id);
    expect(inbox).toHaveLength(1);
    expect(inbox[0]!.kind).toBe('DAILY_DIGEST');
    expect(inbox[0]!.title).toBe('Your daily digest: 3 assessment tasks to complete');
    for (const title of ['DOPS', 'Mini-CEX', 'Case analysis'])
      expect(inbox[0]!.body).toContain(`${title} for Lina Martin (Cardiology), due`);
    // The case analysis's before-due rung (Friday) was still planned: it rode along instead of firing on its own.
    expect((await step(caseAnalysis, 'BEFORE_DUE')).status).toBe('FIRED');
    expect((await step(dops, 'BEFORE_DUE')).status).toBe('FIRED');
    expect(await digestsOf(w.assessor.id)).toMatchObject([{ status: 'SENT', task_count: 3 }]);
  });

  it('is emailed once, over SMTP, naming the tasks', async () => {
    const transport = nodemailer.createTransport(sink.url);
    try {
      const send = () =>
        sendPendingEmails(
          h.dataSource,
          transport,
          'MedCollab <no-reply@medcollab.test>',
          DEFAULT_EMAIL_SETTINGS,
          new Date('2030-01-01T00:00:00Z'),
        );
      expect(await send()).toBe(1);
      expect(await send()).toBe(0);
    } finally {
      transport.close();
    }
    const mails = sink.received.filter((m) => m.subject?.includes('daily digest'));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain('Case analysis for Lina Martin (Cardiology)');
    expect(mails[0]!.headerLines.some((l) => l.key === 'list-unsubscribe-post')).toBe(true);
  });

  it('next day: a new digest lists what is still open, overdue first; a submitted task is left out', async () => {
    const submitted = taskFacts(w, new Date('2026-12-16T03:00:00Z'), dops);
    const at = new Date('2026-12-14T02:00:00Z');
    await emit(h, AssessmentTaskSubmitted, dops, { ...submitted, instrumentTitle: 'DOPS', submittedAt: at.toISOString() }, at);
    const due = await step(caseAnalysis, 'AT_DUE'); // Monday 11:00 Shanghai: today's digest went out, so tomorrow's.
    expect(await fireStep(h.dataSource, due.id, due.fire_at, settings)).toBe('DIGESTED');
    const digests = await digestsOf(w.assessor.id);
    expect(digests.map((d) => d.local_day)).toEqual(['2026-12-14', '2026-12-15']);
    expect(await fireDigest(h.dataSource, digests[1]!.id, digests[1]!.fire_at, settings)).toBe('SENT');
    const latest = (await inboxOf(w.assessor.id)).at(-1)!;
    expect(latest.title).toBe('Your daily digest: 2 assessment tasks to complete (1 overdue)');
    expect(latest.body.split('\n')[0]).toMatch(/^- OVERDUE Case analysis for Lina Martin/);
    expect(latest.body).toContain('Mini-CEX for Lina Martin');
    expect(latest.body).not.toContain('DOPS');
  });

  it('a digest whose tasks were all settled meanwhile sends nothing', async () => {
    const lone = await assign('NOTSS', new Date('2026-12-23T03:00:00Z'));
    const before = await step(lone, 'BEFORE_DUE');
    expect(await fireStep(h.dataSource, before.id, before.fire_at, settings)).toBe('DIGESTED');
    for (const id of [lone, miniCex, caseAnalysis]) {
      const at = new Date(before.fire_at.getTime() + 60_000);
      await emit(
        h,
        AssessmentTaskSubmitted,
        id,
        { ...taskFacts(w, new Date('2026-12-23T03:00:00Z'), id), submittedAt: at.toISOString() },
        at,
      );
    }
    const digest = (await digestsOf(w.assessor.id)).at(-1)!;
    const messages = (await inboxOf(w.assessor.id)).length;
    expect(await fireDigest(h.dataSource, digest.id, digest.fire_at, settings)).toBe('EMPTY');
    expect(await inboxOf(w.assessor.id)).toHaveLength(messages);
    expect((await step(lone, 'BEFORE_DUE')).status).toBe('CANCELLED');
  });
});

describe('a student who reads digests: placements starting, windows closing and swaps awaiting them', () => {
  const subjectSteps = (column: 'placement_id' | 'preference_window_id' | 'swap_id', id: string) =>
    h.dataSource.query(`SELECT id, fire_at, status, cancel_reason FROM reminder_step WHERE ${column} = $1 AND recipient_id = $2`, [
      id,
      w.student.id,
    ]) as Promise<{ id: string; fire_at: Date; status: string; cancel_reason: string | null }[]>;
  const swap = (
    swapId: string,
    requester: string,
    status: 'AWAITING_PEER' | 'DECLINED',
    at: string,
  ): PayloadOf<typeof SwapRequestChanged> => ({
    swapId,
    schoolId: w.school,
    status,
    studentId: requester,
    placementId: randomUUID(),
    departmentId: w.department,
    startsOn: '2027-01-11',
    withStudentId: w.student.id,
    withPlacementId: randomUUID(),
    withDepartmentId: w.department,
    toDepartmentId: null,
    at,
  });
  const placementId = randomUUID();
  const windowId = randomUUID();
  const swapId = randomUUID();
  const declinedSwapId = randomUUID();
  const noe = randomUUID();

  beforeAll(async () => {
    const SET = `mutation($input: NotificationPreferencesInput!) { setMyNotificationPreferences(input: $input) { digest } }`;
    ok(await h.call(w.student.actor, SET, { input: { locale: 'EN', emailOffKinds: [], inAppOffKinds: [], digest: true } }));
    await emit(h, StudentRegistered, noe, {
      studentId: noe,
      schoolId: w.school,
      email: `noe-${noe.slice(0, 8)}@example.edu`,
      cohortYear: 2023,
      priorClinicalYears: 0,
      givenName: 'Noé',
      familyName: 'Garnier',
    });
    const placement: PayloadOf<typeof PlacementConfirmed> = {
      placementId,
      studentId: w.student.id,
      schoolId: w.school,
      hospitalId: w.hospital,
      departmentId: w.department,
      blockId: randomUUID(),
      blockName: 'Block 3',
      supervisorId: w.assessor.id,
      startsOn: '2026-12-17',
      endsOn: '2027-01-14',
      at: '2026-12-01T09:00:00.000Z',
      accessUntil: null,
    };
    await emit(h, PlacementConfirmed, placementId, placement, new Date(placement.at));
    const opened = {
      windowId,
      schoolId: w.school,
      academicYear: '2027-2028',
      opensAt: '2026-12-01T08:00:00.000Z',
      closesAt: '2026-12-18T16:00:00.000Z', // Friday 17:00 Paris
      at: '2026-12-01T08:00:00.000Z',
    };
    await emit(h, PreferenceWindowOpened, windowId, opened, new Date(opened.at));
    for (const id of [swapId, declinedSwapId]) {
      const asked = swap(id, noe, 'AWAITING_PEER', '2026-12-14T10:00:00.000Z');
      await emit(h, SwapRequestChanged, id, asked, new Date(asked.at));
    }
  });

  it('holds each of them for the next morning’s digest instead of sending it, and lists those still waiting by name', async () => {
    // Placement: Wed 16 Dec 09:00 Paris; window: Wed 17:00; swaps: Wed 11:00. All go to Thursday 08:00's digest.
    for (const [column, id] of [
      ['placement_id', placementId],
      ['preference_window_id', windowId],
      ['swap_id', swapId],
      ['swap_id', declinedSwapId],
    ] as const) {
      const [s] = await subjectSteps(column, id);
      expect(await fireStep(h.dataSource, s!.id, s!.fire_at, settings)).toBe('DIGESTED');
      expect((await subjectSteps(column, id))[0]!.status).toBe('DIGEST');
    }
    expect(await inboxOf(w.student.id)).toEqual([]);
    const digests = await digestsOf(w.student.id);
    expect(digests).toMatchObject([{ local_day: '2026-12-17', status: 'PLANNED' }]);
    expect(digests[0]!.fire_at.toISOString()).toBe('2026-12-17T07:00:00.000Z');

    // One swap is declined before the digest goes out: it is not listed, and its step is cancelled.
    const declined = swap(declinedSwapId, noe, 'DECLINED', '2026-12-16T12:00:00.000Z');
    await emit(h, SwapRequestChanged, declinedSwapId, declined, new Date(declined.at));

    expect(await fireDigest(h.dataSource, digests[0]!.id, digests[0]!.fire_at, settings)).toBe('SENT');
    expect(await fireDigest(h.dataSource, digests[0]!.id, digests[0]!.fire_at, settings)).toBe('ALREADY_DONE');
    const inbox = await inboxOf(w.student.id);
    expect(inbox).toHaveLength(1);
    expect(inbox[0]!.kind).toBe('DAILY_DIGEST');
    expect(inbox[0]!.title).toBe('Your daily digest: 3 reminders');
    expect(inbox[0]!.body.split('\n')).toEqual([
      '- PLACEMENT STARTING: Lina Martin in Cardiology at Shanghai General, Block 3 (2026-12-17 to 2027-01-14), supervisor Wei Zhang',
      '- PREFERENCES CLOSING: rank your 2027-2028 placements at Paris Medical School before 18 Dec 2026, 17:00',
      "- SWAP AWAITING YOUR ANSWER: Noé Garnier's Cardiology placement (from 2027-01-11) for Lina Martin's in Cardiology",
    ]);
    expect((await subjectSteps('placement_id', placementId))[0]!.status).toBe('FIRED');
    expect((await subjectSteps('preference_window_id', windowId))[0]!.status).toBe('FIRED');
    expect((await subjectSteps('swap_id', swapId))[0]!.status).toBe('FIRED');
    expect((await subjectSteps('swap_id', declinedSwapId))[0]).toMatchObject({ status: 'CANCELLED', cancel_reason: 'DECLINED' });
    expect(await digestsOf(w.student.id)).toMatchObject([{ status: 'SENT', task_count: 3 }]);
  });
});

describe('the firing loop sends a digest when it falls due', () => {
  it('two workers share the plan: the digest is sent exactly once, its lateness measured', async () => {
    const taskId = await assign('Mini-CEX', new Date(Date.now() + 30 * 86_400_000));
    const fireAt = new Date(Date.now() + 3_000);
    const [digest] = (await h.dataSource.query(
      `INSERT INTO reminder_digest (id, recipient_id, local_day, fire_at, status) VALUES (gen_random_uuid(), $1, '2030-01-01', $2, 'PLANNED') RETURNING id`,
      [w.departmentCoordinator.id, fireAt],
    )) as { id: string }[];
    await h.dataSource.query(
      `INSERT INTO reminder_step (id, task_id, step_key, audience, recipient_id, nominal_at, fire_at, status, digest_id, created_at)
       VALUES (gen_random_uuid(), $1, 'ESCALATION', 'COORDINATORS', $2, now(), now(), 'DIGEST', $3, now())`,
      [taskId, w.departmentCoordinator.id, digest!.id],
    );
    // Two workers' firing loops (as two replicas), each with its own /metrics registry; nothing in Redis.
    const registries = [createMetricsRegistry('notifications-worker'), createMetricsRegistry('notifications-worker')];
    const tasks = await Promise.all(
      registries.map((metrics) =>
        reminderTask({ pollIntervalMs: 200 }).start({
          dataSource: h.dataSource,
          redisUrl: testServices().redisUrl,
          prefix: `mctest-notif-digest-${randomBytes(4).toString('hex')}`,
          log: createLogger('digest-test', 'silent'),
          metrics,
        }),
      ),
    );
    try {
      await waitFor('the digest to be sent', async () => (await digestsOf(w.departmentCoordinator.id))[0]?.status === 'SENT');
      const sent = (await h.dataSource.query(
        `SELECT channel, title, body FROM notification WHERE recipient_id = $1 AND dedupe_key = 'digest:2030-01-01' ORDER BY channel`,
        [w.departmentCoordinator.id],
      )) as { channel: string; title: string; body: string }[];
      expect(sent.map((n) => n.channel)).toEqual(['EMAIL', 'IN_APP']);
      // A coordinator's digest names the assessor who is late.
      expect(sent[1]!.body).toContain('Mini-CEX for Lina Martin (Cardiology)');
      expect(sent[1]!.body).toContain('assessor Wei Zhang');
      // Its lateness (sent minus planned) is on the /metrics of the worker that sent it, labelled by kind only.
      const texts = await Promise.all(registries.map((r) => r.metrics()));
      const counts = texts.map((t) =>
        Number(/^medcollab_reminder_lateness_seconds_count\{service="notifications-worker",kind="digest"\} (\d+)$/m.exec(t)?.[1] ?? 0),
      );
      expect(counts.sort()).toEqual([0, 1]);
      for (const t of texts) expect(t).not.toContain(digest!.id);
    } finally {
      for (const task of tasks) await task.stop();
    }
  }, 240_000);
});
