import { startLoop, type WorkerTask } from '@medcollab/events';
import { Webhook } from 'standardwebhooks';
import { type DataSource, type EntityManager } from 'typeorm';
import { deliver } from './data/deliver';
import { recordWebhookDelivered } from './data/disclosures';
import { resolveHost } from './data/webhooks';
import { webhookDisabled } from './domain/messages';
import { DISABLE_AFTER_FAILED_DELIVERIES, nextRetryDelay } from './domain/webhook-schedule';
import { refuseTarget } from './domain/webhook-target';
import { type NotificationSettings } from './settings';

export interface WebhookSenderSettings {
  intervalMs: number;
  batch: number;
  timeoutMs: number;
  /** Multiplies the retry schedule (tests shrink 27 hours to milliseconds). */
  retryScale: number;
  disableAfterFailedDeliveries: number;
  /** Deliveries in flight at once (each holds its row, so lanes never send the same one). */
  concurrency: number;
}

export const DEFAULT_WEBHOOK_SETTINGS: WebhookSenderSettings = {
  intervalMs: 1_000,
  batch: 50,
  timeoutMs: 10_000,
  retryScale: 1,
  disableAfterFailedDeliveries: DISABLE_AFTER_FAILED_DELIVERIES,
  concurrency: 4,
};

interface PendingDelivery {
  id: string;
  subscription_id: string;
  payload: unknown;
  attempts: number;
  url: string;
  secret: string;
  institution_id: string;
  consecutive_failures: number;
}

/** POSTs one signed delivery; the outcome, never an exception. */
async function post(d: PendingDelivery, body: string, s: WebhookSenderSettings, settings: NotificationSettings) {
  // Checked again at send time: DNS may have changed since the subscription was made.
  const refusal = refuseTarget(d.url, await resolveHost(d.url), settings.allowPrivateWebhookTargets);
  if (refusal) return { ok: false, status: null, error: `target ${refusal}` };
  const headers = { 'webhook-id': d.id, 'webhook-timestamp': String(Math.floor(Date.now() / 1000)) };
  const signature = new Webhook(d.secret).sign(d.id, new Date(Number(headers['webhook-timestamp']) * 1000), body);
  try {
    const response = await fetch(d.url, {
      method: 'POST',
      headers: { ...headers, 'webhook-signature': signature, 'content-type': 'application/json', 'user-agent': 'MedCollab-Webhooks/1' },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(s.timeoutMs),
    });
    await response.body?.cancel();
    return { ok: response.status >= 200 && response.status < 300, status: response.status, error: null };
  } catch (error) {
    return { ok: false, status: null, error: String((error as Error).message).slice(0, 300) };
  }
}

async function disable(em: EntityManager, d: PendingDelivery, failures: number, settings: NotificationSettings, now: Date): Promise<void> {
  await em.query(`UPDATE webhook_subscription SET status = 'DISABLED', disabled_at = $2 WHERE id = $1`, [d.subscription_id, now]);
  const admins = (await em.query(
    `SELECT id FROM known_person WHERE institution_id = $1 AND kind = 'STAFF' AND 'INSTITUTION_ADMIN' = ANY(roles) ORDER BY id`,
    [d.institution_id],
  )) as { id: string }[];
  for (const a of admins) {
    await deliver(
      em,
      a.id,
      `webhook-disabled:${d.subscription_id}:${now.toISOString()}`,
      (l) => webhookDisabled(d.url, failures, l),
      null,
      now,
      settings,
    );
  }
}

/**
 * Sends due webhook deliveries, each in its own transaction holding its row: signed per Standard
 * Webhooks (webhook-id is the delivery's id, so a receiver dedupes retries), retried on the
 * schedule over more than a day, FAILED after the last attempt; a subscription whose deliveries
 * keep failing is disabled and the institution's admins are told.
 */
