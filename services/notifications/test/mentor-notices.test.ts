import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import nodemailer from 'nodemailer';
import { type AuditRecorded, MentorNoticeRaised, StaffRegistered, type PayloadOf } from '@medcollab/events';
import { type Actor, signActorHeaders } from '@medcollab/kit';
import { TEST_SECRET } from '@medcollab/testing';
import { DEFAULT_EMAIL_SETTINGS, sendPendingEmails } from '../src/email-sender';
import { notificationSettings } from '../src/settings';
import { DEFAULT_WEBHOOK_SETTINGS, sendPendingWebhooks } from '../src/webhook-sender';
import { buildWorld, emit, type NotificationsHarness, ok, startNotifications, type World } from './support/harness';
import { startMailSink } from './support/smtp';

/**
 * Mentor notices live in the one inbox: mentorship raises them (MentorNoticeRaised), notifications
 * names the mentee, department and hospital from its own directory and delivers them to the inbox,
 * by email as the mentor's preferences say, and to the school's webhooks, once per notice key.
 * Nobody reads another person's notifications.
 */
let h: NotificationsHarness;
let w: World;
let mentor: { id: string; actor: Actor };

beforeAll(async () => {
  h = await startNotifications();
  w = await buildWorld(h);
  const id = randomUUID();
  await emit(h, StaffRegistered, id, {
    staffId: id,
    institutionId: w.school,
    departmentId: null,
    roles: ['MENTOR'],
    givenName: 'Marie',
    familyName: 'Curie',
    email: `marie.${id.slice(0, 8)}@example.org`,
  });
  mentor = { id, actor: { personId: id, institutionId: w.school, roles: ['MENTOR'] } };
});
afterAll(() => h.stop());

type Notice = PayloadOf<typeof MentorNoticeRaised>;
const base = (over: Partial<Notice>): Notice => ({
  noticeId: randomUUID(),
  kind: 'PLACEMENT_STARTED',
  noticeKey: `placement:${randomUUID()}`,
  mentorId: mentor.id,
  mentorshipId: randomUUID(),
  studentId: w.student.id,
  schoolId: w.school,
  placementId: null,
  hospitalId: null,
  departmentId: null,
  startsOn: null,
  endsOn: null,
  submissionId: null,
  submissionVersion: null,
  taskId: null,
  instrumentKind: null,
  competencyIds: [],
  raisedAt: new Date().toISOString(),
  ...over,
});
const raise = (n: Notice) => emit(h, MentorNoticeRaised, n.noticeId, n);
const placementNotice = (placementId = randomUUID()) =>
  base({
    noticeKey: `placement:${placementId}`,
    placementId,
    hospitalId: w.hospital,
    departmentId: w.department,
    startsOn: '2026-09-07',
    endsOn: '2026-10-30',
  });

const INBOX = `{ myNotifications(first: 50) { edges { node { id kind title body student { id } assessmentTask { id } readAt } } } myUnreadNotificationCount }`;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const inbox = async (actor: Actor): Promise<{ nodes: any[]; unread: number }> => {
  const data = ok(await h.call(actor, INBOX));
  return { nodes: data.myNotifications.edges.map((e: { node: unknown }) => e.node), unread: data.myUnreadNotificationCount };
};
const channelsOf = async (personId: string, kind: string) =>
  (
    (await h.dataSource.query(`SELECT channel FROM notification WHERE recipient_id = $1 AND kind = $2 ORDER BY channel`, [
      personId,
      kind,
    ])) as { channel: string }[]
  ).map((r) => r.channel);

