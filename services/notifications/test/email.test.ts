import { type ParsedMail } from 'mailparser';
import nodemailer from 'nodemailer';
import { fireStep } from '../src/data/fire';
import { DEFAULT_EMAIL_SETTINGS, sendPendingEmails } from '../src/email-sender';
import { notificationSettings, type NotificationSettings } from '../src/settings';
import { assignTask, buildWorld, codes, type NotificationsHarness, ok, startNotifications, type World } from './support/harness';
import { type MailSink, startMailSink } from './support/smtp';

let h: NotificationsHarness;
let w: World;
let sink: MailSink;
let settings: NotificationSettings;
let transport: ReturnType<typeof nodemailer.createTransport>;

beforeAll(async () => {
  [h, sink] = await Promise.all([startNotifications(), startMailSink()]);
  w = await buildWorld(h);
  settings = {
    ...notificationSettings(),
    smtpUrl: sink.url,
    publicUrl: h.url.replace(/\/graphql$/, ''),
    inboxUrl: 'http://app.test/inbox',
  };
  transport = nodemailer.createTransport(sink.url);
});
afterAll(async () => {
  transport.close();
  await Promise.all([h.stop(), sink.close()]);
});

const DUE = new Date('2026-12-16T11:00:00Z');
const ASSIGNED = new Date('2026-12-01T09:00:00Z');
const FAST = { ...DEFAULT_EMAIL_SETTINGS, retryBaseMs: 1, retryMaxMs: 5 };
const send = () =>
  sendPendingEmails(h.dataSource, transport, 'MedCollab <no-reply@medcollab.test>', FAST, new Date('2030-01-01T00:00:00Z'));
// (The steps fire at simulated instants in December 2026, so the sender looks far enough ahead.)

async function fire(taskId: string, stepKey: string, recipientId: string): Promise<void> {
  const [step] = (await h.dataSource.query(
    `SELECT id, fire_at FROM reminder_step WHERE task_id = $1 AND step_key = $2 AND recipient_id = $3 AND status = 'PLANNED'`,
    [taskId, stepKey, recipientId],
  )) as { id: string; fire_at: Date }[];
  expect(await fireStep(h.dataSource, step!.id, step!.fire_at, settings)).toBe('FIRED');
}
const emailsOf = (personId: string) =>
  h.dataSource.query(
    `SELECT e.status, e.attempts FROM email_delivery e JOIN notification n ON n.id = e.notification_id WHERE n.recipient_id = $1 ORDER BY n.created_at`,
    [personId],
  ) as Promise<{ status: string; attempts: number }[]>;
/** The raw header line: mailparser folds List-* headers into one structure that drops the URL's name. */
const headerLine = (mail: ParsedMail, key: string) => mail.headerLines.find((l) => l.key === key)?.line.replace(/\r\n\s*/g, ' ');
const unsubscribeUrl = (mail: ParsedMail) => /<([^>]+)>/.exec(headerLine(mail, 'list-unsubscribe') ?? '')?.[1] ?? '';
const assessorEmail = async () =>
  ((await h.dataSource.query(`SELECT email FROM known_person WHERE id = $1`, [w.assessor.id])) as { email: string }[])[0]!.email;

describe('email over SMTP', () => {
  it('survives 4xx answers: retried until accepted, received exactly once, with subject, recipient, inbox and one-click unsubscribe links', async () => {
    const taskId = await assignTask(h, w, DUE, ASSIGNED);
    await fire(taskId, 'BEFORE_DUE', w.assessor.id);
    sink.refuseNext(2);
    expect(await send()).toBe(0);
    expect(sink.received).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 20)); // past the (tiny) backoff
    expect(await send()).toBe(0);
    await new Promise((r) => setTimeout(r, 20));
    expect(await send()).toBe(1);
    expect(await send()).toBe(0);
    expect(await emailsOf(w.assessor.id)).toEqual([{ status: 'SENT', attempts: 3 }]);
    expect(sink.received).toHaveLength(1);
    const mail = sink.received[0]!;
    expect(mail.to).toMatchObject({ value: [{ address: await assessorEmail() }] });
    expect(mail.subject).toContain('Mini-CEX for Lina Martin');
    expect(mail.text).toContain('http://app.test/inbox');
    expect(mail.html).toContain('(Cardiology)');
    expect(unsubscribeUrl(mail)).toMatch(new RegExp(`^${settings.publicUrl}/unsubscribe\\?token=`));
    expect(headerLine(mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(mail.text).toContain(unsubscribeUrl(mail));
  });

  it('one-click unsubscribe (RFC 8058) stops that kind of email; the inbox still gets it; a forged token is refused', async () => {
    const url = unsubscribeUrl(sink.received[0]!);
    const forged = url.replace(/token=[^.]+/, 'token=' + Buffer.from(`${w.schoolCoordinator.id}|TASK_REMINDER`).toString('base64url'));
    expect((await fetch(forged, { method: 'POST', body: 'List-Unsubscribe=One-Click' })).status).toBe(400);
    expect((await fetch(url)).status).toBe(200); // GET shows a button; it changes nothing
    const before = (await emailsOf(w.assessor.id)).length;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(response.status).toBe(200);
    const prefs = ok(await h.call(w.assessor.actor, `{ myNotificationPreferences { emailOffKinds locale } }`)).myNotificationPreferences;
    expect(prefs).toEqual({ emailOffKinds: ['TASK_REMINDER'], locale: 'EN' });
    const taskId = await assignTask(h, w, DUE, ASSIGNED);
    await fire(taskId, 'BEFORE_DUE', w.assessor.id);
    expect((await emailsOf(w.assessor.id)).length).toBe(before);
    const inApp = (await h.dataSource.query(
      `SELECT count(*)::int AS n FROM notification WHERE recipient_id = $1 AND channel = 'IN_APP' AND subject_id = $2`,
      [w.assessor.id, taskId],
    )) as { n: number }[];
    expect(inApp[0]!.n).toBe(1);
  });

  it('writes in the recipient language: Simplified Chinese for a coordinator who chose it', async () => {
    const SET = `mutation($input: NotificationPreferencesInput!) { setMyNotificationPreferences(input: $input) { locale } }`;
    const input = { locale: 'ZH_CN', emailOffKinds: [], inAppOffKinds: [], digest: false };
    expect(ok(await h.call(w.departmentCoordinator.actor, SET, { input })).setMyNotificationPreferences).toEqual({ locale: 'ZH_CN' });
    expect(codes(await h.call(w.departmentCoordinator.actor, SET, { input: { ...input, emailOffKinds: ['NOPE'] } }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    const taskId = await assignTask(h, w, DUE, ASSIGNED);
    await fire(taskId, 'ESCALATION', w.departmentCoordinator.id);
    const count = sink.received.length;
    expect(await send()).toBe(1);
    const mail = sink.received[count]!;
    expect(mail.subject).toBe('已逾期：Lina Martin 的 Mini-CEX');
    expect(mail.text).toContain('Wei Zhang 尚未完成 Lina Martin（Cardiology） 的 Mini-CEX');
    expect(mail.text).toContain('不再接收此类邮件');
    // Another person's preferences are never the caller's to read: the query has no argument for it.
    expect(ok(await h.call(w.assessor.actor, `{ myNotificationPreferences { locale } }`)).myNotificationPreferences.locale).toBe('EN');
  });
});
