import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { fireStep } from '../src/data/fire';
import { notificationSettings, type NotificationSettings } from '../src/settings';
import { DEFAULT_WEBHOOK_SETTINGS, sendPendingWebhooks } from '../src/webhook-sender';
import { AuditChainAnchored } from '@medcollab/events';
import {
  assignTask,
  buildWorld,
  codes,
  emit,
  type NotificationsHarness,
  ok,
  startNotifications,
  waitFor,
  type World,
} from './support/harness';

/** A local receiver: answers 500 while `failing` > 0 (counting down; -1 = always), else 200. */
interface Receiver {
  url: string;
  received: { headers: IncomingHttpHeaders; body: string }[];
  failing: number;
  server: Server;
}

async function startReceiver(): Promise<Receiver> {
  const r = { url: '', received: [], failing: 0 } as unknown as Receiver;
  r.server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      r.received.push({ headers: req.headers, body });
      if (r.failing !== 0) {
        if (r.failing > 0) r.failing--;
        res.statusCode = 500;
      }
      res.end();
    });
  });
  await new Promise<void>((resolve) => r.server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(r.server.address() as AddressInfo).port}/hooks`;
  return r;
}

let h: NotificationsHarness;
let w: World;
let good: Receiver;
let broken: Receiver;
let settings: NotificationSettings;
const FAST = { ...DEFAULT_WEBHOOK_SETTINGS, retryScale: 0.00001, disableAfterFailedDeliveries: 1 };
const FAR = new Date('2030-01-01T00:00:00Z'); // the steps fire at simulated instants in December 2026

beforeAll(async () => {
  [h, good, broken] = await Promise.all([startNotifications(), startReceiver(), startReceiver()]);
  w = await buildWorld(h);
  settings = { ...notificationSettings(), allowPrivateWebhookTargets: true };
});
afterAll(async () => {
  delete process.env.WEBHOOKS_ALLOW_PRIVATE_TARGETS;
  good.server.close();
  broken.server.close();
  await h.stop();
});

const CREATE = `mutation($input: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $input) { secret subscription { id status eventKinds } } }`;
const LOG = `query($id: ID!) { webhookDeliveries(subscriptionId: $id) { edges { node { id status attempts lastStatusCode eventKind } } } }`;
const REDELIVER = `mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { id status } }`;
const input = (url: string) => ({ input: { institutionId: w.school, url, eventKinds: ['ASSESSMENT_TASK_REMINDER_FIRED'] } });

async function fireBeforeDue(): Promise<string> {
  const taskId = await assignTask(h, w, new Date('2026-12-16T11:00:00Z'), new Date('2026-12-01T09:00:00Z'));
  const [step] = (await h.dataSource.query(`SELECT id, fire_at FROM reminder_step WHERE task_id = $1 AND step_key = 'BEFORE_DUE'`, [
    taskId,
  ])) as {
    id: string;
    fire_at: Date;
  }[];
  expect(await fireStep(h.dataSource, step!.id, step!.fire_at, settings)).toBe('FIRED');
  return taskId;
}

describe('webhook subscriptions', () => {
  let subscriptionId: string;
  let secret: string;

  it('refuses private targets outside development, other roles and institutions; shows the secret once', async () => {
    delete process.env.WEBHOOKS_ALLOW_PRIVATE_TARGETS;
    expect(codes(await h.call(w.admin.actor, CREATE, input(good.url)))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await h.call(w.admin.actor, CREATE, input('https://169.254.169.254/latest/meta-data')))).toEqual(['BAD_USER_INPUT']);
    process.env.WEBHOOKS_ALLOW_PRIVATE_TARGETS = 'true';
    expect(codes(await h.call(w.schoolCoordinator.actor, CREATE, input(good.url)))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(w.otherAdmin.actor, CREATE, input(good.url)))).toEqual(['FORBIDDEN']);
    const created = ok(await h.call(w.quality.actor, CREATE, input(good.url))).createWebhookSubscription;
    expect(created.subscription).toMatchObject({ status: 'ACTIVE', eventKinds: ['ASSESSMENT_TASK_REMINDER_FIRED'] });
    expect(created.secret).toMatch(/^whsec_/);
    subscriptionId = created.subscription.id;
    secret = created.secret;
    const listed = ok(
      await h.call(w.admin.actor, `query($id: ID!) { webhookSubscriptions(institutionId: $id) { id url } }`, { id: w.school }),
    );
    expect(JSON.stringify(listed)).not.toContain('whsec_');
    expect(codes(await h.call(w.otherAdmin.actor, LOG, { id: subscriptionId }))).toEqual(['FORBIDDEN']);
  });

  it('delivers signed events the receiver verifies, retrying a failing receiver until it accepts; redelivers on request', async () => {
    good.failing = 2;
    const taskId = await fireBeforeDue();
    await waitFor('the delivery to be accepted', async () => {
      await sendPendingWebhooks(h.dataSource, settings, FAST, FAR);
      return good.received.length >= 3;
    });
    expect(good.received).toHaveLength(3);
    const ids = new Set(good.received.map((r) => r.headers['webhook-id']));
    expect(ids.size).toBe(1); // one delivery, three attempts: receivers dedupe on webhook-id
    const last = good.received[2]!;
    const event = new Webhook(secret).verify(last.body, last.headers as Record<string, string>) as {
      type: string;
      data: { taskId: string };
    };
    expect(event).toMatchObject({ type: 'assessment_task.reminder_fired', data: { taskId } });
    expect(() =>
      new Webhook(`whsec_${Buffer.from('another secret, 32 bytes long!!!').toString('base64')}`).verify(
        last.body,
        last.headers as Record<string, string>,
      ),
    ).toThrow();
    const [delivery] = ok(await h.call(w.admin.actor, LOG, { id: subscriptionId })).webhookDeliveries.edges.map(
      (e: { node: unknown }) => e.node,
    );
    expect(delivery).toMatchObject({ status: 'DELIVERED', attempts: 3, lastStatusCode: 200, eventKind: 'ASSESSMENT_TASK_REMINDER_FIRED' });

    expect(ok(await h.call(w.admin.actor, REDELIVER, { id: delivery.id })).redeliverWebhook.status).toBe('PENDING');
    expect(codes(await h.call(w.otherAdmin.actor, REDELIVER, { id: delivery.id }))).toEqual(['FORBIDDEN']);
    expect(await sendPendingWebhooks(h.dataSource, settings, FAST, FAR)).toBe(1);
    expect(good.received.at(-1)!.headers['webhook-id']).toBe(delivery.id);
  });

  it('disables a subscription whose deliveries keep failing after the whole schedule, and tells the admins', async () => {
    broken.failing = -1;
    const created = ok(await h.call(w.admin.actor, CREATE, input(broken.url))).createWebhookSubscription;
    await fireBeforeDue();
    await waitFor('the subscription to be disabled', async () => {
      await sendPendingWebhooks(h.dataSource, settings, FAST, FAR);
      const [s] = (await h.dataSource.query(`SELECT status FROM webhook_subscription WHERE id = $1`, [created.subscription.id])) as {
        status: string;
      }[];
      return s!.status === 'DISABLED';
    });
    expect(broken.received).toHaveLength(8); // the first attempt and seven retries
    const [notice] = (await h.dataSource.query(
      `SELECT title FROM notification WHERE recipient_id = $1 AND kind = 'WEBHOOK_DISABLED' AND channel = 'IN_APP'`,
      [w.admin.id],
    )) as { title: string }[];
    expect(notice!.title).toBe(`Webhook disabled: ${broken.url}`);
  });

  it("sends each audit-chain checkpoint to the subscribers that asked for it, once, signed, and to no other institution's", async () => {
    const auditReceiver = await startReceiver();
    try {
      const mine = ok(
        await h.call(w.admin.actor, CREATE, {
          input: { institutionId: w.school, url: auditReceiver.url, eventKinds: ['AUDIT_CHAIN_ANCHORED'] },
        }),
      ).createWebhookSubscription;
      const checkpoint = { institutionId: w.school, seq: 42, hash: 'ab'.repeat(32), anchoredAt: '2026-12-06T00:00:00.000Z' };
      await emit(h, AuditChainAnchored, w.school, checkpoint);
      await emit(h, AuditChainAnchored, w.school, checkpoint); // the same checkpoint again (a second event id): one delivery
      await emit(h, AuditChainAnchored, w.otherSchool, { ...checkpoint, institutionId: w.otherSchool });
      await waitFor('the checkpoint to be delivered', async () => {
        await sendPendingWebhooks(h.dataSource, settings, FAST, FAR);
        return auditReceiver.received.length >= 1;
      });
      await sendPendingWebhooks(h.dataSource, settings, FAST, FAR);
      expect(auditReceiver.received).toHaveLength(1);
      const [got] = auditReceiver.received;
      expect(new Webhook(mine.secret).verify(got!.body, got!.headers as Record<string, string>)).toMatchObject({
        type: 'audit.chain_anchored',
        data: checkpoint,
      });
      // The subscriptions that asked only for task reminders got no checkpoint.
      expect(good.received.some((r) => r.body.includes('audit.chain_anchored'))).toBe(false);
    } finally {
      auditReceiver.server.close();
    }
  });
});