describe('mentor notices in the notifications inbox', () => {
  it("tells the mentor that a mentee's placement started, with names, once per placement", async () => {
    const notice = placementNotice();
    await raise(notice);
    await raise({ ...notice, noticeId: randomUUID() }); // PlacementStarted seen again by mentorship: same key
    const { nodes } = await inbox(mentor.actor);
    expect(nodes.filter((n) => n.kind === 'MENTEE_PLACEMENT_STARTED')).toEqual([
      {
        id: expect.any(String),
        kind: 'MENTEE_PLACEMENT_STARTED',
        title: 'Your mentee Lina Martin started in Cardiology, Shanghai General',
        body: 'Lina Martin started a placement in Cardiology at Shanghai General on 2026-09-07 (until 2026-10-30).',
        student: { id: w.student.id },
        assessmentTask: null,
        readAt: null,
      },
    ]);
    expect(await channelsOf(mentor.id, 'MENTEE_PLACEMENT_STARTED')).toEqual(['EMAIL', 'IN_APP']);
  });

  it('tells the mentor once per submission below the expected level, whatever its amendments', async () => {
    const submissionId = randomUUID();
    const below = base({
      kind: 'SUMMATIVE_BELOW_EXPECTED',
      noticeKey: `submission:${submissionId}`,
      submissionId,
      submissionVersion: 1,
      taskId: randomUUID(),
      instrumentKind: 'MINI_CEX',
      competencyIds: [randomUUID(), randomUUID()],
    });
    await raise(below);
    await raise({ ...below, noticeId: randomUUID(), submissionVersion: 2, competencyIds: [randomUUID()] });
    const told = (await inbox(mentor.actor)).nodes.filter((n) => n.kind === 'MENTEE_BELOW_EXPECTED');
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({
      title: "Your mentee Lina Martin's summative Mini-CEX came back below the expected level",
      body: "Lina Martin's summative Mini-CEX rated 2 competencies below the expected level (in the lower half of the scale).",
      student: { id: w.student.id },
    });
  });

  it("follows the mentor's preferences per kind (no email, no inbox entry) and tells the school's webhooks", async () => {
    const SET = `mutation($input: NotificationPreferencesInput!) { setMyNotificationPreferences(input: $input) { emailOffKinds } }`;
    await h.dataSource.query(
      `INSERT INTO webhook_subscription (id, institution_id, url, event_kinds, secret, status, created_by, created_at)
       VALUES (gen_random_uuid(), $1, 'https://hooks.example.org/mentoring', ARRAY['mentor_notice.raised'], 'whsec_test', 'ACTIVE', $2, now())`,
      [w.school, w.admin.id],
    );
    ok(
      await h.call(mentor.actor, SET, {
        input: { locale: 'EN', emailOffKinds: ['MENTEE_PLACEMENT_STARTED'], inAppOffKinds: ['MENTEE_BELOW_EXPECTED'], digest: false },
      }),
    );
    try {
      const notice = placementNotice();
      await raise(notice);
      const submissionId = randomUUID();
      await raise(
        base({ kind: 'SUMMATIVE_BELOW_EXPECTED', noticeKey: `submission:${submissionId}`, submissionId, competencyIds: [randomUUID()] }),
      );
      const rows = (await h.dataSource.query(
        `SELECT kind, channel FROM notification WHERE recipient_id = $1 AND dedupe_key IN ($2, $3) ORDER BY kind, channel`,
        [mentor.id, `mentor-notice:${notice.noticeKey}`, `mentor-notice:submission:${submissionId}`],
      )) as { kind: string; channel: string }[];
      expect(rows).toEqual([
        { kind: 'MENTEE_BELOW_EXPECTED', channel: 'EMAIL' },
        { kind: 'MENTEE_PLACEMENT_STARTED', channel: 'IN_APP' },
      ]);
      const hooks = (await h.dataSource.query(
        `SELECT d.event_kind, d.payload FROM webhook_delivery d JOIN webhook_subscription s ON s.id = d.subscription_id
          WHERE s.institution_id = $1 AND d.dedupe_key = $2`,
        [w.school, `mentor-notice:${notice.noticeKey}:${mentor.id}`],
      )) as { event_kind: string; payload: { type: string; data: Record<string, unknown> } }[];
      expect(hooks).toEqual([
        {
          event_kind: 'mentor_notice.raised',
          payload: expect.objectContaining({
            type: 'mentor_notice.raised',
            data: expect.objectContaining({ kind: 'PLACEMENT_STARTED', studentId: w.student.id, placementId: notice.placementId }),
          }),
        },
      ]);
    } finally {
      await h.dataSource.query(`DELETE FROM notification_preference WHERE person_id = $1`, [mentor.id]);
    }
  });

  it("is read by the mentor alone: another institution's staff and the student see none of it and cannot mark it read", async () => {
    await raise(placementNotice());
    const mine = await inbox(mentor.actor);
    expect(mine.nodes.length).toBeGreaterThan(0);
    expect(mine.unread).toBe(mine.nodes.length);
    const ids = mine.nodes.map((n) => n.id as string);
    const MARK = `mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) }`;
    const outsiders = [
      w.otherAdmin.actor,
      w.student.actor,
      { personId: randomUUID(), institutionId: w.otherSchool, roles: ['MENTOR'] } as Actor,
    ];
    for (const actor of outsiders) {
      const theirs = await inbox(actor);
      expect(theirs.nodes.filter((n) => ids.includes(n.id))).toEqual([]);
      expect(theirs.nodes.filter((n) => n.kind.startsWith('MENTEE_'))).toEqual([]);
      expect(ok(await h.call(actor, MARK, { ids })).markNotificationsRead).toBe(0);
    }
    expect((await inbox(mentor.actor)).unread).toBe(mine.nodes.length);
    expect(ok(await h.call(mentor.actor, MARK, { ids: ids.slice(0, 1) })).markNotificationsRead).toBe(1);
  });

  it('reads a page of notices with their students in four statements, however many there are', async () => {
    h.counter.reset();
    const few = (await inbox(mentor.actor)).nodes.length;
    const withFew = h.counter.count;
    for (let i = 0; i < 5; i++) await raise(placementNotice());
    h.counter.reset();
    expect((await inbox(mentor.actor)).nodes.length).toBe(few + 5);
    expect(h.counter.count).toBe(withFew);
    // The page, the unread count, the mentees' schools (for the audit entries) and the one audit INSERT.
    expect(withFew).toBe(4);
  });
});