export async function sendPendingWebhooks(
  ds: DataSource,
  settings: NotificationSettings,
  s: WebhookSenderSettings,
  now = new Date(),
): Promise<number> {
  let delivered = 0;
  const tried: string[] = [];
  for (let i = 0; i < s.batch; i++) {
    const outcome = await ds.transaction(async (em) => {
      const [d] = (await em.query(
        `SELECT d.id, d.subscription_id, d.payload, d.attempts, s.url, s.secret, s.institution_id, s.consecutive_failures
           FROM webhook_delivery d JOIN webhook_subscription s ON s.id = d.subscription_id
          WHERE d.status = 'PENDING' AND d.next_attempt_at <= $1 AND s.status = 'ACTIVE' AND NOT (d.id = ANY($2::uuid[]))
          ORDER BY d.next_attempt_at LIMIT 1 FOR UPDATE OF d SKIP LOCKED`,
        [now, tried],
      )) as PendingDelivery[];
      if (!d) return 'NONE';
      tried.push(d.id);
      const result = await post(d, JSON.stringify(d.payload), s, settings);
      const attempts = d.attempts + 1;
      if (result.ok) {
        const deliveredAt = new Date();
        await em.query(
          `UPDATE webhook_delivery SET status = 'DELIVERED', attempts = $2, last_status_code = $3, delivered_at = $4 WHERE id = $1`,
          [d.id, attempts, result.status, deliveredAt],
        );
        // A mentor notice sent to the school's endpoint showed it part of the student's record (ADR 0028).
        await recordWebhookDelivered(em, d, deliveredAt);
        await em.query(`UPDATE webhook_subscription SET consecutive_failures = 0 WHERE id = $1`, [d.subscription_id]);
        return 'DELIVERED';
      }
      const delay = nextRetryDelay(attempts, s.retryScale);
      await em.query(
        `UPDATE webhook_delivery SET status = $2, attempts = $3, last_status_code = $4, last_error = $5, next_attempt_at = $6 WHERE id = $1`,
        [d.id, delay === null ? 'FAILED' : 'PENDING', attempts, result.status, result.error, new Date(Date.now() + (delay ?? 0))],
      );
      if (delay === null) {
        const failures = d.consecutive_failures + 1;
        await em.query(`UPDATE webhook_subscription SET consecutive_failures = $2 WHERE id = $1`, [d.subscription_id, failures]);
        if (failures >= s.disableAfterFailedDeliveries) await disable(em, d, failures, settings, new Date());
      }
      return 'RETRY';
    });
    if (outcome === 'NONE') break;
    if (outcome === 'DELIVERED') delivered++;
  }
  return delivered;
}

/**
 * `concurrency` lanes of sendPendingWebhooks at once: a slow receiver no longer holds up the
 * others, and each delivery is still sent by one lane only (its row is locked, SKIP LOCKED).
 */
export async function sendPendingWebhooksConcurrently(
  ds: DataSource,
  settings: NotificationSettings,
  s: WebhookSenderSettings,
  now = new Date(),
): Promise<number> {
  const lanes = await Promise.all(Array.from({ length: Math.max(1, s.concurrency) }, () => sendPendingWebhooks(ds, settings, s, now)));
  return lanes.reduce((sum, n) => sum + n, 0);
}

/** The webhooks task of the notifications worker. */
export function webhookTask(settings: NotificationSettings, overrides: Partial<WebhookSenderSettings> = {}): WorkerTask {
  const s = { ...DEFAULT_WEBHOOK_SETTINGS, ...overrides };
  return {
    name: 'webhooks',
    start({ dataSource, log }) {
      const loop = startLoop({
        name: 'webhook-sender',
        log,
        intervalMs: s.intervalMs,
        run: async () => (await sendPendingWebhooksConcurrently(dataSource, settings, s)) >= s.batch * Math.max(1, s.concurrency),
      });
      return { stop: () => loop.stop() };
    },
  };
}