describe('reading a mentor notice is recorded in the audit trail (ADR 0008, ADR 0028)', () => {
  type Batch = PayloadOf<typeof AuditRecorded>;
  /** The AuditRecorded batches a request wrote to notifications' outbox, with their deliveries. */
  async function batchesOf(run: () => Promise<unknown>): Promise<{ batch: Batch; consumers: string[] }[]> {
    const [{ p }] = (await h.dataSource.query(`SELECT COALESCE(MAX(position), 0) AS p FROM outbox`)) as [{ p: string }];
    await run();
    const rows = (await h.dataSource.query(
      `SELECT o.payload, array_agg(d.consumer ORDER BY d.consumer) AS consumers
         FROM outbox o JOIN outbox_delivery d ON d.event_id = o.id
        WHERE o.event_type = 'AuditRecorded' AND o.position > $1 GROUP BY o.id, o.payload, o.position ORDER BY o.position`,
      [p],
    )) as { payload: Batch; consumers: string[] }[];
    return rows.map((r) => ({ batch: r.payload, consumers: r.consumers }));
  }
  /** A request as the gateway sends it: signed, with its request id and the client's operation name. */
  async function signedInbox(actor: Actor, requestId: string) {
    const body = JSON.stringify({ query: `query MentorInbox ${INBOX}`, operationName: 'MentorInbox' });
    const headers = signActorHeaders(actor, { secret: TEST_SECRET, requestId, body, operationName: 'MentorInbox' });
    const response = await h.post(JSON.parse(body), headers);
    return ok((await response.json()) as { data: { myNotifications: { edges: { node: { id: string; kind: string } }[] } } });
  }

  it("records who read which notice about which student, when and from which request; another person's look records nothing", async () => {
    const submissionId = randomUUID();
    await raise(placementNotice());
    await raise(
      base({ kind: 'SUMMATIVE_BELOW_EXPECTED', noticeKey: `submission:${submissionId}`, submissionId, competencyIds: [randomUUID()] }),
    );
    const requestId = `req-${randomUUID()}`;
    const before = Date.now();
    let data: Awaited<ReturnType<typeof signedInbox>> | undefined;
    const written = await batchesOf(async () => (data = await signedInbox(mentor.actor, requestId)));
    const notices = data!.myNotifications.edges.map((e) => e.node).filter((n) => n.kind.startsWith('MENTEE_'));
    expect(notices.length).toBeGreaterThanOrEqual(2);
    expect(written).toHaveLength(1); // one batch per request
    const { batch, consumers } = written[0]!;
    expect(consumers).toEqual(['audit']);
    expect(batch).toMatchObject({ requestId, operation: 'MentorInbox', actor: mentor.actor });
    expect(Date.parse(batch.at)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(batch.at)).toBeLessThanOrEqual(Date.now() + 1000);
    expect(batch.entries.map((e) => e.recordId).sort()).toEqual(notices.map((n) => n.id).sort());
    for (const e of batch.entries)
      expect(e).toEqual({
        action: 'READ',
        recordType: 'Notification',
        recordId: expect.any(String),
        studentId: w.student.id,
        schoolId: w.school,
        fields: ['assessmentTask', 'body', 'id', 'kind', 'readAt', 'student', 'title'],
        change: null,
        reason: null,
      });

    // Nobody else can read the mentor's notices (the inbox is the caller's own): nothing is recorded for them.
    for (const actor of [
      w.student.actor,
      w.otherAdmin.actor,
      { personId: randomUUID(), institutionId: w.school, roles: ['MENTOR'] } as Actor,
    ])
      expect(await batchesOf(() => signedInbox(actor, `req-${randomUUID()}`))).toEqual([]);
    // Marking notices read changes the mentor's inbox, not the student's record: nothing recorded.
    const ids = notices.map((n) => n.id);
    expect(await batchesOf(() => h.call(mentor.actor, `mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) }`, { ids }))).toEqual([]);
  });
});

describe('a mentor notice sent by email or webhook is recorded as a read of the student record (ADR 0028)', () => {
  type Batch = PayloadOf<typeof AuditRecorded>;
  const FAR = new Date('2030-01-01T00:00:00Z');
  /** The AuditRecorded batches of one delivery (by its request id), with their consumers. */
  const recorded = async (requestId: string) =>
    (await h.dataSource.query(
      `SELECT o.payload, array_agg(d.consumer ORDER BY d.consumer) AS consumers
         FROM outbox o JOIN outbox_delivery d ON d.event_id = o.id
        WHERE o.event_type = 'AuditRecorded' AND o.payload->>'requestId' = $1 GROUP BY o.id, o.payload`,
      [requestId],
    )) as { payload: Batch; consumers: string[] }[];

  it('records each email and webhook once, when it went out, whatever the failed attempts before it', async () => {
    const sink = await startMailSink();
    const transport = nodemailer.createTransport(sink.url);
    let failing = 0;
    const receiver = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.statusCode = failing-- > 0 ? 500 : 200;
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const settings = { ...notificationSettings(), allowPrivateWebhookTargets: true };
    const sendEmails = () =>
      sendPendingEmails(
        h.dataSource,
        transport,
        'MedCollab <no-reply@medcollab.test>',
        { ...DEFAULT_EMAIL_SETTINGS, retryBaseMs: 1, retryMaxMs: 5 },
        FAR,
      );
    const sendHooks = () => sendPendingWebhooks(h.dataSource, settings, { ...DEFAULT_WEBHOOK_SETTINGS, retryScale: 0.00001 }, FAR);
    try {
      // Only this test's endpoint listens; what earlier tests left pending goes out first.
      await h.dataSource.query(`UPDATE webhook_subscription SET status = 'DISABLED' WHERE institution_id = $1`, [w.school]);
      const subscriptionId = randomUUID();
      await h.dataSource.query(
        `INSERT INTO webhook_subscription (id, institution_id, url, event_kinds, secret, status, created_by, created_at)
         VALUES ($1, $2, $3, ARRAY['mentor_notice.raised'], 'whsec_dGVzdCBzZWNyZXQsIDMyIGJ5dGVzIGxvbmchISEhISE=', 'ACTIVE', $4, now())`,
        [subscriptionId, w.school, `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`, w.admin.id],
      );
      while ((await sendEmails()) > 0);

      const notice = placementNotice();
      await raise(notice);
      const [email] = (await h.dataSource.query(
        `SELECT id FROM notification WHERE recipient_id = $1 AND dedupe_key = $2 AND channel = 'EMAIL'`,
        [mentor.id, `mentor-notice:${notice.noticeKey}`],
      )) as { id: string }[];
      const [hook] = (await h.dataSource.query(`SELECT id FROM webhook_delivery WHERE subscription_id = $1`, [subscriptionId])) as {
        id: string;
      }[];

      // Refused attempts disclose nothing and record nothing.
      sink.refuseNext(1);
      failing = 1;
      expect(await sendEmails()).toBe(0);
      expect(await sendHooks()).toBe(0);
      expect(await recorded(`email-${email!.id}`)).toEqual([]);
      expect(await recorded(`webhook-${hook!.id}`)).toEqual([]);
      await new Promise((r) => setTimeout(r, 50)); // past the (tiny) backoffs
      expect(await sendEmails()).toBe(1);
      expect(await sendHooks()).toBe(1);
      // Nothing left to send: no second entry.
      expect(await sendEmails()).toBe(0);
      expect(await sendHooks()).toBe(0);

      const mailed = await recorded(`email-${email!.id}`);
      expect(mailed).toEqual([
        { consumers: ['audit'], payload: expect.objectContaining({ operation: 'email:MENTEE_PLACEMENT_STARTED', actor: mentor.actor }) },
      ]);
      expect(mailed[0]!.payload.entries).toEqual([
        {
          action: 'READ',
          recordType: 'Notification',
          recordId: email!.id,
          studentId: w.student.id,
          schoolId: w.school,
          fields: ['body', 'title'],
          change: null,
          reason: null,
        },
      ]);
      const hooked = await recorded(`webhook-${hook!.id}`);
      expect(hooked).toEqual([
        {
          consumers: ['audit'],
          payload: expect.objectContaining({
            operation: 'mentor_notice.raised',
            actor: { personId: `webhook-subscription:${subscriptionId}`, institutionId: w.school, roles: [] },
          }),
        },
      ]);
      expect(hooked[0]!.payload.entries).toEqual([
        {
          action: 'READ',
          recordType: 'WebhookDelivery',
          recordId: hook!.id,
          studentId: w.student.id,
          schoolId: w.school,
          fields: ['kind', 'mentorId', 'mentorshipId', 'placementId', 'raisedAt', 'studentId'],
          change: null,
          reason: null,
        },
      ]);
      // The entries were written with the send's outcome, in its transaction.
      expect(await h.dataSource.query(`SELECT status FROM email_delivery WHERE notification_id = $1`, [email!.id])).toEqual([
        { status: 'SENT' },
      ]);
    } finally {
      transport.close();
      await sink.close();
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});
